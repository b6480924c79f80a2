// The budget chooser: expected conversions Σp and profit Σp·margin − N·cost, worked by hand.
import { describe, expect, it } from 'vitest';
import { bestProfit, sortScoresDescending, topN, topPercent } from '../../src/lib/propensity/budget';

// Scores 0.9, 0.6, 0.3, 0.2, 0.1, 0.05, 0.05, 0.0 (sum 2.2).
const sorted = sortScoresDescending([0.05, 0.3, 0.9, 0.1, 0.0, 0.6, 0.2, 0.05]);

describe('propensity budget', () => {
  it('sorts scores high to low and drops NaN', () => {
    expect(Array.from(sortScoresDescending([0.2, NaN, 0.7, 0.1]))).toEqual([0.7, 0.2, 0.1]);
    expect(Array.from(sorted)).toEqual([0.9, 0.6, 0.3, 0.2, 0.1, 0.05, 0.05, 0]);
  });

  it('top N: Σp of the N best and the profit at margin 10, cost 2', () => {
    const o = topN(sorted, 3, { margin: 10, cost: 2 });
    expect(o.n).toBe(3);
    expect(o.share).toBe(3 / 8);
    expect(o.threshold).toBeCloseTo(0.3, 12);
    expect(o.expectedConversions).toBeCloseTo(1.8, 12); // 0.9 + 0.6 + 0.3
    expect(o.expectedProfit).toBeCloseTo(18 - 6, 10);
    expect(topN(sorted, 3).expectedProfit).toBeNull();
  });

  it('top N clamps to the customers there are', () => {
    expect(topN(sorted, 100).n).toBe(8);
    expect(topN(sorted, 100).expectedConversions).toBeCloseTo(2.2, 12);
    const none = topN(sorted, 0, { margin: 10, cost: 2 });
    expect(none.n).toBe(0);
    expect(none.expectedProfit).toBe(0);
    expect(Number.isNaN(none.threshold)).toBe(true);
  });

  it('top X % rounds to whole customers', () => {
    expect(topPercent(sorted, 25).n).toBe(2); // 25 % of 8
    expect(topPercent(sorted, 25).expectedConversions).toBeCloseTo(1.5, 12);
    expect(topPercent(sorted, 30).n).toBe(2); // 2.4 → 2
    expect(topPercent(sorted, 100).n).toBe(8);
    expect(() => topPercent(sorted, 120)).toThrow(/0 to 100/);
  });

  it('the most profitable N contacts exactly those with p > cost / margin', () => {
    // cost/margin = 0.25: contact 0.9, 0.6, 0.3 → profit 1.8·10 − 3·2.5 = 10.5.
    const o = bestProfit(sorted, { margin: 10, cost: 2.5 });
    expect(o.n).toBe(3);
    expect(o.expectedProfit).toBeCloseTo(10.5, 10);
    // Brute force over every N agrees.
    let best = -Infinity;
    for (let n = 0; n <= 8; n++) best = Math.max(best, topN(sorted, n, { margin: 10, cost: 2.5 }).expectedProfit ?? -Infinity);
    expect(o.expectedProfit).toBeCloseTo(best, 10);
  });

  it('contacts nobody when no contact pays, and everybody when contacts are free', () => {
    expect(bestProfit(sorted, { margin: 1, cost: 5 }).n).toBe(0);
    expect(bestProfit(sorted, { margin: 1, cost: 5 }).expectedProfit).toBe(0);
    // Free contacts: every customer with p > 0 adds profit (the last, p = 0, adds nothing).
    expect(bestProfit(sorted, { margin: 1, cost: 0 }).n).toBe(7);
  });

  it('refuses negative money', () => {
    expect(() => bestProfit(sorted, { margin: -1, cost: 1 })).toThrow(/margin/);
    expect(() => topN(sorted, 2, { margin: 1, cost: NaN })).toThrow(/cost/);
  });
});
