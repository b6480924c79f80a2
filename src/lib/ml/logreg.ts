// Binary logistic regression on tfjs tensors, shaped like scikit-learn's LogisticRegression
// (sklearn/linear_model/_logistic.py, binary case).
//
// Maths. With z = Xβ + b and p = σ(z), we minimise the scikit-learn objective
//   F(β, b) = Σ_i w_i·ℓ_i + ‖β‖² / (2C),   ℓ_i = softplus(z_i) − y_i·z_i  (the log loss),
// where w_i = 1, or n / (2·n_class(y_i)) for classWeight 'balanced'; the intercept is not penalised.
// Reported losses and gradients are F / Σw (the "penalised mean loss"), so figures do not grow with n.
//   ∇F = [Xᵀr + β/C ; Σ r]  with r = w·(p − y)
//   ∇²F = [XᵀHX + I/C , XᵀH1 ; 1ᵀHX , Σh]  with h = w·p·(1 − p)
// Solvers.
//  - 'newton': full Newton steps from β = 0, or on 262,144 rows or more from the fit of a systematic
//    subsample (`warmStart`). Every pass over the data (row blocks of `blockRows`) computes
//    z = Xβ + b, p, the per-row losses and residuals and the Hessian (Xᵀ ⊙ h)·X on tensors;
//    the residuals come back and Xᵀr is summed in float64 in JS (the optimum sits where the gradient
//    is zero, so its rounding is what limits accuracy), the block Hessians are summed in float64,
//    and the (d+1)×(d+1) system is solved by Cholesky in float64 (dense.ts). The blocks
//    (X and Xᵀ) stay resident as tensors for the fit up to `cacheBytes` (512 MiB), beyond that, and
//    for warm-started fits, they are uploaded again each pass (`streamedBlockSums`), so memory stays
//    bounded. A streamed pass that Newton's observed quadratic rate predicts to be the last computes
//    the gradient only; if it confirms convergence the standard errors come from the Hessian one
//    step earlier, and the stop reason says so and how far θ moved since.
//    While far from the optimum a step that raises the loss is halved (backtracking); near it the
//    full step is kept (quadratic convergence; float32 noise in the loss must not trigger halving).
//    Stops when max|∇F/Σw| ≤ tol (default 1e-6), or when the Newton step is below float precision.
//  - 'minibatch': Adam on seeded shuffled mini-batches (for very wide inputs, where a d×d Hessian is
//    too big); the step size decays as 1/√epoch. Deterministic for a seed.
// Standard errors: sqrt(diag((∇²F)⁻¹)) at the solution (or one step before it, see above) — the penalised Hessian, so they match the
// usual Wald formula sqrt(diag(inv(XᵀWX + I/C with 0 for the intercept))).
import type * as TfCore from '@tensorflow/tfjs-core';
import { Random } from '../random';
import { checkpoint } from '../compute/jobs';
import { choleskyFactor, choleskyInverse, choleskySolve } from './dense';

export type Tf = typeof TfCore;

/** Row-major design matrix (rows × cols float32 values) with one name per column. */
export interface DesignMatrix {
  data: Float32Array;
  rows: number;
  cols: number;
  names: string[];
}

export interface LogRegIteration {
  iteration: number;
  loss: number;
  gradNorm: number;
}

export interface LogRegOptions {
  /** Inverse regularisation strength, scikit-learn convention. Default 1. */
  C?: number;
  /** 'balanced' weighs each class by n / (2·n_class), as scikit-learn. Default 'none'. */
  classWeight?: 'none' | 'balanced';
  /** 'auto' (default): newton when cols ≤ 512, else minibatch. */
  solver?: 'auto' | 'newton' | 'minibatch';
  /** Newton steps (default 100). */
  maxIter?: number;
  /** Newton: max |gradient of the penalised mean loss| to stop at (default 1e-6). Minibatch: the
   * same figure, checked after the last epoch to report `converged` (default 1e-3). */
  tol?: number;
  /** Minibatch: seed for the shuffles (default 0). */
  seed?: number;
  /** Minibatch rows per step (default 1024). */
  batchSize?: number;
  /** Minibatch Adam step size (default 0.01; decays as 1/√epoch). */
  learningRate?: number;
  /** Minibatch passes over the data (default 20). */
  epochs?: number;
  /** Rows per tensor block in full passes (default 65,536): bounds memory and float32 rounding.
   * Fewer, larger blocks set up faster on wasm (1M × 32: first pass 1.4 s at 65,536 vs 4.3 s at 16,384). */
  blockRows?: number;
  /** Newton keeps X and Xᵀ as tensors for the fit when they take at most this many bytes
   * (default 512 MiB); above it blocks are uploaded in every pass. Fits on 262,144 rows or more
   * that start from a subsample fit (see warmStart) need ~3 passes, so they stream. */
  cacheBytes?: number;
  signal?: AbortSignal;
  onIteration?: (s: LogRegIteration) => void | Promise<void>;
}

