// k-means on tfjs tensors, shaped like scikit-learn's KMeans (sklearn/cluster/_kmeans.py).
//
// Maths. Lloyd's algorithm minimises the inertia Σ_i ‖x_i − c_{label(i)}‖². Each iteration
//   1. assigns every point to argmin_j (‖c_j‖² − 2 x·c_j) (‖x‖² is constant per row, so the
//      argmin skips it), computed on tensors in row blocks so memory stays bounded;
//   2. moves every centre to the mean of its points; the per-cluster sums are added up in float64
//      on the JS side from the read-back labels (a fused O(n·d) loop: cheaper than oneHotᵀ·X on
//      tfjs-wasm for narrow data, see `assign`).
// Stopping, exactly like sklearn's `_kmeans_single_lloyd`: stop when the labels did not change
// ("strict convergence") or when Σ‖c_new − c_old‖² ≤ tol × mean per-feature variance; if the
// stop was not strict, the labels are recomputed against the final centres.
// Empty clusters are repaired like sklearn: each takes the point farthest from its (old) centre,
// farthest first, ties by lower index — deterministic.
// Precision: distances for the argmin are float32 on the backend; the reported `inertia` is
// recomputed on the JS side in float64 from the final labels and centres (exact up to the float32
// data), so it can be compared with scikit-learn's float64 figure. Per-iteration progress inertia is
// Σ‖x‖² − 2Σ c·S + Σ n‖c‖² from the float64 sums (a progress figure only).
// Initialisation: 'k-means++' is sklearn's greedy variant: the first centre uniformly at random,
// then each next centre is the best (lowest potential) of 2 + ⌊ln k⌋ candidates drawn with
// probability ∝ D(x)²; randomness comes from our seeded `Random`, so the same seed gives the same
// centres everywhere (but not the same centres as sklearn, whose generator differs).
// Mini-batch ('minibatch'): each epoch visits ⌈n / batchSize⌉ random batches (seeded, drawn with
// replacement); each batch is assigned on tensors and every centre moves toward its batch mean
// with a per-centre learning rate 1 / (points seen so far) — the streaming mean of Sculley (2010),
// as in sklearn's MiniBatchKMeans without its reassignment heuristics. It stops after `maxIter`
// epochs or when one epoch's total squared centre shift ≤ tol; labels and inertia are then
// computed over all points.
import type * as TfCore from '@tensorflow/tfjs-core';
import { Random } from '../random';
import { checkpoint } from '../compute/jobs';
import { KMeansKernel } from './kmeans-kernel';

export type Tf = typeof TfCore;

export interface KMeansOptions {
  k: number;
  /** 'k-means++' (default) or k×d given centres (row-major). */
  init?: 'k-means++' | Float32Array;
  /** Restarts; the lowest inertia wins. Default 10 (1 when `init` gives centres). */
  nInit?: number;
  /** Lloyd iterations, or mini-batch epochs. Default 300. */
  maxIter?: number;
  /** Default 1e-4, relative to the mean per-feature variance exactly like sklearn. */
  tol?: number;
  seed?: number;
  /** Rows per distance block: bounds memory at blockRows × (k + d) floats. Default 65,536. */
  blockRows?: number;
  algorithm?: 'lloyd' | 'minibatch';
  /** Mini-batch size. Default 1024. */
  batchSize?: number;
  /**
   * Lloyd on the wasm backend runs its assignment as one fused WebAssembly kernel (kmeans-kernel.ts)
   * instead of tensor ops. Default true; false keeps to tensor ops (same labels: a check and an A/B).
   */
  fusedKernel?: boolean;
}

export interface KMeansProgress {
  restart: number;
  iteration: number;
  inertia: number;
  fraction: number;
}

export interface KMeansResult {
  centers: Float32Array;
  labels: Int32Array;
  inertia: number;
  nIter: number;
  converged: boolean;
  k: number;
  d: number;
  n: number;
  restartInertias: number[];
  /** How the assignment step ran: the fused wasm kernel or tfjs tensor ops. */
  assignment: 'wasm-kernel' | 'tensor-ops';
}

