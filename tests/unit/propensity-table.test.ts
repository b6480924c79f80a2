// Customer tables: parsing (delimiters, quotes, BOM, missing cells, bad rows), the target helpers,
// leakage warnings, and the one-hot + standardising encoder, against hand-worked values and the
// real bank-marketing file's known shape.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  binaryTarget,
  leakageWarnings,
  parseCustomerTable,
  suggestTarget,
  TableParseError,
  type CustomerTable,
  type TableColumn,
} from '../../src/lib/propensity/table';
import { encode, fitEncoder } from '../../src/lib/propensity/encode';

const fixture = (name: string) => readFileSync(resolve(process.cwd(), 'tests/fixtures/propensity', name), 'utf8');
const col = (t: CustomerTable, name: string): TableColumn => {
  const c = t.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c;
};

describe('parseCustomerTable', () => {
  const t = parseCustomerTable(fixture('customers-semicolon.csv'), 'customers-semicolon.csv');

  it('reads a semicolon file with BOM, CRLF, quotes and decimal commas', () => {
    expect(t.rows).toBe(6);
    expect(t.columns.map((c) => `${c.name}:${c.kind}`)).toEqual(['id:numeric', 'age:numeric', 'segment:categorical', 'spend:numeric', 'region:categorical', 'churned:categorical']);
    const spend = col(t, 'spend');
    if (spend.kind !== 'numeric') throw new Error('spend');
    expect(Array.from(spend.values)).toEqual([12.5, 3, NaN, 7.25, 4, NaN]);
    const age = col(t, 'age');
    if (age.kind !== 'numeric') throw new Error('age');
    expect(Array.from(age.values)).toEqual([34, NaN, 45, 29, 51, 38]);
  });

  it('keeps "unknown" as a level of a categorical column and marks empty cells -1', () => {
    const segment = col(t, 'segment');
    const region = col(t, 'region');
    if (segment.kind !== 'categorical' || region.kind !== 'categorical') throw new Error('kinds');
    expect(segment.levels).toEqual(['gold; vip', 'silver', 'gold', 'bronze']);
    expect(Array.from(segment.codes)).toEqual([0, 1, 1, 2, -1, 3]);
    expect(region.levels).toEqual(['north', 'south', 'unknown']);
  });

  it('names file, line and column of a row with the wrong number of fields', () => {
    let caught: unknown;
    try {
      parseCustomerTable(fixture('customers-bad-row.csv'), 'customers-bad-row.csv');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TableParseError);
    const e = caught as TableParseError;
    expect([e.fileName, e.line, e.column]).toEqual(['customers-bad-row.csv', 4, 4]);
    expect(e.message).toBe('customers-bad-row.csv, line 4, column 4: expected 4 fields, found 3');
  });

  it('reads tab-separated text with a quoted embedded newline', () => {
    const tt = parseCustomerTable('a\tb\n1\t"x\ny"\n2\tz\n', 't.tsv');
    expect(tt.rows).toBe(2);
    const b = col(tt, 'b');
    expect(b.kind === 'categorical' && b.levels).toEqual(['x\ny', 'z']);
  });
});

describe('target helpers', () => {
  const t = parseCustomerTable(fixture('customers-semicolon.csv'), 'c.csv');

  it('suggests the binary column with a target-like name and its "yes" value', () => {
    expect(suggestTarget(t)).toEqual({ column: 'churned', positive: 'yes' });
    expect(Array.from(binaryTarget(t, 'churned', 'yes'))).toEqual([1, 0, 0, 1, 0, 0]);
  });

  it('refuses a positive value that never occurs', () => {
    expect(() => binaryTarget(t, 'churned', 'Yes')).toThrow('column "churned" never has the value "Yes"');
  });

  it('warns about leaky names, copies of the target and near-perfect single columns, not about noise', () => {
    const lines = ['y,call_duration,copy,score,noise'];
    // score separates perfectly (positives all above 100); noise alternates independently of y.
    for (let i = 0; i < 40; i++) {
      const y = i % 4 === 0 ? 'yes' : 'no';
      lines.push(`${y},${(i * 7) % 13},${y === 'yes' ? 'A' : 'B'},${y === 'yes' ? 100 + i : i},${i % 2}`);
    }
    const w = leakageWarnings(parseCustomerTable(lines.join('\n'), 'l.csv'), { column: 'y', positive: 'yes' });
    expect(w).toHaveLength(3);
    expect(w[0]).toMatch(/^"call_duration" may leak the target: its name suggests/);
    expect(w[1]).toMatch(/^"copy" may leak the target: it equals the target "y"/);
    expect(w[2]).toMatch(/^"score" may leak the target: on its own it separates the classes with AUC 1\.000/);
  });
});

