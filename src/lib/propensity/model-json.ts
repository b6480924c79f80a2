// A propensity run as a JSON file a user can keep, share and import again (mirrors
// segment/model-json.ts): typed arrays are written as tagged number lists, numbers JSON cannot
// hold (NaN, ±Infinity — e.g. a confidence bound without standard errors) as tagged strings, and
// everything is checked on the way back in so a damaged file fails with a reason, not later.

import type { LogRegModel } from '../ml/logreg';
import type { FittedPrep } from '../features/prepare';
import type { PropensityResult } from './run';
import type { AnyPropensityResult, TablePropensityResult } from './table-run';
import type { EvaluationReport } from './report';

export const PROPENSITY_FORMAT = 'shoplens-propensity';
export const PROPENSITY_VERSION = 1;

const TYPED = {
  Uint8Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedName = keyof typeof TYPED;
const SPECIAL = { NaN, Infinity, '-Infinity': -Infinity } as const;

export class PropensityFormatError extends Error {
  constructor(message: string) {
    super(`Not a ShopLens propensity model file: ${message}`);
    this.name = 'PropensityFormatError';
  }
}

export function propensityToJson(result: AnyPropensityResult): string {
  return JSON.stringify({ format: PROPENSITY_FORMAT, version: PROPENSITY_VERSION, result }, (_key, value: unknown) => {
    if (typeof value === 'number' && !Number.isFinite(value)) return { $number: String(value) };
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const name = value.constructor.name;
      if (!(name in TYPED)) throw new Error(`cannot serialise ${name}`);
      return { $typed: name, values: Array.from(value as unknown as ArrayLike<number>) };
    }
    return value;
  });
}

function revive(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && '$number' in value) {
    const text = (value as { $number: unknown }).$number;
    if (typeof text !== 'string' || !(text in SPECIAL)) throw new PropensityFormatError(`an unknown special number (${String(text)})`);
    return SPECIAL[text as keyof typeof SPECIAL];
  }
  if (value && typeof value === 'object' && '$typed' in value && 'values' in value) {
    const { $typed, values } = value as { $typed: unknown; values: unknown };
    if (typeof $typed !== 'string' || !($typed in TYPED) || !Array.isArray(values) || values.some((v) => typeof v !== 'number')) {
      throw new PropensityFormatError(`a number list is malformed (${String($typed)})`);
    }
    return TYPED[$typed as TypedName].from(values as number[]);
  }
  return value;
}

/** An event-based run; a customer-table model file is refused (read it with anyPropensityFromJson). */
export function propensityFromJson(text: string): PropensityResult {
  const r = anyPropensityFromJson(text);
  if ('source' in r && r.source === 'table') throw new PropensityFormatError('it is a customer-table model, not an event-based one');
  return r as PropensityResult;
}

