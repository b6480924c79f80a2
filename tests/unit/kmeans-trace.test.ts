// The step mode's k-means trace: hand-worked 1-D traces (each stopping rule), agreement with
// scikit-learn's Lloyd run from the same start (fixture) and with KMeans.fit (nInit 1, same seed),
// non-increasing inertia through every assignment and update, no tensors left behind — on cpu and wasm.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import 'fake-indexeddb/auto';
import { KMeans } from '../../src/lib/ml/kmeans';
import { kmeansTraceJob, sampleRows, takeRows, traceKMeans, type KMeansTraceCore } from '../../src/lib/segment/trace';
import { computeFeatures, segmentCustomers } from '../../src/lib/segment/run';
import { suggestPrep } from '../../src/lib/features/prepare';
import { detectImport } from '../../src/lib/data/detect';
import { ingest } from '../../src/lib/ingest/pipeline';
import { bytesSource } from './byte-source';
import { getDictionaries, openStore, readChunks } from '../../src/lib/store';
import { makeJobContext } from '../../src/lib/compute/jobs';
import { Random } from '../../src/lib/random';

interface Case {
  name: string;
  n: number;
  d: number;
  k: number;
  x: number[];
  init: number[];
  lloyd: { labels: number[]; inertia: number; nIter: number; centers: number[] };
}
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/sklearn/kmeans-fixtures.json', import.meta.url), 'utf8')) as { cases: Case[] };
const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** Inertia after assignment 1, after update 1, after assignment 2, … in play order. */
function inertiaSequence(t: KMeansTraceCore): number[] {
  return t.steps.flatMap((s) => (s.inertiaAfterUpdate === null ? [s.inertia] : [s.inertia, s.inertiaAfterUpdate]));
}

