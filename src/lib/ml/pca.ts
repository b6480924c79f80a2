// Principal component analysis for a 2-D picture of prepared features: the d × d covariance in
// Float64 (one pass over the rows), eigen-decomposed by cyclic Jacobi rotations — exact enough and
// fast for the narrow matrices (d ≲ 50) that customer features are.
//
// Conventions: covariance with the 1/(n − 1) divisor, like scikit-learn's PCA (the variance ratios
// do not depend on it). Sign: each component is flipped so that its largest-|value| loading is
// positive. scikit-learn's svd_flip uses the same rule on the loadings (components_) in recent
// versions (≥ 1.5, u_based_decision=False) but on U in older ones, so signs may differ from an
// older scikit-learn; values and ratios agree either way.

export interface PcaModel {
  /** c × d, row-major, unit-length rows, by decreasing variance. */
  components: Float64Array;
  /** Explained variance ratio of each component (its eigenvalue ÷ total variance). */
  explained: Float64Array;
  /** Eigenvalues (variance along each component). */
  variance: Float64Array;
  mean: Float64Array;
  c: number;
  d: number;
}

/** Eigenvalues and eigenvectors (columns of v, row-major d × d) of a symmetric matrix, by Jacobi rotations. */
export function jacobiEigen(a: Float64Array, d: number, maxSweeps = 100): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        const x = m[i * d + j] ** 2;
        total += x;
        if (i !== j) off += x;
      }
    }
    if (off <= 1e-30 * Math.max(total, 1e-300)) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q];
        if (apq === 0) continue;
        const app = m[p * d + p];
        const aqq = m[q * d + q];
        // Rotation angle that zeroes m[p][q] (Golub & Van Loan, symmetric Schur decomposition).
        const tau = (aqq - app) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const cs = 1 / Math.sqrt(1 + t * t);
        const sn = t * cs;
        for (let k = 0; k < d; k++) {
          const mkp = m[k * d + p];
          const mkq = m[k * d + q];
          m[k * d + p] = cs * mkp - sn * mkq;
          m[k * d + q] = sn * mkp + cs * mkq;
        }
        for (let k = 0; k < d; k++) {
          const mpk = m[p * d + k];
          const mqk = m[q * d + k];
          m[p * d + k] = cs * mpk - sn * mqk;
          m[q * d + k] = sn * mpk + cs * mqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p];
          const vkq = v[k * d + q];
          v[k * d + p] = cs * vkp - sn * vkq;
          v[k * d + q] = sn * vkp + cs * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = m[i * d + i];
  return { values, vectors: v };
}

export function pca(matrix: Float32Array | Float64Array, n: number, d: number, components = 2): PcaModel {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`pca: needs n ≥ 2 rows, got ${n}`);
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`pca: d must be an integer ≥ 1, got ${d}`);
  if (matrix.length !== n * d) throw new RangeError(`pca: matrix has ${matrix.length} values, expected n × d = ${n * d}`);
  if (!Number.isInteger(components) || components < 1 || components > d) throw new RangeError(`pca: components must be an integer in [1, ${d}], got ${components}`);
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] += matrix[r * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) row[j] = matrix[r * d + j] - mean[j];
    for (let i = 0; i < d; i++) {
      const x = row[i];
      for (let j = i; j < d; j++) cov[i * d + j] += x * row[j];
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      cov[i * d + j] /= n - 1;
      cov[j * d + i] = cov[i * d + j];
    }
  }
  const { values, vectors } = jacobiEigen(cov, d);
  const order = Array.from({ length: d }, (_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  let total = 0;
  for (let i = 0; i < d; i++) total += Math.max(0, values[i]);
  const comps = new Float64Array(components * d);
  const explained = new Float64Array(components);
  const variance = new Float64Array(components);
  for (let c = 0; c < components; c++) {
    const e = order[c];
    let big = 0;
    for (let j = 0; j < d; j++) if (Math.abs(vectors[j * d + e]) > Math.abs(vectors[big * d + e])) big = j;
    const sign = vectors[big * d + e] < 0 ? -1 : 1;
    for (let j = 0; j < d; j++) comps[c * d + j] = sign * vectors[j * d + e];
    variance[c] = Math.max(0, values[e]);
    explained[c] = total > 0 ? variance[c] / total : 0;
  }
  return { components: comps, explained, variance, mean, c: components, d };
}

/** Rows projected onto the components: (x − mean) · componentsᵀ, n × c. */
export function project(p: PcaModel, matrix: Float32Array | Float64Array, n: number, d: number): Float32Array {
  if (d !== p.d) throw new RangeError(`project: model has d = ${p.d}, data d = ${d}`);
  if (matrix.length !== n * d) throw new RangeError(`project: matrix has ${matrix.length} values, expected ${n * d}`);
  const out = new Float32Array(n * p.c);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < p.c; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (matrix[r * d + j] - p.mean[j]) * p.components[c * d + j];
      out[r * p.c + c] = s;
    }
  }
  return out;
}
