// Event-based propensity, end to end and leakage-free:
//   1. backtest — features as of trainCutoff = cutoff − horizon, labels from (trainCutoff, cutoff];
//      the model is evaluated on features as of `cutoff` and labels from (cutoff, cutoff + horizon].
//      Training labels end exactly where evaluation features end, so nothing the evaluation asks
//      about was visible to the fit.
//   2. deployment — the same recipe refitted on the most recent fully observed window (features at
//      cutoff, labels to cutoff + horizon) scores every customer as of the last event, for the
//      next `horizon` days.
// Feature scaling (log1p + z-score) is learnt on the training rows only and applied to the others,
// and so are segments used as features: the saved segmentation's recipe is re-learnt as of the
// training cutoff (segmentsAtCutoff), since its own centres were fitted on later events.

import type * as TfCore from '@tensorflow/tfjs-core';
import type { Dictionaries, EventChunk } from '../data/schema';
import type { CustomerFeatures } from '../features/customers';
import { applyPrep, fittedPrep, prepare, suggestLog1p, unscale, type FittedPrep, type Prepared } from '../features/prepare';
import { KMeans } from '../ml/kmeans';
import { fitLogReg, oddsRatios, predictProba, type DesignMatrix, type LogRegModel, type LogRegOptions } from '../ml/logreg';
import type { JobContext } from '../compute/jobs';
import { commonFeatureKeys, eventTarget } from './target';
import { rankByScore } from './export';
import { computeFeatures } from '../segment/run';
import { evaluationReport, rankingReport, type EvaluationReport, type RankingReport } from './report';

type Tf = typeof TfCore;
const DAY_MS = 86_400_000;

export type TargetKind = 'buy' | 'churn' | 'buy-category';

export interface TargetSpec {
  kind: TargetKind;
  horizonDays: number;
  /** Evaluation cutoff, ms. Default: last event − horizon (the latest fully observed window). */
  cutoff?: number;
  /** Category index for 'buy-category'. */
  category?: number;
}

/** A segmentation's scaling and centres; customers are assigned to the nearest centre. */
export interface SegmentSource {
  runId: string;
  names: string[];
  prep: FittedPrep;
  /** k × d centres in the prepared space. */
  centers: Float32Array;
}

export interface PropensityParams {
  target: TargetSpec;
  /** Feature keys; default every customer feature the data has. */
  features?: string[];
  C?: number;
  classWeight?: 'none' | 'balanced';
  seed?: number;
  solver?: LogRegOptions['solver'];
  segments?: SegmentSource | null;
}

export interface ScoredCustomers {
  /** Dataset customer indices. */
  customers: Uint32Array;
  scores: Float32Array;
  /** 1 = top tenth by score … 10 = bottom tenth. */
  decile: Uint8Array;
  /** Segment index per customer, -1 without a segmentation. */
  segment: Int16Array;
  referenceTime: number;
}

export interface Coefficient {
  name: string;
  /** Per standard deviation of the prepared feature. */
  coefficient: number;
  oddsRatio: number;
  low: number;
  high: number;
  z: number;
}

export interface PropensityResult {
  createdAt: number;
  backend: string;
  seconds: number;
  target: Required<Omit<TargetSpec, 'category'>> & { category: number | null; categoryName: string | null; trainCutoff: number; lastTime: number };
  params: { C: number; classWeight: 'none' | 'balanced'; seed: number; features: string[]; segmentRunId: string | null };
  /** Scaling of the deployed model (fitted on the latest window). */
  prep: FittedPrep;
  /** The segmentation whose centres give the segment indicators, kept so a re-import can re-score. */
  segments: SegmentSource | null;
  /** Design column names: prepared features, then segment indicators. */
  columns: string[];
  model: LogRegModel;
  /** The deployed model (refitted on the latest window). */
  deployed: LogRegModel;
  coefficients: Coefficient[];
  nTrain: number;
  trainPositives: number;
  evaluation: EvaluationReport;
  /** Ranking customers by recency alone (most recent first): the marketer's rule of thumb. */
  recencyBaseline: RankingReport | null;
  scored: ScoredCustomers;
}

export type ChunkSource = () => AsyncIterable<EventChunk> | Iterable<EventChunk>;

/** Category names of the `share:` feature keys, in order. */
export function shareCategoriesOf(keys: readonly string[]): string[] {
  return keys.filter((k) => k.startsWith('share:')).map((k) => k.slice('share:'.length));
}

export function defaultCutoff(lastTime: number, horizonDays: number): number {
  return lastTime - horizonDays * DAY_MS;
}

