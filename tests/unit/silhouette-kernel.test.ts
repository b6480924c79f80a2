// Silhouette's distance sums as a fused wasm kernel (src/lib/eval/silhouette-kernel.ts): sums
// against a float64 brute force, clusters of sizes that do not fill SIMD lanes and an empty one,
// the score against the tensor-op path and scikit-learn's fixtures, and the heap given back.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { distanceSumsOnWasm } from '../../src/lib/eval/silhouette-kernel';
import { silhouetteScore } from '../../src/lib/eval/clustering';
import { Random } from '../../src/lib/random';
import { spyOnWasmHeap } from './wasm-heap-spy';

interface Case { name: string; n: number; d: number; k: number; x: number[]; trueLabels: number[]; silhouetteTrue: number }
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/sklearn/kmeans-fixtures.json', import.meta.url), 'utf8')) as { cases: Case[] };

function data(m: number, d: number, k: number, seed: number) {
  const rng = new Random(seed);
  const x = new Float32Array(m * d);
  const labels = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    // Cluster k − 1 stays empty; sizes come out uneven.
    labels[i] = (i * 7 + (i % 3)) % Math.max(1, k - 1);
    for (let f = 0; f < d; f++) x[i * d + f] = labels[i] * 2 + rng.normal();
  }
  return { x, labels };
}

describe('silhouette distance sums on wasm', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    await tf.ready();
  });

  // 700 points take three kernel calls: the column part carries across calls.
  for (const [m, d, k] of [[203, 3, 5], [9, 1, 3], [64, 7, 2], [700, 2, 4]] as const) {
    it(`match a float64 brute force: m=${m}, d=${d}, k=${k}`, async () => {
      const { x, labels } = data(m, d, k, m + d);
      const sums = (await distanceSumsOnWasm(tf, x, m, d, labels, k)) as Float64Array;
      expect(sums).not.toBeNull();
      for (let i = 0; i < m; i++) {
        const want = new Float64Array(k);
        for (let j = 0; j < m; j++) {
          let s = 0;
          for (let f = 0; f < d; f++) s += (x[i * d + f] - x[j * d + f]) ** 2;
          want[labels[j]] += Math.sqrt(s);
        }
        for (let c = 0; c < k; c++) expect(Math.abs(sums[i * k + c] - want[c])).toBeLessThanOrEqual(1e-5 * Math.max(1, want[c]));
      }
      expect(sums[k - 1]).toBe(0); // the empty cluster
    });
  }

  it('is not offered on other backends', async () => {
    await tf.setBackend('cpu');
    expect(await distanceSumsOnWasm(tf, new Float32Array(4), 2, 2, new Int32Array([0, 1]), 2)).toBeNull();
    await tf.setBackend('wasm');
  });

  it('gives the tensor-op score and scikit-learn’s on every fixture', async () => {
    for (const c of fixtures.cases) {
      const x = Float32Array.from(c.x);
      const labels = Int32Array.from(c.trueLabels);
      const fused = await silhouetteScore(tf, x, c.n, c.d, labels, c.k);
      const ops = await silhouetteScore(tf, x, c.n, c.d, labels, c.k, { fusedKernel: false });
      expect(Math.abs(fused.score - c.silhouetteTrue)).toBeLessThan(1e-5);
      expect(Math.abs(fused.score - ops.score)).toBeLessThan(1e-5);
      for (let i = 0; i < c.n; i++) expect(Math.abs(fused.perPoint[i] - ops.perPoint[i])).toBeLessThan(1e-4);
    }
  });

  it('gives its heap back, also when cancelled', async () => {
    const { live, restore } = spyOnWasmHeap(tf);
    try {
      const { x, labels } = data(1000, 4, 4, 3);
      await distanceSumsOnWasm(tf, x, 1000, 4, labels, 4);
      expect(live.size).toBe(0);
      const ac = new AbortController();
      ac.abort();
      await expect(distanceSumsOnWasm(tf, x, 1000, 4, labels, 4, ac.signal)).rejects.toThrow('job cancelled');
      expect(live.size).toBe(0);
    } finally {
      restore();
    }
  });
});
