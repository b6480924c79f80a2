// The Segments view's words and numbers, checked against hand-worked profiles.
import { describe, expect, it } from 'vitest';
import type { FeatureInfo } from '../../src/lib/features/customers';
import type { SegmentProfile } from '../../src/lib/features/profile';
import type { SegmentRunSummary } from '../../src/lib/segment/runs';
import {
  cleanName,
  definingFeatures,
  formatFeatureValue,
  formatRelative,
  overallMeans,
  runLabel,
  segmentColor,
  SEGMENT_COLORS,
} from '../../src/views/segments/describe';
import { contrastRatio } from '../../src/charts/theme';

const FEATURES: FeatureInfo[] = [
  { key: 'recency', label: 'Recency', unit: 'days', description: '' },
  { key: 'frequency', label: 'Frequency', unit: 'count', description: '' },
  { key: 'monetary', label: 'Monetary', unit: 'money', description: '' },
  { key: 'share:Toys', label: 'Share: Toys', unit: 'share', description: '' },
];

function profile(segment: number, size: number, mean: number[], relative: number[]): SegmentProfile {
  return {
    segment,
    size,
    share: 0,
    revenue: 0,
    revenueShare: 0,
    mean: Float64Array.from(mean),
    median: Float64Array.from(mean),
    relative: Float64Array.from(relative),
    name: `Segment ${segment + 1}`,
  };
}

describe('overallMeans', () => {
  it('is the size-weighted mean of segment means', () => {
    // 30 customers at recency 10, 10 at recency 90: (300 + 900) / 40 = 30.
    const all = overallMeans([profile(0, 30, [10, 4, 100, 0.5], [0, 0, 0, 0]), profile(1, 10, [90, 1, 20, 0.1], [0, 0, 0, 0])], 4);
    expect(all[0]).toBeCloseTo(30, 12);
    expect(all[1]).toBeCloseTo((30 * 4 + 10 * 1) / 40, 12);
    expect(all[2]).toBeCloseTo((3000 + 200) / 40, 12);
    expect(all[3]).toBeCloseTo((15 + 1) / 40, 12);
  });
  it('skips empty segments and gives NaN with no customers', () => {
    expect(overallMeans([profile(0, 0, [5, 5, 5, 5], [0, 0, 0, 0]), profile(1, 2, [7, 1, 1, 1], [0, 0, 0, 0])], 4)[0]).toBe(7);
    expect(Number.isNaN(overallMeans([], 2)[0])).toBe(true);
  });
});

describe('definingFeatures', () => {
  const all = Float64Array.from([120, 2, 150, 0.2]);
  it('orders by distance from all customers in SDs and writes original units', () => {
    const p = profile(0, 10, [17, 6.25, 980.5, 0.05], [-1.4, 2.1, 0.8, -0.05]);
    const out = definingFeatures(p, FEATURES, all);
    expect(out.map((f) => f.key)).toEqual(['frequency', 'recency', 'monetary']); // |−0.05| < 0.1 is left out
    expect(out[1].text).toBe('Recency 17 days (all: 120 days)');
    expect(out[0].text).toBe('Frequency 6.3 (all: 2)');
    expect(out[2].text).toBe('Monetary 981 (all: 150)');
  });
  it('keeps at most `count` features, ties in feature order', () => {
    const p = profile(0, 10, [1, 1, 1, 1], [1, -1, 1, -1]);
    expect(definingFeatures(p, FEATURES, all, 2).map((f) => f.index)).toEqual([0, 1]);
  });
});

describe('formatting', () => {
  it('writes each unit the way a shop owner reads it', () => {
    expect(formatFeatureValue(1, 'days')).toBe('1 day');
    expect(formatFeatureValue(16.6, 'days')).toBe('17 days');
    expect(formatFeatureValue(1234.4, 'count')).toBe('1,234');
    expect(formatFeatureValue(42.5, 'money')).toBe('42.50');
    expect(formatFeatureValue(0.125, 'share')).toBe('12.5 %');
    expect(formatFeatureValue(0.5, 'ratio')).toBe('0.50');
    expect(formatFeatureValue(NaN, 'days')).toBe('—');
  });
  it('signs relative values and never shows −0.0', () => {
    expect(formatRelative(1.24)).toBe('+1.2 SD');
    expect(formatRelative(-0.36)).toBe('−0.4 SD');
    expect(formatRelative(-0.04)).toBe('0.0 SD');
  });
  it('labels a run with local date, k and silhouette', () => {
    const created = new Date(2024, 4, 1, 14, 3).getTime();
    const s: SegmentRunSummary = { id: 'x', createdAt: created, k: 6, inertia: 1, silhouette: 0.41234, backend: 'wasm', seconds: 1, customers: 10, features: [] };
    expect(runLabel(s)).toBe('2024-05-01 14:03 · k = 6 · silhouette 0.412');
  });
  it('cleans typed names', () => {
    expect(cleanName('  Big   spenders ')).toBe('Big spenders');
    expect(cleanName('   ')).toBeNull();
    expect(Array.from(cleanName('x'.repeat(80)) ?? '').length).toBe(60);
  });
});

describe('segment colours', () => {
  it('gives ten distinct colours, then repeats', () => {
    const ten = Array.from({ length: 10 }, (_, i) => segmentColor(i));
    expect(new Set(ten).size).toBe(10);
    expect(segmentColor(10)).toBe(segmentColor(0));
  });
  it('keeps all but the last (yellow) at ≥ 2:1 against white, so dots stay visible', () => {
    for (const c of SEGMENT_COLORS.slice(0, -1)) expect(contrastRatio(c, '#ffffff')).toBeGreaterThanOrEqual(2);
  });
});
