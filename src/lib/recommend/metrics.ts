// Top-N ranking metrics and rating errors, per user and averaged. Definitions (k = cut-off, R = the
// user's held-out items, hits = recommended items among the first k that are in R):
//   precision@k = hits ÷ k (a list shorter than k — even an empty one — still divides by k)
//   recall@k    = hits ÷ |R|
//   NDCG@k      = DCG ÷ IDCG, binary gains: DCG = Σ_{hit at rank i ≤ k} 1/log2(i+1),
//                 IDCG = Σ_{i=1..min(|R|,k)} 1/log2(i+1)
//   AP@k        = Σ_{hit at rank i ≤ k} (hits within the first i ÷ i) ÷ min(|R|, k); MAP = mean AP
//   hit rate    = share of users with at least one hit; MRR = mean of 1 ÷ rank of the first hit (0 if none)
//   coverage    = distinct items in all users' top k ÷ catalogue size
//   mean popularity = mean of itemPopularity over every recommended slot
// Users with no held-out items have no defined recall or NDCG: they are excluded and counted.
// Ranked lists are produced by evaluate.ts, which breaks score ties by the lower item index.

export interface UserMetrics {
  hits: number;
  precision: number;
  recall: number;
  ndcg: number;
  ap: number;
  hit: number;
  rr: number;
}

export interface TopNMetrics {
  k: number;
  precision: number;
  recall: number;
  ndcg: number;
  map: number;
  hitRate: number;
  mrr: number;
  coverage: number;
  /** NaN when no item popularity was given. */
  meanPopularity: number;
}

/** 1/log2(i+1) for ranks i = 1..k, cached per k. */
const discountCache = new Map<number, Float64Array>();
function discounts(k: number): Float64Array {
  let d = discountCache.get(k);
  if (!d) {
    d = new Float64Array(k + 1);
    for (let i = 1; i <= k; i++) d[i] = 1 / Math.log2(i + 1);
    discountCache.set(k, d);
  }
  return d;
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer ≥ 1, got ${k}`);
}

/** One user's metrics at k. `ranked` is best first; `relevant` must not be empty. */
export function userMetrics(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): UserMetrics {
  checkK(k);
  if (relevant.size === 0) throw new RangeError('userMetrics: a user without held-out items has no ranking metrics');
  const d = discounts(k);
  const n = Math.min(k, ranked.length);
  let hits = 0;
  let dcg = 0;
  let apSum = 0;
  let rr = 0;
  for (let i = 0; i < n; i++) {
    if (!relevant.has(ranked[i])) continue;
    hits++;
    dcg += d[i + 1];
    apSum += hits / (i + 1);
    if (rr === 0) rr = 1 / (i + 1);
  }
  const ideal = Math.min(relevant.size, k);
  let idcg = 0;
  for (let i = 1; i <= ideal; i++) idcg += d[i];
  return { hits, precision: hits / k, recall: hits / relevant.size, ndcg: dcg / idcg, ap: apSum / ideal, hit: hits > 0 ? 1 : 0, rr };
}

/** Averages user metrics at several cut-offs; feed it each user's ranked list (at least max(ks) long when possible). */
export class TopNAccumulator {
  readonly ks: number[];
  users = 0;
  excludedUsers = 0;
  private readonly sums: Float64Array[];
  private readonly seen: Uint8Array[];
  private readonly popSum: Float64Array;
  private readonly slots: Float64Array;

  constructor(ks: readonly number[], private readonly items: number, private readonly itemPopularity?: ArrayLike<number>) {
    if (ks.length === 0) throw new RangeError('TopNAccumulator: give at least one k');
    ks.forEach(checkK);
    this.ks = [...ks];
    this.sums = this.ks.map(() => new Float64Array(6));
    this.seen = this.ks.map(() => new Uint8Array(items));
    this.popSum = new Float64Array(this.ks.length);
    this.slots = new Float64Array(this.ks.length);
  }

  /** Adds one user; a user with no relevant items is only counted as excluded. */
  add(ranked: ArrayLike<number>, relevant: ReadonlySet<number>): void {
    if (relevant.size === 0) {
      this.excludedUsers++;
      return;
    }
    this.users++;
    this.ks.forEach((k, j) => {
      const m = userMetrics(ranked, relevant, k);
      const s = this.sums[j];
      s[0] += m.precision;
      s[1] += m.recall;
      s[2] += m.ndcg;
      s[3] += m.ap;
      s[4] += m.hit;
      s[5] += m.rr;
      const n = Math.min(k, ranked.length);
      for (let i = 0; i < n; i++) {
        this.seen[j][ranked[i]] = 1;
        if (this.itemPopularity) this.popSum[j] += this.itemPopularity[ranked[i]];
      }
      this.slots[j] += n;
    });
  }

  /** Means over the users added (NaN metrics when there were none). */
  result(): TopNMetrics[] {
    return this.ks.map((k, j) => {
      const s = this.sums[j];
      const u = this.users;
      let distinct = 0;
      for (const f of this.seen[j]) distinct += f;
      return {
        k,
        precision: s[0] / u,
        recall: s[1] / u,
        ndcg: s[2] / u,
        map: s[3] / u,
        hitRate: s[4] / u,
        mrr: s[5] / u,
        coverage: this.items > 0 ? distinct / this.items : NaN,
        meanPopularity: this.itemPopularity && this.slots[j] > 0 ? this.popSum[j] / this.slots[j] : NaN,
      };
    });
  }
}

/** Root mean squared and mean absolute error of predicted against actual ratings. */
export function ratingErrors(predicted: ArrayLike<number>, actual: ArrayLike<number>): { rmse: number; mae: number; n: number } {
  if (predicted.length !== actual.length) throw new RangeError(`ratingErrors: ${predicted.length} predictions for ${actual.length} ratings`);
  const n = actual.length;
  let se = 0;
  let ae = 0;
  for (let i = 0; i < n; i++) {
    const d = predicted[i] - actual[i];
    se += d * d;
    ae += Math.abs(d);
  }
  return { rmse: Math.sqrt(se / n), mae: ae / n, n };
}
