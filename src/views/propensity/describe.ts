// Words and small numbers for the Propensity view: what the target means, the backtest in one
// sentence with its dates, the run picker's labels, the decile headline, score histogram bins.

import type { TargetKind } from '../../lib/propensity/run';
import { isTableResult, type AnyPropensityResult } from '../../lib/propensity/table-run';
import type { PropensityRunSummary } from '../../lib/propensity/runs';
import { formatDay } from '../format';

const DAY_MS = 86_400_000;

/** Who the positive class is, plural ("buyers", "customers who stopped buying", …). */
export function positiveNoun(kind: TargetKind, categoryName: string | null): string {
  if (kind === 'churn') return 'customers who did not buy';
  if (kind === 'buy-category') return `buyers of “${categoryName ?? 'the category'}”`;
  return 'buyers';
}

/** The positive class of any run: the event target's noun, or "rows with y = yes" for a table. */
export function nounOf(r: AnyPropensityResult): string {
  return isTableResult(r) ? `customers with ${r.target.column} = ${r.target.positive}` : positiveNoun(r.target.kind, r.target.categoryName);
}

/** Names of the negative and positive class, for the confusion matrix. */
export function classNamesOf(r: AnyPropensityResult): readonly [string, string] {
  if (isTableResult(r)) return [`${r.target.column} ≠ ${r.target.positive}`, `${r.target.column} = ${r.target.positive}`];
  const kind = r.target.kind;
  return kind === 'churn' ? ['Stays', 'Leaves'] : kind === 'buy-category' ? ['No purchase in category', 'Buys in category'] : ['No purchase', 'Buys'];
}

/** Where the evaluation rows come from, for headings ("the later window", "the out-of-fold scores"). */
export function evaluatedOn(r: AnyPropensityResult): string {
  if (!isTableResult(r)) return 'the later window';
  return r.folds ? `the out-of-fold scores (${r.folds.auc.length}-fold CV)` : 'the hold-out rows';
}

/** The question the model answers, in a marketer's words. */
export function targetQuestion(kind: TargetKind, horizonDays: number, categoryName: string | null): string {
  if (kind === 'churn') return `Who will not buy anything in the next ${horizonDays} days?`;
  if (kind === 'buy-category') return `Who will buy from “${categoryName ?? 'the category'}” in the next ${horizonDays} days?`;
  return `Who will buy in the next ${horizonDays} days?`;
}

/** The backtest in one sentence, with its actual dates. */
export function backtestSentence(cutoff: number, horizonDays: number): string {
  const train = cutoff - horizonDays * DAY_MS;
  const end = cutoff + horizonDays * DAY_MS;
  return (
    `Backtest: the model learns from customers' history up to ${formatDay(train)} and who bought between ${formatDay(train)} and ${formatDay(cutoff)}, ` +
    `then predicts from history up to ${formatDay(cutoff)} who buys between ${formatDay(cutoff)} and ${formatDay(end)} — and is graded against what really happened.`
  );
}

export function runLabel(r: PropensityRunSummary): string {
  if (r.kind === 'table') {
    const at = new Date(r.createdAt).toISOString().slice(0, 16).replace('T', ' ');
    const auc = `AUC ${r.auc.toFixed(3)}${r.aucStd !== undefined ? ` ± ${r.aucStd.toFixed(3)}` : ''}`;
    return `${at} · ${r.target ?? 'table'} · ${r.validation ?? ''} · ${auc}${r.importedFrom ? ' · imported' : ''}`;
  }
  const what = r.kind === 'buy-category' ? `buy “${r.categoryName ?? '?'}”` : r.kind;
  const when = new Date(r.createdAt).toISOString().slice(0, 16).replace('T', ' ');
  return `${when} · ${what}, ${r.horizonDays} d · AUC ${r.auc.toFixed(3)}${r.importedFrom ? ` · imported` : ''}`;
}

/** "the top 10 % by score hold 38 % of buyers", from the first lift row. */
export function decileHeadline(r: AnyPropensityResult): string | null {
  const top = r.evaluation.lift[0];
  if (!top) return null;
  const share = Math.round((top.cumulativeCount / r.evaluation.n) * 100);
  return `The top ${share} % of customers by score hold ${Math.round(top.gain * 100)} % of the ${nounOf(r)} (${top.cumulativeLift.toFixed(1)}× the average rate).`;
}

/** Equal-width bins of scores over [0, 1] (the last bin closed). */
export function scoreBins(scores: ArrayLike<number>, bins = 20): { label: string; count: number }[] {
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i];
    if (!(v >= 0 && v <= 1)) continue;
    counts[Math.min(bins - 1, Math.floor(v * bins))]++;
  }
  return counts.map((count, b) => ({ label: `${(b / bins).toFixed(2)}–${((b + 1) / bins).toFixed(2)}`, count }));
}

export function formatProbability(p: number): string {
  return Number.isFinite(p) ? p.toFixed(3) : '—';
}
