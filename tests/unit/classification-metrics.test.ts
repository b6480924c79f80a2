// Classification metrics against hand-worked cases and scikit-learn 1.2 figures
// (tests/fixtures/sklearn/logreg-fixtures.json, made by make_logreg_fixtures.py).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  brierScore,
  calibrationBins,
  confusionAt,
  gainsCurve,
  liftTable,
  logLoss,
  prCurve,
  rocAuc,
  rocCurve,
  stratifiedBaseline,
} from '../../src/lib/eval/classification';

interface MetricsFixture {
  y: number[];
  s: number[];
  p: number[];
  rocAucS: number;
  rocAucP: number;
  averagePrecisionS: number;
  averagePrecisionP: number;
  logLossP: number;
  brierP: number;
  rocCurveS: { fpr: number[]; tpr: number[]; thresholds: number[] };
  prCurveS: { precision: number[]; recall: number[]; thresholds: number[] };
  calibration10: { fractionPositive: number[]; meanPredicted: number[] };
  calibration5: { fractionPositive: number[]; meanPredicted: number[] };
}
const fx = (JSON.parse(readFileSync(new URL('../fixtures/sklearn/logreg-fixtures.json', import.meta.url), 'utf8')) as { metrics: MetricsFixture }).metrics;

const close = (a: number[], b: number[], tol = 1e-12) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tol));
};

describe('hand-worked cases', () => {
  // sklearn's documentation example: y = 0 0 1 1, s = .1 .4 .35 .8.
  const y = [0, 0, 1, 1];
  const s = [0.1, 0.4, 0.35, 0.8];

  it('AUC: 3 of 4 positive–negative pairs ranked right', () => {
    expect(rocAuc(y, s)).toBe(0.75);
  });

  it('AUC: a tied pair counts one half', () => {
    // Pairs (pos, neg): (.5,.5)=½, (.5,.2)=1, (.9,.5)=1, (.9,.2)=1 → 3.5 / 4.
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9])).toBe(0.875);
    // All scores tied: chance.
    expect(rocAuc([0, 1, 0, 1], [1, 1, 1, 1])).toBe(0.5);
  });

  it('ROC of the 4-point example', () => {
    // Thresholds .8 .4 .35 .1: tp 1 1 2 2, fp 0 1 1 2.
    const r = rocCurve(y, s);
    expect(r.fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(r.tpr).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(r.thresholds).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
  });

  it('PR curve and average precision of the 4-point example', () => {
    // precision 1, 1/2, 2/3, 1/2 at recall .5, .5, 1, 1 → AP = .5·1 + .5·2/3 = 5/6.
    const r = prCurve(y, s);
    expect(r.recall).toEqual([0, 0.5, 0.5, 1, 1]);
    close(r.precision, [1, 1, 0.5, 2 / 3, 0.5]);
    expect(r.averagePrecision).toBeCloseTo(5 / 6, 14);
  });

  it('log loss and Brier score by hand', () => {
    // −(ln .8 + ln .7) / 2 and (.2² + .3²) / 2.
    expect(logLoss([1, 0], [0.8, 0.3])).toBeCloseTo((0.2231435513142097 + 0.35667494393873245) / 2, 14);
    expect(brierScore([1, 0], [0.8, 0.3])).toBeCloseTo(0.065, 15);
    // A certain mistake is clipped, not infinite.
    expect(Number.isFinite(logLoss([1], [0]))).toBe(true);
  });

  it('confusion counts at a threshold (p ≥ t is positive)', () => {
    const c = confusionAt([1, 1, 0, 0, 1], [0.9, 0.4, 0.6, 0.1, 0.5], 0.5);
    expect(c).toEqual({ tp: 2, fp: 1, tn: 1, fn: 1, accuracy: 0.6, precision: 2 / 3, recall: 2 / 3, f1: 2 / 3 });
    const none = confusionAt([1, 0], [0.2, 0.1], 0.5);
    expect([none.precision, none.recall, none.f1]).toEqual([0, 0, 0]);
  });

  it('calibration bins: values on an inner edge go to the lower bin; empty bins left out', () => {
    // Edges as numpy's linspace: 3·0.1 = 0.30000000000000004 > 0.3, so 0.3 is in (0.2, 0.3].
    const b = calibrationBins([1, 0, 1, 0, 1], [0, 0.1, 0.3, 0.31, 1], 10);
    expect(b.map((x) => x.count)).toEqual([2, 1, 1, 1]);
    expect(b.map((x) => x.fractionPositive)).toEqual([0.5, 1, 0, 1]);
    expect(b[0].meanPredicted).toBeCloseTo(0.05, 15);
    expect(b[3].high).toBe(1);
  });

  it('lift table: deciles by score, gains and lifts by hand', () => {
    // 10 rows, 4 positives (base rate .4); by score: ranks 0..9 hold y = 1 1 0 1 0 0 1 0 0 0.
    const s10 = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    const y10 = [1, 1, 0, 1, 0, 0, 1, 0, 0, 0];
    const t = liftTable(y10, s10, 2);
    expect(t.map((r) => [r.count, r.positives])).toEqual([[5, 3], [5, 1]]);
    expect(t[0].rate).toBe(0.6);
    expect(t[0].lift).toBeCloseTo(1.5, 15);
    expect(t[0].gain).toBe(0.75);
    expect(t[1].gain).toBe(1);
    expect(t[1].cumulativeLift).toBeCloseTo(1, 15);
    expect([t[0].maxScore, t[0].minScore, t[1].maxScore, t[1].minScore]).toEqual([10, 6, 5, 1]);
    // Uneven groups: 10 rows in 3 groups → 3, 3, 4.
    expect(liftTable(y10, s10, 3).map((r) => r.count)).toEqual([3, 3, 4]);
  });

  it('lift table spreads a tie that straddles a cut evenly, whatever the row order', () => {
    // Four tied rows, two positives: each half expects one, in any order.
    expect(liftTable([0, 1, 1, 0], [5, 5, 5, 5], 2).map((r) => r.positives)).toEqual([1, 1]);
    expect(liftTable([1, 1, 0, 0], [5, 5, 5, 5], 2).map((r) => r.positives)).toEqual([1, 1]);
    // Scores 9 (pos), then a tie of three 5s holding one positive, cut after two ranks:
    // group 1 = the 9 and one of the tied rows → 1 + 1/3 expected positives.
    const t = liftTable([1, 0, 1, 0], [9, 5, 5, 5], 2);
    expect(t[0].positives).toBeCloseTo(4 / 3, 12);
    expect(t[1].positives).toBeCloseTo(2 / 3, 12);
    expect(t[1].gain).toBeCloseTo(1, 12);
  });

  it('gains curve shares tied positives evenly', () => {
    // Ranks: .9 (pos), then a tie of .5 holding one positive in two rows, then .1 (neg).
    const g = gainsCurve([1, 0, 1, 0], [0.9, 0.5, 0.5, 0.1], 5);
    expect(g.share).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(g.captured).toEqual([0, 0.5, 0.75, 1, 1]);
  });

  it('base-rate model', () => {
    const b = stratifiedBaseline([1, 0, 0, 0]);
    expect(b.baseRate).toBe(0.25);
    expect(b.logLoss).toBeCloseTo(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), 14);
    expect(b.brier).toBe(0.1875);
    // Its log loss equals logLoss with the base rate for everyone.
    expect(b.logLoss).toBeCloseTo(logLoss([1, 0, 0, 0], [0.25, 0.25, 0.25, 0.25]), 14);
  });

  it('names bad input', () => {
    expect(() => rocAuc([0, 1], [0.5])).toThrow('rocAuc: y has 2 values, scores 1');
    expect(() => rocAuc([1, 1], [0.5, 0.2])).toThrow('rocAuc: needs both classes, got 2 positives of 2');
    expect(() => logLoss([2], [0.5])).toThrow('logLoss: y must be 0/1, got 2 at 0');
    expect(() => calibrationBins([1], [1.5])).toThrow('outside [0, 1]');
  });
});

