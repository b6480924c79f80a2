// Exact top-N evaluation: every model is asked for a score on EVERY item, and each user's list is
// the exact top k among all items they did not interact with in train (no sampled negatives).
// Ties: a higher score ranks first; equal scores rank the lower item index first; NaN scores count
// as -Infinity. Held-out items that also appear in the user's train row cannot be recommended and
// are dropped from the relevant set.

import { checkpoint } from '../compute/jobs';
import type { Csr } from './csr';
import { TopNAccumulator, type TopNMetrics } from './metrics';

export interface ScoreModel {
  items: number;
  /** Scores for each user (row-major users.length × items). */
  scoreBatch(users: Uint32Array): Promise<Float32Array>;
}

export interface EvaluateOptions {
  ks: number[];
  /** Users scored per model call (default 256). */
  batchSize?: number;
  signal?: AbortSignal;
  /** Per item, for the mean-popularity metric; default: users per item in train. */
  itemPopularity?: ArrayLike<number>;
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

export interface TopNEvaluation {
  metrics: TopNMetrics[];
  /** Users with at least one held-out item (the averages are over these). */
  users: number;
  /** Users without held-out items, excluded from the averages. */
  excludedUsers: number;
  seconds: number;
}

/** Users per item in a matrix (entries per column). */
export function columnCounts(m: Csr): Float32Array {
  const counts = new Float32Array(m.cols);
  const nnz = m.ptr[m.rows];
  for (let e = 0; e < nnz; e++) counts[m.idx[e]]++;
  return counts;
}

/**
 * The k best items of one score row, skipping `exclude` (sorted ascending item indices). A min-heap
 * of the current best keeps the cost at O(items · log k).
 */
export function selectTopK(scores: Float32Array, offset: number, items: number, k: number, exclude: ArrayLike<number> = []): { items: Uint32Array; scores: Float32Array } {
  const hs = new Float64Array(k);
  const hi = new Uint32Array(k);
  let size = 0;
  // "a is worse than b": lower score, or equal score and higher index.
  const worse = (sa: number, ia: number, sb: number, ib: number) => sa < sb || (sa === sb && ia > ib);
  const siftDown = (pos: number) => {
    for (;;) {
      const l = 2 * pos + 1;
      const r = l + 1;
      let w = pos;
      if (l < size && worse(hs[l], hi[l], hs[w], hi[w])) w = l;
      if (r < size && worse(hs[r], hi[r], hs[w], hi[w])) w = r;
      if (w === pos) return;
      const ts = hs[pos]; hs[pos] = hs[w]; hs[w] = ts;
      const ti = hi[pos]; hi[pos] = hi[w]; hi[w] = ti;
      pos = w;
    }
  };
  let ex = 0;
  for (let j = 0; j < items; j++) {
    while (ex < exclude.length && exclude[ex] < j) ex++;
    if (ex < exclude.length && exclude[ex] === j) continue;
    const raw = scores[offset + j];
    const s = raw === raw ? raw : -Infinity;
    if (size < k) {
      // Sift up.
      let pos = size++;
      hs[pos] = s;
      hi[pos] = j;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (!worse(hs[pos], hi[pos], hs[parent], hi[parent])) break;
        const ts = hs[pos]; hs[pos] = hs[parent]; hs[parent] = ts;
        const ti = hi[pos]; hi[pos] = hi[parent]; hi[parent] = ti;
        pos = parent;
      }
    } else if (k > 0 && worse(hs[0], hi[0], s, j)) {
      hs[0] = s;
      hi[0] = j;
      siftDown(0);
    }
  }
  const order = Array.from({ length: size }, (_, i) => i).sort((a, b) => (worse(hs[a], hi[a], hs[b], hi[b]) ? 1 : -1));
  return { items: Uint32Array.from(order, (i) => hi[i]), scores: Float32Array.from(order, (i) => hs[i]) };
}

/** The top n unseen items of one user (the explorer's list), with their scores. */
export async function topN(model: ScoreModel, train: Csr, user: number, n: number): Promise<{ items: Uint32Array; scores: Float32Array }> {
  const scores = await model.scoreBatch(Uint32Array.of(user));
  return selectTopK(scores, 0, model.items, n, train.idx.subarray(train.ptr[user], train.ptr[user + 1]));
}

/** Full-ranking top-N evaluation of a model on a split; metrics at each k in opts.ks. */
export async function evaluateTopN(model: ScoreModel, train: Csr, test: Csr, opts: EvaluateOptions): Promise<TopNEvaluation> {
  const started = performance.now();
  if (train.rows !== test.rows || train.cols !== test.cols) {
    throw new RangeError(`evaluateTopN: train is ${train.rows}×${train.cols} but test is ${test.rows}×${test.cols}`);
  }
  if (model.items !== train.cols) throw new RangeError(`evaluateTopN: the model scores ${model.items} items, the matrix has ${train.cols}`);
  const batchSize = opts.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`evaluateTopN: batchSize must be an integer ≥ 1, got ${batchSize}`);
  const kMax = Math.max(...opts.ks);
  const acc = new TopNAccumulator(opts.ks, train.cols, opts.itemPopularity ?? columnCounts(train));

  // Relevant sets first, so users without any are never scored.
  const relevant: (Set<number> | null)[] = new Array(train.rows).fill(null);
  const users: number[] = [];
  for (let u = 0; u < train.rows; u++) {
    const set = new Set<number>();
    const seen = train.idx.subarray(train.ptr[u], train.ptr[u + 1]);
    for (let e = test.ptr[u]; e < test.ptr[u + 1]; e++) if (!includesSorted(seen, test.idx[e])) set.add(test.idx[e]);
    if (set.size > 0) {
      relevant[u] = set;
      users.push(u);
    } else acc.excludedUsers++;
  }

  for (let start = 0; start < users.length; start += batchSize) {
    const batch = Uint32Array.from(users.slice(start, start + batchSize));
    const scores = await model.scoreBatch(batch);
    if (scores.length !== batch.length * model.items) throw new RangeError(`evaluateTopN: scoreBatch returned ${scores.length} scores for ${batch.length} users × ${model.items} items`);
    batch.forEach((u, b) => {
      const top = selectTopK(scores, b * model.items, model.items, kMax, train.idx.subarray(train.ptr[u], train.ptr[u + 1]));
      acc.add(top.items, relevant[u] as Set<number>);
    });
    await opts.onProgress?.(Math.min(users.length, start + batchSize), users.length);
    if (opts.signal) await checkpoint(opts.signal);
  }
  return { metrics: acc.result(), users: acc.users, excludedUsers: acc.excludedUsers, seconds: (performance.now() - started) / 1000 };
}

function includesSorted(a: Uint32Array, v: number): boolean {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo < a.length && a[lo] === v;
}
