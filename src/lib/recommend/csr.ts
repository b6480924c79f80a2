// Compressed sparse rows: the one sparse-matrix layout the recommenders share (user × item
// interactions, its item × user transpose, train/test splits). Typed arrays only, so a million
// interactions cost a few megabytes and travel to a worker without copying object graphs.

export interface Csr {
  rows: number;
  cols: number;
  /** rows + 1 offsets: row r's entries are ptr[r] .. ptr[r+1]. */
  ptr: Uint32Array;
  /** Column index per entry, ascending within a row, no duplicates. */
  idx: Uint32Array;
  val: Float32Array;
}

export type Combine = 'sum' | 'max' | 'last';

/**
 * Builds a CSR matrix from (row, col, value) triples in any order. Duplicate cells are merged:
 * 'sum' adds them (purchase counts), 'max' keeps the largest, 'last' keeps the one that came last
 * in the input (a re-rating replaces the earlier rating).
 */
export function csrFromTriples(
  rows: number,
  cols: number,
  r: ArrayLike<number>,
  c: ArrayLike<number>,
  v: ArrayLike<number>,
  combine: Combine,
): Csr {
  const n = r.length;
  if (c.length !== n || v.length !== n) throw new RangeError(`csrFromTriples: ${n} rows, ${c.length} cols and ${v.length} values differ in length`);
  const counts = new Uint32Array(rows + 1);
  for (let e = 0; e < n; e++) {
    const row = r[e];
    const col = c[e];
    if (!(row >= 0 && row < rows && Number.isInteger(row))) throw new RangeError(`csrFromTriples: row ${row} of entry ${e} is outside 0..${rows - 1}`);
    if (!(col >= 0 && col < cols && Number.isInteger(col))) throw new RangeError(`csrFromTriples: column ${col} of entry ${e} is outside 0..${cols - 1}`);
    counts[row + 1]++;
  }
  for (let i = 0; i < rows; i++) counts[i + 1] += counts[i];
  // Counting sort by row keeps input order within a row, which is what 'last' relies on.
  const fill = counts.slice(0, rows);
  const order = new Uint32Array(n);
  for (let e = 0; e < n; e++) order[fill[r[e]]++] = e;

  const ptr = new Uint32Array(rows + 1);
  const idx = new Uint32Array(n);
  const val = new Float32Array(n);
  let out = 0;
  for (let row = 0; row < rows; row++) {
    const start = counts[row];
    const end = counts[row + 1];
    // Stable sort of the row's entries by column (rows are short: insertion-free via typed sort on keys).
    const span = order.subarray(start, end);
    const keyed = new Float64Array(end - start);
    for (let j = 0; j < keyed.length; j++) keyed[j] = c[span[j]] * n + j; // column, then input order
    keyed.sort();
    const rowStart = out;
    for (let j = 0; j < keyed.length; j++) {
      const e = span[keyed[j] % n];
      const col = c[e];
      const value = v[e];
      if (out > rowStart && idx[out - 1] === col) {
        const prev = val[out - 1];
        val[out - 1] = combine === 'sum' ? prev + value : combine === 'max' ? Math.max(prev, value) : value;
      } else {
        idx[out] = col;
        val[out] = value;
        out++;
      }
    }
    ptr[row + 1] = out;
  }
  return { rows, cols, ptr, idx: idx.slice(0, out), val: val.slice(0, out) };
}

/** The transpose, still sorted within each row (columns of the input become rows). */
export function transposeCsr(m: Csr): Csr {
  const nnz = m.ptr[m.rows];
  const ptr = new Uint32Array(m.cols + 1);
  for (let e = 0; e < nnz; e++) ptr[m.idx[e] + 1]++;
  for (let i = 0; i < m.cols; i++) ptr[i + 1] += ptr[i];
  const fill = ptr.slice(0, m.cols);
  const idx = new Uint32Array(nnz);
  const val = new Float32Array(nnz);
  // Visiting rows in order writes each output row's entries in ascending order.
  for (let row = 0; row < m.rows; row++) {
    for (let e = m.ptr[row]; e < m.ptr[row + 1]; e++) {
      const at = fill[m.idx[e]]++;
      idx[at] = row;
      val[at] = m.val[e];
    }
  }
  return { rows: m.cols, cols: m.rows, ptr, idx, val };
}

export function rowLength(m: Csr, r: number): number {
  return m.ptr[r + 1] - m.ptr[r];
}

/** Number of stored entries. */
export function nnz(m: Csr): number {
  return m.ptr[m.rows];
}
