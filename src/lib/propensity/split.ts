// Stratified train/test splits and k-fold cross-validation for a binary target: each class is
// shuffled with its own seeded stream and dealt out separately, so every part keeps the class
// ratio (±1 row) and the same seed always gives the same parts.

import { Random, hashSeed } from '../random';

export interface Split {
  /** Row indices, ascending. */
  train: Uint32Array;
  test: Uint32Array;
}

/** Row indices of each class, each shuffled by a seeded stream of its own. */
function shuffledClasses(y: Uint8Array, seed: number): Uint32Array[] {
  return [0, 1].map((cls) => {
    let n = 0;
    for (const v of y) if (v === cls) n++;
    const idx = new Uint32Array(n);
    let j = 0;
    for (let i = 0; i < y.length; i++) if (y[i] === cls) idx[j++] = i;
    return new Random(hashSeed(seed, cls, 0x5b1d)).shuffle(idx);
  });
}

function checkLabels(y: Uint8Array, who: string): void {
  for (let i = 0; i < y.length; i++) {
    if (y[i] > 1) throw new RangeError(`${who}: labels must be 0 or 1, found ${y[i]} at row ${i}`);
  }
}

/** One stratified hold-out split: round(testFraction × class size) rows of each class go to test. */
export function stratifiedSplit(y: Uint8Array, testFraction: number, seed: number): Split {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`stratifiedSplit: testFraction must be in (0, 1), got ${testFraction}`);
  checkLabels(y, 'stratifiedSplit');
  const inTest = new Uint8Array(y.length);
  for (const idx of shuffledClasses(y, seed)) {
    const take = Math.round(testFraction * idx.length);
    for (let i = 0; i < take; i++) inTest[idx[i]] = 1;
  }
  return fromMembership(inTest);
}

function fromMembership(inTest: Uint8Array): Split {
  let nTest = 0;
  for (const v of inTest) nTest += v;
  const train = new Uint32Array(inTest.length - nTest);
  const test = new Uint32Array(nTest);
  let a = 0;
  let b = 0;
  for (let i = 0; i < inTest.length; i++) {
    if (inTest[i]) test[b++] = i;
    else train[a++] = i;
  }
  return { train, test };
}

/**
 * Stratified k-fold: each class's shuffled rows are dealt round-robin over the folds, the second
 * class continuing where the first stopped, so fold sizes differ by at most one row overall and each
 * class by at most one row per fold. Every row is in exactly one test fold.
 */
export function stratifiedKFold(y: Uint8Array, k: number, seed: number): Split[] {
  return foldsFrom(stratifiedFoldIds(y, k, seed), k);
}

/** The fold (0…k−1) of each row under stratifiedKFold. */
export function stratifiedFoldIds(y: Uint8Array, k: number, seed: number): Uint16Array {
  if (!Number.isInteger(k) || k < 2 || k > 65_535) throw new RangeError(`stratifiedKFold: k must be an integer in 2..65535, got ${k}`);
  checkLabels(y, 'stratifiedKFold');
  const classes = shuffledClasses(y, seed);
  for (const [cls, idx] of classes.entries()) {
    if (idx.length < k) throw new RangeError(`stratifiedKFold: class ${cls} has ${idx.length} rows, fewer than k=${k} folds`);
  }
  const fold = new Uint16Array(y.length);
  let next = 0;
  for (const idx of classes) {
    for (let i = 0; i < idx.length; i++) {
      fold[idx[i]] = next;
      next = (next + 1) % k;
    }
  }
  return fold;
}

/** The k splits of a fold assignment (row → fold index). */
export function foldsFrom(fold: ArrayLike<number>, k: number): Split[] {
  return Array.from({ length: k }, (_, f) => {
    const inTest = new Uint8Array(fold.length);
    for (let i = 0; i < fold.length; i++) inTest[i] = fold[i] === f ? 1 : 0;
    return fromMembership(inTest);
  });
}
