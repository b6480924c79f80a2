// Binary classification metrics, matching scikit-learn's definitions (sklearn/metrics/_ranking.py,
// _classification.py, sklearn/calibration.py) so our figures can be checked against it.
// y holds 0/1 labels; s any scores (higher = more likely positive); p probabilities in [0, 1].
// Pure functions over ArrayLike<number>; no DOM, no tensors.

type Labels = ArrayLike<number>;
type Scores = ArrayLike<number>;

function check(name: string, y: Labels, s: Scores): void {
  if (y.length !== s.length) throw new RangeError(`${name}: y has ${y.length} values, scores ${s.length}`);
  if (y.length === 0) throw new RangeError(`${name}: no samples`);
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new RangeError(`${name}: y must be 0/1, got ${y[i]} at ${i}`);
    if (Number.isNaN(s[i])) throw new RangeError(`${name}: score is NaN at ${i}`);
  }
}

function countPositives(y: Labels): number {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i];
  return pos;
}

function needBothClasses(name: string, pos: number, n: number): void {
  if (pos === 0 || pos === n) throw new RangeError(`${name}: needs both classes, got ${pos} positives of ${n}`);
}

/** Indices by score descending; ties by index ascending (deterministic). */
function orderDesc(s: Scores): Uint32Array {
  const idx = Uint32Array.from({ length: s.length }, (_, i) => i);
  const v = Float64Array.from(s);
  idx.sort((a, b) => v[b] - v[a] || a - b);
  return idx;
}

/**
 * Cumulative true and false positives at each distinct score, highest score first (sklearn's
 * _binary_clf_curve): predicting positive for score ≥ thresholds[k] gives tps[k], fps[k].
 */
function binaryCurve(y: Labels, s: Scores): { tps: number[]; fps: number[]; thresholds: number[] } {
  const order = orderDesc(s);
  const tps: number[] = [];
  const fps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (y[i] === 1) tp++;
    else fp++;
    if (k === order.length - 1 || s[order[k + 1]] !== s[i]) {
      tps.push(tp);
      fps.push(fp);
      thresholds.push(s[i]);
    }
  }
  return { tps, fps, thresholds };
}

/** Area under the ROC curve; tied scores count one half (Mann–Whitney U / (n₁·n₀)), as roc_auc_score. */
export function rocAuc(y: Labels, s: Scores): number {
  check('rocAuc', y, s);
  const n = y.length;
  const pos = countPositives(y);
  needBothClasses('rocAuc', pos, n);
  // Rank ascending with tie-averaged ranks; sum the ranks of the positives.
  const order = orderDesc(s).reverse();
  let rankSum = 0;
  for (let a = 0; a < n; ) {
    let b = a + 1;
    while (b < n && s[order[b]] === s[order[a]]) b++;
    const meanRank = (a + 1 + b) / 2; // ranks a+1 … b
    for (let k = a; k < b; k++) if (y[order[k]] === 1) rankSum += meanRank;
    a = b;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * (n - pos));
}

/**
 * ROC points at every distinct score (drop_intermediate=false), starting at (0, 0) with threshold
 * +Infinity (newer scikit-learn; 1.2 writes max + 1 there); thresholds decrease.
 */
export function rocCurve(y: Labels, s: Scores): { fpr: number[]; tpr: number[]; thresholds: number[] } {
  check('rocCurve', y, s);
  const { tps, fps, thresholds } = binaryCurve(y, s);
  const P = tps[tps.length - 1];
  const N = fps[fps.length - 1];
  needBothClasses('rocCurve', P, P + N);
  return {
    fpr: [0, ...fps.map((f) => f / N)],
    tpr: [0, ...tps.map((t) => t / P)],
    thresholds: [Infinity, ...thresholds],
  };
}

/**
 * Precision–recall points, highest threshold first: the first point is (recall 0, precision 1) at
 * threshold +Infinity, then one point per distinct score (so this is scikit-learn's
 * precision_recall_curve reversed). averagePrecision = Σ (R_k − R_{k−1})·P_k, as average_precision_score.
 */
