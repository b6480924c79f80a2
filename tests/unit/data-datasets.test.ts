// Every preset on the real files in ../shared/datasets (published counts; see its README).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFileNode } from '../../src/lib/data/read-file.node.ts';
import { CHUNK_ROWS, EVENT_TYPES } from '../../src/lib/data/schema';

const dir = resolve(process.cwd(), '../shared/datasets');
const has = existsSync(dir);
if (!has) console.warn('skipping data-datasets tests: ../shared/datasets absent');

describe.skipIf(!has)('real datasets', () => {
  it('MovieLens u.data: 100,000 ratings, 943 users, 1,682 items, round trip of every row', async () => {
    const path = resolve(dir, 'movielens-100k/u.data');
    const { detection, result, chunks } = await importFileNode(path);
    expect(detection.layout).toBe('movielens-udata');
    expect(result.stats).toMatchObject({ rows: 100_000, customers: 943, items: 1682, orders: 100_000 });
    expect(result.report.badRowCount).toBe(0);
    expect(chunks.map((c) => [c.index, c.rows])).toEqual([
      [0, CHUNK_ROWS],
      [1, 100_000 - CHUNK_ROWS],
    ]);
    // Rebuild each line from the columns and compare with the file itself.
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    const d = result.dictionaries;
    let i = 0;
    for (const c of chunks) {
      for (let r = 0; r < c.rows; r++, i++) {
        const rebuilt = `${d.customers[c.customer[r]]}\t${d.items[c.item[r]]}\t${c.rating[r]}\t${c.time[r] / 1000}`;
        if (rebuilt !== lines[i]) expect(rebuilt).toBe(lines[i]);
        if (EVENT_TYPES[c.eventType[r]] !== 'rating') expect(EVENT_TYPES[c.eventType[r]]).toBe('rating');
      }
    }
    expect(i).toBe(100_000);
    // Published range of ML-100K: 1997-09-20 to 1998-04-22 (GroupLens README).
    expect(new Date(result.stats.firstTime ?? 0).toISOString().slice(0, 10)).toBe('1997-09-20');
    expect(new Date(result.stats.lastTime ?? 0).toISOString().slice(0, 10)).toBe('1998-04-22');
  });

  it('CDNOW: 69,659 transactions, 23,570 customers, Jan 1997 – Jun 1998', async () => {
    const { detection, result, chunks } = await importFileNode(resolve(dir, 'cdnow/CDNOW_master.txt'));
    expect(detection).toMatchObject({ layout: 'cdnow', delimiter: 'whitespace', hasHeader: true, dateFormat: 'yyyymmdd' });
    expect(result.stats).toMatchObject({ rows: 69_659, customers: 23_570 });
    expect(result.report.badRowCount).toBe(0);
    expect(result.stats.firstTime).toBe(Date.UTC(1997, 0, 1));
    expect(result.stats.lastTime).toBe(Date.UTC(1998, 5, 30));
    // Total dollars, summed independently with awk over column 4: 2,500,315.63.
    let total = 0;
    for (const c of chunks) for (let r = 0; r < c.rows; r++) total += c.amount[r];
    expect(total).toBeCloseTo(2_500_315.63, 2);
  });

  it('groceries: 9,835 baskets, 169 items, 43,367 item events', async () => {
    // 43,367 = sum of comma-separated fields per line (awk -F, '{n+=NF}'); 169 = distinct items (sort -u).
    const { detection, result } = await importFileNode(resolve(dir, 'groceries/groceries.csv'));
    expect(detection.layout).toBe('baskets');
    expect(result.report.linesRead).toBe(9_835);
    expect(result.stats).toMatchObject({ rows: 43_367, customers: 9_835, orders: 9_835, items: 169, firstTime: null });
    expect(result.report.badRowCount).toBe(0);
    expect(result.dictionaries.customers[0]).toBe('basket 1');
  });
});
