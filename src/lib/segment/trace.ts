// k-means, recorded step by step for the teaching "step mode": every Lloyd iteration's assignment
// (labels against the current centres, and the inertia they give) and update (centres moved to the
// means of their points). The same k-means++ start (same seeded Random) and the same stopping rule
// as KMeans.fit with nInit 1, so the last step's labels and inertia are the fit's.
//
// Frames, as the UI plays them: step s shows (a) its assignment, then (b) its update — the centres
// moving to steps[s + 1].centers. The last step has no update (`shift` null):
//   - stop 'unchanged' (labels equal the previous step's: sklearn's strict convergence): the last
//     Lloyd iteration's update would not move any centre, so it is left out;
//   - stop 'tolerance' or 'maxIter': the fit re-assigns the points to the final centres, and so
//     does the trace, in one extra assignment-only step.
// DOM-free. The worker job at the bottom reads the dataset from IndexedDB like the 'segment' job.

import type * as TfCore from '@tensorflow/tfjs-core';
import { Random, hashSeed } from '../random';
import { inertiaOf, kmeansPlusPlus, lloydStep, predict, scaledTolerance } from '../ml/kmeans';
import { pca, project } from '../ml/pca';
import { prepare, suggestPrep, type PrepSpec } from '../features/prepare';
import { checkpoint, throwIfCancelled, type JobContext } from '../compute/jobs';
import { getDataset, getDictionaries, openStore, readChunks, type ShopLensDB } from '../store';
import { computeFeatures } from './run';

type Tf = typeof TfCore;

export interface TraceOptions {
  k: number;
  seed?: number;
  /** Lloyd iterations at most. Default 30. */
  maxIter?: number;
  /** Relative to the mean per-feature variance, like KMeans. Default 1e-4. */
  tol?: number;
  /** k×d start centres; default k-means++ from `seed` exactly as KMeans.fit's first restart. */
  init?: Float32Array;
}

export interface TraceStep {
  /** 1-based Lloyd iteration (the extra final assignment is nIter + 1). */
  iteration: number;
  /** k×d centres the points are assigned to in this step (prepared space). */
  centers: Float32Array;
  labels: Int32Array;
  /** Σᵢ ‖xᵢ − μ_cᵢ‖² of these labels against these centres (float64). */
  inertia: number;
  /** Points whose label differs from the previous step's (all n in the first). */
  changed: number;
  /** Σⱼ ‖μⱼ(new) − μⱼ‖² of the update that follows; null when no update follows. */
  shift: number | null;
  /** Inertia of the same labels once the centres moved to their means; null when no update follows. */
  inertiaAfterUpdate: number | null;
}

export type TraceStop = 'unchanged' | 'tolerance' | 'maxIter';

export interface KMeansTraceCore {
  steps: TraceStep[];
  /** Lloyd iterations run (KMeans.fit's nIter). */
  nIter: number;
  stop: TraceStop;
  /** The absolute shift tolerance used (tol × mean feature variance). */
  tolerance: number;
}

export const TRACE_DEFAULTS = { maxIter: 30, maxPoints: 5000, tol: 1e-4, seed: 0 };

function countChanged(a: Int32Array | null, b: Int32Array): number {
  if (!a) return b.length;
  let c = 0;
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) c++;
  return c;
}

/** Records Lloyd's algorithm on x (n×d) from k-means++ (or `init`), one TraceStep per assignment. */
export async function traceKMeans(tf: Tf, x: Float32Array, n: number, d: number, o: TraceOptions, signal?: AbortSignal): Promise<KMeansTraceCore> {
  const maxIter = o.maxIter ?? TRACE_DEFAULTS.maxIter;
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new RangeError(`traceKMeans: maxIter must be an integer ≥ 1, got ${maxIter}`);
  if (!Number.isInteger(o.k) || o.k < 1 || o.k > n) throw new RangeError(`traceKMeans: k must be an integer in 1..${n}, got ${o.k}`);
  const k = o.k;
  // KMeans.fit draws restart r's start from new Random(seed).fork(r); the trace is restart 0.
  const init = o.init ?? kmeansPlusPlus(x, n, d, k, new Random(o.seed ?? TRACE_DEFAULTS.seed).fork(0));
  if (init.length !== k * d) throw new RangeError(`traceKMeans: init has ${init.length} values, expected k×d = ${k}×${d}`);
  const tolerance = scaledTolerance(x, n, d, o.tol ?? TRACE_DEFAULTS.tol);

  const steps: TraceStep[] = [];
  let centers: Float32Array = Float32Array.from(init);
  let prev: Int32Array | null = null;
  let stop: TraceStop = 'maxIter';
  let nIter = 0;
  for (let it = 1; it <= maxIter; it++) {
    if (signal) await checkpoint(signal);
    const s = await lloydStep(tf, x, n, d, centers, k);
    nIter = it;
    const changed = countChanged(prev, s.labels);
    if (prev && changed === 0) {
      // Strict convergence: the means of unchanged labels are these very centres.
      steps.push({ iteration: it, centers, labels: s.labels, inertia: s.inertia, changed, shift: null, inertiaAfterUpdate: null });
      stop = 'unchanged';
      break;
    }
    steps.push({
      iteration: it,
      centers,
      labels: s.labels,
      inertia: s.inertia,
      changed,
      shift: s.shift,
      inertiaAfterUpdate: inertiaOf(x, n, d, s.newCenters, s.labels),
    });
    prev = s.labels;
    centers = s.newCenters;
    if (s.shift <= tolerance) {
      stop = 'tolerance';
      break;
    }
  }
  if (stop !== 'unchanged') {
    // Like the fit: a stop that was not strict re-assigns the points to the final centres.
    const last = steps[steps.length - 1].labels;
    const { labels } = await predict(tf, x, n, d, centers, k);
    steps.push({
      iteration: nIter + 1,
      centers,
      labels,
      inertia: inertiaOf(x, n, d, centers, labels),
      changed: countChanged(last, labels),
      shift: null,
      inertiaAfterUpdate: null,
    });
  }
  return { steps, nIter, stop, tolerance };
}

