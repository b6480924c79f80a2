// A recommender comparison, end to end: interactions → one split → every algorithm fitted on the
// identical train matrix and ranked over every unseen item (evaluate.ts) → an optional
// factors-vs-NDCG sweep → the explorer's models refitted on all interactions (ALS or MF for the
// lists, item–item similarity for the reasons, popularity for customers without history).
//
// Rating data: the top-N protocol reads every rating as a positive (as the MovieLens references do),
// so popularity, item-kNN and ALS see a 0/1 matrix; explicit MF is fitted on the ratings themselves
// and reports RMSE/MAE on the held-out ratings besides its top-N figures.

import type * as TfCore from '@tensorflow/tfjs-core';
import type { JobContext } from '../compute/jobs';
import { checkpoint } from '../compute/jobs';
import type { Dictionaries, EventChunk } from '../data/schema';
import { ALS_DEFAULTS, fitImplicitAls, factorScorer, type AlsOptions, type FactorModel } from '../ml/als';
import { fitExplicitMf, predictRatings, type ExplicitMfModel, type ExplicitMfOptions } from '../ml/mf';
import { pca, project } from '../ml/pca';
import type { Csr } from './csr';
import { evaluateTopN, type ScoreModel } from './evaluate';
import { buildInteractions, type InteractionOptions, type Interactions } from './interactions';
import { fitItemKnn, itemKnnScorer, type ItemKnn, type ItemKnnOptions } from './itemknn';
import { ratingErrors, type TopNMetrics } from './metrics';
import { popularityModel, segmentPopularityModel } from './popularity';
import { leaveLastN, timeSplit, userRandomSplit, type Split } from './split';

type Tf = typeof TfCore;

export const ALGORITHMS = ['pop', 'segpop', 'itemknn', 'als', 'mf'] as const;
export type AlgoId = (typeof ALGORITHMS)[number];
export const ALGO_LABELS: Record<AlgoId, string> = {
  pop: 'Popularity',
  segpop: 'Popularity in the customer’s segment',
  itemknn: 'Item-to-item (cosine)',
  als: 'Implicit ALS',
  mf: 'Explicit MF (biased)',
};

export type SplitSpec =
  | { kind: 'user-random'; fraction: number; seed: number; minItems?: number }
  | { kind: 'last'; n: number }
  | { kind: 'time'; cutoff: number };

export interface RecommendParams {
  algorithms?: AlgoId[];
  split?: SplitSpec;
  /** Cut-offs the metrics are computed at; the first one ≥ 10 (or the largest) is the headline. */
  ks?: number[];
  interactions?: InteractionOptions;
  als?: Omit<AlsOptions, 'signal' | 'onIteration'>;
  mf?: Omit<ExplicitMfOptions, 'signal' | 'onIteration'>;
  knn?: Omit<ItemKnnOptions, 'blockItems'>;
  /** ALS factor counts for the factors-vs-NDCG sweep; empty for none. */
  sweepFactors?: number[];
  /** Segment per dataset customer index (-1 = none), for per-segment popularity. */
  segments?: { runId: string; names: string[]; ofCustomer: Int32Array } | null;
}

export interface AlgoReport {
  algo: AlgoId;
  label: string;
  metrics: TopNMetrics[];
  users: number;
  excludedUsers: number;
  fitSeconds: number;
  evalSeconds: number;
  /** Training loss per iteration (empty for pop and item-kNN). */
  loss: number[];
  rmse: number | null;
  mae: number | null;
}

export interface SweepPoint {
  factors: number;
  ndcg: number;
  precision: number;
}

export interface RecommendResult {
  createdAt: number;
  backend: string;
  seconds: number;
  kind: 'implicit' | 'explicit';
  params: { algorithms: AlgoId[]; split: SplitSpec; ks: number[]; headlineK: number; als: AlsOptions; mf: ExplicitMfOptions; knn: ItemKnnOptions; sweepFactors: number[] };
  split: { users: number; items: number; trainInteractions: number; testInteractions: number; usersWithHeldOut: number };
  comparison: AlgoReport[];
  sweep: SweepPoint[] | null;
  /** Explorer: all interactions (0/1 for rating data) and the models fitted on them. */
  userIds: Uint32Array;
  itemIds: Uint32Array;
  history: Csr;
  explorerAlgo: 'als' | 'itemknn';
  factors: FactorModel | null;
  knn: ItemKnn;
  popularity: Float32Array;
  segmentPopularity: { runId: string; names: string[]; ofUser: Int32Array } | null;
  /** items × 2: PCA of the ALS item factors, and the variance each axis explains. */
  itemMap: { points: Float32Array; explained: number[] } | null;
}

export const RECOMMEND_DEFAULTS = {
  ks: [1, 5, 10, 20],
  split: { kind: 'user-random', fraction: 0.25, seed: 42, minItems: 4 } as SplitSpec,
  als: { factors: ALS_DEFAULTS.factors, iterations: ALS_DEFAULTS.iterations, regularization: ALS_DEFAULTS.regularization, alpha: ALS_DEFAULTS.alpha, seed: 0 },
  mf: { seed: 0 } as ExplicitMfOptions,
  knn: { neighbours: 20, shrink: 10 },
  sweepFactors: [8, 16, 32, 64],
};

