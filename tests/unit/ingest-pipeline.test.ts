import { describe, expect, it } from 'vitest';
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { detectImport } from '../../src/lib/data/detect';
import { EventImporter } from '../../src/lib/data/importer';
import { ByteRowSplitter } from '../../src/lib/data/byte-rows';
import { EVENT_COLUMN_NAMES, type EventChunk } from '../../src/lib/data/schema';
import { ingest, ImportCancelledError, OVERVIEW_RESULT, type BytePiece } from '../../src/lib/ingest/pipeline';
import { bytesSource } from './byte-source';
import { demoImportSettings } from '../../src/lib/ingest/demo';
import { createDemoShop } from '../../src/lib/synth';
import type { Overview } from '../../src/lib/features/overview';
import {
  getDictionaries,
  getReport,
  listDatasets,
  loadResult,
  openStore,
  readChunks,
  type ShopLensDB,
} from '../../src/lib/store';

// A small order-lines export with known problems, written by hand:
// line 4 has no customer, line 5 a quantity "abc", line 6 a bad date, line 7 duplicates line 2.
const CSV = [
  'order_id,customer_id,item_id,timestamp,quantity,unit_price',
  'o1,c1,apple,2024-01-05T10:00:00Z,2,1.50',
  'o1,c1,pear,2024-01-05T10:00:00Z,1,2.00',
  'o2,,apple,2024-01-06T10:00:00Z,1,1.50',
  'o3,c2,apple,2024-01-07T10:00:00Z,abc,1.50',
  'o4,c2,pear,not a date,1,2.00',
  'o1,c1,apple,2024-01-05T10:00:00Z,2,1.50',
  'o5,c2,plum,2024-02-10T09:30:00Z,4,0.25',
].join('\n');

async function freshDb(): Promise<ShopLensDB> {
  return openStore(new IDBFactory());
}

const textSource = (text: string, size = 17) => bytesSource(text, size);

