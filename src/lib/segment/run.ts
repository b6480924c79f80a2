// A segmentation run, end to end: customer features from the stored events, preparation,
// k-means over a range of k with the evidence to choose one, profiles and names, a 2-D picture.
// DOM-free; runs in the compute worker (tfjs passed in) and under Node in tests and the CLI.

import type * as TfCore from '@tensorflow/tfjs-core';
import type { Dictionaries, EventChunk } from '../data/schema';
import { CustomerFeatureAccumulator, type CustomerFeatures, type FeatureInfo } from '../features/customers';
import { prepare, suggestPrep, type PrepSpec } from '../features/prepare';
import { profileSegments, nameSegments, type SegmentProfile } from '../features/profile';
import { KMeans } from '../ml/kmeans';
import { pca, project } from '../ml/pca';
import { daviesBouldin, silhouetteScore, suggestK } from '../eval/clustering';
import { checkpoint, type JobContext } from '../compute/jobs';

type Tf = typeof TfCore;

export interface SegmentationParams {
  /** A single k, or 'auto' to pick from kMin…kMax on the evidence. */
  k: number | 'auto';
  kMin?: number;
  kMax?: number;
  nInit?: number;
  maxIter?: number;
  seed?: number;
  /** Feature choice and scaling; suggested from the data when absent. */
  prep?: PrepSpec;
  /** ms; default the last event of the dataset. */
  referenceTime?: number;
  /** Silhouette is exact up to this many customers, sampled above. */
  silhouetteSample?: number;
  /** 'auto' (default): Lloyd up to MINIBATCH_THRESHOLD customers, mini-batch above. */
  algorithm?: AlgorithmRequest;
  /** Mini-batch size (mini-batch only). Default MINIBATCH_BATCH_SIZE. */
  batchSize?: number;
}

export type AlgorithmRequest = 'auto' | 'lloyd' | 'minibatch';

/** Which k-means ran, and why (shown with the run). */
export interface AlgorithmChoice {
  algorithm: 'lloyd' | 'minibatch';
  /** Points per mini-batch; null for Lloyd. */
  batchSize: number | null;
  reason: string;
}

/**
 * Above this many customers 'auto' picks mini-batch k-means: a full Lloyd pass per iteration (times
 * restarts × the k range) is what makes big runs slow, and mini-batch needs only a few epochs.
 */
export const MINIBATCH_THRESHOLD = 200_000;
/** Large enough that each batch is one reasonably sized tensor op, small next to the threshold. */
export const MINIBATCH_BATCH_SIZE = 4096;

/** Resolves the algorithm for `n` customers; the reason is a sentence for the studio. */
export function chooseAlgorithm(
  n: number,
  requested: AlgorithmRequest = 'auto',
  threshold = MINIBATCH_THRESHOLD,
  batchSize = MINIBATCH_BATCH_SIZE,
): AlgorithmChoice {
  const count = n.toLocaleString('en-US');
  const limit = threshold.toLocaleString('en-US');
  if (requested === 'lloyd') return { algorithm: 'lloyd', batchSize: null, reason: `Lloyd's k-means, chosen by hand (${count} customers).` };
  if (requested === 'minibatch') {
    return { algorithm: 'minibatch', batchSize, reason: `Mini-batch k-means (batches of ${batchSize.toLocaleString('en-US')}), chosen by hand (${count} customers).` };
  }
  return n > threshold
    ? {
        algorithm: 'minibatch',
        batchSize,
        reason: `Mini-batch k-means (batches of ${batchSize.toLocaleString('en-US')}), chosen automatically: ${count} customers is more than ${limit}.`,
      }
    : { algorithm: 'lloyd', batchSize: null, reason: `Lloyd's k-means, chosen automatically: ${count} customers is at most ${limit}.` };
}

export interface KCandidate {
  k: number;
  inertia: number;
  silhouette: number;
  daviesBouldin: number;
  iterations: number;
}

export interface SegmentationResult {
  createdAt: number;
  backend: string;
  seconds: number;
  params: Required<Omit<SegmentationParams, 'prep' | 'referenceTime' | 'algorithm' | 'batchSize'>> & { prep: PrepSpec; referenceTime: number };
  /** Which k-means ran (absent from runs saved before the choice existed: those were Lloyd). */
  algorithm?: AlgorithmChoice;
  features: FeatureInfo[];
  customers: Uint32Array;
  k: number;
  candidates: KCandidate[];
  suggestion: { k: number; reason: string };
  inertia: number;
  iterations: number;
  silhouette: number;
  silhouetteSample: number | null;
  labels: Int32Array;
  /** k × d centres in the prepared (scaled) space. */
  centers: Float32Array;
  /** How features were scaled after log1p (per spec feature): x' = (x − center) / scale. */
  scaling: { center: number[]; scale: number[] };
  profiles: SegmentProfile[];
  names: string[];
  /** n × 2 PCA projection of the prepared features, and the centres projected the same way. */
  projection: Float32Array;
  centerProjection: Float32Array;
  explainedVariance: number[];
  /** The chosen k's per-customer silhouette, by segment (absent from runs saved before it existed). */
  silhouetteBySegment?: SegmentSilhouette[];
}