describe('sampleRows', () => {
  it('draws m distinct rows in ascending order, the same for the same seed', () => {
    const a = sampleRows(1000, 100, 7);
    expect(a).toHaveLength(100);
    expect(new Set(a).size).toBe(100);
    for (let i = 1; i < a.length; i++) expect(a[i]).toBeGreaterThan(a[i - 1]);
    expect(a[a.length - 1]).toBeLessThan(1000);
    expect(Array.from(sampleRows(1000, 100, 7))).toEqual(Array.from(a));
    expect(Array.from(sampleRows(1000, 100, 8))).not.toEqual(Array.from(a));
    expect(Array.from(sampleRows(5, 10, 0))).toEqual([0, 1, 2, 3, 4]);
  });
  it('takeRows copies the chosen rows', () => {
    expect(Array.from(takeRows(new Float32Array([0, 1, 2, 3, 4, 5]), 2, new Uint32Array([0, 2])))).toEqual([0, 1, 4, 5]);
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`k-means trace on ${backend}`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      await tf.ready();
    });

    // x = 0, 1, 10, 11 from centres 0 and 1 (worked by hand):
    // step 1: labels 0 1 1 1, inertia 0 + 0 + 81 + 100 = 181; means 0 and 22/3, after-update
    //   inertia (1 − 22/3)² + (10 − 22/3)² + (11 − 22/3)² = (361 + 64 + 121) / 9 = 546/9; shift (19/3)² = 361/9.
    // step 2: labels 0 0 1 1, inertia 1 + 64/9 + 121/9 = 194/9; means 0.5 and 10.5, after 4 × 0.25 = 1;
    //   shift 0.25 + (10.5 − 22/3)² = 0.25 + (19/6)² = 370/36.
    // step 3: labels unchanged → strict convergence, inertia 1, no update.
    const x1 = new Float32Array([0, 1, 10, 11]);
    const init1 = new Float32Array([0, 1]);

    it('hand-worked 1-D trace, strict convergence', async () => {
      const t = await traceKMeans(tf, x1, 4, 1, { k: 2, init: init1 });
      expect(t.stop).toBe('unchanged');
      expect(t.nIter).toBe(3);
      expect(t.steps.map((s) => s.iteration)).toEqual([1, 2, 3]);
      expect(t.steps.map((s) => Array.from(s.labels))).toEqual([
        [0, 1, 1, 1],
        [0, 0, 1, 1],
        [0, 0, 1, 1],
      ]);
      expect(t.steps.map((s) => s.changed)).toEqual([4, 1, 0]);
      const want = [181, 194 / 9, 1];
      t.steps.forEach((s, i) => expect(s.inertia).toBeCloseTo(want[i], 4));
      expect(t.steps[0].inertiaAfterUpdate).toBeCloseTo(546 / 9, 4);
      expect(t.steps[1].inertiaAfterUpdate).toBeCloseTo(1, 5);
      expect(t.steps[0].shift).toBeCloseTo(361 / 9, 4);
      expect(t.steps[1].shift).toBeCloseTo(370 / 36, 4);
      expect(t.steps[2].shift).toBeNull();
      expect(t.steps[2].inertiaAfterUpdate).toBeNull();
      expect(Array.from(t.steps[0].centers)).toEqual([0, 1]);
      expect(t.steps[2].centers[0]).toBeCloseTo(0.5, 6);
      expect(t.steps[2].centers[1]).toBeCloseTo(10.5, 5);
    });

    it('hand-worked 1-D trace, stop on the shift tolerance, then a final re-assignment', async () => {
      // Feature variance of 0, 1, 10, 11 is 25.25, so tol 1 allows a shift ≤ 25.25: step 1 (40.1)
      // goes on, step 2 (10.28) stops; the final step re-assigns to 0.5 and 10.5 (inertia 1).
      const t = await traceKMeans(tf, x1, 4, 1, { k: 2, init: init1, tol: 1 });
      expect(t.tolerance).toBeCloseTo(25.25, 6);
      expect(t.stop).toBe('tolerance');
      expect(t.nIter).toBe(2);
      expect(t.steps.map((s) => s.iteration)).toEqual([1, 2, 3]);
      expect(Array.from(t.steps[2].labels)).toEqual([0, 0, 1, 1]);
      expect(t.steps[2].changed).toBe(0);
      expect(t.steps[2].inertia).toBeCloseTo(1, 5);
      expect(t.steps[1].shift).not.toBeNull();
      expect(t.steps[2].shift).toBeNull();
    });

    it('hand-worked 1-D trace, stop at maxIter', async () => {
      // One iteration moves the centres to 0 and 22/3; the final assignment puts 1 with 0: 1 + 64/9 + 121/9.
      const t = await traceKMeans(tf, x1, 4, 1, { k: 2, init: init1, maxIter: 1 });
      expect(t.stop).toBe('maxIter');
      expect(t.nIter).toBe(1);
      expect(t.steps).toHaveLength(2);
      expect(Array.from(t.steps[1].labels)).toEqual([0, 0, 1, 1]);
      expect(t.steps[1].changed).toBe(1);
      expect(t.steps[1].inertia).toBeCloseTo(194 / 9, 4);
    });

    for (const c of fixtures.cases) {
      it(`${c.name}: from sklearn's start, the trace ends on sklearn's labels, inertia and iteration count`, async () => {
        const t = await traceKMeans(tf, Float32Array.from(c.x), c.n, c.d, { k: c.k, init: Float32Array.from(c.init), maxIter: 300 });
        const last = t.steps[t.steps.length - 1];
        expect(Array.from(last.labels)).toEqual(c.lloyd.labels);
        expect(relErr(last.inertia, c.lloyd.inertia)).toBeLessThan(1e-4);
        expect(t.nIter).toBe(c.lloyd.nIter);
        for (let i = 0; i < last.centers.length; i++) expect(Math.abs(last.centers[i] - c.lloyd.centers[i])).toBeLessThan(1e-4);
      });

      it(`${c.name}: k-means++ start — same labels and inertia as KMeans.fit with nInit 1 and the same seed`, async () => {
        const x = Float32Array.from(c.x);
        for (const seed of [0, 3]) {
          const fit = await new KMeans({ k: c.k, nInit: 1, seed, maxIter: 300 }).fit(tf, x, c.n, c.d);
          const t = await traceKMeans(tf, x, c.n, c.d, { k: c.k, seed, maxIter: 300 });
          const last = t.steps[t.steps.length - 1];
          expect(Array.from(last.labels)).toEqual(Array.from(fit.labels));
          expect(relErr(last.inertia, fit.inertia)).toBeLessThan(1e-9);
          expect(t.nIter).toBe(fit.nIter);
        }
      });

      it(`${c.name}: inertia never increases, through every assignment and every update`, async () => {
        const t = await traceKMeans(tf, Float32Array.from(c.x), c.n, c.d, { k: c.k, seed: 1, maxIter: 300 });
        const seq = inertiaSequence(t);
        expect(seq.length).toBeGreaterThanOrEqual(3);
        // Lloyd's guarantee; the slack covers float32 distances picking between near-ties.
        for (let i = 1; i < seq.length; i++) expect(seq[i]).toBeLessThanOrEqual(seq[i - 1] * (1 + 1e-6));
        expect(seq[seq.length - 1]).toBeLessThan(seq[0]);
      });
    }

    it('the overlapping set takes many steps (a trace worth playing) and maxIter caps it', async () => {
      const c = fixtures.cases.find((f) => f.name.startsWith('overlap')) as Case;
      const t = await traceKMeans(tf, Float32Array.from(c.x), c.n, c.d, { k: c.k, init: Float32Array.from(c.init), maxIter: 5 });
      expect(t.stop).toBe('maxIter');
      expect(t.nIter).toBe(5);
      expect(t.steps).toHaveLength(6);
    });

    it('leaves no tensors behind (including a cancelled trace)', async () => {
      const c = fixtures.cases[0];
      const x = Float32Array.from(c.x);
      const before = tf.memory().numTensors;
      for (let seed = 0; seed < 3; seed++) await traceKMeans(tf, x, c.n, c.d, { k: c.k, seed });
      await traceKMeans(tf, x, c.n, c.d, { k: c.k, seed: 1, maxIter: 1 });
      const ac = new AbortController();
      ac.abort();
      await expect(traceKMeans(tf, x, c.n, c.d, { k: c.k }, ac.signal)).rejects.toThrow('job cancelled');
      expect(tf.memory().numTensors).toBe(before);
    });

    it('names a bad k or maxIter', async () => {
      await expect(traceKMeans(tf, x1, 4, 1, { k: 5 })).rejects.toThrow('k must be an integer in 1..4, got 5');
      await expect(traceKMeans(tf, x1, 4, 1, { k: 2, maxIter: 0 })).rejects.toThrow('maxIter must be an integer ≥ 1, got 0');
    });
  });
}

