// Words and numbers for reading a segmentation: segment colours, feature values in their own
// units, the features that set a segment apart, and one line on how the run was made.
// Pure (no DOM, no Svelte), so every rule is unit-tested under Node.

import type { FeatureInfo } from '../../lib/features/customers';
import type { SegmentProfile } from '../../lib/features/profile';
import type { SegmentationResult } from '../../lib/segment/run';
import type { SegmentRunSummary } from '../../lib/segment/runs';

/**
 * Segment colours: the Okabe–Ito colour-blind-safe set (yellow last, it is faint on white),
 * then two extra hues so the automatic range (k ≤ 10) never repeats a colour.
 */
export const SEGMENT_COLORS = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#d55e00',
  '#56b4e9',
  '#000000',
  '#8c564b',
  '#999999',
  '#f0e442',
] as const;

export function segmentColor(segment: number): string {
  const n = SEGMENT_COLORS.length;
  return SEGMENT_COLORS[((segment % n) + n) % n];
}

/** One feature's value in its unit: "17 days", "3.2", "1,234.50", "12.0 %". */
export function formatFeatureValue(value: number, unit: FeatureInfo['unit']): string {
  if (!Number.isFinite(value)) return '—';
  switch (unit) {
    case 'days':
      return `${Math.round(value).toLocaleString('en-US')} day${Math.round(value) === 1 ? '' : 's'}`;
    case 'count':
      return value.toLocaleString('en-US', { maximumFractionDigits: Math.abs(value) < 10 ? 1 : 0 });
    case 'money':
      return value.toLocaleString('en-US', {
        minimumFractionDigits: Math.abs(value) < 100 ? 2 : 0,
        maximumFractionDigits: Math.abs(value) < 100 ? 2 : 0,
      });
    case 'ratio':
      return value.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 });
    case 'share':
      return `${(value * 100).toFixed(1)} %`;
  }
}

/** Mean of every feature over all customers: the size-weighted mean of the segment means. */
export function overallMeans(profiles: readonly SegmentProfile[], d: number): Float64Array {
  const out = new Float64Array(d);
  let total = 0;
  for (const p of profiles) {
    if (p.size === 0) continue;
    total += p.size;
    for (let j = 0; j < d; j++) out[j] += p.size * p.mean[j];
  }
  for (let j = 0; j < d; j++) out[j] = total > 0 ? out[j] / total : NaN;
  return out;
}

export interface DefiningFeature {
  index: number;
  key: string;
  label: string;
  /** Segment mean and all-customer mean, original units. */
  value: number;
  all: number;
  /** (segment mean − all mean) / SD of all, as in the profile. */
  relative: number;
  /** "Recency 17 days (all: 120)". */
  text: string;
}

/**
 * The `count` features whose segment mean lies furthest from the all-customer mean in SDs
 * (largest |relative| first; ties keep feature order). Features under 0.1 SD away say nothing
 * and are left out, so a segment that looks like everyone lists fewer.
 */
export function definingFeatures(
  profile: SegmentProfile,
  features: readonly FeatureInfo[],
  all: Float64Array,
  count = 4,
): DefiningFeature[] {
  const order = features
    .map((_, j) => j)
    .filter((j) => Number.isFinite(profile.relative[j]) && Math.abs(profile.relative[j]) >= 0.1)
    .sort((a, b) => Math.abs(profile.relative[b]) - Math.abs(profile.relative[a]) || a - b)
    .slice(0, count);
  return order.map((j) => {
    const f = features[j];
    const value = profile.mean[j];
    return {
      index: j,
      key: f.key,
      label: f.label,
      value,
      all: all[j],
      relative: profile.relative[j],
      text: `${f.label} ${formatFeatureValue(value, f.unit)} (all: ${formatFeatureValue(all[j], f.unit)})`,
    };
  });
}

/** Relative value as signed SDs: "+1.2 SD", "−0.4 SD", "0.0 SD". */
export function formatRelative(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const r = Math.round(v * 10) / 10;
  if (r === 0) return '0.0 SD';
  return `${r > 0 ? '+' : '−'}${Math.abs(r).toFixed(1)} SD`;
}

const SCALING_WORDS: Record<SegmentationResult['params']['prep']['scaling'], string> = {
  zscore: 'z-scores',
  robust: 'median/IQR scaling',
  none: 'no scaling',
};

/** One sentence on how a run was made, for the "how it was made" line. */
export function describeRun(r: SegmentationResult): string {
  const labelOf = (key: string) => r.features.find((f) => f.key === key)?.label ?? key;
  const prep = r.params.prep;
  const feats = prep.features.map((k) => (prep.log1p.includes(k) ? `log(1 + ${labelOf(k)})` : labelOf(k))).join(', ');
  const clip = prep.clip === null ? '' : `, clipped at ±${prep.clip}`;
  const kText = r.params.k === 'auto' ? `k = ${r.k} chosen from ${r.params.kMin}–${r.params.kMax}` : `k = ${r.k} (fixed)`;
  const sil = Number.isFinite(r.silhouette)
    ? `silhouette ${r.silhouette.toFixed(3)} (${r.silhouetteSample === null ? 'all customers' : `sampled ${r.silhouetteSample.toLocaleString('en-US')}`})`
    : 'no silhouette (one segment)';
  return (
    `${r.customers.length.toLocaleString('en-US')} customers; features ${feats}; ${SCALING_WORDS[prep.scaling]}${clip}; ` +
    `${kText}; ${algorithmText(r)}; seed ${r.params.seed}, ${r.params.nInit} restart${r.params.nInit === 1 ? '' : 's'}, up to ${r.params.maxIter} iterations; ` +
    `${r.backend} backend, ${r.seconds.toFixed(1)} s; ${sil}.`
  );
}

/** Which k-means made the run; runs saved before the choice existed were Lloyd. */
function algorithmText(r: SegmentationResult): string {
  const a = r.algorithm;
  if (!a || a.algorithm === 'lloyd') return "Lloyd's k-means";
  return `mini-batch k-means (batches of ${(a.batchSize ?? 0).toLocaleString('en-US')})`;
}

/** A saved run as one option of the run picker: "2024-05-01 14:03 · k = 6 · silhouette 0.412". */
export function runLabel(s: SegmentRunSummary): string {
  const when = new Date(s.createdAt);
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())} ${pad(when.getHours())}:${pad(when.getMinutes())}`;
  const sil = Number.isFinite(s.silhouette) ? s.silhouette.toFixed(3) : '—';
  return `${date} · k = ${s.k} · silhouette ${sil}${s.importedFrom ? ` · imported from ${s.importedFrom}` : ''}`;
}

/** A segment name as the user typed it: trimmed, inner whitespace collapsed, at most 60 characters; null when empty. */
export function cleanName(raw: string): string | null {
  const s = Array.from(raw.replace(/\s+/g, ' ').trim()).slice(0, 60).join('').trim();
  return s === '' ? null : s;
}
