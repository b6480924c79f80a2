// Teaching mode's gradient descent: a hand-worked first step, a loss that never rises at a small
// rate, convergence to fitLogReg's Newton solution on the same two features, no tensors left
// behind — on cpu and wasm; and the 'logregTrace' job on the demo shop in a fake IndexedDB.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import 'fake-indexeddb/auto';
import { fitLogReg } from '../../src/lib/ml/logreg';
import { logregTraceJob, traceLogReg } from '../../src/lib/propensity/trace';
import { Random } from '../../src/lib/random';
import { makeJobContext } from '../../src/lib/compute/jobs';
import { openStore } from '../../src/lib/store';
import { ingest } from '../../src/lib/ingest/pipeline';
import { demoImportSettings } from '../../src/lib/ingest/demo';
import { createDemoShop } from '../../src/lib/synth';

/** n points with x ~ N(0, 1) (correlated 0.5) and y ~ Bernoulli(σ(−0.5 + 1.5·x1 − x2)). */
function synthetic(n: number, seed: number): { x: Float32Array; y: Uint8Array } {
  const rng = new Random(seed);
  const x = new Float32Array(2 * n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = 0.5 * a + Math.sqrt(0.75) * rng.normal();
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[i] = rng.next() < 1 / (1 + Math.exp(-(-0.5 + 1.5 * a - b))) ? 1 : 0;
  }
  return { x, y };
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`gradient descent trace on ${backend}`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      await tf.ready();
    });

    it('takes the hand-worked first step from w = 0', async () => {
      // x = (1, 0), (−1, 0), (0, 2), (0, −2); y = 1, 0, 1, 0; C = 1.
      // At w = 0 every p = ½: loss = ln 2; ∇L = (1/4)[Σ(p − y), Σ(p − y)x1, Σ(p − y)x2]
      //   = (1/4)[0, −½ − ½, −1 − 1] = [0, −0.25, −0.5].
      const steps = await traceLogReg(tf, Float32Array.from([1, 0, -1, 0, 0, 2, 0, -2]), Uint8Array.from([1, 0, 1, 0]), { learningRate: 2, steps: 1 });
      expect(steps).toHaveLength(2);
      expect(steps[0].loss).toBeCloseTo(Math.LN2, 6);
      expect(steps[0].gradient[0]).toBeCloseTo(0, 7);
      expect(steps[0].gradient[1]).toBeCloseTo(-0.25, 7);
      expect(steps[0].gradient[2]).toBeCloseTo(-0.5, 7);
      // w ← 0 − 2·∇L = (0, 0.5, 1).
      expect([steps[1].w0, steps[1].w1, steps[1].w2]).toEqual([0, 0.5, 1]);
      // Loss there: z = ±0.5 (rows 1, 2), ±2 (rows 3, 4), all on the right side; plus (0.25 + 1)/(2·4).
      const sp = (z: number) => Math.log1p(Math.exp(z));
      const expected = (2 * (sp(0.5) - 0.5) + 2 * (sp(2) - 2)) / 4 + 1.25 / 8;
      expect(steps[1].loss).toBeCloseTo(expected, 6);
    });

    it('never raises the loss at a small rate and heads to the Newton solution', async () => {
      const { x, y } = synthetic(1500, 11);
      const before = tf.memory().numTensors;
      const steps = await traceLogReg(tf, x, y, { learningRate: 1, steps: 600 });
      expect(tf.memory().numTensors).toBe(before);
      // The loss is a float32 mean: "never rises" up to float32 rounding (≈ 6e-8 at 0.5).
      for (let s = 1; s < steps.length; s++) expect(steps[s].loss).toBeLessThanOrEqual(steps[s - 1].loss + 1e-6);
      const newton = await fitLogReg(tf, { data: x, rows: 1500, cols: 2, names: ['a', 'b'] }, y, { C: 1 });
      const last = steps[steps.length - 1];
      expect(Math.abs(last.w0 - newton.intercept)).toBeLessThan(1e-3);
      expect(Math.abs(last.w1 - newton.coefficients[0])).toBeLessThan(1e-3);
      expect(Math.abs(last.w2 - newton.coefficients[1])).toBeLessThan(1e-3);
      // The planted weights (−0.5, 1.5, −1) are recovered roughly, as a sanity check of the data.
      expect(last.w1).toBeGreaterThan(1);
      expect(last.w2).toBeLessThan(-0.6);
      // At the optimum the gradient vanishes.
      expect(Math.max(...last.gradient.map(Math.abs))).toBeLessThan(1e-4);
      // Early on it is still far: descent is visibly slower than Newton.
      expect(Math.abs(steps[5].w1 - newton.coefficients[0])).toBeGreaterThan(0.1);
    });

    it('refuses bad settings', async () => {
      const { x, y } = synthetic(10, 1);
      await expect(traceLogReg(tf, x, y, { learningRate: 0, steps: 5 })).rejects.toThrow(/learningRate/);
      await expect(traceLogReg(tf, x, y, { learningRate: 1, steps: 0 })).rejects.toThrow(/steps/);
      await expect(traceLogReg(tf, x.subarray(0, 5), y, { learningRate: 1, steps: 5 })).rejects.toThrow(/n×2/);
    });
  });
}

describe('the logregTrace job (fake IndexedDB, wasm)', () => {
  it('traces two features of the demo shop on a sample of at most maxPoints customers', async () => {
    await tf.setBackend('wasm');
    const db = await openStore();
    const shop = createDemoShop({ customers: 400, items: 40 });
    const meta = await ingest({
      db,
      source: { kind: 'rows', rows: shop.lines(), rowsTotal: null },
      settings: demoImportSettings(shop.columns),
      fileName: 'demo.csv',
      name: 'Demo',
      origin: 'demo',
    });
    const progress: number[] = [];
    const before = tf.memory().numTensors;
    const params = { datasetId: meta.id, horizonDays: 60, kind: 'buy' as const, features: ['recency', 'frequency'] as [string, string], learningRate: 1, steps: 200, seed: 3, maxPoints: 150 };
    const r = await logregTraceJob(tf, params, makeJobContext(undefined, (p) => progress.push(p.fraction)));
    expect(tf.memory().numTensors).toBe(before);
    expect(r.n).toBe(150);
    expect(r.sampled).toBe(r.total > 150);
    expect(r.points).toHaveLength(300);
    expect(r.y).toHaveLength(150);
    expect(r.steps).toHaveLength(201);
    expect(r.positives).toBeGreaterThan(0);
    expect(r.positives).toBeLessThan(150);
    // Recent buyers buy again: the recency weight turns negative, and the loss falls below ln 2.
    expect(r.steps[200].w1).toBeLessThan(0);
    expect(r.steps[200].loss).toBeLessThan(r.steps[0].loss);
    expect(r.steps[0].loss).toBeCloseTo(Math.LN2, 5);
    expect(Math.abs(r.steps[200].loss - r.newton.loss)).toBeLessThan(0.01);
    expect(progress[progress.length - 1]).toBe(1);

    await expect(logregTraceJob(tf, { ...params, features: ['recency', 'recency'] }, makeJobContext())).rejects.toThrow(/two different/);
    await expect(logregTraceJob(tf, { ...params, features: ['recency', 'nope'] }, makeJobContext())).rejects.toThrow(/no feature “nope”/);
    const ac = new AbortController();
    ac.abort();
    await expect(logregTraceJob(tf, params, makeJobContext(ac.signal))).rejects.toThrow('job cancelled');
  });
});
