// Teach mode's ALS trace: the block is the most popular items × the most active customers (hand
// case); on a planted two-taste block the trace learns the tastes (held-out items rank first, so
// NDCG reaches 1; in-taste cells reconstruct higher than out-of-taste ones); the exact solver's loss
// never rises; the trace is the prefix of one full fit; cpu and wasm agree; the worker job reads a
// stored dataset, labels rows and columns, honours cancel and leaves no tensors behind.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import 'fake-indexeddb/auto';
import { csrFromTriples, type Csr } from '../../src/lib/recommend/csr';
import { fitImplicitAls } from '../../src/lib/ml/als';
import { alsTraceJob, reconstruct, selectBlock, traceAls } from '../../src/lib/recommend/trace';
import { userRandomSplit } from '../../src/lib/recommend/split';
import { detectImport } from '../../src/lib/data/detect';
import { ingest } from '../../src/lib/ingest/pipeline';
import { bytesSource } from './byte-source';
import { openStore } from '../../src/lib/store';
import { makeJobContext } from '../../src/lib/compute/jobs';

function csr(dense: number[][]): Csr {
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  dense.forEach((row, u) => row.forEach((x, i) => x && (r.push(u), c.push(i), v.push(x))));
  return csrFromTriples(dense.length, dense[0].length, r, c, v, 'sum');
}

/** 12 customers × 8 items: customers 0–5 bought items 0–3, customers 6–11 bought items 4–7. */
const planted = csr(Array.from({ length: 12 }, (_, u) => Array.from({ length: 8 }, (_, i) => (u < 6 === i < 4 ? 1 : 0))));
const OPTS = { factors: 2, iterations: 8, regularization: 0.1, alpha: 2, seed: 5 };

