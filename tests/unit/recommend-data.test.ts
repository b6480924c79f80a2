// Interaction matrices from events, and the three splits, on hand-made data; counts on MovieLens 100K.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, type EventChunk, type EventType } from '../../src/lib/data/schema';
import { csrFromTriples } from '../../src/lib/recommend/csr';
import { buildInteractions, type Interactions } from '../../src/lib/recommend/interactions';
import { leaveLastN, timeSplit, userRandomSplit } from '../../src/lib/recommend/split';
import { importFileNode } from '../../src/lib/data/read-file.node.ts';
import { dicts } from './features-helpers';

type E = [customer: number, item: number, type: EventType, time: number, quantity?: number, rating?: number];
function chunkOf(events: E[]): EventChunk {
  const n = events.length;
  return {
    index: 0,
    rows: n,
    customer: Uint32Array.from(events, (e) => e[0]),
    order: new Uint32Array(n),
    item: Uint32Array.from(events, (e) => e[1]),
    time: Float64Array.from(events, (e) => e[3]),
    quantity: Float32Array.from(events, (e) => e[4] ?? 1),
    amount: new Float64Array(n),
    rating: Float32Array.from(events, (e) => e[5] ?? NaN),
    eventType: Uint8Array.from(events, (e) => EVENT_TYPES.indexOf(e[2])),
  };
}
const rowOf = (inter: Interactions, r: number) => {
  const m = inter.matrix;
  return Array.from(m.idx.subarray(m.ptr[r], m.ptr[r + 1]), (c, j) => [inter.itemIds[c], m.val[m.ptr[r] + j]]);
};

describe('buildInteractions', () => {
  const d = dicts(5, 1, [-1, -1, -1, -1], []);
  const events: E[] = [
    [1, 0, 'purchase', 100, 3],
    [1, 0, 'view', 50],
    [1, 0, 'cart', 300],
    [1, 2, 'view', 10],
    [3, 1, 'purchase', 20, 2],
    [3, 1, 'return', 40, -2],
    [2, 3, 'return', 5], // a return alone adds nothing: customer 2 and item 3 vanish
  ];

  it('implicit: weighted sums, dense re-indexing, latest time per pair', async () => {
    const inter = await buildInteractions([chunkOf(events)], d);
    expect(inter.kind).toBe('implicit');
    expect(Array.from(inter.userIds)).toEqual([1, 3]);
    expect(Array.from(inter.itemIds)).toEqual([0, 1, 2]);
    // customer 1: item 0 = 1 + 0.1 + 0.5, item 2 = 0.1; customer 3: item 1 = 1 (the return weighs 0)
    expect(rowOf(inter, 0).map(([i, v]) => [i, +v.toFixed(6)])).toEqual([[0, 1.6], [2, 0.1]]);
    expect(rowOf(inter, 1)).toEqual([[1, 1]]);
    // the return (weight 0) does not count, so customer 3's pair keeps the purchase's time
    expect(Array.from(inter.time)).toEqual([300, 10, 20]);
  });

  it('quantity and custom weights', async () => {
    const inter = await buildInteractions([chunkOf(events)], d, { useQuantity: true, eventWeights: { view: 0, cart: 2 } });
    // customer 1: item 0 = 3 × 1 + 2; item 2's only event is a view (weight 0) → item 2 gone
    expect(rowOf(inter, 0)).toEqual([[0, 5]]);
    expect(rowOf(inter, 1)).toEqual([[1, 2]]);
    await expect(buildInteractions([chunkOf(events)], d, { eventWeights: { view: -1 } })).rejects.toThrow('weight of "view" must be a finite number ≥ 0, got -1');
  });

  it('explicit when ratings exist: the latest rating wins, other events are ignored', async () => {
    const ratings: E[] = [
      [0, 1, 'rating', 200, 1, 4],
      [0, 1, 'rating', 100, 1, 2], // older, later in the file: must not win
      [0, 2, 'rating', 150, 1, 5],
      [4, 2, 'rating', 10, 1, 3],
      [4, 0, 'purchase', 10],
    ];
    async function* stream() {
      yield chunkOf(ratings.slice(0, 2));
      yield chunkOf(ratings.slice(2));
    }
    const inter = await buildInteractions(stream(), d);
    expect(inter.kind).toBe('explicit');
    expect(Array.from(inter.userIds)).toEqual([0, 4]);
    expect(Array.from(inter.itemIds)).toEqual([1, 2]);
    expect(rowOf(inter, 0)).toEqual([[1, 4], [2, 5]]);
    expect(rowOf(inter, 1)).toEqual([[2, 3]]);
    // read as implicit, every rating is a positive and the purchase counts too
    const imp = await buildInteractions([chunkOf(ratings)], d, { kind: 'implicit' });
    expect(imp.kind).toBe('implicit');
    expect(imp.matrix.idx.length).toBe(4);
  });
});

