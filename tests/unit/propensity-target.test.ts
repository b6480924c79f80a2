// The event-based target: labels on a hand-made case (window boundaries, returns, categories),
// leakage-freedom (events after the cutoff change no feature), the backtest cutoffs, and the demo
// shop's planted loyal customers out-buying and out-scoring its lapsed ones.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type { EventChunk } from '../../src/lib/data/schema';
import { backtestCutoffs, commonFeatureKeys, DAY_MS, eventTarget, featuresTable, LABEL_COLUMN } from '../../src/lib/propensity/target';
import { encode, fitEncoder } from '../../src/lib/propensity/encode';
import { fitLogReg, predictProba } from '../../src/lib/ml/logreg';
import { chunk, dicts, importDemoShop } from './features-helpers';

const CUTOFF = Date.parse('2024-03-01T00:00:00Z');

describe('eventTarget on three customers', () => {
  // Items: 0 in category A, 1 in category B. Window for a 30-day horizon: (Mar 1, Mar 31].
  const d = dicts(4, 10, [0, 1], ['A', 'B']);
  const events = [
    chunk(0, [
      { c: 0, o: 0, i: 0, t: '2024-01-10T10:00:00Z', a: 10, type: 'purchase' },
      { c: 0, o: 1, i: 1, t: '2024-03-10T10:00:00Z', a: 20, type: 'purchase' }, // in window, category B
      { c: 1, o: 2, i: 0, t: '2024-02-01T10:00:00Z', a: 15, type: 'purchase' },
      { c: 1, o: 3, i: 0, t: '2024-03-31T00:00:00Z', a: 15, type: 'purchase' }, // exactly the window's end: in
      { c: 1, o: 8, i: 1, t: '2024-04-15T10:00:00Z', a: 15, type: 'purchase' }, // after the window
      { c: 2, o: 4, i: 1, t: '2024-02-20T10:00:00Z', a: 30, type: 'purchase' },
      { c: 2, o: 5, i: 1, t: '2024-03-01T00:00:00Z', a: 30, type: 'purchase' }, // exactly the cutoff: a feature, not a label
      { c: 2, o: 6, i: 1, t: '2024-03-05T10:00:00Z', a: -30, type: 'return' }, // a return is not a purchase
      { c: 3, o: 7, i: 0, t: '2024-03-05T10:00:00Z', a: 5, type: 'purchase' }, // first buys in the window: not scored
    ]),
  ];
  const target = (kind: 'buy' | 'churn' | 'buy-category', category?: number) =>
    eventTarget(events, d, { cutoff: CUTOFF, horizonDays: 30, kind, ...(category !== undefined ? { category } : {}) });

  it('labels purchases in (cutoff, cutoff + horizon] for customers who bought by the cutoff', async () => {
    const t = await target('buy');
    expect(Array.from(t.features.customers)).toEqual([0, 1, 2]);
    expect(Array.from(t.labels)).toEqual([1, 1, 0]);
    expect(t.positives).toBe(2);
    expect(t.window).toEqual({ from: CUTOFF, to: Date.parse('2024-03-31T00:00:00Z') });
    // Customer 2's recency counts the purchase at the cutoff itself: 0 days.
    expect(t.features.values[2 * t.features.d + t.features.features.findIndex((f) => f.key === 'recency')]).toBe(0);
  });

  it('inverts for churn and filters by category', async () => {
    expect(Array.from((await target('churn')).labels)).toEqual([0, 0, 1]);
    expect(Array.from((await target('buy-category', 0)).labels)).toEqual([0, 1, 0]);
    expect(Array.from((await target('buy-category', 1)).labels)).toEqual([1, 0, 0]);
    await expect(target('buy-category', 5)).rejects.toThrow("'buy-category' needs a category index in 0..1, got 5");
  });

  it('reads an async stream of chunks the same way', async () => {
    async function* stream(): AsyncGenerator<EventChunk> {
      yield* events;
    }
    const t = await eventTarget(stream(), d, { cutoff: CUTOFF, horizonDays: 30, kind: 'buy' });
    expect(Array.from(t.labels)).toEqual([1, 1, 0]);
  });
});

describe('backtestCutoffs', () => {
  it('trains two horizons back and evaluates one horizon back', () => {
    const last = Date.parse('2026-10-31T00:00:00Z');
    expect(backtestCutoffs(last, 30)).toEqual({ trainCutoff: Date.parse('2026-09-01T00:00:00Z'), evalCutoff: Date.parse('2026-10-01T00:00:00Z') });
  });
});

