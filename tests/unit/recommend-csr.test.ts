import { describe, expect, it } from 'vitest';
import { csrFromTriples, nnz, rowLength, transposeCsr } from '../../src/lib/recommend/csr';

// The 3 × 4 matrix
//   [ 0 2 0 1 ]
//   [ 0 0 0 0 ]
//   [ 5 0 3 0 ]
const rows = [2, 0, 2, 0];
const cols = [2, 3, 0, 1];
const vals = [3, 1, 5, 2];

describe('csr', () => {
  it('builds sorted rows from unordered triples', () => {
    const m = csrFromTriples(3, 4, rows, cols, vals, 'sum');
    expect(Array.from(m.ptr)).toEqual([0, 2, 2, 4]);
    expect(Array.from(m.idx)).toEqual([1, 3, 0, 2]);
    expect(Array.from(m.val)).toEqual([2, 1, 5, 3]);
    expect(nnz(m)).toBe(4);
    expect(rowLength(m, 1)).toBe(0);
  });

  it('merges duplicate cells by sum, max or last', () => {
    const r = [0, 0, 0];
    const c = [1, 1, 1];
    const v = [4, 2, 3];
    expect(Array.from(csrFromTriples(1, 2, r, c, v, 'sum').val)).toEqual([9]);
    expect(Array.from(csrFromTriples(1, 2, r, c, v, 'max').val)).toEqual([4]);
    expect(Array.from(csrFromTriples(1, 2, r, c, v, 'last').val)).toEqual([3]);
  });

  it('transposes to the column view', () => {
    const t = transposeCsr(csrFromTriples(3, 4, rows, cols, vals, 'sum'));
    // columns of the matrix above: col0 = [0,0,5], col1 = [2,0,0], col2 = [0,0,3], col3 = [1,0,0]
    expect(t.rows).toBe(4);
    expect(Array.from(t.ptr)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(t.idx)).toEqual([2, 0, 2, 0]);
    expect(Array.from(t.val)).toEqual([5, 2, 3, 1]);
  });

  it('rejects out-of-range indices with the entry named', () => {
    expect(() => csrFromTriples(2, 2, [0, 2], [0, 0], [1, 1], 'sum')).toThrow(/row 2 of entry 1/);
  });
});
