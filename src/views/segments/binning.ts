// Pure helpers of the customer-feature table and histograms: histogram bins with round edges
// labelled in the feature's unit, the sort order of the table's rows, and the window of rows a
// virtualised table renders. No DOM, no Svelte, so every rule is unit-tested under Node.

import type { FeatureInfo } from '../../lib/features/customers';

export type FeatureUnit = FeatureInfo['unit'];

export interface HistogramBin {
  label: string;
  count: number;
  /** Lower edge (inclusive). */
  lo: number;
  /** Upper edge (exclusive; +Infinity for the overflow bin; inclusive for a closed last bin). */
  hi: number;
}

export interface Histogram {
  bins: HistogramBin[];
  /** 'log' when the edges are 1-2-5 steps per decade. */
  scale: 'linear' | 'log';
  /** Every value is a whole number, so labels name whole ranges ("2–4"). */
  integer: boolean;
  /** Values binned (finite ones). */
  n: number;
  /** 99th percentile; values from the first edge above it on share the overflow bin. */
  p99: number;
  /** Lower edge of the overflow bin ("≥ …"), or null when there is none. */
  overflowFrom: number | null;
  /** Values ≤ 0 gathered in a first "≤ 0" bin (log scale only; else 0). */
  underflow: number;
}

export interface BinOptions {
  /** The Freedman–Diaconis width is clamped to give between minBins and maxBins bins. */
  minBins?: number;
  maxBins?: number;
}

/** Tolerance for "is on an edge": 0.3 / 0.1 is 2.9999999999999996 in floating point. */
const EPS = 1e-9;
/** Log bins only when at most this share of the values is ≤ 0 (they get one bin of their own). */
const MAX_NONPOSITIVE_SHARE = 0.05;

/** The p-quantile of ascending values, linear between order statistics (R type 7, numpy default). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** The smallest round step ≥ raw: {1, 2, 2.5, 5} × 10^k, or {1, 2, 5} × 10^k (≥ 1) for whole numbers. */
export function niceStep(raw: number, integer: boolean): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  if (integer && raw <= 1) return 1;
  const mantissas = integer ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of mantissas) if (m * pow >= raw * (1 - EPS)) return m * pow;
  return 10 * pow;
}