/** One segment's band of a silhouette plot. */
export interface SegmentSilhouette {
  segment: number;
  /** That segment's per-point silhouette values, sorted descending, at most `maxValues` evenly spaced quantiles. */
  values: Float32Array;
  /** Mean silhouette of the segment's points used (NaN when none were sampled). */
  mean: number;
  /** Points used for the segment (before downsampling). */
  count: number;
}

export const SEGMENT_DEFAULTS = { kMin: 2, kMax: 10, nInit: 10, maxIter: 300, seed: 0, silhouetteSample: 20_000 };

/** Customer features from a stream of event chunks. */
export async function computeFeatures(
  chunks: AsyncIterable<EventChunk> | Iterable<EventChunk>,
  dictionaries: Dictionaries,
  referenceTime: number,
  shareCategories?: readonly string[],
): Promise<CustomerFeatures> {
  const acc = new CustomerFeatureAccumulator(dictionaries, { referenceTime, shareCategories });
  for await (const chunk of chunks) acc.add(chunk);
  return acc.result();
}

export interface ClusterOptions {
  k: number | 'auto';
  kMin: number;
  kMax: number;
  nInit: number;
  maxIter: number;
  seed: number;
  silhouetteSample: number;
  /** Default 'lloyd'. */
  algorithm?: 'lloyd' | 'minibatch';
  batchSize?: number;
}

export type KMeansFit = Awaited<ReturnType<KMeans['fit']>>;

export interface Clustering {
  candidates: KCandidate[];
  suggestion: { k: number; reason: string };
  fit: KMeansFit;
  silhouette: number;
  silhouetteSample: number | null;
  /** The chosen fit's s(i) per point used, and which rows they are (null = every row); null when k = 1. */
  silhouettePerPoint: Float32Array | null;
  silhouetteSampleIndex: Uint32Array | null;
}

/** k-means for each k asked for, with the evidence to choose; the suggested (or only) k's fit. */
export async function clusterMatrix(
  tf: Tf,
  matrix: Float32Array,
  n: number,
  d: number,
  o: ClusterOptions,
  ctx: JobContext,
): Promise<Clustering> {
  const ks = o.k === 'auto' ? range(o.kMin, Math.min(o.kMax, n - 1)) : [o.k];
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1 || k > n)) {
    throw new Error(`cannot make ${o.k === 'auto' ? `${o.kMin}–${o.kMax}` : o.k} segments from ${n} points`);
  }
  const candidates: KCandidate[] = [];
  const fits = new Map<
    number,
    { fit: KMeansFit; silhouette: number; sampled: number | null; perPoint: Float32Array | null; sampleIndex: Uint32Array | null }
  >();
  for (const [step, k] of ks.entries()) {
    const kmeans = new KMeans({
      k,
      nInit: o.nInit,
      maxIter: o.maxIter,
      seed: o.seed,
      algorithm: o.algorithm ?? 'lloyd',
      ...(o.batchSize !== undefined ? { batchSize: o.batchSize } : {}),
    });
    const fit = await kmeans.fit(tf, matrix, n, d, {
      signal: ctx.signal,
      onProgress: (p) =>
        ctx.progress({
          fraction: (step + p.fraction * 0.8) / ks.length,
          message: `k = ${k}: restart ${p.restart + 1}/${o.nInit}, ${o.algorithm === 'minibatch' ? 'epoch' : 'iteration'} ${p.iteration}, inertia ${p.inertia.toPrecision(6)}`,
          figures: { k, restart: p.restart, iteration: p.iteration, inertia: p.inertia },
        }),
    });
    await checkpoint(ctx.signal);
    ctx.progress({ fraction: (step + 0.85) / ks.length, message: `k = ${k}: silhouette…` });
    const sil =
      k > 1 ? await silhouetteScore(tf, matrix, n, d, fit.labels, k, { sampleSize: o.silhouetteSample, seed: o.seed, signal: ctx.signal }) : null;
    const candidate: KCandidate = {
      k,
      inertia: fit.inertia,
      silhouette: sil?.score ?? NaN,
      daviesBouldin: k > 1 ? daviesBouldin(matrix, n, d, fit.labels, k) : NaN,
      iterations: fit.nIter,
    };
    candidates.push(candidate);
    fits.set(k, {
      fit,
      silhouette: candidate.silhouette,
      sampled: sil?.sampled ?? null,
      perPoint: sil?.perPoint ?? null,
      sampleIndex: sil?.sampleIndex ?? null,
    });
  }
  const suggestion = ks.length > 1 ? suggestK(candidates) : { k: ks[0], reason: `k = ${ks[0]} was asked for` };
  const chosen = fits.get(suggestion.k);
  if (!chosen) throw new Error(`internal: no fit for the suggested k ${suggestion.k}`);
  return {
    candidates,
    suggestion,
    fit: chosen.fit,
    silhouette: chosen.silhouette,
    silhouetteSample: chosen.sampled,
    silhouettePerPoint: chosen.perPoint,
    silhouetteSampleIndex: chosen.sampleIndex,
  };
}

