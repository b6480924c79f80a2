// Histogram bins, table sort order and the virtualised table's row window, checked against
// hand-worked cases (the arithmetic of each is in the comments).
import { describe, expect, it } from 'vitest';
import {
  column,
  decimalsOf,
  histogramBins,
  logEdges,
  niceStep,
  quantileSorted,
  rowWindow,
  sortOrder,
} from '../../src/views/segments/binning';

const labels = (h: ReturnType<typeof histogramBins>) => h.bins.map((b) => b.label);
const counts = (h: ReturnType<typeof histogramBins>) => h.bins.map((b) => b.count);

describe('quantileSorted', () => {
  it('interpolates like numpy (type 7)', () => {
    // h = 4 · 0.99 = 3.96 → 1.5 + 0.96 · 0.5 = 1.98
    expect(quantileSorted([0, 0.5, 1, 1.5, 2], 0.99)).toBeCloseTo(1.98, 12);
    expect(quantileSorted([0, 0.5, 1, 1.5, 2], 0.25)).toBe(0.5);
    expect(quantileSorted([7], 0.5)).toBe(7);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
});

describe('niceStep and decimalsOf', () => {
  it('rounds up to 1-2-2.5-5 × 10^k (whole numbers: 1-2-5, at least 1)', () => {
    expect(niceStep(0.396, false)).toBe(0.5);
    expect(niceStep(19.6, true)).toBe(20);
    expect(niceStep(21, false)).toBe(25);
    expect(niceStep(21, true)).toBe(50);
    expect(niceStep(0.3, true)).toBe(1);
    expect(niceStep(0.2, false)).toBeCloseTo(0.2, 15);
    expect(niceStep(100, false)).toBe(100);
  });
  it('counts the decimals a number needs', () => {
    expect(decimalsOf(0.25)).toBe(2);
    expect(decimalsOf(20)).toBe(0);
    expect(decimalsOf(0.1 + 0.2)).toBe(1);
  });
});

describe('logEdges', () => {
  it('steps 1-2-5 per decade from the largest edge ≤ min', () => {
    expect(logEdges(3, 238, false)).toEqual([2, 5, 10, 20, 50, 100, 200, 500]);
    expect(logEdges(0.3, 4, true)).toEqual([0.2, 0.5, 1, 2, 5]);
    // Closed: stops at the first edge ≥ top.
    expect(logEdges(1, 100, true)).toEqual([1, 2, 5, 10, 20, 50, 100]);
  });
});

describe('histogramBins', () => {
  it('0…99 days: Freedman–Diaconis clamped to 5 bins of 20', () => {
    // n 100, IQR 74.25 − 24.75 = 49.5, FD 2·49.5/∛100 = 21.3; p99 = 98.01, so at most
    // 98.01/5 = 19.6 → nice whole step 20. Edges 0…100 (100 > p99); max 99 < 100: no overflow.
    const h = histogramBins(Array.from({ length: 100 }, (_, i) => i), 'days');
    expect(h.integer).toBe(true);
    expect(h.scale).toBe('linear');
    expect(labels(h)).toEqual(['0–19', '20–39', '40–59', '60–79', '80–99']);
    expect(counts(h)).toEqual([20, 20, 20, 20, 20]);
    expect(h.overflowFrom).toBeNull();
    expect(h.p99).toBeCloseTo(98.01, 10);
  });

  it('a ratio with an overflow bin above the 99th percentile', () => {
    // p99 1.98, IQR 1, FD 2/∛5 = 1.17 clamped to 1.98/5 = 0.396 → step 0.5; edges 0…2.0
    // (first edge above 1.98), so the maximum 2 lands in "≥ 2.0".
    const h = histogramBins([0, 0.5, 1, 1.5, 2], 'ratio');
    expect(labels(h)).toEqual(['0.0–0.5', '0.5–1.0', '1.0–1.5', '1.5–2.0', '≥ 2.0']);
    expect(counts(h)).toEqual([1, 1, 1, 1, 1]);
    expect(h.overflowFrom).toBe(2);
  });

  it('shares that reach 100 % close the last bin instead of overflowing', () => {
    // 50 zeros and 50 ones: p99 = max = 1; IQR 1, FD 2/∛100 = 0.43 clamped to 1/5 → 0.2.
    const h = histogramBins([...Array(50).fill(0), ...Array(50).fill(1)], 'share');
    expect(labels(h)).toEqual(['0–20 %', '20–40 %', '40–60 %', '60–80 %', '80–100 %']);
    expect(counts(h)).toEqual([50, 0, 0, 0, 50]);
    expect(h.overflowFrom).toBeNull();
  });

  it('money spanning more than two decades gets 1-2-5 log bins', () => {
    // p99: h = 9 · 0.99 = 8.91 → 2000 + 0.91 · 3000 = 4730; 4730 / 1 > 100 → log.
    const h = histogramBins([1, 3, 7, 20, 60, 150, 400, 900, 2000, 5000], 'money');
    expect(h.scale).toBe('log');
    expect(labels(h)).toEqual([
      '1–2', '2–5', '5–10', '10–20', '20–50', '50–100', '100–200', '200–500', '500–1K', '1K–2K', '2K–5K', '≥ 5K',
    ]);
    expect(counts(h)).toEqual([1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1]);
  });

  it('whole counts on log bins name whole ranges', () => {
    // p99: h = 5 · 0.99 = 4.95 → 10 + 0.95 · 240 = 238 → edges 1 … 500; max 250 < 500: no overflow.
    const h = histogramBins([1, 1, 2, 3, 10, 250], 'count');
    expect(h.scale).toBe('log');
    expect(labels(h)).toEqual(['1', '2–4', '5–9', '10–19', '20–49', '50–99', '100–199', '200–499']);
    expect(counts(h)).toEqual([2, 2, 0, 1, 0, 0, 0, 1]);
  });

  it('a few zero spenders get a "≤ 0" bin in front of the log bins', () => {
    // 20 values, one ≤ 0 (5 %): p99 = max = 1000 (closed last bin); 1000 / 1 > 100 → log.
    const values = [0, ...Array(5).fill(1), ...Array(5).fill(10), ...Array(5).fill(100), ...Array(4).fill(1000)];
    const h = histogramBins(values, 'money');
    expect(h.scale).toBe('log');
    expect(labels(h)).toEqual(['≤ 0', '1–2', '2–5', '5–10', '10–20', '20–50', '50–100', '100–200', '200–500', '500–1K']);
    expect(counts(h)).toEqual([1, 5, 0, 0, 5, 0, 0, 5, 0, 4]);
    expect(h.underflow).toBe(1);
  });

  it('whole counts from 1 start their bins at 1', () => {
    // 1…10: p99 9.91, IQR 7.75 − 3.25 = 4.5, FD 9/∛10 = 4.18 clamped to 8.91/5 = 1.78 → step 2.
    const h = histogramBins(Array.from({ length: 10 }, (_, i) => i + 1), 'count');
    expect(labels(h)).toEqual(['1–2', '3–4', '5–6', '7–8', '9–10']);
    expect(counts(h)).toEqual([2, 2, 2, 2, 2]);
  });

  it('money with refunds (negative) stays linear', () => {
    // p99 = 98.5, IQR 62.5, FD 125/∛4 = 78.7 clamped to 148.5/5 = 29.7 → 50; edges −50 … 100.
    const h = histogramBins([-50, 0, 50, 100], 'money');
    expect(h.scale).toBe('linear');
    expect(labels(h)).toEqual(['-50–0', '0–50', '50–100', '≥ 100']);
    expect(counts(h)).toEqual([1, 1, 1, 1]);
  });

  it('one repeated value is one bin; no finite value is no bin', () => {
    const h = histogramBins([3, 3, 3], 'count');
    expect(labels(h)).toEqual(['3']);
    expect(counts(h)).toEqual([3]);
    expect(histogramBins([NaN, Infinity], 'money').bins).toEqual([]);
  });

  it('counts every value exactly once on 100k skewed values', () => {
    let seed = 1;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const values = Float64Array.from({ length: 100_000 }, () => Math.round(10 * Math.exp(4 * rnd())) / 10);
    const h = histogramBins(values, 'money');
    expect(h.bins.reduce((s, b) => s + b.count, 0)).toBe(100_000);
    expect(h.bins.length).toBeLessThanOrEqual(31);
    // Edges touch: each bin starts where the previous ended.
    for (let i = 1; i < h.bins.length; i++) expect(h.bins[i].lo).toBe(h.bins[i - 1].hi);
  });
});

describe('column and sortOrder', () => {
  it('reads a column of a row-major matrix', () => {
    expect(Array.from(column(Float64Array.from([1, 2, 3, 4, 5, 6]), 3, 2, 1))).toEqual([2, 4, 6]);
  });
  it('sorts numbers both ways, ties in row order', () => {
    const keys = Float64Array.from([3, 1, 2, 1]);
    expect(Array.from(sortOrder(keys, 'ascending'))).toEqual([1, 3, 2, 0]);
    expect(Array.from(sortOrder(keys, 'descending'))).toEqual([0, 2, 1, 3]);
  });
  it('sorts ids by code point', () => {
    expect(Array.from(sortOrder(['b', 'B', 'a10', 'a9'], 'ascending'))).toEqual([1, 2, 3, 0]);
    expect(Array.from(sortOrder(['b', 'B', 'a10', 'a9'], 'descending'))).toEqual([0, 3, 2, 1]);
  });
  it('sorts 100k rows quickly into a true order', () => {
    const n = 100_000;
    const keys = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 1000);
    const t0 = performance.now();
    const order = sortOrder(keys, 'descending');
    const ms = performance.now() - t0;
    expect(new Set(order).size).toBe(n);
    let outOfOrder = 0;
    for (let i = 1; i < n; i++) if (keys[order[i - 1]] < keys[order[i]]) outOfOrder++;
    expect(outOfOrder).toBe(0);
    expect(ms).toBeLessThan(1000);
    console.log(`sortOrder: 100k rows in ${ms.toFixed(0)} ms`);
  });
});

describe('rowWindow (virtualised table of 100k rows)', () => {
  const N = 100_000;
  const RH = 28;
  const VIEW = 560; // 20 rows in view
  it('at the top renders the rows in view plus the overscan below', () => {
    expect(rowWindow(0, VIEW, RH, N, 5)).toEqual({ start: 0, end: 25, padTop: 0, padBottom: (N - 25) * RH });
  });
  it('in the middle renders 20 + 2 · 5 rows', () => {
    const w = rowWindow(50_000 * RH, VIEW, RH, N, 5);
    expect(w).toEqual({ start: 49_995, end: 50_025, padTop: 49_995 * RH, padBottom: 49_975 * RH });
  });
  it('at the bottom ends at the last row and spacers plus rows always add up to all rows', () => {
    const w = rowWindow(N * RH - VIEW, VIEW, RH, N, 5);
    expect(w.start).toBe(99_975);
    expect(w.end).toBe(N);
    expect(w.padBottom).toBe(0);
    for (const top of [0, 1234, 777_777, N * RH - VIEW, N * RH + 5000, -40]) {
      const x = rowWindow(top, VIEW, RH, N, 5);
      expect(x.padTop + (x.end - x.start) * RH + x.padBottom).toBe(N * RH);
      expect(x.end - x.start).toBeLessThanOrEqual(31);
    }
  });
  it('a table shorter than the view renders every row', () => {
    expect(rowWindow(0, VIEW, RH, 3, 5)).toEqual({ start: 0, end: 3, padTop: 0, padBottom: 0 });
    expect(rowWindow(0, VIEW, RH, 0, 5)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
  });
});