/** The rows of a chunk at or before `cutoff` (the history as it stood at the cutoff). */
function before(c: EventChunk, cutoff: number): EventChunk {
  const keep: number[] = [];
  for (let r = 0; r < c.rows; r++) if (c.time[r] <= cutoff) keep.push(r);
  const take = <T extends Float64Array | Float32Array | Uint32Array | Uint8Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(keep.length);
    keep.forEach((r, j) => (out[j] = a[r]));
    return out;
  };
  return {
    index: c.index,
    rows: keep.length,
    customer: take(c.customer),
    order: take(c.order),
    item: take(c.item),
    time: take(c.time),
    quantity: take(c.quantity),
    amount: take(c.amount),
    rating: take(c.rating),
    eventType: take(c.eventType),
  };
}

describe('the demo shop', () => {
  const { shop, result, chunks } = importDemoShop();
  const last = result.stats.lastTime ?? NaN;
  const segmentOfRow = (customer: number) => shop.truth.segmentOf[Number(result.dictionaries.customers[customer].slice(1)) - 1];

  it('features at a cutoff are byte-identical with and without the events after it', async () => {
    const cutoff = last - 90 * DAY_MS;
    const upTo = chunks.map((c) => before(c, cutoff));
    const dropped = chunks.reduce((n, c, i) => n + c.rows - upTo[i].rows, 0);
    expect(dropped).toBeGreaterThan(1000);
    const full = await eventTarget(chunks, result.dictionaries, { cutoff, horizonDays: 60, kind: 'buy' });
    const past = await eventTarget(upTo, result.dictionaries, { cutoff, horizonDays: 60, kind: 'buy' });
    expect(full.features.features).toEqual(past.features.features);
    expect(Buffer.from(full.features.customers.buffer).equals(Buffer.from(past.features.customers.buffer))).toBe(true);
    expect(Buffer.from(full.features.values.buffer).equals(Buffer.from(past.features.values.buffer))).toBe(true);
    // …while the labels, which look after the cutoff, do need those events.
    expect(full.positives).toBeGreaterThan(0);
    expect(past.positives).toBe(0);
  });

  it('planted loyal customers buy and score more than lapsed ones in a backtest', async () => {
    await tf.setBackend('wasm');
    const horizon = 60;
    const { trainCutoff, evalCutoff } = backtestCutoffs(last, horizon);
    const train = await eventTarget(chunks, result.dictionaries, { cutoff: trainCutoff, horizonDays: horizon, kind: 'buy' });
    const evalSet = await eventTarget(chunks, result.dictionaries, { cutoff: evalCutoff, horizonDays: horizon, kind: 'buy' });
    const keys = commonFeatureKeys(train.features, evalSet.features);
    const trainTable = featuresTable(train.features, { keys, labels: train.labels });
    const encoder = fitEncoder(trainTable, { target: LABEL_COLUMN, rareLevelMin: 0 });
    const model = await fitLogReg(tf, encode(encoder, trainTable), train.labels, { C: 1 });
    const p = predictProba(model, encode(encoder, featuresTable(evalSet.features, { keys })));
    const by = (seg: number) => {
      let n = 0;
      let labels = 0;
      let score = 0;
      evalSet.features.customers.forEach((c, i) => {
        if (segmentOfRow(c) !== seg) return;
        n++;
        labels += evalSet.labels[i];
        score += p[i];
      });
      return { n, rate: labels / n, score: score / n };
    };
    const loyal = by(shop.truth.segmentNames.indexOf('loyal big spenders'));
    const lapsed = by(shop.truth.segmentNames.indexOf('lapsed customers'));
    console.log(`demo backtest (60 days): loyal n ${loyal.n} rate ${loyal.rate.toFixed(3)} score ${loyal.score.toFixed(3)}; lapsed n ${lapsed.n} rate ${lapsed.rate.toFixed(3)} score ${lapsed.score.toFixed(3)}`);
    expect(loyal.n).toBeGreaterThan(100);
    expect(lapsed.n).toBeGreaterThan(100);
    expect(loyal.rate).toBeGreaterThan(lapsed.rate);
    expect(loyal.score).toBeGreaterThan(lapsed.score);
    // Lapsed customers are planted silent for the last 245 days, so none buys in the last 60.
    expect(lapsed.rate).toBe(0);
  });
});
