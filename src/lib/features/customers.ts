// One row of behaviour features per customer as of a reference time, accumulated chunk by chunk
// with typed arrays only (no object per event), so a million events cost one pass and a sort.
//
// Definitions (all computed from events at or before referenceTime; later events are ignored):
// - "Buying events" are purchase events. A dataset with no purchase event at all (MovieLens: every
//   event is a rating) uses its rating events instead, so ratings count as the interactions.
// - When the dataset has timed events, events without a time are ignored (they cannot be placed
//   before or after the reference). When no buying event has a time, the time features
//   (recency, tenure, meanDaysBetween) are omitted instead.
// - Money features (monetary, aov) and the category shares are omitted when no buying event has
//   an amount; returnRate is omitted in rating mode (a rating cannot be returned).
// - Distinct orders are distinct order indices. The importer gives each order id (or each
//   customer+day when the file has none) its own index, so an order belongs to one customer.

import { type Dictionaries, type EventChunk, EVENT_TYPES } from '../data/schema';

export interface FeatureInfo {
  key: string;
  label: string;
  unit: 'days' | 'count' | 'money' | 'ratio' | 'share';
  description: string;
}

export interface CustomerFeatures {
  /** ms since epoch. */
  referenceTime: number;
  /** Customer indices (rows): those with ≥ 1 buying event at or before referenceTime. */
  customers: Uint32Array;
  /** Columns. */
  features: FeatureInfo[];
  /** Row-major n × d, never NaN. */
  values: Float64Array;
  n: number;
  d: number;
}

const PURCHASE = EVENT_TYPES.indexOf('purchase');
const RETURN = EVENT_TYPES.indexOf('return');
const RATING = EVENT_TYPES.indexOf('rating');
const DAY_MS = 86_400_000;
/** Day numbers fit in 2^17 until the year 2328, so customer × 2^17 + day is an exact double key. */
const DAY_SPAN = 131_072;
/** Above this many customer × category cells, category spend lives in a sparse Map. */
const DENSE_CATEGORY_CELLS = 4_000_000;

/** A Float64Array that grows by doubling. */
class KeyBuffer {
  data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
  /** The keys sorted ascending (typed-array sort is numeric). */
  sorted(): Float64Array {
    return this.data.subarray(0, this.length).sort();
  }
}

/** Per-customer tallies of one kind of buying event (purchases, or ratings as a fallback). */
class Tally {
  any = false;
  anyAmount = false;
  anyTime = false;
  readonly lines: Uint32Array;
  readonly orders: Uint32Array;
  readonly first: Float64Array;
  readonly last: Float64Array;
  readonly spend: Float64Array;
  private readonly orderSeen: Uint8Array;
  /** customer × DAY_SPAN + day of each newly seen order (deduplicated at the end). */
  readonly dayKeys = new KeyBuffer();
  /** customer × items + item, skipping a repeat of the customer's previous item. */
  readonly itemKeys = new KeyBuffer();
  private readonly lastItem: Int32Array;
  /** Gross purchase spend per customer × category (dense or sparse). */
  readonly catDense: Float64Array | null;
  readonly catSparse: Map<number, number> | null;
  readonly categoryRevenue: Float64Array;

  constructor(
    readonly nCustomers: number,
    nOrders: number,
    readonly nItems: number,
    readonly nCategories: number,
  ) {
    this.lines = new Uint32Array(nCustomers);
    this.orders = new Uint32Array(nCustomers);
    this.first = new Float64Array(nCustomers).fill(Infinity);
    this.last = new Float64Array(nCustomers).fill(-Infinity);
    this.spend = new Float64Array(nCustomers);
    this.orderSeen = new Uint8Array(nOrders);
    this.lastItem = new Int32Array(nCustomers).fill(-1);
    const cells = nCustomers * nCategories;
    this.catDense = cells <= DENSE_CATEGORY_CELLS ? new Float64Array(cells) : null;
    this.catSparse = this.catDense ? null : new Map();
    this.categoryRevenue = new Float64Array(nCategories);
  }

