// Prints write/read speed of 1,000,000 events in 16 chunks under fake-indexeddb (not asserted:
// fake-indexeddb is not a browser; the figures are for comparison between runs).
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { Dictionaries, EventChunk } from '../../src/lib/data/schema';
import { beginDataset, completeDataset, openStore, putChunk, readChunks } from '../../src/lib/store';
import { packDictionaries } from '../../src/lib/data/dictionary';

const TOTAL = 1_000_000;
const CHUNKS = 16;
const ROWS = TOTAL / CHUNKS; // 62,500

function makeChunk(index: number): EventChunk {
  const c: EventChunk = {
    index,
    rows: ROWS,
    customer: new Uint32Array(ROWS),
    order: new Uint32Array(ROWS),
    item: new Uint32Array(ROWS),
    time: new Float64Array(ROWS),
    quantity: new Float32Array(ROWS).fill(1),
    amount: new Float64Array(ROWS),
    rating: new Float32Array(ROWS).fill(NaN),
    eventType: new Uint8Array(ROWS),
  };
  for (let i = 0; i < ROWS; i++) {
    const g = index * ROWS + i;
    c.customer[i] = g % 50_000;
    c.item[i] = g % 3_000;
    c.order[i] = g >> 3;
    c.amount[i] = g;
  }
  return c;
}

describe('store speed', () => {
  it('writes and reads 1M events in 16 chunks', async () => {
    const db = await openStore(new IDBFactory());
    const chunks = Array.from({ length: CHUNKS }, (_, i) => makeChunk(i));
    const dict: Dictionaries = { customers: [], orders: [], items: [], itemNames: [], itemCategory: new Int32Array(0), categories: [] };

    const t0 = performance.now();
    const id = await beginDataset(db, { name: 'speed', fileName: 'speed.csv', source: 'demo' });
    for (const c of chunks) await putChunk(db, id, c);
    await completeDataset(db, id, {
      dictionaries: packDictionaries(dict),
      report: {
        fileName: 'speed.csv',
        settings: { delimiter: ',', hasHeader: true, columns: [], layout: 'custom', mapping: {}, dateFormat: null },
        linesRead: TOTAL,
        rows: TOTAL,
        badRowCount: 0,
        badByReason: {},
        firstBadRows: [],
      },
      stats: { rows: TOTAL, customers: 50_000, items: 3_000, orders: TOTAL / 8, categories: 0, firstTime: null, lastTime: null },
      badRows: [],
    });
    const writeMs = performance.now() - t0;

    const t1 = performance.now();
    let rows = 0;
    let amountSum = 0;
    for await (const c of readChunks(db, id)) {
      rows += c.rows;
      for (let i = 0; i < c.rows; i++) amountSum += c.amount[i];
    }
    const readMs = performance.now() - t1;
    console.log(
      `store speed (fake-indexeddb, Node): 1,000,000 events in ${CHUNKS} chunks — write ${writeMs.toFixed(0)} ms ` +
        `(${((TOTAL / writeMs) * 1000 / 1e6).toFixed(1)} M events/s), read ${readMs.toFixed(0)} ms`,
    );
    expect(rows).toBe(TOTAL);
    expect(amountSum).toBe((TOTAL * (TOTAL - 1)) / 2); // Σ g for g < 1M
    db.close();
  });
});
