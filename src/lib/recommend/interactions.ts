// Stored events → one users × items interaction matrix, the input every recommender and every split
// shares. Implicit feedback sums weighted events into a strength; explicit feedback keeps the
// customer's latest rating of each item. Users and items are re-indexed densely (only those with at
// least one kept interaction), in ascending dataset index, so the same file always gives the same rows.

import { EVENT_TYPES, type Dictionaries, type EventChunk, type EventType } from '../data/schema';
import { csrFromTriples, type Csr } from './csr';

export interface Interactions {
  kind: 'implicit' | 'explicit';
  /** users × items; implicit: strength r_ui > 0; explicit: the rating. */
  matrix: Csr;
  /** Aligned with matrix.idx: latest time (ms) of the pair's events that count (weight > 0), NaN when unknown. */
  time: Float64Array;
  /** Row → dataset customer index (Dictionaries.customers). */
  userIds: Uint32Array;
  /** Column → dataset item index (Dictionaries.items). */
  itemIds: Uint32Array;
}

export interface InteractionOptions {
  /** 'auto' (default): explicit when the data holds rating events with a rating value. */
  kind?: 'auto' | 'implicit' | 'explicit';
  /** Implicit strength per event type; missing types take DEFAULT_EVENT_WEIGHTS. */
  eventWeights?: Partial<Record<EventType, number>>;
  /** Multiply each event's weight by |quantity| (when finite and > 0). Default false. */
  useQuantity?: boolean;
}

/**
 * Default implicit weights. A purchase is the signal we want to predict (1). A cart add is a strong
 * but uncommitted intent (0.5); a view is cheap and noisy, so it takes ten views to count as one
 * purchase (0.1) — roughly the view→purchase conversion ratios reported for e-commerce logs. A return
 * adds no interest (0) but does not erase the purchase: the customer still chose the item. A rating,
 * read as implicit feedback, is a positive (1): the MovieLens top-N protocol treats every rating so.
 */
export const DEFAULT_EVENT_WEIGHTS: Readonly<Record<EventType, number>> = {
  purchase: 1,
  return: 0,
  view: 0.1,
  cart: 0.5,
  rating: 1,
};

const RATING = EVENT_TYPES.indexOf('rating');

