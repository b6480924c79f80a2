// What each segment looks like in original units, and a short name for it read off its
// recency / frequency / monetary profile relative to all customers.

import { type CustomerFeatures, featureIndex } from './customers';
import { quantileSorted } from './prepare';

export interface SegmentProfile {
  segment: number;
  size: number;
  share: number;
  /** Sum of monetary over the segment (0 without amounts). */
  revenue: number;
  revenueShare: number;
  /** Per feature, original units. */
  mean: Float64Array;
  median: Float64Array;
  /**
   * Per feature, original units: 10th/25th/75th/90th percentiles, same linear-interpolation
   * definition as the median. Optional because runs saved before they existed lack them.
   */
  p10?: Float64Array;
  p25?: Float64Array;
  p75?: Float64Array;
  p90?: Float64Array;
  /** Per feature, the median over all customers (the same array on every profile); optional as above. */
  allMedian?: Float64Array;
  /** (mean_seg − mean_all) / sd_all per feature (population SD; 0 where sd_all is 0). */
  relative: Float64Array;
  name: string;
}

export function profileSegments(f: CustomerFeatures, labels: Int32Array | Uint8Array, k: number): SegmentProfile[] {
  const { n, d, values } = f;
  if (labels.length !== n) throw new Error(`profileSegments: ${labels.length} labels for ${n} customers`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`profileSegments: k must be an integer ≥ 1, got ${k}`);
  const size = new Float64Array(k);
  const sums = new Float64Array(k * d);
  const mAll = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const s = labels[r];
    if (s < 0 || s >= k || !Number.isInteger(s)) throw new RangeError(`profileSegments: label ${s} of row ${r} is outside 0..${k - 1}`);
    size[s]++;
    for (let j = 0; j < d; j++) {
      sums[s * d + j] += values[r * d + j];
      mAll[j] += values[r * d + j];
    }
  }
  for (let j = 0; j < d; j++) mAll[j] /= Math.max(1, n);
  const sdAll = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) sdAll[j] += (values[r * d + j] - mAll[j]) ** 2;
  for (let j = 0; j < d; j++) sdAll[j] = Math.sqrt(sdAll[j] / Math.max(1, n));

  // Rows grouped by segment (counting sort) for the medians.
  const start = new Int32Array(k + 1);
  for (let s = 0; s < k; s++) start[s + 1] = start[s] + size[s];
  const rowsBy = new Int32Array(n);
  const fill = start.slice(0, k);
  for (let r = 0; r < n; r++) rowsBy[fill[labels[r]]++] = r;

  // All-customer medians, for drawing each segment's spread against everyone's.
  const allMedian = new Float64Array(d);
  const col = new Float64Array(n);
  for (let j = 0; j < d; j++) {
    for (let r = 0; r < n; r++) col[r] = values[r * d + j];
    allMedian[j] = quantileSorted(col.sort(), 0.5);
  }

  const jm = featureIndex(f, 'monetary');
  let totalRevenue = 0;
  if (jm >= 0) for (let r = 0; r < n; r++) totalRevenue += values[r * d + jm];

  const out: SegmentProfile[] = [];
  for (let s = 0; s < k; s++) {
    const cnt = size[s];
    const mean = new Float64Array(d);
    const median = new Float64Array(d);
    const p10 = new Float64Array(d);
    const p25 = new Float64Array(d);
    const p75 = new Float64Array(d);
    const p90 = new Float64Array(d);
    const relative = new Float64Array(d);
    const buf = new Float64Array(cnt);
    for (let j = 0; j < d; j++) {
      mean[j] = cnt > 0 ? sums[s * d + j] / cnt : NaN;
      for (let q = 0; q < cnt; q++) buf[q] = values[rowsBy[start[s] + q] * d + j];
      buf.sort();
      median[j] = cnt > 0 ? quantileSorted(buf, 0.5) : NaN;
      p10[j] = cnt > 0 ? quantileSorted(buf, 0.1) : NaN;
      p25[j] = cnt > 0 ? quantileSorted(buf, 0.25) : NaN;
      p75[j] = cnt > 0 ? quantileSorted(buf, 0.75) : NaN;
      p90[j] = cnt > 0 ? quantileSorted(buf, 0.9) : NaN;
      relative[j] = cnt > 0 && sdAll[j] > 0 ? (mean[j] - mAll[j]) / sdAll[j] : 0;
    }
    const revenue = jm >= 0 ? sums[s * d + jm] : 0;
    out.push({
      segment: s,
      size: cnt,
      share: n > 0 ? cnt / n : 0,
      revenue,
      revenueShare: totalRevenue !== 0 ? revenue / totalRevenue : 0,
      mean,
      median,
      p10,
      p25,
      p75,
      p90,
      allMedian,
      relative,
      name: `Segment ${s + 1}`,
    });
  }
  return out;
}

/**
 * Names from each profile's relative values (in SDs from the all-customer mean). Rules, first match:
 *   long silent (R ≥ 0.8): "At risk" if F or M ≥ 0.3 (they used to matter), else "Hibernating";
 *   F ≥ 0.8 and M ≥ 0.8: "Champions";  F ≥ 0.4: "Loyal" (or "Bargain hunters" when AOV ≤ −0.3);
 *   M ≥ 0.8: "Big spenders";  short tenure (≤ −0.6, or F ≤ −0.3 and R ≤ −0.6 without tenure): "New";
 *   AOV ≤ −0.4: "Bargain hunters";  otherwise "Occasional".
 * Recency relative > 0 means less recent than average. Duplicates get " 2", " 3"… in segment order.
 */
export function nameSegments(profiles: SegmentProfile[], f: CustomerFeatures): string[] {
  const at = (p: SegmentProfile, key: string): number => {
    const j = featureIndex(f, key);
    return j >= 0 ? p.relative[j] : NaN;
  };
  const hasTenure = featureIndex(f, 'tenure') >= 0;
  const base = profiles.map((p) => {
    const R = at(p, 'recency');
    const F = at(p, 'frequency');
    const M = at(p, 'monetary');
    const A = at(p, 'aov');
    const T = at(p, 'tenure');
    // NaN comparisons are false, so a missing feature simply never triggers its rule.
    // Long since the last order: customers who used to buy are at risk; those who hardly ever did sleep.
    if (R >= 0.5) return F >= -0.5 || M >= 0.3 ? 'At risk' : 'Hibernating';
    if (F >= 0.8 && M >= 0.8) return 'Champions';
    if (F >= 0.4) return A <= -0.3 ? 'Bargain hunters' : 'Loyal';
    if (M >= 0.8) return 'Big spenders';
    if (hasTenure ? T <= -0.6 : F <= -0.3 && R <= -0.6) return 'New';
    if (A <= -0.4) return 'Bargain hunters';
    return 'Occasional';
  });
  const seen = new Map<string, number>();
  return base.map((name) => {
    const c = (seen.get(name) ?? 0) + 1;
    seen.set(name, c);
    return c === 1 ? name : `${name} ${c}`;
  });
}