/** Decimals needed to print x exactly (at most 6): 0.25 → 2, 20 → 0. */
export function decimalsOf(x: number): number {
  for (let d = 0; d < 6; d++) {
    const scaled = Math.abs(x) * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 6;
}

/** A bin edge as text: fixed decimals; 1,000 and above compact ("2.25K"), as axis labels are narrow. */
function formatEdge(v: number, decimals: number): string {
  const x = Math.abs(v) < EPS ? 0 : v;
  if (Math.abs(x) >= 1000) return x.toLocaleString('en-US', { notation: 'compact', maximumFractionDigits: 2 });
  return x.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** What the axis under a histogram of this unit says after the feature's name. */
export function unitSuffix(unit: FeatureUnit): string {
  return unit === 'days' ? ' (days)' : unit === 'share' ? ' (%)' : '';
}

/** Edges 1, 2, 5, 10, 20, 50 … from the largest one ≤ min to the first > top (or ≥ top if closed). */
export function logEdges(min: number, top: number, closed: boolean): number[] {
  const steps = [1, 2, 5];
  let exp = Math.floor(Math.log10(min));
  let m = 0;
  // Largest 1-2-5 edge ≤ min.
  for (let i = steps.length - 1; i >= 0; i--) {
    if (steps[i] * 10 ** exp <= min * (1 + EPS)) {
      m = i;
      break;
    }
  }
  const edges: number[] = [];
  for (let guard = 0; guard < 200; guard++) {
    const e = exp < 0 ? steps[m] / 10 ** -exp : steps[m] * 10 ** exp;
    edges.push(e);
    if (closed ? e >= top * (1 - EPS) : e > top) break;
    m++;
    if (m === steps.length) {
      m = 0;
      exp++;
    }
  }
  return edges;
}

/**
 * Histogram bins of one feature's values. Bins are equal-width with a round step (the
 * Freedman–Diaconis width 2·IQR·n^(−1/3), clamped to give minBins–maxBins bins over [min, p99],
 * rounded up to 1-2-2.5-5 × 10^k) or, for money and counts that are all positive and whose
 * [min, p99] spans more than two decades, 1-2-5 steps per decade. Values above the 99th
 * percentile share one overflow bin "≥ edge", so a few whales do not squash the rest; when the
 * maximum is the 99th percentile (e.g. shares that reach 100 %) the last bin is closed instead.
 */
export function histogramBins(values: ArrayLike<number>, unit: FeatureUnit, options: BinOptions = {}): Histogram {
  const { minBins = 5, maxBins = 30 } = options;
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite.push(values[i]);
  const sorted = Float64Array.from(finite).sort();
  const n = sorted.length;
  const empty: Histogram = { bins: [], scale: 'linear', integer: false, n: 0, p99: NaN, overflowFrom: null, underflow: 0 };
  if (n === 0) return empty;

  const min = sorted[0];
  const max = sorted[n - 1];
  const p99 = quantileSorted(sorted, 0.99);
  const closed = p99 >= max;
  const integer = (unit === 'count' || unit === 'days') && sorted.every(Number.isInteger);
  const shareScale = unit === 'share' ? 100 : 1;
  const suffix = unit === 'share' ? ' %' : '';

  // Money and counts are often log-normal: when the positive values up to p99 span more than two
  // decades, 1-2-5 bins per decade read better; a few zero or negative values (refunds) then
  // share one "≤ 0" bin in front.
  let firstPos = 0;
  while (firstPos < n && sorted[firstPos] <= 0) firstPos++;
  const logScale =
    (unit === 'money' || unit === 'count') &&
    firstPos < n &&
    firstPos <= MAX_NONPOSITIVE_SHARE * n &&
    p99 > 0 &&
    p99 / sorted[firstPos] > 100;
  const under = logScale ? firstPos : 0;

  let edges: number[];
  if (logScale) {
    edges = logEdges(sorted[firstPos], closed ? max : p99, closed);
  } else {
    const span = p99 - min;
    const iqr = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
    let raw: number;
    if (span <= 0) raw = Math.abs(min) > 0 ? Math.abs(min) / 10 : 1;
    else if (iqr > 0) raw = Math.min(Math.max((2 * iqr) / Math.cbrt(n), span / maxBins), span / minBins);
    else raw = span / 20;
    const step = niceStep(raw, integer);
    // Whole numbers start at the minimum ("1–2", "3–4" for counts from 1); others on a round edge.
    const lo0 = integer ? min : Math.floor(min / step + EPS) * step;
    const k = closed ? Math.max(1, Math.ceil((max - lo0) / step - EPS)) : Math.floor((p99 - lo0) / step + EPS) + 1;
    edges = Array.from({ length: k + 1 }, (_, i) => lo0 + i * step);
  }

  const k = edges.length - 1;
  const top = edges[k];
  const counts = new Array<number>(k + 1).fill(0);
  let j = 0;
  // Values ascend, so one walk along the edges places them all.
  for (let i = under; i < n; i++) {
    const v = sorted[i];
    while (j < k && v >= edges[j + 1] - EPS * Math.max(1, Math.abs(edges[j + 1]))) j++;
    // At or past the top edge: the overflow bin, unless the last bin is closed (top ≥ max).
    counts[j === k && closed ? k - 1 : j]++;
  }

  const label = (lo: number, hi: number): string => {
    const a = lo * shareScale;
    const b = hi * shareScale;
    if (integer) {
      if (hi - lo <= 1) return `${formatEdge(lo, 0)}${suffix}`;
      return `${formatEdge(lo, 0)}–${formatEdge(hi - 1, 0)}${suffix}`;
    }
    const decimals = Math.max(decimalsOf(a), decimalsOf(b));
    return `${formatEdge(a, decimals)}–${formatEdge(b, decimals)}${suffix}`;
  };
  const bins: HistogramBin[] = [];
  if (under > 0) bins.push({ label: '≤ 0', count: under, lo: min, hi: 0 });
  for (let i = 0; i < k; i++) bins.push({ label: label(edges[i], edges[i + 1]), count: counts[i], lo: edges[i], hi: edges[i + 1] });
  const overflow = counts[k] > 0;
  if (overflow) {
    const t = top * shareScale;
    // Same decimals as the bin before it: "1.5–2.0" then "≥ 2.0".
    const decimals = integer ? 0 : Math.max(decimalsOf(edges[k - 1] * shareScale), decimalsOf(t));
    bins.push({ label: `≥ ${formatEdge(t, decimals)}${suffix}`, count: counts[k], lo: top, hi: Infinity });
  }
  return { bins, scale: logScale ? 'log' : 'linear', integer, n, p99, overflowFrom: overflow ? top : null, underflow: under };
}

/** Column j of a row-major n × d matrix. */
export function column(values: Float64Array, n: number, d: number, j: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = values[i * d + j];
  return out;
}

export type SortDirection = 'ascending' | 'descending';

/**
 * Row order of the table sorted by one column (numbers) or by id (text, code-point order; a
 * locale collator is ~10× slower on 100k ids). Ties keep the original row order in both directions.
 */
export function sortOrder(keys: Float64Array | readonly string[], direction: SortDirection): Uint32Array {
  const n = keys.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const sign = direction === 'ascending' ? 1 : -1;
  if (keys instanceof Float64Array) {
    order.sort((a, b) => sign * (keys[a] - keys[b]) || a - b);
  } else {
    order.sort((a, b) => {
      const x = keys[a];
      const y = keys[b];
      return x < y ? -sign : x > y ? sign : a - b;
    });
  }
  return order;
}

export interface RowWindow {
  /** First rendered row (inclusive) and last (exclusive). */
  start: number;
  end: number;
  /** Heights of the empty space above and below the rendered rows, in px. */
  padTop: number;
  padBottom: number;
}

/**
 * The rows a virtualised table renders when scrolled to scrollTop: those in view plus `overscan`
 * rows either side, and the spacer heights that keep the scrollbar true to all `total` rows.
 */
export function rowWindow(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 5): RowWindow {
  const clamp = (x: number) => Math.min(total, Math.max(0, x));
  const top = Math.max(0, scrollTop);
  const start = clamp(Math.floor(top / rowHeight) - overscan);
  const end = Math.max(start, clamp(Math.ceil((top + viewport) / rowHeight) + overscan));
  return { start, end, padTop: start * rowHeight, padBottom: (total - end) * rowHeight };
}
