// Brushing the segments scatter: rectangle selection in data units, the selection's summary against
// all customers, its CSV, and the studio's automatic Lloyd / mini-batch choice. Hand-worked cases.
import { describe, expect, it } from 'vitest';
import { isDrag, pointsInRect, rectFrom } from '../../src/charts/brush';
import { selectionCsv, summarizeSelection } from '../../src/views/segments/selection';
import { chooseAlgorithm, MINIBATCH_THRESHOLD } from '../../src/lib/segment/run';
import type { FeatureInfo } from '../../src/lib/features/customers';

describe('brush rectangles', () => {
  it('orders the corners whichever way the drag went', () => {
    expect(rectFrom(3, -1, -2, 4)).toEqual({ x0: -2, x1: 3, y0: -1, y1: 4 });
  });

  it('selects the points inside, edges included, skipping non-finite ones', () => {
    //          0       1      2      3(edge) 4(NaN)  5(outside y)
    const xs = [0.5, 2, 1, 1, NaN, 0.5];
    const ys = [0.5, 0.5, 1, 0, 0.5, 1.5];
    expect(Array.from(pointsInRect(xs, ys, rectFrom(0, 0, 1, 1)))).toEqual([0, 2, 3]);
    expect(pointsInRect(xs, ys, rectFrom(5, 5, 6, 6))).toHaveLength(0);
  });

  it('tells a drag from a click', () => {
    expect(isDrag(10, 10, 12, 11)).toBe(false);
    expect(isDrag(10, 10, 10, 15)).toBe(true);
  });
});

describe('selection summary and CSV', () => {
  // 5 customers, 2 features, 3 segments. Labels 0 1 1 2 0.
  const labels = Int32Array.from([0, 1, 1, 2, 0]);
  const values = Float64Array.from([10, 1, 20, 2, 30, 3, 40, NaN, 50, 5]);

  it('counts the segment mix and means of the selection and of everyone', () => {
    const s = summarizeSelection([1, 3, 4], labels, 3, values, 2);
    expect(s.count).toBe(3);
    expect(s.total).toBe(5);
    expect(s.mix).toEqual([1, 1, 1]);
    expect(s.allMix).toEqual([2, 2, 1]);
    // Feature 0: (20 + 40 + 50) / 3; feature 1: the NaN is left out, (2 + 5) / 2.
    expect(Array.from(s.mean ?? [])).toEqual([110 / 3, 3.5]);
    // All: (10+20+30+40+50)/5 = 30; (1+2+3+5)/4 = 2.75.
    expect(Array.from(s.allMean ?? [])).toEqual([30, 2.75]);
  });

  it('works without feature values, and rejects rows outside the run', () => {
    const s = summarizeSelection([], labels, 3, null, 2);
    expect(s).toMatchObject({ count: 0, mix: [0, 0, 0], allMix: [2, 2, 1], mean: null, allMean: null });
    expect(() => summarizeSelection([5], labels, 3, null, 2)).toThrow('row 5 is outside 0..4');
  });

  it('writes the selection as formula-safe CSV with 1-based segments', () => {
    const features: FeatureInfo[] = [
      { key: 'monetary', label: 'Spend', unit: 'money', description: '' },
      { key: 'frequency', label: 'Orders', unit: 'count', description: '' },
    ];
    const ids = ['c1', '=HYPERLINK("x")', 'c3', 'c,4', 'c5'];
    const csv = selectionCsv([1, 3], ids, labels, ['Champions', '@risk', 'Lost'], features, values);
    expect(csv).toBe(
      'customer_id,segment,segment_name,monetary,frequency\r\n' +
        `"'=HYPERLINK(""x"")",2,'@risk,20,2\r\n` +
        '"c,4",3,Lost,40,\r\n',
    );
  });
});

describe('Lloyd or mini-batch for the studio', () => {
  it('switches to mini-batch above the threshold, and obeys a manual choice', () => {
    expect(MINIBATCH_THRESHOLD).toBe(200_000);
    expect(chooseAlgorithm(200_000).algorithm).toBe('lloyd');
    const big = chooseAlgorithm(200_001);
    expect(big).toMatchObject({ algorithm: 'minibatch', batchSize: 4096 });
    expect(big.reason).toContain('200,001 customers is more than 200,000');
    expect(chooseAlgorithm(1_000_000, 'lloyd')).toMatchObject({ algorithm: 'lloyd', batchSize: null });
    expect(chooseAlgorithm(500, 'minibatch', MINIBATCH_THRESHOLD, 256)).toMatchObject({ algorithm: 'minibatch', batchSize: 256 });
  });
});
