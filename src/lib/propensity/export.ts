// The target list a marketer sends: the highest-scored customers, best first, as spreadsheet-safe
// CSV (toCsv quotes and defuses any cell that would run as a formula — customer ids and segment
// names come from the user's file and are untrusted).

import { toCsv } from '../data/csv-export';
import type { Dictionaries } from '../data/schema';
import type { PropensityResult } from './run';

export const TARGET_LIST_HEADER = ['customer_id', 'rank', 'score', 'decile', 'segment'];

/** Row indices of `scores`, highest score first; ties keep the scored order (stable). */
export function rankByScore(scores: ArrayLike<number>): Uint32Array {
  const order = Uint32Array.from({ length: scores.length }, (_, i) => i);
  return order.sort((a, b) => scores[b] - scores[a] || a - b);
}

/**
 * The top `count` customers of the deployed model's scores (clamped to 0…all), one line each:
 * id, rank (1 = best), score (6 decimals), decile (1 = top tenth), segment name (empty without a
 * segmentation; "#k" when the segment has no name).
 */
export function targetListCsv(result: Pick<PropensityResult, 'scored'>, dictionaries: Dictionaries, count: number, segmentNames: string[] | null): string {
  const { customers, scores, decile, segment } = result.scored;
  if (!(count >= 0)) throw new RangeError(`The number of customers to export must be ≥ 0, got ${count}.`);
  const m = Math.min(customers.length, Math.floor(count));
  const order = rankByScore(scores).subarray(0, m);
  const rows = Array.from(order, (row, rank) => {
    const c = customers[row];
    const s = segment[row];
    const segmentName = !segmentNames || s < 0 ? '' : segmentNames[s] || `#${s + 1}`;
    return [dictionaries.customers[c] ?? String(c), rank + 1, Math.round(scores[row] * 1e6) / 1e6, decile[row], segmentName];
  });
  return toCsv(TARGET_LIST_HEADER, rows);
}
