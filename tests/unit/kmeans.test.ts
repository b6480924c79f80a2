// KMeans against scikit-learn 1.2 reference runs (tests/fixtures/sklearn/kmeans-fixtures.json, made by
// make_kmeans_fixtures.py) and hand-worked cases, on both Node backends (cpu and wasm).
import { readFileSync } from 'node:fs';
import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { KMeans, lloydStep, predict, type KMeansProgress } from '../../src/lib/ml/kmeans';
import { isJobCancelled } from '../../src/lib/compute/jobs';

interface Case {
  name: string;
  n: number;
  d: number;
  k: number;
  x: number[];
  trueLabels: number[];
  init: number[];
  lloyd: { labels: number[]; inertia: number; nIter: number; centers: number[] };
  nInit10Inertia: number;
}
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/sklearn/kmeans-fixtures.json', import.meta.url), 'utf8')) as { cases: Case[] };

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('KMeans options', () => {
  it('names the bad value', () => {
    expect(() => new KMeans({ k: 0 })).toThrow('k must be an integer in 1..100000, got 0');
    expect(() => new KMeans({ k: 3, tol: -1 })).toThrow('tol must be a finite number ≥ 0, got -1');
    expect(() => new KMeans({ k: 3, nInit: 2.5 })).toThrow('nInit must be an integer in 1..1000, got 2.5');
    expect(() => new KMeans({ k: 3, init: new Float32Array(4) })).toThrow('init has 4 values, not a multiple of k=3');
    expect(() => new KMeans({ k: 2, algorithm: 'elkan' as 'lloyd' })).toThrow("algorithm must be 'lloyd' or 'minibatch', got elkan");
  });

  it('rejects data of the wrong size or fewer points than k', async () => {
    await tf.setBackend('cpu');
    await expect(new KMeans({ k: 2 }).fit(tf, new Float32Array(5), 3, 2)).rejects.toThrow('x has 5 values, expected n×d = 3×2');
    await expect(new KMeans({ k: 4 }).fit(tf, new Float32Array(6), 3, 2)).rejects.toThrow('n=3 points is fewer than k=4 clusters');
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`k-means on ${backend}`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      await tf.ready();
    });

    it('lloydStep: hand-worked 1-D step', async () => {
      // x = 0, 1, 10, 11; centres 0 and 10 → labels 0 0 1 1; means 0.5 and 10.5;
      // inertia vs the old centres 0 + 1 + 0 + 1 = 2; shift 0.25 + 0.25 = 0.5.
      const r = await lloydStep(tf, new Float32Array([0, 1, 10, 11]), 4, 1, new Float32Array([0, 10]), 2);
      expect(Array.from(r.labels)).toEqual([0, 0, 1, 1]);
      expect(Array.from(r.newCenters)).toEqual([0.5, 10.5]);
      expect(r.inertia).toBe(2);
      expect(r.shift).toBe(0.5);
    });

    it('repairs empty clusters like sklearn (farthest points first)', async () => {
      // All of 0, 1, 2, 10 are nearest centre 0. Distances to it: 0, 1, 4, 100. Empty cluster 1 takes
      // the farthest point (10), empty cluster 2 the next (2); cluster 0 keeps 0 and 1 → 0.5.
      const r = await lloydStep(tf, new Float32Array([0, 1, 2, 10]), 4, 1, new Float32Array([0, 100, 200]), 3);
      expect(Array.from(r.labels)).toEqual([0, 0, 0, 0]);
      expect(Array.from(r.newCenters)).toEqual([0.5, 10, 2]);
    });

    it('predict: nearest centre and squared distance', async () => {
      // (0,0) → c0 at distance² 0; (3,4) → c1 (3,3) at 1; (9,9) → c1 at 36+36 = 72.
      const r = await predict(tf, new Float32Array([0, 0, 3, 4, 9, 9]), 3, 2, new Float32Array([0, 0, 3, 3]), 2);
      expect(Array.from(r.labels)).toEqual([0, 1, 1]);
      expect(Array.from(r.distances)).toEqual([0, 1, 72]);
    });

    for (const c of fixtures.cases) {
      it(`${c.name}: same init as sklearn → same labels, inertia, iterations`, async () => {
        const x = Float32Array.from(c.x);
        const r = await new KMeans({ k: c.k, init: Float32Array.from(c.init), maxIter: 300, tol: 1e-4 }).fit(tf, x, c.n, c.d);
        // On wasm, Lloyd's assignment is the fused kernel: these sklearn checks cover it.
        expect(r.assignment).toBe(backend === 'wasm' ? 'wasm-kernel' : 'tensor-ops');
        expect(Array.from(r.labels)).toEqual(c.lloyd.labels);
        expect(relErr(r.inertia, c.lloyd.inertia)).toBeLessThan(1e-4);
        expect(r.nIter).toBe(c.lloyd.nIter);
        expect(r.converged).toBe(true);
        for (let i = 0; i < r.centers.length; i++) expect(Math.abs(r.centers[i] - c.lloyd.centers[i])).toBeLessThan(1e-4);
      });

      it(`${c.name}: 10 k-means++ restarts reach sklearn's n_init=10 inertia (×1.005, median of seeds 0–4)`, async () => {
        // Our generator differs from numpy's, so single seeds are different draws; on the
        // overlapping set sklearn itself misses by 1.4 % for 1 seed in 10. The median is the fair test.
        const best: number[] = [];
        for (let seed = 0; seed < 5; seed++) {
          const r = await new KMeans({ k: c.k, seed }).fit(tf, Float32Array.from(c.x), c.n, c.d);
          expect(r.restartInertias).toHaveLength(10);
          expect(r.inertia).toBe(Math.min(...r.restartInertias));
          best.push(r.inertia);
        }
        best.sort((p, q) => p - q);
        expect(best[2]).toBeLessThanOrEqual(c.nInit10Inertia * 1.005);
      });
    }

    it('same seed → identical result; small blocks change only float32 summation order', async () => {
      const c = fixtures.cases[1];
      const x = Float32Array.from(c.x);
      const a = await new KMeans({ k: c.k, seed: 42, nInit: 3 }).fit(tf, x, c.n, c.d);
      const again = await new KMeans({ k: c.k, seed: 42, nInit: 3 }).fit(tf, x, c.n, c.d);
      expect(Array.from(again.centers)).toEqual(Array.from(a.centers));
      expect(again.restartInertias).toEqual(a.restartInertias);
      const b = await new KMeans({ k: c.k, seed: 42, nInit: 3, blockRows: 37 }).fit(tf, x, c.n, c.d);
      expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
      for (let i = 0; i < a.centers.length; i++) expect(Math.abs(b.centers[i] - a.centers[i])).toBeLessThan(1e-5);
      b.restartInertias.forEach((v, i) => expect(relErr(v, a.restartInertias[i])).toBeLessThan(1e-7));
    });

    it('mini-batch reaches within 2 % of sklearn n_init=10 inertia on the 2,000-point set', async () => {
      const c = fixtures.cases[3];
      const r = await new KMeans({ k: c.k, seed: 1, nInit: 3, algorithm: 'minibatch', batchSize: 256, maxIter: 50 }).fit(tf, Float32Array.from(c.x), c.n, c.d);
      expect(r.labels).toHaveLength(c.n);
      expect(r.inertia).toBeLessThanOrEqual(c.nInit10Inertia * 1.02);
    });

    it('reports progress each iteration and stops on cancel', async () => {
      const c = fixtures.cases[2];
      const x = Float32Array.from(c.x);
      const seen: KMeansProgress[] = [];
      const r = await new KMeans({ k: c.k, init: Float32Array.from(c.init) }).fit(tf, x, c.n, c.d, { onProgress: (p) => seen.push(p) });
      // One report per iteration plus the final one.
      expect(seen.map((p) => p.iteration)).toEqual([...Array.from({ length: c.lloyd.nIter }, (_, i) => i + 1), c.lloyd.nIter]);
      expect(seen.at(-1)?.fraction).toBe(1);
      expect(relErr(seen.at(-1)?.inertia ?? 0, r.inertia)).toBe(0);
      const ac = new AbortController();
      let calls = 0;
      const run = new KMeans({ k: c.k, seed: 3 }).fit(tf, x, c.n, c.d, {
        signal: ac.signal,
        onProgress: () => {
          if (++calls === 2) ac.abort();
        },
      });
      await expect(run.catch((e: unknown) => (isJobCancelled(e) ? 'cancelled' : e))).resolves.toBe('cancelled');
      expect(calls).toBe(2);
    });

    it('leaves no tensors behind after repeated fits (including a cancelled one)', async () => {
      const c = fixtures.cases[0];
      const x = Float32Array.from(c.x);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        await new KMeans({ k: c.k, seed: i, nInit: 2, blockRows: 64 }).fit(tf, x, c.n, c.d);
        await new KMeans({ k: c.k, seed: i, nInit: 1, algorithm: 'minibatch', batchSize: 50, maxIter: 3 }).fit(tf, x, c.n, c.d);
        await lloydStep(tf, x, c.n, c.d, Float32Array.from(c.init), c.k);
        await predict(tf, x, c.n, c.d, Float32Array.from(c.init), c.k);
      }
      const ac = new AbortController();
      ac.abort();
      await expect(new KMeans({ k: c.k }).fit(tf, x, c.n, c.d, { signal: ac.signal })).rejects.toThrow('job cancelled');
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}

describe('cpu and wasm agree', () => {
  it('assign every point of every fixture to the same cluster', async () => {
    for (const c of fixtures.cases) {
      const x = Float32Array.from(c.x);
      const run = async (b: string) => {
        await tf.setBackend(b);
        return new KMeans({ k: c.k, seed: 5, nInit: 2 }).fit(tf, x, c.n, c.d);
      };
      const onCpu = await run('cpu');
      const onWasm = await run('wasm');
      expect(Array.from(onWasm.labels)).toEqual(Array.from(onCpu.labels));
      expect(relErr(onWasm.inertia, onCpu.inertia)).toBeLessThan(1e-6);
    }
  });
});