export function applySplit(inter: Interactions, spec: SplitSpec): Split {
  if (spec.kind === 'user-random') return userRandomSplit(inter, spec.fraction, spec.seed, spec.minItems ?? 4);
  if (spec.kind === 'last') return leaveLastN(inter, spec.n);
  return timeSplit(inter, spec.cutoff);
}

/** The same matrix with every stored value set to 1 (ratings read as positives). */
export function binarise(m: Csr): Csr {
  return { ...m, val: new Float32Array(m.val.length).fill(1) };
}

function nnzOf(m: Csr): number {
  return m.ptr[m.rows];
}

function headline(ks: number[]): number {
  return ks.find((k) => k >= 10) ?? ks[ks.length - 1];
}

/**
 * Ranking scores of an explicit MF model: μ + b_u + b_i + p_u·q_i, not clipped to the rating scale
 * (clipping would tie every item predicted above the top rating), as the CLI ranks.
 */
export function mfScorer(model: ExplicitMfModel): ScoreModel {
  const { items, factors: f, userFactors: P, itemFactors: Q } = model;
  return {
    items,
    async scoreBatch(users) {
      const out = new Float32Array(users.length * items);
      for (let b = 0; b < users.length; b++) {
        const u = users[b];
        const base = model.globalMean + model.userBias[u];
        for (let i = 0; i < items; i++) {
          let dot = 0;
          for (let j = 0; j < f; j++) dot += P[u * f + j] * Q[i * f + j];
          out[b * items + i] = base + model.itemBias[i] + dot;
        }
      }
      return out;
    },
  };
}

