import { describe, expect, it } from 'vitest';
import type { CustomerFeatures } from '../../src/lib/features/customers';
import { RFM_GRID, RFM_GROUPS, quintileScores, ranks, rfmScores, rfmSummary } from '../../src/lib/features/rfm';

function table(cols: Record<string, number[]>): CustomerFeatures {
  const keys = Object.keys(cols);
  const n = cols[keys[0]].length;
  const d = keys.length;
  const values = new Float64Array(n * d);
  keys.forEach((k, j) => cols[k].forEach((v, r) => (values[r * d + j] = v)));
  return { referenceTime: 0, customers: Uint32Array.from({ length: n }, (_, i) => i), features: keys.map((key) => ({ key, label: key, unit: 'count' as const, description: '' })), values, n, d };
}

describe('quintile scores', () => {
  it('split 10 distinct values two per score (pd.qcut(rank, 5) gives 1,1,2,2,…,5,5)', () => {
    expect(Array.from(quintileScores([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    // Order does not matter, only rank.
    expect(Array.from(quintileScores([100, 10, 55]))).toEqual([5, 1, 3]);
  });

  it("'first' breaks ties by row order like rank(method='first'); 'average' gives equal values one score", () => {
    const x = [1, 1, 1, 1, 1, 1, 2, 3, 4, 5];
    // first: ranks 1..10 → 1,1,2,2,3,3,4,4,5,5 (pandas: pd.qcut(pd.Series(x).rank(method='first'), 5, labels=[1,2,3,4,5])).
    expect(Array.from(quintileScores(x, 'first'))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    // average: the six 1s share rank 3.5 → edges 1, 2.8, 4.6, 6.4, 8.2, 10 → score 2; ranks 7..10 → 4,4,5,5.
    expect(Array.from(ranks(x, 'average')).slice(0, 6)).toEqual([3.5, 3.5, 3.5, 3.5, 3.5, 3.5]);
    expect(Array.from(quintileScores(x, 'average'))).toEqual([2, 2, 2, 2, 2, 2, 4, 4, 5, 5]);
  });
});

describe('rfmScores', () => {
  it('gives the most recent 5 and maps the R × F grid to named groups', () => {
    const f = table({
      recency: [1, 2, 300, 400, 10, 500, 20, 250, 5, 350],
      frequency: [20, 1, 15, 1, 8, 2, 3, 9, 12, 4],
      monetary: [900, 10, 700, 5, 300, 20, 40, 400, 600, 50],
    });
    const s = rfmScores(f);
    // Recency ranks (ascending days): 1→1, 2→2, 5→3, 10→4, 20→5, 250→6, 300→7, 350→8, 400→9, 500→10; R = 6 − quintile.
    expect(Array.from(s.r)).toEqual([5, 5, 2, 1, 4, 1, 3, 3, 4, 2]);
    expect(Array.from(s.f)).toEqual([5, 1, 5, 1, 3, 2, 2, 4, 4, 3]);
    // Monetary ranks: 5→1, 10→2, 20→3, 40→4, 50→5, 300→6, 400→7, 600→8, 700→9, 900→10.
    expect(Array.from(s.m)).toEqual([5, 1, 5, 1, 3, 2, 2, 4, 4, 3]);
    const names = Array.from(s.group, (g) => s.groups[g]);
    expect(names).toEqual([
      'Champions', // R5 F5
      'New', // R5 F1
      "Can't lose them", // R2 F5
      'Lost', // R1 F1
      'Potential loyalists', // R4 F3
      'Hibernating', // R1 F2
      'About to sleep', // R3 F2
      'Loyal', // R3 F4
      'Loyal', // R4 F4
      'At risk', // R2 F3
    ]);
    const sum = rfmSummary(s, f);
    expect(sum.map((g) => g.name)).toEqual([...RFM_GROUPS]);
    const loyal = sum.find((g) => g.name === 'Loyal');
    expect(loyal?.customers).toBe(2);
    expect(loyal?.share).toBe(0.2);
    expect(loyal?.revenue).toBe(1000);
    expect(loyal?.revenueShare).toBeCloseTo(1000 / 3025, 12);
    expect(sum.reduce((a, g) => a + g.customers, 0)).toBe(10);
  });

  it('covers every R × F cell with a group', () => {
    expect(RFM_GRID.length).toBe(5);
    for (const row of RFM_GRID) {
      expect(row.length).toBe(5);
      for (const g of row) expect(RFM_GROUPS[g]).toBeDefined();
    }
  });

  it('needs recency and frequency', () => {
    expect(() => rfmScores(table({ frequency: [1, 2] }))).toThrow(/recency/);
  });
});
