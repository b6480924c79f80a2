// When every customer orders (and returns), as one time-sorted list of compact entries, so lines
// can be streamed in time order without holding any line in memory: 15 bytes per order.

import { AliasSampler, Random, hashSeed } from '../random';
import { type Calendar, HOUR_WEIGHTS, dayAt } from './calendar';
import { LAPSED_SILENT_DAYS, NEW_WINDOW_DAYS, ONE_TIME_MIN_AGE_DAYS, SEGMENTS, SEGMENT_IDS } from './segments';

/** Entry index bits in a sort key: key = minute · 2^30 + entry. */
const ENTRY_BITS = 2 ** 30;

export interface Schedule {
  /** Sorted keys: minute since the calendar start · 2^30 + entry index. */
  keys: Float64Array;
  customer: Uint32Array;
  /** The order's ordinal among its customer's orders (chronological). */
  ordinal: Uint16Array;
  /** 1 when the entry is the return of one line of that order. */
  isReturn: Uint8Array;
  orders: number;
  returns: number;
}

export function entryOf(key: number): number {
  return key % ENTRY_BITS;
}
export function minuteOf(key: number): number {
  return Math.floor(key / ENTRY_BITS);
}

class Growable {
  keys = new Float64Array(1024);
  customer = new Uint32Array(1024);
  ordinal = new Uint16Array(1024);
  isReturn = new Uint8Array(1024);
  n = 0;
  push(minute: number, c: number, j: number, ret: number): void {
    if (this.n === this.keys.length) {
      const grow = <T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.keys = grow(this.keys, (n) => new Float64Array(n));
      this.customer = grow(this.customer, (n) => new Uint32Array(n));
      this.ordinal = grow(this.ordinal, (n) => new Uint16Array(n));
      this.isReturn = grow(this.isReturn, (n) => new Uint8Array(n));
    }
    if (this.n >= ENTRY_BITS) throw new RangeError('demo shop: too many orders for one generator');
    this.keys[this.n] = minute * ENTRY_BITS + this.n;
    this.customer[this.n] = c;
    this.ordinal[this.n] = j;
    this.isReturn[this.n] = ret;
    this.n++;
  }
}

/** First and last active day of a customer of segment s (inclusive). */
function activeWindow(s: number, days: number, rng: Random): [number, number] {
  const last = days - 1;
  switch (s) {
    case SEGMENT_IDS.new:
      return [days - NEW_WINDOW_DAYS, last];
    case SEGMENT_IDS.oneTime:
      // Only an old single order makes a one-time buyer: someone who bought once last month may
      // still come back (that is a new customer), so the order is at least ~6 months old.
      return [0, days - ONE_TIME_MIN_AGE_DAYS];
    case SEGMENT_IDS.lapsed: {
      const from = Math.floor(rng.next() * SEGMENTS[s].startMax * days);
      // Silent for at least LAPSED_SILENT_DAYS, plus up to two months, plus room for late returns.
      const cap = days - LAPSED_SILENT_DAYS - 25;
      const to = Math.min(cap, Math.max(from + 30, cap - rng.int(60)));
      return [Math.min(from, to), to];
    }
    default:
      return [Math.floor(rng.next() * SEGMENTS[s].startMax * days), last];
  }
}

export function buildSchedule(seed: number, cal: Calendar, segmentOf: Uint8Array): Schedule {
  const g = new Growable();
  const rng = new Random(0);
  const hours = new AliasSampler(HOUR_WEIGHTS);
  const endMinute = cal.days * 1440;
  let times = new Float64Array(64);
  for (let c = 0; c < segmentOf.length; c++) {
    const s = segmentOf[c];
    const spec = SEGMENTS[s];
    rng.reseed(hashSeed(seed, 21, c));
    const [from, to] = activeWindow(s, cal.days, rng);
    const n = Math.min(60000, spec.minOrders + rng.poisson(spec.extraOrders));
    if (times.length < n) times = new Float64Array(n * 2);
    for (let j = 0; j < n; j++) {
      // Stratified over the window (order j falls in the j-th n-th of its busy-day volume): a
      // customer keeps a rough rhythm instead of bunching orders by chance, so a regular buyer's
      // last order is recent and a lapsed one's gaps are like their active peers'. The calendar
      // weights still apply inside each stratum, so the shop stays seasonal.
      const day = dayAt(cal, from, to, (j + rng.next()) / n);
      times[j] = day * 1440 + hours.sample(rng) * 60 + rng.int(60);
    }
    const sorted = times.subarray(0, n).sort();
    for (let j = 0; j < n; j++) {
      g.push(sorted[j], c, j, 0);
      if (rng.next() < spec.returnRate) {
        // Returned 1–20 days later; a return after the export date is simply not in the file yet.
        const when = sorted[j] + 1440 * (1 + rng.int(20)) + rng.int(1440);
        if (when < endMinute) g.push(when, c, j, 1);
      }
    }
  }
  const keys = g.keys.slice(0, g.n).sort();
  let returns = 0;
  for (let e = 0; e < g.n; e++) returns += g.isReturn[e];
  return {
    keys,
    customer: g.customer.subarray(0, g.n),
    ordinal: g.ordinal.subarray(0, g.n),
    isReturn: g.isReturn.subarray(0, g.n),
    orders: g.n - returns,
    returns,
  };
}
