import { describe, expect, it } from 'vitest';
import type { CustomerFeatures } from '../../src/lib/features/customers';
import { prepare, skewness, suggestPrep, unscale } from '../../src/lib/features/prepare';

/** A features table from columns (hand-made). */
function table(cols: Record<string, number[]>): CustomerFeatures {
  const keys = Object.keys(cols);
  const n = cols[keys[0]].length;
  const d = keys.length;
  const values = new Float64Array(n * d);
  keys.forEach((k, j) => cols[k].forEach((v, r) => (values[r * d + j] = v)));
  return {
    referenceTime: 0,
    customers: Uint32Array.from({ length: n }, (_, i) => i),
    features: keys.map((key) => ({ key, label: key, unit: 'count' as const, description: '' })),
    values,
    n,
    d,
  };
}

describe('skewness', () => {
  it('is the population Fisher–Pearson g1', () => {
    // [1,2,3,10]: mean 4, deviations −3,−2,−1,6 → m2 = 50/4, m3 = (−27−8−1+216)/4 = 45 → g1 = 45 / 12.5^1.5.
    expect(skewness([1, 2, 3, 10])).toBeCloseTo(45 / Math.pow(12.5, 1.5), 12);
    expect(skewness([1, 2, 3])).toBe(0);
    expect(skewness([5, 5, 5])).toBe(0);
  });
});

describe('prepare', () => {
  const f = table({ recency: [1, 2, 3, 4], frequency: [1, 1, 1, 1], monetary: [0, 9, 99, 999] });

  it('z-scores with the population SD (ddof 0, like StandardScaler) and keeps constant columns at scale 1', () => {
    const p = prepare(f, { features: ['recency', 'frequency'], log1p: [], scaling: 'zscore', clip: null });
    // recency: mean 2.5, population SD √1.25.
    const sd = Math.sqrt(1.25);
    expect(p.center[0]).toBe(2.5);
    expect(p.scale[0]).toBeCloseTo(sd, 14);
    expect(p.matrix[0]).toBeCloseTo(-1.5 / sd, 6);
    expect(p.matrix[3 * 2]).toBeCloseTo(1.5 / sd, 6);
    expect(p.scale[1]).toBe(1);
    expect(p.matrix[1]).toBe(0);
  });

  it('log1p then robust-scales by median and IQR (numpy linear percentiles)', () => {
    const p = prepare(f, { features: ['monetary'], log1p: ['monetary'], scaling: 'robust', clip: null });
    // log1p → ln 1, ln 10, ln 100, ln 1000 = 0, L, 2L, 3L with L = ln 10; median 1.5L; Q1 0.75L, Q3 2.25L → IQR 1.5L.
    const L = Math.log(10);
    expect(p.center[0]).toBeCloseTo(1.5 * L, 12);
    expect(p.scale[0]).toBeCloseTo(1.5 * L, 12);
    [-1, -1 / 3, 1 / 3, 1].forEach((v, r) => expect(p.matrix[r]).toBeCloseTo(v, 6));
  });

  it('clips scaled values and unscale inverts scaling and log1p', () => {
    const p = prepare(f, { features: ['monetary', 'recency'], log1p: ['monetary'], scaling: 'zscore', clip: 1 });
    expect(Math.max(...p.matrix)).toBeLessThanOrEqual(1);
    expect(Math.min(...p.matrix)).toBeGreaterThanOrEqual(-1);
    const noClip = prepare(f, { features: ['monetary', 'recency'], log1p: ['monetary'], scaling: 'zscore', clip: null });
    const back = unscale(noClip, noClip.matrix.subarray(2, 4));
    expect(back[0]).toBeCloseTo(9, 4);
    expect(back[1]).toBeCloseTo(2, 5);
  });

  it('rejects an unknown feature by name', () => {
    expect(() => prepare(f, { features: ['recency', 'spend'], log1p: [], scaling: 'none', clip: null })).toThrow(/"spend"/);
    expect(() => prepare(f, { features: ['recency'], log1p: ['monetary'], scaling: 'none', clip: null })).toThrow(/log1p.*"monetary"/);
  });

  it('suggests log1p only for non-negative columns with skewness > 1', () => {
    const g = table({
      recency: [1, 2, 3, 4, 5, 6],
      frequency: [1, 1, 1, 1, 2, 30],
      monetary: [-50, 1, 1, 1, 2, 300],
      aov: [3, 3, 4, 4, 5, 5],
      distinctItems: [1, 2, 3, 4, 5, 6],
    });
    expect(skewness([1, 1, 1, 1, 2, 30])).toBeGreaterThan(1);
    const s = suggestPrep(g);
    expect(s.features).toEqual(['recency', 'frequency', 'monetary', 'aov']);
    expect(s.log1p).toEqual(['frequency']);
    expect(s.scaling).toBe('zscore');
    expect(s.clip).toBeNull();
  });
});
