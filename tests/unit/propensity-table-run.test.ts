// The studio's customer-table propensity (table-run.ts): on a seeded synthetic table the deployed
// model's coefficients equal scikit-learn's LogisticRegression(C=1) (make_table_customers.py), the
// k-fold figures equal the CLI's on the same folds, the leaky column is flagged, ids come from the
// id column, and the target list is right; on bank-full, 5-fold AUC matches the CLI and
// scikit-learn on identical folds (skipped without ../shared/datasets).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { parseCustomerTable, type CustomerTable } from '../../src/lib/propensity/table';
import {
  describeTable,
  findIdColumn,
  isTableResult,
  runTablePropensity,
  scoreTable,
  tableTargetListCsv,
  type TablePropensityResult,
} from '../../src/lib/propensity/table-run';
import { summariseAny } from '../../src/lib/propensity/runs';
import { makeJobContext } from '../../src/lib/compute/jobs';
import { propensityCommand } from '../../src/cli/propensity';

const fixturePath = resolve(process.cwd(), 'tests/fixtures/propensity/customers-synthetic.csv');
const ref = JSON.parse(readFileSync(resolve(process.cwd(), 'tests/fixtures/sklearn/table-customers.json'), 'utf8')) as {
  rows: number;
  positives: number;
  coefficients: Record<string, number>;
  intercept: number;
};

async function cli(...args: string[]): Promise<{ auc: number; aucStd?: number; foldAuc?: number[]; coefficients: Record<string, number>; nTest: number }> {
  let out = '';
  await propensityCommand(['--json', ...args], { out: (t) => void (out += t), err: () => undefined });
  return JSON.parse(out);
}

describe('runTablePropensity on a synthetic customer table', () => {
  let table: CustomerTable;
  let cv: TablePropensityResult;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    table = parseCustomerTable(readFileSync(fixturePath, 'utf8'), 'customers-synthetic.csv');
    cv = await runTablePropensity(
      tf,
      table,
      { target: { column: 'bought', positive: 'yes' }, drop: ['customer_id', 'call_duration'], validation: { kind: 'cv', k: 5 }, seed: 7 },
      makeJobContext(),
    );
  }, 60_000);

  it('reads the table as generated (400 rows, 158 buyers) and finds its id column', () => {
    expect(table.rows).toBe(ref.rows);
    expect(cv.evaluation.positives).toBe(ref.positives);
    expect(findIdColumn(table)).toBe('customer_id');
    const info = describeTable(table);
    expect(info.columns.find((c) => c.name === 'plan')?.levels).toEqual(['basic', 'plus', 'pro']);
    expect(info.columns.find((c) => c.name === 'bought')?.levels).toEqual(['no', 'yes']);
  });

  it('refits on every row to the coefficients of scikit-learn LogisticRegression(C=1) within 1e-3', () => {
    expect(cv.deployed.names.slice().sort()).toEqual(Object.keys(ref.coefficients).sort());
    cv.deployed.names.forEach((name, j) => expect(Math.abs(cv.deployed.coefficients[j] - ref.coefficients[name])).toBeLessThan(1e-3));
    expect(Math.abs(cv.deployed.intercept - ref.intercept)).toBeLessThan(1e-3);
  });

  it('gives the CLI’s fold AUCs on the same folds, and pools every row’s out-of-fold score', async () => {
    const s = await cli(fixturePath, '--target', 'bought', '--positive', 'yes', '--drop', 'customer_id,call_duration', '--cv', '5', '--seed', '7');
    expect(cv.folds?.auc).toHaveLength(5);
    cv.folds?.auc.forEach((a, k) => expect(a).toBeCloseTo((s.foldAuc as number[])[k], 9));
    expect(cv.folds?.mean).toBeCloseTo(s.auc, 9);
    expect(cv.folds?.sd).toBeCloseTo(s.aucStd as number, 9);
    expect(cv.evaluation.n).toBe(400);
    // 400 rows in 5 folds: each fold trains on 320.
    expect(cv.nTrain).toBe(320);
    Object.entries(s.coefficients).forEach(([name, v]) => expect(cv.coefficients.find((c) => c.name === name)?.coefficient).toBeCloseTo(v, 6));
  }, 60_000);

  it('flags the leaky call_duration only when it is kept, naming the column', async () => {
    expect(cv.warnings).toEqual({});
    const kept = await runTablePropensity(tf, table, { target: { column: 'bought', positive: 'yes' }, drop: ['customer_id'], validation: { kind: 'holdout', testFraction: 0.25 } }, makeJobContext());
    expect(Object.keys(kept.warnings)).toEqual(['call_duration']);
    expect(kept.warnings.call_duration).toMatch(/^"call_duration" may leak the target: its name suggests/);
    expect(kept.warnings.call_duration).not.toMatch(/--drop/);
    // A stratified 25 % hold-out rounds per class: round(0.25 × 242) = 61 non-buyers + round(0.25 × 158) = 40 buyers.
    expect(kept.evaluation.n).toBe(101);
    expect(kept.evaluation.positives).toBe(40);
    expect(kept.nTrain).toBe(299);
    expect(kept.folds).toBeNull();
    // With the duration the model separates the classes almost perfectly.
    expect(kept.evaluation.auc).toBeGreaterThan(0.95);
  }, 60_000);

  it('scores every row with ids from the id column; the target list is ranked and formula-safe', () => {
    expect(cv.scored.scores).toHaveLength(400);
    expect(cv.scored.ids?.[0]).toBe('C0001');
    const again = scoreTable(cv, table);
    expect(Array.from(again.scores)).toEqual(Array.from(cv.scored.scores));
    const csv = tableTargetListCsv(cv, 3).trim().split('\r\n');
    expect(csv[0]).toBe('customer_id,rank,score,decile');
    expect(csv).toHaveLength(4);
    const best = Math.max(...cv.scored.scores);
    const top = csv[1].split(',');
    expect(Number(top[2])).toBeCloseTo(best, 6);
    expect(top[0]).toBe(cv.scored.ids?.[cv.scored.scores.indexOf(best)]);
    expect(top[3]).toBe('1');
    const bad = { ...cv, scored: { ...cv.scored, ids: ['=HYPERLINK("x")', ...(cv.scored.ids ?? []).slice(1)] } };
    expect(tableTargetListCsv(bad, 400)).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('is a table run, summarised with the mean fold AUC', () => {
    expect(isTableResult(cv)).toBe(true);
    const s = summariseAny(cv);
    expect(s.kind).toBe('table');
    expect(s.auc).toBe(cv.folds?.mean);
    expect(s.target).toBe('bought = yes');
    expect(s.validation).toBe('5-fold stratified CV (seed 7)');
  });

  it('numbers rows 1… when there is no id column, and agrees on wasm', async () => {
    await tf.setBackend('wasm');
    try {
      const noId: CustomerTable = { ...table, columns: table.columns.filter((c) => c.name !== 'customer_id') };
      const r = await runTablePropensity(tf, noId, { target: { column: 'bought', positive: 'yes' }, drop: ['call_duration'], validation: { kind: 'cv', k: 5 }, seed: 7 }, makeJobContext());
      expect(r.params.idColumn).toBeNull();
      expect(tableTargetListCsv(r, 1).split('\r\n')[0]).toBe('row,rank,score,decile');
      r.folds?.auc.forEach((a, k) => expect(a).toBeCloseTo(cv.folds?.auc[k] ?? NaN, 4));
    } finally {
      await tf.setBackend('cpu');
    }
  }, 60_000);

  it('cancels between folds', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(runTablePropensity(tf, table, { target: { column: 'bought', positive: 'yes' }, validation: { kind: 'cv', k: 5 } }, makeJobContext(ac.signal))).rejects.toThrow(/cancel/);
  });
});