export interface LogRegModel {
  names: string[];
  coefficients: number[];
  intercept: number;
  C: number;
  classWeight: 'none' | 'balanced';
  solver: 'newton' | 'minibatch';
  iterations: number;
  converged: boolean;
  stopReason: string;
  /** Penalised mean loss F/Σw per iteration (Newton evaluation or minibatch epoch). */
  loss: number[];
  /** sqrt(diag(H⁻¹)) of the penalised Hessian; null for minibatch when cols > 1024. */
  standardErrors: { intercept: number; coefficients: number[] } | null;
}

export interface OddsRatioRow {
  name: string;
  coefficient: number;
  oddsRatio: number;
  low: number;
  high: number;
  z: number;
}

const NEWTON_MAX_COLS = 512;
const SE_MAX_COLS = 1024;

interface Resolved {
  C: number;
  classWeight: 'none' | 'balanced';
  solver: 'newton' | 'minibatch';
  maxIter: number;
  tol: number;
  seed: number;
  batchSize: number;
  learningRate: number;
  epochs: number;
  blockRows: number;
  cacheBytes: number;
}

function positive(name: string, v: number | undefined, def: number): number {
  const x = v ?? def;
  if (!(Number.isFinite(x) && x > 0)) throw new RangeError(`fitLogReg: ${name} must be a finite number > 0, got ${v}`);
  return x;
}

function positiveInt(name: string, v: number | undefined, def: number): number {
  const x = v ?? def;
  if (!(Number.isInteger(x) && x > 0)) throw new RangeError(`fitLogReg: ${name} must be an integer ≥ 1, got ${v}`);
  return x;
}

function resolveOptions(o: LogRegOptions, cols: number): Resolved {
  const classWeight = o.classWeight ?? 'none';
  if (classWeight !== 'none' && classWeight !== 'balanced') throw new RangeError(`fitLogReg: classWeight must be 'none' or 'balanced', got ${String(classWeight)}`);
  const s = o.solver ?? 'auto';
  if (s !== 'auto' && s !== 'newton' && s !== 'minibatch') throw new RangeError(`fitLogReg: solver must be 'auto', 'newton' or 'minibatch', got ${String(s)}`);
  const solver = s === 'auto' ? (cols <= NEWTON_MAX_COLS ? 'newton' : 'minibatch') : s;
  const seed = o.seed ?? 0;
  if (!Number.isFinite(seed)) throw new RangeError(`fitLogReg: seed must be a finite number, got ${seed}`);
  return {
    C: positive('C', o.C, 1),
    classWeight,
    solver,
    maxIter: positiveInt('maxIter', o.maxIter, 100),
    tol: positive('tol', o.tol, solver === 'newton' ? 1e-6 : 1e-3),
    seed,
    batchSize: positiveInt('batchSize', o.batchSize, 1024),
    learningRate: positive('learningRate', o.learningRate, 0.01),
    epochs: positiveInt('epochs', o.epochs, 20),
    blockRows: positiveInt('blockRows', o.blockRows, 65_536),
    cacheBytes: o.cacheBytes === 0 ? 0 : positive('cacheBytes', o.cacheBytes, 512 * 1024 * 1024),
  };
}

function checkInputs(X: DesignMatrix, y: Uint8Array): void {
  const { rows, cols } = X;
  if (!(Number.isInteger(rows) && rows > 0 && Number.isInteger(cols) && cols > 0)) throw new RangeError(`fitLogReg: rows and cols must be positive integers, got ${rows}×${cols}`);
  if (X.data.length !== rows * cols) throw new RangeError(`fitLogReg: data has ${X.data.length} values, expected rows×cols = ${rows}×${cols}`);
  if (X.names.length !== cols) throw new RangeError(`fitLogReg: ${X.names.length} names for ${cols} columns`);
  if (y.length !== rows) throw new RangeError(`fitLogReg: y has ${y.length} labels for ${rows} rows`);
  let pos = 0;
  for (let i = 0; i < rows; i++) {
    if (y[i] > 1) throw new RangeError(`fitLogReg: y must be 0/1, got ${y[i]} at row ${i}`);
    pos += y[i];
  }
  if (pos === 0 || pos === rows) throw new RangeError(`fitLogReg: y needs both classes, got ${pos} positives of ${rows}`);
}

/** Per-row weights (null when all are 1) and their sum. */
function sampleWeights(y: Uint8Array, classWeight: 'none' | 'balanced'): { w: Float32Array | null; sumW: number } {
  const n = y.length;
  if (classWeight === 'none') return { w: null, sumW: n };
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i];
  const w1 = n / (2 * pos);
  const w0 = n / (2 * (n - pos));
  const w = new Float32Array(n);
  let sumW = 0;
  for (let i = 0; i < n; i++) {
    w[i] = y[i] ? w1 : w0;
    sumW += w[i];
  }
  return { w, sumW };
}