/** A growable column of numbers (doubling typed array). */
class Column<T extends Float64Array | Uint32Array> {
  length = 0;
  constructor(public data: T) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new (this.data.constructor as new (n: number) => T)(Math.max(1024, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

function resolveWeights(weights: Partial<Record<EventType, number>> | undefined): Float64Array {
  const w = new Float64Array(EVENT_TYPES.length);
  EVENT_TYPES.forEach((t, i) => {
    const v = weights?.[t] ?? DEFAULT_EVENT_WEIGHTS[t];
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`buildInteractions: weight of "${t}" must be a finite number ≥ 0, got ${v}`);
    w[i] = v;
  });
  return w;
}

/** Dense 0..n-1 ids for the values present (flagged), in ascending original order. */
function denseIndex(present: Uint8Array): { map: Int32Array; ids: Uint32Array } {
  const map = new Int32Array(present.length).fill(-1);
  let n = 0;
  for (let i = 0; i < present.length; i++) if (present[i]) map[i] = n++;
  const ids = new Uint32Array(n);
  for (let i = 0; i < present.length; i++) if (map[i] >= 0) ids[map[i]] = i;
  return { map, ids };
}

/**
 * Builds the interaction matrix from event chunks (stored or streamed).
 * Implicit: r_ui = Σ weight(type) × (useQuantity ? |quantity| : 1) over the pair's events; pairs
 * whose strength is 0 are dropped. Explicit: only rating events with a finite rating; a re-rating
 * replaces the earlier one (latest time wins; equal times, the later event in the file).
 */
export async function buildInteractions(
  chunks: AsyncIterable<EventChunk> | EventChunk[],
  dictionaries: Dictionaries,
  opts: InteractionOptions = {},
): Promise<Interactions> {
  const weights = resolveWeights(opts.eventWeights);
  const useQuantity = opts.useQuantity ?? false;
  const nCustomers = dictionaries.customers.length;
  const nItems = dictionaries.items.length;
  const cust = new Column(new Uint32Array(1024));
  const item = new Column(new Uint32Array(1024));
  const value = new Column(new Float64Array(1024));
  const time = new Column(new Float64Array(1024));
  const type = new Column(new Uint32Array(1024));
  let ratings = 0;
  for await (const ch of chunks) {
    for (let r = 0; r < ch.rows; r++) {
      const t = ch.eventType[r];
      const rating = ch.rating[r];
      if (t === RATING && Number.isFinite(rating)) ratings++;
      cust.push(ch.customer[r]);
      item.push(ch.item[r]);
      time.push(ch.time[r]);
      type.push(t);
      value.push(t === RATING ? rating : ch.quantity[r]);
    }
  }
  const kind = opts.kind === undefined || opts.kind === 'auto' ? (ratings > 0 ? 'explicit' : 'implicit') : opts.kind;

  // Which events are kept, and what each contributes.
  const n = cust.length;
  const keep = new Uint8Array(n);
  const contrib = new Float64Array(n);
  const c = cust.view();
  const it = item.view();
  const ty = type.view();
  const va = value.view();
  const ti = time.view();
  for (let e = 0; e < n; e++) {
    if (kind === 'explicit') {
      if (ty[e] === RATING && Number.isFinite(va[e])) {
        keep[e] = 1;
        contrib[e] = va[e];
      }
    } else {
      let w = weights[ty[e]];
      if (useQuantity && ty[e] !== RATING) {
        const q = Math.abs(va[e]);
        if (Number.isFinite(q) && q > 0) w *= q;
      }
      if (w > 0) {
        keep[e] = 1;
        contrib[e] = w;
      }
    }
  }

  const userPresent = new Uint8Array(nCustomers);
  const itemPresent = new Uint8Array(nItems);
  for (let e = 0; e < n; e++) {
    if (!keep[e]) continue;
    if (c[e] >= nCustomers || it[e] >= nItems) throw new RangeError(`buildInteractions: event ${e} refers to customer ${c[e]} / item ${it[e]} outside the dictionaries`);
    userPresent[c[e]] = 1;
    itemPresent[it[e]] = 1;
  }
  const users = denseIndex(userPresent);
  const items = denseIndex(itemPresent);

  // Explicit 'last' must mean latest in time: feed the ratings in (time, file order) order.
  const order: number[] = [];
  for (let e = 0; e < n; e++) if (keep[e]) order.push(e);
  if (kind === 'explicit') {
    const key = (e: number) => (Number.isNaN(ti[e]) ? -Infinity : ti[e]);
    order.sort((a, b) => key(a) - key(b) || a - b);
  }
  const m = order.length;
  const rr = new Uint32Array(m);
  const cc = new Uint32Array(m);
  const vv = new Float64Array(m);
  order.forEach((e, j) => {
    rr[j] = users.map[c[e]];
    cc[j] = items.map[it[e]];
    vv[j] = contrib[e];
  });
  const matrix = csrFromTriples(users.ids.length, items.ids.length, rr, cc, vv, kind === 'explicit' ? 'last' : 'sum');

  // Latest time per pair: float64 beside the matrix (float32 cannot hold epoch milliseconds).
  const pairTime = new Float64Array(matrix.idx.length).fill(NaN);
  for (let j = 0; j < m; j++) {
    const at = findEntry(matrix, rr[j], cc[j]);
    const t = ti[order[j]];
    if (!Number.isNaN(t) && !(pairTime[at] >= t)) pairTime[at] = t;
  }
  return { kind, matrix, time: pairTime, userIds: users.ids, itemIds: items.ids };
}

/** Position of (row, col) in m.idx, or -1 (binary search: columns ascend within a row). */
export function findEntry(m: Csr, row: number, col: number): number {
  let lo = m.ptr[row];
  let hi = m.ptr[row + 1];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (m.idx[mid] < col) lo = mid + 1;
    else hi = mid;
  }
  return lo < m.ptr[row + 1] && m.idx[lo] === col ? lo : -1;
}