describe('selectBlock', () => {
  it('keeps the most popular items, then the customers with most of them, best first', () => {
    // Column counts: item0 3, item1 1, item2 2, item3 0 → the two most popular are 0 and 2.
    // Within items {0, 2}: row0 has 2, row1 1, row2 1, row3 0 → rows 0 then 1 (tie with 2 → lower).
    const m = csr([
      [1, 1, 5, 0],
      [1, 0, 0, 0],
      [3, 0, 2, 0],
      [0, 0, 0, 0],
    ]);
    const b = selectBlock(m, 2, 2);
    expect(Array.from(b.cols)).toEqual([0, 2]);
    expect(Array.from(b.rows)).toEqual([0, 2]);
    expect(b.block.rows).toBe(2);
    expect(Array.from(b.block.idx)).toEqual([0, 1, 0, 1]);
    expect(Array.from(b.block.val)).toEqual([1, 5, 3, 2]);
    // A matrix that fits is taken whole, minus customers with no items.
    const all = selectBlock(m, 30, 20);
    expect(Array.from(all.cols)).toEqual([0, 2, 1]);
    expect(Array.from(all.rows)).toEqual([0, 2, 1]);
    expect(() => selectBlock(m, 1, 5)).toThrow('maxUsers must be an integer ≥ 2, got 1');
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`traceAls on ${backend}`, () => {
    it('learns the planted tastes; loss never rises; NDCG reaches 1; no tensors left', async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      const before = tf.memory().numTensors;
      const t = await traceAls(tf, planted, OPTS);
      expect(tf.memory().numTensors).toBe(before);
      expect(t.steps).toHaveLength(8);
      // 25 % of 4 items = 1 held-out cell per customer, inside the customer's own taste.
      expect(t.usersEvaluated).toBe(12);
      expect(t.heldOut.reduce((a, b) => a + b, 0)).toBe(12);
      for (let u = 0; u < 12; u++) for (let i = 0; i < 8; i++) if (t.heldOut[u * 8 + i]) expect(u < 6).toBe(i < 4);
      for (let s = 1; s < t.steps.length; s++) expect(t.steps[s].loss).toBeLessThanOrEqual(t.steps[s - 1].loss * (1 + 1e-5));
      const last = t.steps[t.steps.length - 1];
      // Each customer's one held-out item is the only in-taste item among the 5 unseen: rank 1.
      expect(last.ndcg).toBeCloseTo(1, 6);
      expect(last.precision).toBeCloseTo(1 / t.k, 6);
      for (let u = 0; u < 12; u++) {
        const inTaste: number[] = [];
        const outTaste: number[] = [];
        for (let i = 0; i < 8; i++) (u < 6 === i < 4 ? inTaste : outTaste).push(last.reconstruction[u * 8 + i]);
        expect(Math.min(...inTaste)).toBeGreaterThan(Math.max(...outTaste) + 0.3);
      }
    });
  });
}

describe('traceAls against one full fit', () => {
  it('records exactly the iterations of fitImplicitAls from the same seed', async () => {
    await tf.setBackend('cpu');
    const t = await traceAls(tf, planted, OPTS);
    const inter = { kind: 'implicit' as const, matrix: planted, time: new Float64Array(planted.idx.length).fill(NaN), userIds: new Uint32Array(12), itemIds: new Uint32Array(8) };
    const train = userRandomSplit(inter, 0.25, OPTS.seed, 4).train;
    const fit = await fitImplicitAls(tf, train, { ...OPTS, solver: 'cholesky' });
    expect(t.steps.map((s) => s.loss)).toEqual(fit.loss);
    const x = reconstruct(fit.userFactors, fit.itemFactors, 12, 8, 2);
    const last = t.steps[t.steps.length - 1].reconstruction;
    for (let e = 0; e < x.length; e++) expect(last[e]).toBeCloseTo(x[e], 6);
    // Hand check of reconstruct: [1 2; 3 4] · [5 6; 7 8]ᵀ = [17 23; 39 53].
    expect(Array.from(reconstruct(Float32Array.of(1, 2, 3, 4), Float32Array.of(5, 6, 7, 8), 2, 2, 2))).toEqual([17, 23, 39, 53]);
    const again = await traceAls(tf, planted, OPTS);
    expect(again).toEqual(t);
  });
});


describe('the alsTrace job (fake IndexedDB, wasm)', () => {
  it('traces the most active customers × most popular items of the stored dataset', async () => {
    await tf.setBackend('wasm');
    const db = await openStore();
    // 40 customers; item pN is bought by N+1 … customers, so popularity order is p9, p8, …, p0.
    const lines = ['order_id,customer_id,item_id,timestamp,quantity,unit_price'];
    let order = 0;
    for (let c = 0; c < 40; c++) for (let item = 0; item < 10; item++) if (c % 10 <= item) lines.push(`o${order++},cust${c},p${item},2024-03-${String(1 + (c % 27)).padStart(2, '0')}T10:00:00Z,1,5.00`);
    const csv = lines.join('\n');
    const meta = await ingest({ db, source: bytesSource(csv, 4096), settings: detectImport(csv, 'shop.csv'), fileName: 'shop.csv', name: 'Shop', origin: 'file' });
    const before = tf.memory().numTensors;
    const r = await alsTraceJob(tf, { datasetId: meta.id, factors: 2, iterations: 3, regularization: 0.1, alpha: 2, seed: 1, maxUsers: 6, maxItems: 9 }, makeJobContext());
    expect(tf.memory().numTensors).toBe(before);
    expect(r.totalUsers).toBe(40);
    expect(r.totalItems).toBe(10);
    expect(r.itemLabels).toEqual(['p9', 'p8', 'p7', 'p6', 'p5', 'p4', 'p3', 'p2', 'p1']);
    // Customer c bought p(c mod 10)…p9: within p1…p9 those with c mod 10 ∈ {0, 1} have all 9 items;
    // ties go to the earlier customer (c0, c1, c10, c11, c20, c21), the next (c mod 10 = 2) have 8.
    expect(r.customerIds).toEqual(['cust0', 'cust1', 'cust10', 'cust11', 'cust20', 'cust21']);
    expect(r.steps).toHaveLength(3);
    expect(r.steps[0].reconstruction).toHaveLength(54);
    expect(Array.from(r.strength.subarray(0, 9))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    const ac = new AbortController();
    ac.abort();
    await expect(alsTraceJob(tf, { datasetId: meta.id, ...OPTS }, makeJobContext(ac.signal))).rejects.toThrow('job cancelled');
  });
});