/** Sums of one full pass: Σwℓ, the unpenalised gradient (β then b) and optionally the Hessian. */
interface PassSums {
  lossSum: number;
  grad: Float64Array; // d + 1
  hess: Float64Array | null; // (d+1)², row-major, intercept last
}

/** One row block: rows [r0, r1); `xb` (m × d) and `xt` (d × m) when kept resident for the fit. */
interface Block {
  r0: number;
  r1: number;
  xb: TfCore.Tensor2D | null;
  xt: TfCore.Tensor2D | null;
}

/**
 * Cuts X into row blocks. When X fits `cacheBytes` (twice its size: X and Xᵀ), the block tensors
 * are uploaded once and kept for the whole fit, else they are uploaded again in every pass (memory
 * bounded by one block). Keeping them is what makes tfjs-wasm fast here: its matMul packs the
 * right-hand matrix once per tensor, and XᵀHX is cheap as (Xᵀ ⊙ h)·X with Xᵀ given, but ≈ 30×
 * slower through transposeA or a per-row broadcast (measured at 16k × 51). Call `releaseBlocks`.
 */
function makeBlocks(tf: Tf, X: DesignMatrix, blockRows: number, transposed: boolean, cacheBytes: number): Block[] {
  const d = X.cols;
  const keep = X.rows * d * 4 * (transposed ? 2 : 1) <= cacheBytes;
  const blocks: Block[] = [];
  for (let r0 = 0; r0 < X.rows; r0 += blockRows) {
    const r1 = Math.min(X.rows, r0 + blockRows);
    if (!keep) {
      blocks.push({ r0, r1, xb: null, xt: null });
      continue;
    }
    const xb = tf.tensor2d(X.data.subarray(r0 * d, r1 * d), [r1 - r0, d]);
    blocks.push({ r0, r1, xb, xt: transposed ? tf.transpose(xb) : null });
  }
  return blocks;
}

function releaseBlocks(blocks: Block[]): void {
  for (const b of blocks) {
    b.xb?.dispose();
    b.xt?.dispose();
  }
}

/** The JS buffer streamed passes build [Xᵀ·diag(h); h] in: one per fit, reused by every pass. */
interface Scratch {
  buf: Float32Array | null;
}

/** Values of a tensor, which is then disposed (also when the read fails). */
async function readAndDispose(t: TfCore.Tensor): Promise<Float32Array> {
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}

/**
 * One pass over the blocks at parameters theta = [β, b]: tensor work per block, float64 sums
 * across blocks (so float32 rounding stays within one block).
 */
async function pass(
  tf: Tf,
  X: DesignMatrix,
  blocks: Block[],
  yf: Float32Array,
  w: Float32Array | null,
  theta: Float64Array,
  wantHessian: boolean,
  scratch: Scratch = { buf: null },
): Promise<PassSums> {
  const d = X.cols;
  const p1 = d + 1;
  const grad = new Float64Array(p1);
  const hess = wantHessian ? new Float64Array(p1 * p1) : null;
  let lossSum = 0;
  const beta = tf.tensor2d(Float32Array.from(theta.subarray(0, d)), [d, 1]);
  const b = tf.scalar(theta[d]);
  try {
    for (const blk of blocks) {
      const { r0, r1 } = blk;
      const m = r1 - r0;
      const v = blk.xb ? await residentBlockSums(tf, blk, blk.xb, yf, w, beta, b, wantHessian) : await streamedBlockSums(tf, X, r0, r1, yf, w, beta, b, wantHessian, scratch);
      for (let i = 0; i < m; i++) lossSum += v[i];
      addXtr(X.data, r0, m, d, v, m, grad);
      if (hess) {
        const o = 2 * m;
        hess[d * p1 + d] += v[o];
        for (let j = 0; j < d; j++) {
          hess[j * p1 + d] += v[o + 1 + j];
          hess[d * p1 + j] += v[o + 1 + j];
        }
        const oh = o + 1 + d;
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) hess[i * p1 + j] += v[oh + i * d + j];
      }
    }
  } finally {
    beta.dispose();
    b.dispose();
  }
  return { lossSum, grad, hess };
}

/**
 * One block's sums with X and Xᵀ resident on the backend, as [w·loss (m), w·(p − y) (m), Σh, hᵀX (d),
 * XᵀHX (d²)] with h = w·p(1 − p). Per-row losses and residuals come back whole: their sums and Xᵀr
 * are taken in float64 by the caller (a float32 Xᵀr over 65k rows moved bank-full's optimum by
 * 2e-3; float64: 7e-4).
 */