/** Either kind of run: event-based, or (with "source": "table") a customer-table model. */
export function anyPropensityFromJson(text: string): AnyPropensityResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, revive);
  } catch (error) {
    if (error instanceof PropensityFormatError) throw error;
    throw new PropensityFormatError(`the text is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const doc = parsed as { format?: unknown; version?: unknown; result?: unknown } | null;
  if (doc?.format !== PROPENSITY_FORMAT) throw new PropensityFormatError('its "format" field is missing or different');
  if (doc.version !== PROPENSITY_VERSION) throw new PropensityFormatError(`version ${String(doc.version)} is not supported (expected ${PROPENSITY_VERSION})`);
  const raw = doc.result as { source?: unknown } | null;
  if (raw && typeof raw === 'object' && raw.source === 'table') {
    const table = doc.result as TablePropensityResult;
    checkTableResult(table);
    return table;
  }
  const result = doc.result as PropensityResult;
  checkResult(result);
  return result;
}

function need(ok: boolean, what: string): void {
  if (!ok) throw new PropensityFormatError(what);
}

const isNum = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);
const numList = (v: unknown, length: number): boolean => Array.isArray(v) && v.length === length && v.every((x) => typeof x === 'number');

function checkModel(m: LogRegModel | undefined, cols: number, which: string): void {
  need(!!m && typeof m === 'object', `no "${which}" model`);
  const model = m as LogRegModel;
  need(numList(model.coefficients, cols) && model.coefficients.every(Number.isFinite), `"${which}.coefficients" must give one finite number per column (${cols})`);
  need(Number.isFinite(model.intercept), `"${which}.intercept" must be a finite number`);
  need(Array.isArray(model.names) && model.names.length === cols, `"${which}.names" must name every column`);
  need(isNum(model.C) && model.C > 0, `"${which}.C" must be a number > 0`);
  need(Array.isArray(model.loss), `"${which}.loss" is missing`);
}

/** A scaling that can be applied: per feature a finite centre and a finite scale > 0; log1p only of its own features. */
function checkPrep(prep: FittedPrep, which: string): void {
  const features = prep.spec.features;
  need(features.every((f) => typeof f === 'string') && new Set(features).size === features.length, `"${which}.spec.features" must be distinct names`);
  need(numList(prep.center, features.length) && prep.center.every(Number.isFinite), `"${which}.center" must give one finite number per feature`);
  need(numList(prep.scale, features.length) && prep.scale.every((x) => Number.isFinite(x) && x > 0), `"${which}.scale" must give one finite number > 0 per feature`);
  need(Array.isArray(prep.spec.log1p) && prep.spec.log1p.every((f) => features.includes(f)), `"${which}.spec.log1p" may only name its own features`);
  need(['zscore', 'robust', 'none'].includes(prep.spec.scaling), `"${which}.spec.scaling" must be zscore, robust or none`);
  need(prep.spec.clip === null || (isNum(prep.spec.clip) && prep.spec.clip > 0), `"${which}.spec.clip" must be null or a number > 0`);
}

function checkResult(r: PropensityResult): void {
  need(!!r && typeof r === 'object', 'no "result" object');
  const t = r.target;
  need(!!t && ['buy', 'churn', 'buy-category'].includes(t.kind), '"target.kind" must be buy, churn or buy-category');
  need(isNum(t.horizonDays) && t.horizonDays > 0, '"target.horizonDays" must be a number > 0');
  need(Number.isFinite(t.cutoff) && Number.isFinite(t.trainCutoff) && Number.isFinite(t.lastTime), '"target" must give the cutoff, training cutoff and last event as times');
  need(t.kind !== 'buy-category' || (Number.isInteger(t.category) && (t.category as number) >= 0), '"target.category" must be a category index for buy-category');
  const p = r.params;
  need(!!p && Array.isArray(p.features) && p.features.every((f) => typeof f === 'string'), '"params.features" must list the features');
  need(Array.isArray(r.columns) && r.columns.every((c) => typeof c === 'string'), '"columns" must list the design columns');
  const cols = r.columns.length;
  need(cols >= p.features.length && cols > 0, '"columns" must start with the features');
  const d = p.features.length;
  need(!!r.prep && Array.isArray(r.prep.spec?.features) && r.prep.spec.features.length === d, '"prep" must prepare the same features');
  checkPrep(r.prep, 'prep');
  // Scores are only right when every name lines up: the scaling's features, the design columns,
  // and the coefficients' names, in one order.
  need(p.features.every((f, j) => r.prep.spec.features[j] === f && r.columns[j] === f), '"prep", "params.features" and "columns" must list the same features in the same order');
  checkModel(r.model, cols, 'model');
  checkModel(r.deployed, cols, 'deployed');
  need(r.deployed.names.every((name, j) => name === r.columns[j]), '"deployed.names" must equal "columns"');
  need(Array.isArray(r.coefficients) && r.coefficients.length === cols, '"coefficients" must describe every column');
  if (r.segments !== null) {
    const s = r.segments;
    need(!!s && Array.isArray(s.names) && s.names.length >= 1 && s.names.every((n) => typeof n === 'string'), '"segments.names" must name every segment');
    const sd = s.prep?.spec?.features?.length ?? 0;
    need(sd > 0 && s.centers instanceof Float32Array && s.centers.length === s.names.length * sd, '"segments.centers" must be k × (number of features) numbers');
    checkPrep(s.prep, 'segments.prep');
    need(s.centers.every(Number.isFinite), '"segments.centers" must be finite numbers');
    need(cols === d + s.names.length - 1, '"columns" must have one indicator per segment but the first');
  } else {
    need(cols === d, '"columns" must be the features when there are no segments');
  }
  checkEvaluation(r.evaluation);
  const s = r.scored;
  need(!!s && s.customers instanceof Uint32Array, '"scored.customers" must be a Uint32Array list');
  const n = s.customers.length;
  need(s.scores instanceof Float32Array && s.scores.length === n && s.scores.every((v) => v >= 0 && v <= 1), '"scored.scores" must give one probability per customer');
  need(s.decile instanceof Uint8Array && s.decile.length === n && s.decile.every((v) => v >= 1 && v <= 10), '"scored.decile" must give a decile 1–10 per customer');
  need(s.segment instanceof Int16Array && s.segment.length === n, '"scored.segment" must give one segment per customer');
  need(Number.isInteger(r.nTrain) && r.nTrain > 0, '"nTrain" must be a positive count');
}

/** The evaluation report both kinds of run carry: aligned labels and scores, metrics, curves. */
function checkEvaluation(e: EvaluationReport): void {
  need(!!e && e.labels instanceof Uint8Array && e.scores instanceof Float32Array && e.labels.length === e.scores.length, '"evaluation" must hold aligned labels and scores');
  need(e.n === e.labels.length && e.labels.every((l) => l === 0 || l === 1), '"evaluation.labels" must be n zeros and ones');
  need(isNum(e.auc) && isNum(e.baseRate) && isNum(e.logLoss) && isNum(e.brier), '"evaluation" must give AUC, base rate, log loss and Brier score');
  need(Array.isArray(e.roc?.fpr) && Array.isArray(e.pr?.recall) && Array.isArray(e.lift) && Array.isArray(e.calibration), '"evaluation" must hold its curves and tables');
}

function checkTableResult(r: TablePropensityResult): void {
  need(!!r.target && typeof r.target.column === 'string' && typeof r.target.positive === 'string', '"target" must name the column and its positive value');
  const p = r.params;
  need(!!p && Array.isArray(p.drop) && p.drop.every((d) => typeof d === 'string'), '"params.drop" must list column names');
  need(!!p.validation && (p.validation.kind === 'cv' ? Number.isInteger(p.validation.k) && p.validation.k >= 2 : p.validation.kind === 'holdout' && p.validation.testFraction > 0 && p.validation.testFraction < 1), '"params.validation" must be a k-fold CV or a hold-out fraction');
  need(p.idColumn === null || typeof p.idColumn === 'string', '"params.idColumn" must be a column name or null');
  const enc = r.encoder;
  need(!!enc && enc.version === 1 && Array.isArray(enc.columns) && Array.isArray(enc.names), '"encoder" must be a version 1 encoder');
  need(Array.isArray(r.columns) && r.columns.length === enc.names.length && r.columns.length > 0, '"columns" must be the encoder\'s column names');
  checkModel(r.deployed, r.columns.length, 'deployed');
  need(!!r.model && typeof r.model === 'object', 'no "model"');
  checkModel(r.model, r.model.names?.length ?? -1, 'model');
  need(Array.isArray(r.coefficients) && r.coefficients.length === r.model.names.length, '"coefficients" must describe every column');
  need(Number.isInteger(r.nTrain) && r.nTrain > 0, '"nTrain" must be a positive count');
  need(r.folds === null || (!!r.folds && numList(r.folds.auc, r.folds.auc.length) && isNum(r.folds.mean) && isNum(r.folds.sd)), '"folds" must give the fold AUCs, their mean and sd');
  need(!!r.warnings && typeof r.warnings === 'object', '"warnings" must map columns to warnings');
  checkEvaluation(r.evaluation);
  const s = r.scored;
  need(!!s && s.rows instanceof Uint32Array, '"scored.rows" must be a Uint32Array list');
  const n = s.rows.length;
  need(s.ids === null || (Array.isArray(s.ids) && s.ids.length === n && s.ids.every((v) => typeof v === 'string')), '"scored.ids" must give one id per row, or be null');
  need(s.scores instanceof Float32Array && s.scores.length === n && s.scores.every((v) => v >= 0 && v <= 1), '"scored.scores" must give one probability per row');
  need(s.decile instanceof Uint8Array && s.decile.length === n && s.decile.every((v) => v >= 1 && v <= 10), '"scored.decile" must give a decile 1–10 per row');
}
