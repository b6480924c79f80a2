// The event-based propensity pipeline end to end on the demo shop: a backtest (train with
// cutoff − horizon, evaluate at cutoff), baselines, the deployed model scoring every customer as
// of the last event — and no tensors left behind.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { importDemoShop, type ImportedShop } from './features-helpers';
import { runPropensity, defaultCutoff, scoreCustomers, shareCategoriesOf, type PropensityResult } from '../../src/lib/propensity/run';
import { propensityFromJson, propensityToJson } from '../../src/lib/propensity/model-json';
import { computeFeatures, segmentCustomers } from '../../src/lib/segment/run';
import { segmentSource } from '../../src/lib/propensity/job';
import { makeJobContext } from '../../src/lib/compute/jobs';

const DAY = 86_400_000;

describe('runPropensity on the demo shop', () => {
  let shop: ImportedShop;
  let result: PropensityResult;
  let lastTime: number;

  beforeAll(async () => {
    await tf.setBackend('wasm');
    shop = importDemoShop();
    lastTime = shop.result.stats.lastTime ?? 0;
    result = await runPropensity(tf, () => shop.chunks, shop.result.dictionaries, lastTime, { target: { kind: 'buy', horizonDays: 60 } }, makeJobContext());
  }, 120_000);

  it('backtests on the window before the cutoff and evaluates after it', async () => {
    const cutoff = defaultCutoff(lastTime, 60);
    expect(result.target.cutoff).toBe(cutoff);
    expect(result.target.trainCutoff).toBe(cutoff - 60 * DAY);
    // Training rows = customers who had bought by the training cutoff; evaluation rows likewise at the cutoff.
    const atTrain = await computeFeatures(shop.chunks, shop.result.dictionaries, cutoff - 60 * DAY);
    const atEval = await computeFeatures(shop.chunks, shop.result.dictionaries, cutoff);
    expect(result.nTrain).toBe(atTrain.n);
    expect(result.evaluation.n).toBe(atEval.n);
    // Labels counted independently: customers of the evaluation rows with a purchase in (cutoff, cutoff + 60 d].
    const rowOf = new Map(Array.from(atEval.customers, (c, i) => [c, i]));
    const bought = new Set<number>();
    for (const ch of shop.chunks) {
      for (let r = 0; r < ch.rows; r++) {
        const t = ch.time[r];
        if (ch.eventType[r] === 0 && t > cutoff && t <= cutoff + 60 * DAY && rowOf.has(ch.customer[r])) bought.add(ch.customer[r]);
      }
    }
    expect(result.evaluation.positives).toBe(bought.size);
  });

  it('ranks buyers far better than chance, and reports the recency rule beside it', () => {
    expect(result.evaluation.auc).toBeGreaterThan(0.75);
    // Not asserted to lose or win: on this shop the 60-day model trails recency alone (0.91 vs 0.95)
    // while the 30- and 90-day ones beat it — which is why the view always shows the baseline.
    expect(result.recencyBaseline?.auc).toBeGreaterThan(0.5);
    // Calibration is reported, not asserted: between the two windows this shop's buying rate moves
    // (50 % → 59 %), and the 60-day model's probabilities land worse than the base rate's log loss.
    expect(Number.isFinite(result.evaluation.logLoss)).toBe(true);
    // The top tenth holds more than a tenth of the buyers.
    expect(result.evaluation.lift[0].gain).toBeGreaterThan(0.1);
  });

  it('scores every customer who has bought, as of the last event, in ten deciles', async () => {
    const now = await computeFeatures(shop.chunks, shop.result.dictionaries, lastTime);
    expect(Array.from(result.scored.customers)).toEqual(Array.from(now.customers));
    const counts = new Array<number>(11).fill(0);
    for (const d of result.scored.decile) counts[d]++;
    expect(counts[0]).toBe(0);
    for (let d = 1; d <= 10; d++) expect(Math.abs(counts[d] - now.n / 10)).toBeLessThanOrEqual(1);
    // Decile 1 holds the highest scores.
    let minTop = Infinity;
    let maxRest = -Infinity;
    result.scored.scores.forEach((s, i) => (result.scored.decile[i] === 1 ? (minTop = Math.min(minTop, s)) : (maxRest = Math.max(maxRest, s))));
    expect(minTop).toBeGreaterThanOrEqual(maxRest);
  });

  it('refuses a cutoff whose window is not observed yet', async () => {
    await expect(
      runPropensity(tf, () => shop.chunks, shop.result.dictionaries, lastTime, { target: { kind: 'buy', horizonDays: 60, cutoff: lastTime - 10 * DAY } }, makeJobContext()),
    ).rejects.toThrow(/runs past the last event/);
  });

  it('uses segments re-learnt at the training cutoff, named after the saved ones', async () => {
    const atEnd = await computeFeatures(shop.chunks, shop.result.dictionaries, lastTime);
    const saved = await segmentCustomers(tf, atEnd, { k: 4, nInit: 1, seed: 0 }, makeJobContext());
    const source = segmentSource('run-1', saved);
    const r = await runPropensity(tf, () => shop.chunks, shop.result.dictionaries, lastTime, { target: { kind: 'buy', horizonDays: 60 }, segments: source }, makeJobContext());
    expect(r.columns.filter((c) => c.startsWith('segment: '))).toHaveLength(3);
    expect(r.segments?.runId).toBe('run-1');
    for (const name of r.segments?.names ?? []) expect(saved.names).toContain(name.replace(/ \(\d+\)$/, ''));
    // Centres and scaling come from the training cutoff's customers, not from the saved run.
    const atTrain = await computeFeatures(shop.chunks, shop.result.dictionaries, r.target.trainCutoff);
    expect(r.segments?.prep.center).not.toEqual(source.prep.center);
    const j = atTrain.features.findIndex((x) => x.key === r.segments?.prep.spec.features[0]);
    const col = Array.from({ length: atTrain.n }, (_, i) => atTrain.values[i * atTrain.d + j]);
    const logged = r.segments?.prep.spec.log1p.includes(r.segments.prep.spec.features[0]);
    const mean = col.map((v) => (logged ? Math.log1p(Math.max(v, 0)) : v)).reduce((a, b) => a + b, 0) / col.length;
    expect(r.segments?.prep.center[0]).toBeCloseTo(mean, 9);
    expect(r.evaluation.auc).toBeGreaterThan(0.75);
  }, 120_000);

  it('a model exported as JSON re-scores another shop’s customers as of its last event', async () => {
    const other = importDemoShop({ seed: 7, customers: 800 });
    const otherLast = other.result.stats.lastTime ?? 0;
    const model = propensityFromJson(propensityToJson(result));
    // Its own top categories may differ: the model's share columns are computed for it by name.
    const features = await computeFeatures(other.chunks, other.result.dictionaries, otherLast, shareCategoriesOf(model.prep.spec.features));
    expect(features.features.map((f) => f.key).filter((k) => k.startsWith('share:'))).toEqual(model.prep.spec.features.filter((k) => k.startsWith('share:')));
    const scored = scoreCustomers(model, features);
    expect(scored.customers.length).toBe(features.n);
    expect(scored.referenceTime).toBe(otherLast);
    // Scores are the deployed model's probabilities for those customers: recomputed by hand for one row.
    const i = 3;
    const x = model.prep.spec.features.map((key, j) => {
      const raw = features.values[i * features.d + features.features.findIndex((f) => f.key === key)];
      const v = model.prep.spec.log1p.includes(key) ? Math.log1p(Math.max(raw, 0)) : raw;
      const z = (v - model.prep.center[j]) / model.prep.scale[j];
      return Math.max(-5, Math.min(5, z));
    });
    const logit = model.deployed.intercept + x.reduce((a, v, j) => a + v * model.deployed.coefficients[j], 0);
    expect(scored.scores[i]).toBeCloseTo(1 / (1 + Math.exp(-logit)), 5);
  });

  it('leaves no tensors behind across repeated runs', async () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) {
      await runPropensity(tf, () => shop.chunks, shop.result.dictionaries, lastTime, { target: { kind: 'churn', horizonDays: 90 } }, makeJobContext());
    }
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