async function residentBlockSums(tf: Tf, blk: Block, xb: TfCore.Tensor2D, yf: Float32Array, w: Float32Array | null, beta: TfCore.Tensor2D, b: TfCore.Scalar, wantHessian: boolean): Promise<Float32Array> {
  const { r0, r1 } = blk;
  const m = r1 - r0;
  const d = xb.shape[1];
  const packed = tf.tidy(() => {
    const { parts, h } = rowTerms(tf, xb, yf.subarray(r0, r1), w?.subarray(r0, r1) ?? null, beta, b);
    if (wantHessian) {
      const hr = tf.reshape(h, [1, m]);
      const xth = tf.mul(blk.xt ?? tf.transpose(xb), hr); // Xᵀ·diag(h), broadcast on the last axis
      parts.push(tf.reshape(tf.sum(h), [1]), tf.reshape(tf.matMul(hr, xb), [d]), tf.reshape(tf.matMul(xth, xb), [d * d]));
    }
    return tf.concat(parts);
  });
  return readAndDispose(packed);
}

/** Per-row terms at (β, b): [w·loss, w·(p − y)] and h = w·p(1 − p), all [m]. Call inside a tidy. */
function rowTerms(tf: Tf, xb: TfCore.Tensor2D, y: Float32Array, w: Float32Array | null, beta: TfCore.Tensor2D, b: TfCore.Scalar): { parts: TfCore.Tensor[]; h: TfCore.Tensor1D } {
  const m = xb.shape[0];
  const yb = tf.tensor1d(y);
  const wb = w ? tf.tensor1d(w) : null;
  const z = tf.add(tf.reshape(tf.matMul(xb, beta), [m]), b);
  const p = tf.sigmoid(z);
  const l = tf.sub(tf.softplus(z), tf.mul(yb, z));
  const pm = tf.sub(p, yb);
  const h0 = tf.mul(p, tf.sub(1, p));
  return { parts: [wb ? tf.mul(l, wb) : l, wb ? tf.mul(pm, wb) : pm], h: (wb ? tf.mul(h0, wb) : h0) as TfCore.Tensor1D };
}

/**
 * Streamed blocks: the same sums as residentBlockSums with nothing kept between passes. X's block is
 * uploaded, the row terms come back, and Xᵀ·diag(h) with h appended as a last row is written by JS
 * (one tiled transposition into a reused buffer, ≈ 4× faster than tf.transpose on tfjs-wasm) for
 * a single matMul that gives XᵀHX and hᵀX together. For large data, which the warm start leaves
 * ~3 passes: uploading per pass costs less than first-touching X, Xᵀ and XNNPACK's packed copy of
 * X once (on this VM each fresh MB of memory costs ~3.5 ms).
 */
async function streamedBlockSums(
  tf: Tf,
  X: DesignMatrix,
  r0: number,
  r1: number,
  yf: Float32Array,
  w: Float32Array | null,
  beta: TfCore.Tensor2D,
  b: TfCore.Scalar,
  wantHessian: boolean,
  scratch: Scratch,
): Promise<Float32Array> {
  const m = r1 - r0;
  const d = X.cols;
  const xb = tf.tensor2d(X.data.subarray(r0 * d, r1 * d), [m, d]);
  try {
    const terms = tf.tidy(() => {
      const { parts, h } = rowTerms(tf, xb, yf.subarray(r0, r1), w?.subarray(r0, r1) ?? null, beta, b);
      return tf.concat(wantHessian ? [...parts, h] : parts);
    });
    const t = await readAndDispose(terms);
    if (!wantHessian) return t;
    const need = (d + 1) * m;
    if (!scratch.buf || scratch.buf.length < need) scratch.buf = new Float32Array(need);
    const a = scratch.buf.subarray(0, need);
    const h = t.subarray(2 * m, 3 * m);
    scaledTranspose(X.data, r0, m, d, h, a);
    let sumH = 0;
    for (let i = 0; i < m; i++) sumH += h[i];
    const prod = tf.tidy(() => tf.matMul(tf.tensor2d(a, [d + 1, m]), xb)); // [XᵀHX; hᵀX], (d + 1) × d
    const hx = await readAndDispose(prod);
    const v = new Float32Array(2 * m + 1 + d + d * d);
    v.set(t.subarray(0, 2 * m));
    v[2 * m] = sumH;
    v.set(hx.subarray(d * d), 2 * m + 1);
    v.set(hx.subarray(0, d * d), 2 * m + 1 + d);
    return v;
  } finally {
    xb.dispose();
  }
}

/** F/Σw, the penalised gradient ∇F (new array) and its max |·| / Σw. */
function penalise(s: PassSums, theta: Float64Array, C: number, sumW: number): { obj: number; g: Float64Array; gMax: number } {
  const d = theta.length - 1;
  let pen = 0;
  const g = Float64Array.from(s.grad);
  for (let j = 0; j < d; j++) {
    pen += theta[j] * theta[j];
    g[j] += theta[j] / C;
  }
  let gMax = 0;
  for (let j = 0; j <= d; j++) gMax = Math.max(gMax, Math.abs(g[j]));
  return { obj: (s.lossSum + pen / (2 * C)) / sumW, g, gMax: gMax / sumW };
}

