// Propensity from a customer table (one row per customer, a binary column as the target), end to
// end as the CLI does it (src/cli/propensity.ts tableSummary), so the studio and the CLI agree to
// the digit on the same folds:
//   - validation: a stratified hold-out split or stratified k-fold CV; the encoder (one-hot, median
//     imputation, standardising) is learnt on the training rows of each fit only;
//   - CV pools the out-of-fold scores for the curves and reports the mean ± sd of the fold AUCs;
//   - deployment: encoder and model refitted on every row, every row scored for the Act panel.
// The result mirrors PropensityResult where the views share components (evaluation, model,
// coefficients, scored.scores) and carries `source: 'table'` as its discriminant.

import type * as TfCore from '@tensorflow/tfjs-core';
import { fitLogReg, oddsRatios, predictProba, type LogRegModel, type LogRegOptions } from '../ml/logreg';
import { checkpoint, type JobContext } from '../compute/jobs';
import { toCsv } from '../data/csv-export';
import { rocAuc } from '../eval/classification';
import { encode, fitEncoder, type Encoder } from './encode';
import { stratifiedKFold, stratifiedSplit } from './split';
import { binaryTarget, findColumn, leakageWarnings, subsetTable, suggestTarget, type CustomerTable, type TableColumn, type TargetSpec } from './table';
import { evaluationReport, type EvaluationReport } from './report';
import { rankByScore } from './export';
import type { Coefficient, PropensityResult } from './run';

type Tf = typeof TfCore;

export type TableValidation = { kind: 'holdout'; testFraction: number } | { kind: 'cv'; k: number };

export interface TablePropensityParams {
  target: TargetSpec;
  /** Columns that are not features (besides the target). */
  drop?: string[];
  C?: number;
  classWeight?: 'none' | 'balanced';
  /** Seeds the split / folds (and a mini-batch solver). Default 0. */
  seed?: number;
  validation: TableValidation;
  solver?: LogRegOptions['solver'];
}

export interface TableScored {
  /** 0-based data row of each score (all rows, in table order). */
  rows: Uint32Array;
  /** The id column's value per row, or null when the table has none (rows are then named by number). */
  ids: string[] | null;
  scores: Float32Array;
  /** 1 = top tenth by score … 10 = bottom tenth. */
  decile: Uint8Array;
}

export interface TablePropensityResult {
  source: 'table';
  createdAt: number;
  backend: string;
  seconds: number;
  fileName: string;
  target: TargetSpec;
  params: { C: number; classWeight: 'none' | 'balanced'; seed: number; drop: string[]; validation: TableValidation; idColumn: string | null };
  /** Encoding of the deployed model (learnt on every row). */
  encoder: Encoder;
  /** Design column names of the deployed model. */
  columns: string[];
  /** The evaluated model (hold-out: fitted on the training rows; CV: the all-rows model, as the CLI shows). */
  model: LogRegModel;
  /** Refitted on every row: scores the target list. */
  deployed: LogRegModel;
  coefficients: Coefficient[];
  /** Training rows (CV: the mean over folds) and their positives. */
  nTrain: number;
  trainPositives: number;
  /** Hold-out rows, or every row's out-of-fold score under CV. */
  evaluation: EvaluationReport;
  /** Per-fold AUCs under CV (population sd, as the CLI's aucStd). */
  folds: { auc: number[]; mean: number; sd: number } | null;
  /** Leakage warnings by column name (columns already dropped are left out). */
  warnings: Record<string, string>;
  scored: TableScored;
}

/** Either kind of propensity run; `source` tells them apart (event runs carry none). */
export type AnyPropensityResult = PropensityResult | TablePropensityResult;

export function isTableResult(r: AnyPropensityResult): r is TablePropensityResult {
  return 'source' in r && r.source === 'table';
}

/** Result kind under which a table dataset's parsed columns are stored. */
export const CUSTOMER_TABLE_RESULT = 'customer-table';

/** id, customer…, client…, …_id / … id (lower-cased), or camelCase …Id. */
const ID_NAME = /^(id|.*[_\s-]id|customer.*|client.*)$/;
const isIdName = (name: string) => ID_NAME.test(name.trim().toLowerCase()) || /[a-z]Id$/.test(name.trim());

/** The column that names each row: an id-like name (id, customer…, client…, …_id) and every value distinct and present. */
export function findIdColumn(table: CustomerTable, exclude: string[] = []): string | null {
  for (const col of table.columns) {
    if (exclude.includes(col.name) || !isIdName(col.name)) continue;
    if (allDistinct(col)) return col.name;
  }
  return null;
}

