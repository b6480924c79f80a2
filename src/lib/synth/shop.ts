// The seeded demo shop: a catalogue, customers with planted segments, tastes and bundles, and a
// time-ordered stream of order lines exactly as a shop's CSV export would hold them.

import { Random, hashSeed } from '../random';
import { buildCalendar, parseIsoDay } from './calendar';
import { MAX_CATEGORIES, buildCatalog } from './catalog';
import { BasketMaker, chooseBundles } from './baskets';
import { buildPreferences } from './model';
import { buildSchedule, entryOf, minuteOf } from './schedule';
import { SEGMENTS, segmentCounts } from './segments';

export interface DemoShopOptions {
  seed?: number;
  customers?: number;
  items?: number;
  categories?: number;
  /** Calendar months of history, ending with endDate (at least 12, so lapsed customers exist). */
  months?: number;
  /** Last day of the history, ISO 'YYYY-MM-DD'. */
  endDate?: string;
  /** Rank of the latent preference factors. */
  factors?: number;
}

export interface DemoTruth {
  /** Segment index per customer ordinal (customer_id C00001 is ordinal 0). */
  segmentOf: Uint8Array;
  segmentNames: readonly string[];
  /** Planted bundles as item indices (catalog order; SKU-0001 is 0). */
  bundles: number[][];
  /** customers × factorDim, row-major. */
  customerFactors: Float32Array;
  /** items × factorDim, row-major. */
  itemFactors: Float32Array;
  factorDim: number;
  /** Popularity term b_i of each item's choice logit. */
  itemPopularity: Float32Array;
}

export interface DemoShop {
  /** Column names of the order-lines CSV the shop exports (fixed order). */
  readonly columns: readonly string[];
  /** Streams order lines as string fields in column order (timestamp ISO 8601 UTC like 2025-03-04T10:15:00Z). */
  lines(): Iterable<string[]>;
  readonly truth: DemoTruth;
  readonly catalog: { itemId: string; name: string; category: string; price: number }[];
  readonly options: Required<DemoShopOptions>;
  /** Purchase orders and return notes in the stream (each return note is one line). */
  readonly orders: number;
  readonly returns: number;
  /** Walks the stream with one reused record per line (no allocation); return false to stop. */
  forEachLine(visit: (line: DemoLine) => boolean | void): void;
}

/** One line of the stream, as indices and strings; reused between calls of forEachLine. */
export interface DemoLine {
  orderId: string;
  customerId: string;
  /** Customer ordinal and item index (catalog order). */
  customer: number;
  item: number;
  timestamp: string;
  quantity: number;
  unitCents: number;
}

export const DEMO_COLUMNS = ['order_id', 'customer_id', 'item_id', 'item_name', 'category', 'timestamp', 'quantity', 'unit_price'] as const;

const DEFAULTS: Required<DemoShopOptions> = {
  seed: 42,
  customers: 5000,
  items: 300,
  categories: 12,
  months: 24,
  endDate: '2026-10-31',
  factors: 8,
};

/** Invoice numbers start here; return notes get a "C" prefix, as in many shop exports. */
const FIRST_ORDER_NUMBER = 100_001;