/** ∇²F: the data Hessian plus I/C on the coefficients (not the intercept). */
function penalisedHessian(hess: Float64Array, p1: number, C: number): Float64Array {
  const h = Float64Array.from(hess);
  for (let j = 0; j < p1 - 1; j++) h[j * p1 + j] += 1 / C;
  return h;
}

/** Cholesky of ∇²F, with a growing ridge if rounding left it not quite positive definite. */
function factorSafely(h: Float64Array, p1: number): Float64Array {
  let jitter = 0;
  let scale = 0;
  for (let j = 0; j < p1; j++) scale = Math.max(scale, h[j * p1 + j]);
  for (;;) {
    try {
      if (jitter === 0) return choleskyFactor(h, p1);
      const hj = Float64Array.from(h);
      for (let j = 0; j < p1; j++) hj[j * p1 + j] += jitter;
      return choleskyFactor(hj, p1);
    } catch (e) {
      jitter = jitter === 0 ? scale * 1e-12 : jitter * 100;
      if (jitter > scale) throw e;
    }
  }
}

function standardErrorsOf(hess: Float64Array, p1: number, C: number): { intercept: number; coefficients: number[] } {
  const inv = choleskyInverse(factorSafely(penalisedHessian(hess, p1, C), p1), p1);
  const se = (j: number) => Math.sqrt(Math.max(0, inv[j * p1 + j]));
  return { intercept: se(p1 - 1), coefficients: Array.from({ length: p1 - 1 }, (_, j) => se(j)) };
}

const fmt = (x: number) => x.toExponential(1);

/** Yields to the event loop between iterations so a worker sees cancel messages; throws on abort. */
async function between(signal: AbortSignal | undefined): Promise<void> {
  if (signal) await checkpoint(signal);
}

/** Rows per tile of scaledTranspose: 64 rows × 32 columns stay in L1 while each column is copied out. */
const TRANSPOSE_TILE = 64;

/**
 * out (row-major (d + 1) × m) = [Xᵀ·diag(h); h] for rows r0..r0+m of row-major X (d columns):
 * the left operand of XNNPACK's fast matMul path, which takes neither operand transposed.
 */
function scaledTranspose(xs: Float32Array, r0: number, m: number, d: number, h: Float32Array, out: Float32Array): void {
  for (let i0 = 0; i0 < m; i0 += TRANSPOSE_TILE) {
    const i1 = Math.min(m, i0 + TRANSPOSE_TILE);
    for (let j = 0; j < d; j++) {
      const row = j * m;
      for (let i = i0, o = (r0 + i0) * d + j; i < i1; i++, o += d) out[row + i] = xs[o] * h[i];
    }
  }
  out.set(h.subarray(0, m), d * m);
}

/** Columns per register tile of addXtr (eight float64 accumulators). */
const XTR_TILE = 8;
/** Rows per chunk of addXtr: 256 × 32 float32 is 32 KB, so the column tiles re-read it from L1. */
const XTR_CHUNK = 256;

/**
 * grad[0..d) += Σ_i r_i x_i and grad[d] += Σ_i r_i over rows r0..r0+m of X, with r_i = v[at + i],
 * in float64. Tiled (chunks of rows × eight columns in local accumulators) because the plain loop
 * stores into grad[j] for every element: ≈ 3× slower in V8 (47 vs 15 ms per 1M × 32).
 */
function addXtr(xs: Float32Array, r0: number, m: number, d: number, v: Float32Array, at: number, grad: Float64Array): void {
  for (let c0 = 0; c0 < m; c0 += XTR_CHUNK) {
    const c1 = Math.min(m, c0 + XTR_CHUNK);
    let rs = 0;
    for (let i = c0; i < c1; i++) rs += v[at + i];
    grad[d] += rs;
    let j = 0;
    for (; j + XTR_TILE <= d; j += XTR_TILE) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let a4 = 0;
      let a5 = 0;
      let a6 = 0;
      let a7 = 0;
      for (let i = c0, o = (r0 + c0) * d + j; i < c1; i++, o += d) {
        const ri = v[at + i];
        a0 += ri * xs[o];
        a1 += ri * xs[o + 1];
        a2 += ri * xs[o + 2];
        a3 += ri * xs[o + 3];
        a4 += ri * xs[o + 4];
        a5 += ri * xs[o + 5];
        a6 += ri * xs[o + 6];
        a7 += ri * xs[o + 7];
      }
      grad[j] += a0;
      grad[j + 1] += a1;
      grad[j + 2] += a2;
      grad[j + 3] += a3;
      grad[j + 4] += a4;
      grad[j + 5] += a5;
      grad[j + 6] += a6;
      grad[j + 7] += a7;
    }
    for (; j < d; j++) {
      let a = 0;
      for (let i = c0, o = (r0 + c0) * d + j; i < c1; i++, o += d) a += v[at + i] * xs[o];
      grad[j] += a;
    }
  }
}

