// The evaluation a propensity model is judged by, computed once in the worker and stored with the
// run: the curves are thinned to a few hundred points so a saved run stays small, while the raw
// held-out labels and scores are kept so the view can move a threshold over them exactly.

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
} from '../eval/classification';

export type LiftRow = ReturnType<typeof liftTable>[number];
export type CalibrationBin = ReturnType<typeof calibrationBins>[number];

export interface RankingReport {
  auc: number;
  lift: LiftRow[];
  gains: { share: number[]; captured: number[] };
}

export interface EvaluationReport extends RankingReport {
  n: number;
  positives: number;
  baseRate: number;
  logLoss: number;
  brier: number;
  /** At threshold 0.5. */
  accuracy: number;
  averagePrecision: number;
  roc: { fpr: number[]; tpr: number[] };
  pr: { precision: number[]; recall: number[] };
  calibration: CalibrationBin[];
  /**
   * The naive model that predicts the training base rate for everyone (AUC 0.5 by definition): the
   * rate a forecaster standing at the cutoff knows — not the evaluated window's own, which it cannot.
   */
  baseline: { logLoss: number; brier: number; auc: number };
  /** Held-out truth and scores, aligned, for the threshold slider. */
  labels: Uint8Array;
  scores: Float32Array;
}

/** At most `max` points of a curve, always keeping the first and last. */
export function thin(xs: number[], ys: number[], max = 300): { x: number[]; y: number[] } {
  if (xs.length <= max) return { x: xs.slice(), y: ys.slice() };
  const x: number[] = [];
  const y: number[] = [];
  const step = (xs.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) {
    const at = Math.round(i * step);
    x.push(xs[at]);
    y.push(ys[at]);
  }
  return { x, y };
}

export function rankingReport(labels: ArrayLike<number>, scores: ArrayLike<number>): RankingReport {
  return { auc: rocAuc(labels, scores), lift: liftTable(labels, scores, 10), gains: gainsCurve(labels, scores, 101) };
}

export function evaluationReport(labels: Uint8Array, scores: Float32Array | Float64Array, trainBaseRate: number): EvaluationReport {
  if (!(trainBaseRate > 0 && trainBaseRate < 1)) throw new RangeError(`evaluationReport: the training base rate must lie in (0, 1), got ${trainBaseRate}`);
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i];
  if (positives === 0 || positives === n) {
    throw new Error(
      `The evaluation window has ${positives === 0 ? 'no buyers' : 'only buyers'} among ${n} customers, so no model can be scored on it. Choose another cutoff or horizon.`,
    );
  }
  const roc = rocCurve(labels, scores);
  const pr = prCurve(labels, scores);
  const rocThin = thin(roc.fpr, roc.tpr);
  const prThin = thin(pr.recall, pr.precision);
  const constant = new Float64Array(n).fill(trainBaseRate);
  return {
    ...rankingReport(labels, scores),
    n,
    positives,
    baseRate: positives / n,
    logLoss: logLoss(labels, scores),
    brier: brierScore(labels, scores),
    accuracy: confusionAt(labels, scores, 0.5).accuracy,
    averagePrecision: pr.averagePrecision,
    roc: { fpr: rocThin.x, tpr: rocThin.y },
    pr: { recall: prThin.x, precision: prThin.y },
    calibration: calibrationBins(labels, scores, 10),
    baseline: { logLoss: logLoss(labels, constant), brier: brierScore(labels, constant), auc: 0.5 },
    labels,
    scores: Float32Array.from(scores),
  };
}