export interface FitContext {
  signal?: AbortSignal;
  onProgress?: (p: KMeansProgress) => void;
}

const DEFAULT_BLOCK_ROWS = 65_536;

interface Resolved {
  k: number;
  init: 'k-means++' | Float32Array;
  nInit: number;
  maxIter: number;
  tol: number;
  seed: number;
  blockRows: number;
  algorithm: 'lloyd' | 'minibatch';
  batchSize: number;
  fusedKernel: boolean;
}

function positiveInt(name: string, v: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(v) || v < 1 || v > max) throw new RangeError(`KMeans: ${name} must be an integer in 1..${max}, got ${v}`);
  return v;
}

function resolve(o: KMeansOptions): Resolved {
  const k = positiveInt('k', o.k, 100_000);
  const init = o.init ?? 'k-means++';
  if (init !== 'k-means++' && !(init instanceof Float32Array)) throw new RangeError(`KMeans: init must be 'k-means++' or a Float32Array, got ${String(init)}`);
  if (init instanceof Float32Array && (init.length === 0 || init.length % k !== 0)) {
    throw new RangeError(`KMeans: init has ${init.length} values, not a multiple of k=${k}`);
  }
  const nInit = positiveInt('nInit', o.nInit ?? (init instanceof Float32Array ? 1 : 10), 1000);
  const maxIter = positiveInt('maxIter', o.maxIter ?? 300);
  const tol = o.tol ?? 1e-4;
  if (!(tol >= 0) || !Number.isFinite(tol)) throw new RangeError(`KMeans: tol must be a finite number ≥ 0, got ${tol}`);
  const seed = o.seed ?? 0;
  if (!Number.isFinite(seed)) throw new RangeError(`KMeans: seed must be a finite number, got ${seed}`);
  const blockRows = positiveInt('blockRows', o.blockRows ?? DEFAULT_BLOCK_ROWS);
  const algorithm = o.algorithm ?? 'lloyd';
  if (algorithm !== 'lloyd' && algorithm !== 'minibatch') throw new RangeError(`KMeans: algorithm must be 'lloyd' or 'minibatch', got ${String(algorithm)}`);
  const batchSize = positiveInt('batchSize', o.batchSize ?? 1024);
  const fusedKernel = o.fusedKernel ?? true;
  return { k, init, nInit, maxIter, tol, seed, blockRows, algorithm, batchSize, fusedKernel };
}

function checkData(x: Float32Array, n: number, d: number, k: number): void {
  positiveInt('n', n);
  positiveInt('d', d);
  if (x.length !== n * d) throw new RangeError(`KMeans: x has ${x.length} values, expected n×d = ${n}×${d}`);
  if (n < k) throw new RangeError(`KMeans: n=${n} points is fewer than k=${k} clusters`);
}

/**
 * X in row blocks (b×d, row-major as given), uploaded once per fit and reused every iteration.
 * The scores ‖c‖² − 2x·c come from one fused matMul-with-bias, X_b · (−2Cᵀ) + ‖c‖², and argMin runs
 * along the rows. The blocks are subarrays of x, so uploading copies straight into the backend
 * without a JS transposition pass. Measured on tfjs-wasm (1M×16, k 8, 65,536-row blocks): as fast
 * per iteration as the earlier transposed [Xᵀ; 1] layout with argMin along axis 0, and the upload
 * is a plain copy (the transposition cost ≈ 0.4 s per fit at 1M).
 */
class Blocks {
  constructor(
    readonly tensors: TfCore.Tensor2D[],
    readonly starts: number[],
  ) {}
  static upload(tf: Tf, x: Float32Array, n: number, d: number, blockRows: number): Blocks {
    const blocks = new Blocks([], []);
    for (let s = 0; s < n; s += blockRows) {
      const b = Math.min(n, s + blockRows) - s;
      blocks.starts.push(s);
      blocks.tensors.push(tf.tensor2d(x.subarray(s * d, (s + b) * d), [b, d]));
    }
    return blocks;
  }
  dispose(tf: Tf): void {
    tf.dispose(this.tensors);
  }
}

