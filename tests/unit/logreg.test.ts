// Logistic regression against scikit-learn 1.2 LogisticRegression(tol=1e-10, max_iter=10000) on a
// seeded standardised fixture (tests/fixtures/sklearn/logreg-fixtures.json, made by
// make_logreg_fixtures.py), with Wald standard errors computed there in numpy; on cpu and wasm.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { fitLogReg, oddsRatios, predictProba, type DesignMatrix, type LogRegModel } from '../../src/lib/ml/logreg';
import { choleskyFactor, choleskyInverse, choleskySolve } from '../../src/lib/ml/dense';
import { rocAuc } from '../../src/lib/eval/classification';
import { isJobCancelled } from '../../src/lib/compute/jobs';
import { Random } from '../../src/lib/random';

interface Fit {
  name: string;
  C: number;
  classWeight: 'none' | 'balanced';
  coefficients: number[];
  intercept: number;
  seCoefficients: number[];
  seIntercept: number;
  probaFirst5: number[];
}
const fx = (JSON.parse(readFileSync(new URL('../fixtures/sklearn/logreg-fixtures.json', import.meta.url), 'utf8')) as {
  logreg: { n: number; d: number; x: number[]; y: number[]; fits: Fit[] };
}).logreg;
const X: DesignMatrix = { data: Float32Array.from(fx.x), rows: fx.n, cols: fx.d, names: Array.from({ length: fx.d }, (_, j) => `x${j}`) };
const Y = Uint8Array.from(fx.y);

/** A seeded synthetic problem: n × d standard normals, y ~ Bernoulli(σ(x·β − 1)). */
function synthetic(n: number, d: number, seed: number): { X: DesignMatrix; y: Uint8Array } {
  const rng = new Random(seed);
  const data = new Float32Array(n * d);
  const y = new Uint8Array(n);
  const beta = Array.from({ length: d }, (_, j) => (j % 3 === 0 ? 0.8 : j % 3 === 1 ? -0.5 : 0.1));
  for (let i = 0; i < n; i++) {
    let z = -1;
    for (let j = 0; j < d; j++) {
      const v = rng.normal();
      data[i * d + j] = v;
      z += beta[j] * v;
    }
    y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { X: { data, rows: n, cols: d, names: beta.map((_, j) => `f${j}`) }, y };
}

/**
 * The test's own float64 Newton (IRLS) for Σ ℓ_i + ‖β‖²/(2C), intercept unpenalised, run to a
 * gradient of 1e-12: θ = [β, b] and the Wald standard errors sqrt(diag(H⁻¹)) at the optimum.
 */
function newtonReference(X: DesignMatrix, y: Uint8Array, C: number): { theta: number[]; se: number[] } {
  const d = X.cols;
  const p1 = d + 1;
  const theta = new Float64Array(p1);
  const row = (i: number, j: number) => (j < d ? X.data[i * d + j] : 1);
  for (let it = 0; it < 50; it++) {
    const g = new Float64Array(p1);
    const h = new Float64Array(p1 * p1);
    for (let i = 0; i < X.rows; i++) {
      let z = theta[d];
      for (let j = 0; j < d; j++) z += theta[j] * X.data[i * d + j];
      const p = 1 / (1 + Math.exp(-z));
      const wi = p * (1 - p);
      for (let a = 0; a < p1; a++) {
        g[a] += (p - y[i]) * row(i, a);
        for (let b = 0; b <= a; b++) h[a * p1 + b] += wi * row(i, a) * row(i, b);
      }
    }
    for (let a = 0; a < p1; a++) for (let b = 0; b < a; b++) h[b * p1 + a] = h[a * p1 + b];
    for (let j = 0; j < d; j++) {
      g[j] += theta[j] / C;
      h[j * p1 + j] += 1 / C;
    }
    const factor = choleskyFactor(h, p1);
    if (Math.max(...g.map(Math.abs)) / X.rows < 1e-12) {
      const inv = choleskyInverse(factor, p1);
      return { theta: Array.from(theta), se: Array.from({ length: p1 }, (_, j) => Math.sqrt(inv[j * p1 + j])) };
    }
    const delta = choleskySolve(factor, p1, g);
    for (let j = 0; j < p1; j++) theta[j] -= delta[j];
  }
  throw new Error('reference Newton did not converge');
}

describe('dense float64 algebra', () => {
  it('Cholesky factor, solve and inverse of a hand-worked 2×2', () => {
    // [[4,2],[2,3]] = L·Lᵀ with L = [[2,0],[1,√2]]; inverse = [[3,−2],[−2,4]] / 8.
    const a = Float64Array.from([4, 2, 2, 3]);
    const l = choleskyFactor(a, 2);
    expect(Array.from(l)).toEqual([2, 0, 1, Math.SQRT2]);
    // A·[1, −1] = [2, −1].
    const x = choleskySolve(l, 2, [2, -1]);
    expect(x[0]).toBeCloseTo(1, 14);
    expect(x[1]).toBeCloseTo(-1, 14);
    const inv = choleskyInverse(l, 2);
    [3 / 8, -2 / 8, -2 / 8, 4 / 8].forEach((v, i) => expect(inv[i]).toBeCloseTo(v, 14));
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => choleskyFactor(Float64Array.from([1, 2, 2, 1]), 2)).toThrow('not positive definite');
  });
});