export function prCurve(y: Labels, s: Scores): { precision: number[]; recall: number[]; thresholds: number[]; averagePrecision: number } {
  check('prCurve', y, s);
  const { tps, fps, thresholds } = binaryCurve(y, s);
  const P = tps[tps.length - 1];
  if (P === 0) throw new RangeError('prCurve: needs at least one positive');
  const precision = [1];
  const recall = [0];
  let ap = 0;
  for (let k = 0; k < tps.length; k++) {
    const pr = tps[k] / (tps[k] + fps[k]);
    const re = tps[k] / P;
    ap += (re - recall[recall.length - 1]) * pr;
    precision.push(pr);
    recall.push(re);
  }
  return { precision, recall, thresholds: [Infinity, ...thresholds], averagePrecision: ap };
}

/** Probabilities are clipped to [eps, 1 − eps] so a confident mistake costs a large, finite loss. */
const EPS = 1e-15;

/** Mean negative log-likelihood (natural log), as log_loss. */
export function logLoss(y: Labels, p: Scores): number {
  check('logLoss', y, p);
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - EPS, Math.max(EPS, p[i]));
    sum -= y[i] === 1 ? Math.log(q) : Math.log1p(-q);
  }
  return sum / y.length;
}

/** Mean squared error of the probabilities, as brier_score_loss. */
export function brierScore(y: Labels, p: Scores): number {
  check('brierScore', y, p);
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += (p[i] - y[i]) ** 2;
  return sum / y.length;
}

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Counts with "positive when p ≥ threshold"; precision/recall/F1 are 0 where undefined (sklearn's zero_division=0). */
export function confusionAt(y: Labels, p: Scores, threshold: number): Confusion {
  check('confusionAt', y, p);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < y.length; i++) {
    const predicted = p[i] >= threshold;
    if (predicted) {
      if (y[i] === 1) tp++;
      else fp++;
    } else if (y[i] === 1) fn++;
    else tn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { tp, fp, tn, fn, accuracy: (tp + tn) / y.length, precision, recall, f1 };
}

export interface CalibrationBin {
  low: number;
  high: number;
  count: number;
  meanPredicted: number;
  fractionPositive: number;
}

/**
 * Reliability diagram with uniform bins, like calibration_curve(strategy='uniform') in sklearn 1.2:
 * edges i/bins (computed as numpy's linspace does), a value on an inner edge goes to the lower bin
 * (bins are (low, high], the first is [0, high]). Empty bins are omitted.
 */
export function calibrationBins(y: Labels, p: Scores, bins = 10): CalibrationBin[] {
  check('calibrationBins', y, p);
  if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError(`calibrationBins: bins must be an integer ≥ 1, got ${bins}`);
  const step = 1 / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? 1 : i * step));
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < y.length; i++) {
    const v = p[i];
    if (!(v >= 0 && v <= 1)) throw new RangeError(`calibrationBins: probability ${v} at ${i} is outside [0, 1]`);
    // Number of inner edges strictly below v (numpy searchsorted, side='left').
    let b = Math.min(bins - 1, Math.max(0, Math.ceil(v * bins) - 1));
    while (b > 0 && !(edges[b] < v)) b--;
    while (b < bins - 1 && edges[b + 1] < v) b++;
    count[b]++;
    sumP[b] += v;
    sumY[b] += y[i];
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    if (count[b] === 0) continue;
    out.push({ low: edges[b], high: edges[b + 1], count: count[b], meanPredicted: sumP[b] / count[b], fractionPositive: sumY[b] / count[b] });
  }
  return out;
}

export interface LiftRow {
  group: number;
  count: number;
  /** Expected under random order within ties: fractional only where a tie straddles a cut. */
  positives: number;
  rate: number;
  lift: number;
  cumulativeCount: number;
  cumulativePositives: number;
  gain: number;
  cumulativeLift: number;
  minScore: number;
  maxScore: number;
}

/**
 * Decile (or `groups`-ile) table: rows ranked by score descending, cut into groups of ⌊n/groups⌋
 * or ⌈n/groups⌉ rows (group g holds ranks ⌊g·n/G⌋ … ⌊(g+1)·n/G⌋ − 1). A group's positives are the
 * expected count when tied scores are ordered at random, so they are fractional only where a tie
 * straddles a cut.
 * lift = group rate ÷ base rate; gain = cumulative share of all positives captured.
 */
