// Propensity runs as JSON files: an exact round trip (typed arrays, NaN confidence bounds
// included) and a clear refusal of damaged or foreign files.
import { describe, expect, it } from 'vitest';
import { PropensityFormatError, propensityFromJson, propensityToJson } from '../../src/lib/propensity/model-json';
import type { PropensityResult } from '../../src/lib/propensity/run';
import type { LogRegModel } from '../../src/lib/ml/logreg';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { runPropensity } from '../../src/lib/propensity/run';
import { makeJobContext } from '../../src/lib/compute/jobs';
import { importDemoShop } from './features-helpers';

const DAY = 86_400_000;
const columns = ['recency', 'frequency', 'segment: Loyal'];

function model(coefficients: number[]): LogRegModel {
  return {
    names: columns.slice(),
    coefficients,
    intercept: -1.25,
    C: 1,
    classWeight: 'none',
    solver: 'newton',
    iterations: 6,
    converged: true,
    stopReason: 'gradient below tolerance',
    loss: [0.69, 0.5, 0.45],
    standardErrors: null,
  };
}

/** A small, complete run with two segments (so one segment indicator column). */
function sampleResult(): PropensityResult {
  const last = Date.UTC(2024, 5, 30);
  return {
    createdAt: 1_700_000_000_000,
    backend: 'cpu',
    seconds: 0.5,
    target: { kind: 'buy', horizonDays: 30, cutoff: last - 30 * DAY, category: null, categoryName: null, trainCutoff: last - 60 * DAY, lastTime: last },
    params: { C: 1, classWeight: 'none', seed: 0, features: ['recency', 'frequency'], segmentRunId: 'seg1' },
    prep: { spec: { features: ['recency', 'frequency'], log1p: ['frequency'], scaling: 'zscore', clip: 5 }, center: [40, 1.1], scale: [20, 0.5] },
    segments: {
      runId: 'seg1',
      names: ['Lapsed', 'Loyal'],
      prep: { spec: { features: ['recency'], log1p: [], scaling: 'zscore', clip: null }, center: [30], scale: [10] },
      centers: Float32Array.from([1, -1]),
    },
    columns: columns.slice(),
    model: model([-0.8, 0.6, 0.3]),
    deployed: model([-0.7, 0.5, 0.2]),
    // Without standard errors the confidence bounds and z are NaN: the file must keep them so.
    coefficients: columns.map((name, j) => ({ name, coefficient: j, oddsRatio: Math.exp(j), low: NaN, high: NaN, z: NaN })),
    nTrain: 4,
    trainPositives: 2,
    evaluation: {
      auc: 0.75,
      lift: [],
      gains: { share: [0, 1], captured: [0, 1] },
      n: 4,
      positives: 2,
      baseRate: 0.5,
      logLoss: 0.6,
      brier: 0.2,
      accuracy: 0.75,
      averagePrecision: 0.8,
      roc: { fpr: [0, 0.5, 1], tpr: [0, 1, 1] },
      pr: { precision: [1, 0.5], recall: [0.5, 1] },
      calibration: [],
      baseline: { logLoss: Math.log(2), brier: 0.25, auc: 0.5 },
      labels: Uint8Array.from([1, 0, 1, 0]),
      scores: Float32Array.from([0.9, 0.2, 0.4, 0.6]),
    },
    recencyBaseline: null,
    scored: {
      customers: Uint32Array.from([0, 2, 5]),
      scores: Float32Array.from([0.5, 0.25, 0.125]),
      decile: Uint8Array.from([1, 4, 8]),
      segment: Int16Array.from([1, 0, 1]),
      referenceTime: last,
    },
  };
}

describe('propensity runs as JSON files', () => {
  it('round-trips a run exactly, typed arrays and NaN included', () => {
    const run = sampleResult();
    const back = propensityFromJson(propensityToJson(run));
    expect(back).toEqual(run);
    expect(back.scored.customers).toBeInstanceOf(Uint32Array);
    expect(back.scored.segment).toBeInstanceOf(Int16Array);
    expect(back.evaluation.labels).toBeInstanceOf(Uint8Array);
    expect(back.segments?.centers).toBeInstanceOf(Float32Array);
    expect(Number.isNaN(back.coefficients[0].low)).toBe(true);
  });

  it('round-trips a real run on the demo shop, and the re-imported model scores alike', async () => {
    await tf.setBackend('cpu');
    const { result, chunks } = importDemoShop({ customers: 300, items: 40 });
    const run = await runPropensity(tf, () => chunks, result.dictionaries, result.stats.lastTime ?? 0, { target: { kind: 'buy', horizonDays: 30 } }, makeJobContext());
    const back = propensityFromJson(propensityToJson(run));
    expect(back).toEqual(run);
    expect(back.scored.scores).toBeInstanceOf(Float32Array);
    expect(back.evaluation.scores).toBeInstanceOf(Float32Array);
  }, 60_000);

  it('refuses foreign or damaged files with a reason', () => {
    expect(() => propensityFromJson('not json')).toThrow(/not JSON/);
    expect(() => propensityFromJson('{"format":"shoplens-segmentation","version":1}')).toThrow(/"format"/);
    expect(() => propensityFromJson('{"format":"shoplens-propensity","version":9}')).toThrow(/version 9/);
    const broken = (edit: (r: PropensityResult) => void): string => {
      const r = sampleResult();
      edit(r);
      return propensityToJson(r);
    };
    expect(() => propensityFromJson(broken((r) => (r.deployed.coefficients = [1, 2])))).toThrow(/deployed.coefficients/);
    expect(() => propensityFromJson(broken((r) => (r.scored.decile = Uint8Array.from([1, 11, 3]))))).toThrow(/decile/);
    expect(() => propensityFromJson(broken((r) => (r.scored.scores = Float32Array.from([0.5]))))).toThrow(/scored.scores/);
    expect(() => propensityFromJson(broken((r) => (r.segments = null)))).toThrow(/no segments/);
    expect(() => propensityFromJson(broken((r) => (r.evaluation.labels = Uint8Array.from([1, 0, 2, 0]))))).toThrow(/zeros and ones/);
    const list = propensityToJson(sampleResult()).replace('"$typed":"Uint32Array","values":[0,2,5]', '"$typed":"Uint32Array","values":[0,"x",5]');
    expect(() => propensityFromJson(list)).toThrow(PropensityFormatError);
  });
});