const bank = resolve(process.cwd(), '../shared/datasets/bank-marketing/bank-full.csv');
const hasBank = existsSync(bank);
if (!hasBank) console.warn('skipping the bank-full table-run reference: ../shared/datasets absent');

describe.skipIf(!hasBank)('bank-full 5-fold CV in the studio pipeline', () => {
  it('equals the CLI and scikit-learn on identical folds (without duration)', { timeout: 240_000 }, async () => {
    await tf.setBackend('wasm');
    const reference = JSON.parse(readFileSync(resolve(process.cwd(), 'tests/fixtures/sklearn/bank-cv.json'), 'utf8')) as {
      settings: { noDuration: { ourFoldsAuc: number[]; ourFoldsMean: number } };
    };
    const table = parseCustomerTable(readFileSync(bank, 'utf8'), 'bank-full.csv');
    const started = performance.now();
    const r = await runTablePropensity(tf, table, { target: { column: 'y', positive: 'yes' }, drop: ['duration'], validation: { kind: 'cv', k: 5 }, seed: 42 }, makeJobContext());
    const seconds = (performance.now() - started) / 1000;
    const s = await cli(bank, '--target', 'y', '--positive', 'yes', '--drop', 'duration', '--cv', '5', '--seed', '42');
    console.log(`bank-full without duration, studio pipeline: AUC ${r.folds?.mean.toFixed(5)} ± ${r.folds?.sd.toFixed(5)} (CLI ${s.auc.toFixed(5)}, scikit-learn same folds ${reference.settings.noDuration.ourFoldsMean.toFixed(5)}); ${seconds.toFixed(1)} s on ${r.backend}`);
    expect(r.folds?.mean).toBeCloseTo(s.auc, 6);
    r.folds?.auc.forEach((a, k) => expect(Math.abs(a - reference.settings.noDuration.ourFoldsAuc[k])).toBeLessThan(0.003));
    expect(r.evaluation.n).toBe(45_212);
    expect(r.scored.scores).toHaveLength(45_212);
    expect(r.warnings).toEqual({});
  });
});
