// Batched dense linear algebra on tfjs tensors: many small symmetric positive-definite systems
// A_b x_b = r_b at once (A: [B, f, f], r: [B, f, 1]), as ALS needs one per user or item.
//
// tfjs has no linalg.cholesky kernel, so the factorisation is written with ordinary ops:
//  - choleskyFactor: right-looking, one column per step, on the shrinking trailing block
//    (B·f³/3 multiply-adds, about 5 ops per column). Pivots are floored at `eps` so a
//    rank-deficient batch member gives a finite answer instead of NaN.
//  - choleskySolve: forward then backward substitution, column-oriented (f small ops each way).
//  - conjugateGradient: a fixed number of CG steps from a warm start, on batched column [B, f, 1]
//    or row [B, 1, f] vectors (≈ 10 ops per step, each a batched matMul or an elementwise op);
//    with A formed explicitly this is far cheaper than the factorisation, and a few steps from
//    the previous ALS iterate are enough (Takács et al. 2011).
// Every function returns new tensors and disposes its intermediates; inputs are left alone.
import type * as TfCore from '@tensorflow/tfjs-core';

export type Tf = typeof TfCore;
type Tensor3D = TfCore.Tensor3D;
type Tensor = TfCore.Tensor;

function check3(name: string, t: Tensor, f?: number, cols?: number): [number, number] {
  if (t.rank !== 3) throw new RangeError(`batched-linalg: ${name} must have rank 3, got shape [${t.shape.join(', ')}]`);
  const [, rows, c] = t.shape as [number, number, number];
  if (f !== undefined && rows !== f) throw new RangeError(`batched-linalg: ${name} has ${rows} rows, expected ${f}`);
  if (cols !== undefined && c !== cols) throw new RangeError(`batched-linalg: ${name} has ${c} columns, expected ${cols}`);
  return [rows, c];
}

/** Lower-triangular L with A = L·Lᵀ for each batch member. A: [B, f, f] symmetric positive-definite. */
export function choleskyFactor(tf: Tf, a: Tensor3D, eps = 1e-10): Tensor3D {
  const [f, f2] = check3('A', a);
  if (f !== f2) throw new RangeError(`batched-linalg: A must be square, got [${a.shape.join(', ')}]`);
  const batch = a.shape[0];
  const cols: Tensor[] = [];
  let trailing: Tensor3D = tf.clone(a);
  for (let j = 0; j < f; j++) {
    const m = f - j;
    const prev = trailing;
    const [col, next] = tf.tidy((): Tensor[] => {
      const pivot = tf.sqrt(tf.maximum(tf.slice(prev, [0, 0, 0], [batch, 1, 1]), eps));
      const c = tf.div(tf.slice(prev, [0, 0, 0], [batch, m, 1]), pivot) as Tensor3D; // [B, m, 1]
      const padded = j > 0 ? tf.pad(c, [[0, 0], [j, 0], [0, 0]]) : c;
      if (m === 1) return [padded];
      const below = tf.slice(c, [0, 1, 0], [batch, m - 1, 1]);
      // Rank-1 update of the trailing block as a batched matMul (broadcast mul is slow on wasm).
      const upd = tf.sub(tf.slice(prev, [0, 1, 1], [batch, m - 1, m - 1]), tf.matMul(below as Tensor3D, below as Tensor3D, false, true)) as Tensor3D;
      return [padded, upd];
    });
    prev.dispose();
    cols.push(col);
    if (next) trailing = next as Tensor3D;
  }
  const l = tf.concat(cols, 2) as Tensor3D;
  for (const c of cols) c.dispose();
  return l;
}

