// A recommender run as a JSON file a user can keep, share and import again: typed arrays (the
// interaction matrix, factors, neighbour lists, popularity) are written as tagged number lists, and
// every shape is checked on the way back in so a damaged file fails with a reason, not later in the
// explorer.

import type { Csr } from './csr';
import type { AlgoId, RecommendResult } from './run';

// A type-checked list of the algorithm ids (TS fails here when run.ts adds one), kept as a type-only
// import so reading a file never loads the fitting code.
const KNOWN_ALGOS: Record<AlgoId, true> = { pop: true, segpop: true, itemknn: true, als: true, mf: true };
const isAlgo = (a: unknown): a is AlgoId => typeof a === 'string' && Object.hasOwn(KNOWN_ALGOS, a);

export const RECOMMEND_FORMAT = 'shoplens-recommender';
export const RECOMMEND_VERSION = 1;

const TYPED = {
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedName = keyof typeof TYPED;

export class RecommendFormatError extends Error {
  constructor(message: string) {
    super(`Not a ShopLens recommender file: ${message}`);
    this.name = 'RecommendFormatError';
  }
}

export function recommendToJson(run: RecommendResult): string {
  return JSON.stringify({ format: RECOMMEND_FORMAT, version: RECOMMEND_VERSION, run }, (_key, value: unknown) => {
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const name = value.constructor.name;
      if (!(name in TYPED)) throw new Error(`cannot serialise ${name}`);
      // JSON has no NaN/Infinity; none of the stored arrays hold them (checked on import).
      return { $typed: name, values: Array.from(value as unknown as ArrayLike<number>) };
    }
    // Metrics may be NaN (mean popularity without popularity, a missing RMSE): JSON writes null.
    return value;
  });
}

