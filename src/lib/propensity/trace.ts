// Teaching mode: plain batch gradient descent of L2-regularised logistic regression on two
// prepared features, recorded step by step so the view can move the decision boundary
// w0 + w1·x1 + w2·x2 = 0 over the customers and draw the loss falling beside it.
//
// It minimises the same objective fitLogReg reports (logreg.ts), the penalised mean loss
//   L(w) = (1/n) Σ [softplus(zᵢ) − yᵢ·zᵢ] + (w1² + w2²) / (2·C·n),   zᵢ = w0 + w1·xᵢ1 + w2·xᵢ2,
// whose gradient is ∇L = (1/n) [Σ(pᵢ − yᵢ), Σ(pᵢ − yᵢ)xᵢ1 + w1/C, Σ(pᵢ − yᵢ)xᵢ2 + w2/C],
// and takes w ← w − η·∇L from w = 0. L is convex with a Lipschitz gradient, so for a small enough
// step η the loss never rises and w tends to fitLogReg's (Newton) solution on the same data.
// DOM-free. The worker job at the bottom reads the dataset from IndexedDB like the 'propensity' job.

import type * as TfCore from '@tensorflow/tfjs-core';
import { checkpoint, throwIfCancelled, type JobContext } from '../compute/jobs';
import { prepare, suggestLog1p } from '../features/prepare';
import { fitLogReg } from '../ml/logreg';
import { sampleRows, takeRows } from '../segment/trace';
import { getDataset, getDictionaries, openStore, readChunks, type ShopLensDB } from '../store';
import { defaultCutoff, type TargetKind } from './run';
import { DAY_MS, eventTarget } from './target';

type Tf = typeof TfCore;

export interface GdStep {
  /** 0 = the start (w = 0); step s is the state after s updates. */
  step: number;
  /** Intercept. */
  w0: number;
  w1: number;
  w2: number;
  /** Penalised mean loss at these weights. */
  loss: number;
  /** ∇L at these weights (intercept, x1, x2): the next update is −learningRate × this. */
  gradient: [number, number, number];
}

export interface GdOptions {
  learningRate: number;
  /** Updates to take (the trace holds steps + 1 states). */
  steps: number;
  /** Inverse regularisation, scikit-learn convention. Default 1. */
  C?: number;
  signal?: AbortSignal;
  onIteration?: (s: GdStep) => void;
}

export const LOGREG_TRACE_DEFAULTS = { learningRate: 1, steps: 100, maxPoints: 2000, seed: 0, C: 1 };
const MAX_STEPS = 5000;

/** Gradient descent on x (n×2 row-major) and labels y, every state recorded. */
export async function traceLogReg(tf: Tf, x: Float32Array, y: Uint8Array, o: GdOptions): Promise<GdStep[]> {
  const n = y.length;
  if (n < 2 || x.length !== 2 * n) throw new RangeError(`traceLogReg: x must be n×2 for n = ${n} labels (≥ 2), got ${x.length} values`);
  if (!(Number.isFinite(o.learningRate) && o.learningRate > 0)) throw new RangeError(`traceLogReg: learningRate must be > 0, got ${o.learningRate}`);
  if (!(Number.isInteger(o.steps) && o.steps >= 1 && o.steps <= MAX_STEPS)) throw new RangeError(`traceLogReg: steps must be an integer from 1 to ${MAX_STEPS}, got ${o.steps}`);
  const C = o.C ?? LOGREG_TRACE_DEFAULTS.C;
  if (!(Number.isFinite(C) && C > 0)) throw new RangeError(`traceLogReg: C must be > 0, got ${C}`);
  // [1, x1, x2] per row, so one matMul gives z and one transposed matMul the data part of ∇L.
  const design = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    design[3 * i] = 1;
    design[3 * i + 1] = x[2 * i];
    design[3 * i + 2] = x[2 * i + 1];
  }
  const X = tf.tensor2d(design, [n, 3]);
  const Y = tf.tensor2d(Float32Array.from(y), [n, 1]);
  const steps: GdStep[] = [];
  const w = [0, 0, 0];
  try {
    for (let s = 0; s <= o.steps; s++) {
      if (o.signal && s % 10 === 0 && s > 0) await checkpoint(o.signal);
      const [dataLoss, g0, g1, g2] = tf.tidy(() => {
        const z = tf.matMul(X, tf.tensor2d(w, [3, 1]));
        const p = tf.sigmoid(z);
        const loss = tf.mean(tf.sub(tf.softplus(z), tf.mul(Y, z)));
        const g = tf.reshape(tf.matMul(X, tf.sub(p, Y), true), [3]);
        return tf.concat([tf.reshape(loss, [1]), g]).dataSync();
      });
      const penalty = (w[1] * w[1] + w[2] * w[2]) / (2 * C * n);
      const gradient: [number, number, number] = [g0 / n, (g1 + w[1] / C) / n, (g2 + w[2] / C) / n];
      const state: GdStep = { step: s, w0: w[0], w1: w[1], w2: w[2], loss: dataLoss + penalty, gradient };
      steps.push(state);
      o.onIteration?.(state);
      if (s < o.steps) for (let j = 0; j < 3; j++) w[j] -= o.learningRate * gradient[j];
    }
  } finally {
    X.dispose();
    Y.dispose();
  }
  return steps;
}

// ── The compute worker's 'logregTrace' job ──────────────────────────────────────────────────────

