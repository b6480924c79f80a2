import { describe, expect, it } from 'vitest';
import type { CustomerFeatures } from '../../src/lib/features/customers';
import { nameSegments, profileSegments } from '../../src/lib/features/profile';

function table(cols: Record<string, number[]>): CustomerFeatures {
  const keys = Object.keys(cols);
  const n = cols[keys[0]].length;
  const d = keys.length;
  const values = new Float64Array(n * d);
  keys.forEach((k, j) => cols[k].forEach((v, r) => (values[r * d + j] = v)));
  return { referenceTime: 0, customers: Uint32Array.from({ length: n }, (_, i) => i), features: keys.map((key) => ({ key, label: key, unit: 'count' as const, description: '' })), values, n, d };
}

describe('profileSegments', () => {
  it('computes sizes, revenue, means, medians and relative values by hand', () => {
    const f = table({ recency: [10, 20, 30, 300], frequency: [5, 7, 1, 1], monetary: [100, 300, 20, 20] });
    const p = profileSegments(f, Int32Array.from([0, 0, 1, 1]), 2);
    expect(p.map((s) => s.size)).toEqual([2, 2]);
    expect(p[0].share).toBe(0.5);
    expect(p[0].revenue).toBe(400);
    expect(p[0].revenueShare).toBeCloseTo(400 / 440, 12);
    expect(Array.from(p[0].mean)).toEqual([15, 6, 200]);
    expect(Array.from(p[1].median)).toEqual([165, 1, 20]);
    // frequency: mean 3.5, population SD √((2.25+12.25+6.25+6.25)/4) = √6.75; segment 0 mean 6.
    expect(p[0].relative[1]).toBeCloseTo(2.5 / Math.sqrt(6.75), 12);
    expect(() => profileSegments(f, Int32Array.from([0, 0, 2, 1]), 2)).toThrow(/label 2/);
  });
});

describe('profileSegments quantiles', () => {
  it('gives p10/p25/p75/p90 by linear interpolation (numpy default) and the all-customer median', () => {
    // Segment 0: a = 1..11 shuffled, h = 10q → p10 2, p25 3.5, median 6, p75 8.5, p90 10; b = 2a.
    // Segment 1: a = 10, 20, 30, 300, h = 3q → p10 10+0.3·10 = 13, p25 10+0.75·10 = 17.5,
    //   p75 30+0.25·270 = 97.5, p90 30+0.7·270 = 219; b constant 5. Segment 2 is empty.
    const a0 = [7, 1, 11, 3, 9, 5, 2, 10, 4, 8, 6];
    const f = table({ a: [...a0, 300, 10, 30, 20], b: [...a0.map((v) => 2 * v), 5, 5, 5, 5] });
    const labels = Int32Array.from([...a0.map(() => 0), 1, 1, 1, 1]);
    const p = profileSegments(f, labels, 3);
    expect(Array.from(p[0].p10!)).toEqual([2, 4]);
    expect(Array.from(p[0].p25!)).toEqual([3.5, 7]);
    expect(Array.from(p[0].median)).toEqual([6, 12]);
    expect(Array.from(p[0].p75!)).toEqual([8.5, 17]);
    expect(Array.from(p[0].p90!)).toEqual([10, 20]);
    expect(p[1].p10![0]).toBeCloseTo(13, 12);
    expect(p[1].p25![0]).toBeCloseTo(17.5, 12);
    expect(p[1].p75![0]).toBeCloseTo(97.5, 12);
    expect(p[1].p90![0]).toBeCloseTo(219, 12);
    expect([p[1].p10![1], p[1].p25![1], p[1].p75![1], p[1].p90![1]]).toEqual([5, 5, 5, 5]);
    expect(Number.isNaN(p[2].p25![0])).toBe(true);
    // All 15 customers: a sorted 1..10, 10, 11, 20, 30, 300 → 8th value 8; b sorted 2, 4, 5, 5, 5, 5, 6, 8 … → 8.
    expect(Array.from(p[0].allMedian!)).toEqual([8, 8]);
    expect(p[2].allMedian).toBe(p[0].allMedian);
  });
});

describe('nameSegments', () => {
  it('names profiles from recency, frequency and monetary and keeps names unique', () => {
    // Segments: 0 recent frequent big spenders, 1 silent long ago with low value, 2 silent but once valuable,
    // 3 average, 4 another average.
    const f = table({
      recency: [5, 6, 450, 470, 400, 410, 150, 170, 160, 180],
      frequency: [30, 28, 1, 1, 20, 22, 2, 3, 2, 3],
      monetary: [3000, 2800, 20, 25, 2000, 2100, 100, 120, 101, 119],
    });
    const labels = Int32Array.from([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    // Hand-computed relative values (SDs from the mean): segment 0 R −1.4 F +1.5 M +1.5; segment 1 R +1.3 F −0.9;
    // segment 2 R +0.98 F +0.85; segments 3 and 4 R ≈ −0.4, F ≈ −0.75, M ≈ −0.77.
    const names = nameSegments(profileSegments(f, labels, 5), f);
    expect(names).toEqual(['Champions', 'Hibernating', 'At risk', 'Occasional', 'Occasional 2']);
  });
});
