// Silhouette by segment (the Segments view's silhouette plot): grouping, sorting, downsampling and
// band means, against silhouette values worked out by hand for a tiny 1-D data set.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { clusterMatrix, silhouetteBySegment } from '../../src/lib/segment/run';
import { silhouetteScore } from '../../src/lib/eval/clustering';
import { makeJobContext } from '../../src/lib/compute/jobs';

// Rows (1-D): 10, 0, 30, 3, 12, 2 in segments 1, 0, 2, 0, 1, 0.
// Segment 0 = {0, 2, 3}, segment 1 = {10, 12}, segment 2 = {30} (a singleton: s = 0 by convention).
// s = (b − a) / max(a, b), a = mean distance within the own segment, b = nearest other segment's mean:
//   x=0:  a = (2+3)/2 = 2.5, b = (10+12)/2 = 11      → 8.5/11
//   x=2:  a = (2+1)/2 = 1.5, b = (8+10)/2 = 9        → 7.5/9
//   x=3:  a = (3+1)/2 = 2,   b = (7+9)/2 = 8         → 6/8
//   x=10: a = 2, b = (10+8+7)/3 = 25/3 (30 is 20 away) → (25/3 − 2)/(25/3) = 19/25
//   x=12: a = 2, b = (12+10+9)/3 = 31/3 (30 is 18 away) → 25/31
//   x=30: alone → 0
const X = new Float32Array([10, 0, 30, 3, 12, 2]);
const LABELS = new Int32Array([1, 0, 2, 0, 1, 0]);
const S_BY_ROW = [19 / 25, 8.5 / 11, 0, 6 / 8, 25 / 31, 7.5 / 9];
const SEG0_DESC = [7.5 / 9, 8.5 / 11, 6 / 8];
const SEG1_DESC = [25 / 31, 19 / 25];

describe('silhouetteBySegment', () => {
  it('groups rows by label, sorts each band descending and means per segment (all rows used)', () => {
    const bands = silhouetteBySegment(Float32Array.from(S_BY_ROW), null, LABELS, 3);
    expect(bands.map((b) => b.segment)).toEqual([0, 1, 2]);
    expect(bands.map((b) => b.count)).toEqual([3, 2, 1]);
    SEG0_DESC.forEach((v, i) => expect(bands[0].values[i]).toBeCloseTo(v, 6));
    SEG1_DESC.forEach((v, i) => expect(bands[1].values[i]).toBeCloseTo(v, 6));
    expect(Array.from(bands[2].values)).toEqual([0]);
    expect(bands[0].mean).toBeCloseTo((8.5 / 11 + 7.5 / 9 + 6 / 8) / 3, 6);
    expect(bands[1].mean).toBeCloseTo((19 / 25 + 25 / 31) / 2, 6);
    expect(bands[2].mean).toBe(0);
  });

  it('maps sampled values to their rows through sampleIndex; an unsampled segment is empty', () => {
    // Values for rows 1, 3, 4 only (segments 0, 0, 1); segment 2 (row 2) was not sampled.
    const bands = silhouetteBySegment(new Float32Array([0.5, 0.9, -0.1]), new Uint32Array([1, 3, 4]), LABELS, 3);
    expect(Array.from(bands[0].values)).toEqual([Math.fround(0.9), 0.5]);
    expect(bands[0].mean).toBeCloseTo(0.7, 6);
    expect(Array.from(bands[1].values)).toEqual([Math.fround(-0.1)]);
    expect(bands[2].count).toBe(0);
    expect(bands[2].values.length).toBe(0);
    expect(bands[2].mean).toBeNaN();
  });

  it('thins a large segment to 400 evenly spaced quantiles, keeping max, min, count and mean', () => {
    const n = 1001;
    // Values (n−1−r)/(n−1) for r = 0…1000 (i.e. 0, 0.001, …, 1), shuffled by a fixed stride.
    const perPoint = new Float32Array(n);
    for (let i = 0; i < n; i++) perPoint[i] = ((i * 337) % n) / (n - 1);
    const labels = new Int32Array(n);
    const [band] = silhouetteBySegment(perPoint, null, labels, 1);
    expect(band.count).toBe(n);
    expect(band.values.length).toBe(400);
    expect(band.mean).toBeCloseTo(0.5, 6); // mean of 0…1000 over 1000
    expect(band.values[0]).toBe(1);
    expect(band.values[399]).toBe(0);
    // Quantile j is rank round(j·1000/399) of the descending list, whose value is 1 − rank/1000.
    for (const j of [1, 100, 200, 398]) expect(band.values[j]).toBeCloseTo(1 - Math.round((j * 1000) / 399) / 1000, 6);
    for (let j = 1; j < 400; j++) expect(band.values[j]).toBeLessThan(band.values[j - 1]);
    // At exactly the limit nothing is dropped.
    const few = silhouetteBySegment(perPoint.subarray(0, 400), null, labels.subarray(0, 400), 1)[0];
    expect(few.values.length).toBe(400);
  });

  it('rejects mismatched lengths and labels outside 0..k−1', () => {
    expect(() => silhouetteBySegment(new Float32Array(2), null, LABELS, 3)).toThrow(RangeError);
    expect(() => silhouetteBySegment(Float32Array.from(S_BY_ROW), null, LABELS, 2)).toThrow(RangeError);
  });
});