/**
 * Buffers an assignment writes into; Lloyd reuses them across iterations (a fit at 1M points
 * otherwise allocates 4 MB of labels per iteration and leaves it to the GC).
 */
interface Work {
  labels: Int32Array;
  sums: Float64Array;
  counts: Float64Array;
  /**
   * Labels that `sums` and `counts` currently describe, or null when they must be recomputed in
   * full. When set, the update moves only the points whose label changed (see `moveChanged`).
   */
  sumsFor: Int32Array | null;
  /** Points whose label changed in the last assignment (−1: not counted, a full pass ran). */
  changed: number;
}

function newWork(n: number, d: number, k: number): Work {
  return { labels: new Int32Array(n), sums: new Float64Array(k * d), counts: new Float64Array(k), sumsFor: null, changed: -1 };
}

interface Assignment {
  labels: Int32Array;
  /** Per-cluster coordinate sums (k×d) and counts, float64; null when not asked for. */
  sums: Float64Array | null;
  counts: Float64Array | null;
  /**
   * Inertia of the labels against the centres used, from the sums:
   * Σ‖x‖² − 2 Σ_j c_j·S_j + Σ_j n_j ‖c_j‖² (float64; a progress figure, exact up to cancellation).
   */
  inertiaOld: number;
}

/**
 * Assignment step over all blocks on the backend; then, when `withSums`, the per-cluster sums and
 * counts on the JS side in float64 from the read-back labels. For narrow data (d in the tens) this
 * fused loop costs less than oneHot + oneHotᵀ·X on tfjs-wasm (measured 2 ms vs 12 ms at 100k×16)
 * and sums in float64. All blocks are dispatched before any read-back so async backends
 * (WebGL/WebGPU) can pipeline them. Results go into `w` (labels, sums, counts), which is returned.
 */
async function assign(tf: Tf, blocks: Blocks, x: Float32Array, n: number, d: number, centers: Float32Array, k: number, withSums: boolean, xx = 0, w: Work = newWork(n, d, k)): Promise<Assignment> {
  // −2Cᵀ (d×k) and ‖c‖² (k) for the fused matMul + bias.
  const negT = new Float32Array(d * k);
  const bias = new Float32Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let f = 0; f < d; f++) {
      const v = centers[j * d + f];
      negT[f * k + j] = -2 * v;
      s += v * v;
    }
    bias[j] = s;
  }
  const c = tf.tensor2d(negT, [d, k]);
  const cb = tf.tensor1d(bias);
  const pending: TfCore.Tensor[] = [];
  try {
    for (const xb of blocks.tensors) pending.push(tf.tidy(() => tf.argMin(tf.fused.matMul({ a: xb, b: c, bias: cb }), 1)));
    const reads = await Promise.all(pending.map((t) => t.data()));
    const labels = w.labels;
    reads.forEach((lb, b) => labels.set(lb, blocks.starts[b]));
    if (!withSums) return { labels, sums: null, counts: null, inertiaOld: NaN };
    const { sums, counts } = w;
    if (w.sumsFor && w.sumsFor !== labels) w.changed = moveChanged(x, d, w.sumsFor, labels, sums, counts);
    else {
      clusterSums(x, n, d, labels, sums, counts);
      w.changed = -1;
    }
    return { labels, sums, counts, inertiaOld: inertiaFromSums(xx, centers, sums, counts, k, d) };
  } finally {
    tf.dispose([c, cb]);
    tf.dispose(pending);
  }
}

/**
 * Inertia of the labels that `sums`/`counts` describe against `centers`, without a pass over x:
 * Σ‖x‖² − 2 Σ_j c_j·S_j + Σ_j n_j ‖c_j‖² (float64; a progress figure, exact up to cancellation).
 */
