// Recommender runs as JSON files: an exact round trip (typed arrays, the CSR history, factors,
// neighbour lists), NaN metrics survive, the explorer answers the same after import, and damaged
// files are refused with a reason that names the field.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { csrFromTriples } from '../../src/lib/recommend/csr';
import { fitImplicitAls } from '../../src/lib/ml/als';
import { fitItemKnn } from '../../src/lib/recommend/itemknn';
import { recommendForCustomer } from '../../src/lib/recommend/explore';
import type { RecommendResult } from '../../src/lib/recommend/run';
import type { TopNMetrics } from '../../src/lib/recommend/metrics';
import { RecommendFormatError, recommendFromJson, recommendToJson } from '../../src/lib/recommend/model-json';

// Two taste groups: customers 0–2 buy items 0–2, customers 3–5 buy items 3–5 (one gap each).
const R = [
  [1, 1, 0, 0, 0, 0],
  [1, 0, 1, 0, 0, 0],
  [0, 1, 1, 0, 0, 0],
  [0, 0, 0, 1, 1, 0],
  [0, 0, 0, 1, 0, 1],
  [0, 0, 0, 0, 1, 1],
];

function metrics(k: number, meanPopularity: number): TopNMetrics {
  return { k, precision: 0.25, recall: 0.5, ndcg: 0.4, map: 0.3, hitRate: 0.5, mrr: 0.45, coverage: 0.6, meanPopularity };
}

async function makeRun(): Promise<RecommendResult> {
  await tf.setBackend('cpu');
  const r: number[] = [];
  const c: number[] = [];
  R.forEach((row, u) => row.forEach((v, i) => v && (r.push(u), c.push(i))));
  const history = csrFromTriples(6, 6, r, c, new Array(r.length).fill(1), 'sum');
  const factors = await fitImplicitAls(tf, history, { factors: 2, iterations: 5, seed: 3, regularization: 0.1, alpha: 2 });
  const knn = await fitItemKnn(tf, history, { neighbours: 3, shrink: 0 });
  return {
    createdAt: 1_700_000_000_000,
    backend: 'cpu',
    seconds: 0.5,
    kind: 'implicit',
    params: { algorithms: ['pop', 'als'], split: { kind: 'user-random', fraction: 0.25, seed: 42, minItems: 4 }, ks: [5, 10], headlineK: 10, als: { factors: 2 }, mf: {}, knn: { neighbours: 3 }, sweepFactors: [] },
    split: { users: 6, items: 6, trainInteractions: 10, testInteractions: 2, usersWithHeldOut: 2 },
    comparison: [
      { algo: 'pop', label: 'Popularity', metrics: [metrics(5, NaN), metrics(10, 2)], users: 2, excludedUsers: 4, fitSeconds: 0, evalSeconds: 0, loss: [], rmse: null, mae: null },
      { algo: 'als', label: 'Implicit ALS', metrics: [metrics(5, 1), metrics(10, 2)], users: 2, excludedUsers: 4, fitSeconds: 0.1, evalSeconds: 0, loss: factors.loss, rmse: null, mae: null },
    ],
    sweep: [{ factors: 2, ndcg: 0.4, precision: NaN }],
    // Dataset indices differ from matrix rows/columns, as after re-indexing.
    userIds: Uint32Array.from([10, 11, 12, 13, 14, 15]),
    itemIds: Uint32Array.from([20, 21, 22, 23, 24, 25]),
    history,
    explorerAlgo: 'als',
    factors,
    knn,
    popularity: Float32Array.from([2, 2, 2, 2, 2, 2]),
    segmentPopularity: { runId: 's1', names: ['A', 'B'], ofUser: Int32Array.from([0, 0, 0, 1, 1, -1]) },
    itemMap: { points: new Float32Array(12).map((_, i) => i / 10), explained: [0.7, 0.3] },
  };
}

/** The parts of the written JSON the damage cases touch. */
interface Tagged {
  $typed: string;
  values: number[];
}
interface RunDoc {
  history: { idx: Tagged; ptr: Tagged };
  factors: { itemFactors: Tagged };
  knn: { nbrIdx: Tagged };
  userIds: Tagged;
  params: { algorithms: string[] };
  segmentPopularity: { ofUser: Tagged };
}

describe('recommender runs as JSON files', async () => {
  const run = await makeRun();
  const text = recommendToJson(run);

  it('round-trips a run exactly, typed arrays and NaN metrics included', () => {
    const back = recommendFromJson(text);
    expect(back).toEqual(run);
    expect(back.history.ptr).toBeInstanceOf(Uint32Array);
    expect(back.history.val).toBeInstanceOf(Float32Array);
    expect(back.knn.nbrIdx).toBeInstanceOf(Int32Array);
    expect(back.factors?.itemFactors).toBeInstanceOf(Float32Array);
    expect(back.segmentPopularity?.ofUser).toBeInstanceOf(Int32Array);
    expect(Number.isNaN(back.comparison[0].metrics[0].meanPopularity)).toBe(true);
    expect(back.comparison[0].metrics[1].meanPopularity).toBe(2);
    expect(Number.isNaN(back.sweep?.[0].precision ?? 0)).toBe(true);
    expect(back.comparison[0].rmse).toBeNull();
  });

  it('gives the explorer the same answers after import', async () => {
    const back = recommendFromJson(text);
    // Customer 10 (row 0) bought items 20 and 21: item 22 completes their group, so it ranks first.
    const before = await recommendForCustomer(run, 10, 3);
    const after = await recommendForCustomer(back, 10, 3);
    expect(after).toEqual(before);
    expect(after.items[0].item).toBe(22);
    // A new customer of segment B gets B's favourites, labelled as such.
    const cold = await recommendForCustomer(back, null, 2, 1);
    expect(cold.source).toBe('segment');
    expect(cold.items.map((x) => x.item).every((i) => i >= 23)).toBe(true);
  });

  it('refuses other files with a reason that names the field', () => {
    expect(() => recommendFromJson('not json')).toThrow(/not JSON/);
    expect(() => recommendFromJson('{"format":"shoplens-segmentation","version":1}')).toThrow(RecommendFormatError);
    const damage = (edit: (run: RunDoc) => void) => {
      const doc = JSON.parse(text) as { run: RunDoc };
      edit(doc.run);
      return () => recommendFromJson(JSON.stringify(doc));
    };
    expect(damage((r) => (r.history.idx.values[0] = 6))).toThrow(/history\.idx" must lie in 0…cols−1/);
    expect(damage((r) => r.factors.itemFactors.values.pop())).toThrow(/factors\.itemFactors" must be items × factors/);
    expect(damage((r) => (r.knn.nbrIdx.values[0] = 9))).toThrow(/knn\.nbrIdx" must lie/);
    expect(damage((r) => r.userIds.values.push(99))).toThrow(/userIds" must give one customer per history row/);
    expect(damage((r) => (r.params.algorithms = ['svd++']))).toThrow(/params\.algorithms/);
    expect(damage((r) => (r.history.ptr = { $typed: 'Uint8Array', values: [0] }))).toThrow(/number list is malformed/);
    expect(damage((r) => (r.segmentPopularity.ofUser.values[0] = 2))).toThrow(/segmentPopularity\.ofUser" must lie/);
    const doc = JSON.parse(text);
    doc.version = 2;
    expect(() => recommendFromJson(JSON.stringify(doc))).toThrow(/version 2 is not supported/);
  });
});
