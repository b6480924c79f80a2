// Clustering quality metrics, matching scikit-learn's definitions (sklearn/metrics/cluster):
// silhouette (on tensors, in row blocks), Davies–Bouldin and the adjusted Rand index (plain JS),
// and a small rule that suggests k from a sweep.
import type * as TfCore from '@tensorflow/tfjs-core';
import { Random } from '../random';
import { checkpoint } from '../compute/jobs';
import { distanceSumsOnWasm } from './silhouette-kernel';

export type Tf = typeof TfCore;

export interface SilhouetteOptions {
  /** Exact when n ≤ sampleSize (default 20,000); above it, a seeded random sample of that size. */
  sampleSize?: number;
  seed?: number;
  /** Rows per block of the pairwise-distance matrix; default keeps a block near 8M floats. */
  blockRows?: number;
  signal?: AbortSignal;
  /** On the wasm backend the sums come from one fused kernel (default); false keeps tensor ops. */
  fusedKernel?: boolean;
}

export interface SilhouetteResult {
  score: number;
  /** Sample size used, or null when every point was used. */
  sampled: number | null;
  /** s(i) for each point used (in sampleIndex order when sampled). */
  perPoint: Float32Array;
  sampleIndex: Uint32Array | null;
}

/** k sorted distinct draws from 0..n-1 (partial Fisher–Yates), sorted for cache-friendly reads. */
function sampleIndices(n: number, m: number, rng: Random): Uint32Array {
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, m).sort();
}

/**
 * Mean silhouette s(i) = (b − a) / max(a, b): a = mean distance to the other points of its own
 * cluster, b = lowest mean distance to another cluster; s = 0 for a point alone in its cluster
 * (sklearn's convention). The data are centred in float64 first (smaller norms). On the wasm
 * backend the per-cluster distance sums come from one fused kernel (silhouette-kernel.ts: float32
 * distances from the differences, float64 sums). Elsewhere, distances are
 * √max(0, ‖x‖² + ‖y‖² − 2x·y) in float32 on the backend and the sums are D · oneHot(labels); each
 * point's distance to itself (0 in exact arithmetic, a little rounding noise there) is read back
 * and removed from its own cluster's sum.
 */
export async function silhouetteScore(
  tf: Tf,
  x: Float32Array,
  n: number,
  d: number,
  labels: Int32Array,
  k: number,
  opts: SilhouetteOptions = {},
): Promise<SilhouetteResult> {
  if (x.length !== n * d) throw new RangeError(`silhouetteScore: x has ${x.length} values, expected n×d = ${n}×${d}`);
  if (labels.length !== n) throw new RangeError(`silhouetteScore: ${labels.length} labels for n=${n} points`);
  for (let i = 0; i < n; i++) {
    if (!(labels[i] >= 0 && labels[i] < k)) throw new RangeError(`silhouetteScore: label ${labels[i]} at ${i} is outside 0..${k - 1}`);
  }
  const sampleSize = opts.sampleSize ?? 20_000;
  if (!Number.isInteger(sampleSize) || sampleSize < 2) throw new RangeError(`silhouetteScore: sampleSize must be an integer ≥ 2, got ${sampleSize}`);
  const sampleIndex = n > sampleSize ? sampleIndices(n, sampleSize, new Random(opts.seed ?? 0)) : null;
  const m = sampleIndex ? sampleIndex.length : n;
  const rowOf = (i: number) => (sampleIndex ? sampleIndex[i] : i);

  // Labels used and cluster sizes (within the points used).
  const lab = new Int32Array(m);
  const size = new Float64Array(k);
  for (let i = 0; i < m; i++) {
    lab[i] = labels[rowOf(i)];
    size[lab[i]]++;
  }
  let present = 0;
  for (let j = 0; j < k; j++) if (size[j] > 0) present++;
  if (present < 2 || present > m - 1) {
    throw new RangeError(`silhouetteScore: needs 2 ≤ clusters ≤ n−1, got ${present} clusters for ${m} points`);
  }
  // Centre in float64, then float32 for the backend.
  const mean = new Float64Array(d);
  for (let i = 0; i < m; i++) for (let f = 0; f < d; f++) mean[f] += x[rowOf(i) * d + f];
  for (let f = 0; f < d; f++) mean[f] /= m;
  const xc = new Float32Array(m * d);
  for (let i = 0; i < m; i++) for (let f = 0; f < d; f++) xc[i * d + f] = x[rowOf(i) * d + f] - mean[f];

  const blockRows = opts.blockRows ?? Math.max(1, Math.min(m, Math.floor(8_000_000 / m)));
  if (!Number.isInteger(blockRows) || blockRows < 1) throw new RangeError(`silhouetteScore: blockRows must be a positive integer, got ${blockRows}`);
  // Σ of each point's distances to each cluster (its own distance to itself excluded), m × k.
  const sums = (opts.fusedKernel !== false && (await distanceSumsOnWasm(tf, xc, m, d, lab, k, opts.signal))) || (await distanceSumsOnTensors(tf, xc, m, d, lab, k, blockRows, opts.signal));
  const perPoint = new Float32Array(m);
  let total = 0;
  for (let i = 0; i < m; i++) {
    const own = lab[i];
    if (size[own] <= 1) {
      perPoint[i] = 0;
      continue;
    }
    const a = sums[i * k + own] / (size[own] - 1);
    let bMin = Infinity;
    for (let j = 0; j < k; j++) {
      if (j === own || size[j] === 0) continue;
      const v = sums[i * k + j] / size[j];
      if (v < bMin) bMin = v;
    }
    const den = Math.max(a, bMin);
    const sil = den > 0 ? (bMin - a) / den : 0;
    perPoint[i] = sil;
    total += sil;
  }
  return { score: total / m, sampled: sampleIndex ? m : null, perPoint, sampleIndex };
}

