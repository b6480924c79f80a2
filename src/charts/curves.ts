// Pure helpers behind the evaluation charts (curves, confusion matrix, coefficient plot, grouped
// bars, decision boundary, matrix pair). No DOM, so every rule is unit-tested under Node; the
// components only lay out what these return.
import { interpolateBlues } from 'd3';
import { toHex } from './diverging';

/**
 * Line and bar colours for several series: Okabe–Ito hues that keep ≥ 3:1 contrast on white
 * (WCAG 1.4.11 for graphics; Okabe–Ito's orange and sky blue do not, so they are left out).
 * Series also differ by dash pattern, so colour is never the only cue.
 */
export const SERIES_COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#000000', '#8c564b'] as const;

/** Dash patterns paired with SERIES_COLORS ('' = solid). */
export const SERIES_DASHES = ['', '6 3', '2 3', '8 3 2 3', '4 2 4 6', '1 2'] as const;

export function seriesColor(i: number): string {
  const n = SERIES_COLORS.length;
  return SERIES_COLORS[((i % n) + n) % n];
}

export function seriesDash(i: number): string {
  const n = SERIES_DASHES.length;
  return SERIES_DASHES[((i % n) + n) % n];
}

/** "38.0 %" for 0.38; "—" for NaN (an undefined rate, e.g. precision with no predicted positives). */
export function formatPercent(v: number, digits = 1): string {
  return Number.isFinite(v) ? `${(100 * v).toFixed(digits)} %` : '—';
}

/**
 * Domain [lo, hi] of the finite `values`, never empty: a single value v gives v ± 10 % (or ± 1 at 0),
 * no finite values give [0, 1]. `include` values (e.g. 0 or a baseline) are always inside.
 */
export function looseExtent(values: Iterable<number>, include: readonly number[] = []): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of [...values, ...include]) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [0, 1];
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.1 || 1;
    return [lo - pad, hi + pad];
  }
  return [lo, hi];
}

/**
 * At most `max` indices out of 0…n − 1, evenly spaced and always keeping the first and the last:
 * a ROC curve with 5,000 vertices gets a few dozen keyboard stops, not 5,000.
 */
export function thinIndices(n: number, max: number): number[] {
  if (n <= 0) return [];
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  if (max <= 1) return [0];
  const out: number[] = [];
  for (let j = 0; j < max; j++) {
    const i = Math.round((j * (n - 1)) / (max - 1));
    if (out[out.length - 1] !== i) out.push(i);
  }
  return out;
}

/**
 * Radius for a point standing for `count` items (calibration bins): the disc's area grows linearly
 * from π·rMin² at 0 to π·rMax² at `maxCount`, so the eye reads area, not radius, as the count.
 */
export function radiusForCount(count: number, maxCount: number, rMin = 3, rMax = 9): number {
  if (!(maxCount > 0) || !Number.isFinite(count) || count <= 0) return rMin;
  const t = Math.min(1, count / maxCount);
  return Math.sqrt(rMin * rMin + (rMax * rMax - rMin * rMin) * t);
}

