// The IndexedDB store under fake-indexeddb: chunk round trips, the atomic import protocol,
// deletion of every record, rename, results and settings, and a real MovieLens round trip.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHUNK_ROWS, EVENT_COLUMN_NAMES, type DatasetStats, type Dictionaries, type EventChunk, type ImportReport } from '../../src/lib/data/schema';
import {
  beginDataset,
  cleanupIncomplete,
  completeDataset,
  DB_VERSION,
  deleteDataset,
  getDataset,
  getDictionaries,
  getReport,
  getSetting,
  listDatasets,
  loadResult,
  openStore,
  putChunk,
  readChunks,
  renameDataset,
  saveResult,
  setSetting,
  STORE_NAMES,
  type ShopLensDB,
} from '../../src/lib/store';
import { packDictionaries } from '../../src/lib/data/dictionary';

/** Deterministic chunk; every 7th amount is NaN so missing values are checked too. */
function makeChunk(index: number, rows: number, base = index * CHUNK_ROWS): EventChunk {
  const c: EventChunk = {
    index,
    rows,
    customer: new Uint32Array(rows),
    order: new Uint32Array(rows),
    item: new Uint32Array(rows),
    time: new Float64Array(rows),
    quantity: new Float32Array(rows),
    amount: new Float64Array(rows),
    rating: new Float32Array(rows),
    eventType: new Uint8Array(rows),
  };
  for (let i = 0; i < rows; i++) {
    const g = base + i;
    c.customer[i] = g % 1013;
    c.order[i] = g >> 2;
    c.item[i] = (g * 7) % 97;
    c.time[i] = 1_600_000_000_000 + g * 1000;
    c.quantity[i] = (g % 5) + 0.5;
    c.amount[i] = g % 7 === 0 ? NaN : g * 0.25;
    c.rating[i] = NaN;
    c.eventType[i] = g % 5;
  }
  return c;
}

const DICT: Dictionaries = {
  customers: ['c1', 'c22'],
  orders: ['o'],
  items: ['i1'],
  itemNames: [''],
  itemCategory: new Int32Array([0]),
  categories: ['Books'],
};
// Hand count of the estimate for the packed lists (2 bytes per UTF-16 char of the joined text + a
// one-byte length per string) + Int32 bytes: customers 'c1c22' 10 + 2, orders 2 + 1, items 4 + 1,
// itemNames 0 + 1, categories 10 + 1, itemCategory 4.
const DICT_BYTES = 36;

function stats(rows: number): DatasetStats {
  return { rows, customers: 2, items: 1, orders: 1, categories: 1, firstTime: 0, lastTime: 1 };
}

function report(rows: number, fileName = 'shop.csv'): ImportReport {
  return {
    fileName,
    settings: { delimiter: ',', hasHeader: true, columns: ['a', 'b'], layout: 'event-log', mapping: { customer: 0, item: 1 }, dateFormat: null },
    linesRead: rows + 2,
    rows,
    badRowCount: 2,
    badByReason: { 'bad-number': 1, duplicate: 1 },
    firstBadRows: [],
  };
}

/** Imports a complete dataset of the given chunk sizes. */
async function importDataset(db: ShopLensDB, name: string, sizes: number[]): Promise<string> {
  const id = await beginDataset(db, { name, fileName: `${name}.csv`, source: 'file' });
  for (let i = 0; i < sizes.length; i++) await putChunk(db, id, makeChunk(i, sizes[i]));
  const rows = sizes.reduce((a, b) => a + b, 0);
  await completeDataset(db, id, { dictionaries: packDictionaries(DICT), report: report(rows), stats: stats(rows), badRows: [] });
  return id;
}

/** Bitwise equality of every column (fast for 65k rows, and NaN-safe). */
function sameColumns(a: EventChunk, b: EventChunk): boolean {
  if (a.index !== b.index || a.rows !== b.rows) return false;
  return EVENT_COLUMN_NAMES.every((k) => {
    const x = a[k];
    const y = b[k];
    return x.constructor === y.constructor && Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
  });
}

async function readAll(db: ShopLensDB, id: string): Promise<EventChunk[]> {
  const out: EventChunk[] = [];
  for await (const c of readChunks(db, id)) out.push(c);
  return out;
}

