// How propensity runs are kept in the store's results: a list of summaries, and each run whole.
// Event runs and customer-table runs share the list; `kind: 'table'` marks the latter.

import type { PropensityResult, TargetKind } from './run';
import { isTableResult, type AnyPropensityResult, type TablePropensityResult } from './table-run';

export interface PropensityRunSummary {
  id: string;
  createdAt: number;
  /** The event target, or 'table' for a model of a customer table's column. */
  kind: TargetKind | 'table';
  /** Event runs only (0 for a table run). */
  horizonDays: number;
  cutoff: number;
  categoryName: string | null;
  auc: number;
  /** Table runs under k-fold CV: the sd of the fold AUCs (`auc` is then their mean). */
  aucStd?: number;
  recencyAuc: number | null;
  baseRate: number;
  customers: number;
  backend: string;
  seconds: number;
  /** Table runs: "column = positive value" and how it was validated. */
  target?: string;
  validation?: string;
  /** File name, when the model was imported from JSON rather than trained here. */
  importedFrom?: string;
}

export const PROPENSITY_RUNS = 'propensity-runs';

export function propensityKind(id: string): string {
  return `propensity:${id}`;
}

export function summarise(r: PropensityResult, importedFrom?: string): PropensityRunSummary {
  return {
    id: `${r.createdAt}`,
    createdAt: r.createdAt,
    kind: r.target.kind,
    horizonDays: r.target.horizonDays,
    cutoff: r.target.cutoff,
    categoryName: r.target.categoryName,
    auc: r.evaluation.auc,
    recencyAuc: r.recencyBaseline?.auc ?? null,
    baseRate: r.evaluation.baseRate,
    customers: r.scored.customers.length,
    backend: r.backend,
    seconds: r.seconds,
    ...(importedFrom ? { importedFrom } : {}),
  };
}

/** "5-fold CV (seed 42)" / "80/20 hold-out (seed 0)". */
export function validationLabel(r: Pick<TablePropensityResult, 'params'>): string {
  const v = r.params.validation;
  return v.kind === 'cv'
    ? `${v.k}-fold stratified CV (seed ${r.params.seed})`
    : `stratified ${Math.round((1 - v.testFraction) * 100)}/${Math.round(v.testFraction * 100)} hold-out (seed ${r.params.seed})`;
}

export function summariseTable(r: TablePropensityResult, importedFrom?: string): PropensityRunSummary {
  return {
    id: `${r.createdAt}`,
    createdAt: r.createdAt,
    kind: 'table',
    horizonDays: 0,
    cutoff: 0,
    categoryName: null,
    auc: r.folds ? r.folds.mean : r.evaluation.auc,
    ...(r.folds ? { aucStd: r.folds.sd } : {}),
    recencyAuc: null,
    baseRate: r.evaluation.baseRate,
    customers: r.scored.rows.length,
    backend: r.backend,
    seconds: r.seconds,
    target: `${r.target.column} = ${r.target.positive}`,
    validation: validationLabel(r),
    ...(importedFrom ? { importedFrom } : {}),
  };
}

export function summariseAny(r: AnyPropensityResult, importedFrom?: string): PropensityRunSummary {
  return isTableResult(r) ? summariseTable(r, importedFrom) : summarise(r, importedFrom);
}
