// The Overview page's numbers, accumulated chunk by chunk over stored events with typed arrays
// only (no object per event), so a million events cost one pass and a few MB.

import { type Dictionaries, type EventChunk, EVENT_TYPES } from '../data/schema';

export interface Overview {
  /** Distinct customers / purchase orders / items among the events. */
  customers: number;
  orders: number;
  items: number;
  /** Net revenue: purchases plus returns (which are negative). */
  revenue: number;
  firstTime: number | null;
  lastTime: number | null;
  /** Customers with ≥ 2 distinct orders ÷ customers with ≥ 1 order (0 when nobody ordered). */
  repeatCustomerRate: number;
  /** Contiguous UTC months from the first to the last timed event, zero-filled. */
  revenueByMonth: { month: string; revenue: number; orders: number; events: number }[];
  /** Customers with ≥ 1 order, by their number of distinct orders. */
  ordersPerCustomer: { label: string; from: number; to: number; customers: number }[];
  /** Top 10 items by net revenue, or by event count when the data has no revenue. */
  topItems: { item: number; id: string; name: string; revenue: number; quantity: number; orders: number; events: number }[];
  hasRevenue: boolean;
  hasTime: boolean;
}

const PURCHASE = EVENT_TYPES.indexOf('purchase');
const RETURN = EVENT_TYPES.indexOf('return');
const TOP_ITEMS = 10;

export const ORDER_BINS: readonly { label: string; from: number; to: number }[] = [
  { label: '1', from: 1, to: 1 },
  { label: '2', from: 2, to: 2 },
  { label: '3', from: 3, to: 3 },
  { label: '4', from: 4, to: 4 },
  { label: '5', from: 5, to: 5 },
  { label: '6–10', from: 6, to: 10 },
  { label: '11–20', from: 11, to: 20 },
  { label: '21+', from: 21, to: Infinity },
];

const DAY_MS = 86_400_000;

/** Months since 1970-01 (UTC) of a time in ms, by Hinnant's civil-from-days (no Date object). */
export function monthIndex(ms: number): number {
  const z = Math.floor(ms / DAY_MS) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9; // 1..12
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return (year - 1970) * 12 + (month - 1);
}

