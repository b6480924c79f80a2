// Exact full-ranking evaluation and the popularity baselines on hand-made matrices.
import { describe, expect, it } from 'vitest';
import { csrFromTriples } from '../../src/lib/recommend/csr';
import { evaluateTopN, selectTopK, topN, type ScoreModel } from '../../src/lib/recommend/evaluate';
import { popularityModel, segmentPopularityModel } from '../../src/lib/recommend/popularity';

/** A model that returns fixed per-user score rows. */
function fixedModel(rows: number[][]): ScoreModel & { calls: number[][] } {
  const calls: number[][] = [];
  return {
    items: rows[0].length,
    calls,
    async scoreBatch(users) {
      calls.push(Array.from(users));
      return Float32Array.from(Array.from(users).flatMap((u) => rows[u]));
    },
  };
}

describe('selectTopK', () => {
  it('ties rank the lower item index first; excluded items and NaN handled', () => {
    const s = Float32Array.of(1, 2, 2, 0.5, 2, NaN);
    expect(Array.from(selectTopK(s, 0, 6, 3).items)).toEqual([1, 2, 4]);
    expect(Array.from(selectTopK(s, 0, 6, 3, [2]).items)).toEqual([1, 4, 0]);
    // NaN counts as -Infinity: last, but still a candidate when nothing else is left
    expect(Array.from(selectTopK(s, 0, 6, 6).items)).toEqual([1, 2, 4, 0, 3, 5]);
    expect(selectTopK(s, 0, 6, 0).items.length).toBe(0);
  });
});

describe('evaluateTopN', () => {
  // 3 users × 4 items. Train: u0 {0}, u1 {1, 2}, u2 {0, 1}. Test: u0 {2, 3}, u1 {}, u2 {1 (also in train)}.
  const train = csrFromTriples(3, 4, [0, 1, 1, 2, 2], [0, 1, 2, 0, 1], [1, 1, 1, 1, 1], 'sum');
  const test = csrFromTriples(3, 4, [0, 0, 2], [2, 3, 1], [1, 1, 1], 'sum');
  const scores = [
    [9, 1, 3, 3], // u0: item 0 is in train; 2 and 3 tie at 3 → 2 first, then 3
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ];

  it('ranks unseen items only, excludes users without held-out items, and counts them', async () => {
    const model = fixedModel(scores);
    const r = await evaluateTopN(model, train, test, { ks: [1, 2] });
    // u1 has no test items; u2's only test item is in its train row, so it is dropped: both excluded.
    expect(r.users).toBe(1);
    expect(r.excludedUsers).toBe(2);
    expect(model.calls).toEqual([[0]]);
    const [at1, at2] = r.metrics;
    expect(at1.precision).toBe(1); // item 2
    expect(at1.recall).toBe(0.5);
    expect(at2.precision).toBe(1); // items 2, 3
    expect(at2.recall).toBe(1);
    expect(at2.ndcg).toBeCloseTo(1, 12);
    // coverage @2: {2, 3} of 4 items; popularity default = train users per item: item 2 → 1, item 3 → 0
    expect(at2.coverage).toBe(0.5);
    expect(at2.meanPopularity).toBe(0.5);
  });

  it('gives the same figures for any batch size, and rejects mismatched shapes', async () => {
    const one = await evaluateTopN(fixedModel(scores), train, test, { ks: [2], batchSize: 1 });
    const all = await evaluateTopN(fixedModel(scores), train, test, { ks: [2], batchSize: 100 });
    expect(one.metrics).toEqual(all.metrics);
    const wide = csrFromTriples(3, 5, [], [], [], 'sum');
    await expect(evaluateTopN(fixedModel(scores), train, wide, { ks: [1] })).rejects.toThrow('train is 3×4 but test is 3×5');
  });

  it('topN lists a user\'s unseen items with scores', async () => {
    const r = await topN(fixedModel(scores), train, 0, 2);
    expect(Array.from(r.items)).toEqual([2, 3]);
    expect(Array.from(r.scores)).toEqual([3, 3]);
  });
});

describe('popularity', () => {
  // 4 users × 3 items: item 0 has 3 users, item 1 has 1, item 2 has 2.
  const train = csrFromTriples(4, 3, [0, 1, 2, 3, 0, 3], [0, 0, 0, 1, 2, 2], [1, 1, 1, 1, 1, 1], 'sum');

  it('scores every user with users-per-item', async () => {
    const m = popularityModel(train);
    expect(Array.from(m.popularity)).toEqual([3, 1, 2]);
    expect(Array.from(await m.scoreBatch(Uint32Array.of(1, 3)))).toEqual([3, 1, 2, 3, 1, 2]);
    expect(Array.from((await topN(m, train, 1, 2)).items)).toEqual([2, 1]); // u1 has item 0
  });

  it('per segment: counts within the segment, global popularity breaks ties, -1 is global', async () => {
    // segment 0 = users 0, 3 (items 0, 2 | 1, 2 → counts [1, 1, 2]); segment 1 = user 1; user 2 none
    const m = segmentPopularityModel(train, Int32Array.of(0, 1, -1, 0));
    expect(m.segments).toBe(2);
    expect(Array.from(m.segmentCounts)).toEqual([1, 1, 2, 1, 0, 0]);
    const s0 = m.scoresFor(0);
    // 2 first; 0 and 1 tie on 1 within the segment, item 0 is more popular overall
    expect(Array.from(selectTopK(s0, 0, 3, 3).items)).toEqual([2, 0, 1]);
    expect(Array.from(m.scoresFor(-1))).toEqual([3, 1, 2]);
    expect(Array.from(await m.scoreBatch(Uint32Array.of(2)))).toEqual([3, 1, 2]);
    expect(() => segmentPopularityModel(train, Int32Array.of(0))).toThrow('1 segment labels for 4 users');
  });
});
