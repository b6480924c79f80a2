// `shoplens propensity FILE …`: logistic-regression propensity from a customer table (one row per
// customer, a binary column as the target) evaluated on a hold-out split, a second file or k-fold
// cross-validation; or from an event file with a leakage-free backtest (--horizon [--cutoff]).

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { importFileNode } from '../lib/data/read-file.node.ts';
import { parseIso } from '../lib/data/dates';
import { brierScore, confusionAt, liftTable, logLoss, rocAuc } from '../lib/eval/classification';
import { fitLogReg, predictProba, type LogRegModel, type LogRegOptions } from '../lib/ml/logreg';
import { encode, fitEncoder } from '../lib/propensity/encode';
import { stratifiedKFold, stratifiedSplit } from '../lib/propensity/split';
import {
  binaryTarget,
  guessPositive,
  leakageWarnings,
  parseCustomerTable,
  subsetTable,
  TableParseError,
  type CustomerTable,
} from '../lib/propensity/table';
import { DAY_MS, type EventTargetKind } from '../lib/propensity/target';
import { defaultCutoff, runPropensity, type PropensityResult } from '../lib/propensity/run';
import { makeJobContext } from '../lib/compute/jobs';
import { parseArgs, UsageError } from './args';
import type { CliIO } from './io';
import { nodeTf, type Tf } from './tf-node';

export const PROPENSITY_USAGE =
  'shoplens propensity FILE --target COL [--positive VALUE] [--drop a,b] [--c C] [--balanced] [--cv K | --test FILE | --test-fraction F] [--seed S] [--json]\n' +
  '             shoplens propensity EVENTS --horizon DAYS [--cutoff DATE] [--kind buy|churn|buy-category] [--category NAME] [--c C] [--balanced] [--json]';

export interface PropensitySummary {
  mode: 'table' | 'events';
  validation: string;
  auc: number;
  /** Standard deviation (population) of the fold AUCs; only with --cv. */
  aucStd?: number;
  foldAuc?: number[];
  logLoss: number;
  brier: number;
  /** At threshold 0.5. */
  accuracy: number;
  baseRate: number;
  /** The base-rate model's log loss and Brier score on the same evaluation rows. */
  baseline: { logLoss: number; brier: number; recencyAuc?: number };
  /** Top-decile lift and the share of positives it holds. */
  topDecile: { lift: number; gain: number };
  nTrain: number;
  nTest: number;
  positivesTrain: number;
  positivesTest: number;
  seconds: number;
  backend: string;
  features: number;
  /** Standardised coefficients (encoded feature → value) of the model trained on all training rows. */
  coefficients: Record<string, number>;
  intercept: number;
  solver: string;
  iterations: number;
  converged: boolean;
  warnings: string[];
  /** Event mode: the cutoffs and label windows (ISO dates). */
  backtest?: { trainCutoff: string; evalCutoff: string; horizonDays: number; kind: EventTargetKind };
}

function numberOption(value: string | undefined, name: string, fallback: number, ok: (n: number) => boolean, what: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new UsageError(`--${name} must be ${what}, got "${value}"`);
  return n;
}

function dateOption(value: string): number {
  const t = parseIso(value.trim());
  if (t !== t) throw new UsageError(`--cutoff must be a date like 2026-06-30 (ISO 8601), got "${value}"`);
  return t;
}

async function readTable(path: string): Promise<CustomerTable> {
  try {
    return parseCustomerTable(await readFile(path, 'utf8'), basename(path));
  } catch (e) {
    if (e instanceof TableParseError) throw new UsageError(e.message);
    throw e;
  }
}

interface Evaluated {
  y: Uint8Array;
  p: Float64Array;
}

interface Fitted {
  model: LogRegModel;
  evaluated: Evaluated;
  nTrain: number;
  positivesTrain: number;
}

function countOnes(y: Uint8Array): number {
  let n = 0;
  for (const v of y) n += v;
  return n;
}

/** Encoder learnt on the training table only, then the model; scores for the evaluation table. */
async function fitAndScore(
  tf: Tf,
  train: CustomerTable,
  yTrain: Uint8Array,
  test: CustomerTable | null,
  yTest: Uint8Array | null,
  target: string,
  drop: string[],
  fit: LogRegOptions,
): Promise<Fitted> {
  const encoder = fitEncoder(train, { target, drop });
  const model = await fitLogReg(tf, encode(encoder, train), yTrain, fit);
  const evaluated = test && yTest ? { y: yTest, p: predictProba(model, encode(encoder, test)) } : { y: new Uint8Array(0), p: new Float64Array(0) };
  return { model, evaluated, nTrain: train.rows, positivesTrain: countOnes(yTrain) };
}

