// The evaluation charts (curves, confusion matrix, coefficient forest plot, grouped bars, decision
// boundary, matrix pair): their pure helpers against hand-worked cases, and the server-rendered
// markup a user and a screen reader get (marks, labels, escaping of untrusted names).
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import type { Component } from 'svelte';
import CurveChart from '../../src/charts/CurveChart.svelte';
import ConfusionMatrix from '../../src/charts/ConfusionMatrix.svelte';
import CoefficientPlot from '../../src/charts/CoefficientPlot.svelte';
import GroupedBarChart from '../../src/charts/GroupedBarChart.svelte';
import DecisionBoundaryPlot from '../../src/charts/DecisionBoundaryPlot.svelte';
import MatrixPair from '../../src/charts/MatrixPair.svelte';
import {
  SERIES_COLORS,
  SERIES_DASHES,
  boundaryEquation,
  clipLineToBox,
  coefficientOrder,
  confusionRates,
  excludesZero,
  formatPercent,
  looseExtent,
  nearestIndex,
  positiveRegion,
  radiusForCount,
  sequentialColor,
  sharedDomain,
  thinIndices,
} from '../../src/charts/curves';
import { contrastRatio, relativeLuminance } from '../../src/charts/theme';

const HOSTILE = '<img src=x onerror=alert(1)>';
const ESCAPED = '&lt;img src=x onerror=alert(1)>';

function html<P extends object>(component: Component<P>, props: P): string {
  return render(component, { props }).body.replace(/<!--[\s\S]*?-->/g, '');
}
function count(body: string, needle: RegExp): number {
  return (body.match(needle) ?? []).length;
}
function ariaLabels(body: string): string[] {
  return [...body.matchAll(/tabindex="0"[^>]*aria-label="([^"]*)"|aria-label="([^"]*)"[^>]*tabindex="0"/g)].map((m) => m[1] ?? m[2]);
}
/** Shoelace area of a polygon. */
function area(poly: [number, number][]): number {
  let s = 0;
  for (let i = 0; i < poly.length; i++) {
    const [ax, ay] = poly[i];
    const [bx, by] = poly[(i + 1) % poly.length];
    s += ax * by - bx * ay;
  }
  return Math.abs(s) / 2;
}