/**
 * Groups per-point silhouette values by segment for a silhouette plot: each segment's values sorted
 * descending and, above `maxValues`, thinned to that many evenly spaced quantiles (first = max,
 * last = min) so a saved run stays small. `perPoint[i]` belongs to row `sampleIndex[i]` (or row i).
 */
export function silhouetteBySegment(
  perPoint: Float32Array,
  sampleIndex: Uint32Array | null,
  labels: Int32Array,
  k: number,
  maxValues = 400,
): SegmentSilhouette[] {
  if (sampleIndex ? sampleIndex.length !== perPoint.length : labels.length !== perPoint.length) {
    throw new RangeError(`silhouetteBySegment: ${perPoint.length} values for ${sampleIndex ? sampleIndex.length : labels.length} rows`);
  }
  if (!Number.isInteger(maxValues) || maxValues < 2) throw new RangeError(`silhouetteBySegment: maxValues must be an integer ≥ 2, got ${maxValues}`);
  const groups: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < perPoint.length; i++) {
    const label = labels[sampleIndex ? sampleIndex[i] : i];
    if (!(label >= 0 && label < k)) throw new RangeError(`silhouetteBySegment: label ${label} is outside 0..${k - 1}`);
    groups[label].push(perPoint[i]);
  }
  return groups.map((g, segment) => {
    g.sort((a, b) => b - a);
    const count = g.length;
    let sum = 0;
    for (const v of g) sum += v;
    const m = Math.min(count, maxValues);
    const values = new Float32Array(m);
    // Quantile j of m sits at rank j·(count−1)/(m−1); with m = count that is every value.
    for (let j = 0; j < m; j++) values[j] = g[m === 1 ? 0 : Math.round((j * (count - 1)) / (m - 1))];
    return { segment, values, mean: count > 0 ? sum / count : NaN, count };
  });
}

export async function segmentCustomers(
  tf: Tf,
  features: CustomerFeatures,
  params: SegmentationParams,
  ctx: JobContext,
): Promise<SegmentationResult> {
  const started = performance.now();
  const choice = chooseAlgorithm(features.n, params.algorithm ?? 'auto', MINIBATCH_THRESHOLD, params.batchSize ?? MINIBATCH_BATCH_SIZE);
  const options: ClusterOptions = {
    k: params.k,
    kMin: params.kMin ?? SEGMENT_DEFAULTS.kMin,
    kMax: params.kMax ?? SEGMENT_DEFAULTS.kMax,
    nInit: params.nInit ?? SEGMENT_DEFAULTS.nInit,
    maxIter: params.maxIter ?? SEGMENT_DEFAULTS.maxIter,
    seed: params.seed ?? SEGMENT_DEFAULTS.seed,
    silhouetteSample: params.silhouetteSample ?? SEGMENT_DEFAULTS.silhouetteSample,
    algorithm: choice.algorithm,
    ...(choice.batchSize !== null ? { batchSize: choice.batchSize } : {}),
  };
  const spec = params.prep ?? suggestPrep(features);
  const prepared = prepare(features, spec);
  const { matrix, n, d } = prepared;
  const clustering = await clusterMatrix(tf, matrix, n, d, options, ctx);
  const { fit } = clustering;

  ctx.progress({ fraction: 0.97, message: 'profiling segments and projecting…' });
  const profiles = profileSegments(features, fit.labels, fit.k);
  const names = nameSegments(profiles, features);
  profiles.forEach((p, i) => (p.name = names[i]));
  const model = pca(matrix, n, d, 2);
  const bySegment = clustering.silhouettePerPoint
    ? silhouetteBySegment(clustering.silhouettePerPoint, clustering.silhouetteSampleIndex, fit.labels, fit.k)
    : undefined;

  return {
    createdAt: Date.now(),
    backend: tf.getBackend(),
    seconds: (performance.now() - started) / 1000,
    params: {
      k: options.k,
      kMin: options.kMin,
      kMax: options.kMax,
      nInit: options.nInit,
      maxIter: options.maxIter,
      seed: options.seed,
      silhouetteSample: options.silhouetteSample,
      prep: spec,
      referenceTime: features.referenceTime,
    },
    algorithm: choice,
    features: features.features,
    customers: features.customers,
    k: fit.k,
    candidates: clustering.candidates,
    suggestion: clustering.suggestion,
    inertia: fit.inertia,
    iterations: fit.nIter,
    silhouette: clustering.silhouette,
    silhouetteSample: clustering.silhouetteSample,
    labels: fit.labels,
    centers: fit.centers,
    scaling: { center: Array.from(prepared.center), scale: Array.from(prepared.scale) },
    profiles,
    names,
    projection: project(model, matrix, n, d),
    centerProjection: project(model, fit.centers, fit.k, d),
    explainedVariance: Array.from(model.explained),
    ...(bySegment ? { silhouetteBySegment: bySegment } : {}),
  };
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let k = from; k <= to; k++) out.push(k);
  return out;
}