export function recommendFromJson(text: string): RecommendResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (_key, value: unknown) => {
      if (value && typeof value === 'object' && '$typed' in value && 'values' in value) {
        const { $typed, values } = value as { $typed: unknown; values: unknown };
        if (typeof $typed !== 'string' || !($typed in TYPED) || !Array.isArray(values) || values.some((v) => typeof v !== 'number')) {
          throw new RecommendFormatError(`a number list is malformed (${String($typed)})`);
        }
        return TYPED[$typed as TypedName].from(values as number[]);
      }
      return value;
    });
  } catch (error) {
    if (error instanceof RecommendFormatError) throw error;
    throw new RecommendFormatError(`the text is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const doc = parsed as { format?: unknown; version?: unknown; run?: unknown } | null;
  if (doc?.format !== RECOMMEND_FORMAT) throw new RecommendFormatError('its "format" field is missing or different');
  if (doc.version !== RECOMMEND_VERSION) throw new RecommendFormatError(`version ${String(doc.version)} is not supported (expected ${RECOMMEND_VERSION})`);
  const run = doc.run as RecommendResult;
  checkRun(run);
  restoreNaN(run);
  return run;
}

/** JSON turned NaN metrics into null; put NaN back so the view's "n/a" logic sees numbers. */
function restoreNaN(run: RecommendResult): void {
  const num = (v: unknown): number => (typeof v === 'number' ? v : NaN);
  for (const a of run.comparison) {
    for (const m of a.metrics) {
      for (const key of Object.keys(m) as (keyof typeof m)[]) m[key] = num(m[key]);
    }
    a.loss = a.loss.map(num);
  }
  if (run.sweep) for (const p of run.sweep) (p.ndcg = num(p.ndcg)), (p.precision = num(p.precision));
}

function need(ok: boolean, what: string): asserts ok {
  if (!ok) throw new RecommendFormatError(what);
}

function checkCsr(m: Csr | undefined, name: string): asserts m is Csr {
  need(!!m && typeof m === 'object', `"${name}" is missing`);
  need(Number.isInteger(m.rows) && m.rows >= 1 && Number.isInteger(m.cols) && m.cols >= 1, `"${name}" must have whole-number rows and cols ≥ 1`);
  need(m.ptr instanceof Uint32Array && m.ptr.length === m.rows + 1, `"${name}.ptr" must be a Uint32Array of rows + 1 offsets`);
  need(m.ptr[0] === 0 && m.ptr.every((p, i) => i === 0 || p >= m.ptr[i - 1]), `"${name}.ptr" must start at 0 and never decrease`);
  const nnz = m.ptr[m.rows];
  need(m.idx instanceof Uint32Array && m.idx.length === nnz, `"${name}.idx" must hold ptr[rows] = ${nnz} column indices`);
  need(m.val instanceof Float32Array && m.val.length === nnz, `"${name}.val" must hold ptr[rows] = ${nnz} values`);
  need(m.idx.every((c) => c < m.cols), `"${name}.idx" must lie in 0…cols−1`);
  need(m.val.every(Number.isFinite), `"${name}.val" must be finite numbers`);
}

function checkRun(run: RecommendResult): void {
  need(!!run && typeof run === 'object', 'no "run" object');
  need(run.kind === 'implicit' || run.kind === 'explicit', '"kind" must be "implicit" or "explicit"');
  need(Number.isFinite(run.createdAt), '"createdAt" must be a time');
  const p = run.params;
  need(!!p && Array.isArray(p.algorithms) && p.algorithms.every(isAlgo), '"params.algorithms" must list known algorithms');
  need(Array.isArray(p.ks) && p.ks.length > 0 && p.ks.every((k) => Number.isInteger(k) && k >= 1), '"params.ks" must list whole numbers ≥ 1');
  need(p.ks.includes(p.headlineK), '"params.headlineK" must be one of "params.ks"');
  need(Array.isArray(run.comparison), '"comparison" must be a list');
  for (const a of run.comparison) {
    need(isAlgo(a.algo), `"comparison" names an unknown algorithm (${String(a.algo)})`);
    need(Array.isArray(a.metrics) && a.metrics.length === p.ks.length, `"comparison" for ${a.algo} must give metrics at every k`);
    need(Array.isArray(a.loss), `"comparison" for ${a.algo} needs a "loss" list`);
  }
  need(run.sweep === null || Array.isArray(run.sweep), '"sweep" must be a list or null');

  checkCsr(run.history, 'history');
  const users = run.history.rows;
  const items = run.history.cols;
  need(run.userIds instanceof Uint32Array && run.userIds.length === users, '"userIds" must give one customer per history row');
  need(run.itemIds instanceof Uint32Array && run.itemIds.length === items, '"itemIds" must give one item per history column');
  need(run.popularity instanceof Float32Array && run.popularity.length === items, '"popularity" must give one number per item');

  const k = run.knn;
  need(!!k && Number.isInteger(k.neighbours) && k.neighbours >= 1 && k.items === items, '"knn" must describe the same items');
  need(k.nbrIdx instanceof Int32Array && k.nbrIdx.length === items * k.neighbours, '"knn.nbrIdx" must be items × neighbours');
  need(k.nbrSim instanceof Float32Array && k.nbrSim.length === items * k.neighbours, '"knn.nbrSim" must be items × neighbours');
  need(k.nbrIdx.every((j) => j >= -1 && j < items), '"knn.nbrIdx" must lie in −1…items−1');

  need(run.explorerAlgo === 'als' || run.explorerAlgo === 'itemknn', '"explorerAlgo" must be "als" or "itemknn"');
  const f = run.factors;
  if (f !== null) {
    need(!!f && f.users === users && f.items === items && Number.isInteger(f.factors) && f.factors >= 1, '"factors" must match the history\'s users and items');
    need(f.userFactors instanceof Float32Array && f.userFactors.length === users * f.factors, '"factors.userFactors" must be users × factors');
    need(f.itemFactors instanceof Float32Array && f.itemFactors.length === items * f.factors, '"factors.itemFactors" must be items × factors');
    need(f.userFactors.every(Number.isFinite) && f.itemFactors.every(Number.isFinite), '"factors" must be finite numbers');
  } else {
    need(run.explorerAlgo === 'itemknn', '"explorerAlgo" is "als" but there are no "factors"');
  }
  if (run.itemMap !== null) {
    need(!!run.itemMap && run.itemMap.points instanceof Float32Array && run.itemMap.points.length === 2 * items, '"itemMap.points" must have two numbers per item');
  }
  const s = run.segmentPopularity;
  if (s !== null) {
    need(!!s && Array.isArray(s.names) && s.names.every((n) => typeof n === 'string'), '"segmentPopularity.names" must be strings');
    need(s.ofUser instanceof Int32Array && s.ofUser.length === users, '"segmentPopularity.ofUser" must give one segment per history row');
    need(s.ofUser.every((g) => g >= -1 && g < s.names.length), '"segmentPopularity.ofUser" must lie in −1…segments−1');
  }
}