/** Interactions straight from a matrix, with times. */
function inter(rows: number[][], times?: number[][]): Interactions {
  const r: number[] = [], c: number[] = [], v: number[] = [], t: number[] = [];
  rows.forEach((items, u) => items.forEach((i, j) => { r.push(u); c.push(i); v.push(u * 100 + i); t.push(times ? times[u][j] : NaN); }));
  const matrix = csrFromTriples(rows.length, 20, r, c, v, 'sum');
  // rows are given with ascending items, so entry order equals input order
  return { kind: 'implicit', matrix, time: Float64Array.from(t), userIds: Uint32Array.from(rows.keys()), itemIds: Uint32Array.from({ length: 20 }, (_, i) => i) };
}
const items = (m: { ptr: Uint32Array; idx: Uint32Array }, r: number) => Array.from(m.idx.subarray(m.ptr[r], m.ptr[r + 1]));

describe('splits', () => {
  const data = inter([[0, 1, 2], [0, 1, 2, 3], [0, 1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 6, 7, 8, 9]]);

  it('userRandomSplit: floor(fraction × n) per user with ≥ minItems, a seeded partition', () => {
    const s = userRandomSplit(data, 0.25, 42);
    expect([0, 1, 2, 3].map((u) => items(s.test, u).length)).toEqual([0, 1, 2, 2]);
    expect(s.usersWithHeldOut).toBe(3);
    for (let u = 0; u < 4; u++) {
      const all = [...items(s.train, u), ...items(s.test, u)].sort((a, b) => a - b);
      expect(all).toEqual(items(data.matrix, u));
    }
    // values follow their entries
    for (let e = 0; e < s.test.idx.length; e++) expect(s.test.val[e] % 100).toBe(s.test.idx[e]);
    expect(userRandomSplit(data, 0.25, 42)).toEqual(s);
    const seeds = [1, 2, 3, 4, 5].map((seed) => JSON.stringify(items(userRandomSplit(data, 0.25, seed).test, 3)));
    expect(new Set(seeds).size).toBeGreaterThan(1);
    expect(userRandomSplit(data, 0.5, 42, 9).usersWithHeldOut).toBe(1);
    expect(() => userRandomSplit(data, 1, 42)).toThrow('fraction must be in (0, 1), got 1');
  });

  it('leaveLastN: the latest n by time, ties to the higher item; short rows stay whole', () => {
    const timed = inter([[0, 1, 2], [3, 4, 5, 6]], [[30, 10, 20], [5, 9, 9, 1]]);
    const s = leaveLastN(timed, 2);
    expect(items(s.test, 0)).toEqual([0, 2]);
    expect(items(s.test, 1)).toEqual([4, 5]);
    expect(items(s.train, 1)).toEqual([3, 6]);
    expect(Array.from(s.trainTime ?? [])).toEqual([10, 5, 1]);
    expect(leaveLastN(timed, 3).usersWithHeldOut).toBe(1);
    expect(() => leaveLastN(inter([[0, 1]]), 1)).toThrow('no times');
  });

  it('timeSplit: pairs at or after the cut go to test', () => {
    const timed = inter([[0, 1, 2], [3, 4, 5, 6]], [[30, 10, 20], [5, 9, 9, 1]]);
    const s = timeSplit(timed, 20);
    expect(items(s.test, 0)).toEqual([0, 2]);
    expect(items(s.test, 1)).toEqual([]);
    expect(s.usersWithHeldOut).toBe(1);
  });
});

const udata = resolve(process.cwd(), '../shared/datasets/movielens-100k/u.data');
const hasData = existsSync(udata);
if (!hasData) console.warn('skipping MovieLens split counts: ../shared/datasets absent');
describe.skipIf(!hasData)('MovieLens 100K', () => {
  it('943 × 1682 with 100,000 positives; the 25 % hold-out removes Σ floor(n_u / 4) items', async () => {
    // Independent count straight from the file.
    const perUser = new Map<string, number>();
    for (const line of readFileSync(udata, 'utf8').trim().split('\n')) {
      const u = line.split('\t')[0];
      perUser.set(u, (perUser.get(u) ?? 0) + 1);
    }
    let expected = 0;
    for (const n of perUser.values()) if (n >= 4) expected += Math.floor(n / 4);
    const { result, chunks } = await importFileNode(udata);
    const implicit = await buildInteractions(chunks, result.dictionaries, { kind: 'implicit' });
    expect([implicit.matrix.rows, implicit.matrix.cols, implicit.matrix.idx.length]).toEqual([943, 1682, 100_000]);
    const s = userRandomSplit(implicit, 0.25, 42);
    expect(s.test.idx.length).toBe(expected);
    expect(s.usersWithHeldOut).toBe(perUser.size); // every MovieLens user has ≥ 20 ratings
    const explicit = await buildInteractions(chunks, result.dictionaries);
    expect(explicit.kind).toBe('explicit');
    let sum = 0;
    for (const v of explicit.matrix.val) sum += v;
    expect(sum / 100_000).toBeCloseTo(3.52986, 5); // published mean rating of ML-100k
  });
});
