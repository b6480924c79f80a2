// Small dense linear algebra in float64 for the d×d systems of second-order solvers (Newton steps,
// covariance of coefficients). Matrices are row-major Float64Array of n×n. Plain JS on purpose: the
// systems are at most a few hundred wide, and float64 keeps the solve exact where float32 tensors
// would lose digits.

/**
 * Cholesky factor L (lower triangular, A = L·Lᵀ) of a symmetric positive-definite matrix.
 * Reads only the lower triangle of `a`. Throws when a pivot is not positive (A not PD).
 */
export function choleskyFactor(a: Float64Array, n: number): Float64Array {
  if (a.length !== n * n) throw new RangeError(`choleskyFactor: a has ${a.length} values, expected ${n}×${n}`);
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let diag = a[j * n + j];
    for (let k = 0; k < j; k++) diag -= l[j * n + k] * l[j * n + k];
    if (!(diag > 0)) throw new RangeError(`choleskyFactor: matrix is not positive definite (pivot ${j} = ${diag})`);
    const ljj = Math.sqrt(diag);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/** Solves L·Lᵀ·x = b given the Cholesky factor L; returns a new vector. */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  if (b.length !== n) throw new RangeError(`choleskySolve: b has ${b.length} values, expected ${n}`);
  const x = Float64Array.from(b);
  // Forward: L·y = b.
  for (let i = 0; i < n; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * x[k];
    x[i] = s / l[i * n + i];
  }
  // Backward: Lᵀ·x = y.
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

/** A⁻¹ from A's Cholesky factor (column by column solves; symmetric result). */
export function choleskyInverse(l: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const col = choleskySolve(l, n, e);
    for (let i = 0; i < n; i++) inv[i * n + j] = col[i];
  }
  return inv;
}

/** Solves A·x = b for symmetric positive-definite A. */
export function solveSpd(a: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  return choleskySolve(choleskyFactor(a, n), n, b);
}