interface Metrics {
  auc: number;
  logLoss: number;
  brier: number;
  accuracy: number;
}

function metricsOf({ y, p }: Evaluated): Metrics {
  return { auc: rocAuc(y, p), logLoss: logLoss(y, p), brier: brierScore(y, p), accuracy: confusionAt(y, p, 0.5).accuracy };
}

function baselineOf(y: Uint8Array, trainRate: number): { logLoss: number; brier: number } {
  const p = new Float64Array(y.length).fill(trainRate);
  return { logLoss: logLoss(y, p), brier: brierScore(y, p) };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const popStd = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
};

function coefficientsOf(model: LogRegModel): Record<string, number> {
  return Object.fromEntries(model.names.map((n, j) => [n, model.coefficients[j]]));
}

export async function propensityCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(
    argv,
    ['target', 'positive', 'drop', 'c', 'cv', 'test', 'test-fraction', 'seed', 'cutoff', 'horizon', 'kind', 'category'],
    ['json', 'balanced'],
  );
  const [path] = args.positionals;
  if (!path || args.positionals.length > 1) throw new UsageError(`usage: ${PROPENSITY_USAGE}`);
  const fit: LogRegOptions = {
    C: numberOption(args.options.get('c'), 'c', 1, (n) => n > 0, 'a number > 0'),
    classWeight: args.flags.has('balanced') ? 'balanced' : 'none',
    seed: numberOption(args.options.get('seed'), 'seed', 0, (n) => Number.isInteger(n) && n >= 0, 'an integer ≥ 0'),
  };
  const eventMode = args.options.has('horizon') || args.options.has('cutoff');
  const started = performance.now();
  const summary = eventMode ? await eventSummary(path, args.options, fit, started) : await tableSummary(path, args.options, fit, started);
  if (args.flags.has('json')) {
    io.out(JSON.stringify(summary) + '\n');
    return 0;
  }
  io.out(humanReport(basename(path), summary));
  return 0;
}

