// Batched Cholesky and conjugate gradient on tensors against hand-worked systems and a float64
// Gaussian-elimination reference, on the cpu and wasm backends.
import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { choleskyFactor, choleskySolve, conjugateGradient, solveSpd } from '../../src/lib/ml/batched-linalg';
import { Random } from '../../src/lib/random';

/** Float64 Gaussian elimination with partial pivoting: the independent reference. */
function gaussSolve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = c + 1; r < n; r++) {
      const k = m[r][c] / m[c][c];
      for (let j = c; j <= n; j++) m[r][j] -= k * m[c][j];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let j = r + 1; j < n; j++) s -= m[r][j] * x[j];
    x[r] = s / m[r][r];
  }
  return x;
}

/** B random SPD f×f matrices M Mᵀ + 0.5 I and right-hand sides. */
function randomSystems(seed: number, batch: number, f: number): { a: number[][][]; b: number[][] } {
  const rng = new Random(seed);
  const a: number[][][] = [];
  const b: number[][] = [];
  for (let s = 0; s < batch; s++) {
    const m = Array.from({ length: f }, () => Array.from({ length: f + 2 }, () => rng.normal()));
    a.push(m.map((ri, i) => m.map((rj, j) => ri.reduce((acc, v, k) => acc + v * rj[k], 0) + (i === j ? 0.5 : 0))));
    b.push(Array.from({ length: f }, () => rng.normal()));
  }
  return { a, b };
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`batched linear algebra on ${backend}`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      await tf.ready();
    });

    it('hand-worked 2×2 systems', async () => {
      // [[4,2],[2,3]] = L Lᵀ with L = [[2,0],[1,√2]]; A⁻¹ = [[3,−2],[−2,4]]/8, so b = (2,1) → x = (0.5, 0).
      // diag(9, 1): L = diag(3, 1); b = (9, 2) → x = (1, 2).
      const a = tf.tensor3d([4, 2, 2, 3, 9, 0, 0, 1], [2, 2, 2]);
      const b = tf.tensor3d([2, 1, 9, 2], [2, 2, 1]);
      const l = choleskyFactor(tf, a);
      const lv = Array.from(await l.data());
      const expected = [2, 0, 1, Math.SQRT2, 3, 0, 0, 1];
      lv.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
      const x = choleskySolve(tf, l, b);
      const xv = Array.from(await x.data());
      [0.5, 0, 1, 2].forEach((v, i) => expect(xv[i]).toBeCloseTo(v, 6));
      const cg = conjugateGradient(tf, a, b, tf.zeros([2, 2, 1]), 2); // CG is exact in f steps
      const cv = Array.from(await cg.data());
      [0.5, 0, 1, 2].forEach((v, i) => expect(cv[i]).toBeCloseTo(v, 5));
      tf.dispose([a, b, l, x, cg]);
    });

    it('random 8×8 SPD batch: Cholesky and CG agree with float64 elimination, no tensor leaks', async () => {
      const batch = 5;
      const f = 8;
      const { a, b } = randomSystems(11, batch, f);
      const at = tf.tensor3d(a.flat(2), [batch, f, f]);
      const bt = tf.tensor3d(b.flat(), [batch, f, 1]);
      const before = tf.memory().numTensors;
      const x = solveSpd(tf, at, bt);
      const cg = conjugateGradient(tf, (p) => tf.matMul(at, p), bt, tf.zeros([batch, f, 1]), 40);
      expect(tf.memory().numTensors).toBe(before + 3); // x, cg and the zeros start
      const xv = await x.data();
      const cv = await cg.data();
      for (let s = 0; s < batch; s++) {
        const ref = gaussSolve(a[s], b[s]);
        const scale = Math.max(...ref.map(Math.abs));
        for (let i = 0; i < f; i++) {
          expect(Math.abs(xv[s * f + i] - ref[i]) / scale).toBeLessThan(2e-3);
          expect(Math.abs(cv[s * f + i] - ref[i]) / scale).toBeLessThan(2e-3);
        }
      }
      tf.dispose([at, bt, x, cg]);
    });

    it('CG on batched row vectors [B, 1, f] solves the same hand-worked systems', async () => {
      // As above: [[4,2],[2,3]] x = (2,1) → (0.5, 0); diag(9, 1) x = (9, 2) → (1, 2). Rows: x·A = bᵀ (A symmetric).
      const a = tf.tensor3d([4, 2, 2, 3, 9, 0, 0, 1], [2, 2, 2]);
      const b = tf.tensor3d([2, 1, 9, 2], [2, 1, 2]);
      const viaMatrix = conjugateGradient(tf, a, b, tf.zeros([2, 1, 2]), 2);
      const viaOperator = conjugateGradient(tf, (p) => tf.matMul(p, a), b, tf.zeros([2, 1, 2]), 2);
      expect(viaMatrix.shape).toEqual([2, 1, 2]);
      for (const x of [viaMatrix, viaOperator]) {
        const v = Array.from(await x.data());
        [0.5, 0, 1, 2].forEach((e, i) => expect(v[i]).toBeCloseTo(e, 5));
      }
      expect(() => conjugateGradient(tf, a, b, tf.zeros([2, 2, 1]), 2)).toThrow('x0 has 2 rows, expected 1');
      tf.dispose([a, b, viaMatrix, viaOperator]);
    });

    it('a zero right-hand side stays at zero in CG (no NaN from 0/0)', async () => {
      const a = tf.tensor3d([2, 0, 0, 2], [1, 2, 2]);
      const x = conjugateGradient(tf, a, tf.zeros([1, 2, 1]), tf.zeros([1, 2, 1]), 3);
      expect(Array.from(await x.data())).toEqual([0, 0]);
      tf.dispose([a, x]);
    });

    it('rejects bad shapes and step counts', () => {
      const a = tf.zeros([1, 2, 3]) as tf.Tensor3D;
      expect(() => choleskyFactor(tf, a)).toThrow('A must be square');
      const sq = tf.reshape(tf.eye(2), [1, 2, 2]) as tf.Tensor3D;
      expect(() => conjugateGradient(tf, sq, tf.zeros([1, 2, 1]), tf.zeros([1, 2, 1]), 0)).toThrow('steps must be an integer ≥ 1, got 0');
      tf.dispose([a, sq]);
    });
  });
}