/** `m` distinct row indices of 0…n−1 (all when m ≥ n), ascending, drawn by a seeded partial shuffle. */
export function sampleRows(n: number, m: number, seed: number): Uint32Array {
  if (m >= n) return Uint32Array.from({ length: n }, (_, i) => i);
  const idx = Uint32Array.from({ length: n }, (_, i) => i);
  // Its own stream, so the sample does not shift the k-means++ draws that use `seed` itself.
  const rng = new Random(hashSeed(seed, 0x7ace));
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, m).sort();
}

/** Rows `rows` of an n×d matrix, as a new m×d matrix. */
export function takeRows(x: Float32Array, d: number, rows: Uint32Array): Float32Array {
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => out.set(x.subarray(r * d, r * d + d), i * d));
  return out;
}

// ── The compute worker's 'kmeansTrace' job ───────────────────────────────────────────────────────

export interface KMeansTraceParams {
  datasetId: string;
  k: number;
  seed?: number;
  /** The run's preparation (so the trace clusters the same space); suggested when absent. */
  prep?: PrepSpec;
  /** The run's reference time (recency depends on it); default the dataset's last event. */
  referenceTime?: number;
  /** Above this many customers, a seeded random sample of them. Default 5000. */
  maxPoints?: number;
  /** Default 30. */
  maxIter?: number;
}

export interface KMeansTraceStep extends TraceStep {
  /** k×2: `centers` on the same two principal components as `projection`. */
  centerProjection: Float32Array;
}

export interface KMeansTraceResult {
  /** Points traced (the sample size when sampled). */
  n: number;
  /** Customers with purchases in the dataset. */
  total: number;
  sampled: boolean;
  k: number;
  d: number;
  seed: number;
  maxIter: number;
  features: string[];
  /** n×2 PCA projection of the traced points; the PCA is fitted on all customers, like the run's picture. */
  projection: Float32Array;
  explainedVariance: number[];
  steps: KMeansTraceStep[];
  nIter: number;
  stop: TraceStop;
  tolerance: number;
  backend: string;
  seconds: number;
}

let dbPromise: Promise<ShopLensDB> | null = null;

export async function kmeansTraceJob(tf: Tf, params: KMeansTraceParams, ctx: JobContext): Promise<KMeansTraceResult> {
  const started = performance.now();
  const seed = params.seed ?? TRACE_DEFAULTS.seed;
  const maxIter = params.maxIter ?? TRACE_DEFAULTS.maxIter;
  const maxPoints = params.maxPoints ?? TRACE_DEFAULTS.maxPoints;
  if (!Number.isInteger(maxPoints) || maxPoints < Math.max(2, params.k)) {
    throw new RangeError(`kmeansTrace: maxPoints must be an integer ≥ max(2, k), got ${maxPoints}`);
  }
  dbPromise ??= openStore();
  const db = await dbPromise;
  const meta = await getDataset(db, params.datasetId);
  if (!meta) throw new Error('The dataset is gone (deleted in another tab?).');
  ctx.progress({ fraction: 0, message: 'computing customer features…' });
  const dictionaries = await getDictionaries(db, params.datasetId);
  const referenceTime = params.referenceTime ?? meta.stats.lastTime ?? 0;
  const features = await computeFeatures(readChunks(db, params.datasetId), dictionaries, referenceTime);
  throwIfCancelled(ctx.signal);
  const { matrix, n: total, d, spec } = prepare(features, params.prep ?? suggestPrep(features));
  if (params.k > total) throw new Error(`Only ${total} customers: too few for ${params.k} segments.`);

  const rows = sampleRows(total, maxPoints, seed);
  const x = rows.length === total ? matrix : takeRows(matrix, d, rows);
  const n = rows.length;
  const core = await traceKMeans(tf, x, n, d, { k: params.k, seed, maxIter }, ctx.signal);
  ctx.progress({ fraction: 0.95, message: 'projecting…' });

  const model = pca(matrix, total, d, Math.min(2, d));
  const to2d = (m: Float32Array, rowsOf: number): Float32Array => {
    const p = project(model, m, rowsOf, d);
    if (model.c === 2) return p;
    // A single feature: its one component on x, 0 on y.
    const out = new Float32Array(rowsOf * 2);
    for (let i = 0; i < rowsOf; i++) out[2 * i] = p[i];
    return out;
  };
  const steps = core.steps.map((s) => ({ ...s, centerProjection: to2d(s.centers, params.k) }));
  ctx.progress({ fraction: 1, message: `traced ${core.nIter} iterations` });
  return {
    n,
    total,
    sampled: n < total,
    k: params.k,
    d,
    seed,
    maxIter,
    features: spec.features,
    projection: to2d(x, n),
    explainedVariance: Array.from(model.explained),
    steps,
    nIter: core.nIter,
    stop: core.stop,
    tolerance: core.tolerance,
    backend: tf.getBackend(),
    seconds: (performance.now() - started) / 1000,
  };
}