describe('curve helpers', () => {
  it('clips the line w0 + w1 x + w2 y = 0 to the box', () => {
    expect(clipLineToBox([0, 1, -1], [0, 1], [0, 1])).toEqual([0, 0, 1, 1]); // y = x, corner to corner
    expect(clipLineToBox([-0.5, 1, 0], [0, 1], [0, 1])).toEqual([0.5, 0, 0.5, 1]); // vertical x = 0.5
    expect(clipLineToBox([0.25, 0.5, -1], [0, 1], [0, 1])).toEqual([0, 0.25, 1, 0.75]); // y = 0.25 + 0.5x
    // y = 2x in [0, 2] × [0, 2]: enters at (0, 0), leaves the top at (1, 2).
    expect(clipLineToBox([0, 2, -1], [0, 2], [0, 2])).toEqual([0, 0, 1, 2]);
    expect(clipLineToBox([-5, 1, 1], [0, 1], [0, 1])).toBeNull(); // x + y = 5 misses the unit box
    expect(clipLineToBox([0, 1, 1], [0, 1], [0, 1])).toBeNull(); // touches one corner only
    expect(clipLineToBox([1, 0, 0], [0, 1], [0, 1])).toBeNull(); // no line at all
  });

  it('finds the side the model calls positive', () => {
    const half = positiveRegion([-0.5, 1, 0], [0, 1], [0, 1]); // x ≥ 0.5
    expect(area(half)).toBeCloseTo(0.5, 12);
    expect(half.every(([x]) => x >= 0.5)).toBe(true);
    const tri = positiveRegion([-1, 1, 1], [0, 1], [0, 1]); // x + y ≥ 1: triangle of area 1/2
    expect(tri).toHaveLength(3);
    expect(area(tri)).toBeCloseTo(0.5, 12);
    const corner = positiveRegion([-1.5, 1, 1], [0, 1], [0, 1]); // x + y ≥ 1.5: area 0.5² / 2
    expect(area(corner)).toBeCloseTo(0.125, 12);
    expect(positiveRegion([1, 0, 0], [0, 2], [0, 3]).length).toBe(4);
    expect(area(positiveRegion([1, 0, 0], [0, 2], [0, 3]))).toBeCloseTo(6, 12);
    expect(positiveRegion([-1, 0, 0], [0, 1], [0, 1])).toEqual([]);
  });

  it('writes the boundary equation with true minus signs', () => {
    expect(boundaryEquation([0.5, 1.2, -0.75])).toBe('0.50 + 1.20·x − 0.75·y = 0');
    expect(boundaryEquation([-2, -1, 3], 'recency', 'frequency', 1)).toBe('−2.0 − 1.0·recency + 3.0·frequency = 0');
  });

  it('computes the rates of a 2×2 table by hand', () => {
    // 40 actual positives (30 caught), 160 actual negatives (20 false alarms).
    const r = confusionRates({ tp: 30, fp: 20, fn: 10, tn: 140 });
    expect(r.n).toBe(200);
    expect(r.tpr).toBeCloseTo(0.75, 12);
    expect(r.fnr).toBeCloseTo(0.25, 12);
    expect(r.fpr).toBeCloseTo(0.125, 12);
    expect(r.tnr).toBeCloseTo(0.875, 12);
    expect(r.precision).toBeCloseTo(0.6, 12);
    expect(r.accuracy).toBeCloseTo(0.85, 12);
    // Nothing predicted positive: precision is undefined, not 0.
    const none = confusionRates({ tp: 0, fp: 0, fn: 5, tn: 5 });
    expect(none.precision).toBeNaN();
    expect(formatPercent(none.precision)).toBe('—');
    expect(formatPercent(0.38)).toBe('38.0 %');
  });

  it('thins keyboard stops evenly and keeps both ends', () => {
    expect(thinIndices(10, 4)).toEqual([0, 3, 6, 9]);
    expect(thinIndices(3, 5)).toEqual([0, 1, 2]);
    expect(thinIndices(0, 5)).toEqual([]);
    const many = thinIndices(5000, 40);
    expect(many).toHaveLength(40);
    expect(many[0]).toBe(0);
    expect(many[39]).toBe(4999);
  });

  it('sizes calibration points by area', () => {
    expect(radiusForCount(0, 100)).toBe(3);
    expect(radiusForCount(100, 100)).toBe(9);
    // Half the count: half-way between the areas 9π and 81π → r² = 45.
    expect(radiusForCount(50, 100)).toBeCloseTo(Math.sqrt(45), 12);
    expect(radiusForCount(5, 0)).toBe(3);
  });

  it('sorts coefficients for the forest plot, ties in input order', () => {
    const rows = [0.5, -2, 1, 0.5].map((estimate, i) => ({ name: `f${i}`, estimate, lower: estimate - 1, upper: estimate + 1 }));
    expect(coefficientOrder(rows)).toEqual([2, 0, 3, 1]);
    expect(coefficientOrder(rows, 'abs')).toEqual([1, 2, 0, 3]);
    expect(coefficientOrder(rows, 'none')).toEqual([0, 1, 2, 3]);
    expect(excludesZero({ name: 'a', estimate: 1, lower: 0.1, upper: 2 })).toBe(true);
    expect(excludesZero({ name: 'a', estimate: -1, lower: -2, upper: -0.1 })).toBe(true);
    expect(excludesZero({ name: 'a', estimate: 1, lower: -0.1, upper: 2 })).toBe(false);
  });

  it('builds domains that are never empty', () => {
    expect(looseExtent([])).toEqual([0, 1]);
    expect(looseExtent([2])).toEqual([1.8, 2.2]);
    expect(looseExtent([0])).toEqual([-1, 1]);
    expect(looseExtent([3, 5, NaN], [0])).toEqual([0, 5]);
    expect(sharedDomain([[1, null], [NaN, 3]], [[-0.5, 2]])).toEqual([-0.5, 3]);
    expect(sharedDomain([[null]])).toEqual([0, 1]);
    expect(nearestIndex([0, 10, 20], [0, 0, 0], 12, 3)).toBe(1);
    expect(nearestIndex([], [], 0, 0)).toBe(-1);
  });

  it('colours a shared scale: missing is null, higher is darker', () => {
    expect(sequentialColor(null, [0, 1])).toBeNull();
    expect(sequentialColor(NaN, [0, 1])).toBeNull();
    const lo = sequentialColor(0, [0, 5])!;
    const hi = sequentialColor(5, [0, 5])!;
    expect(relativeLuminance(lo)).toBeGreaterThan(relativeLuminance(hi));
    expect(sequentialColor(9, [0, 5])).toBe(hi); // clamped
  });

  it('series colours keep 3:1 contrast on white and never repeat a colour+dash pair', () => {
    for (const c of SERIES_COLORS) expect(contrastRatio(c, '#ffffff'), c).toBeGreaterThanOrEqual(3);
    expect(new Set(SERIES_COLORS).size).toBe(SERIES_COLORS.length);
    expect(new Set(SERIES_DASHES).size).toBe(SERIES_DASHES.length);
  });
});