/** Nearest centre per customer, using the segmentation's own scaling. */
export function assignSegments(f: CustomerFeatures, source: SegmentSource): Int16Array {
  const p = applyPrep(f, source.prep);
  const k = source.centers.length / p.d;
  const out = new Int16Array(p.n);
  for (let i = 0; i < p.n; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      let d2 = 0;
      for (let j = 0; j < p.d; j++) {
        const e = p.matrix[i * p.d + j] - source.centers[c * p.d + j];
        d2 += e * e;
      }
      if (d2 < bestD) {
        bestD = d2;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

/**
 * The saved segmentation's recipe (k, features, log1p, scaling kind) re-learnt on the customers as
 * of the training cutoff only: scaling and centres come from data the backtest may see. Each new
 * centre takes the name of the nearest saved segment (compared in the saved run's scaled space).
 */
export async function segmentsAtCutoff(tf: Tf, f: CustomerFeatures, saved: SegmentSource, seed: number, signal?: AbortSignal): Promise<SegmentSource> {
  const k = saved.names.length;
  if (f.n < k) throw new Error(`Only ${f.n} customers had bought by the training cutoff: too few for ${k} segments.`);
  const missing = saved.prep.spec.features.filter((key) => !f.features.some((x) => x.key === key));
  if (missing.length > 0) throw new Error(`The segmentation uses features that do not exist at the training cutoff: ${missing.join(', ')}.`);
  const prepared = prepare(f, saved.prep.spec);
  const fit = await new KMeans({ k, nInit: 4, seed }).fit(tf, prepared.matrix, prepared.n, prepared.d, { signal });
  const d = prepared.d;
  const { spec, center, scale } = saved.prep;
  const used = new Map<string, number>();
  const names = Array.from({ length: k }, (_, c) => {
    const raw = unscale(prepared, fit.centers.subarray(c * d, c * d + d));
    let best = 0;
    let bestD = Infinity;
    for (let s = 0; s < k; s++) {
      let d2 = 0;
      for (let j = 0; j < d; j++) {
        const v = ((spec.log1p.includes(spec.features[j]) ? Math.log1p(Math.max(raw[j], 0)) : raw[j]) - center[j]) / scale[j];
        d2 += (v - saved.centers[s * d + j]) ** 2;
      }
      if (d2 < bestD) {
        bestD = d2;
        best = s;
      }
    }
    const name = saved.names[best] || `#${best + 1}`;
    const seen = (used.get(name) ?? 0) + 1;
    used.set(name, seen);
    return seen === 1 ? name : `${name} (${seen})`;
  });
  return { runId: saved.runId, names, prep: fittedPrep(prepared), centers: fit.centers };
}

function design(prepared: Prepared, segments: Int16Array | null, k: number): DesignMatrix {
  const { n, d } = prepared;
  // One indicator per segment but the first (the reference level), so the intercept stays identifiable.
  const extra = segments ? Math.max(0, k - 1) : 0;
  const cols = d + extra;
  const data = new Float32Array(n * cols);
  for (let i = 0; i < n; i++) {
    data.set(prepared.matrix.subarray(i * d, i * d + d), i * cols);
    if (segments && segments[i] > 0) data[i * cols + d + segments[i] - 1] = 1;
  }
  return { data, rows: n, cols, names: [] };
}

/** The recency rule as a score: most recent buyers first — or, for churn, the longest-silent first. */
function recencyScore(f: CustomerFeatures, kind: TargetKind): Float64Array | null {
  const j = f.features.findIndex((x) => x.key === 'recency');
  if (j < 0) return null;
  const sign = kind === 'churn' ? 1 : -1;
  const out = new Float64Array(f.n);
  for (let i = 0; i < f.n; i++) out[i] = sign * f.values[i * f.d + j];
  return out;
}

function deciles(scores: Float32Array): Uint8Array {
  const out = new Uint8Array(scores.length);
  rankByScore(scores).forEach((row, rank) => (out[row] = 1 + Math.floor((rank * 10) / scores.length)));
  return out;
}

/** What scoring needs from a trained run; a model imported from JSON carries exactly this. */
export type DeployedModel = Pick<PropensityResult, 'deployed' | 'prep' | 'segments' | 'columns'>;

/**
 * Scores customers (features as of `referenceTime`) with a deployed model: the same scaling and
 * segment assignment it was trained with. Used for the run's own dataset and to re-score a later one.
 */
export function scoreCustomers(model: DeployedModel, features: CustomerFeatures): ScoredCustomers {
  const segs = model.segments;
  const segment = segs ? assignSegments(features, segs) : new Int16Array(features.n).fill(-1);
  const X: DesignMatrix = { ...design(applyPrep(features, model.prep), segs ? segment : null, segs ? segs.names.length : 0), names: model.columns };
  const scores = Float32Array.from(predictProba(model.deployed, X));
  return { customers: features.customers, scores, decile: deciles(scores), segment, referenceTime: features.referenceTime };
}

export async function runPropensity(
  tf: Tf,
  chunks: ChunkSource,
  dictionaries: Dictionaries,
  lastTime: number,
  params: PropensityParams,
  ctx: JobContext,
): Promise<PropensityResult> {
  const started = performance.now();
  const { kind, horizonDays } = params.target;
  if (!(horizonDays > 0)) throw new Error(`The horizon must be a positive number of days, got ${horizonDays}.`);
  if (kind === 'buy-category' && (params.target.category === undefined || params.target.category < 0)) {
    throw new Error('Choose the category the target is about.');
  }
  const cutoff = params.target.cutoff ?? defaultCutoff(lastTime, horizonDays);
  const trainCutoff = cutoff - horizonDays * DAY_MS;
  if (cutoff + horizonDays * DAY_MS > lastTime + DAY_MS) {
    throw new Error(`The evaluation window (cutoff + ${horizonDays} days) runs past the last event, so its labels are not known yet. Choose an earlier cutoff.`);
  }
  const targetOptions = { horizonDays, kind, category: params.target.category };
  const C = params.C ?? 1;
  const classWeight = params.classWeight ?? 'none';
  const seed = params.seed ?? 0;

  ctx.progress({ fraction: 0.05, message: 'building the training window…' });
  const train = await eventTarget(chunks(), dictionaries, { ...targetOptions, cutoff: trainCutoff });
  // The later windows get the training cutoff's category-share columns, whatever their own top
  // categories are, so the model finds every column it was fitted on.
  const shareCategories = shareCategoriesOf(train.features.features.map((f) => f.key));
  ctx.progress({ fraction: 0.2, message: 'building the evaluation window…' });
  const evalSet = await eventTarget(chunks(), dictionaries, { ...targetOptions, cutoff, shareCategories });
  if (train.features.n < 10) throw new Error(`Only ${train.features.n} customers had bought before the training cutoff: too few to learn from.`);
  if (train.positives === 0 || train.positives === train.features.n) {
    throw new Error(`In the training window every customer ${train.positives === 0 ? 'did not buy' : 'bought'}, so there is nothing to tell apart. Choose another horizon or cutoff.`);
  }

  const now = await computeFeatures(chunks(), dictionaries, lastTime, shareCategories);
  // The top-category share columns follow each cutoff's top categories, so only keys present at
  // all three times can be used.
  const available = commonFeatureKeys(train.features, evalSet.features, now);
  const missing = (params.features ?? []).filter((key) => !available.includes(key));
  if (missing.length > 0) throw new Error(`These features are not available at every cutoff: ${missing.join(', ')}.`);
  const keys = params.features ?? available;
  if (keys.length === 0) throw new Error('Choose at least one feature.');
  const spec = { features: keys, log1p: suggestLog1p(train.features, keys), scaling: 'zscore' as const, clip: 5 };
  const trainPrep = prepare(train.features, spec);
  const prep = fittedPrep(trainPrep);
  const segs = params.segments ? await segmentsAtCutoff(tf, train.features, params.segments, seed, ctx.signal) : null;
  const k = segs ? segs.names.length : 0;
  const columns = [...keys, ...(segs ? segs.names.slice(1).map((name, s) => `segment: ${name || `#${s + 2}`}`) : [])];
  const withNames = (m: DesignMatrix): DesignMatrix => ({ ...m, names: columns });
  const trainX = withNames(design(trainPrep, segs ? assignSegments(train.features, segs) : null, k));
  const options: LogRegOptions = {
    C,
    classWeight,
    seed,
    solver: params.solver ?? 'auto',
    signal: ctx.signal,
    onIteration: (s) => ctx.progress({ fraction: 0.3, message: `fitting: iteration ${s.iteration}, loss ${s.loss.toFixed(5)}`, figures: { iteration: s.iteration, loss: s.loss, gradNorm: s.gradNorm } }),
  };
  const model = await fitLogReg(tf, trainX, train.labels, options);

  ctx.progress({ fraction: 0.6, message: 'evaluating on the later window…' });
  const evalX = withNames(design(applyPrep(evalSet.features, prep), segs ? assignSegments(evalSet.features, segs) : null, k));
  const evaluation = evaluationReport(evalSet.labels, predictProba(model, evalX), train.positives / train.features.n);
  const recency = recencyScore(evalSet.features, kind);
  const recencyBaseline = recency ? rankingReport(evalSet.labels, recency) : null;

  ctx.progress({ fraction: 0.75, message: 'refitting on the latest window and scoring every customer…' });
  const deployPrep = prepare(evalSet.features, spec);
  const deployFitted = fittedPrep(deployPrep);
  const deployX = withNames(design(deployPrep, segs ? assignSegments(evalSet.features, segs) : null, k));
  const deployed = await fitLogReg(tf, deployX, evalSet.labels, { ...options, onIteration: undefined });
  const scored = scoreCustomers({ deployed, prep: deployFitted, segments: segs, columns }, now);

  const categoryName = params.target.category !== undefined && params.target.category >= 0 ? (dictionaries.categories[params.target.category] ?? null) : null;
  ctx.progress({ fraction: 1, message: `done: AUC ${evaluation.auc.toFixed(3)}` });
  return {
    createdAt: Date.now(),
    backend: tf.getBackend(),
    seconds: (performance.now() - started) / 1000,
    target: { kind, horizonDays, cutoff, category: params.target.category ?? null, categoryName, trainCutoff, lastTime },
    params: { C, classWeight, seed, features: keys, segmentRunId: segs?.runId ?? null },
    prep: deployFitted,
    segments: segs,
    columns,
    model,
    deployed,
    coefficients: oddsRatios(model),
    nTrain: train.features.n,
    trainPositives: train.positives,
    evaluation,
    recencyBaseline,
    scored,
  };
}