  add(c: number, o: number, i: number, t: number, a: number, category: number): void {
    this.any = true;
    this.lines[c]++;
    const timed = t === t;
    if (timed) {
      this.anyTime = true;
      if (t < this.first[c]) this.first[c] = t;
      if (t > this.last[c]) this.last[c] = t;
    }
    if (this.orderSeen[o] === 0) {
      this.orderSeen[o] = 1;
      this.orders[c]++;
      if (timed) this.dayKeys.push(c * DAY_SPAN + Math.floor(t / DAY_MS));
    }
    // Lines of one order are adjacent, so most repeats of an item are caught here for free.
    if (this.lastItem[c] !== i) {
      this.lastItem[c] = i;
      this.itemKeys.push(c * this.nItems + i);
    }
    if (a === a) {
      this.anyAmount = true;
      this.spend[c] += a;
      if (category >= 0) {
        this.categoryRevenue[category] += a;
        const cell = c * this.nCategories + category;
        if (this.catDense) this.catDense[cell] += a;
        else if (this.catSparse) this.catSparse.set(cell, (this.catSparse.get(cell) ?? 0) + a);
      }
    }
  }

  categorySpend(c: number, category: number): number {
    const cell = c * this.nCategories + category;
    return this.catDense ? this.catDense[cell] : (this.catSparse?.get(cell) ?? 0);
  }
}

const INFO: Record<string, FeatureInfo> = {
  recency: { key: 'recency', label: 'Recency', unit: 'days', description: 'Days from the last buying event to the reference time.' },
  frequency: { key: 'frequency', label: 'Frequency', unit: 'count', description: 'Distinct orders (distinct order ids among buying events; customer-days when the file has no order ids).' },
  monetary: { key: 'monetary', label: 'Monetary', unit: 'money', description: 'Net spend: purchase amounts minus returned amounts.' },
  aov: { key: 'aov', label: 'Average order value', unit: 'money', description: 'Monetary ÷ frequency.' },
  tenure: { key: 'tenure', label: 'Tenure', unit: 'days', description: 'Days from the first buying event to the reference time.' },
  meanDaysBetween: {
    key: 'meanDaysBetween',
    label: 'Mean days between orders',
    unit: 'days',
    description: 'Mean gap between distinct order days = (last − first buying time) ÷ (distinct order days − 1); for customers who bought on one day only, their tenure (the gap so far without a repeat).',
  },
  distinctItems: { key: 'distinctItems', label: 'Distinct items', unit: 'count', description: 'Distinct items bought.' },
  distinctCategories: { key: 'distinctCategories', label: 'Distinct categories', unit: 'count', description: 'Distinct categories of the items bought.' },
  returnRate: { key: 'returnRate', label: 'Return rate', unit: 'ratio', description: 'Returned lines ÷ purchased lines (by line count, not amount; can exceed 1 when returns outnumber purchases).' },
};

/** The tallies of one population of events: timed ones, or (in files without time) untimed ones. */
class Side {
  readonly purchases: Tally;
  /** Created on the first rating event: used only when the data has no purchases at all. */
  ratings: Tally | null = null;
  readonly returnLines: Uint32Array;
  readonly returnAmount: Float64Array;

  constructor(
    private readonly sizes: { customers: number; orders: number; items: number; categories: number },
    private readonly itemCategory: Int32Array,
  ) {
    this.purchases = new Tally(sizes.customers, sizes.orders, sizes.items, sizes.categories);
    this.returnLines = new Uint32Array(sizes.customers);
    this.returnAmount = new Float64Array(sizes.customers);
  }

  add(c: number, o: number, i: number, t: number, a: number, type: number): void {
    if (type === PURCHASE) this.purchases.add(c, o, i, t, a, this.itemCategory[i] ?? -1);
    else if (type === RETURN) {
      this.returnLines[c]++;
      if (a === a) this.returnAmount[c] += Math.abs(a);
    } else {
      this.ratings ??= new Tally(this.sizes.customers, this.sizes.orders, this.sizes.items, 0);
      this.ratings.add(c, o, i, t, NaN, -1);
    }
  }
}

