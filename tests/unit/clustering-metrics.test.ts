// Clustering metrics against scikit-learn 1.2 (tests/fixtures/sklearn/kmeans-fixtures.json) and
// hand-worked cases; silhouette runs on both Node backends (cpu and wasm).
import { readFileSync } from 'node:fs';
import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { adjustedRandIndex, daviesBouldin, silhouetteScore, suggestK } from '../../src/lib/eval/clustering';

interface Case {
  name: string;
  n: number;
  d: number;
  k: number;
  x: number[];
  trueLabels: number[];
  lloyd: { labels: number[] };
  silhouetteLloyd: number;
  silhouetteTrue: number;
  daviesBouldinLloyd: number;
  daviesBouldinTrue: number;
  ariTrueVsLloyd: number;
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/sklearn/kmeans-fixtures.json', import.meta.url), 'utf8')) as {
  cases: Case[];
  ari: { a: number[]; b: number[]; ari: number };
};

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`silhouetteScore on ${backend}`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
    });

    it('hand-worked 1-D case', async () => {
      // 0, 1 | 10, 11. Point 0: a = 1, b = (10 + 11)/2 = 10.5 → 9.5/10.5 = 19/21; point 1: a = 1,
      // b = 9.5 → 17/19; points 2 and 3 mirror 1 and 0. Mean = (19/21 + 17/19) / 2.
      const r = await silhouetteScore(tf, new Float32Array([0, 1, 10, 11]), 4, 1, new Int32Array([0, 0, 1, 1]), 2);
      expect(r.score).toBeCloseTo((19 / 21 + 17 / 19) / 2, 6);
      expect(Array.from(r.perPoint)).toEqual([19 / 21, 17 / 19, 17 / 19, 19 / 21].map(Math.fround));
      expect(r.sampled).toBeNull();
      expect(r.sampleIndex).toBeNull();
    });

    it('a point alone in its cluster scores 0 (sklearn convention)', async () => {
      // 0, 1 | 10: point 2 is alone → 0. Point 0: a 1, b 10 → 0.9; point 1: a 1, b 9 → 8/9.
      const r = await silhouetteScore(tf, new Float32Array([0, 1, 10]), 3, 1, new Int32Array([0, 0, 1]), 2);
      expect(r.perPoint[2]).toBe(0);
      expect(r.score).toBeCloseTo((0.9 + 8 / 9) / 3, 6);
    });

    for (const c of fx.cases) {
      it(`${c.name}: matches sklearn within 1e-4 (k-means labels and true labels)`, async () => {
        const x = Float32Array.from(c.x);
        const a = await silhouetteScore(tf, x, c.n, c.d, Int32Array.from(c.lloyd.labels), c.k);
        expect(Math.abs(a.score - c.silhouetteLloyd)).toBeLessThan(1e-4);
        const b = await silhouetteScore(tf, x, c.n, c.d, Int32Array.from(c.trueLabels), c.k, { blockRows: 97 });
        expect(Math.abs(b.score - c.silhouetteTrue)).toBeLessThan(1e-4);
      });
    }

    it('samples above sampleSize with a seed, and stays near the exact score', async () => {
      const c = fx.cases[3];
      const x = Float32Array.from(c.x);
      const labels = Int32Array.from(c.lloyd.labels);
      const r1 = await silhouetteScore(tf, x, c.n, c.d, labels, c.k, { sampleSize: 800, seed: 9 });
      const r2 = await silhouetteScore(tf, x, c.n, c.d, labels, c.k, { sampleSize: 800, seed: 9 });
      expect(r1.sampled).toBe(800);
      expect(r1.perPoint).toHaveLength(800);
      expect(new Set(r1.sampleIndex).size).toBe(800);
      expect(Array.from(r2.sampleIndex ?? [])).toEqual(Array.from(r1.sampleIndex ?? []));
      expect(r2.score).toBe(r1.score);
      expect(Math.abs(r1.score - c.silhouetteLloyd)).toBeLessThan(0.03);
    });

    it('leaves no tensors behind; honours cancel', async () => {
      const c = fx.cases[0];
      const before = tf.memory().numTensors;
      await silhouetteScore(tf, Float32Array.from(c.x), c.n, c.d, Int32Array.from(c.trueLabels), c.k, { blockRows: 50 });
      const ac = new AbortController();
      ac.abort();
      await expect(silhouetteScore(tf, Float32Array.from(c.x), c.n, c.d, Int32Array.from(c.trueLabels), c.k, { signal: ac.signal })).rejects.toThrow('job cancelled');
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}

describe('daviesBouldin', () => {
  it('hand-worked case', () => {
    // 0, 2 | 10, 12: centroids 1 and 11, S = 1 and 1, M = 10 → R = 0.2 for both → DB 0.2.
    expect(daviesBouldin([0, 2, 10, 12], 4, 1, [0, 0, 1, 1], 2)).toBeCloseTo(0.2, 12);
  });
  for (const c of fx.cases) {
    it(`${c.name}: matches sklearn within 1e-6`, () => {
      expect(Math.abs(daviesBouldin(c.x, c.n, c.d, c.lloyd.labels, c.k) - c.daviesBouldinLloyd)).toBeLessThan(1e-6);
      expect(Math.abs(daviesBouldin(c.x, c.n, c.d, c.trueLabels, c.k) - c.daviesBouldinTrue)).toBeLessThan(1e-6);
    });
  }
  it('rejects a single cluster', () => {
    expect(() => daviesBouldin([0, 1, 2], 3, 1, [0, 0, 0], 2)).toThrow('needs 2 ≤ clusters ≤ n−1, got 1');
  });
});

describe('adjustedRandIndex', () => {
  it('hand-worked: 1 for a relabelled partition, 0 at chance agreement', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2], [5, 5, 3, 3, 9])).toBe(1);
    // Pairs: same in a {01, 23}, same in b {01, 02, 12}, both {01}: expected 2·3/6 = 1 = index → 0.
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 0, 1])).toBe(0);
  });
  it('matches sklearn on fixed labelings', () => {
    expect(adjustedRandIndex(fx.ari.a, fx.ari.b)).toBeCloseTo(fx.ari.ari, 12);
    for (const c of fx.cases) expect(adjustedRandIndex(c.trueLabels, c.lloyd.labels)).toBeCloseTo(c.ariTrueVsLloyd, 12);
  });
});

describe('suggestK', () => {
  it('takes the highest silhouette, breaking near-ties by Davies–Bouldin', () => {
    const sweep = [
      { k: 2, inertia: 900, silhouette: 0.41, daviesBouldin: 0.9 },
      { k: 3, inertia: 500, silhouette: 0.55, daviesBouldin: 0.7 },
      { k: 4, inertia: 420, silhouette: 0.54, daviesBouldin: 0.6 },
      { k: 5, inertia: 380, silhouette: 0.4, daviesBouldin: 1.1 },
    ];
    expect(suggestK(sweep).k).toBe(4);
    expect(suggestK(sweep.filter((r) => r.k !== 4))).toEqual({ k: 3, reason: expect.stringContaining('highest silhouette (0.550)') });
    expect(() => suggestK([])).toThrow('suggestK: needs at least one result');
  });
});
