// The recommender comparison end to end on the demo shop (every algorithm on one identical split,
// full ranking), the explorer built from it, and the everyone-top-N CSV — plus a hand-made shop
// whose answers are known without running any model.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import { chunk, dicts, importDemoShop, type Ev } from './features-helpers';
import { runRecommend, type RecommendResult } from '../../src/lib/recommend/run';
import { recommendForCustomer, recommendationsCsv, similarItems } from '../../src/lib/recommend/explore';
import { makeJobContext } from '../../src/lib/compute/jobs';

describe('runRecommend on the demo shop', () => {
  let result: RecommendResult;

  beforeAll(async () => {
    await tf.setBackend('wasm');
    const shop = importDemoShop();
    result = await runRecommend(tf, shop.chunks, shop.result.dictionaries, { als: { factors: 16, iterations: 8 }, sweepFactors: [4, 16] }, makeJobContext());
  }, 240_000);

  it('evaluates every algorithm on the same users, and ALS beats popularity', () => {
    expect(result.kind).toBe('implicit');
    expect(result.comparison.map((a) => a.algo)).toEqual(['pop', 'itemknn', 'als']);
    const users = new Set(result.comparison.map((a) => a.users));
    expect(users.size).toBe(1);
    expect([...users][0]).toBe(result.split.usersWithHeldOut);
    const at10 = (algo: string) => result.comparison.find((a) => a.algo === algo)?.metrics.find((m) => m.k === 10);
    expect(at10('als')?.ndcg).toBeGreaterThan((at10('pop')?.ndcg ?? 1) * 1.2);
    // ALS's loss falls over its iterations.
    const loss = result.comparison.find((a) => a.algo === 'als')?.loss ?? [];
    expect(loss.length).toBe(8);
    expect(loss[loss.length - 1]).toBeLessThan(loss[0]);
    expect(result.sweep?.map((p) => p.factors)).toEqual([4, 16]);
    expect(result.itemMap?.points.length).toBe(2 * result.split.items);
  });

  it('recommends unseen items with reasons from the customer history', async () => {
    const customer = result.userIds[0];
    const recs = await recommendForCustomer(result, customer, 10);
    expect(recs.source).toBe('personal');
    expect(recs.items).toHaveLength(10);
    const seen = new Set(recs.history.map((h) => h.item));
    for (const r of recs.items) expect(seen.has(r.item)).toBe(false);
    for (let i = 1; i < recs.items.length; i++) expect(recs.items[i].score).toBeLessThanOrEqual(recs.items[i - 1].score);
    expect(recs.items.some((r) => r.because.length > 0 && r.because.every((b) => seen.has(b)))).toBe(true);
  });

  it('answers a customer without history with global popularity, labelled', async () => {
    const recs = await recommendForCustomer(result, null, 5);
    expect(recs.source).toBe('global');
    expect(recs.sourceLabel).toMatch(/most popular items overall/);
    const pops = recs.items.map((r) => result.popularity[result.itemIds.indexOf(r.item)]);
    expect(Math.min(...pops)).toBeGreaterThanOrEqual(Math.max(...Array.from(result.popularity).sort((a, b) => b - a).slice(5)));
  });
});

describe('explorer on a hand-made shop', () => {
  // Customers 0–2 buy items 0 and 1 together; customer 3 buys only item 0; item 2 is bought by 1 and 2;
  // item 3 by nobody but customer 4. The named item 1 carries a formula-looking name.
  const ev = (c: number, i: number, day: number): Ev => ({ c, o: c * 10 + day, i, t: `2024-01-${String(day).padStart(2, '0')}T00:00:00Z`, a: 1, type: 'purchase' });
  const events: Ev[] = [ev(0, 0, 1), ev(0, 1, 2), ev(1, 0, 1), ev(1, 1, 2), ev(1, 2, 3), ev(2, 0, 1), ev(2, 1, 2), ev(2, 2, 4), ev(3, 0, 5), ev(4, 3, 6)];
  const d = dicts(5, 50, [0, 0, 0, 0], ['all']);
  d.itemNames[1] = '=HYPERLINK("http://x","y")';

  it('recommends what co-occurs with the history and says why; the CSV defuses formulas', async () => {
    await tf.setBackend('cpu');
    const r = await runRecommend(tf, [chunk(0, events)], d, { algorithms: ['pop', 'itemknn'], split: { kind: 'user-random', fraction: 0.5, seed: 1, minItems: 2 }, sweepFactors: [] }, makeJobContext());
    // Customer 3 bought item 0; item 1 co-occurs with item 0 for three customers, more than item 2 (two).
    const recs = await recommendForCustomer(r, 3, 2);
    expect(recs.items[0].item).toBe(1);
    expect(recs.items[0].because).toEqual([0]);
    expect(similarItems(r, 0, 1)[0].item).toBe(1);
    const csv = await recommendationsCsv(r, d, 1);
    expect(csv.split('\r\n')[0]).toBe('customer_id,rank,item_id,item_name,score,reason');
    const line = csv.split('\r\n').find((l) => l.startsWith('c3,'));
    expect(line).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(line).toMatch(/because you bought i0/);
  });

  it('adds popularity within the segment when a segmentation is given, and uses it for a new customer', async () => {
    await tf.setBackend('cpu');
    // Segment 1 = customers 1, 2 and 4: items 0, 1 and 2 have two buyers there, item 3 one; global
    // popularity breaks the tie: item 0 (4 buyers) > 1 (3) > 2 (2).
    const segments = { runId: 's', names: ['first', 'second'], ofCustomer: Int32Array.from([0, 1, 1, 0, 1]) };
    const r = await runRecommend(tf, [chunk(0, events)], d, { algorithms: ['pop', 'itemknn'], split: { kind: 'user-random', fraction: 0.5, seed: 1, minItems: 2 }, sweepFactors: [], segments }, makeJobContext());
    expect(r.comparison.map((a) => a.algo)).toEqual(['pop', 'segpop', 'itemknn']);
    const recs = await recommendForCustomer(r, null, 4, 1);
    expect(recs.source).toBe('segment');
    expect(recs.sourceLabel).toMatch(/“second” segment/);
    expect(recs.items.map((x) => x.item)).toEqual([0, 1, 2, 3]);
    // Segment 0 = customers 0 and 3: item 0 (both) first, then item 1 (one).
    expect((await recommendForCustomer(r, null, 2, 0)).items.map((x) => x.item)).toEqual([0, 1]);
  });
});