export async function runRecommend(
  tf: Tf,
  chunks: AsyncIterable<EventChunk> | EventChunk[],
  dictionaries: Dictionaries,
  params: RecommendParams,
  ctx: JobContext,
): Promise<RecommendResult> {
  const started = performance.now();
  const ks = [...new Set(params.ks ?? RECOMMEND_DEFAULTS.ks)].sort((a, b) => a - b);
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1)) throw new Error(`Cut-offs k must be whole numbers ≥ 1, got ${ks.join(', ')}.`);
  const headlineK = headline(ks);
  const split = params.split ?? RECOMMEND_DEFAULTS.split;
  const als: AlsOptions = { ...RECOMMEND_DEFAULTS.als, ...params.als };
  const mf: ExplicitMfOptions = { ...RECOMMEND_DEFAULTS.mf, ...params.mf };
  const knnOptions: ItemKnnOptions = { ...RECOMMEND_DEFAULTS.knn, ...params.knn };
  const sweepFactors = params.sweepFactors ?? RECOMMEND_DEFAULTS.sweepFactors;

  ctx.progress({ fraction: 0.02, message: 'building the interaction matrix…' });
  const inter = await buildInteractions(chunks, dictionaries, params.interactions ?? {});
  if (inter.matrix.rows < 2 || inter.matrix.cols < 2) throw new Error(`Only ${inter.matrix.rows} customers and ${inter.matrix.cols} items have interactions: too few to recommend.`);
  const explicit = inter.kind === 'explicit';
  const algorithms = (params.algorithms ?? (explicit ? ['pop', 'itemknn', 'als', 'mf'] : ['pop', 'itemknn', 'als'])).filter(
    (a, i, all) => ALGORITHMS.includes(a) && all.indexOf(a) === i,
  );
  if (algorithms.includes('mf') && !explicit) throw new Error('Explicit MF needs ratings; this dataset has purchases or views. Use implicit ALS.');
  if (algorithms.includes('segpop') && !params.segments) throw new Error('Popularity by segment needs a saved segmentation: choose one for cold start.');
  // With a segmentation, its per-segment popularity joins the comparison beside global popularity.
  if (params.segments && !algorithms.includes('segpop')) algorithms.splice(algorithms.includes('pop') ? algorithms.indexOf('pop') + 1 : 0, 0, 'segpop');
  let segmentOfUser: Int32Array | null = null;
  if (params.segments) {
    const ofCustomer = params.segments.ofCustomer;
    segmentOfUser = Int32Array.from(inter.userIds, (c) => ofCustomer[c] ?? -1);
  }

  const s = applySplit(inter, split);
  if (s.usersWithHeldOut === 0) throw new Error('The split held out no items for any customer (each needs enough history). Choose a smaller hold-out or another split.');
  const train = explicit ? binarise(s.train) : s.train;
  const test = explicit ? binarise(s.test) : s.test;
  const popularity = popularityModel(train).popularity;

  const comparison: AlgoReport[] = [];
  const steps = algorithms.length + (sweepFactors.length > 0 ? 1 : 0) + 1;
  let step = 0;
  const stepProgress = (message: string, within = 0) =>
    ctx.progress({ fraction: 0.05 + (0.9 * (step + within)) / steps, message });

  for (const algo of algorithms) {
    stepProgress(`fitting ${ALGO_LABELS[algo]}…`);
    const loss: number[] = [];
    const t0 = performance.now();
    let model: ScoreModel;
    let rmse: number | null = null;
    let mae: number | null = null;
    if (algo === 'pop') {
      model = popularityModel(train);
    } else if (algo === 'segpop') {
      model = segmentPopularityModel(train, segmentOfUser ?? new Int32Array(train.rows).fill(-1));
    } else if (algo === 'itemknn') {
      model = itemKnnScorer(await fitItemKnn(tf, train, knnOptions), train);
    } else if (algo === 'als') {
      const fit = await fitImplicitAls(tf, train, {
        ...als,
        signal: ctx.signal,
        onIteration: (it) => {
          loss.push(it.loss);
          const within = (0.5 * it.iteration) / (als.iterations ?? 15);
          ctx.progress({ fraction: 0.05 + (0.9 * (step + within)) / steps, message: `ALS iteration ${it.iteration}: loss ${it.loss.toPrecision(5)}`, figures: { iteration: it.iteration, loss: it.loss } });
        },
      });
      model = factorScorer(tf, fit);
    } else {
      const fit = await fitExplicitMf(tf, s.train, {
        ...mf,
        signal: ctx.signal,
        onIteration: (it) => {
          loss.push(it.loss);
          ctx.progress({ fraction: 0.05 + (0.9 * step) / steps, message: `MF iteration ${it.iteration}: train RMSE ${it.rmse.toFixed(4)}`, figures: { iteration: it.iteration, loss: it.loss } });
        },
      });
      const users = new Uint32Array(nnzOf(s.test));
      for (let u = 0; u < s.test.rows; u++) users.fill(u, s.test.ptr[u], s.test.ptr[u + 1]);
      const errors = ratingErrors(predictRatings(fit, users, s.test.idx), s.test.val);
      rmse = errors.rmse;
      mae = errors.mae;
      model = mfScorer(fit);
    }
    const fitSeconds = (performance.now() - t0) / 1000;
    stepProgress(`ranking every unseen item with ${ALGO_LABELS[algo]}…`, 0.5);
    const evaluation = await evaluateTopN(model, train, test, { ks, signal: ctx.signal, itemPopularity: popularity });
    comparison.push({
      algo,
      label: ALGO_LABELS[algo],
      metrics: evaluation.metrics,
      users: evaluation.users,
      excludedUsers: evaluation.excludedUsers,
      fitSeconds,
      evalSeconds: evaluation.seconds,
      loss,
      rmse,
      mae,
    });
    step++;
    await checkpoint(ctx.signal);
  }

  let sweep: SweepPoint[] | null = null;
  if (sweepFactors.length > 0) {
    sweep = [];
    for (const factors of sweepFactors) {
      stepProgress(`factors sweep: ALS with ${factors} factors…`, sweep.length / sweepFactors.length);
      const fit = await fitImplicitAls(tf, train, { ...als, factors, signal: ctx.signal });
      const e = await evaluateTopN(factorScorer(tf, fit), train, test, { ks: [headlineK], signal: ctx.signal });
      sweep.push({ factors, ndcg: e.metrics[0].ndcg, precision: e.metrics[0].precision });
    }
    step++;
  }

  stepProgress('fitting the explorer on all interactions…');
  const history = explicit ? binarise(inter.matrix) : inter.matrix;
  const knn = await fitItemKnn(tf, history, knnOptions);
  const wantFactors = algorithms.includes('als') || algorithms.includes('mf');
  const factors = wantFactors ? await fitImplicitAls(tf, history, { ...als, signal: ctx.signal }) : null;
  let itemMap: RecommendResult['itemMap'] = null;
  if (factors && factors.items >= 2) {
    const p = pca(factors.itemFactors, factors.items, factors.factors, 2);
    itemMap = { points: project(p, factors.itemFactors, factors.items, factors.factors), explained: Array.from(p.explained) };
  }
  const segmentPopularity: RecommendResult['segmentPopularity'] =
    params.segments && segmentOfUser ? { runId: params.segments.runId, names: params.segments.names, ofUser: segmentOfUser } : null;
  ctx.progress({ fraction: 1, message: 'done' });
  return {
    createdAt: Date.now(),
    backend: tf.getBackend(),
    seconds: (performance.now() - started) / 1000,
    kind: inter.kind,
    params: { algorithms, split, ks, headlineK, als, mf, knn: knnOptions, sweepFactors },
    split: { users: inter.matrix.rows, items: inter.matrix.cols, trainInteractions: nnzOf(s.train), testInteractions: nnzOf(s.test), usersWithHeldOut: s.usersWithHeldOut },
    comparison,
    sweep,
    userIds: inter.userIds,
    itemIds: inter.itemIds,
    history,
    explorerAlgo: factors ? 'als' : 'itemknn',
    factors,
    knn,
    popularity: popularityModel(history).popularity,
    segmentPopularity,
    itemMap,
  };
}