function inertiaFromSums(xx: number, centers: Float32Array, sums: Float64Array, counts: Float64Array, k: number, d: number): number {
  let inertia = xx;
  for (let j = 0; j < k; j++) {
    let dot = 0;
    let cc = 0;
    for (let f = 0; f < d; f++) {
      const v = centers[j * d + f];
      dot += v * sums[j * d + f];
      cc += v * v;
    }
    inertia += counts[j] * cc - 2 * dot;
  }
  return Math.max(0, inertia);
}

/**
 * Per-cluster float64 coordinate sums and counts from the labels, one pass over x. The inner loop
 * is unrolled by four: in V8 this runs ≈ 1.5–2× faster than the plain loop at 1M×16 (it is the
 * largest JS cost of an iteration).
 */
function clusterSums(x: Float32Array, n: number, d: number, labels: Int32Array, sums: Float64Array, counts: Float64Array): void {
  sums.fill(0);
  counts.fill(0);
  const d4 = d - (d % 4);
  let o = 0;
  for (let i = 0; i < n; i++) {
    const j = labels[i];
    counts[j]++;
    let q = j * d;
    const end4 = o + d4;
    for (; o < end4; o += 4, q += 4) {
      sums[q] += x[o];
      sums[q + 1] += x[o + 1];
      sums[q + 2] += x[o + 2];
      sums[q + 3] += x[o + 3];
    }
    const end = end4 + (d - d4);
    for (; o < end; o++, q++) sums[q] += x[o];
  }
}

/**
 * Incremental update of the float64 sums and counts from the labels they described (`before`) to
 * `after`: only points whose label changed move, so once Lloyd settles an iteration costs O(n)
 * label compares plus O(changed · d) instead of a full O(n · d) pass (the largest JS cost of an
 * iteration). Float64 adds and subtracts of float32 values drift by ~1e-16 relative per move; Lloyd
 * still recomputes in full every REFRESH_EVERY iterations and after an empty-cluster repair.
 * Returns the number of points that changed label.
 */
function moveChanged(x: Float32Array, d: number, before: Int32Array, after: Int32Array, sums: Float64Array, counts: Float64Array): number {
  let changed = 0;
  const n = after.length;
  for (let i = 0; i < n; i++) {
    const a = before[i];
    const b = after[i];
    if (a === b) continue;
    changed++;
    counts[a]--;
    counts[b]++;
    const o = i * d;
    const qa = a * d;
    const qb = b * d;
    for (let f = 0; f < d; f++) {
      const v = x[o + f];
      sums[qa + f] -= v;
      sums[qb + f] += v;
    }
  }
  return changed;
}

/** Lloyd recomputes the sums in full this often, bounding the incremental update's drift. */
const REFRESH_EVERY = 10;

/**
 * Σ_i ‖x_i‖² in float64 (turns the assignment's partial score into an inertia). Four independent
 * accumulators break the add-latency chain (≈ 2× faster in V8 over 16M values).
 */
function sumSquares(x: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const m = x.length - (x.length % 4);
  let i = 0;
  for (; i < m; i += 4) {
    s0 += x[i] * x[i];
    s1 += x[i + 1] * x[i + 1];
    s2 += x[i + 2] * x[i + 2];
    s3 += x[i + 3] * x[i + 3];
  }
  for (; i < x.length; i++) s0 += x[i] * x[i];
  return s0 + s1 + s2 + s3;
}

/** Exact float64 inertia of labels against centres (per-row sums, so the add chains are short). */
export function inertiaOf(x: Float32Array, n: number, d: number, centers: Float32Array, labels: Int32Array): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    const co = labels[i] * d;
    let r0 = 0;
    let r1 = 0;
    let f = 0;
    for (; f + 1 < d; f += 2) {
      const a = x[o + f] - centers[co + f];
      const b = x[o + f + 1] - centers[co + f + 1];
      r0 += a * a;
      r1 += b * b;
    }
    if (f < d) {
      const a = x[o + f] - centers[co + f];
      r0 += a * a;
    }
    total += r0 + r1;
  }
  return total;
}

