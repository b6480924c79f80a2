// Popularity baselines: the bar every personalised model must clear, and the cold-start answer for
// a customer with no history. Popularity = number of train users who interacted with the item.

import type { Csr } from './csr';
import { columnCounts, type ScoreModel } from './evaluate';

export interface PopularityModel extends ScoreModel {
  /** Users per item in train. */
  popularity: Float32Array;
}

/** Same scores for every user: the item's train popularity. */
export function popularityModel(train: Csr): PopularityModel {
  const popularity = columnCounts(train);
  return {
    items: train.cols,
    popularity,
    async scoreBatch(users) {
      const out = new Float32Array(users.length * train.cols);
      for (let b = 0; b < users.length; b++) out.set(popularity, b * train.cols);
      return out;
    },
  };
}

export interface SegmentPopularityModel extends ScoreModel {
  segments: number;
  /** segments × items: users of the segment per item. */
  segmentCounts: Float32Array;
  /** Scores for a segment (or -1 = global), for customers not in the matrix. */
  scoresFor(segment: number): Float32Array;
}

/**
 * Popularity within the user's segment (segmentOf[row], -1 = none → global popularity). Within a
 * segment, ties are broken by global popularity: score = segment count + global ÷ (users + 1), and
 * the second term is always < 1, so it never overturns a segment count.
 */
export function segmentPopularityModel(train: Csr, segmentOf: Int32Array): SegmentPopularityModel {
  if (segmentOf.length !== train.rows) throw new RangeError(`segmentPopularityModel: ${segmentOf.length} segment labels for ${train.rows} users`);
  let segments = 0;
  for (const s of segmentOf) if (s + 1 > segments) segments = s + 1;
  const items = train.cols;
  const global = columnCounts(train);
  const counts = new Float32Array(segments * items);
  for (let u = 0; u < train.rows; u++) {
    const s = segmentOf[u];
    if (s < 0) continue;
    for (let e = train.ptr[u]; e < train.ptr[u + 1]; e++) counts[s * items + train.idx[e]]++;
  }
  const tieScale = 1 / (train.rows + 1);
  const rows: Float32Array[] = [];
  for (let s = 0; s < segments; s++) {
    const row = new Float32Array(items);
    for (let j = 0; j < items; j++) row[j] = counts[s * items + j] + global[j] * tieScale;
    rows.push(row);
  }
  const scoresFor = (segment: number): Float32Array => (segment >= 0 && segment < segments ? rows[segment] : global);
  return {
    items,
    segments,
    segmentCounts: counts,
    scoresFor,
    async scoreBatch(users) {
      const out = new Float32Array(users.length * items);
      users.forEach((u, b) => out.set(scoresFor(segmentOf[u]), b * items));
      return out;
    },
  };
}