function allDistinct(col: TableColumn): boolean {
  if (col.kind === 'categorical') {
    const seen = new Uint8Array(col.levels.length);
    for (const c of col.codes) {
      if (c < 0 || seen[c]) return false;
      seen[c] = 1;
    }
    return true;
  }
  const seen = new Set<number>();
  for (const v of col.values) {
    if (v !== v || seen.has(v)) return false;
    seen.add(v);
  }
  return true;
}

/** A cell as text (numbers as JavaScript prints them; missing as ''). */
export function cellText(col: TableColumn, row: number): string {
  if (col.kind === 'categorical') return col.codes[row] >= 0 ? col.levels[col.codes[row]] : '';
  const v = col.values[row];
  return v === v ? String(v) : '';
}

/** Leakage warnings keyed by the column they name, without the CLI's "--drop" hint. */
export function leakageByColumn(table: CustomerTable, target: TargetSpec): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of leakageWarnings(table, target)) {
    const col = table.columns.find((c) => w.startsWith(`"${c.name}" `));
    if (col) out[col.name] = w.replace(/ Consider --drop .*$/, '');
  }
  return out;
}

/** What the setup form needs to know of a table's columns. */
export interface TableColumnInfo {
  name: string;
  kind: 'numeric' | 'categorical';
  /** Distinct non-missing values (capped at `MAX_LEVELS + 1` when counting stops early). */
  distinct: number;
  /** The values as text when there are at most MAX_LEVELS (for the positive-value select). */
  levels: string[] | null;
  missing: number;
}

export interface TableInfo {
  fileName: string;
  rows: number;
  columns: TableColumnInfo[];
  idColumn: string | null;
  /** suggestTarget's guess: a two-valued column and its positive value. */
  suggested: TargetSpec | null;
}

const MAX_LEVELS = 50;

export function describeTable(table: CustomerTable): TableInfo {
  const columns = table.columns.map((col): TableColumnInfo => {
    const seen = new Set<string>();
    let missing = 0;
    for (let r = 0; r < table.rows; r++) {
      const s = cellText(col, r);
      if (s === '') missing++;
      else if (seen.size <= MAX_LEVELS) seen.add(s);
    }
    const levels = seen.size <= MAX_LEVELS ? [...seen].sort((a, b) => (col.kind === 'numeric' ? Number(a) - Number(b) : a.localeCompare(b))) : null;
    return { name: col.name, kind: col.kind, distinct: seen.size, levels, missing };
  });
  return { fileName: table.fileName, rows: table.rows, columns, idColumn: findIdColumn(table), suggested: suggestTarget(table) };
}

function pick(y: Uint8Array, rows: Uint32Array): Uint8Array {
  const out = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = y[rows[i]];
  return out;
}

function countOnes(y: Uint8Array): number {
  let n = 0;
  for (const v of y) n += v;
  return n;
}