/** sklearn's `_tolerance`: tol × mean over features of the (population) variance. */
export function scaledTolerance(x: Float32Array, n: number, d: number, tol: number): number {
  if (tol === 0) return 0;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) mean[f] += x[i * d + f];
  for (let f = 0; f < d; f++) mean[f] /= n;
  let v = 0;
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < d; f++) {
      const z = x[i * d + f] - mean[f];
      v += z * z;
    }
  }
  return (v / n / d) * tol;
}

/**
 * sklearn's `_relocate_empty_clusters_dense`: the farthest points (from their old centres) seed
 * the empty clusters; their weight moves from the old cluster's sums to the empty one's.
 */
function relocateEmpty(x: Float32Array, n: number, d: number, oldCenters: Float32Array, labels: Int32Array, sums: Float64Array, counts: Float64Array, k: number): boolean {
  const empty: number[] = [];
  for (let j = 0; j < k; j++) if (counts[j] === 0) empty.push(j);
  if (empty.length === 0) return false;
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * d;
    const co = labels[i] * d;
    for (let f = 0; f < d; f++) {
      const z = x[o + f] - oldCenters[co + f];
      s += z * z;
    }
    dist[i] = s;
  }
  // Top-m farthest by a small insertion list (m = number of empty clusters, usually 1).
  const far: number[] = [];
  for (let i = 0; i < n; i++) {
    if (far.length === empty.length && dist[i] <= dist[far[far.length - 1]]) continue;
    let p = far.length;
    while (p > 0 && dist[far[p - 1]] < dist[i]) p--;
    far.splice(p, 0, i);
    if (far.length > empty.length) far.pop();
  }
  empty.forEach((j, idx) => {
    const i = far[idx];
    const old = labels[i];
    for (let f = 0; f < d; f++) {
      const v = x[i * d + f];
      sums[old * d + f] -= v;
      sums[j * d + f] = v;
    }
    counts[j] = 1;
    counts[old] -= 1;
  });
  return true;
}

/** Centres = sums / counts; a cluster still empty keeps its old centre. Returns Σ squared shift. */
function updateCenters(sums: Float64Array, counts: Float64Array, old: Float32Array, out: Float32Array, k: number, d: number): number {
  let shift = 0;
  for (let j = 0; j < k; j++) {
    for (let f = 0; f < d; f++) {
      const v = counts[j] > 0 ? sums[j * d + f] / counts[j] : old[j * d + f];
      out[j * d + f] = v;
      const z = v - old[j * d + f];
      shift += z * z;
    }
  }
  return shift;
}

function sameLabels(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** sklearn's greedy k-means++ (see the header), exact float64 distances on the JS side. */
export function kmeansPlusPlus(x: Float32Array, n: number, d: number, k: number, rng: Random): Float32Array {
  const centers = new Float32Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const distTo = (row: number, out: Float64Array) => {
    const ro = row * d;
    for (let i = 0; i < n; i++) {
      let s = 0;
      const o = i * d;
      for (let f = 0; f < d; f++) {
        const z = x[o + f] - x[ro + f];
        s += z * z;
      }
      out[i] = s;
    }
  };
  const first = rng.int(n);
  centers.set(x.subarray(first * d, first * d + d), 0);
  let closest = new Float64Array(n);
  distTo(first, closest);
  let pot = closest.reduce((a, b) => a + b, 0);
  const cum = new Float64Array(n);
  let cand = new Float64Array(n);
  let best = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let run = 0;
    for (let i = 0; i < n; i++) cum[i] = run += closest[i];
    let bestPot = Infinity;
    let bestId = -1;
    for (let t = 0; t < trials; t++) {
      const r = rng.next() * pot;
      // searchsorted (left) then clip, like numpy; all-zero potentials pick index 0.
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid] < r) lo = mid + 1;
        else hi = mid;
      }
      const id = Math.min(lo, n - 1);
      distTo(id, cand);
      let p = 0;
      for (let i = 0; i < n; i++) {
        if (closest[i] < cand[i]) cand[i] = closest[i];
        p += cand[i];
      }
      if (p < bestPot) {
        bestPot = p;
        bestId = id;
        [best, cand] = [cand, best];
      }
    }
    centers.set(x.subarray(bestId * d, bestId * d + d), c * d);
    [closest, best] = [best, closest];
    pot = bestPot;
  }
  return centers;
}