describe('ingest pipeline', () => {
  it('stores good rows, reports bad ones by line and column, and saves the overview', async () => {
    const db = await freshDb();
    const detection = detectImport(CSV, 'orders.csv');
    const meta = await ingest({
      db,
      source: textSource(CSV),
      settings: detection,
      fileName: 'orders.csv',
      name: 'Orders',
      origin: 'file',
    });
    expect(meta.status).toBe('complete');
    expect(meta.stats.rows).toBe(3);
    expect(meta.stats.customers).toBe(2);

    const { report, badRows } = await getReport(db, meta.id);
    expect(report.badRowCount).toBe(4);
    expect(badRows.map((b) => [b.line, b.reason])).toEqual([
      [4, 'missing-customer'],
      [5, 'bad-number'],
      [6, 'bad-date'],
      [7, 'duplicate'],
    ]);
    expect(badRows[1].column).toBe(5); // quantity is the 5th column
    expect(badRows[2].column).toBe(4);

    let events = 0;
    for await (const chunk of readChunks(db, meta.id)) events += chunk.rows;
    expect(events).toBe(3);
    const dictionaries = await getDictionaries(db, meta.id);
    expect([...dictionaries.items].sort()).toEqual(['apple', 'pear', 'plum']);

    const overview = await loadResult<Overview>(db, meta.id, OVERVIEW_RESULT);
    // 2×1.50 + 1×2.00 + 4×0.25 = 6.00, in orders o1 (c1) and o5 (c2).
    expect(overview?.revenue).toBeCloseTo(6, 10);
    expect(overview?.orders).toBe(2);
    expect(overview?.repeatCustomerRate).toBe(0);
  });

  it('leaves nothing behind when cancelled, and keeps earlier datasets', async () => {
    const db = await freshDb();
    const detection = detectImport(CSV, 'orders.csv');
    const first = await ingest({ db, source: textSource(CSV), settings: detection, fileName: 'a.csv', name: 'A', origin: 'file' });

    const controller = new AbortController();
    const big = [CSV, ...Array.from({ length: 5000 }, (_, i) => `x${i},c${i},apple,2024-03-01T00:00:00Z,1,1`)].join('\n');
    const pending = ingest({
      db,
      source: textSource(big, 4096),
      settings: detection,
      fileName: 'b.csv',
      name: 'B',
      origin: 'file',
      signal: controller.signal,
      onProgress: (p) => {
        if (p.linesRead > 100) controller.abort();
      },
    });
    await expect(pending).rejects.toBeInstanceOf(ImportCancelledError);

    const list = await listDatasets(db);
    expect(list.map((d) => d.id)).toEqual([first.id]);
    // No orphaned chunk, dictionary or report records of the cancelled import remain.
    for (const storeName of ['chunks', 'dictionaries', 'reports', 'results'] as const) {
      const keys = await db.getAllKeys(storeName);
      for (const key of keys) expect(JSON.stringify(key)).toContain(first.id);
    }
  });

  it('lets go of the file once it stops: done, cancelled, or failed before the first row', async () => {
    const detection = detectImport(CSV, 'orders.csv');
    const big = [CSV, ...Array.from({ length: 2000 }, (_, i) => `x${i},c${i},apple,2024-03-01T00:00:00Z,1,1`)].join('\n');
    // A source that records how far it was read and whether it was ended (a file's stream reader).
    const tracked = (text: string) => {
      const state = { pieces: 0, ended: false };
      const bytes = new TextEncoder().encode(text);
      async function* pieces(): AsyncGenerator<BytePiece> {
        try {
          for (let i = 0; i < bytes.length; i += 1024) {
            state.pieces++;
            yield { data: bytes.subarray(i, i + 1024), bytes: Math.min(1024, bytes.length - i) };
          }
        } finally {
          state.ended = true;
        }
      }
      return { state, source: { kind: 'bytes' as const, pieces: pieces(), bytesTotal: bytes.length, encoding: 'utf-8' } };
    };
    const db = await freshDb();
    const done = tracked(big);
    await ingest({ db, source: done.source, settings: detection, fileName: 'a.csv', name: 'A', origin: 'file' });
    expect(done.state).toEqual({ pieces: Math.ceil(new TextEncoder().encode(big).length / 1024), ended: true });

    const controller = new AbortController();
    const cancelled = tracked(big);
    const run = ingest({ db, source: cancelled.source, settings: detection, fileName: 'b.csv', name: 'B', origin: 'file', signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toBeInstanceOf(ImportCancelledError);
    expect(cancelled.state.ended).toBe(true);
    expect(cancelled.state.pieces).toBeLessThan(done.state.pieces);

    // The first piece is asked for at once, before the dataset is begun: a failure after that ends the source too.
    const failed = tracked(big);
    const refused = ingest({ db, source: failed.source, settings: detection, fileName: 'c.csv', name: 'C', origin: 'file', onBegin: () => Promise.reject(new Error('no lock')) });
    await expect(refused).rejects.toThrow('no lock');
    expect(failed.state).toEqual({ pieces: 1, ended: true });
    expect((await listDatasets(db)).map((d) => d.name)).toEqual(['A']);
  });

  it('stores every chunk of a multi-chunk file as the importer made it (chunk arrays are reused once stored)', async () => {
    const header = 'order_id,customer_id,item_id,timestamp,quantity,unit_price';
    const rows = Array.from({ length: 3 * 65_536 + 1_000 }, (_, i) => `o${i >> 2},c${i % 997},i${i % 89},2024-03-0${1 + (i % 9)}T00:00:00Z,${1 + (i % 5)},${(i % 300) / 100}`);
    const text = [header, ...rows].join('\n');
    const settings = detectImport(text, 'big.csv');
    // The reference: the same importer, its chunks kept as they come.
    const importer = new EventImporter(settings, 'big.csv');
    const splitter = new ByteRowSplitter(settings.delimiter, 'utf-8', (b, st, e, n, line) => importer.addByteSpans(b, st, e, n, line));
    splitter.push(new TextEncoder().encode(text));
    splitter.end();
    importer.finish();
    const want = importer.takeChunks();
    expect(want.length).toBe(4);

    const db = await freshDb();
    const meta = await ingest({ db, source: textSource(text, 1 << 16), settings, fileName: 'big.csv', name: 'Big', origin: 'file' });
    const got: EventChunk[] = [];
    for await (const chunk of readChunks(db, meta.id)) got.push(chunk);
    expect(got.length).toBe(want.length);
    got.forEach((chunk, k) => {
      expect(chunk.rows).toBe(want[k].rows);
      for (const name of EVENT_COLUMN_NAMES) expect(Array.from(chunk[name]), `chunk ${k} ${name}`).toEqual(Array.from(want[k][name]));
    });
  });

  it('imports the demo shop through the same importer, every generated line accounted for', async () => {
    const db = await freshDb();
    const shop = createDemoShop({ seed: 7, customers: 300, items: 60 });
    let lines = 0;
    for (const _ of shop.lines()) lines++;
    const meta = await ingest({
      db,
      source: { kind: 'rows', rows: shop.lines(), rowsTotal: lines },
      settings: demoImportSettings(shop.columns),
      fileName: 'demo-shop.csv',
      name: 'Demo shop',
      origin: 'demo',
    });
    const { report } = await getReport(db, meta.id);
    expect(report.badRowCount).toBe(0);
    expect(meta.stats.rows).toBe(lines);
    expect(meta.stats.items).toBeLessThanOrEqual(60);
  });
});

describe('ingest refuses to store an empty dataset', () => {
  it('explains why when every row is bad, and stores nothing', async () => {
    const db = await freshDb();
    const text = ['customer_id,item_id,quantity', 'c1,a,x', 'c2,b,y'].join('\n');
    const settings = detectImport(text, 'bad.csv');
    await expect(ingest({ db, source: textSource(text), settings, fileName: 'bad.csv', name: 'bad', origin: 'file' })).rejects.toThrow(
      /None of the 2 data rows of bad\.csv could be imported \(non-numeric value: 2\)\. First problem, line 2: .*"x"/,
    );
    expect(await db.count('datasets')).toBe(0);
    expect(await db.count('chunks')).toBe(0);
  });

  it('says so when the file has only a header', async () => {
    const db = await freshDb();
    const text = 'customer_id,item_id,quantity\n';
    const settings = detectImport(text, 'empty.csv');
    await expect(ingest({ db, source: textSource(text), settings, fileName: 'empty.csv', name: 'e', origin: 'file' })).rejects.toThrow(
      'empty.csv has no data rows.',
    );
  });
});
