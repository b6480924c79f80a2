// Feature preparation before clustering or projection: pick columns, log1p the skewed or wide ones,
// scale (z-score with the population SD like scikit-learn's StandardScaler, or median/IQR like
// RobustScaler), optionally clip — and the inverse, to read centres back in original units.

import type { CustomerFeatures } from './customers';

export interface PrepSpec {
  features: string[];
  log1p: string[];
  scaling: 'zscore' | 'robust' | 'none';
  /** Clip scaled values to ±clip; null for no clipping. */
  clip: number | null;
}

export interface Prepared {
  /** Row-major n × d in the order of spec.features. */
  matrix: Float32Array;
  n: number;
  d: number;
  spec: PrepSpec;
  /** Per column: value subtracted after log1p (mean, median or 0). */
  center: Float64Array;
  /** Per column: divisor after centring (SD, IQR or 1; 1 where the column has no spread). */
  scale: Float64Array;
}

/**
 * Columns suggestPrep starts from, in this order, when the data has them: the RFM triple plus the
 * shape of the relationship an analyst reads next — how much per order (aov), since when (tenure)
 * and how often (mean days between orders). Left out on purpose: returnRate (mostly exactly 0; its
 * rare non-zero values are ratios of tiny counts, e.g. 1 of 2 lines = 0.5, so after scaling they
 * pull a few noisy customers into a segment of their own — it belongs in the profile, not the
 * distance), the distinct-items/categories counts (they mostly restate frequency × basket size)
 * and the category shares (taste, not value; an analyst adds them on purpose).
 */
const DEFAULT_FEATURES = ['recency', 'frequency', 'monetary', 'aov', 'tenure', 'meanDaysBetween'];

/** A column where at least this share of rows holds one value cannot shape segments; its rare other values only add noise. */
const NEAR_CONSTANT_SHARE = 0.95;

/** Fisher–Pearson skewness g1 = m3 / m2^1.5 (population moments, like scipy.stats.skew's default); 0 without spread. */
export function skewness(col: ArrayLike<number>): number {
  const n = col.length;
  if (n === 0) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += col[i];
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < n; i++) {
    const e = col[i] - mean;
    m2 += e * e;
    m3 += e * e * e;
  }
  m2 /= n;
  m3 /= n;
  // Relative threshold: a constant column's rounding noise is no skew.
  if (m2 <= 1e-24 * Math.max(1, mean * mean)) return 0;
  return m3 / Math.pow(m2, 1.5);
}

function column(f: CustomerFeatures, j: number): Float64Array {
  const out = new Float64Array(f.n);
  for (let k = 0; k < f.n; k++) out[k] = f.values[k * f.d + j];
  return out;
}

/** Share of rows holding the column's most common value. */
function modeShare(sorted: Float64Array): number {
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i = j) {
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    best = Math.max(best, j - i);
  }
  return sorted.length > 0 ? best / sorted.length : 1;
}

/**
 * A sensible default: the default columns present that are not near-constant (≥ 95 % one value),
 * z-scored, no clip, and log1p for a non-negative column that is skewed (skewness > 1) or spans more
 * than an order of magnitude ((p95 + 1) ≥ 10 · (p5 + 1)). The second test is the analyst's rule of
 * thumb for counts, money and durations: 3 vs 30 days matters as much as 30 vs 300, whatever the
 * skewness says — tenure, for one, is left-skewed in a young shop yet still spans 1 to 700 days.
 * Ratios and shares in [0, 1] never span an order of magnitude, so they stay linear.
 */
export function suggestPrep(f: CustomerFeatures): PrepSpec {
  const keys = f.features.map((x) => x.key);
  const present = DEFAULT_FEATURES.filter((k) => keys.includes(k));
  const sortedOf = new Map(present.map((k) => [k, column(f, keys.indexOf(k)).sort()]));
  const varied = present.filter((k) => modeShare(sortedOf.get(k) ?? new Float64Array()) < NEAR_CONSTANT_SHARE);
  // When every candidate is near-constant, keep them all rather than suggest nothing.
  const features = varied.length > 0 ? varied : present;
  const log1p = features.filter((k) => wantsLog1p(sortedOf.get(k) ?? new Float64Array()));
  return { features, log1p, scaling: 'zscore', clip: null };
}

/** A non-negative column spanning an order of magnitude, or right-skewed, reads better after log1p. */
function wantsLog1p(sorted: Float64Array): boolean {
  if (sorted.length === 0 || sorted[0] < 0) return false;
  const wide = quantileSorted(sorted, 0.95) + 1 >= 10 * (quantileSorted(sorted, 0.05) + 1);
  return wide || skewness(sorted) > 1;
}

/** The features among `keys` that suggestPrep's rule would log1p. */
export function suggestLog1p(f: CustomerFeatures, keys: readonly string[]): string[] {
  const all = f.features.map((x) => x.key);
  return keys.filter((k) => all.includes(k) && wantsLog1p(column(f, all.indexOf(k)).sort()));
}