export interface RunOutcome {
  centers: Float32Array;
  labels: Int32Array;
  inertia: number;
  nIter: number;
  converged: boolean;
}

type IterHook = (iteration: number, inertia: number) => Promise<void>;

async function runLloyd(tf: Tf, blocks: Blocks, x: Float32Array, n: number, d: number, k: number, init: Float32Array, maxIter: number, tolAbs: number, xx: number, hook: IterHook): Promise<RunOutcome> {
  let centers = Float32Array.from(init);
  let next = new Float32Array(k * d);
  // Two label buffers, swapped each iteration (this one's labels vs the previous one's).
  const work = newWork(n, d, k);
  let spare: Int32Array = new Int32Array(n);
  let labelsOld: Int32Array = new Int32Array(n).fill(-1);
  let labels: Int32Array = labelsOld;
  let strict = false;
  let converged = false;
  let it = 0;
  for (; it < maxIter; it++) {
    work.labels = spare;
    // Incremental sums from the previous labels (they describe them unless a repair or a refresh intervenes).
    work.sumsFor = it > 0 && it % REFRESH_EVERY !== 0 && work.sumsFor === labelsOld ? labelsOld : null;
    const a = await assign(tf, blocks, x, n, d, centers, k, true, xx, work);
    labels = a.labels;
    const sums = a.sums as Float64Array;
    const counts = a.counts as Float64Array;
    const repaired = relocateEmpty(x, n, d, centers, labels, sums, counts, k);
    // After a repair the sums no longer match the labels (sklearn moves weight, not labels).
    work.sumsFor = repaired ? null : labels;
    const shift = updateCenters(sums, counts, centers, next, k, d);
    [centers, next] = [next, centers];
    await hook(it + 1, a.inertiaOld);
    if (work.changed === 0 || (work.changed < 0 && sameLabels(labels, labelsOld))) {
      strict = true;
      converged = true;
      break;
    }
    if (shift <= tolAbs) {
      converged = true;
      break;
    }
    spare = labelsOld;
    labelsOld = labels;
  }
  const nIter = Math.min(it + 1, maxIter);
  // The final labels may reuse the spare buffer: nothing reads the previous labels any more.
  work.labels = spare;
  if (!strict) labels = (await assign(tf, blocks, x, n, d, centers, k, false, 0, work)).labels;
  return { centers, labels, inertia: inertiaOf(x, n, d, centers, labels), nIter, converged };
}

/**
 * Lloyd with the fused wasm kernel: the same iterations, stopping rules and repairs as `runLloyd`,
 * with the labels kept on the wasm heap (read back only for a repair and the result) and the sums
 * moved by the kernel (rebuilt in full every REFRESH_EVERY iterations and after a repair).
 */
