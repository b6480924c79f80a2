// How recommender runs are kept in the store's results: a list of summaries, and each run whole.

import type { AlgoId, RecommendResult } from './run';

export interface RecommendRunSummary {
  id: string;
  createdAt: number;
  kind: 'implicit' | 'explicit';
  algorithms: AlgoId[];
  k: number;
  /** NDCG at k per algorithm. */
  ndcg: Partial<Record<AlgoId, number>>;
  users: number;
  items: number;
  backend: string;
  seconds: number;
  importedFrom?: string;
}

export const RECOMMEND_RUNS = 'recommend-runs';

export function recommendKind(id: string): string {
  return `recommend:${id}`;
}

export function summariseRecommend(r: RecommendResult, importedFrom?: string): RecommendRunSummary {
  const k = r.params.headlineK;
  const ndcg: Partial<Record<AlgoId, number>> = {};
  for (const a of r.comparison) ndcg[a.algo] = a.metrics.find((m) => m.k === k)?.ndcg ?? NaN;
  return {
    id: `${r.createdAt}`,
    createdAt: r.createdAt,
    kind: r.kind,
    algorithms: r.params.algorithms,
    k,
    ndcg,
    users: r.split.users,
    items: r.split.items,
    backend: r.backend,
    seconds: r.seconds,
    ...(importedFrom ? { importedFrom } : {}),
  };
}
