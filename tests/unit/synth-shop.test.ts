// The demo shop, checked only through what it exports (the order lines), the way an analysis
// would see it: every planted property is recomputed here from the strings.

import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDemoShop, csvField, customersForLines, LAPSED_SILENT_DAYS, ONE_TIME_MIN_AGE_DAYS, SEGMENT_IDS, writeDemoCsv, type DemoShop } from '../../src/lib/synth';

const END = Date.parse('2026-10-31T23:59:59Z');
const DAY = 86_400_000;

interface Line {
  order: string;
  customer: number;
  item: number;
  category: string;
  time: number;
  quantity: number;
  price: number;
}

function csvOf(shop: DemoShop): string {
  const pieces: string[] = [];
  writeDemoCsv(shop, (p) => pieces.push(p));
  return pieces.join('');
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

let shop: DemoShop;
let lines: Line[];
let raw: string[][];

beforeAll(() => {
  shop = createDemoShop();
  raw = [...shop.lines()];
  lines = raw.map((f) => ({
    order: f[0],
    customer: Number(f[1].slice(1)) - 1,
    item: Number(f[2].slice(4)) - 1,
    category: f[4],
    time: Date.parse(f[5]),
    quantity: Number(f[6]),
    price: Number(f[7]),
  }));
});

describe('demo shop: export format and determinism', () => {
  it('has the documented columns and well-formed fields', () => {
    expect(shop.columns).toEqual(['order_id', 'customer_id', 'item_id', 'item_name', 'category', 'timestamp', 'quantity', 'unit_price']);
    expect(raw.every((f) => f.length === 8)).toBe(true);
    expect(raw.every((f) => /^C?\d+$/.test(f[0]) && /^C\d{5}$/.test(f[1]) && /^SKU-\d{4}$/.test(f[2]))).toBe(true);
    expect(raw.every((f) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/.test(f[5]) && /^-?\d+$/.test(f[6]) && /^\d+\.\d{2}$/.test(f[7]))).toBe(true);
    const times = lines.map((l) => l.time);
    // A loop, not Math.min(...times): spreading ~135k arguments overflows the stack.
    let lo = Infinity;
    let hi = -Infinity;
    for (const t of times) (lo = Math.min(lo, t)), (hi = Math.max(hi, t));
    expect(lo).toBeGreaterThanOrEqual(Date.parse('2024-11-01T00:00:00Z'));
    expect(hi).toBeLessThanOrEqual(END);
    // Exported in time order, as a shop's order log is.
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
  });

  it('has 5,000 customers, 300 items and 12 categories with readable names', () => {
    expect(new Set(raw.map((f) => f[1])).size).toBe(5000);
    expect(new Set(raw.map((f) => f[2])).size).toBe(300);
    expect(new Set(raw.map((f) => f[4])).size).toBe(12);
    expect(shop.catalog).toHaveLength(300);
    expect(new Set(shop.catalog.map((c) => c.name)).size).toBe(300);
    expect(shop.catalog.some((c) => c.category === 'Coffee & Tea' && / (250 g|500 g|1 kg)$/.test(c.name))).toBe(true);
    // Every line repeats its item's catalogue name and category.
    for (const f of raw.slice(0, 2000)) {
      const it = shop.catalog[Number(f[2].slice(4)) - 1];
      expect([f[3], f[4]]).toEqual([it.name, it.category]);
    }
  });

  it('is byte-identical for the same seed and differs for another seed', () => {
    const a = csvOf(createDemoShop({ seed: 7, customers: 800 }));
    const b = csvOf(createDemoShop({ seed: 7, customers: 800 }));
    const c = csvOf(createDemoShop({ seed: 8, customers: 800 }));
    expect(a.length).toBeGreaterThan(100_000);
    expect(a === b).toBe(true);
    expect(a === c).toBe(false);
    // lines() twice on one shop gives the same stream too.
    const again = [...shop.lines()];
    expect(again.length).toBe(raw.length);
    expect(again[12345]).toEqual(raw[12345]);
  });

  it('writes RFC 4180 CSV that a standard parser reads back to exactly lines()', () => {
    const text = csvOf(shop);
    const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data[0]).toEqual([...shop.columns]);
    expect(parsed.data.length - 1).toBe(raw.length);
    const tricky = shop.catalog.filter((c) => /[",]/.test(c.name));
    expect(tricky.length).toBeGreaterThan(0);
    for (let i = 0; i < raw.length; i += 97) expect(parsed.data[i + 1]).toEqual(raw[i]);
    const withQuote = raw.findIndex((f) => f[3].includes('"'));
    expect(withQuote).toBeGreaterThanOrEqual(0);
    expect(parsed.data[withQuote + 1]).toEqual(raw[withQuote]);
    expect(csvField('Mug "Good Morning"')).toBe('"Mug ""Good Morning"""');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('plain')).toBe('plain');
  });

  it('writeDemoCsv stops at maxLines', () => {
    let text = '';
    const n = writeDemoCsv(shop, (p) => (text += p), 10);
    expect(n).toBe(10);
    expect(text.trimEnd().split('\n')).toHaveLength(11);
  });
});

describe('demo shop: planted structure, recovered from the lines', () => {
  it('has about 2 % return lines, each a negative quantity on a C-prefixed note after a purchase', () => {
    const returns = lines.filter((l) => l.quantity < 0);
    const share = returns.length / lines.length;
    expect(share).toBeGreaterThan(0.01);
    expect(share).toBeLessThan(0.03);
    expect(returns.every((l) => l.order.startsWith('C'))).toBe(true);
    expect(lines.filter((l) => l.quantity > 0).every((l) => !l.order.startsWith('C'))).toBe(true);
    // Each returned item was bought earlier by the same customer.
    const bought = new Map<string, number>();
    for (const l of lines) if (l.quantity > 0) bought.set(`${l.customer}/${l.item}`, Math.min(bought.get(`${l.customer}/${l.item}`) ?? Infinity, l.time));
    expect(returns.every((r) => (bought.get(`${r.customer}/${r.item}`) ?? Infinity) < r.time)).toBe(true);
  });

  it('segments differ in recency, frequency and spend as designed', () => {
    const seg = shop.truth.segmentOf;
    expect(shop.truth.segmentNames).toEqual(
      expect.arrayContaining(['loyal big spenders', 'bargain hunters', 'one-time buyers', 'lapsed customers', 'new customers', 'regular customers']),
    );
    const orders = new Map<number, Set<string>>();
    const first = new Float64Array(5000).fill(Infinity);
    const last = new Float64Array(5000).fill(-Infinity);
    const spend = new Float64Array(5000);
    for (const l of lines) {
      spend[l.customer] += l.quantity * l.price;
      if (l.quantity <= 0) continue;
      if (!orders.has(l.customer)) orders.set(l.customer, new Set());
      orders.get(l.customer)!.add(l.order);
      first[l.customer] = Math.min(first[l.customer], l.time);
      last[l.customer] = Math.max(last[l.customer], l.time);
    }
    const by = (s: number, f: (c: number) => number): number[] => {
      const out: number[] = [];
      for (let c = 0; c < 5000; c++) if (seg[c] === s) out.push(f(c));
      return out;
    };
    const freq = (s: number) => median(by(s, (c) => orders.get(c)?.size ?? 0));
    const recency = (s: number) => median(by(s, (c) => (END - last[c]) / DAY));
    const money = (s: number) => median(by(s, (c) => spend[c]));
    const S = SEGMENT_IDS;

    expect(freq(S.loyal)).toBeGreaterThan(freq(S.bargain));
    expect(freq(S.bargain)).toBeGreaterThan(freq(S.regular));
    expect(freq(S.regular)).toBeGreaterThan(freq(S.new));
    expect(by(S.oneTime, (c) => orders.get(c)?.size ?? 0).every((n) => n === 1)).toBe(true);

    expect(money(S.loyal)).toBeGreaterThan(2 * money(S.regular));
    expect(money(S.regular)).toBeGreaterThan(money(S.oneTime));

    expect(recency(S.loyal)).toBeLessThan(recency(S.regular));
    expect(recency(S.regular)).toBeLessThan(recency(S.lapsed));
    // Lapsed: nothing bought in the last 8 months. New: first order in the last 3 months.
    expect(Math.max(...by(S.lapsed, (c) => last[c]))).toBeLessThan(END - 243 * DAY);
    expect(Math.min(...by(S.new, (c) => first[c]))).toBeGreaterThan(END - 92 * DAY);
    // And nobody else started that late except (rarely) a regular or bargain customer.
    const lateStarters = by(S.oneTime, (c) => first[c]).filter((t) => t > END - 92 * DAY);
    expect(lateStarters).toHaveLength(0);
    // A one-time buyer's single order is at least ONE_TIME_MIN_AGE_DAYS (≈ 6 months) old: its last
    // possible day is the end day minus (ONE_TIME_MIN_AGE_DAYS − 1).
    expect(Math.max(...by(S.oneTime, (c) => last[c]))).toBeLessThan(END - (ONE_TIME_MIN_AGE_DAYS - 1) * DAY);
    // Lapsed customers once ordered like regulars (at least 3 orders each), not once.
    expect(Math.min(...by(S.lapsed, (c) => orders.get(c)?.size ?? 0))).toBeGreaterThanOrEqual(3);
    // Regulars are still active: ≥ 6 orders spread over ≥ 1 year puts the last one about half a
    // rhythm (≈ 1–2 months) ago, and none of them looks lapsed.
    expect(recency(S.regular)).toBeLessThan(61);
    expect(Math.max(...by(S.regular, (c) => (END - last[c]) / DAY))).toBeLessThan(LAPSED_SILENT_DAYS);
  });

  it('bargain hunters place the smallest orders; loyal big spenders the largest', () => {
    const seg = shop.truth.segmentOf;
    const value = new Map<string, { c: number; v: number }>();
    for (const l of lines) {
      if (l.quantity <= 0) continue;
      const o = value.get(l.order) ?? { c: l.customer, v: 0 };
      o.v += l.quantity * l.price;
      value.set(l.order, o);
    }
    const perSegment: number[][] = Array.from({ length: 6 }, () => []);
    for (const { c, v } of value.values()) perSegment[seg[c]].push(v);
    const S = SEGMENT_IDS;
    for (let s = 0; s < 6; s++) {
      if (s === S.bargain) continue;
      // Cheap items and short baskets: well under half of any other segment's typical order.
      expect(median(perSegment[S.bargain])).toBeLessThan(0.5 * median(perSegment[s]));
      if (s !== S.loyal) expect(median(perSegment[S.loyal])).toBeGreaterThan(2 * median(perSegment[s]));
    }
  });

  it('bargain hunters buy the cheapest items and most often at a discount', () => {
    const list = shop.catalog.map((c) => c.price);
    const seg = shop.truth.segmentOf;
    const prices: number[][] = Array.from({ length: 6 }, () => []);
    const discounted = new Float64Array(6);
    const count = new Float64Array(6);
    for (const l of lines) {
      if (l.quantity <= 0) continue;
      const s = seg[l.customer];
      prices[s].push(l.price);
      count[s]++;
      if (l.price < list[l.item] - 0.005) discounted[s]++;
    }
    const b = SEGMENT_IDS.bargain;
    for (let s = 0; s < 6; s++) {
      if (s === b) continue;
      expect(median(prices[b])).toBeLessThan(median(prices[s]));
      expect(discounted[b] / count[b]).toBeGreaterThan(2 * (discounted[s] / count[s]));
    }
    expect(discounted[b] / count[b]).toBeGreaterThan(0.4);
  });

  it('planted bundles co-occur far above chance; random pairs do not', () => {
    const baskets = new Map<string, Set<number>>();
    for (const l of lines) {
      if (l.quantity <= 0) continue;
      if (!baskets.has(l.order)) baskets.set(l.order, new Set());
      baskets.get(l.order)!.add(l.item);
    }
    const n = baskets.size;
    const support = new Float64Array(300);
    const pair = new Map<number, number>();
    for (const b of baskets.values()) {
      const items = [...b];
      for (const i of items) support[i]++;
      for (const i of items) for (const j of items) if (i < j) pair.set(i * 300 + j, (pair.get(i * 300 + j) ?? 0) + 1);
    }
    const lift = (a: number, b: number) => ((pair.get(Math.min(a, b) * 300 + Math.max(a, b)) ?? 0) * n) / (support[a] * support[b]);
    const bundles = shop.truth.bundles;
    expect(bundles.length).toBeGreaterThanOrEqual(10);
    expect(bundles.some((b) => b.length === 3)).toBe(true);
    const inBundle = new Set(bundles.flat());
    for (const b of bundles) for (const x of b) for (const y of b) if (x < y) expect(lift(x, y)).toBeGreaterThan(5);
    // Random non-bundle pairs: pooled observed / expected co-occurrence ≈ 1.
    let observed = 0;
    let expected = 0;
    for (let t = 0; t < 5000; t++) {
      const a = (t * 7919) % 300;
      const b = (t * 104729 + 13) % 300;
      if (a === b || inBundle.has(a) || inBundle.has(b)) continue;
      observed += pair.get(Math.min(a, b) * 300 + Math.max(a, b)) ?? 0;
      expected += (support[a] * support[b]) / n;
    }
    expect(observed / expected).toBeGreaterThan(0.5);
    expect(observed / expected).toBeLessThan(2);
  });

  it('customers buy items their latent factors favour', () => {
    const { customerFactors: u, itemFactors: v, factorDim: d } = shop.truth;
    const dot = (c: number, i: number) => {
      let s = 0;
      for (let k = 0; k < d; k++) s += u[c * d + k] * v[i * d + k];
      return s;
    };
    let bought = 0;
    let baseline = 0;
    let n = 0;
    for (let x = 0; x < lines.length; x += 7) {
      const l = lines[x];
      if (l.quantity <= 0) continue;
      bought += dot(l.customer, l.item);
      baseline += dot(l.customer, (l.item * 131 + x) % 300);
      n++;
    }
    // Bought items score clearly higher than arbitrary items for the same customers.
    expect((bought - baseline) / n).toBeGreaterThan(0.3);
  });

  it('is seasonal: December is the peak month and July a dip', () => {
    const byMonth = new Map<string, number>();
    for (const l of lines) {
      const key = new Date(l.time).toISOString().slice(0, 7);
      byMonth.set(key, (byMonth.get(key) ?? 0) + l.quantity * l.price);
    }
    expect(byMonth.size).toBe(24);
    const dec = byMonth.get('2025-12')!;
    expect(dec).toBe(Math.max(...byMonth.values()));
    expect(dec).toBeGreaterThan(1.5 * byMonth.get('2025-07')!);
    expect(dec).toBeGreaterThan(1.5 * byMonth.get('2026-07')!);
    // The summer dip within one year: July below both May and September of 2026.
    expect(byMonth.get('2026-07')!).toBeLessThan(byMonth.get('2026-05')!);
    expect(byMonth.get('2026-07')!).toBeLessThan(byMonth.get('2026-09')!);
  });
});

describe('demo shop: streaming scale', () => {
  it('streams 1,000,000 CSV lines with bounded memory (prints lines/s)', async () => {
    const v8 = await import('node:v8');
    const vm = await import('node:vm');
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const customers = customersForLines(1_050_000);
    let t = performance.now();
    const big = createDemoShop({ customers });
    const setupMs = performance.now() - t;
    gc();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    let chars = 0;
    let pieces = 0;
    t = performance.now();
    const written = writeDemoCsv(
      big,
      (p) => {
        chars += p.length;
        // Live memory while streaming, sampled every ~20 MB of output.
        if (++pieces % 20 === 0) {
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed - base);
        }
      },
      1_000_000,
    );
    const ms = performance.now() - t;
    expect(written).toBe(1_000_000);
    console.log(
      `demo shop: ${customers} customers set up in ${setupMs.toFixed(0)} ms; 1,000,000 CSV lines (${(chars / 1e6).toFixed(0)} MB) in ${ms.toFixed(0)} ms = ${((1e6 / ms) * 1000).toFixed(0)} lines/s; live heap growth while streaming ${(peak / 1e6).toFixed(1)} MB`,
    );
    // The stream holds one order at a time: far less than the ~80 MB of text it produced.
    expect(peak).toBeLessThan(16e6);
  });
});