async function runLloydKernel(kernel: KMeansKernel, x: Float32Array, n: number, d: number, k: number, init: Float32Array, maxIter: number, tolAbs: number, xx: number, hook: IterHook): Promise<RunOutcome> {
  let centers = Float32Array.from(init);
  let next = new Float32Array(k * d);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  kernel.resetLabels();
  let repaired = false;
  let strict = false;
  let converged = false;
  let it = 0;
  for (; it < maxIter; it++) {
    const changed = kernel.assign(centers, repaired || it % REFRESH_EVERY === 0, sums, counts);
    const inertiaOld = inertiaFromSums(xx, centers, sums, counts, k, d);
    repaired = counts.includes(0) && relocateEmpty(x, n, d, centers, kernel.labels(), sums, counts, k);
    const shift = updateCenters(sums, counts, centers, next, k, d);
    [centers, next] = [next, centers];
    await hook(it + 1, inertiaOld);
    if (changed === 0) {
      strict = true;
      converged = true;
      break;
    }
    if (shift <= tolAbs) {
      converged = true;
      break;
    }
  }
  if (!strict) kernel.assign(centers, false);
  return { centers, labels: kernel.labels(), inertia: kernel.inertia(centers), nIter: Math.min(it + 1, maxIter), converged };
}

async function runMiniBatch(tf: Tf, blocks: Blocks, x: Float32Array, n: number, d: number, k: number, init: Float32Array, o: Resolved, tolAbs: number, rng: Random, hook: IterHook): Promise<RunOutcome> {
  const centers = Float32Array.from(init);
  const seen = new Float64Array(k);
  const bs = Math.min(o.batchSize, n);
  const steps = Math.ceil(n / bs);
  const batch = new Float32Array(bs * d);
  let converged = false;
  let epoch = 0;
  for (; epoch < o.maxIter; epoch++) {
    const start = Float32Array.from(centers);
    let score = 0;
    for (let s = 0; s < steps; s++) {
      for (let r = 0; r < bs; r++) {
        const i = rng.int(n);
        batch.set(x.subarray(i * d, i * d + d), r * d);
      }
      const one = Blocks.upload(tf, batch, bs, d, bs);
      try {
        const a = await assign(tf, one, batch, bs, d, centers, k, true, sumSquares(batch));
        score += a.inertiaOld;
        const sums = a.sums as Float64Array;
        const counts = a.counts as Float64Array;
        for (let j = 0; j < k; j++) {
          if (counts[j] === 0) continue;
          seen[j] += counts[j];
          const lr = 1 / seen[j];
          // c ← c + (Σ batch − m c) / seen: the running mean of every point this centre has taken.
          for (let f = 0; f < d; f++) centers[j * d + f] += lr * (sums[j * d + f] - counts[j] * centers[j * d + f]);
        }
      } finally {
        one.dispose(tf);
      }
    }
    let shift = 0;
    for (let i = 0; i < centers.length; i++) shift += (centers[i] - start[i]) ** 2;
    await hook(epoch + 1, (score / (steps * bs)) * n);
    if (shift <= tolAbs) {
      converged = true;
      epoch++;
      break;
    }
  }
  const labels = (await assign(tf, blocks, x, n, d, centers, k, false)).labels;
  return { centers, labels, inertia: inertiaOf(x, n, d, centers, labels), nIter: epoch, converged };
}

/**
 * k-means estimator: `new KMeans({ k }).fit(tf, x, n, d)`. Options are validated here, once, with
 * an error naming the bad value. The same seed gives the same result on any backend whose float32
 * arithmetic agrees (cpu and wasm do on well-separated data).
 */
export class KMeans {
  readonly options: Readonly<Resolved>;

  constructor(options: KMeansOptions) {
    this.options = resolve(options);
  }

