// Item-kNN on a hand-worked 4 × 4 matrix (cpu and wasm, any block size), reasons, and on MovieLens
// 100K against the scikit-learn popularity/PureSVD reference (tests/fixtures/sklearn/ml100k-topn.json,
// made by make_ml100k_topn.py on our own split).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { csrFromTriples } from '../../src/lib/recommend/csr';
import { evaluateTopN, topN } from '../../src/lib/recommend/evaluate';
import { fitItemKnn, itemKnnScorer, similarity } from '../../src/lib/recommend/itemknn';
import { explain, reasonText } from '../../src/lib/recommend/reasons';
import { buildInteractions } from '../../src/lib/recommend/interactions';
import { userRandomSplit } from '../../src/lib/recommend/split';
import { popularityModel } from '../../src/lib/recommend/popularity';
import { importFileNode } from '../../src/lib/data/read-file.node.ts';

// Users × items (0/1): u0 {0,1}, u1 {0,1,2}, u2 {1,2}, u3 {3}.
// Norms √2, √3, √2, 1; dots (0,1) = 2, (0,2) = 1, (1,2) = 2, with item 3: 0. Shrink 1:
//   sim(0,1) = sim(1,2) = 2 / (√6 + 1), sim(0,2) = 1 / (2 + 1).
const train = csrFromTriples(4, 4, [0, 0, 1, 1, 1, 2, 2, 3], [0, 1, 0, 1, 2, 1, 2, 3], [1, 1, 1, 1, 1, 1, 1, 1], 'sum');
const s01 = 2 / (Math.sqrt(6) + 1);
const s02 = 1 / 3;

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`item-kNN on ${backend}`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      await tf.ready();
    });

    it('hand-worked cosine with shrinkage; ties to the lower index; no tensors left', async () => {
      const before = tf.memory().numTensors;
      for (const blocks of [{ blockItems: 512 }, { blockItems: 1, maxSliceFloats: 4 }, { blockItems: 3 }]) {
        const knn = await fitItemKnn(tf, train, { neighbours: 2, shrink: 1, ...blocks });
        expect(knn.neighbours).toBe(2);
        expect(Array.from(knn.nbrIdx)).toEqual([1, 2, 0, 2, 1, 0, -1, -1]);
        const expected = [s01, s02, s01, s01, s01, s02, 0, 0];
        knn.nbrSim.forEach((s, i) => expect(s).toBeCloseTo(expected[i], 6));
        expect(similarity(knn, 2, 0)).toBeCloseTo(s02, 6);
        expect(similarity(knn, 0, 3)).toBe(0);
      }
      expect(tf.memory().numTensors).toBe(before);
    });

    it('scores Σ of similarities and explains with the top contributors', async () => {
      const knn = await fitItemKnn(tf, train, { neighbours: 2, shrink: 1 });
      const scorer = itemKnnScorer(knn, train);
      const scores = await scorer.scoreBatch(Uint32Array.of(0, 3));
      // u0 = items 0, 1 → item 2: sim(0,2) + sim(1,2); item 3: 0. u3 = item 3 → nothing similar.
      expect(scores[2]).toBeCloseTo(s02 + s01, 6);
      expect(scores[3]).toBe(0);
      expect(Array.from(scores.subarray(4))).toEqual([0, 0, 0, 0]);
      expect(Array.from((await topN(scorer, train, 0, 1)).items)).toEqual([2]);
      const why = explain(knn, { idx: train.idx.subarray(0, 2) }, 2);
      expect(why.map((r) => r.item)).toEqual([1, 0]);
      expect(why[0].contribution).toBeCloseTo(s01, 6);
      expect(explain(knn, { idx: [3] }, 2)).toEqual([]);
      expect(reasonText(['Milk', 'Bread'])).toBe('because you bought Milk and Bread');
      expect(reasonText(['Alien'], 'rated')).toBe('because you rated Alien');
      expect(reasonText([])).toBe('');
    });
  });
}

interface Ref { split: { fraction: number; seed: number; minItems: number; users: number; heldOut: number }; popularity: Record<string, number>; pureSvd: Record<string, number> }
const ref = JSON.parse(readFileSync(resolve(process.cwd(), 'tests/fixtures/sklearn/ml100k-topn.json'), 'utf8')) as Ref;
const udata = resolve(process.cwd(), '../shared/datasets/movielens-100k/u.data');
const hasData = existsSync(udata);
if (!hasData) console.warn('skipping MovieLens top-N checks: ../shared/datasets absent');
describe.skipIf(!hasData)('MovieLens 100K top-10, our split', () => {
  let split: ReturnType<typeof userRandomSplit>;
  beforeAll(async () => {
    const { result, chunks } = await importFileNode(udata);
    const inter = await buildInteractions(chunks, result.dictionaries, { kind: 'implicit' });
    split = userRandomSplit(inter, ref.split.fraction, ref.split.seed, ref.split.minItems);
  });

  it('the split is the one the reference was computed on', () => {
    expect(split.usersWithHeldOut).toBe(ref.split.users);
    expect(split.test.idx.length).toBe(ref.split.heldOut);
  });

  it('popularity equals the numpy computation to 1e-9 and is near the published 0.223 / 0.111 / 0.248 / 0.133', async () => {
    const r = await evaluateTopN(popularityModel(split.train), split.train, split.test, { ks: [10] });
    const m = r.metrics[0];
    expect(r.users).toBe(ref.split.users);
    for (const key of ['precision', 'recall', 'ndcg', 'map', 'hitRate'] as const) expect(Math.abs(m[key] - ref.popularity[key])).toBeLessThan(1e-9);
    const published = { precision: 0.223, recall: 0.111, ndcg: 0.248, map: 0.133 };
    for (const [key, v] of Object.entries(published)) expect(Math.abs(m[key as keyof typeof published] - v)).toBeLessThan(0.015);
  });

  it('item-kNN beats popularity by a wide margin and covers more of the catalogue', async () => {
    await tf.setBackend('wasm');
    const knn = await fitItemKnn(tf, split.train);
    const r = await evaluateTopN(itemKnnScorer(knn, split.train), split.train, split.test, { ks: [10] });
    const m = r.metrics[0];
    const pop = (await evaluateTopN(popularityModel(split.train), split.train, split.test, { ks: [10] })).metrics[0];
    console.log(`ML-100k item-kNN@10: P ${m.precision.toFixed(4)} R ${m.recall.toFixed(4)} NDCG ${m.ndcg.toFixed(4)} MAP ${m.map.toFixed(4)} coverage ${m.coverage.toFixed(4)} (PureSVD P ${ref.pureSvd.precision.toFixed(4)} NDCG ${ref.pureSvd.ndcg.toFixed(4)})`);
    expect(m.precision).toBeGreaterThan(ref.popularity.precision * 1.3);
    expect(m.ndcg).toBeGreaterThan(ref.popularity.ndcg * 1.3);
    expect(m.coverage).toBeGreaterThan(2 * pop.coverage);
    expect(m.meanPopularity).toBeLessThan(pop.meanPopularity);
  });
});
