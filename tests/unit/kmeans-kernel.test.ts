// The fused k-means assignment kernel (src/lib/ml/kmeans-kernel.ts, kernels/kmeans-assign.wat) on
// Node's tfjs-wasm backend: labels against a float64 brute-force argmin and against the tensor-op
// path, the float64 sums against sums recomputed from the labels, change counts, shapes that do not
// fill whole SIMD blocks, heap clean-up, and the committed bytes against their source.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { KMeansKernel, type EmscriptenHeap } from '../../src/lib/ml/kmeans-kernel';
import { KMeans, inertiaOf } from '../../src/lib/ml/kmeans';
import { Random } from '../../src/lib/random';
import { spyOnWasmHeap } from './wasm-heap-spy';
// @ts-expect-error — a plain .mjs build tool without type declarations
import { generate, outputPath } from '../../tools/assemble-wasm.mjs';

const WAT = fileURLToPath(new URL('../../src/lib/ml/kernels/kmeans-assign.wat', import.meta.url));

function gaussianData(n: number, d: number, seed: number, spread = 3): Float32Array {
  const rng = new Random(seed);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const blob = i % 5;
    for (let f = 0; f < d; f++) x[i * d + f] = blob * spread * ((f % 3) - 1) + rng.normal();
  }
  return x;
}

/** Nearest centre by float64 squared distance, first on ties; and the margin to the second best. */
function bruteForce(x: Float32Array, n: number, d: number, centers: Float32Array, k: number) {
  const labels = new Int32Array(n);
  const margin = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let second = Infinity;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let f = 0; f < d; f++) s += (x[i * d + f] - centers[j * d + f]) ** 2;
      if (s < best) {
        second = best;
        best = s;
        labels[i] = j;
      } else if (s < second) second = s;
    }
    margin[i] = second - best;
  }
  return { labels, margin };
}

function sumsOf(x: Float32Array, n: number, d: number, labels: Int32Array, k: number) {
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    counts[labels[i]]++;
    for (let f = 0; f < d; f++) sums[labels[i] * d + f] += x[i * d + f];
  }
  return { sums, counts };
}

const pick = (x: Float32Array, d: number, rows: number[]) => Float32Array.from(rows.flatMap((r) => Array.from(x.subarray(r * d, r * d + d))));

