// `shoplens recommend`: a hand-worked --test case, MovieLens 100K popularity against the numpy
// reference (tests/fixtures/sklearn/ml100k-topn.json), and argument errors.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recommendCommand } from '../../src/cli/recommend';
import { UsageError } from '../../src/cli/args';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await recommendCommand(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'shoplens-recommend-'));
const tsv = (rows: number[][]) => rows.map((r) => r.join('\t')).join('\n') + '\n';
// u.data layout: user, item, rating, unix time. Popularity in train: item 10 → 3, 20 → 2, 30 → 1, 40 → 1.
const train = join(dir, 'train.tsv');
writeFileSync(train, tsv([[1, 10, 5, 881250949], [1, 20, 3, 881250950], [2, 10, 4, 881250951], [2, 30, 4, 881250952], [3, 10, 2, 881250953], [3, 20, 5, 881250954], [4, 40, 3, 881250955]]));
const test = join(dir, 'test.tsv');
writeFileSync(test, tsv([[1, 30, 4, 891250949], [2, 20, 4, 891250949], [3, 40, 4, 891250949], [5, 10, 4, 891250949], [1, 99, 4, 891250949]]));

describe('shoplens recommend', () => {
  it('--test FILE: hand-worked popularity@1', async () => {
    const r = await run(train, '--test', test, '--algo', 'pop', '--k', '1', '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    // User 1's unseen items 30 and 40 tie at 1 → 30 (first seen, lower column): hit. User 2: 20 (2) hit.
    // User 3: 30 (tie with 40, lower column), held-out 40: miss. User 4 has no test pair: excluded.
    // User 5 and item 99 are not in train: 2 unmatched pairs.
    expect(s.precision).toBeCloseTo(2 / 3, 12);
    expect(s.recall).toBeCloseTo(2 / 3, 12);
    expect(s.hitRate).toBeCloseTo(2 / 3, 12);
    expect([s.users, s.excludedUsers, s.heldOut, s.unmatchedPairs, s.items]).toEqual([3, 1, 3, 2, 4]);
    expect(s.coverage).toBe(0.5); // items 30 and 20 of 4
    expect(s.meanPopularity).toBeCloseTo((1 + 2 + 1) / 3, 12);
    for (const key of ['precision', 'recall', 'ndcg', 'map', 'hitRate', 'coverage', 'k', 'users', 'seconds', 'backend']) expect(s).toHaveProperty(key);
  });

  it('prints a readable summary without --json', async () => {
    const r = await run(train, '--test', test, '--algo', 'itemknn', '--k', '2');
    expect(r.code).toBe(0);
    expect(r.out).toContain('itemknn @2: precision');
    expect(r.out).toContain('2 test pairs not in FILE');
  });

  it('--algo mf on ratings adds RMSE and MAE (clipped predictions: 0 ≤ MAE ≤ RMSE ≤ 4 on a 1–5 scale)', async () => {
    const s = JSON.parse((await run(train, '--test', test, '--algo', 'mf', '--factors', '2', '--iters', '3', '--k', '1', '--json')).out);
    expect(s.mae).toBeGreaterThanOrEqual(0);
    expect(s.rmse).toBeGreaterThanOrEqual(s.mae);
    expect(s.rmse).toBeLessThanOrEqual(4);
    expect(s.heldOut).toBe(3);
  });

  it('names bad arguments', async () => {
    await expect(run(train)).rejects.toThrow(UsageError);
    await expect(run(train, '--algo', 'svd')).rejects.toThrow('--algo must be one of pop, itemknn, als, mf, got "svd"');
    await expect(run(train, '--algo', 'pop', '--split', 'random:0.2')).rejects.toThrow('--split must be user-random:F');
    await expect(run(train, '--algo', 'pop', '--k', '0')).rejects.toThrow('--k must be an integer ≥ 1, got "0"');
    await expect(run(train, '--algo', 'pop', '--test', test, '--split', 'last:1')).rejects.toThrow('either --test FILE or --split');
  });
});

const udata = resolve(process.cwd(), '../shared/datasets/movielens-100k/u.data');
const hasData = existsSync(udata);
if (!hasData) console.warn('skipping shoplens recommend on MovieLens: ../shared/datasets absent');
describe.skipIf(!hasData)('shoplens recommend on MovieLens 100K', () => {
  it('--algo pop with the default split reproduces the numpy reference', async () => {
    const ref = JSON.parse(readFileSync(resolve(process.cwd(), 'tests/fixtures/sklearn/ml100k-topn.json'), 'utf8'));
    const s = JSON.parse((await run(udata, '--algo', 'pop', '--json')).out);
    expect([s.k, s.users, s.heldOut]).toEqual([10, ref.split.users, ref.split.heldOut]);
    for (const key of ['precision', 'recall', 'ndcg', 'map', 'hitRate']) expect(Math.abs(s[key] - ref.popularity[key])).toBeLessThan(1e-9);
  });

  it('--split last:5 holds out 5 per user', async () => {
    const s = JSON.parse((await run(udata, '--algo', 'pop', '--split', 'last:5', '--json')).out);
    expect(s.heldOut).toBe(943 * 5); // every user has ≥ 20 ratings
    expect(s.users).toBe(943);
  });
});