/** Index of the point nearest (Euclidean, in px) to (qx, qy), or −1 when there are none. */
export function nearestIndex(xs: ArrayLike<number>, ys: ArrayLike<number>, qx: number, qy: number): number {
  let best = -1;
  let bestD = Infinity;
  for (let i = 0; i < xs.length; i++) {
    const d = (xs[i] - qx) ** 2 + (ys[i] - qy) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

export interface ConfusionCounts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface ConfusionRates {
  n: number;
  /** Recall / sensitivity: TP ÷ actual positives. */
  tpr: number;
  fnr: number;
  /** Fall-out: FP ÷ actual negatives. */
  fpr: number;
  /** Specificity. */
  tnr: number;
  /** TP ÷ predicted positives. */
  precision: number;
  accuracy: number;
}

/** The usual rates of a 2×2 table; a rate whose denominator is 0 is NaN (shown as "—"), never 0. */
export function confusionRates({ tp, fp, fn, tn }: ConfusionCounts): ConfusionRates {
  const div = (a: number, b: number) => (b > 0 ? a / b : NaN);
  const n = tp + fp + fn + tn;
  return {
    n,
    tpr: div(tp, tp + fn),
    fnr: div(fn, tp + fn),
    fpr: div(fp, fp + tn),
    tnr: div(tn, fp + tn),
    precision: div(tp, tp + fp),
    accuracy: div(tp + tn, n),
  };
}

export interface CoefficientRow {
  name: string;
  estimate: number;
  /** 95 % confidence interval. */
  lower: number;
  upper: number;
}

/**
 * Row order for a forest plot, top to bottom: by estimate descending ('estimate'), by |estimate|
 * descending ('abs'), or as given ('none'); ties keep their input order. Returns indices.
 */
export function coefficientOrder(rows: readonly CoefficientRow[], by: 'estimate' | 'abs' | 'none' = 'estimate'): number[] {
  const idx = rows.map((_, i) => i);
  if (by === 'none') return idx;
  const key = (i: number) => (by === 'abs' ? Math.abs(rows[i].estimate) : rows[i].estimate);
  return idx.sort((a, b) => key(b) - key(a) || a - b);
}

/** True when the interval lies wholly on one side of 0 (the coefficient differs from 0 at 5 %). */
export function excludesZero(row: CoefficientRow): boolean {
  return row.lower > 0 || row.upper < 0;
}

/**
 * The segment of the line w0 + w1·x + w2·y = 0 inside the box [x0, x1] × [y0, y1], as
 * [xa, ya, xb, yb] in data units, or null when the line misses the box (or w1 = w2 = 0).
 */
export function clipLineToBox(
  w: readonly [number, number, number],
  [x0, x1]: readonly [number, number],
  [y0, y1]: readonly [number, number],
): [number, number, number, number] | null {
  const [w0, w1, w2] = w;
  if (![w0, w1, w2].every(Number.isFinite) || (w1 === 0 && w2 === 0)) return null;
  const eps = 1e-9 * Math.max(1, Math.abs(x1 - x0), Math.abs(y1 - y0));
  const pts: [number, number][] = [];
  const add = (x: number, y: number) => {
    const inside = x >= x0 - eps && x <= x1 + eps && y >= y0 - eps && y <= y1 + eps;
    if (inside && !pts.some(([px, py]) => Math.abs(px - x) <= eps && Math.abs(py - y) <= eps)) pts.push([x, y]);
  };
  if (w2 !== 0) for (const x of [x0, x1]) add(x, -(w0 + w1 * x) / w2);
  if (w1 !== 0) for (const y of [y0, y1]) add(-(w0 + w2 * y) / w1, y);
  if (pts.length < 2) return null;
  // A line through a corner can yield three points; the two farthest apart span the chord.
  let best: [number, number, number, number] = [...pts[0], ...pts[1]];
  let bestD = -1;
  for (let i = 0; i < pts.length; i++)
    for (let j = i + 1; j < pts.length; j++) {
      const d = (pts[i][0] - pts[j][0]) ** 2 + (pts[i][1] - pts[j][1]) ** 2;
      if (d > bestD) {
        bestD = d;
        best = [...pts[i], ...pts[j]];
      }
    }
  return bestD > 0 ? best : null;
}

/** "0.50 + 1.20·x − 0.75·y = 0", for the boundary's text alternative. */
export function boundaryEquation(w: readonly [number, number, number], xName = 'x', yName = 'y', digits = 2): string {
  const term = (v: number, name: string) => `${v < 0 ? '−' : '+'} ${Math.abs(v).toFixed(digits)}·${name}`;
  const head = w[0] < 0 ? `−${Math.abs(w[0]).toFixed(digits)}` : w[0].toFixed(digits);
  return `${head} ${term(w[1], xName)} ${term(w[2], yName)} = 0`;
}

/** A matrix cell: a number, or null / NaN when not observed. */
export type MaybeNumber = number | null;

export function isMissing(v: MaybeNumber | undefined): v is null | undefined {
  return v === null || v === undefined || !Number.isFinite(v);
}

/** One colour domain over every observed cell of several matrices (so equal values get equal colours). */
export function sharedDomain(...matrices: readonly (readonly (readonly MaybeNumber[])[])[]): [number, number] {
  const vals: number[] = [];
  for (const m of matrices) for (const row of m) for (const v of row) if (!isMissing(v)) vals.push(v);
  if (vals.length === 0) return [0, 1];
  let lo = Math.min(...vals);
  let hi = Math.max(...vals);
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  return [lo, hi];
}

/**
 * Sequential blue for `v` on `domain` (clamped); null for a missing value. Only 0.08…0.85 of
 * d3's Blues ramp is used: the lightest end vanishes on white and the darkest needs white text.
 */
export function sequentialColor(v: MaybeNumber, [lo, hi]: readonly [number, number]): string | null {
  if (isMissing(v)) return null;
  const t = hi > lo ? Math.max(0, Math.min(1, (v - lo) / (hi - lo))) : 0.5;
  return toHex(interpolateBlues(0.08 + 0.77 * t));
}

/**
 * The part of the box where w0 + w1·x + w2·y ≥ 0 (the side the model calls positive), as polygon
 * vertices [x, y] in data units going round the box; [] when that side misses the box entirely.
 * One pass of Sutherland–Hodgman clipping of the rectangle by the half-plane.
 */
export function positiveRegion(
  w: readonly [number, number, number],
  [x0, x1]: readonly [number, number],
  [y0, y1]: readonly [number, number],
): [number, number][] {
  if (![w[0], w[1], w[2]].every(Number.isFinite)) return [];
  const f = (x: number, y: number) => w[0] + w[1] * x + w[2] * y;
  const box: [number, number][] = [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ];
  const out: [number, number][] = [];
  for (let i = 0; i < 4; i++) {
    const [ax, ay] = box[i];
    const [bx, by] = box[(i + 1) % 4];
    const fa = f(ax, ay);
    const fb = f(bx, by);
    if (fa >= 0) out.push([ax, ay]);
    // A strict sign change only: a corner exactly on the line is already pushed as a corner.
    if ((fa > 0 && fb < 0) || (fa < 0 && fb > 0)) {
      const t = fa / (fa - fb);
      out.push([ax + t * (bx - ax), ay + t * (by - ay)]);
    }
  }
  return out.length >= 3 ? out : [];
}