  async fit(tf: Tf, x: Float32Array, n: number, d: number, ctx: FitContext = {}): Promise<KMeansResult> {
    const o = this.options;
    const k = o.k;
    checkData(x, n, d, k);
    if (o.init instanceof Float32Array && o.init.length !== k * d) {
      throw new RangeError(`KMeans: init has ${o.init.length} values, expected k×d = ${k}×${d}`);
    }
    const tolAbs = scaledTolerance(x, n, d, o.tol);
    const rng = new Random(o.seed);
    const kernel = o.algorithm === 'lloyd' && o.fusedKernel ? KMeansKernel.create(tf, x, n, d, k) : null;
    const blocks = kernel ? null : Blocks.upload(tf, x, n, d, o.blockRows);
    const xx = kernel ? kernel.sumSquares() : sumSquares(x);
    const restartInertias: number[] = [];
    let best: RunOutcome | null = null;
    try {
      for (let r = 0; r < o.nInit; r++) {
        const runRng = rng.fork(r);
        const init = o.init instanceof Float32Array ? o.init : kmeansPlusPlus(x, n, d, k, runRng);
        const hook: IterHook = async (iteration, inertia) => {
          ctx.onProgress?.({ restart: r, iteration, inertia, fraction: (r + iteration / o.maxIter) / o.nInit });
          if (ctx.signal) await checkpoint(ctx.signal);
        };
        if (ctx.signal) await checkpoint(ctx.signal);
        const out = kernel
          ? await runLloydKernel(kernel, x, n, d, k, init, o.maxIter, tolAbs, xx, hook)
          : o.algorithm === 'lloyd'
            ? await runLloyd(tf, blocks as Blocks, x, n, d, k, init, o.maxIter, tolAbs, xx, hook)
            : await runMiniBatch(tf, blocks as Blocks, x, n, d, k, init, o, tolAbs, runRng, hook);
        restartInertias.push(out.inertia);
        if (!best || out.inertia < best.inertia) best = out;
      }
    } finally {
      kernel?.dispose();
      blocks?.dispose(tf);
    }
    const b = best as RunOutcome;
    ctx.onProgress?.({ restart: o.nInit - 1, iteration: b.nIter, inertia: b.inertia, fraction: 1 });
    return { ...b, k, d, n, restartInertias, assignment: kernel ? 'wasm-kernel' : 'tensor-ops' };
  }
}

/** One Lloyd iteration, exposed for the teaching step mode: assignment then update. */
export async function lloydStep(
  tf: Tf,
  x: Float32Array,
  n: number,
  d: number,
  centers: Float32Array,
  k: number,
): Promise<{ labels: Int32Array; newCenters: Float32Array; inertia: number; shift: number }> {
  checkData(x, n, d, k);
  if (centers.length !== k * d) throw new RangeError(`lloydStep: centers has ${centers.length} values, expected k×d = ${k}×${d}`);
  const blocks = Blocks.upload(tf, x, n, d, DEFAULT_BLOCK_ROWS);
  try {
    const a = await assign(tf, blocks, x, n, d, centers, k, true, sumSquares(x));
    const sums = a.sums as Float64Array;
    const counts = a.counts as Float64Array;
    relocateEmpty(x, n, d, centers, a.labels, sums, counts, k);
    const newCenters = new Float32Array(k * d);
    const shift = updateCenters(sums, counts, centers, newCenters, k, d);
    return { labels: a.labels, newCenters, inertia: inertiaOf(x, n, d, centers, a.labels), shift };
  } finally {
    blocks.dispose(tf);
  }
}

/** Nearest centre for each point, and the squared distance to it (float64 on the JS side, stored as float32). */
export async function predict(
  tf: Tf,
  x: Float32Array,
  n: number,
  d: number,
  centers: Float32Array,
  k: number,
): Promise<{ labels: Int32Array; distances: Float32Array }> {
  positiveInt('n', n);
  positiveInt('d', d);
  if (x.length !== n * d) throw new RangeError(`predict: x has ${x.length} values, expected n×d = ${n}×${d}`);
  if (centers.length !== k * d) throw new RangeError(`predict: centers has ${centers.length} values, expected k×d = ${k}×${d}`);
  const blocks = Blocks.upload(tf, x, n, d, DEFAULT_BLOCK_ROWS);
  try {
    const { labels } = await assign(tf, blocks, x, n, d, centers, k, false);
    const distances = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let f = 0; f < d; f++) {
        const z = x[i * d + f] - centers[labels[i] * d + f];
        s += z * z;
      }
      distances[i] = s;
    }
    return { labels, distances };
  } finally {
    blocks.dispose(tf);
  }
}