function deciles(scores: Float32Array): Uint8Array {
  const out = new Uint8Array(scores.length);
  rankByScore(scores).forEach((row, rank) => (out[row] = 1 + Math.floor((rank * 10) / scores.length)));
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Scores every row of a table with a deployed table model (also a later file with the same columns). */
export function scoreTable(model: Pick<TablePropensityResult, 'encoder' | 'deployed' | 'params'>, table: CustomerTable): TableScored {
  const scores = Float32Array.from(predictProba(model.deployed, encode(model.encoder, table)));
  const idCol = model.params.idColumn ? table.columns.find((c) => c.name === model.params.idColumn) : undefined;
  const ids = idCol ? Array.from({ length: table.rows }, (_, r) => cellText(idCol, r)) : null;
  return { rows: Uint32Array.from({ length: table.rows }, (_, i) => i), ids, scores, decile: deciles(scores) };
}

export async function runTablePropensity(tf: Tf, table: CustomerTable, params: TablePropensityParams, ctx: JobContext): Promise<TablePropensityResult> {
  const started = performance.now();
  const { column, positive } = params.target;
  const drop = [...new Set(params.drop ?? [])];
  findColumn(table, column);
  for (const d of drop) findColumn(table, d);
  if (drop.includes(column)) throw new Error(`“${column}” is the target, so it cannot also be dropped.`);
  const y = binaryTarget(table, column, positive);
  const C = params.C ?? 1;
  const classWeight = params.classWeight ?? 'none';
  const seed = params.seed ?? 0;
  const warningsAll = leakageByColumn(table, params.target);
  const warnings = Object.fromEntries(Object.entries(warningsAll).filter(([name]) => !drop.includes(name)));
  const idColumn = findIdColumn(table, [column]);

  let fitNo = 0;
  const fits = params.validation.kind === 'cv' ? params.validation.k + 1 : 2;
  const options = (): LogRegOptions => {
    const n = ++fitNo;
    return {
      C,
      classWeight,
      seed,
      solver: params.solver ?? 'auto',
      signal: ctx.signal,
      onIteration: (s) =>
        ctx.progress({
          fraction: (n - 1 + Math.min(0.9, s.iteration / 12)) / fits,
          message: `fit ${n} of ${fits}: iteration ${s.iteration}, loss ${s.loss.toFixed(5)}`,
          figures: { iteration: s.iteration, loss: s.loss, gradNorm: s.gradNorm, fit: n },
        }),
    };
  };
  const fitOn = async (rows: Uint32Array | null): Promise<{ encoder: Encoder; model: LogRegModel }> => {
    const train = rows ? subsetTable(table, rows) : table;
    const encoder = fitEncoder(train, { target: column, drop });
    const model = await fitLogReg(tf, encode(encoder, train), rows ? pick(y, rows) : y, options());
    return { encoder, model };
  };

  let evaluation: EvaluationReport;
  let folds: TablePropensityResult['folds'] = null;
  let nTrain: number;
  let trainPositives: number;
  let evaluated: LogRegModel | null = null;
  if (params.validation.kind === 'cv') {
    const { k } = params.validation;
    const splits = stratifiedKFold(y, k, seed);
    const pooled = new Float64Array(table.rows);
    const auc: number[] = [];
    for (const f of splits) {
      await checkpoint(ctx.signal);
      const { encoder, model } = await fitOn(f.train);
      const p = predictProba(model, encode(encoder, subsetTable(table, f.test)));
      f.test.forEach((row, i) => (pooled[row] = p[i]));
      auc.push(rocAuc(pick(y, f.test), p));
    }
    const m = mean(auc);
    folds = { auc, mean: m, sd: Math.sqrt(mean(auc.map((a) => (a - m) ** 2))) };
    // Stratified folds train on the overall rate (to a row), so it is each fold's training base rate.
    evaluation = evaluationReport(y, pooled, countOnes(y) / y.length);
    nTrain = Math.round(mean(splits.map((f) => f.train.length)));
    trainPositives = Math.round(mean(splits.map((f) => countOnes(pick(y, f.train)))));
  } else {
    const { testFraction } = params.validation;
    const split = stratifiedSplit(y, testFraction, seed);
    await checkpoint(ctx.signal);
    const { encoder, model } = await fitOn(split.train);
    evaluation = evaluationReport(pick(y, split.test), predictProba(model, encode(encoder, subsetTable(table, split.test))), countOnes(pick(y, split.train)) / split.train.length);
    evaluated = model;
    nTrain = split.train.length;
    trainPositives = countOnes(pick(y, split.train));
  }

  ctx.progress({ fraction: (fits - 1) / fits, message: 'refitting on every row and scoring every customer…' });
  await checkpoint(ctx.signal);
  const deployedFit = await fitOn(null);
  const base = { encoder: deployedFit.encoder, deployed: deployedFit.model, params: { idColumn } };
  const scored = scoreTable({ ...base, params: { ...base.params, C, classWeight, seed, drop, validation: params.validation } }, table);
  const model = evaluated ?? deployedFit.model;
  const headline = folds ? folds.mean : evaluation.auc;
  ctx.progress({ fraction: 1, message: `done: AUC ${headline.toFixed(3)}` });
  return {
    source: 'table',
    createdAt: Date.now(),
    backend: tf.getBackend(),
    seconds: (performance.now() - started) / 1000,
    fileName: table.fileName,
    target: { column, positive },
    params: { C, classWeight, seed, drop, validation: params.validation, idColumn },
    encoder: deployedFit.encoder,
    columns: [...deployedFit.encoder.names],
    model,
    deployed: deployedFit.model,
    coefficients: oddsRatios(model),
    nTrain,
    trainPositives,
    evaluation,
    folds,
    warnings,
    scored,
  };
}

export const TABLE_TARGET_HEADER_REST = ['rank', 'score', 'decile'];

/**
 * The `count` best-scored rows as formula-safe CSV: id (the id column's value, else the 1-based
 * data row), rank, score (6 decimals), decile.
 */
export function tableTargetListCsv(result: Pick<TablePropensityResult, 'scored' | 'params'>, count: number): string {
  const { rows, ids, scores, decile } = result.scored;
  if (!(count >= 0)) throw new RangeError(`The number of customers to export must be ≥ 0, got ${count}.`);
  const m = Math.min(rows.length, Math.floor(count));
  const order = rankByScore(scores).subarray(0, m);
  const header = [ids && result.params.idColumn ? result.params.idColumn : 'row', ...TABLE_TARGET_HEADER_REST];
  const out = Array.from(order, (i, rank) => [ids ? ids[i] : rows[i] + 1, rank + 1, Math.round(scores[i] * 1e6) / 1e6, decile[i]]);
  return toCsv(header, out);
}