async function tableSummary(path: string, options: Map<string, string>, fit: LogRegOptions, started: number): Promise<PropensitySummary> {
  for (const o of ['cutoff', 'horizon', 'kind', 'category']) if (options.has(o)) throw new UsageError(`--${o} applies to event files only (with --horizon)`);
  const target = options.get('target');
  if (!target) throw new UsageError(`--target COL is needed for a customer table\nusage: ${PROPENSITY_USAGE}`);
  const chosen = ['cv', 'test', 'test-fraction'].filter((o) => options.has(o));
  if (chosen.length > 1) throw new UsageError(`choose one of --cv, --test and --test-fraction, not ${chosen.map((o) => `--${o}`).join(' and ')}`);
  const table = await readTable(path);
  const col = table.columns.find((c) => c.name === target);
  if (!col) throw new UsageError(`${table.fileName} has no column "${target}" (columns: ${table.columns.map((c) => c.name).join(', ')})`);
  const positive = options.get('positive') ?? guessPositive(col);
  if (positive === null) throw new UsageError(`"${target}" does not have exactly two values: give --positive VALUE`);
  const drop = (options.get('drop') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const d of drop) if (!table.columns.some((c) => c.name === d)) throw new UsageError(`--drop: ${table.fileName} has no column "${d}"`);
  if (drop.includes(target)) throw new UsageError(`--drop: "${target}" is the target`);
  let y: Uint8Array;
  try {
    y = binaryTarget(table, target, positive);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const warnings = leakageWarnings(table, { column: target, positive }).filter((w) => !drop.some((d) => w.startsWith(`"${d}"`)));
  const seed = fit.seed ?? 0;
  const tf = await nodeTf();

  let validation: string;
  let metrics: Metrics;
  let pooled: Evaluated;
  let nTrain: number;
  let positivesTrain: number;
  let final: LogRegModel;
  let foldAuc: number[] | undefined;
  let aucStd: number | undefined;
  if (options.has('cv')) {
    const k = numberOption(options.get('cv'), 'cv', 5, (n) => Number.isInteger(n) && n >= 2, 'an integer ≥ 2');
    const folds = stratifiedKFold(y, k, seed);
    const per: Metrics[] = [];
    pooled = { y: new Uint8Array(table.rows), p: new Float64Array(table.rows) };
    for (const f of folds) {
      const r = await fitAndScore(tf, subsetTable(table, f.train), pick(y, f.train), subsetTable(table, f.test), pick(y, f.test), target, drop, fit);
      per.push(metricsOf(r.evaluated));
      f.test.forEach((row, i) => {
        pooled.y[row] = y[row];
        pooled.p[row] = r.evaluated.p[i];
      });
    }
    foldAuc = per.map((m) => m.auc);
    aucStd = popStd(foldAuc);
    metrics = { auc: mean(foldAuc), logLoss: mean(per.map((m) => m.logLoss)), brier: mean(per.map((m) => m.brier)), accuracy: mean(per.map((m) => m.accuracy)) };
    // The coefficients shown are those of the model one would deploy: fitted on every row.
    final = (await fitAndScore(tf, table, y, null, null, target, drop, fit)).model;
    nTrain = Math.round(mean(folds.map((f) => f.train.length)));
    positivesTrain = Math.round(mean(folds.map((f) => countOnes(pick(y, f.train)))));
    validation = `${k}-fold stratified cross-validation (seed ${seed})`;
  } else {
    let train = table;
    let yTrain = y;
    let test: CustomerTable;
    let yTest: Uint8Array;
    if (options.has('test')) {
      const testPath = options.get('test') as string;
      test = await readTable(testPath);
      try {
        yTest = binaryTarget(test, target, positive);
      } catch (e) {
        throw new UsageError(e instanceof Error ? e.message : String(e));
      }
      validation = `trained on ${table.fileName}, evaluated on ${test.fileName}`;
    } else {
      const fraction = numberOption(options.get('test-fraction'), 'test-fraction', 0.2, (n) => n > 0 && n < 1, 'a number in (0, 1)');
      const split = stratifiedSplit(y, fraction, seed);
      train = subsetTable(table, split.train);
      yTrain = pick(y, split.train);
      test = subsetTable(table, split.test);
      yTest = pick(y, split.test);
      validation = `stratified ${Math.round((1 - fraction) * 100)}/${Math.round(fraction * 100)} split (seed ${seed})`;
    }
    const r = await fitAndScore(tf, train, yTrain, test, yTest, target, drop, fit);
    metrics = metricsOf(r.evaluated);
    pooled = r.evaluated;
    final = r.model;
    nTrain = r.nTrain;
    positivesTrain = r.positivesTrain;
  }
  const baseRate = positivesTrain / nTrain;
  const lift = liftTable(pooled.y, pooled.p, 10)[0];
  return {
    mode: 'table',
    validation,
    ...metrics,
    ...(aucStd !== undefined ? { aucStd, foldAuc } : {}),
    baseRate,
    baseline: baselineOf(pooled.y, baseRate),
    topDecile: { lift: lift.lift, gain: lift.gain },
    nTrain,
    nTest: pooled.y.length,
    positivesTrain,
    positivesTest: countOnes(pooled.y),
    seconds: (performance.now() - started) / 1000,
    backend: tf.getBackend(),
    features: final.names.length,
    coefficients: coefficientsOf(final),
    intercept: final.intercept,
    solver: final.solver,
    iterations: final.iterations,
    converged: final.converged,
    warnings,
  };
}

function pick(y: Uint8Array, rows: Uint32Array): Uint8Array {
  const out = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = y[rows[i]];
  return out;
}

const KINDS: readonly EventTargetKind[] = ['buy', 'churn', 'buy-category'];

/** Event mode runs the studio's own pipeline (run.ts), so the CLI and the studio agree to the digit. */
async function eventSummary(path: string, options: Map<string, string>, fit: LogRegOptions, started: number): Promise<PropensitySummary> {
  for (const o of ['target', 'positive', 'drop', 'cv', 'test', 'test-fraction']) {
    if (options.has(o)) throw new UsageError(`--${o} applies to customer tables only; an event file is validated by a backtest`);
  }
  const horizonText = options.get('horizon');
  if (horizonText === undefined) throw new UsageError('--horizon DAYS is needed for an event file');
  const horizonDays = numberOption(horizonText, 'horizon', 0, (n) => n > 0, 'a number of days > 0');
  const kind = (options.get('kind') ?? 'buy') as EventTargetKind;
  if (!KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}, got "${kind}"`);
  const { result, chunks } = await importFileNode(path);
  const lastTime = result.stats.lastTime;
  if (lastTime === null) throw new UsageError(`${basename(path)} has no dates: an event target needs them`);
  let category: number | undefined;
  if (kind === 'buy-category') {
    const name = options.get('category');
    if (name === undefined) throw new UsageError('--kind buy-category needs --category NAME');
    category = result.dictionaries.categories.indexOf(name);
    if (category < 0) throw new UsageError(`no category "${name}" (categories: ${result.dictionaries.categories.slice(0, 20).join(', ')})`);
  } else if (options.has('category')) throw new UsageError('--category applies to --kind buy-category only');
  const cutoffText = options.get('cutoff');
  const cutoff = cutoffText === undefined ? defaultCutoff(lastTime, horizonDays) : dateOption(cutoffText);
  const tf = await nodeTf();
  let r: PropensityResult;
  try {
    r = await runPropensity(tf, () => chunks, result.dictionaries, lastTime, { target: { kind, horizonDays, cutoff, category }, ...fit }, makeJobContext());
  } catch (e) {
    // Choices the data cannot support (a window past the data, one label for everyone) are input errors.
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const e = r.evaluation;
  const evalTo = r.target.cutoff + horizonDays * DAY_MS;
  return {
    mode: 'events',
    validation: `backtest: trained on features at ${isoDay(r.target.trainCutoff)} with labels to ${isoDay(r.target.cutoff)}, evaluated on features at ${isoDay(r.target.cutoff)} with labels to ${isoDay(evalTo)}`,
    auc: e.auc,
    logLoss: e.logLoss,
    brier: e.brier,
    accuracy: e.accuracy,
    baseRate: r.trainPositives / r.nTrain,
    baseline: { logLoss: e.baseline.logLoss, brier: e.baseline.brier, ...(r.recencyBaseline ? { recencyAuc: r.recencyBaseline.auc } : {}) },
    topDecile: { lift: e.lift[0].lift, gain: e.lift[0].gain },
    nTrain: r.nTrain,
    nTest: e.n,
    positivesTrain: r.trainPositives,
    positivesTest: e.positives,
    seconds: (performance.now() - started) / 1000,
    backend: r.backend,
    features: r.model.names.length,
    coefficients: coefficientsOf(r.model),
    intercept: r.model.intercept,
    solver: r.model.solver,
    iterations: r.model.iterations,
    converged: r.model.converged,
    warnings: [],
    backtest: { trainCutoff: new Date(r.target.trainCutoff).toISOString(), evalCutoff: new Date(r.target.cutoff).toISOString(), horizonDays, kind },
  };
}

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

function humanReport(file: string, s: PropensitySummary): string {
  const top = Object.entries(s.coefficients)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, 8)
    .map(([name, v]) => `${name} ${v >= 0 ? '+' : ''}${v.toFixed(3)}`);
  return (
    [
      `${file}: ${s.nTrain.toLocaleString('en-US')} training and ${s.nTest.toLocaleString('en-US')} evaluation ${s.mode === 'events' ? 'customers' : 'rows'}, ${s.features} features; ${s.validation}`,
      ...s.warnings.map((w) => `warning: ${w}`),
      `AUC ${s.auc.toFixed(4)}${s.aucStd !== undefined ? ` ± ${s.aucStd.toFixed(4)}` : ''} (a base-rate guess scores 0.5${s.baseline.recencyAuc !== undefined ? `; ranking by recency ${s.baseline.recencyAuc.toFixed(4)}` : ''}); base rate ${pct(s.baseRate)}`,
      `log loss ${s.logLoss.toFixed(4)} (base rate ${s.baseline.logLoss.toFixed(4)}); Brier ${s.brier.toFixed(4)} (base rate ${s.baseline.brier.toFixed(4)}); accuracy at 0.5 ${pct(s.accuracy)}`,
      `top 10 % by score hold ${pct(s.topDecile.gain)} of the positives (lift ${s.topDecile.lift.toFixed(2)}×)`,
      `largest standardised coefficients: ${top.join(', ')}`,
      `${s.solver}, ${s.iterations} iterations${s.converged ? '' : ' (not converged)'}; ${s.seconds.toFixed(2)} s on ${s.backend}`,
    ].join('\n') + '\n'
  );
}