/** The per-cluster distance sums through tensor ops, in row blocks (see silhouetteScore). */
async function distanceSumsOnTensors(tf: Tf, xc: Float32Array, m: number, d: number, lab: Int32Array, k: number, blockRows: number, signal?: AbortSignal): Promise<Float64Array> {
  const out = new Float64Array(m * k);
  const all = tf.tensor2d(xc, [m, d]);
  const labT = tf.tensor1d(lab, 'int32');
  const [allSq, oh] = tf.tidy(() => [tf.reshape(tf.sum(tf.square(all), 1), [1, m]), tf.cast(tf.oneHot(labT, k), 'float32')]);
  try {
    for (let s = 0; s < m; s += blockRows) {
      if (signal) await checkpoint(signal);
      const b = Math.min(m, s + blockRows) - s;
      // Flat index of each row's own column in the b×m block.
      const selfFlat = new Int32Array(b);
      for (let r = 0; r < b; r++) selfFlat[r] = r * m + s + r;
      const [sumsT, selfT] = tf.tidy(() => {
        const xb = tf.slice(all, [s, 0], [b, d]);
        const bSq = tf.sum(tf.square(xb), 1, true);
        const dist = tf.sqrt(tf.relu(tf.sub(tf.add(bSq, allSq), tf.mul(tf.matMul(xb, all, false, true), 2)))); // b×m
        const selfIdx = tf.tensor1d(selfFlat, 'int32');
        return [tf.matMul(dist, oh), tf.gather(tf.reshape(dist, [-1]), selfIdx)];
      });
      let sums: Float32Array | Int32Array | Uint8Array;
      let self: Float32Array | Int32Array | Uint8Array;
      try {
        [sums, self] = await Promise.all([sumsT.data(), selfT.data()]);
      } finally {
        tf.dispose([sumsT, selfT]);
      }
      for (let r = 0; r < b; r++) {
        const i = s + r;
        for (let j = 0; j < k; j++) out[i * k + j] = sums[r * k + j];
        out[i * k + lab[i]] -= self[r];
      }
    }
  } finally {
    tf.dispose([all, labT, allSq, oh]);
  }
  return out;
}

/**
 * Davies–Bouldin index (lower is better): mean over clusters of max_{j≠i} (S_i + S_j) / M_ij, with
 * S_i the mean distance of cluster i's points to its centroid and M_ij the distance between
 * centroids. Empty labels are skipped; sklearn's conventions: 0 when all S or all M are 0, and a
 * zero M_ij counts as infinitely far.
 */