/** Linear-interpolation quantile of sorted values (numpy's default 'linear' method). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function checkSpec(f: CustomerFeatures, spec: PrepSpec): number[] {
  const keys = f.features.map((x) => x.key);
  if (spec.features.length === 0) throw new Error('prepare: spec.features is empty');
  const seen = new Set<string>();
  const idx = spec.features.map((k) => {
    const j = keys.indexOf(k);
    if (j < 0) throw new Error(`prepare: unknown feature "${k}" (have: ${keys.join(', ')})`);
    if (seen.has(k)) throw new Error(`prepare: feature "${k}" listed twice`);
    seen.add(k);
    return j;
  });
  for (const k of spec.log1p) {
    if (!spec.features.includes(k)) throw new Error(`prepare: log1p feature "${k}" is not among spec.features`);
  }
  if (!['zscore', 'robust', 'none'].includes(spec.scaling)) throw new Error(`prepare: unknown scaling "${spec.scaling}"`);
  if (spec.clip !== null && !(spec.clip > 0)) throw new Error(`prepare: clip must be > 0 or null, got ${spec.clip}`);
  return idx;
}

export function prepare(f: CustomerFeatures, spec: PrepSpec): Prepared {
  const idx = checkSpec(f, spec);
  const { n } = f;
  const d = idx.length;
  const center = new Float64Array(d);
  const scale = new Float64Array(d).fill(1);
  const matrix = new Float32Array(n * d);
  const clip = spec.clip;
  for (let j = 0; j < d; j++) {
    const key = spec.features[j];
    const col = column(f, idx[j]);
    if (spec.log1p.includes(key)) {
      // Below zero (net refunds) counts as 0, as in applyPrep, so fitting and scoring agree.
      for (let k = 0; k < n; k++) col[k] = Math.log1p(Math.max(col[k], 0));
    }
    if (spec.scaling === 'zscore' && n > 0) {
      let mean = 0;
      for (let k = 0; k < n; k++) mean += col[k];
      mean /= n;
      let ss = 0;
      for (let k = 0; k < n; k++) ss += (col[k] - mean) ** 2;
      const sd = Math.sqrt(ss / n); // ddof = 0, as StandardScaler
      center[j] = mean;
      scale[j] = sd > 1e-12 * Math.max(1, Math.abs(mean)) ? sd : 1;
    } else if (spec.scaling === 'robust' && n > 0) {
      const sorted = col.slice().sort();
      const med = quantileSorted(sorted, 0.5);
      const iqr = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
      center[j] = med;
      scale[j] = iqr > 1e-12 * Math.max(1, Math.abs(med)) ? iqr : 1;
    }
    for (let k = 0; k < n; k++) {
      let v = (col[k] - center[j]) / scale[j];
      if (clip !== null) v = v > clip ? clip : v < -clip ? -clip : v;
      matrix[k * d + j] = v;
    }
  }
  return { matrix, n, d, spec: { ...spec, features: [...spec.features], log1p: [...spec.log1p] }, center, scale };
}

/** The centring and scaling learnt by prepare(), to apply to other customers (JSON-safe). */
export interface FittedPrep {
  spec: PrepSpec;
  center: number[];
  scale: number[];
}

export function fittedPrep(p: Prepared): FittedPrep {
  return { spec: p.spec, center: Array.from(p.center), scale: Array.from(p.scale) };
}

/**
 * Applies a preparation fitted on one set of customers (a model's training rows) to another, so
 * both sides of a backtest, or a later dataset, are scaled identically. A log1p'd feature below
 * zero (net refunds) is taken as 0, exactly as prepare() does.
 */
export function applyPrep(f: CustomerFeatures, fitted: FittedPrep): Prepared {
  const { spec } = fitted;
  const idx = checkSpec(f, spec);
  const { n } = f;
  const d = idx.length;
  const matrix = new Float32Array(n * d);
  for (let j = 0; j < d; j++) {
    const log = spec.log1p.includes(spec.features[j]);
    const c = fitted.center[j];
    const s = fitted.scale[j];
    for (let k = 0; k < n; k++) {
      const raw = f.values[k * f.d + idx[j]];
      let v = ((log ? Math.log1p(Math.max(raw, 0)) : raw) - c) / s;
      if (spec.clip !== null) v = v > spec.clip ? spec.clip : v < -spec.clip ? -spec.clip : v;
      matrix[k * d + j] = v;
    }
  }
  return { matrix, n, d, spec, center: Float64Array.from(fitted.center), scale: Float64Array.from(fitted.scale) };
}

/** A prepared row (e.g. a cluster centre) back in original units: unscale, then expm1 where log1p was applied. Clipping is not undone. */
export function unscale(p: Prepared, row: ArrayLike<number>): Float64Array {
  if (row.length !== p.d) throw new Error(`unscale: row has ${row.length} values, expected ${p.d}`);
  const out = new Float64Array(p.d);
  for (let j = 0; j < p.d; j++) {
    const v = row[j] * p.scale[j] + p.center[j];
    out[j] = p.spec.log1p.includes(p.spec.features[j]) ? Math.expm1(v) : v;
  }
  return out;
}
