// Lloyd with the incremental centre update across an empty-cluster repair: a cluster empties at the
// second iteration and the run goes past the 10th-iteration full refresh; labels, n_iter and inertia
// must still equal scikit-learn's (tests/fixtures/sklearn/kmeans-repair-fixture.json, made by
// make_kmeans_repair_fixture.py), on cpu and wasm.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { KMeans } from '../../src/lib/ml/kmeans';

const f = JSON.parse(readFileSync(new URL('../fixtures/sklearn/kmeans-repair-fixture.json', import.meta.url), 'utf8')) as {
  n: number;
  d: number;
  k: number;
  x: number[];
  init: number[];
  labels: number[];
  inertia: number;
  nIter: number;
  firstEmptyIteration: number;
};

describe('Lloyd across an empty-cluster repair', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`matches sklearn on ${backend}`, async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      expect(f.firstEmptyIteration).toBeGreaterThanOrEqual(2);
      const r = await new KMeans({ k: f.k, init: Float32Array.from(f.init), tol: 0 }).fit(tf, Float32Array.from(f.x), f.n, f.d);
      expect(r.assignment).toBe(backend === 'wasm' ? 'wasm-kernel' : 'tensor-ops');
      expect(Array.from(r.labels)).toEqual(f.labels);
      expect(r.nIter).toBe(f.nIter);
      expect(Math.abs(r.inertia - f.inertia) / f.inertia).toBeLessThan(1e-6);
    });
  }
});