export function liftTable(y: Labels, s: Scores, groups = 10): LiftRow[] {
  check('liftTable', y, s);
  const n = y.length;
  if (!(Number.isInteger(groups) && groups >= 1 && groups <= n)) throw new RangeError(`liftTable: groups must be an integer in 1..${n}, got ${groups}`);
  const total = countPositives(y);
  const base = total / n;
  const order = orderDesc(s);
  // expectedBefore[k]: positives expected among the first k ranks when tied scores are in random
  // order (a tie's positives spread evenly over its ranks), so a tie that straddles a cut does not
  // make the table depend on row order — the same convention as gainsCurve and AUC.
  const expectedBefore = new Float64Array(n + 1);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    let tiePositives = y[order[start]];
    while (end < n && s[order[end]] === s[order[start]]) tiePositives += y[order[end++]];
    const perRank = tiePositives / (end - start);
    for (let k = start; k < end; k++) expectedBefore[k + 1] = expectedBefore[k] + perRank;
    start = end;
  }
  const rows: LiftRow[] = [];
  let cumCount = 0;
  let cumPos = 0;
  for (let g = 0; g < groups; g++) {
    const a = Math.floor((g * n) / groups);
    const b = Math.floor(((g + 1) * n) / groups);
    const positives = expectedBefore[b] - expectedBefore[a];
    const count = b - a;
    cumCount += count;
    cumPos += positives;
    const rate = count > 0 ? positives / count : 0;
    rows.push({
      group: g + 1,
      count,
      positives,
      rate,
      lift: base > 0 ? rate / base : 0,
      cumulativeCount: cumCount,
      cumulativePositives: cumPos,
      gain: total > 0 ? cumPos / total : 0,
      cumulativeLift: base > 0 && cumCount > 0 ? cumPos / cumCount / base : 0,
      minScore: count > 0 ? s[order[b - 1]] : NaN,
      maxScore: count > 0 ? s[order[a]] : NaN,
    });
  }
  return rows;
}

/**
 * Cumulative gains: the share of all positives captured when contacting the top `share` of rows by
 * score, at `points` evenly spaced shares from 0 to 1. Tied scores share their positives evenly
 * (the expected value under a random order within the tie), so the curve does not depend on row order.
 */
export function gainsCurve(y: Labels, s: Scores, points = 101): { share: number[]; captured: number[] } {
  check('gainsCurve', y, s);
  if (!(Number.isInteger(points) && points >= 2)) throw new RangeError(`gainsCurve: points must be an integer ≥ 2, got ${points}`);
  const n = y.length;
  const total = countPositives(y);
  if (total === 0) throw new RangeError('gainsCurve: needs at least one positive');
  const order = orderDesc(s);
  // Tie groups: starts[g] (rank) and cumulative positives before it.
  const starts: number[] = [];
  const before: number[] = [];
  let cum = 0;
  for (let a = 0; a < n; ) {
    let b = a + 1;
    while (b < n && s[order[b]] === s[order[a]]) b++;
    starts.push(a);
    before.push(cum);
    for (let k = a; k < b; k++) cum += y[order[k]];
    a = b;
  }
  starts.push(n);
  before.push(cum);
  const share: number[] = [];
  const captured: number[] = [];
  let g = 0;
  for (let i = 0; i < points; i++) {
    const q = i / (points - 1);
    const k = q * n;
    while (g < starts.length - 2 && starts[g + 1] <= k) g++;
    const a = starts[g];
    const b = starts[g + 1];
    const c = before[g] + ((Math.min(k, b) - a) * (before[g + 1] - before[g])) / (b - a);
    share.push(q);
    captured.push(c / total);
  }
  return { share, captured };
}

/** The naive model that predicts the base rate for everyone, and its log loss and Brier score. */
export function stratifiedBaseline(y: Labels): { baseRate: number; logLoss: number; brier: number } {
  check('stratifiedBaseline', y, y);
  const n = y.length;
  const r = countPositives(y) / n;
  const q = Math.min(1 - EPS, Math.max(EPS, r));
  return { baseRate: r, logLoss: -(r * Math.log(q) + (1 - r) * Math.log1p(-q)), brier: r * (1 - r) };
}