export interface LogRegTraceParams {
  datasetId: string;
  /** Features as of this time (ms); labels from (cutoff, cutoff + horizon]. Default last event − horizon. */
  cutoff?: number;
  horizonDays: number;
  kind: TargetKind;
  /** Category index for 'buy-category'. */
  category?: number;
  features: [string, string];
  learningRate: number;
  steps: number;
  seed: number;
  /** Default 1. */
  C?: number;
  /** Default 2000. */
  maxPoints?: number;
}

export interface LogRegTraceResult {
  /** Customers traced (the sample size when sampled). */
  n: number;
  /** Customers with a purchase by the cutoff. */
  total: number;
  sampled: boolean;
  features: [string, string];
  /** Human labels of the two features. */
  labels: [string, string];
  /** Which of the two were log1p'd before z-scoring. */
  log1p: string[];
  /** n×2 prepared (log1p where skewed, z-scored, clipped at ±5) values of the traced customers. */
  points: Float32Array;
  /** 0/1 per traced customer. */
  y: Uint8Array;
  positives: number;
  cutoff: number;
  horizonDays: number;
  learningRate: number;
  C: number;
  steps: GdStep[];
  /** fitLogReg's Newton solution on the same customers: where the descent is heading. */
  newton: { w0: number; w1: number; w2: number; loss: number };
  backend: string;
  seconds: number;
}

let dbPromise: Promise<ShopLensDB> | null = null;

export async function logregTraceJob(tf: Tf, params: LogRegTraceParams, ctx: JobContext): Promise<LogRegTraceResult> {
  const started = performance.now();
  const C = params.C ?? LOGREG_TRACE_DEFAULTS.C;
  const maxPoints = params.maxPoints ?? LOGREG_TRACE_DEFAULTS.maxPoints;
  if (!Number.isInteger(maxPoints) || maxPoints < 10 || maxPoints > LOGREG_TRACE_DEFAULTS.maxPoints) {
    throw new RangeError(`logregTrace: maxPoints must be an integer from 10 to ${LOGREG_TRACE_DEFAULTS.maxPoints}, got ${maxPoints}`);
  }
  if (params.features.length !== 2 || params.features[0] === params.features[1]) throw new Error('Choose two different features.');
  dbPromise ??= openStore();
  const db = await dbPromise;
  const meta = await getDataset(db, params.datasetId);
  if (!meta) throw new Error('The dataset is gone (deleted in another tab?).');
  if (meta.stats.lastTime === null) throw new Error(`“${meta.name}” has no dates, so there is no “before” and “after” a cutoff to learn from.`);
  const cutoff = params.cutoff ?? defaultCutoff(meta.stats.lastTime, params.horizonDays);
  if (cutoff + params.horizonDays * DAY_MS > meta.stats.lastTime + DAY_MS) {
    throw new Error(`The window after the cutoff runs past the last event, so its labels are not known yet. Choose an earlier cutoff.`);
  }
  ctx.progress({ fraction: 0.05, message: 'computing features and labels…' });
  const dictionaries = await getDictionaries(db, params.datasetId);
  const target = await eventTarget(readChunks(db, params.datasetId), dictionaries, {
    cutoff,
    horizonDays: params.horizonDays,
    kind: params.kind,
    category: params.category,
  });
  throwIfCancelled(ctx.signal);
  const f = target.features;
  const keys = [...params.features];
  const missing = keys.find((k) => !f.features.some((x) => x.key === k));
  if (missing) throw new Error(`This dataset has no feature “${missing}”.`);
  const prepared = prepare(f, { features: keys, log1p: suggestLog1p(f, keys), scaling: 'zscore', clip: 5 });
  const rows = sampleRows(prepared.n, maxPoints, params.seed);
  const points = rows.length === prepared.n ? prepared.matrix : takeRows(prepared.matrix, 2, rows);
  const y = Uint8Array.from(rows, (r) => target.labels[r]);
  let positives = 0;
  for (const v of y) positives += v;
  if (positives === 0 || positives === y.length) throw new Error('Every traced customer has the same label, so there is no boundary to learn. Choose another horizon.');

  ctx.progress({ fraction: 0.2, message: 'descending…' });
  const steps = await traceLogReg(tf, points, y, {
    learningRate: params.learningRate,
    steps: params.steps,
    C,
    signal: ctx.signal,
    onIteration: (s) => {
      if (s.step % 10 === 0) ctx.progress({ fraction: 0.2 + (0.7 * s.step) / params.steps, message: `step ${s.step}, loss ${s.loss.toFixed(5)}`, figures: { iteration: s.step, loss: s.loss } });
    },
  });
  const newton = await fitLogReg(tf, { data: points, rows: y.length, cols: 2, names: keys }, y, { C });
  const label = (k: string) => f.features.find((x) => x.key === k)?.label ?? k;
  ctx.progress({ fraction: 1, message: `traced ${params.steps} steps` });
  return {
    n: y.length,
    total: prepared.n,
    sampled: y.length < prepared.n,
    features: params.features,
    labels: [label(keys[0]), label(keys[1])],
    log1p: prepared.spec.log1p,
    points,
    y,
    positives,
    cutoff,
    horizonDays: params.horizonDays,
    learningRate: params.learningRate,
    C,
    steps,
    newton: { w0: newton.intercept, w1: newton.coefficients[0], w2: newton.coefficients[1], loss: newton.loss[newton.loss.length - 1] ?? NaN },
    backend: tf.getBackend(),
    seconds: (performance.now() - started) / 1000,
  };
}
