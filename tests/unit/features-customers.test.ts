import { describe, expect, it } from 'vitest';
import { CHUNK_ROWS, type EventChunk } from '../../src/lib/data/schema';
import { CustomerFeatureAccumulator, featureColumn, type CustomerFeatures } from '../../src/lib/features/customers';
import { SEGMENT_IDS, LAPSED_SILENT_DAYS } from '../../src/lib/synth';
import { chunk, dicts, importDemoShop, type Ev } from './features-helpers';

const REF = Date.parse('2025-03-01T00:00:00Z');

function run(chunks: EventChunk[], d = dicts(3, 6, [0, 1, -1], ['A', 'B']), top = 5, ref = REF): CustomerFeatures {
  const acc = new CustomerFeatureAccumulator(d, { referenceTime: ref, topCategories: top });
  for (const c of chunks) acc.add(c);
  return acc.result();
}

function row(f: CustomerFeatures, k: number): Record<string, number> {
  return Object.fromEntries(f.features.map((x, j) => [x.key, f.values[k * f.d + j]]));
}

// Items 0 (category A), 1 (B), 2 (none); customers 0..2; orders 0..5.
const EVENTS: Ev[] = [
  { c: 0, o: 0, i: 0, t: '2025-01-01T10:00:00Z', a: 10, type: 'purchase' },
  { c: 0, o: 0, i: 1, t: '2025-01-01T10:00:00Z', a: 30, type: 'purchase' },
  { c: 2, o: 5, i: 2, t: '2025-01-05T10:00:00Z', a: NaN, type: 'view' },
  { c: 0, o: 1, i: 0, t: '2025-01-11T10:00:00Z', a: 20, type: 'purchase' },
  { c: 0, o: 2, i: 0, t: '2025-01-31T10:00:00Z', a: 5, type: 'purchase' },
  { c: 0, o: 3, i: 1, t: '2025-02-10T10:00:00Z', a: -10, type: 'return' },
  { c: 1, o: 4, i: 2, t: '2025-02-20T00:00:00Z', a: 50, type: 'purchase' },
  { c: 1, o: 5, i: 1, t: '2025-03-05T00:00:00Z', a: 100, type: 'purchase' }, // after the reference: ignored
];

describe('CustomerFeatureAccumulator on a hand-worked case', () => {
  it('computes every feature', () => {
    const f = run([chunk(0, EVENTS.slice(0, 4)), chunk(1, EVENTS.slice(4))]);
    expect(Array.from(f.customers)).toEqual([0, 1]); // customer 2 only viewed
    expect(f.features.map((x) => x.key)).toEqual([
      'recency', 'frequency', 'monetary', 'aov', 'tenure', 'meanDaysBetween', 'distinctItems', 'distinctCategories', 'returnRate', 'share:A', 'share:B',
    ]);
    const a = row(f, 0);
    expect(a.recency).toBeCloseTo(28 + 14 / 24, 12); // Jan 31 10:00 → Mar 1 00:00
    expect(a.frequency).toBe(3);
    expect(a.monetary).toBe(55); // 10 + 30 + 20 + 5 − 10
    expect(a.aov).toBeCloseTo(55 / 3, 12);
    expect(a.tenure).toBeCloseTo(58 + 14 / 24, 12);
    expect(a.meanDaysBetween).toBe(15); // order days Jan 1, 11, 31 → gaps 10, 20
    expect(a.distinctItems).toBe(2);
    expect(a.distinctCategories).toBe(2);
    expect(a.returnRate).toBe(0.25); // 1 returned line ÷ 4 purchased lines
    expect(a['share:A']).toBeCloseTo(35 / 65, 12);
    expect(a['share:B']).toBeCloseTo(30 / 65, 12);
    const b = row(f, 1);
    expect(b).toEqual({
      recency: 9, frequency: 1, monetary: 50, aov: 50, tenure: 9, meanDaysBetween: 9, distinctItems: 1, distinctCategories: 0, returnRate: 0, 'share:A': 0, 'share:B': 0,
    });
  });

  it('keeps only the top-N categories by revenue and gives the same result whatever the chunking', () => {
    const one = run([chunk(0, EVENTS)], undefined, 1);
    expect(one.features.map((x) => x.key).slice(-2)).toEqual(['returnRate', 'share:A']); // A 35 > B 30
    const many = run(EVENTS.map((e, k) => chunk(k, [e])), undefined, 1);
    expect(many).toEqual(one);
    // Shuffled time order gives the same features.
    const shuffled = run([chunk(0, [...EVENTS].reverse())], undefined, 1);
    expect(shuffled.values).toEqual(one.values);
  });

  it('omits time features without time and money features without amounts; uses ratings when nothing is bought', () => {
    const baskets = EVENTS.filter((e) => e.type === 'purchase').map((e) => ({ ...e, t: null }));
    const fb = run([chunk(0, baskets)]);
    expect(fb.features.map((x) => x.key)).toEqual(['frequency', 'monetary', 'aov', 'distinctItems', 'distinctCategories', 'returnRate', 'share:B', 'share:A']);
    // Without time nothing is cut off: B earns 30 + 100 > A's 35.
    expect(featureColumn(fb, 'monetary')).toEqual(Float64Array.from([65, 150])); // no cut-off without time
    const ratings: Ev[] = [
      { c: 0, o: 0, i: 0, t: '2025-01-01T00:00:00Z', a: NaN, type: 'rating' },
      { c: 0, o: 1, i: 1, t: '2025-01-03T00:00:00Z', a: NaN, type: 'rating' },
      { c: 1, o: 2, i: 0, t: '2025-02-01T00:00:00Z', a: NaN, type: 'rating' },
    ];
    const fr = run([chunk(0, ratings)], dicts(2, 3, [-1, -1], []));
    expect(fr.features.map((x) => x.key)).toEqual(['recency', 'frequency', 'tenure', 'meanDaysBetween', 'distinctItems']);
    expect(Array.from(featureColumn(fr, 'frequency'))).toEqual([2, 1]);
    expect(Array.from(featureColumn(fr, 'meanDaysBetween'))).toEqual([2, 28]);
    expect(fr.values.every((v) => Number.isFinite(v))).toBe(true);
  });
});