describe('fitLogReg options and inputs', () => {
  it('names the bad value', async () => {
    await tf.setBackend('cpu');
    await expect(fitLogReg(tf, X, Y, { C: 0 })).rejects.toThrow('C must be a finite number > 0, got 0');
    await expect(fitLogReg(tf, X, Y, { solver: 'lbfgs' as 'newton' })).rejects.toThrow("solver must be 'auto', 'newton' or 'minibatch', got lbfgs");
    await expect(fitLogReg(tf, X, Y, { maxIter: 1.5 })).rejects.toThrow('maxIter must be an integer ≥ 1, got 1.5');
    await expect(fitLogReg(tf, X, Y.subarray(1))).rejects.toThrow(`y has ${fx.n - 1} labels for ${fx.n} rows`);
    await expect(fitLogReg(tf, X, new Uint8Array(fx.n))).rejects.toThrow('y needs both classes, got 0 positives');
    await expect(fitLogReg(tf, { ...X, names: ['a'] }, Y)).rejects.toThrow('1 names for 6 columns');
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`logistic regression on ${backend}`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      await tf.ready();
    });

    for (const f of fx.fits) {
      it(`${f.name}: coefficients, intercept and standard errors equal scikit-learn's within 1e-3`, async () => {
        const m = await fitLogReg(tf, X, Y, { C: f.C, classWeight: f.classWeight });
        expect(m.solver).toBe('newton');
        expect(m.converged).toBe(true);
        expect(m.stopReason).toMatch(/Newton steps/);
        m.coefficients.forEach((c, j) => expect(Math.abs(c - f.coefficients[j])).toBeLessThan(1e-3));
        expect(Math.abs(m.intercept - f.intercept)).toBeLessThan(1e-3);
        m.standardErrors!.coefficients.forEach((s, j) => expect(Math.abs(s - f.seCoefficients[j])).toBeLessThan(1e-3));
        expect(Math.abs(m.standardErrors!.intercept - f.seIntercept)).toBeLessThan(1e-3);
        const p = predictProba(m, X);
        f.probaFirst5.forEach((v, i) => expect(Math.abs(p[i] - v)).toBeLessThan(1e-4));
      });
    }

    it('loss falls at every Newton step and the callback sees each iteration', async () => {
      const seen: { iteration: number; loss: number; gradNorm: number }[] = [];
      const m = await fitLogReg(tf, X, Y, { onIteration: (s) => void seen.push(s) });
      expect(seen.length).toBe(m.loss.length);
      expect(seen.map((s) => s.iteration)).toEqual(seen.map((_, i) => i));
      // β = 0: every p = ½ (float32 softplus on wasm is off by ~1e-6 there).
      expect(Math.abs(m.loss[0] - Math.LN2)).toBeLessThan(1e-5);
      for (let i = 1; i < m.loss.length; i++) expect(m.loss[i]).toBeLessThanOrEqual(m.loss[i - 1] + 1e-7);
      expect(seen.at(-1)!.gradNorm).toBeLessThanOrEqual(1e-6);
    });

    it('maxIter stops early and says so', async () => {
      const m = await fitLogReg(tf, X, Y, { maxIter: 1 });
      expect(m.iterations).toBe(1);
      expect(m.converged).toBe(false);
      expect(m.stopReason).toMatch(/reached maxIter 1/);
    });

    it('leaves no tensors behind across repeated fits', async () => {
      await fitLogReg(tf, X, Y, { blockRows: 64 });
      const before = tf.memory().numTensors;
      await fitLogReg(tf, X, Y, { blockRows: 64 });
      await fitLogReg(tf, X, Y, { blockRows: 64, cacheBytes: 0 });
      await fitLogReg(tf, X, Y, { solver: 'minibatch', epochs: 2, batchSize: 50 });
      const ac = new AbortController();
      await fitLogReg(tf, X, Y, { signal: ac.signal, onIteration: () => ac.abort() }).catch(() => undefined);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('row blocks, resident or re-uploaded each pass, do not change the answer', async () => {
      const a = await fitLogReg(tf, X, Y);
      const b = await fitLogReg(tf, X, Y, { blockRows: 37 });
      const c = await fitLogReg(tf, X, Y, { blockRows: 37, cacheBytes: 0 });
      a.coefficients.forEach((v, j) => expect(Math.abs(v - b.coefficients[j])).toBeLessThan(1e-5));
      // Streamed blocks build [Xᵀ·diag(h); h] in JS and may take the standard errors from the Hessian
      // one step before the confirming pass: the same optimum, standard errors to ~1e-4.
      c.coefficients.forEach((v, j) => expect(Math.abs(v - b.coefficients[j])).toBeLessThan(1e-6));
      c.standardErrors!.coefficients.forEach((v, j) => expect(Math.abs(v / b.standardErrors!.coefficients[j] - 1)).toBeLessThan(1e-3));
    });

    it('large data: warm start from every k-th row, streamed passes, the float64 Newton optimum and standard errors', async () => {
      const { X: Xl, y } = synthetic(300_000, 4, 5);
      const m = await fitLogReg(tf, Xl, y);
      const ref = newtonReference(Xl, y, 1);
      expect(m.converged).toBe(true);
      expect(m.stopReason).toMatch(/started from the fit on every 5th row/);
      // The last pass only confirmed the gradient; the stop reason says how far θ moved since.
      expect(m.stopReason).toMatch(/standard errors from the Hessian one step earlier \(θ moved ≤ [0-9.e+-]+ since\)/);
      expect(m.iterations).toBeLessThanOrEqual(3);
      m.coefficients.forEach((v, j) => expect(Math.abs(v - ref.theta[j])).toBeLessThan(1e-5));
      expect(Math.abs(m.intercept - ref.theta[4])).toBeLessThan(1e-5);
      m.standardErrors!.coefficients.forEach((v, j) => expect(Math.abs(v / ref.se[j] - 1)).toBeLessThan(1e-3));
      expect(Math.abs(m.standardErrors!.intercept / ref.se[4] - 1)).toBeLessThan(1e-3);
    });

    it('large data with a strong penalty (C = 1e-5): the subsample fit, C scaled to it, starts near the optimum', async () => {
      const { X: Xl, y } = synthetic(300_000, 4, 6);
      const grads: number[] = [];
      const m = await fitLogReg(tf, Xl, y, { C: 1e-5, onIteration: (s) => void grads.push(s.gradNorm) });
      const ref = newtonReference(Xl, y, 1e-5);
      expect(m.stopReason).toMatch(/started from the fit on every 5th row/);
      // With C unscaled the subsample's penalty is 5× too strong: the first full pass then sees a
      // gradient of ~0.1 (measured) and needs a third step; scaled, ~2e-3 and two steps.
      expect(grads[0]).toBeLessThan(1e-2);
      expect(m.iterations).toBeLessThanOrEqual(2);
      m.coefficients.forEach((v, j) => expect(Math.abs(v - ref.theta[j])).toBeLessThan(1e-5));
      m.standardErrors!.coefficients.forEach((v, j) => expect(Math.abs(v / ref.se[j] - 1)).toBeLessThan(1e-3));
    });

    it('large data whose every-k-th-row subsample holds one class: no warm start, same optimum', async () => {
      const { X: Xl, y } = synthetic(300_000, 2, 9);
      for (let i = 0; i < y.length; i += 5) y[i] = 0; // the subsample takes rows 0, 5, 10, …
      const m = await fitLogReg(tf, Xl, y);
      const ref = newtonReference(Xl, y, 1);
      expect(m.converged).toBe(true);
      expect(m.stopReason).not.toMatch(/started from/);
      m.coefficients.forEach((v, j) => expect(Math.abs(v - ref.theta[j])).toBeLessThan(1e-5));
    });

    it('cancels through the signal', async () => {
      const ac = new AbortController();
      const run = fitLogReg(tf, X, Y, { signal: ac.signal, onIteration: (s) => (s.iteration === 1 ? ac.abort() : undefined) });
      await expect(run).rejects.toSatisfy(isJobCancelled);
    });

    it('minibatch: AUC within 0.005 of Newton on 20,000 × 10, deterministic for a seed', async () => {
      const { X: Xs, y } = synthetic(20_000, 10, 11);
      const newton = await fitLogReg(tf, Xs, y);
      const epochs: { loss: number; gradNorm: number }[] = [];
      const mb = await fitLogReg(tf, Xs, y, { solver: 'minibatch', seed: 3, epochs: 5, batchSize: 512, onIteration: (s) => void epochs.push(s) });
      expect(epochs.length).toBe(5);
      expect(epochs.every((e) => Number.isFinite(e.gradNorm))).toBe(true);
      expect(epochs[4].loss).toBeLessThan(epochs[0].loss);
      // The final exact loss is no better than Newton's optimum (which minimises the same objective).
      expect(mb.loss.at(-1)!).toBeGreaterThanOrEqual(newton.loss.at(-1)! - 1e-6);
      const again = await fitLogReg(tf, Xs, y, { solver: 'minibatch', seed: 3, epochs: 5, batchSize: 512 });
      expect(mb.solver).toBe('minibatch');
      expect(mb.coefficients).toEqual(again.coefficients);
      expect(mb.intercept).toBe(again.intercept);
      const aucN = rocAuc(y, predictProba(newton, Xs));
      const aucM = rocAuc(y, predictProba(mb, Xs));
      expect(aucN).toBeGreaterThan(0.7);
      expect(Math.abs(aucN - aucM)).toBeLessThan(0.005);
      expect(mb.loss.length).toBe(6); // 5 epochs + the final exact pass
      expect(mb.standardErrors).not.toBeNull();
    });
  });
}

describe('oddsRatios', () => {
  it('exp(β) with the Wald interval exp(β ± 1.96·se)', () => {
    const m: LogRegModel = {
      names: ['a', 'b'],
      coefficients: [Math.LN2, 0],
      intercept: 0,
      C: 1,
      classWeight: 'none',
      solver: 'newton',
      iterations: 1,
      converged: true,
      stopReason: '',
      loss: [],
      standardErrors: { intercept: 0.1, coefficients: [0.5, 0.25] },
    };
    const [a, b] = oddsRatios(m);
    expect(a.oddsRatio).toBeCloseTo(2, 14);
    expect(a.low).toBeCloseTo(2 * Math.exp(-1.959963984540054 * 0.5), 12);
    expect(a.high).toBeCloseTo(2 * Math.exp(1.959963984540054 * 0.5), 12);
    expect(a.z).toBeCloseTo(Math.LN2 / 0.5, 14);
    expect(b).toMatchObject({ name: 'b', oddsRatio: 1, z: 0 });
  });
});