describe('fitEncoder / encode', () => {
  const t = parseCustomerTable(fixture('customers-semicolon.csv'), 'c.csv');
  const enc = fitEncoder(t, { target: 'churned', drop: ['id', 'spend'], rareLevelMin: 2 });

  it('one-hot encodes kept levels, groups rare ones, adds missing columns', () => {
    expect(enc.names).toEqual(['age', 'age (missing)', 'segment=silver', 'segment=(other)', 'segment=(missing)', 'region=north', 'region=south', 'region=(other)']);
  });

  it('imputes the median and standardises like StandardScaler (hand-worked)', () => {
    // age present: 34, 45, 29, 51, 38 → median 38; imputed column 34 38 45 29 51 38:
    // mean 235/6, Σx² = 9511, population variance (9511 − 235²/6)/6.
    const mean = 235 / 6;
    const std = Math.sqrt((9511 - 235 ** 2 / 6) / 6);
    const age = enc.columns[0];
    expect(age.kind === 'numeric' && [age.median, age.missingIndicator]).toEqual([38, true]);
    const X = encode(enc, t);
    expect([X.rows, X.cols]).toEqual([6, 8]);
    const row = (r: number) => Array.from(X.data.subarray(r * 8, r * 8 + 8));
    expect(row(1)[0]).toBeCloseTo((38 - mean) / std, 5);
    expect(row(4)[0]).toBeCloseTo((51 - mean) / std, 5);
    expect(row(0)).toEqual([expect.closeTo((34 - mean) / std, 5), 0, 0, 1, 0, 1, 0, 0]); // "gold; vip" is rare → (other)
    expect(row(1).slice(1)).toEqual([1, 1, 0, 0, 0, 1, 0]);
    expect(row(2).slice(1)).toEqual([0, 1, 0, 0, 0, 0, 1]); // region "unknown" (1 row) → (other)
    expect(row(4).slice(1)).toEqual([0, 0, 0, 1, 0, 1, 0]); // empty segment → (missing)
  });

  it('maps unseen levels of a later file to (other), or to zeros when there is none; survives JSON', () => {
    const later = parseCustomerTable('age,segment,region\n40,platinum,east\n,silver,north\n', 'later.csv');
    const encNoOther = fitEncoder(t, { target: 'churned', drop: ['id', 'spend', 'segment'], rareLevelMin: 1 });
    expect(encNoOther.names).toEqual(['age', 'age (missing)', 'region=north', 'region=south', 'region=unknown']);
    expect(Array.from(encode(encNoOther, later).data.subarray(2, 5))).toEqual([0, 0, 0]);
    const revived = JSON.parse(JSON.stringify(enc)) as typeof enc;
    const X = encode(revived, later);
    expect(Array.from(X.data.subarray(1, 8))).toEqual([0, 0, 1, 0, 0, 0, 1]);
    expect(Array.from(X.data.subarray(9, 16))).toEqual([1, 1, 0, 0, 1, 0, 0]);
    expect(Array.from(encode(revived, t).data)).toEqual(Array.from(encode(enc, t).data));
  });

  it('says which column a later file lacks', () => {
    expect(() => encode(enc, parseCustomerTable('age,segment\n1,a\n', 'short.csv'))).toThrow('short.csv has no column "region", which the model uses');
  });
});

const bankDir = resolve(process.cwd(), '../shared/datasets/bank-marketing');
const hasBank = existsSync(resolve(bankDir, 'bank-full.csv'));
if (!hasBank) console.warn('skipping bank-full table checks: ../shared/datasets absent');

describe.skipIf(!hasBank)('bank-full.csv', () => {
  it('has the published shape and encodes to scikit-learn’s 51 one-hot + numeric columns', () => {
    const t = parseCustomerTable(readFileSync(resolve(bankDir, 'bank-full.csv'), 'utf8'), 'bank-full.csv');
    // 45,212 rows (README), 16 inputs + y; 7 numeric inputs (age, balance, day, duration, campaign, pdays, previous).
    expect(t.rows).toBe(45_212);
    expect(t.columns.filter((c) => c.kind === 'numeric').map((c) => c.name)).toEqual(['age', 'balance', 'day', 'duration', 'campaign', 'pdays', 'previous']);
    expect(suggestTarget(t)).toEqual({ column: 'y', positive: 'yes' });
    // UCI documents the level counts: job 12, marital 3, education 4, default/housing/loan 2, contact 3, month 12, poutcome 4 → 44.
    expect(fitEncoder(t, { target: 'y' }).names).toHaveLength(44 + 7);
    const w = leakageWarnings(t, { column: 'y', positive: 'yes' });
    expect(w.map((x) => x.slice(0, x.indexOf('"', 1) + 1))).toEqual(['"duration"']);
  });
});