/** 2 → "2nd", 16 → "16th", 21 → "21st". */
function ordinal(n: number): string {
  const t = n % 100;
  const suffix = t >= 11 && t <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/** Newton on at least this many rows first fits a systematic subsample of them (see warmStart). */
const WARM_START_MIN_ROWS = 1 << 18;
/** Rows in that subsample (about). */
const WARM_START_ROWS = 1 << 16;

/**
 * A starting point for Newton on large data: the same model fitted on every s-th row (s chosen for
 * ~WARM_START_ROWS rows), with C scaled by Σw / Σw_sub so that the subsample's mean objective
 * estimates the full one. Its optimum lies within ~1/√65k of the full optimum, where Newton
 * converges quadratically, so the full data then needs ~2 steps instead of ~5: each full pass over
 * 1M × 32 costs far more than the whole subsample fit. The answer is still the full data's optimum to
 * the same tolerance; only the path to it changes. Null below WARM_START_MIN_ROWS, or when the
 * subsample holds one class only.
 */
async function warmStart(tf: Tf, X: DesignMatrix, yf: Float32Array, w: Float32Array | null, sumW: number, r: Resolved, o: LogRegOptions): Promise<{ theta: Float64Array; stride: number } | null> {
  if (X.rows < WARM_START_MIN_ROWS) return null;
  const d = X.cols;
  const stride = Math.ceil(X.rows / WARM_START_ROWS);
  const m = Math.ceil(X.rows / stride);
  const data = new Float32Array(m * d);
  const ys = new Float32Array(m);
  const ws = w ? new Float32Array(m) : null;
  let sumSub = 0;
  let positives = 0;
  for (let k = 0, i = 0; k < m; k++, i += stride) {
    data.set(X.data.subarray(i * d, i * d + d), k * d);
    ys[k] = yf[i];
    positives += ys[k];
    if (ws && w) ws[k] = w[i];
    sumSub += ws ? ws[k] : 1;
  }
  // A subsample with one class only has no finite optimum to start from.
  if (positives === 0 || positives === m) return null;
  const sub = await fitNewton(tf, { data, rows: m, cols: d, names: X.names }, ys, ws, sumSub, { ...r, C: (r.C * sumW) / sumSub }, { signal: o.signal }, null);
  return { theta: Float64Array.from([...sub.coefficients, sub.intercept]), stride };
}

async function fitNewton(
  tf: Tf,
  X: DesignMatrix,
  yf: Float32Array,
  w: Float32Array | null,
  sumW: number,
  r: Resolved,
  o: LogRegOptions,
  start: { theta: Float64Array; stride: number } | null,
): Promise<Omit<LogRegModel, 'names' | 'C' | 'classWeight' | 'solver'>> {
  const d = X.cols;
  const p1 = d + 1;
  let theta = start ? Float64Array.from(start.theta) : new Float64Array(p1);
  const from = start ? ` (started from the fit on every ${ordinal(start.stride)} row)` : '';
  const loss: number[] = [];
  let steps = 0;
  let evals = 0;
  // The accepted point and the step taken from it (for backtracking).
  let prev: { theta: Float64Array; obj: number; delta: Float64Array; predicted: number } | null = null;
  let t = 1;
  // Warm-started (large) fits take ~3 passes: streaming the blocks then costs less than keeping them.
  const blocks = makeBlocks(tf, X, r.blockRows, true, start ? 0 : r.cacheBytes);
  const streamed = blocks.some((b) => !b.xb);
  // The latest Hessian and where it was taken; a streamed pass that Newton's quadratic rate predicts
  // to be the last one only confirms the gradient (XᵀHX is most of a streamed pass's cost).
  let hess: Float64Array | null = null;
  let hessAt: Float64Array = theta;
  let lastG = Infinity;
  let rate: number | null = null; // gMax after a full Newton step ÷ gMax before it, squared
  let predictedG = Infinity;
  const scratch: Scratch = { buf: null };
  try {
    for (;;) {
      const s = await pass(tf, X, blocks, yf, w, theta, !streamed || !hess || !(predictedG <= r.tol / 100), scratch);
      if (s.hess) {
        hess = s.hess;
        hessAt = theta;
      }
      const { obj, g, gMax } = penalise(s, theta, r.C, sumW);
      loss.push(obj);
      await o.onIteration?.({ iteration: evals, loss: obj, gradNorm: gMax });
      evals++;
      await between(o.signal);
      // Backtrack only while the step promised a decrease well above float32 noise in the loss.
      if (prev && obj > prev.obj && prev.predicted > 1e-6 * Math.abs(prev.obj) && t > 1e-6) {
        t /= 2;
        theta = prev.theta.map((v, j) => v - t * prev!.delta[j]);
        predictedG = Infinity;
        continue;
      }
      const h = hess as Float64Array; // the first pass always takes it
      let lag = '';
      if (!s.hess) {
        let moved = 0;
        for (let j = 0; j < p1; j++) moved = Math.max(moved, Math.abs(theta[j] - hessAt[j]));
        lag = `; standard errors from the Hessian one step earlier (θ moved ≤ ${fmt(moved)} since)`;
      }
      const stop = (converged: boolean, stopReason: string) => ({
        coefficients: Array.from(theta.subarray(0, d)),
        intercept: theta[d],
        iterations: steps,
        converged,
        stopReason: stopReason + from + lag,
        loss,
        standardErrors: standardErrorsOf(h, p1, r.C),
      });
      if (gMax <= r.tol) return stop(true, `gradient max ${fmt(gMax)} ≤ tol ${fmt(r.tol)} after ${steps} Newton steps`);
      if (steps >= r.maxIter) return stop(false, `reached maxIter ${r.maxIter} Newton steps with gradient max ${fmt(gMax)} > tol ${fmt(r.tol)}`);
      // Quadratic convergence: gMax after a full step ≈ rate·gMax². Only steps taken with a fresh
      // Hessian and no backtracking inform the rate; a missed prediction forces the next Hessian.
      if (s.hess && t === 1 && Number.isFinite(lastG) && prev) rate = gMax / (lastG * lastG);
      if (!s.hess) rate = null; // the prediction missed: measure the rate afresh
      predictedG = s.hess && rate !== null ? rate * gMax * gMax : Infinity;
      lastG = s.hess ? gMax : Infinity;
      const delta = choleskySolve(factorSafely(penalisedHessian(h, p1, r.C), p1), p1, g);
      let stepMax = 0;
      let thetaMax = 0;
      let predicted = 0;
      for (let j = 0; j < p1; j++) {
        stepMax = Math.max(stepMax, Math.abs(delta[j]));
        thetaMax = Math.max(thetaMax, Math.abs(theta[j]));
        predicted += (g[j] * delta[j]) / (2 * sumW);
      }
      if (stepMax <= 1e-9 * (1 + thetaMax)) {
        return stop(true, `Newton step ${fmt(stepMax)} below float precision after ${steps} Newton steps (gradient max ${fmt(gMax)}, float32 data)`);
      }
      prev = { theta, obj, delta, predicted };
      t = 1;
      theta = theta.map((v, j) => v - delta[j]);
      steps++;
    }
  } finally {
    releaseBlocks(blocks);
  }
}

async function fitMinibatch(tf: Tf, X: DesignMatrix, yf: Float32Array, w: Float32Array | null, sumW: number, r: Resolved, o: LogRegOptions): Promise<Omit<LogRegModel, 'names' | 'C' | 'classWeight' | 'solver'>> {
  const n = X.rows;
  const d = X.cols;
  const p1 = d + 1;
  const bs = Math.min(r.batchSize, n);
  const theta = new Float64Array(p1);
  const m1 = new Float64Array(p1);
  const m2 = new Float64Array(p1);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const rng = new Random(r.seed);
  const xBuf = new Float32Array(bs * d);
  const yBuf = new Float32Array(bs);
  const wBuf = new Float32Array(bs);
  const loss: number[] = [];
  let step = 0;
  for (let epoch = 0; epoch < r.epochs; epoch++) {
    rng.shuffle(order);
    const lr = r.learningRate / Math.sqrt(epoch + 1);
    let epochLoss = 0;
    let epochW = 0;
    let batches = 0;
    const gEpoch = new Float64Array(p1); // sum of batch gradients, for the progress figure
    for (let s0 = 0; s0 < n; s0 += bs) {
      const m = Math.min(bs, n - s0);
      let bw = 0;
      for (let k = 0; k < m; k++) {
        const i = order[s0 + k];
        xBuf.set(X.data.subarray(i * d, i * d + d), k * d);
        yBuf[k] = yf[i];
        wBuf[k] = w ? w[i] : 1;
        bw += wBuf[k];
      }
      const packed = tf.tidy(() => {
        const xb = tf.tensor2d(xBuf.subarray(0, m * d), [m, d]);
        const yb = tf.tensor1d(yBuf.subarray(0, m));
        const wb = tf.tensor1d(wBuf.subarray(0, m));
        const beta = tf.tensor2d(Float32Array.from(theta.subarray(0, d)), [d, 1]);
        const z = tf.add(tf.reshape(tf.matMul(xb, beta), [m]), tf.scalar(theta[d]));
        const l = tf.sub(tf.softplus(z), tf.mul(yb, z));
        const rr = tf.mul(tf.sub(tf.sigmoid(z), yb), wb);
        return tf.concat([tf.reshape(tf.sum(tf.mul(l, wb)), [1]), tf.reshape(tf.sum(rr), [1]), tf.reshape(tf.matMul(tf.reshape(rr, [1, m]), xb), [d])]);
      });
      const v = (await packed.data()) as Float32Array;
      packed.dispose();
      epochLoss += v[0];
      epochW += bw;
      batches++;
      // Adam on the penalised mean loss: batch mean gradient + β/(C·Σw).
      step++;
      const c1 = 1 - Math.pow(beta1, step);
      const c2 = 1 - Math.pow(beta2, step);
      for (let j = 0; j < p1; j++) {
        const gj = (j < d ? v[2 + j] : v[1]) / bw + (j < d ? theta[j] / (r.C * sumW) : 0);
        gEpoch[j] += gj;
        m1[j] = beta1 * m1[j] + (1 - beta1) * gj;
        m2[j] = beta2 * m2[j] + (1 - beta2) * gj * gj;
        theta[j] -= (lr * (m1[j] / c1)) / (Math.sqrt(m2[j] / c2) + 1e-8);
      }
    }
    let pen = 0;
    for (let j = 0; j < d; j++) pen += theta[j] * theta[j];
    const obj = epochLoss / epochW + pen / (2 * r.C * sumW);
    let gMaxEpoch = 0;
    for (let j = 0; j < p1; j++) gMaxEpoch = Math.max(gMaxEpoch, Math.abs(gEpoch[j] / batches));
    loss.push(obj);
    // Progress figures from the epoch's batches (the iterate moved during the epoch: approximate).
    await o.onIteration?.({ iteration: epoch, loss: obj, gradNorm: gMaxEpoch });
    await between(o.signal);
  }
  // One exact pass at the end: true loss and gradient, and the Hessian for standard errors when affordable.
  const withSe = d <= SE_MAX_COLS;
  const blocks = makeBlocks(tf, X, r.blockRows, withSe, 0); // one pass: nothing to gain from keeping
  const s = await pass(tf, X, blocks, yf, w, theta, withSe);
  const { obj, gMax } = penalise(s, theta, r.C, sumW);
  loss.push(obj);
  const converged = gMax <= r.tol;
  return {
    coefficients: Array.from(theta.subarray(0, d)),
    intercept: theta[d],
    iterations: r.epochs,
    converged,
    stopReason: `ran ${r.epochs} epochs of ${Math.ceil(n / bs)} mini-batches; gradient max ${fmt(gMax)} ${converged ? '≤' : '>'} tol ${fmt(r.tol)}`,
    loss,
    standardErrors: withSe ? standardErrorsOf(s.hess!, p1, r.C) : null,
  };
}

/** Fits an L2-regularised binary logistic regression (see the file comment for the maths). */
export async function fitLogReg(tf: Tf, X: DesignMatrix, y: Uint8Array, options: LogRegOptions = {}): Promise<LogRegModel> {
  checkInputs(X, y);
  const r = resolveOptions(options, X.cols);
  const yf = Float32Array.from(y);
  const { w, sumW } = sampleWeights(y, r.classWeight);
  const fit = r.solver === 'newton' ? await fitNewton(tf, X, yf, w, sumW, r, options, await warmStart(tf, X, yf, w, sumW, r, options)) : await fitMinibatch(tf, X, yf, w, sumW, r, options);
  return { names: X.names.slice(), C: r.C, classWeight: r.classWeight, solver: r.solver, ...fit };
}

/** σ(x) without overflow for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** P(y = 1 | x) for every row, in float64 plain JS (cheap: one dot product per row). */
export function predictProba(model: LogRegModel, X: DesignMatrix): Float64Array {
  const d = model.coefficients.length;
  if (X.cols !== d) throw new RangeError(`predictProba: X has ${X.cols} columns, the model ${d}`);
  if (X.data.length !== X.rows * d) throw new RangeError(`predictProba: data has ${X.data.length} values, expected ${X.rows}×${d}`);
  const out = new Float64Array(X.rows);
  const beta = Float64Array.from(model.coefficients);
  for (let i = 0; i < X.rows; i++) {
    let z = model.intercept;
    const o = i * d;
    for (let j = 0; j < d; j++) z += beta[j] * X.data[o + j];
    out[i] = sigmoid(z);
  }
  return out;
}

/** 97.5 % quantile of the standard normal. */
const Z975 = 1.959963984540054;

/** Coefficients as odds ratios with Wald 95 % intervals exp(β ± 1.96·se); z = β / se. */
export function oddsRatios(model: LogRegModel): OddsRatioRow[] {
  const se = model.standardErrors;
  return model.names.map((name, j) => {
    const b = model.coefficients[j];
    const s = se ? se.coefficients[j] : NaN;
    return { name, coefficient: b, oddsRatio: Math.exp(b), low: Math.exp(b - Z975 * s), high: Math.exp(b + Z975 * s), z: b / s };
  });
}