describe('silhouette by segment from the real silhouette and k-means', () => {
  it('silhouetteScore on the hand-made data gives the hand-computed values, and the bands match them', async () => {
    await tf.setBackend('cpu');
    const sil = await silhouetteScore(tf, X, 6, 1, LABELS, 3);
    S_BY_ROW.forEach((v, i) => expect(sil.perPoint[i]).toBeCloseTo(v, 5));
    const bands = silhouetteBySegment(sil.perPoint, sil.sampleIndex, LABELS, 3);
    SEG0_DESC.forEach((v, i) => expect(bands[0].values[i]).toBeCloseTo(v, 5));
    // sklearn's overall score is the mean over points = the count-weighted mean of the band means.
    const weighted = bands.reduce((t, b) => t + b.mean * b.count, 0) / 6;
    expect(weighted).toBeCloseTo(S_BY_ROW.reduce((a, b) => a + b, 0) / 6, 5);
    expect(sil.score).toBeCloseTo(weighted, 5);
  });

  it('with sampling, each value lands in the segment of its sampled row', async () => {
    await tf.setBackend('cpu');
    // 40 rows: 20 near 0 (segment 0), 20 near 100 (segment 1); sample 10 of them.
    const x = new Float32Array(40);
    const labels = new Int32Array(40);
    for (let i = 0; i < 40; i++) {
      labels[i] = i % 2;
      x[i] = labels[i] * 100 + (i % 7);
    }
    const sil = await silhouetteScore(tf, x, 40, 1, labels, 2, { sampleSize: 10, seed: 3 });
    expect(sil.sampleIndex).not.toBeNull();
    const idx = sil.sampleIndex ?? new Uint32Array(0);
    const bands = silhouetteBySegment(sil.perPoint, idx, labels, 2);
    const expectCount = [0, 1].map((s) => Array.from(idx).filter((r) => labels[r] === s).length);
    expect(bands.map((b) => b.count)).toEqual(expectCount);
    expect(bands[0].count + bands[1].count).toBe(10);
  });

  it('clusterMatrix keeps the chosen fit’s per-point silhouette; grouped by its labels it gives the hand values', async () => {
    await tf.setBackend('cpu');
    const c = await clusterMatrix(tf, X, 6, 1, { k: 3, kMin: 3, kMax: 3, nInit: 5, maxIter: 100, seed: 0, silhouetteSample: 20_000 }, makeJobContext());
    expect(c.silhouettePerPoint).not.toBeNull();
    expect(c.silhouetteSampleIndex).toBeNull();
    const bands = silhouetteBySegment(c.silhouettePerPoint ?? new Float32Array(0), null, c.fit.labels, 3);
    // k-means numbers segments arbitrarily; find each planted group by one of its rows.
    const seg0 = bands[c.fit.labels[1]]; // row 1 is x = 0
    const seg1 = bands[c.fit.labels[0]]; // row 0 is x = 10
    const seg2 = bands[c.fit.labels[2]]; // row 2 is x = 30
    SEG0_DESC.forEach((v, i) => expect(seg0.values[i]).toBeCloseTo(v, 5));
    SEG1_DESC.forEach((v, i) => expect(seg1.values[i]).toBeCloseTo(v, 5));
    expect(Array.from(seg2.values)).toEqual([0]);
  });
});
