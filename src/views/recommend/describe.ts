// Words and numbers for the Recommendations view: the protocol sentence, the comparison table's
// columns and which value is best in each, and a label for a saved run.

import type { RecommendResult, SplitSpec } from '../../lib/recommend/run';
import type { RecommendRunSummary } from '../../lib/recommend/runs';
import type { TopNMetrics } from '../../lib/recommend/metrics';
import { formatDay, formatInt } from '../format';

export interface MetricColumn {
  key: keyof TopNMetrics | 'rmse' | 'mae';
  label: string;
  /** Which way is better; 'none' for figures that describe rather than rank (mean popularity). */
  better: 'high' | 'low' | 'none';
  title: string;
}

export const METRIC_COLUMNS: MetricColumn[] = [
  { key: 'precision', label: 'Precision', better: 'high', title: 'Hits among the top k ÷ k' },
  { key: 'recall', label: 'Recall', better: 'high', title: 'Hits ÷ held-out items' },
  { key: 'ndcg', label: 'NDCG', better: 'high', title: 'Rank-discounted hits, 1 = every held-out item at the top' },
  { key: 'map', label: 'MAP', better: 'high', title: 'Mean average precision' },
  { key: 'hitRate', label: 'Hit rate', better: 'high', title: 'Share of customers with at least one hit' },
  { key: 'mrr', label: 'MRR', better: 'high', title: 'Mean of 1 ÷ rank of the first hit' },
  { key: 'coverage', label: 'Coverage', better: 'high', title: 'Share of the catalogue that appears in someone’s top k' },
  { key: 'meanPopularity', label: 'Mean popularity', better: 'none', title: 'Average number of customers of a recommended item (lower = less obvious)' },
  { key: 'rmse', label: 'RMSE', better: 'low', title: 'Root mean squared error of predicted ratings (explicit MF only)' },
  { key: 'mae', label: 'MAE', better: 'low', title: 'Mean absolute error of predicted ratings (explicit MF only)' },
];

/** Value of `col` for one algorithm at k (NaN when it does not exist). */
export function valueOf(r: RecommendResult, algo: number, col: MetricColumn, k: number): number {
  const a = r.comparison[algo];
  if (col.key === 'rmse' || col.key === 'mae') return a[col.key] ?? NaN;
  return a.metrics.find((m) => m.k === k)?.[col.key] ?? NaN;
}

/** Row index of the best value per column (null when the column has no ranking or no values). */
export function bestRows(values: number[][], columns: MetricColumn[]): (number | null)[] {
  return columns.map((col, c) => {
    if (col.better === 'none') return null;
    let best: number | null = null;
    values.forEach((row, r) => {
      const v = row[c];
      if (!Number.isFinite(v)) return;
      if (best === null || (col.better === 'high' ? v > values[best][c] : v < values[best][c])) best = r;
    });
    return best;
  });
}

export function splitText(s: SplitSpec): string {
  if (s.kind === 'user-random') return `a random ${Math.round(s.fraction * 100)} % of each customer’s items held out (seed ${s.seed}; customers with at least ${s.minItems ?? 4} items)`;
  if (s.kind === 'last') return `each customer’s last ${s.n} item${s.n === 1 ? '' : 's'} held out (by time)`;
  return `everything from ${formatDay(s.cutoff)} on held out (a global time cut)`;
}

/** One sentence saying how the figures were obtained. */
export function protocolSentence(r: RecommendResult): string {
  const evaluated = r.comparison[0]?.users ?? r.split.usersWithHeldOut;
  const excluded = r.comparison[0]?.excludedUsers ?? r.split.users - evaluated;
  return (
    `Split: ${splitText(r.params.split)}. Each model ranked every item a customer had not interacted with in training ` +
    `(full ranking, no sampled negatives) and the top ${r.params.headlineK} were compared with the held-out items; ` +
    `${formatInt(evaluated)} customers were evaluated, ${formatInt(excluded)} had no held-out items and were excluded. ` +
    `${formatInt(r.split.trainInteractions)} training and ${formatInt(r.split.testInteractions)} held-out interactions over ` +
    `${formatInt(r.split.items)} items${r.kind === 'explicit' ? '; ratings count as positives for the top-N figures' : ''}.`
  );
}

export function runLabel(s: RecommendRunSummary): string {
  const when = new Date(s.createdAt).toISOString().slice(0, 16).replace('T', ' ');
  const best = Object.entries(s.ndcg).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))[0];
  return `${when} · ${s.algorithms.join(', ')} · ${best ? `best NDCG@${s.k} ${(best[1] ?? 0).toFixed(3)}` : ''}${s.importedFrom ? ' · imported' : ''}`;
}

export function fmt(v: number, digits = 3): string {
  return Number.isFinite(v) ? v.toFixed(digits) : 'n/a';
}