describe('CustomerFeatureAccumulator on the demo shop', () => {
  it('finds the planted lapsed and loyal customers', () => {
    const { shop, result, chunks } = importDemoShop();
    const ref = result.stats.lastTime ?? 0;
    const f = run(chunks, result.dictionaries, 5, ref);
    expect(f.n).toBe(shop.options.customers); // every demo customer orders at least once
    const seg = Uint8Array.from(f.customers, (c) => shop.truth.segmentOf[Number(result.dictionaries.customers[c].slice(1)) - 1]);
    const mean = (key: string, s: number): number => {
      const col = featureColumn(f, key);
      let sum = 0;
      let cnt = 0;
      for (let k = 0; k < f.n; k++) if (seg[k] === s) (sum += col[k]), cnt++;
      return sum / cnt;
    };
    // Lapsed customers were silent for the last LAPSED_SILENT_DAYS days.
    const rec = featureColumn(f, 'recency');
    let lapsedMin = Infinity;
    for (let k = 0; k < f.n; k++) if (seg[k] === SEGMENT_IDS.lapsed) lapsedMin = Math.min(lapsedMin, rec[k]);
    expect(lapsedMin).toBeGreaterThanOrEqual(LAPSED_SILENT_DAYS - 1);
    // Loyal big spenders: at least 12 orders each, and the highest mean spend of all segments.
    expect(mean('frequency', SEGMENT_IDS.loyal)).toBeGreaterThanOrEqual(12);
    for (const s of Object.values(SEGMENT_IDS)) if (s !== SEGMENT_IDS.loyal) expect(mean('monetary', SEGMENT_IDS.loyal)).toBeGreaterThan(2 * mean('monetary', s));
    // One-time buyers have exactly one order.
    expect(mean('frequency', SEGMENT_IDS.oneTime)).toBe(1);
    expect(f.features.filter((x) => x.unit === 'share').length).toBe(5);
  });
});

describe('CustomerFeatureAccumulator speed', () => {
  it('handles 1M events in well under a few seconds', () => {
    const N = 1_000_000;
    const customers = 50_000;
    const items = 10_000;
    const orders = 330_000;
    const d = dicts(customers, orders, Array.from({ length: items }, (_, i) => i % 20), Array.from({ length: 20 }, (_, i) => `cat${i}`));
    // mulberry32: a small seeded generator, good enough for test data.
    let seed = 12345;
    const rnd = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
    const chunks: EventChunk[] = [];
    let o = 0;
    let left = 0;
    let c = 0;
    let t = 0;
    for (let at = 0; at < N; at += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, N - at);
      const ch: EventChunk = { index: chunks.length, rows, customer: new Uint32Array(rows), order: new Uint32Array(rows), item: new Uint32Array(rows), time: new Float64Array(rows), quantity: new Float32Array(rows), amount: new Float64Array(rows), rating: new Float32Array(rows), eventType: new Uint8Array(rows) };
      for (let r = 0; r < rows; r++) {
        if (left === 0) {
          o = Math.min(orders - 1, o + 1);
          left = 1 + Math.floor(rnd() * 5);
          c = Math.floor(rnd() * customers);
          t = REF - rnd() * 730 * 86_400_000; // unsorted times
        }
        left--;
        ch.customer[r] = c;
        ch.order[r] = o;
        ch.item[r] = Math.floor(rnd() * items);
        ch.time[r] = t;
        ch.amount[r] = 1 + rnd() * 50;
        ch.eventType[r] = rnd() < 0.03 ? 1 : 0;
      }
      chunks.push(ch);
    }
    const t0 = performance.now();
    const f = run(chunks, d, 5, REF);
    const ms = performance.now() - t0;
    console.log(`customer features: ${N.toLocaleString('en')} events → ${f.n} × ${f.d} in ${ms.toFixed(0)} ms`);
    expect(f.n).toBeGreaterThan(45_000);
    expect(ms).toBeLessThan(5000);
  });
});