export class CustomerFeatureAccumulator {
  private readonly referenceTime: number;
  private readonly topCategories: number;
  private readonly shareCategories: readonly string[] | null;
  private readonly sizes: { customers: number; orders: number; items: number; categories: number };
  private readonly itemCategory: Int32Array;
  private timed: Side | null = null;
  /** Events without a time; used only when no event has one (e.g. one-basket-per-line files). */
  private untimed: Side | null = null;

  constructor(
    private readonly dictionaries: Dictionaries,
    options: {
      referenceTime: number;
      topCategories?: number;
      /**
       * Share columns for exactly these category names, in this order (0 where the data has no such
       * category), instead of the top categories by revenue: a model fitted on one set of customers
       * then finds its columns at another cutoff or in a later export.
       */
      shareCategories?: readonly string[];
    },
  ) {
    const { referenceTime, topCategories = 5 } = options;
    this.shareCategories = options.shareCategories ?? null;
    if (!Number.isFinite(referenceTime)) throw new RangeError(`CustomerFeatureAccumulator: referenceTime must be a finite time in ms, got ${referenceTime}`);
    if (!Number.isInteger(topCategories) || topCategories < 0) throw new RangeError(`CustomerFeatureAccumulator: topCategories must be an integer ≥ 0, got ${topCategories}`);
    this.referenceTime = referenceTime;
    this.topCategories = topCategories;
    this.sizes = {
      customers: dictionaries.customers.length,
      orders: dictionaries.orders.length,
      items: dictionaries.items.length,
      categories: dictionaries.categories.length,
    };
    this.itemCategory = dictionaries.itemCategory;
  }

  add(chunk: EventChunk): void {
    const { customer, order, item, time, amount, eventType, rows } = chunk;
    const ref = this.referenceTime;
    const { customers: nc, orders: no, items: ni } = this.sizes;
    for (let r = 0; r < rows; r++) {
      const type = eventType[r];
      if (type !== PURCHASE && type !== RETURN && type !== RATING) continue;
      const c = customer[r];
      const o = order[r];
      const i = item[r];
      if (c >= nc || o >= no || i >= ni) {
        throw new RangeError(`CustomerFeatureAccumulator: event ${r} of chunk ${chunk.index} has customer ${c} / order ${o} / item ${i} beyond the dictionaries`);
      }
      const t = time[r];
      if (t !== t) {
        if (this.timed === null) (this.untimed ??= new Side(this.sizes, this.itemCategory)).add(c, o, i, t, amount[r], type);
        continue;
      }
      if (t > ref) continue;
      if (this.timed === null) {
        this.timed = new Side(this.sizes, this.itemCategory);
        this.untimed = null; // the data has time: untimed events are ignored
      }
      this.timed.add(c, o, i, t, amount[r], type);
    }
  }