describe('CurveChart', () => {
  const roc = [
    { name: 'Model', points: [{ x: 0, y: 0 }, { x: 0.1, y: 0.5 }, { x: 0.5, y: 0.8 }, { x: 1, y: 1 }] },
    { name: HOSTILE, points: [{ x: 0, y: 0 }, { x: 1, y: 1 }] },
  ];
  const body = html(CurveChart, {
    series: roc,
    unit: true,
    diagonal: true,
    marker: { x: 0.1, y: 0.5, label: 'threshold 0.30' },
    title: 'ROC curve',
    description: 'AUC 0.83',
    filename: 'roc',
    xLabel: 'False positive rate',
    yLabel: 'True positive rate',
  });

  it('draws one path per series, a diagonal and both axis titles', () => {
    expect(count(body, /<path[^>]*class="line/g)).toBe(2);
    expect(count(body, /<line[^>]*class="reference/g)).toBe(1);
    expect(body).toContain('>Random<');
    expect(body).toContain('>False positive rate<');
    expect(body).toContain('>True positive rate<');
    // The diagonal runs from the bottom-left (x 0) to the top-right (y 0) corner of the plot.
    expect(body).toMatch(/<line[^>]*class="reference[^"]*"[^>]*x1="0"[^>]*y2="0"/);
    // Unit axes: ticks 0…1 in steps of 0.2.
    expect(body).toContain('>0.2<');
    expect(body).toContain('>1<');
  });

  it('labels the svg and makes points focusable with their values', () => {
    expect(body).toMatch(/<svg[^>]*role="img"/);
    expect(body).toMatch(/<title id="[^"]+">ROC curve<\/title>/);
    const labels = ariaLabels(body);
    expect(labels).toContain('Model: False positive rate 0.5, True positive rate 0.8');
    expect(labels).toContain('threshold 0.30: False positive rate 0.1, True positive rate 0.5');
    expect(labels).toHaveLength(4 + 2 + 1);
  });

  it('escapes an untrusted series name everywhere it appears', () => {
    expect(body).not.toContain('<img');
    expect(body).toContain(ESCAPED);
    expect(body).not.toContain('NaN');
  });

  it('thins a 500-point curve to maxFocusable keyboard stops and skips the legend for one series', () => {
    const points = Array.from({ length: 500 }, (_, i) => ({ x: i / 499, y: Math.sqrt(i / 499) }));
    const one = html(CurveChart, {
      series: [{ name: 'Model', points }],
      unit: true,
      maxFocusable: 25,
      title: 't',
      description: 'd',
      filename: 'f',
      xLabel: 'x',
      yLabel: 'y',
    });
    expect(count(one, /<circle[^>]*class="dot[ "]/g)).toBe(25);
    expect(count(one, /class="dot-visible/g)).toBe(0); // 500 points: no visible dots in auto mode
    expect(count(one, /class="legend"/g)).toBe(0);
  });

  it('sizes reliability points by count and draws a horizontal reference on free domains', () => {
    const cal = html(CurveChart, {
      series: [{ name: 'Model', points: [{ x: 0.1, y: 0.12, count: 0 }, { x: 0.5, y: 0.4, count: 50 }, { x: 0.9, y: 0.85, count: 100 }] }],
      unit: true,
      sizeByCount: true,
      title: 't',
      description: 'd',
      filename: 'f',
      xLabel: 'Mean predicted',
      yLabel: 'Observed rate',
    });
    const radii = [...cal.matchAll(/<circle[^>]*class="dot-visible[^"]*"[^>]*\br="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(radii).toHaveLength(3);
    expect(radii[0]).toBe(3);
    expect(radii[1]).toBeCloseTo(Math.sqrt(45), 6);
    expect(radii[2]).toBe(9);
    expect(ariaLabels(cal)).toContain('Model: Mean predicted 0.5, Observed rate 0.4; 50 items');

    const lift = html(CurveChart, {
      series: [{ name: 'Model', points: [1, 2, 3, 4, 5].map((d) => ({ x: d * 10, y: 3 / d })) }],
      referenceY: 1,
      referenceLabel: 'No model',
      includeZero: true,
      title: 't',
      description: 'd',
      filename: 'f',
      xLabel: 'Top % of customers',
      yLabel: 'Lift',
    });
    expect(lift).toContain('>No model<');
    expect(count(lift, /<line[^>]*class="reference/g)).toBe(1);
    expect(count(lift, /class="dot-visible/g)).toBe(5);
    expect(lift).toContain('>0<'); // y starts at zero
  });

  it('says so when there is nothing to draw', () => {
    const empty = html(CurveChart, { series: [], title: 't', description: 'd', filename: 'f', xLabel: 'x', yLabel: 'y' });
    expect(empty).toContain('No data to show');
  });
});

describe('ConfusionMatrix', () => {
  const body = html(ConfusionMatrix, {
    tp: 30,
    fp: 20,
    fn: 10,
    tn: 140,
    positiveLabel: 'Buyer',
    negativeLabel: HOSTILE,
    threshold: 0.5,
    title: 'Confusion matrix',
    description: 'At threshold 0.5',
    filename: 'cm',
  });

  it('shows counts and the share of each actual class', () => {
    const labels = ariaLabels(body);
    expect(labels).toHaveLength(4);
    expect(labels[0]).toBe('True positives (actual Buyer, predicted Buyer): 30, 75.0 % of actual Buyer');
    expect(labels[1]).toBe('False negatives (actual Buyer, predicted ' + ESCAPED + '): 10, 25.0 % of actual Buyer');
    expect(labels[2]).toContain('False positives');
    expect(labels[2]).toContain('12.5 % of actual');
    expect(labels[3]).toContain('140, 87.5 % of actual');
    expect(body).toContain('Threshold 0.50 · Accuracy 85.0 % · Precision 60.0 % · Recall 75.0 % · n = 200');
    expect(body).toContain('>Predicted<');
    expect(body).toContain('>Actual<');
  });

  it('escapes class names and labels the svg', () => {
    expect(body).not.toContain('<img');
    expect(body).toMatch(/<svg[^>]*role="img"/);
  });
});

describe('CoefficientPlot', () => {
  const LONG = 'days since last purchase in the most recent twelve month window (standardised)';
  const rows = [
    { name: 'frequency', estimate: 0.5, lower: 0.2, upper: 0.8 },
    { name: LONG, estimate: -1.2, lower: -1.5, upper: -0.9 },
    { name: HOSTILE, estimate: 0.1, lower: -0.3, upper: 0.5 },
  ];
  const body = html(CoefficientPlot, { rows, title: 'Coefficients', description: 'd', filename: 'coef' });

  it('sorts rows by estimate, top to bottom, and states odds ratios', () => {
    const labels = ariaLabels(body);
    expect(labels).toHaveLength(3);
    expect(labels[0]).toBe('frequency: 0.50, 95 % CI 0.20 to 0.80; odds ratio 1.65 (1.22 to 2.23)');
    expect(labels[1]).toBe(ESCAPED + ': 0.10, 95 % CI -0.30 to 0.50; odds ratio 1.11 (0.74 to 1.65); interval includes 0');
    expect(labels[2].startsWith(LONG + ': -1.20')).toBe(true);
  });

  it('fills only the estimates whose interval excludes zero and draws the zero line', () => {
    expect(count(body, /class="coef[^"]*significant/g)).toBe(2);
    expect(count(body, /<line[^>]*class="zero/g)).toBe(1);
    expect(body).toContain('>Coefficient (log-odds per SD)<');
  });

  it('shortens long names with the full name in a <title>, and escapes names', () => {
    expect(body).toMatch(/>days since last purchase[^<]*…<title>days since last purchase in the most recent twelve month window \(standardised\)<\/title>/);
    expect(body).not.toContain('<img');
  });
});

describe('GroupedBarChart', () => {
  const body = html(GroupedBarChart, {
    groups: ['Popularity', 'ALS', HOSTILE],
    metrics: ['Precision@10', 'NDCG@10'],
    values: [
      [0.1, 0.1],
      [0.25, 0.3],
      [0.2, NaN],
    ],
    baseline: { label: 'Popularity', values: [0.1, 0.1] },
    title: 'Algorithms',
    description: 'd',
    filename: 'cmp',
    yLabel: 'Score',
  });

  it('draws one focusable bar per algorithm and metric, labelled with values and the baseline', () => {
    const labels = ariaLabels(body);
    expect(labels).toHaveLength(6);
    expect(labels).toContain('ALS, NDCG@10: 0.300 (Popularity 0.100)');
    expect(labels).toContain(ESCAPED + ', NDCG@10: n/a (Popularity 0.100)');
    expect(count(body, /class="value-label[^"]*"[^>]*>0\.250</g)).toBe(1);
    expect(body).toContain('>Precision@10<');
    expect(body).toContain('>Score<');
  });

  it('marks the baseline once per metric (plus its legend sample)', () => {
    expect(count(body, /<line[^>]*class="baseline/g)).toBe(3);
    expect(body).not.toContain('<img');
    expect(body).not.toContain('NaN');
  });
});

describe('DecisionBoundaryPlot', () => {
  const points = Float32Array.from([0, 0, 1, 1, 2, 2, 3, 3, 0.5, 2.5]);
  const labels = [0, 0, 1, 1, 1];

  it('counts points per class and states the boundary', () => {
    const body = html(DecisionBoundaryPlot, {
      points,
      labels,
      weights: [-3, 1, 1],
      classNames: ['No purchase', HOSTILE],
      title: 'Boundary',
      description: 'd',
      filename: 'b',
      xLabel: 'recency',
      yLabel: 'frequency',
    });
    const rows = [...body.matchAll(/<td class="num[^"]*">([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(rows).toEqual(['2', '3']);
    expect(body).toContain('−3.00 + 1.00·recency + 1.00·frequency = 0');
    expect(body).toContain('The tinted side is predicted ' + ESCAPED);
    expect(body).not.toContain('<img');
    expect(body).toMatch(/<canvas[^>]*aria-labelledby=/);
  });

  it('says when the boundary lies outside the plot, and before the first step', () => {
    const far = html(DecisionBoundaryPlot, { points, labels, weights: [100, 1, 1], title: 't', description: 'd', filename: 'f' });
    expect(far).toContain('lies outside the plot: every point shown is predicted Positive');
    const none = html(DecisionBoundaryPlot, { points, labels, weights: null, title: 't', description: 'd', filename: 'f' });
    expect(none).toContain('No model yet');
  });
});

describe('MatrixPair', () => {
  const body = html(MatrixPair, {
    observed: [
      [5, null],
      [1, 2],
    ],
    reconstructed: [
      [4.6, 3.1],
      [1.2, 2],
    ],
    rowLabels: ['Customer 1', HOSTILE],
    columnLabels: ['Item A', 'Item B'],
    title: 'R and U·Vᵀ',
    description: 'd',
    filename: 'mf',
  });

  it('hatches the unobserved cell and says so in its label', () => {
    expect(count(body, /<rect[^>]*fill="url\(#[^)]*hatch\)"/g)).toBe(2); // the cell and the legend swatch
    const labels = ariaLabels(body);
    expect(labels).toHaveLength(8);
    expect(labels).toContain('Observed R, Customer 1 · Item B: observed not observed, reconstructed 3.10');
  });

  it('uses one colour scale for both panels', () => {
    // The value 2 appears in both matrices (row 2, column 2): same fill in each panel.
    const fills = [...body.matchAll(/<rect[^>]*fill="(#[0-9a-f]{6})"[^>]*>/g)].map((m) => m[1]);
    const two = sequentialColor(2, [1, 5]);
    expect(fills.filter((f) => f === two).length).toBeGreaterThanOrEqual(2);
    expect(body).toContain('>Observed R<');
    expect(body).toContain('>Reconstruction U·Vᵀ<');
    expect(body).not.toContain('<img');
  });
});
