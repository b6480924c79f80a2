// The per-customer explorer over a saved recommender run: a customer's history, their top-N with
// the reason ("because you bought X and Y" from item–item similarity), the answer for someone
// without history (segment or global popularity, labelled as such), similar items, and the
// top-N of every customer as a CSV. Plain typed-array work (a dot product per item), so it runs in
// the data worker without TensorFlow.js.

import type { Dictionaries } from '../data/schema';
import { toCsv } from '../data/csv-export';
import { selectTopK } from './evaluate';
import { itemKnnScorer } from './itemknn';
import { explain, reasonText } from './reasons';
import type { RecommendResult } from './run';

export type RecommendationSource = 'personal' | 'segment' | 'global';

export interface Recommendation {
  /** Dataset item index. */
  item: number;
  score: number;
  /** Dataset item indices of the history items that explain it (most first); empty for popularity. */
  because: number[];
}

export interface CustomerRecommendations {
  /** Dataset customer index, or null for "a new customer". */
  customer: number | null;
  source: RecommendationSource;
  /** Says where the list comes from, for people. */
  sourceLabel: string;
  /** Dataset item indices with interaction strength, strongest first. */
  history: { item: number; strength: number }[];
  items: Recommendation[];
}

function rowOfCustomer(r: RecommendResult): Map<number, number> {
  const map = new Map<number, number>();
  r.userIds.forEach((c, row) => map.set(c, row));
  return map;
}

const rowCache = new WeakMap<RecommendResult, Map<number, number>>();
function rowOf(r: RecommendResult, customer: number): number | undefined {
  let map = rowCache.get(r);
  if (!map) rowCache.set(r, (map = rowOfCustomer(r)));
  return map.get(customer);
}

/** Personal scores of one matrix row over every item (column space). */
async function personalScores(r: RecommendResult, row: number): Promise<Float32Array> {
  const f = r.factors;
  if (f) {
    const out = new Float32Array(f.items);
    const u = f.userFactors.subarray(row * f.factors, row * f.factors + f.factors);
    for (let i = 0; i < f.items; i++) {
      let s = 0;
      for (let j = 0; j < f.factors; j++) s += u[j] * f.itemFactors[i * f.factors + j];
      out[i] = s;
    }
    return out;
  }
  return itemKnnScorer(r.knn, r.history).scoreBatch(Uint32Array.of(row));
}

/** Per-item popularity among the users of `segment`, ties broken by global popularity. */
function segmentScores(r: RecommendResult, segment: number): Float32Array {
  const seg = r.segmentPopularity;
  const out = new Float32Array(r.history.cols);
  if (!seg) return out;
  const h = r.history;
  for (let u = 0; u < h.rows; u++) {
    if (seg.ofUser[u] !== segment) continue;
    for (let e = h.ptr[u]; e < h.ptr[u + 1]; e++) out[h.idx[e]]++;
  }
  const tie = 1 / (h.rows + 1);
  for (let i = 0; i < out.length; i++) out[i] += r.popularity[i] * tie;
  return out;
}

/**
 * Top-n for a dataset customer. A customer outside the matrix (no interactions) gets their
 * segment's favourites when `segment` is known and the run has per-segment popularity, else the
 * global favourites — and the label says which.
 */
export async function recommendForCustomer(r: RecommendResult, customer: number | null, n: number, segment: number | null = null): Promise<CustomerRecommendations> {
  const row = customer === null ? undefined : rowOf(r, customer);
  const h = r.history;
  if (row === undefined) {
    const useSegment = segment !== null && segment >= 0 && r.segmentPopularity !== null && segment < r.segmentPopularity.names.length;
    const scores = useSegment ? segmentScores(r, segment) : r.popularity;
    const top = selectTopK(scores, 0, h.cols, n);
    const segName = useSegment ? r.segmentPopularity?.names[segment] || `segment ${segment + 1}` : '';
    return {
      customer,
      source: useSegment ? 'segment' : 'global',
      sourceLabel: useSegment
        ? `No history: the most popular items in the “${segName}” segment`
        : 'No history: the most popular items overall',
      history: [],
      items: Array.from(top.items, (col, k) => ({ item: r.itemIds[col], score: top.scores[k], because: [] })),
    };
  }
  const start = h.ptr[row];
  const end = h.ptr[row + 1];
  const idx = h.idx.subarray(start, end);
  const val = h.val.subarray(start, end);
  const history = Array.from(idx, (col, e) => ({ item: r.itemIds[col], strength: val[e] })).sort((a, b) => b.strength - a.strength || a.item - b.item);
  const scores = await personalScores(r, row);
  const top = selectTopK(scores, 0, h.cols, n, idx);
  return {
    customer,
    source: 'personal',
    sourceLabel: r.factors ? `Personal: implicit ALS (${r.factors.factors} factors) on all of this customer’s history` : 'Personal: item-to-item similarity to this customer’s history',
    history,
    items: Array.from(top.items, (col, k) => ({
      item: r.itemIds[col],
      score: top.scores[k],
      because: explain(r.knn, { idx, val }, col, 2).map((x) => r.itemIds[x.item]),
    })),
  };
}

/** The items most similar to dataset item `item` (cosine with shrinkage), best first. */
export function similarItems(r: RecommendResult, item: number, n: number): { item: number; similarity: number }[] {
  const col = r.itemIds.indexOf(item);
  if (col < 0) return [];
  const K = r.knn.neighbours;
  const out: { item: number; similarity: number }[] = [];
  for (let t = 0; t < K && out.length < n; t++) {
    const j = r.knn.nbrIdx[col * K + t];
    if (j < 0) break;
    out.push({ item: r.itemIds[j], similarity: r.knn.nbrSim[col * K + t] });
  }
  return out;
}

export function itemLabel(d: Dictionaries, item: number): string {
  const name = d.itemNames[item];
  return name ? name : d.items[item];
}

export function reasonFor(d: Dictionaries, because: number[], verb: string): string {
  return reasonText(because.map((i) => itemLabel(d, i)), verb);
}

/** Every customer's top-n as CSV rows: customer_id, rank, item_id, item_name, score, reason. */
export async function recommendationsCsv(r: RecommendResult, d: Dictionaries, n: number, verb = 'bought'): Promise<string> {
  const rows: (string | number)[][] = [];
  for (const customer of r.userIds) {
    const recs = await recommendForCustomer(r, customer, n);
    recs.items.forEach((x, rank) => {
      rows.push([d.customers[customer], rank + 1, d.items[x.item], d.itemNames[x.item] ?? '', Number(x.score.toPrecision(6)), reasonFor(d, x.because, verb)]);
    });
  }
  return toCsv(['customer_id', 'rank', 'item_id', 'item_name', 'score', 'reason'], rows);
}
