// How propensity runs are kept in the store's results: a list of summaries, and each run whole.

import type { PropensityResult, TargetKind } from './run';

export interface PropensityRunSummary {
  id: string;
  createdAt: number;
  kind: TargetKind;
  horizonDays: number;
  cutoff: number;
  categoryName: string | null;
  auc: number;
  recencyAuc: number | null;
  baseRate: number;
  customers: number;
  backend: string;
  seconds: number;
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