export function daviesBouldin(x: ArrayLike<number>, n: number, d: number, labels: ArrayLike<number>, k: number): number {
  if (x.length !== n * d) throw new RangeError(`daviesBouldin: x has ${x.length} values, expected n×d = ${n}×${d}`);
  if (labels.length !== n) throw new RangeError(`daviesBouldin: ${labels.length} labels for n=${n} points`);
  const cen = new Float64Array(k * d);
  const cnt = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const j = labels[i];
    if (!(j >= 0 && j < k)) throw new RangeError(`daviesBouldin: label ${j} at ${i} is outside 0..${k - 1}`);
    cnt[j]++;
    for (let f = 0; f < d; f++) cen[j * d + f] += x[i * d + f];
  }
  const used: number[] = [];
  for (let j = 0; j < k; j++) if (cnt[j] > 0) used.push(j);
  if (used.length < 2 || used.length > n - 1) throw new RangeError(`daviesBouldin: needs 2 ≤ clusters ≤ n−1, got ${used.length}`);
  for (const j of used) for (let f = 0; f < d; f++) cen[j * d + f] /= cnt[j];
  const intra = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const j = labels[i];
    let s = 0;
    for (let f = 0; f < d; f++) s += (x[i * d + f] - cen[j * d + f]) ** 2;
    intra[j] += Math.sqrt(s);
  }
  for (const j of used) intra[j] /= cnt[j];
  const dist = (a: number, b: number) => {
    let s = 0;
    for (let f = 0; f < d; f++) s += (cen[a * d + f] - cen[b * d + f]) ** 2;
    return Math.sqrt(s);
  };
  const near0 = (v: number) => Math.abs(v) <= 1e-8; // np.allclose(…, 0) with its default atol
  if (used.every((j) => near0(intra[j]))) return 0;
  let allCentresZero = true;
  for (const a of used) for (const b of used) if (a !== b && !near0(dist(a, b))) allCentresZero = false;
  if (allCentresZero) return 0;
  let total = 0;
  for (const a of used) {
    let worst = 0;
    for (const b of used) {
      if (a === b) continue;
      const m = dist(a, b);
      const r = m === 0 ? 0 : (intra[a] + intra[b]) / m;
      if (r > worst) worst = r;
    }
    total += worst;
  }
  return total / used.length;
}

/**
 * Adjusted Rand index from the pair-confusion counts (sklearn ≥ 1.0 formula):
 * ARI = 2(tp·tn − fn·fp) / ((tp+fn)(fn+tn) + (tp+fp)(fp+tn)); 1 for identical partitions.
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (b.length !== n) throw new RangeError(`adjustedRandIndex: labelings differ in length (${n} vs ${b.length})`);
  const key = (u: number, v: number) => `${u},${v}`;
  const joint = new Map<string, number>();
  const ca = new Map<number, number>();
  const cb = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    joint.set(key(a[i], b[i]), (joint.get(key(a[i], b[i])) ?? 0) + 1);
    ca.set(a[i], (ca.get(a[i]) ?? 0) + 1);
    cb.set(b[i], (cb.get(b[i]) ?? 0) + 1);
  }
  const sq = (m: Map<unknown, number>) => {
    let s = 0;
    for (const v of m.values()) s += v * v;
    return s;
  };
  const sumSq = sq(joint);
  const tp = sumSq - n;
  const fp = sq(cb) - sumSq; // together in b, apart in a (pairs counted in both orders)
  const fn = sq(ca) - sumSq;
  const tn = n * n - fp - fn - sumSq;
  if (fn === 0 && fp === 0) return 1;
  return (2 * (tp * tn - fn * fp)) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

export interface KSweepEntry {
  k: number;
  inertia: number;
  silhouette: number;
  daviesBouldin: number;
}

/**
 * Suggests k from a sweep: the highest silhouette; among ks whose silhouette is within 0.02 of the
 * best, the lowest Davies–Bouldin, then the smallest k (simpler segments). Inertia always falls
 * with k, so it only appears in the reason (the elbow is for the eye, not for the rule).
 */
export function suggestK(results: KSweepEntry[]): { k: number; reason: string } {
  const ok = results.filter((r) => Number.isFinite(r.silhouette) && Number.isFinite(r.daviesBouldin) && r.k >= 2);
  if (ok.length === 0) throw new RangeError('suggestK: needs at least one result with k ≥ 2 and finite metrics');
  const bestSil = Math.max(...ok.map((r) => r.silhouette));
  const near = ok.filter((r) => r.silhouette >= bestSil - 0.02);
  near.sort((p, q) => p.daviesBouldin - q.daviesBouldin || p.k - q.k);
  const pick = near[0];
  const f = (v: number) => v.toFixed(3);
  const reason =
    near.length === 1
      ? `k = ${pick.k} has the highest silhouette (${f(pick.silhouette)}); Davies–Bouldin ${f(pick.daviesBouldin)}, inertia ${pick.inertia.toPrecision(4)}`
      : `k = ${pick.k}: silhouette ${f(pick.silhouette)} is within 0.02 of the best (${f(bestSil)}) and its Davies–Bouldin (${f(pick.daviesBouldin)}) is the lowest of those ks (${near.map((r) => r.k).join(', ')})`;
  return { k: pick.k, reason };
}
