// Silhouette's per-cluster distance sums on the wasm backend, as one WebAssembly SIMD pass
// (`distanceSums` in src/lib/ml/kernels/kmeans-assign.wat). Through tensor ops the same sums are a
// b × m distance block per row block (a matMul and five elementwise passes over it) and a second
// matMul: ≈ 4 s per 20,000-point sample on tfjs-wasm, which made an automatic-k sweep (9 ks) wait
// ≈ 40 s. Points are sorted by cluster so each sum runs over one contiguous range, and each pair
// is visited once: its distance goes to both points' sums (a row part per call, a column part
// kept on the heap).
import type * as TfCore from '@tensorflow/tfjs-core';
import { checkpoint } from '../compute/jobs';
import { clusteringWasm, HeapBlocks } from '../ml/kmeans-kernel';

/** Rows per kernel call: up to 5M distances at 20,000 points, a few ms, then a cancel check. */
const ROWS_PER_CALL = 256;

/**
 * For each of the m points (row-major x, labels in 0..k−1), the sum of its float32 distances to
 * every point of each cluster, in float64: m × k, point-major, in the input order (a point's
 * distance to itself is exactly 0). Null when the backend is not wasm or lacks SIMD.
 */
export async function distanceSumsOnWasm(tf: typeof TfCore, x: Float32Array, m: number, d: number, labels: Int32Array, k: number, signal?: AbortSignal): Promise<Float64Array | null> {
  const wasm = clusteringWasm(tf);
  if (!wasm) return null;
  // Counting sort by cluster: bounds[c] … bounds[c + 1] are cluster c's positions.
  const bounds = new Int32Array(k + 1);
  for (let i = 0; i < m; i++) bounds[labels[i] + 1]++;
  for (let c = 0; c < k; c++) bounds[c + 1] += bounds[c];
  const order = new Int32Array(m);
  const next = bounds.slice(0, k);
  for (let i = 0; i < m; i++) order[next[labels[i]]++] = i;

  const stride = Math.ceil(m / 4) * 4;
  const blocks = new HeapBlocks(wasm.heap);
  try {
    const what = `the silhouette of ${m} × ${d} points`;
    const xs = blocks.take(stride * d * 4, what);
    const bnd = blocks.take((k + 1) * 4, what);
    const splat = blocks.take(d * 16, what);
    const out = blocks.take(ROWS_PER_CALL * k * 8, what);
    const clusterOf = blocks.take(m * 4, what);
    const col = blocks.take(k * stride * 8, what);
    const feat = new Float32Array(wasm.memory.buffer, xs, stride * d);
    for (let f = 0; f < d; f++) {
      const base = f * stride;
      for (let r = 0; r < m; r++) feat[base + r] = x[order[r] * d + f];
      feat.fill(0, base + m, base + stride);
    }
    new Int32Array(wasm.memory.buffer, bnd, k + 1).set(bounds);
    const clusters = new Int32Array(wasm.memory.buffer, clusterOf, m);
    for (let c = 0; c < k; c++) clusters.fill(c, bounds[c], bounds[c + 1]);
    new Float64Array(wasm.memory.buffer, col, k * stride).fill(0);
    const sums = new Float64Array(m * k);
    for (let r0 = 0; r0 < m; r0 += ROWS_PER_CALL) {
      if (signal) await checkpoint(signal);
      const r1 = Math.min(m, r0 + ROWS_PER_CALL);
      wasm.run.distanceSums(xs, stride, d, bnd, clusterOf, k, r0, r1, splat, out, col);
      const rows = new Float64Array(wasm.memory.buffer, out, (r1 - r0) * k);
      for (let r = r0; r < r1; r++) sums.set(rows.subarray((r - r0) * k, (r - r0 + 1) * k), order[r] * k);
    }
    // Add each point's column part: the distances from the points before it.
    const colSums = new Float64Array(wasm.memory.buffer, col, k * stride);
    for (let c = 0; c < k; c++) for (let r = 0; r < m; r++) sums[order[r] * k + c] += colSums[c * stride + r];
    return sums;
  } finally {
    blocks.free();
  }
}
