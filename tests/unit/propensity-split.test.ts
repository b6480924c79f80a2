// Stratified hold-out splits and k-fold: class ratios, coverage, determinism, and the exact bank-full
// fold assignment that tests/fixtures/sklearn/bank-cv.json (make_bank_cv.py) was computed on.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stratifiedFoldIds, stratifiedKFold, stratifiedSplit } from '../../src/lib/propensity/split';
import { binaryTarget, parseCustomerTable } from '../../src/lib/propensity/table';

/** 103 rows; positives where the index is ≡ 0 mod 9 (12 rows) or ≡ 4 mod 11 (9 rows), 81 being both: 20. */
const y = Uint8Array.from({ length: 103 }, (_, i) => (i % 9 === 0 || i % 11 === 4 ? 1 : 0));
const P = y.reduce((a, b) => a + b, 0);
const ones = (rows: Uint32Array) => Array.from(rows).reduce((a, r) => a + y[r], 0);

describe('stratifiedSplit', () => {
  it('puts round(f × class size) of each class in test, disjoint from train, covering every row', () => {
    expect(P).toBe(20);
    const s = stratifiedSplit(y, 0.25, 7);
    expect(ones(s.test)).toBe(5); // round(0.25 × 20)
    expect(s.test.length - ones(s.test)).toBe(21); // round(0.25 × 83)
    const all = [...s.train, ...s.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 103 }, (_, i) => i));
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(Array.from(stratifiedSplit(y, 0.3, 1).test)).toEqual(Array.from(stratifiedSplit(y, 0.3, 1).test));
    expect(Array.from(stratifiedSplit(y, 0.3, 1).test)).not.toEqual(Array.from(stratifiedSplit(y, 0.3, 2).test));
  });

  it('names a bad fraction or label', () => {
    expect(() => stratifiedSplit(y, 1, 0)).toThrow('testFraction must be in (0, 1), got 1');
    expect(() => stratifiedSplit(Uint8Array.of(0, 2), 0.5, 0)).toThrow('labels must be 0 or 1, found 2 at row 1');
  });
});

describe('stratifiedKFold', () => {
  it('puts every row in exactly one test fold with class counts within one row of n/k', () => {
    const k = 4;
    const folds = stratifiedKFold(y, k, 3);
    const seen = new Uint8Array(y.length);
    for (const f of folds) {
      for (const r of f.test) seen[r]++;
      expect(f.train.length + f.test.length).toBe(103);
      expect(Math.abs(ones(f.test) - 20 / k)).toBeLessThan(1);
      expect(Math.abs(f.test.length - ones(f.test) - 83 / k)).toBeLessThan(1);
      expect(Math.abs(f.test.length - 103 / k)).toBeLessThan(1);
      expect(Array.from(f.train).some((r) => f.test.includes(r))).toBe(false);
    }
    expect(Array.from(seen).every((v) => v === 1)).toBe(true);
  });

  it('is deterministic and refuses more folds than a class has rows', () => {
    expect(Array.from(stratifiedFoldIds(y, 5, 9))).toEqual(Array.from(stratifiedFoldIds(y, 5, 9)));
    expect(() => stratifiedKFold(Uint8Array.of(0, 0, 0, 1, 1), 3, 0)).toThrow('class 1 has 2 rows, fewer than k=3 folds');
    expect(() => stratifiedKFold(y, 1, 0)).toThrow('k must be an integer in 2..65535, got 1');
  });
});

const bank = resolve(process.cwd(), '../shared/datasets/bank-marketing/bank-full.csv');
const hasBank = existsSync(bank);
if (!hasBank) console.warn('skipping bank-full fold check: ../shared/datasets absent');

describe.skipIf(!hasBank)('bank-full folds', () => {
  it('are the folds the scikit-learn reference AUCs were computed on', () => {
    const ref = JSON.parse(readFileSync(resolve(process.cwd(), 'tests/fixtures/sklearn/bank-cv.json'), 'utf8')) as {
      k: number;
      seed: number;
      positives: number;
      ourFolds: { sizes: number[]; positives: number[]; rowIndexSums: number[] };
    };
    const yb = binaryTarget(parseCustomerTable(readFileSync(bank, 'utf8'), 'bank-full.csv'), 'y', 'yes');
    expect(yb.reduce((a, b) => a + b, 0)).toBe(ref.positives);
    const fold = stratifiedFoldIds(yb, ref.k, ref.seed);
    const sizes = new Array<number>(ref.k).fill(0);
    const positives = new Array<number>(ref.k).fill(0);
    const sums = new Array<number>(ref.k).fill(0);
    fold.forEach((f, i) => {
      sizes[f]++;
      positives[f] += yb[i];
      sums[f] += i;
    });
    expect({ sizes, positives, rowIndexSums: sums }).toEqual(ref.ourFolds);
  });
});
