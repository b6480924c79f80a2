import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { jacobiEigen, pca, project } from '../../src/lib/ml/pca';

interface Fixture {
  n: number;
  d: number;
  x: number[];
  explained_variance_ratio: number[];
  explained_variance: number[];
  components: number[][];
  mean: number[];
  projected_first5: number[][];
}

describe('pca', () => {
  it('finds the eigen-pairs of a hand-worked 2 × 2 covariance', () => {
    // Rows (−2,−1) (2,1) (−1,1) (1,−1): cov = [[10,2],[2,4]] / 3 → eigenvalues (14 ± √(36+16))/6.
    const m = Float32Array.from([-2, -1, 2, 1, -1, 1, 1, -1]);
    const p = pca(m, 4, 2, 2);
    const l1 = (14 + Math.sqrt(52)) / 6;
    const l2 = (14 - Math.sqrt(52)) / 6;
    expect(p.variance[0]).toBeCloseTo(l1, 10);
    expect(p.variance[1]).toBeCloseTo(l2, 10);
    expect(p.explained[0]).toBeCloseTo(l1 / (l1 + l2), 10);
    // Eigenvector of [[10,2],[2,4]] for 3·l1: (2, 3·l1 − 10) normalised, first loading largest → positive.
    const v = [2, 3 * l1 - 10];
    const norm = Math.hypot(v[0], v[1]);
    expect(p.components[0]).toBeCloseTo(v[0] / norm, 10);
    expect(p.components[1]).toBeCloseTo(v[1] / norm, 10);
    expect(Array.from(p.mean)).toEqual([0, 0]);
  });

  it('Jacobi diagonalises a symmetric 3 × 3 matrix with known eigenvalues', () => {
    // [[2,1,0],[1,2,1],[0,1,2]] has eigenvalues 2 − √2, 2, 2 + √2.
    const { values } = jacobiEigen(Float64Array.from([2, 1, 0, 1, 2, 1, 0, 1, 2]), 3);
    const sorted = Array.from(values).sort((a, b) => a - b);
    expect(sorted[0]).toBeCloseTo(2 - Math.SQRT2, 12);
    expect(sorted[1]).toBeCloseTo(2, 12);
    expect(sorted[2]).toBeCloseTo(2 + Math.SQRT2, 12);
  });

  it('matches scikit-learn PCA on a fixed 200 × 5 matrix (tests/fixtures/sklearn/make_pca.py)', () => {
    const fx = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/sklearn/pca.json'), 'utf8')) as Fixture;
    const x = Float32Array.from(fx.x);
    const p = pca(x, fx.n, fx.d, 3);
    for (let c = 0; c < 3; c++) {
      expect(p.explained[c]).toBeCloseTo(fx.explained_variance_ratio[c], 6);
      expect(p.variance[c] / fx.explained_variance[c]).toBeCloseTo(1, 6);
      // Signs may differ from this scikit-learn version (svd_flip on U); compare up to sign.
      const dot = fx.components[c].reduce((s, v, j) => s + v * p.components[c * fx.d + j], 0);
      expect(Math.abs(dot)).toBeCloseTo(1, 6);
    }
    const proj = project(p, x, fx.n, fx.d);
    for (let r = 0; r < 5; r++) {
      for (let c = 0; c < 3; c++) {
        const dot = fx.components[c].reduce((s, v, j) => s + v * p.components[c * fx.d + j], 0);
        expect(proj[r * 3 + c] * Math.sign(dot)).toBeCloseTo(fx.projected_first5[r][c], 4);
      }
    }
  });

  it('makes the largest-|value| loading of each component positive and rejects bad input', () => {
    const m = Float32Array.from([1, -3, 2, -6, 3, -9.5, 4, -12]);
    const p = pca(m, 4, 2, 1);
    expect(p.components[1]).toBeGreaterThan(0); // the −3x direction dominates, flipped to +
    expect(p.components[0]).toBeLessThan(0);
    expect(() => pca(m, 4, 2, 3)).toThrow(/components/);
    expect(() => pca(m, 3, 2)).toThrow(/n × d/);
  });
});