/** Solves L·Lᵀ x = r for each batch member. L: [B, f, f] from choleskyFactor; r: [B, f, 1]. */
export function choleskySolve(tf: Tf, l: Tensor3D, r: Tensor3D): Tensor3D {
  const [f] = check3('L', l);
  check3('r', r, f, 1);
  return tf.tidy(() => {
    const batch = l.shape[0];
    const diag = tf.reshape(tf.sum(tf.mul(l, tf.reshape(tf.eye(f), [1, f, f])), 2), [batch, f, 1]);
    // Forward: L y = r, column by column (entries above the diagonal of column j are zero).
    let rest: Tensor = r;
    const y: Tensor[] = [];
    for (let j = 0; j < f; j++) {
      const yj = tf.div(tf.slice(rest, [0, j, 0], [batch, 1, 1]), tf.slice(diag, [0, j, 0], [batch, 1, 1]));
      y.push(yj);
      if (j < f - 1) rest = tf.sub(rest, tf.mul(tf.slice(l, [0, 0, j], [batch, f, 1]), yj));
    }
    // Backward: Lᵀ x = y; column j of Lᵀ is row j of L (zero right of the diagonal).
    rest = tf.concat(y, 1);
    const x: Tensor[] = new Array<Tensor>(f);
    for (let j = f - 1; j >= 0; j--) {
      const xj = tf.div(tf.slice(rest, [0, j, 0], [batch, 1, 1]), tf.slice(diag, [0, j, 0], [batch, 1, 1]));
      x[j] = xj;
      if (j > 0) rest = tf.sub(rest, tf.mul(tf.reshape(tf.slice(l, [0, j, 0], [batch, 1, f]), [batch, f, 1]), xj));
    }
    return tf.concat(x, 1) as Tensor3D;
  });
}

/** Solves A x = r exactly (up to float32) by Cholesky. */
export function solveSpd(tf: Tf, a: Tensor3D, r: Tensor3D): Tensor3D {
  const l = choleskyFactor(tf, a);
  try {
    return choleskySolve(tf, l, r);
  } finally {
    l.dispose();
  }
}

/** A batched linear operator p ↦ A·p on batched vectors (A symmetric positive-definite). */
export type BatchedOperator = (p: Tensor3D) => Tensor3D;

/**
 * `steps` conjugate-gradient iterations on A x = r from x0. Vectors are batched columns [B, f, 1]
 * or batched rows [B, 1, f] (all three alike); rows let a caller apply A as p·Fᵀ products, which
 * tfjs-wasm ran up to ~3× faster than F·p for tall F (10 vs 29 ms at 100 × 1000 × 64).
 * A is either the [B, f, f] matrices or an operator applying them (so A never has to be formed —
 * an operator can apply YᵀY p + Yᵀ(C − I)(Y p) + λp directly, O(n·f) per step instead of O(n·f²)
 * to build A; ALS itself runs its own copy of this loop, see solveSorted in als.ts).
 * Batch members whose residual is already zero stay put (divNoNan), so padding is harmless.
 * `residual0`, when given, must equal r − A·x0 (r is then not read).
 */
export function conjugateGradient(tf: Tf, a: Tensor3D | BatchedOperator, r: Tensor3D, x0: Tensor3D, steps: number, residual0?: Tensor3D): Tensor3D {
  const rows = isRowVector(r);
  const f = rows ? r.shape[2] : check3('r', r, undefined, 1)[0];
  if (rows) check3('x0', x0, 1, f);
  else check3('x0', x0, f, 1);
  if (typeof a !== 'function') check3('A', a, f, f);
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`batched-linalg: steps must be an integer ≥ 1, got ${steps}`);
  // A is symmetric, so for rows p·A = (A·p)ᵀ.
  const apply: BatchedOperator = typeof a === 'function' ? a : rows ? (p) => tf.matMul(p, a) : (p) => tf.matMul(a, p);
  const dot = (u: Tensor, v: Tensor): Tensor => tf.sum(tf.mul(u, v), [1, 2], true);
  return tf.tidy(() => {
    let x: Tensor = x0;
    // The caller may pass r − A·x0 when it can compute it more cheaply than a separate apply.
    let res: Tensor = residual0 ?? tf.sub(r, apply(x0));
    let p: Tensor = res;
    let rs: Tensor = dot(res, res);
    for (let s = 0; s < steps; s++) {
      const ap = apply(p as Tensor3D);
      const alpha = tf.divNoNan(rs, dot(p, ap));
      x = tf.add(x, tf.mul(alpha, p));
      if (s === steps - 1) break;
      res = tf.sub(res, tf.mul(alpha, ap));
      const rsNew = dot(res, res);
      p = tf.add(res, tf.mul(tf.divNoNan(rsNew, rs), p));
      rs = rsNew;
    }
    return x as Tensor3D;
  });
}

/** True for batched row vectors [B, 1, f] with f > 1 ([B, 1, 1] counts as a column). */
function isRowVector(t: Tensor): boolean {
  return t.rank === 3 && t.shape[1] === 1 && (t.shape[2] ?? 0) > 1;
}