async function counts(db: ShopLensDB): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const s of STORE_NAMES) out[s] = await db.count(s);
  return out;
}

let db: ShopLensDB | undefined;
async function fresh(): Promise<ShopLensDB> {
  db = await openStore(new IDBFactory());
  return db;
}
afterEach(() => {
  db?.close();
  db = undefined;
  vi.restoreAllMocks();
});

describe('openStore', () => {
  it('creates the six stores at version 1 and keeps data across reopen', async () => {
    const factory = new IDBFactory();
    const first = await openStore(factory);
    expect(first.version).toBe(DB_VERSION);
    expect(first.name).toBe('shoplens');
    expect([...first.objectStoreNames].sort()).toEqual(['chunks', 'datasets', 'dictionaries', 'reports', 'results', 'settings']);
    await setSetting(first, 'backend', 'wasm');
    first.close();
    const again = await openStore(factory);
    expect(await getSetting<string>(again, 'backend')).toBe('wasm');
    again.close();
  });
});

describe('chunks round trip', () => {
  it('returns typed arrays equal to what was written, in index order, even when written out of order', async () => {
    const d = await fresh();
    const sizes = [CHUNK_ROWS, CHUNK_ROWS, 100];
    const id = await beginDataset(d, { name: '  Shop  ', fileName: 'shop.csv', source: 'file' });
    for (const i of [2, 0, 1]) await putChunk(d, id, makeChunk(i, sizes[i]));
    const rows = CHUNK_ROWS * 2 + 100;
    const meta = await completeDataset(d, id, { dictionaries: packDictionaries(DICT), report: report(rows), stats: stats(rows), badRows: [] });
    expect(meta.status).toBe('complete');
    expect(meta.name).toBe('Shop');
    expect(meta.chunkCount).toBe(3);
    // Stored (packed) bytes plus the dictionary estimate. A full chunk: customer g % 1013 as 16-bit
    // offsets, item (7g) % 97 as 8-bit, time in whole seconds as 16-bit (range 65,535 s), quantity
    // (x.5) in hundredths 50…450 as 16-bit offsets (2), amount (with NaNs) raw (8), eventType g % 5
    // raw (1), the all-NaN rating one constant (8), and order g >> 2 as 16,384 runs of 4: 16-bit
    // run values and 8-bit lengths, 3 a run. The 100-row chunk: 8-bit offsets but quantity 16-bit,
    // 15 a row, less order's 100 bytes plus its 25 runs (50).
    expect(meta.bytes).toBe(2 * (CHUNK_ROWS * 16 + 16_384 * 3 + 8) + (100 * 14 + 8 + 25 * 2) + DICT_BYTES);
    expect(meta.linesRead).toBe(rows + 2);
    expect(meta.badRowCount).toBe(2);
    expect(meta.layout).toBe('event-log');

    const back = await readAll(d, id);
    expect(back.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(back.map((c) => c.rows)).toEqual(sizes);
    for (const c of back) {
      const want = makeChunk(c.index, sizes[c.index]);
      expect(c.customer).toBeInstanceOf(Uint32Array);
      expect(c.time).toBeInstanceOf(Float64Array);
      expect(c.eventType).toBeInstanceOf(Uint8Array);
      expect(sameColumns(c, want)).toBe(true);
      expect(Object.keys(c).sort()).toEqual(Object.keys(want).sort());
    }
    expect(Number.isNaN(back[0].amount[0])).toBe(true);
    expect(back[0].amount[1]).toBe(0.25);
    expect(await getDictionaries(d, id)).toEqual(DICT);
    expect((await getReport(d, id)).report.rows).toBe(rows);
    // Stored packed: one text and the lengths per list, not a string per key.
    const rec = await d.get('dictionaries', id);
    expect(rec?.format).toBe(2);
    expect(rec?.format === 2 && [rec.customers.text, [...rec.customers.lengths]]).toEqual(['c1c22', [2, 3]]);
  });

  it('reads dictionaries stored before they were packed (a list of strings each)', async () => {
    const d = await fresh();
    const id = await importDataset(d, 'old', [10]);
    const old: Dictionaries = { ...DICT, customers: ['x', 'é\ud800'], orders: [] };
    await d.put('dictionaries', { datasetId: id, ...old });
    expect(await getDictionaries(d, id)).toEqual(old);
  });

  it('stores a subarray view as its own bytes, not its whole parent buffer', async () => {
    const d = await fresh();
    const big = makeChunk(0, 1000);
    const view: EventChunk = { ...big, rows: 10 };
    for (const k of ['customer', 'order', 'item', 'time', 'quantity', 'amount', 'rating', 'eventType'] as const) {
      (view as unknown as Record<string, ArrayLike<number>>)[k] = big[k].subarray(5, 15);
    }
    const id = await beginDataset(d, { name: 'v', fileName: 'v.csv', source: 'demo' });
    await putChunk(d, id, view);
    await completeDataset(d, id, { dictionaries: packDictionaries(DICT), report: report(10), stats: stats(10), badRows: [] });
    const [c] = await readAll(d, id);
    expect(c.time.buffer.byteLength).toBe(80);
    expect(c.customer.buffer.byteLength).toBe(40);
    expect(Array.from(c.customer)).toEqual(Array.from(big.customer.subarray(5, 15)));
    // Rows g = 5…14: customer, item, time as 8-bit offsets (3), quantity in hundredths 50…450 as
    // 16-bit offsets (2), amount 8, eventType 1 a row, rating one constant (8), order g >> 2 as 3
    // runs (1, 2, 3: 8-bit values and lengths).
    expect((await getDataset(d, id))?.bytes).toBe(10 * 14 + 8 + 3 * 2 + DICT_BYTES);
  });

  it('rejects a malformed chunk with a message naming the column', async () => {
    const d = await fresh();
    const id = await beginDataset(d, { name: 'x', fileName: 'x.csv', source: 'file' });
    const bad = makeChunk(0, 10);
    bad.item = new Uint32Array(9);
    await expect(putChunk(d, id, bad)).rejects.toThrow(/item has 9 values, expected rows = 10/);
    const wrongType = makeChunk(0, 10);
    (wrongType as unknown as Record<string, unknown>).time = new Float32Array(10);
    await expect(putChunk(d, id, wrongType)).rejects.toThrow(/time must be a Float64Array/);
    await expect(putChunk(d, id, makeChunk(-1, 3))).rejects.toThrow(/index/);
  });

  it('refuses a second chunk with the same index and leaves the totals unchanged', async () => {
    const d = await fresh();
    const id = await beginDataset(d, { name: 'x', fileName: 'x.csv', source: 'file' });
    await putChunk(d, id, makeChunk(0, 10));
    await expect(putChunk(d, id, makeChunk(0, 10))).rejects.toThrow();
    const meta = await d.get('datasets', id);
    expect(meta?.chunkCount).toBe(1);
    expect(meta?.storedRows).toBe(10);
    expect(meta?.bytes).toBe(10 * 14 + 8 + 3 * 2); // as in the subarray test
  });
});

describe('atomic import protocol', () => {
  it("keeps an 'importing' dataset invisible and lets cleanupIncomplete remove it unless active", async () => {
    const d = await fresh();
    const done = await importDataset(d, 'Done', [50]);
    const pending = await beginDataset(d, { name: 'Pending', fileName: 'p.csv', source: 'file' });
    await putChunk(d, pending, makeChunk(0, 20));
    await putChunk(d, pending, makeChunk(1, 20));

    expect((await listDatasets(d)).map((m) => m.id)).toEqual([done]);
    expect(await getDataset(d, pending)).toBeUndefined();
    await expect(readAll(d, pending)).rejects.toThrow(/not found/);
    await expect(getDictionaries(d, pending)).rejects.toThrow(/not found/);

    const asked: string[] = [];
    const keep = await cleanupIncomplete(d, async (id) => {
      asked.push(id);
      return true;
    });
    expect(keep).toEqual([]);
    expect(asked).toEqual([pending]); // complete datasets are never offered for deletion
    expect(await d.count('chunks')).toBe(3);

    expect(await cleanupIncomplete(d)).toEqual([pending]);
    expect(await counts(d)).toEqual({ datasets: 1, chunks: 1, dictionaries: 1, reports: 1, results: 0, settings: 0 });
    expect(await readAll(d, done)).toEqual([makeChunk(0, 50)]);
  });

  it('removes records whose meta is gone (orphans)', async () => {
    const d = await fresh();
    const keepId = await importDataset(d, 'Keep', [5]);
    await d.put('results', { datasetId: 'ghost', kind: 'kmeans', savedAt: 1, value: 1 });
    await d.put('chunks', { datasetId: 'ghost', ...makeChunk(0, 3) });
    expect(await cleanupIncomplete(d)).toEqual(['ghost']);
    expect(await d.count('results')).toBe(0);
    expect(await d.count('chunks')).toBe(1);
    expect(await getDataset(d, keepId)).toBeDefined();
  });

  it('refuses to complete with a missing chunk or a row count that does not add up, staying invisible', async () => {
    const d = await fresh();
    const gap = await beginDataset(d, { name: 'gap', fileName: 'g.csv', source: 'file' });
    await putChunk(d, gap, makeChunk(0, 10));
    await putChunk(d, gap, makeChunk(2, 10));
    await expect(completeDataset(d, gap, { dictionaries: packDictionaries(DICT), report: report(20), stats: stats(20), badRows: [] })).rejects.toThrow(/chunk 1 is missing/);

    const short = await beginDataset(d, { name: 'short', fileName: 's.csv', source: 'file' });
    await putChunk(d, short, makeChunk(0, 10));
    await expect(completeDataset(d, short, { dictionaries: packDictionaries(DICT), report: report(11), stats: stats(11), badRows: [] })).rejects.toThrow(/10 rows stored/);

    expect(await listDatasets(d)).toEqual([]);
    expect(await d.count('dictionaries')).toBe(0); // the aborted transaction wrote nothing
    expect(await d.count('reports')).toBe(0);
  });

  it('refuses chunks after completion and a second completion', async () => {
    const d = await fresh();
    const id = await importDataset(d, 'A', [10]);
    await expect(putChunk(d, id, makeChunk(1, 10))).rejects.toThrow(/already complete/);
    await expect(completeDataset(d, id, { dictionaries: packDictionaries(DICT), report: report(10), stats: stats(10), badRows: [] })).rejects.toThrow(/already complete/);
    await expect(putChunk(d, 'nope', makeChunk(0, 10))).rejects.toThrow(/does not exist/);
  });
});

describe('delete, list, rename', () => {
  it('deletes every record of one dataset and nothing of another', async () => {
    const d = await fresh();
    const a = await importDataset(d, 'A', [30, 30, 5]);
    const b = await importDataset(d, 'B', [40, 2]);
    await saveResult(d, a, 'kmeans', { k: 3 });
    await saveResult(d, a, 'logreg', { auc: 0.9 });
    await saveResult(d, b, 'kmeans', { k: 4 });
    await setSetting(d, 'backend', 'cpu');
    expect(await counts(d)).toEqual({ datasets: 2, chunks: 5, dictionaries: 2, reports: 2, results: 3, settings: 1 });

    await deleteDataset(d, a);
    expect(await counts(d)).toEqual({ datasets: 1, chunks: 2, dictionaries: 1, reports: 1, results: 1, settings: 1 });
    expect(await getDataset(d, a)).toBeUndefined();
    expect(await loadResult(d, a, 'kmeans')).toBeUndefined();
    expect(await loadResult<{ k: number }>(d, b, 'kmeans')).toEqual({ k: 4 });
    expect(await readAll(d, b)).toEqual([makeChunk(0, 40), makeChunk(1, 2)]);
    await deleteDataset(d, a); // idempotent
  });

  it('deletes a half-written import entirely (what the orchestrator does on failure)', async () => {
    const d = await fresh();
    const id = await beginDataset(d, { name: 'half', fileName: 'h.csv', source: 'file' });
    await putChunk(d, id, makeChunk(0, 10));
    await deleteDataset(d, id);
    expect(await counts(d)).toEqual({ datasets: 0, chunks: 0, dictionaries: 0, reports: 0, results: 0, settings: 0 });
    await expect(putChunk(d, id, makeChunk(1, 10))).rejects.toThrow(/does not exist/);
  });

  it('lists newest first', async () => {
    const d = await fresh();
    const now = vi.spyOn(Date, 'now');
    now.mockReturnValue(1000);
    const old = await importDataset(d, 'old', [1]);
    now.mockReturnValue(3000);
    const newest = await importDataset(d, 'newest', [1]);
    now.mockReturnValue(2000);
    const mid = await importDataset(d, 'mid', [1]);
    expect((await listDatasets(d)).map((m) => m.id)).toEqual([newest, mid, old]);
  });

  it('renames with trimming and refuses empty names and unknown ids', async () => {
    const d = await fresh();
    const id = await importDataset(d, 'A', [3]);
    const m = await renameDataset(d, id, '  Spring sales \n');
    expect(m.name).toBe('Spring sales');
    expect((await getDataset(d, id))?.name).toBe('Spring sales');
    await expect(renameDataset(d, id, '   ')).rejects.toThrow(/empty/);
    await expect(renameDataset(d, 'missing', 'x')).rejects.toThrow(/not found/);
    expect((await getDataset(d, id))?.name).toBe('Spring sales');
  });
});

describe('results and settings', () => {
  it('round-trip values, including typed arrays, and replace on save', async () => {
    const d = await fresh();
    const id = await importDataset(d, 'A', [3]);
    const value = { k: 3, centers: new Float32Array([1.5, -2, 3]), labels: [0, 1, 2], meta: { seed: 42, when: null } };
    await saveResult(d, id, 'segments', value);
    const back = await loadResult<typeof value>(d, id, 'segments');
    expect(back).toEqual(value);
    expect(back?.centers).toBeInstanceOf(Float32Array);
    await saveResult(d, id, 'segments', { k: 4 });
    expect(await loadResult(d, id, 'segments')).toEqual({ k: 4 });
    expect(await loadResult(d, id, 'other')).toBeUndefined();
    await expect(saveResult(d, 'missing', 'segments', 1)).rejects.toThrow(/not found/);
    expect(await d.count('results')).toBe(1);

    expect(await getSetting(d, 'backend')).toBeUndefined();
    await setSetting(d, 'backend', 'webgl');
    await setSetting(d, 'backend', 'wasm');
    await setSetting(d, 'recent', { ids: [id] });
    expect(await getSetting<string>(d, 'backend')).toBe('wasm');
    expect(await getSetting<{ ids: string[] }>(d, 'recent')).toEqual({ ids: [id] });
  });
});

const dataDir = path.resolve(process.cwd(), '../shared/datasets');
const udata = path.join(dataDir, 'movielens-100k', 'u.data');
const hasData = existsSync(udata);
if (!hasData) console.warn('skipping store MovieLens round trip: ../shared/datasets absent');

describe.skipIf(!hasData)('real data: MovieLens 100K', () => {
  it('stores and reads back 100,000 ratings of 943 users and 1,682 items', async () => {
    const d = await fresh();
    const lines = readFileSync(udata, 'utf8').split('\n').filter((l) => l.trim() !== '');
    const n = lines.length;
    const id = await beginDataset(d, { name: 'ml', fileName: 'u.data', source: 'file' });
    let ratingSum = 0;
    for (let start = 0, index = 0; start < n; start += CHUNK_ROWS, index++) {
      const rows = Math.min(CHUNK_ROWS, n - start);
      const c = makeChunk(index, rows);
      for (let i = 0; i < rows; i++) {
        const [u, it, r, t] = lines[start + i].split('\t').map(Number);
        c.customer[i] = u;
        c.item[i] = it;
        c.rating[i] = r;
        c.time[i] = t * 1000;
        ratingSum += r;
      }
      await putChunk(d, id, c);
    }
    await completeDataset(d, id, { dictionaries: packDictionaries(DICT), report: report(n), stats: { ...stats(n), customers: 943, items: 1682 }, badRows: [] });

    const users = new Set<number>();
    const items = new Set<number>();
    let rows = 0;
    let backSum = 0;
    let chunks = 0;
    for await (const c of readChunks(d, id)) {
      chunks++;
      rows += c.rows;
      for (let i = 0; i < c.rows; i++) {
        users.add(c.customer[i]);
        items.add(c.item[i]);
        backSum += c.rating[i];
      }
    }
    expect(rows).toBe(100_000);
    expect(users.size).toBe(943);
    expect(items.size).toBe(1682);
    expect(chunks).toBe(2); // 65,536 + 34,464
    expect(backSum).toBe(ratingSum);
  });
});