describe('fused k-means kernel on wasm', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    await tf.ready();
  });

  it('the committed module is the assembled .wat', async () => {
    expect(readFileSync(outputPath(WAT), 'utf8')).toBe(await generate(WAT));
  });

  it('checks its arguments', () => {
    expect(() => KMeansKernel.create(tf, new Float32Array(8), 4, 2, 2, 6)).toThrow('chunkRows must be a positive multiple of 4, got 6');
    const kernel = KMeansKernel.create(tf, new Float32Array(8), 4, 2, 2) as KMeansKernel;
    try {
      expect(() => kernel.assign(new Float32Array(3), true)).toThrow('centres have 3 values, expected k×d = 2×2');
    } finally {
      kernel.dispose();
    }
  });

  it('is not offered on other backends', async () => {
    await tf.setBackend('cpu');
    expect(KMeansKernel.create(tf, new Float32Array(8), 4, 2, 2)).toBeNull();
    await tf.setBackend('wasm');
  });

  // n not a multiple of 4 (a padded last block), d and k not multiples of 4 (padding centres), k = 1,
  // and calls of a few rows (chunk boundaries).
  for (const [n, d, k, chunkRows] of [[1003, 5, 6, 65536], [97, 1, 3, 8], [64, 16, 8, 65536], [10, 3, 1, 4], [5, 7, 5, 65536], [1003, 5, 6, 100]] as const) {
    it(`labels, change counts and float64 sums: n=${n}, d=${d}, k=${k}, ${chunkRows} rows per call`, () => {
      const x = gaussianData(n, d, n + d + k);
      const kernel = KMeansKernel.create(tf, x, n, d, k, chunkRows) as KMeansKernel;
      expect(kernel).not.toBeNull();
      try {
        kernel.resetLabels();
        const c1 = pick(x, d, Array.from({ length: k }, (_, j) => (j * 7) % n));
        const sums = new Float64Array(k * d);
        const counts = new Float64Array(k);
        expect(kernel.assign(c1, true, sums, counts)).toBe(n); // every label is new
        const l1 = kernel.labels();
        const ref1 = bruteForce(x, n, d, c1, k);
        // float32 scores may only flip near-ties; none here is that close.
        for (let i = 0; i < n; i++) if (ref1.margin[i] > 1e-3) expect(l1[i]).toBe(ref1.labels[i]);
        const want1 = sumsOf(x, n, d, l1, k);
        expect(Array.from(counts)).toEqual(Array.from(want1.counts));
        sums.forEach((v, i) => expect(v).toBeCloseTo(want1.sums[i], 9));

        // Same centres again: nothing changes, the incremental sums stay put.
        expect(kernel.assign(c1, false, sums, counts)).toBe(0);
        expect(Array.from(counts)).toEqual(Array.from(want1.counts));

        // New centres: the change count and the incrementally moved sums match a recount.
        const c2 = pick(x, d, Array.from({ length: k }, (_, j) => (j * 13 + 5) % n));
        const changed = kernel.assign(c2, false, sums, counts);
        const l2 = kernel.labels();
        expect(changed).toBe(l2.reduce((m, v, i) => m + (v !== l1[i] ? 1 : 0), 0));
        const want2 = sumsOf(x, n, d, l2, k);
        expect(Array.from(counts)).toEqual(Array.from(want2.counts));
        sums.forEach((v, i) => expect(v).toBeCloseTo(want2.sums[i], 9));
        // The float64 inertia adds exactly what the JS reference adds.
        expect(kernel.inertia(c2)).toBe(inertiaOf(x, n, d, c2, l2));
        const xx = x.reduce((a, v) => a + v * v, 0);
        expect(Math.abs(kernel.sumSquares() - xx) / xx).toBeLessThan(1e-12);

        // Labels only (no sums): same labels as with them.
        kernel.resetLabels();
        kernel.assign(c2, false);
        expect(Array.from(kernel.labels())).toEqual(Array.from(l2));
        // Labels moved without the sums (they still describe l2, the labels are now l1's): an
        // update asked for next must rebuild the sums, not move points from l1.
        kernel.assign(c1, false);
        kernel.assign(c2, false, sums, counts);
        expect(Array.from(counts)).toEqual(Array.from(want2.counts));
        sums.forEach((v, i) => expect(v).toBeCloseTo(want2.sums[i], 9));
      } finally {
        kernel.dispose();
      }
    });
  }

  it('picks the first of equal distances, like tf.argMin', () => {
    // The point 1 is equally far from centres 0 and 2 (and from 0.5-shifted copies further on).
    const x = new Float32Array([1, 1, 1, 1, 1]);
    const kernel = KMeansKernel.create(tf, x, 5, 1, 6) as KMeansKernel;
    try {
      kernel.resetLabels();
      kernel.assign(new Float32Array([9, 0, 2, 0, 2, 0]), true, new Float64Array(6), new Float64Array(6));
      expect(Array.from(kernel.labels())).toEqual([1, 1, 1, 1, 1]);
    } finally {
      kernel.dispose();
    }
  });

  it('runs on a shared memory (the threaded build’s) with the same results', () => {
    const n = 203;
    const d = 5;
    const k = 6;
    const x = gaussianData(n, d, 8);
    const memory = new WebAssembly.Memory({ initial: 4, maximum: 65536, shared: true });
    expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    let top = 1024;
    const heap: EmscriptenHeap = {
      _malloc: (bytes) => {
        const at = top;
        top += Math.ceil(bytes / 8) * 8;
        return at;
      },
      _free: () => undefined,
      wasmMemory: memory,
    };
    const onShared = KMeansKernel.onHeap(heap, x, n, d, k, 64) as KMeansKernel;
    const onPlain = KMeansKernel.create(tf, x, n, d, k) as KMeansKernel;
    try {
      const c = pick(x, d, [0, 40, 80, 120, 160, 200]);
      const run = (kernel: KMeansKernel) => {
        kernel.resetLabels();
        const sums = new Float64Array(k * d);
        const counts = new Float64Array(k);
        kernel.assign(c, true, sums, counts);
        return { labels: Array.from(kernel.labels()), sums: Array.from(sums), counts: Array.from(counts), inertia: kernel.inertia(c) };
      };
      const shared = run(onShared);
      expect(shared).toEqual(run(onPlain));
      expect(shared.inertia).toBe(inertiaOf(x, n, d, c, Int32Array.from(shared.labels)));
    } finally {
      onShared.dispose();
      onPlain.dispose();
    }
  });

  it('frees every heap block it takes, also when a fit is cancelled', async () => {
    const { live, restore } = spyOnWasmHeap(tf);
    try {
      const n = 3001;
      const x = gaussianData(n, 4, 5, 1.2);
      await new KMeans({ k: 5, seed: 1, nInit: 2 }).fit(tf, x, n, 4);
      expect(live.size).toBe(0);
      const ac = new AbortController();
      let reports = 0;
      const fit = new KMeans({ k: 5, seed: 1, nInit: 2 }).fit(tf, x, n, 4, {
        signal: ac.signal,
        onProgress: () => {
          if (++reports === 3) ac.abort();
        },
      });
      await expect(fit).rejects.toThrow('job cancelled');
      expect(reports).toBe(3);
      expect(live.size).toBe(0);
    } finally {
      restore();
    }
  });

  it('a fit over several 65,536-row calls equals the tensor-op fit', async () => {
    const n = 70_001;
    const d = 3;
    const x = gaussianData(n, d, 21, 1.5);
    const opts = { k: 5, seed: 2, nInit: 1, maxIter: 15, tol: 0 };
    const fused = await new KMeans(opts).fit(tf, x, n, d);
    const ops = await new KMeans({ ...opts, fusedKernel: false }).fit(tf, x, n, d);
    expect(fused.assignment).toBe('wasm-kernel');
    expect(fused.nIter).toBe(ops.nIter);
    expect(Array.from(fused.labels)).toEqual(Array.from(ops.labels));
    expect(Math.abs(fused.inertia - ops.inertia) / ops.inertia).toBeLessThan(1e-9);
  });

  it('Lloyd gives the tensor-op path’s labels, centres and iterations, and frees its heap', async () => {
    const n = 5001;
    const d = 6;
    const x = gaussianData(n, d, 11, 1.2); // overlapping blobs: many iterations, many changes
    const opts = { k: 7, seed: 3, nInit: 2, tol: 0, maxIter: 40 };
    const fused = await new KMeans(opts).fit(tf, x, n, d);
    const ops = await new KMeans({ ...opts, fusedKernel: false }).fit(tf, x, n, d);
    expect(fused.assignment).toBe('wasm-kernel');
    expect(ops.assignment).toBe('tensor-ops');
    expect(fused.nIter).toBe(ops.nIter);
    expect(Array.from(fused.labels)).toEqual(Array.from(ops.labels));
    for (let i = 0; i < fused.centers.length; i++) expect(Math.abs(fused.centers[i] - ops.centers[i])).toBeLessThan(1e-5);
    expect(Math.abs(fused.inertia - ops.inertia) / ops.inertia).toBeLessThan(1e-9);
    // The heap was grown by the first fit; later fits reuse the freed blocks instead of growing it.
    const heap = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm;
    const size = heap.HEAPU8.length;
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await new KMeans(opts).fit(tf, x, n, d);
    expect(heap.HEAPU8.length).toBe(size);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
