// Teach mode for recommenders: implicit ALS on a small block of the interaction matrix (the most
// active customers × the most popular items, or the whole matrix when it is small), recorded per
// iteration — the loss, NDCG@k on a per-user hold-out inside the block, and the reconstruction U·Vᵀ
// of the whole block. als.ts reports only the loss per iteration, so iteration t is a fresh fit with
// iterations = t from the same seed: the same random start and the same updates, hence exactly the
// first t iterations of one fit (cheap at this size). The exact Cholesky solver is used so each step
// is the textbook update beside it, and the loss never rises.
// DOM-free; the worker job at the bottom reads the dataset like the 'recommend' job.

import type * as TfCore from '@tensorflow/tfjs-core';
import { factorScorer, fitImplicitAls } from '../ml/als';
import { checkpoint, type JobContext } from '../compute/jobs';
import { getDataset, getDictionaries, openStore, readChunks, type ShopLensDB } from '../store';
import { csrFromTriples, type Csr } from './csr';
import { columnCounts, evaluateTopN } from './evaluate';
import { buildInteractions, type Interactions } from './interactions';
import { userRandomSplit } from './split';

type Tf = typeof TfCore;

export interface BlockChoice {
  /** Matrix rows chosen, most active (within the chosen items) first. */
  rows: Uint32Array;
  /** Matrix columns chosen, most popular first. */
  cols: Uint32Array;
  /** rows.length × cols.length, the chosen rows and columns in that order. */
  block: Csr;
}

/** Indices 0…n−1 ordered by `score` descending, ties by lower index; the first `m` with score > 0. */
function topIndices(score: ArrayLike<number>, m: number): Uint32Array {
  const order = Array.from({ length: score.length }, (_, i) => i).filter((i) => score[i] > 0);
  order.sort((a, b) => score[b] - score[a] || a - b);
  return Uint32Array.from(order.slice(0, m));
}

/**
 * The `maxItems` items with the most customers, then the `maxUsers` customers with the most of those
 * items (customers with none are left out). The whole matrix when it already fits.
 */
export function selectBlock(m: Csr, maxUsers: number, maxItems: number): BlockChoice {
  for (const [name, v] of [['maxUsers', maxUsers], ['maxItems', maxItems]] as const) {
    if (!Number.isInteger(v) || v < 2) throw new RangeError(`selectBlock: ${name} must be an integer ≥ 2, got ${v}`);
  }
  const cols = topIndices(columnCounts(m), maxItems);
  const colPos = new Int32Array(m.cols).fill(-1);
  cols.forEach((c, j) => (colPos[c] = j));
  const inBlock = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) for (let e = m.ptr[r]; e < m.ptr[r + 1]; e++) if (colPos[m.idx[e]] >= 0) inBlock[r]++;
  const rows = topIndices(inBlock, maxUsers);
  const rr: number[] = [];
  const cc: number[] = [];
  const vv: number[] = [];
  rows.forEach((r, i) => {
    for (let e = m.ptr[r]; e < m.ptr[r + 1]; e++) {
      const j = colPos[m.idx[e]];
      if (j >= 0) (rr.push(i), cc.push(j), vv.push(m.val[e]));
    }
  });
  return { rows, cols, block: csrFromTriples(rows.length, cols.length, rr, cc, vv, 'sum') };
}

export interface AlsTraceOptions {
  factors: number;
  iterations: number;
  regularization: number;
  alpha: number;
  seed: number;
  /** Share of each customer's block items held out for NDCG (customers with ≥ 4 items). Default 0.25. */
  holdout?: number;
  /** Cut-off of the NDCG; default min(10, items − 1). */
  k?: number;
}

export interface AlsTraceStep {
  iteration: number;
  /** The HKV objective on the training part of the block. */
  loss: number;
  /** NDCG@k and precision@k over the held-out cells, ranking every unseen block item; NaN without hold-out. */
  ndcg: number;
  precision: number;
  /** rows × cols, row-major: x_u·y_i for every cell of the block. */
  reconstruction: Float32Array;
}

export interface AlsTraceCore {
  rows: number;
  cols: number;
  /** rows × cols: the interaction strength r_ui (0 where none). */
  strength: Float32Array;
  /** rows × cols: 1 where the cell was held out of training (shown as hidden, scored by NDCG). */
  heldOut: Uint8Array;
  k: number;
  /** Customers whose held-out cells the NDCG averages over. */
  usersEvaluated: number;
  steps: AlsTraceStep[];
}

function dense(m: Csr): Float32Array {
  const out = new Float32Array(m.rows * m.cols);
  for (let r = 0; r < m.rows; r++) for (let e = m.ptr[r]; e < m.ptr[r + 1]; e++) out[r * m.cols + m.idx[e]] = m.val[e];
  return out;
}

/** x·yᵀ of row-major factor matrices (rows × f and cols × f). */
export function reconstruct(x: Float32Array, y: Float32Array, rows: number, cols: number, f: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let u = 0; u < rows; u++) {
    for (let i = 0; i < cols; i++) {
      let s = 0;
      for (let j = 0; j < f; j++) s += x[u * f + j] * y[i * f + j];
      out[u * cols + i] = s;
    }
  }
  return out;
}

