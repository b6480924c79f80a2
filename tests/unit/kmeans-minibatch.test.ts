// Mini-batch k-means against scikit-learn 1.2's MiniBatchKMeans (tests/fixtures/sklearn/minibatch-fixtures.json,
// made by make_minibatch_fixtures.py from the synthetic cases of kmeans-fixtures.json). Mini-batch is
// randomised and our generator is not numpy's, so medians over seeds 0–9 are compared, on cpu and wasm.
import { readFileSync } from 'node:fs';
import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { KMeans } from '../../src/lib/ml/kmeans';

interface Source {
  name: string;
  n: number;
  d: number;
  k: number;
  x: number[];
  init: number[];
}
interface Ref {
  name: string;
  batchSize: number;
  maxIter: number;
  givenInit: { inertias: number[]; median: number };
  kmeansPP3: { inertias: number[]; median: number };
  lloydNInit10: number;
}
const read = <T>(file: string) => JSON.parse(readFileSync(new URL(`../fixtures/sklearn/${file}`, import.meta.url), 'utf8')) as T;
const sources = read<{ cases: Source[] }>('kmeans-fixtures.json').cases;
const refs = read<{ seeds: number[]; cases: Ref[] }>('minibatch-fixtures.json');

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`mini-batch k-means vs sklearn MiniBatchKMeans on ${backend}`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      await tf.ready();
    });

    for (const ref of refs.cases) {
      const c = sources.find((s) => s.name === ref.name);
      if (!c) throw new Error(`fixture case ${ref.name} missing from kmeans-fixtures.json`);
      const x = Float32Array.from(c.x);

      it(`${ref.name}: median inertia over seeds, k-means++ with 3 restarts`, async () => {
        const ours: number[] = [];
        for (const seed of refs.seeds) {
          const r = await new KMeans({ k: c.k, seed, nInit: 3, algorithm: 'minibatch', batchSize: ref.batchSize, maxIter: ref.maxIter }).fit(tf, x, c.n, c.d);
          ours.push(r.inertia);
        }
        const m = median(ours);
        // No worse than sklearn's median by more than 1 %, and not below the Lloyd n_init=10 optimum
        // by more than float rounding (a figure that low would mean a wrong inertia, not a better fit).
        expect(m).toBeLessThanOrEqual(ref.kmeansPP3.median * 1.01);
        expect(m).toBeGreaterThanOrEqual(ref.lloydNInit10 * (1 - 1e-6));
        // Same seed, same result.
        const again = await new KMeans({ k: c.k, seed: refs.seeds[0], nInit: 3, algorithm: 'minibatch', batchSize: ref.batchSize, maxIter: ref.maxIter }).fit(tf, x, c.n, c.d);
        expect(again.inertia).toBe(ours[0]);
      });

      it(`${ref.name}: median inertia over seeds from the given centres`, async () => {
        const ours: number[] = [];
        for (const seed of refs.seeds) {
          const r = await new KMeans({ k: c.k, seed, init: Float32Array.from(c.init), algorithm: 'minibatch', batchSize: ref.batchSize, maxIter: ref.maxIter }).fit(tf, x, c.n, c.d);
          ours.push(r.inertia);
        }
        const m = median(ours);
        // From given (deliberately naive) centres both can stay in a poor local minimum; sklearn's
        // reassignment of near-empty clusters, which we do not have, helps it by a few per cent on
        // the 300-point blobs (docs/kmeans.md), so the bound here is 8 %.
        expect(m).toBeLessThanOrEqual(ref.givenInit.median * 1.08);
        expect(m).toBeGreaterThanOrEqual(ref.lloydNInit10 * (1 - 1e-6));
      });
    }
  });
}