describe('against scikit-learn 1.2 on a seeded vector (300 rows, tied scores)', () => {
  it('roc_auc_score', () => {
    expect(rocAuc(fx.y, fx.s)).toBeCloseTo(fx.rocAucS, 12);
    expect(rocAuc(fx.y, fx.p)).toBeCloseTo(fx.rocAucP, 12);
  });

  it('roc_curve (drop_intermediate=False)', () => {
    const r = rocCurve(fx.y, fx.s);
    close(r.fpr, fx.rocCurveS.fpr);
    close(r.tpr, fx.rocCurveS.tpr);
    close(r.thresholds.slice(1), fx.rocCurveS.thresholds);
  });

  it('average_precision_score and precision_recall_curve (reversed)', () => {
    expect(prCurve(fx.y, fx.s).averagePrecision).toBeCloseTo(fx.averagePrecisionS, 12);
    expect(prCurve(fx.y, fx.p).averagePrecision).toBeCloseTo(fx.averagePrecisionP, 12);
    const r = prCurve(fx.y, fx.s);
    close(r.precision, fx.prCurveS.precision.slice().reverse());
    close(r.recall, fx.prCurveS.recall.slice().reverse());
    close(r.thresholds.slice(1), fx.prCurveS.thresholds.slice().reverse());
  });

  it('log_loss and brier_score_loss', () => {
    expect(logLoss(fx.y, fx.p)).toBeCloseTo(fx.logLossP, 12);
    expect(brierScore(fx.y, fx.p)).toBeCloseTo(fx.brierP, 12);
  });

  it('calibration_curve, 10 and 5 uniform bins', () => {
    for (const [bins, ref] of [[10, fx.calibration10], [5, fx.calibration5]] as const) {
      const b = calibrationBins(fx.y, fx.p, bins);
      close(b.map((x) => x.fractionPositive), ref.fractionPositive);
      close(b.map((x) => x.meanPredicted), ref.meanPredicted);
      expect(b.reduce((a, x) => a + x.count, 0)).toBe(fx.y.length);
    }
  });

  it('deciles add up and the top decile beats the base rate', () => {
    const t = liftTable(fx.y, fx.p);
    expect(t.reduce((a, r) => a + r.count, 0)).toBe(300);
    expect(t[9].cumulativePositives).toBe(fx.y.reduce((a, v) => a + v, 0));
    expect(t[0].lift).toBeGreaterThan(1.5);
    const g = gainsCurve(fx.y, fx.p);
    expect(g.captured[0]).toBe(0);
    expect(g.captured[100]).toBe(1);
    // The curve at 10 % equals the table's first-decile gain (no ties among p at the cut).
    expect(g.captured[10]).toBeCloseTo(t[0].gain, 12);
  });
});