function checkInt(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`demo shop: ${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}

/** Cents as "12.99". */
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const a = Math.abs(cents);
  return `${sign}${Math.floor(a / 100)}.${TWO_DIGITS[a % 100]}`;
}

export function createDemoShop(options: DemoShopOptions = {}): DemoShop {
  const opts: Required<DemoShopOptions> = { ...DEFAULTS, ...options };
  checkInt('seed', opts.seed, 0, 2 ** 53);
  checkInt('customers', opts.customers, 1, 50_000_000);
  checkInt('categories', opts.categories, 1, MAX_CATEGORIES);
  checkInt('items', opts.items, opts.categories * 2, 1_000_000);
  checkInt('months', opts.months, 12, 120);
  checkInt('factors', opts.factors, 1, 64);
  const endMs = parseIsoDay(opts.endDate);

  const rng = new Random(hashSeed(opts.seed, 1));
  const catalog = buildCatalog(rng.fork(2), opts.items, opts.categories);

  // Exact segment shares, shuffled over customer ordinals.
  const segmentOf = new Uint8Array(opts.customers);
  let at = 0;
  segmentCounts(opts.customers).forEach((n, s) => segmentOf.fill(s, at, (at += n)));
  rng.fork(3).shuffle(segmentOf);

  const prefs = buildPreferences(
    { seed: opts.seed, dim: opts.factors, segmentOf, categoryOf: catalog.categoryOf, categories: opts.categories, priceCents: catalog.priceCents },
    rng.fork(4),
  );
  const bundles = chooseBundles(rng.fork(5), prefs.categoryStart, opts.items);
  const bundleOf = new Int32Array(opts.items).fill(-1);
  bundles.forEach((b, n) => b.forEach((i) => (bundleOf[i] = n)));

  const cal = buildCalendar(endMs, opts.months);
  const schedule = buildSchedule(opts.seed, cal, segmentOf);
  const basketContext = { seed: opts.seed, prefs, segmentOf, priceCents: catalog.priceCents, bundleOf, bundles };
  const idWidth = Math.max(5, String(opts.customers).length);

  /** Steps through the schedule one order (or return note) at a time. */
  const walker = () => {
    const basket = new BasketMaker(basketContext);
    const { keys, customer, ordinal, isReturn } = schedule;
    const order = { n: -1, orderId: '', customerId: '', customer: 0, timestamp: '', basket };
    const next = (): boolean => {
      const n = ++order.n;
      if (n >= keys.length) return false;
      const key = keys[n];
      const e = entryOf(key);
      const c = customer[e];
      if (isReturn[e]) basket.makeReturn(c, ordinal[e]);
      else basket.make(c, ordinal[e]);
      const minute = minuteOf(key);
      order.orderId = isReturn[e] ? `C${FIRST_ORDER_NUMBER + n}` : String(FIRST_ORDER_NUMBER + n);
      order.customerId = `C${String(c + 1).padStart(idWidth, '0')}`;
      order.customer = c;
      order.timestamp = cal.dayPrefix[Math.floor(minute / 1440)] + cal.minuteSuffix[minute % 1440];
      return true;
    };
    return { order, next };
  };

  const forEachLine = (visit: (line: DemoLine) => boolean | void): void => {
    const { order, next } = walker();
    const { basket } = order;
    const line: DemoLine = { orderId: '', customerId: '', customer: 0, item: 0, timestamp: '', quantity: 0, unitCents: 0 };
    while (next()) {
      line.orderId = order.orderId;
      line.customerId = order.customerId;
      line.customer = order.customer;
      line.timestamp = order.timestamp;
      for (let l = 0; l < basket.count; l++) {
        line.item = basket.item[l];
        line.quantity = basket.quantity[l];
        line.unitCents = basket.unitCents[l];
        if (visit(line) === false) return;
      }
    }
  };

  const items = catalog.items;
  return {
    columns: DEMO_COLUMNS,
    catalog: items,
    options: opts,
    orders: schedule.orders,
    returns: schedule.returns,
    truth: {
      segmentOf,
      segmentNames: SEGMENTS.map((s) => s.name),
      bundles,
      customerFactors: prefs.customerFactors,
      itemFactors: prefs.itemFactors,
      factorDim: opts.factors,
      itemPopularity: prefs.itemPopularity,
    },
    forEachLine,
    lines(): Iterable<string[]> {
      return {
        *[Symbol.iterator](): Generator<string[]> {
          const { order, next } = walker();
          const { basket } = order;
          while (next()) {
            for (let l = 0; l < basket.count; l++) {
              const it = items[basket.item[l]];
              yield [order.orderId, order.customerId, it.itemId, it.name, it.category, order.timestamp, String(basket.quantity[l]), formatCents(basket.unitCents[l])];
            }
          }
        },
      };
    },
  };
}

/**
 * Customers needed for about `lines` order lines with the default segment mix (≈ 27 lines per
 * customer, whatever the span: measured 26.97–27.46 over seeds and sizes); for benchmarks that want a given file size.
 */
export function customersForLines(lines: number): number {
  return Math.max(1, Math.ceil(lines / 27.1));
}