/** Records ALS on `block` iteration by iteration (see the header). */
export async function traceAls(
  tf: Tf,
  block: Csr,
  o: AlsTraceOptions,
  signal?: AbortSignal,
  onStep?: (s: AlsTraceStep) => void | Promise<void>,
): Promise<AlsTraceCore> {
  if (!Number.isInteger(o.iterations) || o.iterations < 1 || o.iterations > 100) throw new RangeError(`traceAls: iterations must be an integer in 1..100, got ${o.iterations}`);
  if (block.rows < 2 || block.cols < 2) throw new RangeError(`traceAls: the block needs at least 2 customers and 2 items, got ${block.rows}×${block.cols}`);
  const k = o.k ?? Math.min(10, block.cols - 1);
  const inter: Interactions = { kind: 'implicit', matrix: block, time: new Float64Array(block.idx.length).fill(NaN), userIds: new Uint32Array(block.rows), itemIds: new Uint32Array(block.cols) };
  const split = userRandomSplit(inter, o.holdout ?? 0.25, o.seed, 4);
  const test = dense(split.test);
  const heldOut = Uint8Array.from(test, (v) => (v !== 0 ? 1 : 0));
  const steps: AlsTraceStep[] = [];
  for (let t = 1; t <= o.iterations; t++) {
    if (signal) await checkpoint(signal);
    const fit = await fitImplicitAls(tf, split.train, {
      factors: o.factors,
      iterations: t,
      regularization: o.regularization,
      alpha: o.alpha,
      seed: o.seed,
      solver: 'cholesky',
      signal,
    });
    let ndcg = NaN;
    let precision = NaN;
    if (split.usersWithHeldOut > 0) {
      const e = await evaluateTopN(factorScorer(tf, fit), split.train, split.test, { ks: [k], signal });
      ndcg = e.metrics[0].ndcg;
      precision = e.metrics[0].precision;
    }
    const step: AlsTraceStep = {
      iteration: t,
      loss: fit.loss[t - 1],
      ndcg,
      precision,
      reconstruction: reconstruct(fit.userFactors, fit.itemFactors, block.rows, block.cols, fit.factors),
    };
    steps.push(step);
    await onStep?.(step);
  }
  return { rows: block.rows, cols: block.cols, strength: dense(block), heldOut, k, usersEvaluated: split.usersWithHeldOut, steps };
}

// ── The compute worker's 'alsTrace' job ──────────────────────────────────────────────────────────

export interface AlsTraceParams {
  datasetId: string;
  factors: number;
  iterations: number;
  regularization: number;
  alpha: number;
  seed: number;
  /** Default 30 customers × 20 items. */
  maxUsers?: number;
  maxItems?: number;
}

export interface AlsTraceResult extends AlsTraceCore {
  /** Raw customer ids of the block's rows and item labels of its columns (untrusted text). */
  customerIds: string[];
  itemLabels: string[];
  /** Customers and items with interactions in the whole dataset. */
  totalUsers: number;
  totalItems: number;
  kind: 'implicit' | 'explicit';
  params: Required<Omit<AlsTraceParams, 'datasetId'>>;
  backend: string;
  seconds: number;
}

export const ALS_TRACE_DEFAULTS = { factors: 4, iterations: 10, regularization: 0.1, alpha: 2, seed: 0, maxUsers: 30, maxItems: 20 };

let dbPromise: Promise<ShopLensDB> | null = null;

export async function alsTraceJob(tf: Tf, params: AlsTraceParams, ctx: JobContext): Promise<AlsTraceResult> {
  const started = performance.now();
  const p = { ...params, maxUsers: params.maxUsers ?? ALS_TRACE_DEFAULTS.maxUsers, maxItems: params.maxItems ?? ALS_TRACE_DEFAULTS.maxItems };
  dbPromise ??= openStore();
  const db = await dbPromise;
  const meta = await getDataset(db, p.datasetId);
  if (!meta) throw new Error('The dataset is gone (deleted in another tab?).');
  ctx.progress({ fraction: 0, message: 'building the interaction matrix…' });
  const dictionaries = await getDictionaries(db, p.datasetId);
  const inter = await buildInteractions(readChunks(db, p.datasetId), dictionaries, {});
  // Ratings read as positives, as the comparison's ALS sees them.
  const matrix = inter.kind === 'explicit' ? { ...inter.matrix, val: new Float32Array(inter.matrix.val.length).fill(1) } : inter.matrix;
  const choice = selectBlock(matrix, p.maxUsers, p.maxItems);
  if (choice.block.rows < 2 || choice.block.cols < 2) throw new Error('Too few customers and items with interactions to show ALS at work.');
  const core = await traceAls(tf, choice.block, p, ctx.signal, (s) =>
    ctx.progress({ fraction: s.iteration / p.iterations, message: `iteration ${s.iteration}: loss ${s.loss.toPrecision(4)}`, figures: { iteration: s.iteration, loss: s.loss } }),
  );
  const label = (item: number) => dictionaries.itemNames[item] || dictionaries.items[item] || `item ${item}`;
  return {
    ...core,
    customerIds: Array.from(choice.rows, (r) => dictionaries.customers[inter.userIds[r]] ?? `customer ${inter.userIds[r]}`),
    itemLabels: Array.from(choice.cols, (c) => label(inter.itemIds[c])),
    totalUsers: inter.matrix.rows,
    totalItems: inter.matrix.cols,
    kind: inter.kind,
    params: { factors: p.factors, iterations: p.iterations, regularization: p.regularization, alpha: p.alpha, seed: p.seed, maxUsers: p.maxUsers, maxItems: p.maxItems },
    backend: tf.getBackend(),
    seconds: (performance.now() - started) / 1000,
  };
}