/** 60 customers with 1–5 orders of varied size and date (seeded), as an order-lines CSV. */
function shopCsv(): string {
  const rng = new Random(11);
  const lines = ['order_id,customer_id,item_id,timestamp,quantity,unit_price'];
  let order = 0;
  for (let c = 0; c < 60; c++) {
    const orders = 1 + rng.int(5);
    const big = c % 3 === 0;
    for (let o = 0; o < orders; o++) {
      const day = 1 + rng.int(27);
      const month = 1 + rng.int(12);
      const date = `2024-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T10:00:00Z`;
      lines.push(`o${order++},c${c},item${rng.int(8)},${date},${1 + rng.int(3)},${(big ? 40 : 5) + rng.int(20)}.00`);
    }
  }
  return lines.join('\n');
}


describe('the kmeansTrace job (fake IndexedDB, wasm)', () => {
  it('traces the stored dataset: all customers match a one-restart run; above maxPoints a sample', async () => {
    await tf.setBackend('wasm');
    const db = await openStore();
    const csv = shopCsv();
    const meta = await ingest({ db, source: bytesSource(csv, 4096), settings: detectImport(csv, 'shop.csv'), fileName: 'shop.csv', name: 'Shop', origin: 'file' });
    expect(meta.stats.customers).toBe(60);
    const features = await computeFeatures(readChunks(db, meta.id), await getDictionaries(db, meta.id), meta.stats.lastTime ?? 0);
    const prep = suggestPrep(features);
    const run = await segmentCustomers(tf, features, { k: 3, nInit: 1, seed: 2, prep }, makeJobContext());

    const before = tf.memory().numTensors;
    const all = await kmeansTraceJob(tf, { datasetId: meta.id, k: 3, seed: 2, prep }, makeJobContext());
    expect(all.sampled).toBe(false);
    expect(all.n).toBe(60);
    expect(all.total).toBe(60);
    const last = all.steps[all.steps.length - 1];
    expect(Array.from(last.labels)).toEqual(Array.from(run.labels));
    expect(relErr(last.inertia, run.inertia)).toBeLessThan(1e-9);
    expect(all.nIter).toBe(run.iterations);
    // Same PCA as the run's picture, so the step mode and the Segments scatter share axes.
    expect(Array.from(all.projection)).toEqual(Array.from(run.projection));
    for (let i = 0; i < last.centerProjection.length; i++) expect(Math.abs(last.centerProjection[i] - run.centerProjection[i])).toBeLessThan(1e-5);
    all.steps.forEach((s) => {
      expect(s.labels).toHaveLength(60);
      expect(s.centerProjection).toHaveLength(6);
    });

    const part = await kmeansTraceJob(tf, { datasetId: meta.id, k: 3, seed: 2, prep, maxPoints: 25, maxIter: 4 }, makeJobContext());
    expect(part.sampled).toBe(true);
    expect(part.n).toBe(25);
    expect(part.total).toBe(60);
    expect(part.projection).toHaveLength(50);
    expect(part.steps[0].labels).toHaveLength(25);
    expect(part.nIter).toBeLessThanOrEqual(4);

    const ac = new AbortController();
    ac.abort();
    await expect(kmeansTraceJob(tf, { datasetId: meta.id, k: 3 }, makeJobContext(ac.signal))).rejects.toThrow('job cancelled');
    await expect(kmeansTraceJob(tf, { datasetId: meta.id, k: 3, maxPoints: 2 }, makeJobContext())).rejects.toThrow('maxPoints must be an integer ≥ max(2, k), got 2');
    expect(tf.memory().numTensors).toBe(before);
  });
});