  result(): CustomerFeatures {
    const side = this.timed ?? this.untimed ?? new Side(this.sizes, this.itemCategory);
    const ratingMode = !side.purchases.any && side.ratings !== null;
    const tally = ratingMode && side.ratings ? side.ratings : side.purchases;
    const hasTime = tally.anyTime;
    const hasMoney = tally.anyAmount;
    const hasCategories = this.dictionaries.categories.length > 0 && !ratingMode;

    const rows: number[] = [];
    for (let c = 0; c < this.sizes.customers; c++) if (tally.lines[c] > 0) rows.push(c);
    const customers = Uint32Array.from(rows);
    const rowOf = new Int32Array(this.sizes.customers).fill(-1);
    customers.forEach((c, k) => (rowOf[c] = k));
    const n = customers.length;

    // Distinct order days and distinct items / categories per customer from the sorted keys.
    const days = new Uint32Array(n);
    let prev = -1;
    for (const key of tally.dayKeys.sorted()) {
      if (key !== prev) days[rowOf[Math.floor(key / DAY_SPAN)]]++;
      prev = key;
    }
    const items = new Uint32Array(n);
    const cats = new Uint32Array(n);
    const catStamp = new Int32Array(this.dictionaries.categories.length).fill(-1);
    prev = -1;
    for (const key of tally.itemKeys.sorted()) {
      if (key === prev) continue;
      prev = key;
      const c = Math.floor(key / this.sizes.items);
      const k = rowOf[c];
      items[k]++;
      const cat = this.itemCategory[key - c * this.sizes.items] ?? -1;
      if (cat >= 0 && catStamp[cat] !== c) {
        catStamp[cat] = c;
        cats[k]++;
      }
    }

    const named = this.shareCategories;
    // -1: a named category this dataset does not have (its share is 0 for everyone).
    const top = named ? named.map((name) => this.dictionaries.categories.indexOf(name)) : hasCategories && hasMoney ? this.topCategoryIndices(tally) : [];
    const keys = [
      ...(hasTime ? ['recency'] : []),
      'frequency',
      ...(hasMoney ? ['monetary', 'aov'] : []),
      ...(hasTime ? ['tenure', 'meanDaysBetween'] : []),
      'distinctItems',
      ...(hasCategories ? ['distinctCategories'] : []),
      ...(ratingMode ? [] : ['returnRate']),
    ];
    const features: FeatureInfo[] = keys.map((k) => ({ ...INFO[k] }));
    for (let t = 0; t < top.length; t++) {
      const name = named ? named[t] : this.dictionaries.categories[top[t]];
      features.push({
        key: `share:${name}`,
        label: `Share: ${name}`,
        unit: 'share',
        description: `Share of the customer's gross purchase spend (returns excluded, so shares lie in [0, 1]) in category "${name}"${named ? '' : `, one of the ${top.length} categories with the most revenue`}.`,
      });
    }

    const d = features.length;
    const values = new Float64Array(n * d);
    const ref = this.referenceTime;
    for (let k = 0; k < n; k++) {
      const c = customers[k];
      const freq = tally.orders[c];
      const monetary = tally.spend[c] - side.returnAmount[c];
      const tenure = (ref - tally.first[c]) / DAY_MS;
      const span = (tally.last[c] - tally.first[c]) / DAY_MS;
      const row: Record<string, number> = {
        recency: (ref - tally.last[c]) / DAY_MS,
        frequency: freq,
        monetary,
        aov: freq > 0 ? monetary / freq : 0,
        tenure,
        meanDaysBetween: days[k] >= 2 ? span / (days[k] - 1) : tenure,
        distinctItems: items[k],
        distinctCategories: cats[k],
        returnRate: tally.lines[c] > 0 ? side.returnLines[c] / tally.lines[c] : 0,
      };
      const base = k * d;
      for (let j = 0; j < keys.length; j++) values[base + j] = row[keys[j]];
      const gross = tally.spend[c];
      for (let j = 0; j < top.length; j++) values[base + keys.length + j] = gross > 0 && top[j] >= 0 ? Math.max(0, tally.categorySpend(c, top[j])) / gross : 0;
    }
    return { referenceTime: ref, customers, features, values, n, d };
  }

  private topCategoryIndices(tally: Tally): number[] {
    const idx = Array.from({ length: tally.nCategories }, (_, j) => j).filter((j) => tally.categoryRevenue[j] > 0);
    idx.sort((a, b) => tally.categoryRevenue[b] - tally.categoryRevenue[a] || a - b);
    return idx.slice(0, this.topCategories);
  }
}

/** Convenience: the column index of a feature key, or -1. */
export function featureIndex(f: CustomerFeatures, key: string): number {
  return f.features.findIndex((x) => x.key === key);
}

/** One feature column as a new Float64Array. */
export function featureColumn(f: CustomerFeatures, key: string): Float64Array {
  const j = featureIndex(f, key);
  if (j < 0) throw new Error(`unknown feature "${key}" (have: ${f.features.map((x) => x.key).join(', ')})`);
  const out = new Float64Array(f.n);
  for (let k = 0; k < f.n; k++) out[k] = f.values[k * f.d + j];
  return out;
}