/** 'YYYY-MM' of a month index from monthIndex. */
export function monthLabel(index: number): string {
  const year = 1970 + Math.floor(index / 12);
  const month = index - (year - 1970) * 12 + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** A Float64Array indexed by month that grows to whatever range the data covers. */
class MonthSeries {
  base = 0;
  values = new Float64Array(0);
  add(month: number, value: number): void {
    if (this.values.length === 0) {
      this.base = month;
      this.values = new Float64Array(16);
    }
    let at = month - this.base;
    if (at < 0 || at >= this.values.length) {
      const lo = Math.min(this.base, month);
      const hi = Math.max(this.base + this.values.length, month + 1);
      const grown = new Float64Array(Math.max(hi - lo, this.values.length * 2));
      grown.set(this.values, this.base - lo);
      this.values = grown;
      this.base = lo;
      at = month - lo;
    }
    this.values[at] += value;
  }
  get(month: number): number {
    const at = month - this.base;
    return at >= 0 && at < this.values.length ? this.values[at] : 0;
  }
}

export class OverviewAccumulator {
  private nCustomers: number;
  private nOrders: number;
  private nItems: number;
  private customerSeen: Uint8Array;
  private customerOrders: Uint32Array;
  /** Which customer's order an order index was first seen as (order dedup). */
  private orderSeen: Uint8Array;
  private itemEvents: Uint32Array;
  private itemRevenue: Float64Array;
  private itemQuantity: Float64Array;
  private itemOrders: Uint32Array;
  /** Last order an item's purchase was counted in, so a repeated line in one order counts once. */
  private itemLastOrder: Int32Array;
  private readonly growable: boolean;
  private readonly monthRevenue = new MonthSeries();
  private readonly monthOrders = new MonthSeries();
  private readonly monthEvents = new MonthSeries();
  private revenue = 0;
  private orders = 0;
  private hasRevenue = false;
  private firstTime = Infinity;
  private lastTime = -Infinity;
  private lastDay = NaN;
  private lastMonth = 0;

  /**
   * With `growable`, the sizes are only a first capacity and grow with the indices seen, so the
   * importer can aggregate chunks as it makes them, before the dictionaries' sizes are known.
   */
  constructor(sizes: { customers: number; orders: number; items: number }, options: { growable?: boolean } = {}) {
    this.growable = options.growable ?? false;
    for (const key of ['customers', 'orders', 'items'] as const) {
      const v = sizes[key];
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`OverviewAccumulator: sizes.${key} must be an integer ≥ 0, got ${v}`);
    }
    this.nCustomers = sizes.customers;
    this.nOrders = sizes.orders;
    this.nItems = sizes.items;
    this.customerSeen = new Uint8Array(sizes.customers);
    this.customerOrders = new Uint32Array(sizes.customers);
    this.orderSeen = new Uint8Array(sizes.orders);
    this.itemEvents = new Uint32Array(sizes.items);
    this.itemRevenue = new Float64Array(sizes.items);
    this.itemQuantity = new Float64Array(sizes.items);
    this.itemOrders = new Uint32Array(sizes.items);
    this.itemLastOrder = new Int32Array(sizes.items).fill(-1);
  }

  add(chunk: EventChunk): void {
    const { customer, order, item, time, quantity, amount, eventType, rows } = chunk;
    if (this.growable) this.reserve(maxOf(customer, rows) + 1, maxOf(order, rows) + 1, maxOf(item, rows) + 1);
    for (let r = 0; r < rows; r++) {
      const c = customer[r];
      const i = item[r];
      if (c >= this.nCustomers || i >= this.nItems) {
        throw new RangeError(`OverviewAccumulator: event ${r} of chunk ${chunk.index} has customer ${c} / item ${i} beyond the sizes given`);
      }
      this.customerSeen[c] = 1;
      this.itemEvents[i]++;
      const t = time[r];
      const timed = t === t; // not NaN
      let month = 0;
      if (timed) {
        if (t < this.firstTime) this.firstTime = t;
        if (t > this.lastTime) this.lastTime = t;
        // Consecutive events usually share a day: reuse its month.
        const day = Math.floor(t / DAY_MS);
        if (day !== this.lastDay) {
          this.lastDay = day;
          this.lastMonth = monthIndex(t);
        }
        month = this.lastMonth;
        this.monthEvents.add(month, 1);
      }
      const type = eventType[r];
      if (type !== PURCHASE && type !== RETURN) continue;
      const a = amount[r];
      if (a === a) {
        // Returns subtract whatever sign the source gave them.
        const net = type === RETURN ? -Math.abs(a) : a;
        this.hasRevenue = true;
        this.revenue += net;
        this.itemRevenue[i] += net;
        if (timed) this.monthRevenue.add(month, net);
      }
      const q = quantity[r];
      if (q === q) this.itemQuantity[i] += type === RETURN ? -Math.abs(q) : q;
      if (type !== PURCHASE) continue;
      const o = order[r];
      if (o >= this.nOrders) throw new RangeError(`OverviewAccumulator: event ${r} of chunk ${chunk.index} has order ${o} beyond the sizes given`);
      if (this.itemLastOrder[i] !== o) {
        this.itemLastOrder[i] = o;
        this.itemOrders[i]++;
      }
      if (this.orderSeen[o] === 0) {
        this.orderSeen[o] = 1;
        this.orders++;
        this.customerOrders[c]++;
        if (timed) this.monthOrders.add(month, 1);
      }
    }
  }

  private reserve(customers: number, orders: number, items: number): void {
    if (customers > this.nCustomers) {
      const cap = Math.max(customers, this.nCustomers * 2);
      this.customerSeen = grown(this.customerSeen, new Uint8Array(cap));
      this.customerOrders = grown(this.customerOrders, new Uint32Array(cap));
      this.nCustomers = cap;
    }
    if (orders > this.nOrders) {
      const cap = Math.max(orders, this.nOrders * 2);
      this.orderSeen = grown(this.orderSeen, new Uint8Array(cap));
      this.nOrders = cap;
    }
    if (items > this.nItems) {
      const cap = Math.max(items, this.nItems * 2);
      this.itemEvents = grown(this.itemEvents, new Uint32Array(cap));
      this.itemRevenue = grown(this.itemRevenue, new Float64Array(cap));
      this.itemQuantity = grown(this.itemQuantity, new Float64Array(cap));
      this.itemOrders = grown(this.itemOrders, new Uint32Array(cap));
      this.itemLastOrder = grown(this.itemLastOrder, new Int32Array(cap).fill(-1));
      this.nItems = cap;
    }
  }

  result(dictionaries: Pick<Dictionaries, 'items' | 'itemNames'>): Overview {
    let customers = 0;
    let buyers = 0;
    let repeat = 0;
    const bins = ORDER_BINS.map((b) => ({ ...b, customers: 0 }));
    for (let c = 0; c < this.nCustomers; c++) {
      customers += this.customerSeen[c];
      const n = this.customerOrders[c];
      if (n === 0) continue;
      buyers++;
      if (n >= 2) repeat++;
      const b = n <= 5 ? n - 1 : n <= 10 ? 5 : n <= 20 ? 6 : 7;
      bins[b].customers++;
    }

    let items = 0;
    const ranked: number[] = [];
    for (let i = 0; i < this.nItems; i++) {
      if (this.itemEvents[i] === 0) continue;
      items++;
      ranked.push(i);
    }
    const key = this.hasRevenue ? this.itemRevenue : this.itemEvents;
    ranked.sort((a, b) => key[b] - key[a] || a - b);
    const topItems = ranked.slice(0, TOP_ITEMS).map((i) => ({
      item: i,
      id: dictionaries.items[i] ?? String(i),
      name: dictionaries.itemNames[i] ?? '',
      revenue: this.itemRevenue[i],
      quantity: this.itemQuantity[i],
      orders: this.itemOrders[i],
      events: this.itemEvents[i],
    }));

    const hasTime = this.firstTime <= this.lastTime;
    const revenueByMonth: Overview['revenueByMonth'] = [];
    if (hasTime) {
      const last = monthIndex(this.lastTime);
      for (let m = monthIndex(this.firstTime); m <= last; m++) {
        revenueByMonth.push({ month: monthLabel(m), revenue: this.monthRevenue.get(m), orders: this.monthOrders.get(m), events: this.monthEvents.get(m) });
      }
    }

    return {
      customers,
      orders: this.orders,
      items,
      revenue: this.revenue,
      firstTime: hasTime ? this.firstTime : null,
      lastTime: hasTime ? this.lastTime : null,
      repeatCustomerRate: buyers > 0 ? repeat / buyers : 0,
      revenueByMonth,
      ordersPerCustomer: bins,
      topItems,
      hasRevenue: this.hasRevenue,
      hasTime,
    };
  }
}

function maxOf(column: Uint32Array, rows: number): number {
  let max = -1;
  for (let r = 0; r < rows; r++) if (column[r] > max) max = column[r];
  return max;
}

function grown<T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(old: T, next: T): T {
  next.set(old as never);
  return next;
}
