// Ranking metrics and rating errors against hand-worked cases (definitions in src/lib/recommend/metrics.ts).
import { describe, expect, it } from 'vitest';
import { TopNAccumulator, ratingErrors, userMetrics } from '../../src/lib/recommend/metrics';

const inv = (rank: number) => Math.LN2 / Math.log(rank + 1); // 1 / log2(rank + 1)

describe('userMetrics', () => {
  it('hand-worked: hits at ranks 2 and 4 of 5, three held-out items', () => {
    const m = userMetrics([3, 1, 4, 5, 9], new Set([1, 5, 7]), 5);
    expect(m.hits).toBe(2);
    expect(m.precision).toBeCloseTo(2 / 5, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.ndcg).toBeCloseTo((inv(2) + inv(4)) / (inv(1) + inv(2) + inv(3)), 12);
    // precision at the hits: 1/2 and 2/4, over min(3, 5) = 3
    expect(m.ap).toBeCloseTo((0.5 + 0.5) / 3, 12);
    expect(m.hit).toBe(1);
    expect(m.rr).toBe(0.5);
  });

  it('an empty recommendation list scores 0 everywhere (precision still divides by k)', () => {
    expect(userMetrics([], new Set([2]), 3)).toEqual({ hits: 0, precision: 0, recall: 0, ndcg: 0, ap: 0, hit: 0, rr: 0 });
  });

  it('fewer held-out items than k: ideal DCG and AP use min(|R|, k)', () => {
    const m = userMetrics([7, 2, 9], new Set([2]), 3);
    expect(m.precision).toBeCloseTo(1 / 3, 12);
    expect(m.recall).toBe(1);
    expect(m.ndcg).toBeCloseTo(inv(2) / inv(1), 12); // 0.6309…
    expect(m.ap).toBeCloseTo(0.5, 12);
    // a perfect list scores 1 although it fills only 1 of 3 slots with a hit
    const best = userMetrics([2, 7, 9], new Set([2]), 3);
    expect(best.ndcg).toBe(1);
    expect(best.ap).toBe(1);
  });

  it('only the first k of a longer list count', () => {
    const m = userMetrics([0, 1, 2, 3], new Set([3]), 2);
    expect(m.hits).toBe(0);
    expect(m.rr).toBe(0);
  });

  it('rejects users without held-out items and a bad k', () => {
    expect(() => userMetrics([1], new Set(), 1)).toThrow('without held-out items');
    expect(() => userMetrics([1], new Set([1]), 0)).toThrow('k must be an integer ≥ 1, got 0');
  });
});

describe('TopNAccumulator', () => {
  it('averages over users with held-out items and counts the others', () => {
    const acc = new TopNAccumulator([1, 2], 5, [10, 20, 30, 40, 50]);
    acc.add([0, 1], new Set([1])); // @1: miss; @2: hit at rank 2
    acc.add([2, 3], new Set([2, 4])); // @1: hit; @2: 1 hit of 2
    acc.add([4, 0], new Set()); // excluded
    expect(acc.users).toBe(2);
    expect(acc.excludedUsers).toBe(1);
    const [at1, at2] = acc.result();
    expect(at1.precision).toBeCloseTo((0 + 1) / 2, 12);
    expect(at1.recall).toBeCloseTo((0 + 1 / 2) / 2, 12);
    expect(at1.hitRate).toBe(0.5);
    expect(at1.mrr).toBe(0.5);
    expect(at2.precision).toBeCloseTo((1 / 2 + 1 / 2) / 2, 12);
    expect(at2.recall).toBeCloseTo((1 + 1 / 2) / 2, 12);
    expect(at2.ndcg).toBeCloseTo((inv(2) / inv(1) + 1 / (inv(1) + inv(2))) / 2, 12);
    expect(at2.map).toBeCloseTo((1 / 2 / 1 + 1 / 2) / 2, 12);
    expect(at2.mrr).toBeCloseTo((1 / 2 + 1) / 2, 12);
    // coverage: @1 items {0, 2} of 5; @2 items {0, 1, 2, 3}. The excluded user's list is not counted.
    expect(at1.coverage).toBeCloseTo(2 / 5, 12);
    expect(at2.coverage).toBeCloseTo(4 / 5, 12);
    // mean popularity @2 over slots 0,1,2,3: (10 + 20 + 30 + 40) / 4
    expect(at2.meanPopularity).toBeCloseTo(25, 12);
  });

  it('mean popularity is NaN without item popularity', () => {
    const acc = new TopNAccumulator([1], 2);
    acc.add([0], new Set([0]));
    expect(acc.result()[0].meanPopularity).toBeNaN();
  });
});

describe('ratingErrors', () => {
  it('hand-worked RMSE and MAE', () => {
    const e = ratingErrors([3, 4, 5], [2, 4, 3]);
    expect(e.rmse).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(e.mae).toBeCloseTo(1, 12);
    expect(e.n).toBe(3);
    expect(() => ratingErrors([1], [1, 2])).toThrow('1 predictions for 2 ratings');
  });
});
