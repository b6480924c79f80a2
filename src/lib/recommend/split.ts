// Train/test splits of an interaction matrix. Every algorithm in a comparison is evaluated on the
// same Split object, so their figures differ only by the model. Train and test have the shape of the
// full matrix (same users and items); test keeps the held-out values (ratings for RMSE).

import { Random, hashSeed } from '../random';
import type { Dictionaries } from '../data/schema';
import { csrFromTriples, type Csr } from './csr';
import type { Interactions } from './interactions';

export interface Split {
  train: Csr;
  test: Csr;
  /** Aligned with train.idx: the pair's latest time (ms), when the interactions had times. */
  trainTime?: Float64Array;
  /** Users with at least one held-out item. */
  usersWithHeldOut: number;
}

/** Splits each row's entries by a per-entry flag (1 = test); values and times follow their entries. */
function partition(inter: Interactions, toTest: Uint8Array): Split {
  const m = inter.matrix;
  const nnz = m.idx.length;
  let nTest = 0;
  for (let e = 0; e < nnz; e++) nTest += toTest[e];
  const build = (want: number, count: number) => {
    const ptr = new Uint32Array(m.rows + 1);
    const idx = new Uint32Array(count);
    const val = new Float32Array(count);
    const time = new Float64Array(count);
    let out = 0;
    for (let r = 0; r < m.rows; r++) {
      for (let e = m.ptr[r]; e < m.ptr[r + 1]; e++) {
        if (toTest[e] !== want) continue;
        idx[out] = m.idx[e];
        val[out] = m.val[e];
        time[out] = inter.time[e];
        out++;
      }
      ptr[r + 1] = out;
    }
    return { csr: { rows: m.rows, cols: m.cols, ptr, idx, val }, time };
  };
  const train = build(0, nnz - nTest);
  const test = build(1, nTest);
  let usersWithHeldOut = 0;
  for (let r = 0; r < m.rows; r++) if (test.csr.ptr[r + 1] > test.csr.ptr[r]) usersWithHeldOut++;
  return { train: train.csr, test: test.csr, trainTime: train.time, usersWithHeldOut };
}

/**
 * Per-user random hold-out: each user with at least `minItems` items has floor(fraction × items) of
 * them, drawn uniformly without replacement, moved to test. The draw for row r uses its own generator
 * seeded by (seed, r), so a user's split does not depend on the other users.
 */
export function userRandomSplit(inter: Interactions, fraction: number, seed: number, minItems = 4): Split {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`userRandomSplit: fraction must be in (0, 1), got ${fraction}`);
  if (!Number.isInteger(minItems) || minItems < 1) throw new RangeError(`userRandomSplit: minItems must be an integer ≥ 1, got ${minItems}`);
  const m = inter.matrix;
  const toTest = new Uint8Array(m.idx.length);
  const rng = new Random(0);
  for (let r = 0; r < m.rows; r++) {
    const start = m.ptr[r];
    const len = m.ptr[r + 1] - start;
    if (len < minItems) continue;
    const hold = Math.floor(fraction * len);
    if (hold === 0) continue;
    rng.reseed(hashSeed(seed, r));
    // Partial Fisher–Yates: the first `hold` positions of a shuffled index list.
    const pos = Uint32Array.from({ length: len }, (_, j) => j);
    for (let j = 0; j < hold; j++) {
      const k = j + rng.int(len - j);
      const tmp = pos[j];
      pos[j] = pos[k];
      pos[k] = tmp;
      toTest[start + pos[j]] = 1;
    }
  }
  return partition(inter, toTest);
}

/**
 * Leave-last-N: each user with more than n items has their n latest items moved to test. Order is
 * by time, ties broken by item column (the higher column counts as later), so the split is
 * deterministic; pairs without a time count as earliest.
 */
export function leaveLastN(inter: Interactions, n: number): Split {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`leaveLastN: n must be an integer ≥ 1, got ${n}`);
  if (inter.time.length > 0 && inter.time.every((t) => Number.isNaN(t))) throw new RangeError('leaveLastN: the interactions have no times');
  const m = inter.matrix;
  const toTest = new Uint8Array(m.idx.length);
  const key = (e: number) => (Number.isNaN(inter.time[e]) ? -Infinity : inter.time[e]);
  for (let r = 0; r < m.rows; r++) {
    const start = m.ptr[r];
    const len = m.ptr[r + 1] - start;
    if (len <= n) continue;
    const entries = Array.from({ length: len }, (_, j) => start + j);
    // Entries are in ascending column within the row, so e order is the column tie-break.
    entries.sort((a, b) => key(a) - key(b) || a - b);
    for (let j = len - n; j < len; j++) toTest[entries[j]] = 1;
  }
  return partition(inter, toTest);
}

/** Global time cut: pairs whose latest time is ≥ cutoffMs go to test; pairs without a time stay in train. */
export function timeSplit(inter: Interactions, cutoffMs: number): Split {
  if (!Number.isFinite(cutoffMs)) throw new RangeError(`timeSplit: cutoff must be a finite time in ms, got ${cutoffMs}`);
  const toTest = new Uint8Array(inter.matrix.idx.length);
  for (let e = 0; e < toTest.length; e++) if (inter.time[e] >= cutoffMs) toTest[e] = 1;
  return partition(inter, toTest);
}

/**
 * A split from a separate test file: train is all of `train`; test holds the test file's pairs whose
 * customer and item (matched by raw id) exist in train. Pairs that cannot be matched are counted.
 */
export function externalTestSplit(
  train: Interactions,
  trainDict: Dictionaries,
  test: Interactions,
  testDict: Dictionaries,
): Split & { unmatchedPairs: number } {
  const userRow = new Map<string, number>();
  train.userIds.forEach((id, r) => userRow.set(trainDict.customers[id], r));
  const itemCol = new Map<string, number>();
  train.itemIds.forEach((id, c) => itemCol.set(trainDict.items[id], c));
  const rr: number[] = [];
  const cc: number[] = [];
  const vv: number[] = [];
  let unmatchedPairs = 0;
  const t = test.matrix;
  for (let r = 0; r < t.rows; r++) {
    const row = userRow.get(testDict.customers[test.userIds[r]]);
    for (let e = t.ptr[r]; e < t.ptr[r + 1]; e++) {
      const col = itemCol.get(testDict.items[test.itemIds[t.idx[e]]]);
      if (row === undefined || col === undefined) {
        unmatchedPairs++;
        continue;
      }
      rr.push(row);
      cc.push(col);
      vv.push(t.val[e]);
    }
  }
  const m = train.matrix;
  const testCsr = csrFromTriples(m.rows, m.cols, rr, cc, vv, 'last');
  let usersWithHeldOut = 0;
  for (let r = 0; r < m.rows; r++) if (testCsr.ptr[r + 1] > testCsr.ptr[r]) usersWithHeldOut++;
  return { train: m, test: testCsr, trainTime: train.time, usersWithHeldOut, unmatchedPairs };
}
