// The target list CSV: best first, the top `count`, formula-safe cells, segment names — checked on
// a hand-made scored set whose order is known.
import { describe, expect, it } from 'vitest';
import { rankByScore, targetListCsv } from '../../src/lib/propensity/export';
import type { PropensityResult } from '../../src/lib/propensity/run';
import { dicts } from './features-helpers';

// Five scored customers (dataset indices 4, 0, 2, 3, 1) with their scores and deciles.
const scored: PropensityResult['scored'] = {
  customers: Uint32Array.from([4, 0, 2, 3, 1]),
  scores: Float32Array.from([0.25, 0.875, 0.5, 0.125, 0.5]),
  decile: Uint8Array.from([5, 1, 3, 9, 3]),
  segment: Int16Array.from([0, 1, -1, 0, 1]),
  referenceTime: 0,
};
const dictionaries = dicts(5, 1, [0], ['x']);
dictionaries.customers[0] = '=HYPERLINK("http://evil")';
dictionaries.customers[2] = 'ann, b';

const lines = (csv: string) => csv.split('\r\n').filter((l) => l.length > 0);

describe('target list CSV', () => {
  it('ranks by score, ties in scored order', () => {
    expect(Array.from(rankByScore(scored.scores))).toEqual([1, 2, 4, 0, 3]);
  });

  it('writes the top N with rank, score, decile and segment name', () => {
    const csv = targetListCsv({ scored }, dictionaries, 3, ['Loyal', 'Lapsed']);
    const out = lines(csv);
    expect(out[0]).toBe('customer_id,rank,score,decile,segment');
    expect(out).toHaveLength(4);
    // Customer index 0 (score 0.875) is first; its id would run as a formula, so it is defused and quoted.
    expect(out[1]).toBe(`"'=HYPERLINK(""http://evil"")",1,0.875,1,Lapsed`);
    // Then the two 0.5 scores in scored order: customer 2 (no segment), customer 1 (segment 1).
    expect(out[2]).toBe('"ann, b",2,0.5,3,');
    expect(out[3]).toBe('c1,3,0.5,3,Lapsed');
  });

  it('clamps the count and leaves the segment empty without a segmentation', () => {
    const out = lines(targetListCsv({ scored }, dictionaries, 99, null));
    expect(out).toHaveLength(6);
    expect(out[5]).toBe('c3,5,0.125,9,');
    expect(lines(targetListCsv({ scored }, dictionaries, 0, null))).toHaveLength(1);
  });

  it('names an unnamed segment by its number', () => {
    const out = lines(targetListCsv({ scored }, dictionaries, 4, ['', '']));
    expect(out[4]).toBe('c4,4,0.25,5,#1');
  });
});
