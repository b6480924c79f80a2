// Quota handling: a QuotaExceededError (thrown by a put, rejected by it, or only visible as tx.error
// when the commit fails) must surface as StorageFullError, write nothing, and leave earlier datasets intact.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import type { Dictionaries, EventChunk, ImportReport } from '../../src/lib/data/schema';
import {
  beginDataset,
  completeDataset,
  deleteDataset,
  formatBytes,
  isQuotaError,
  listDatasets,
  openStore,
  putChunk,
  readChunks,
  requestPersistence,
  STORE_NAMES,
  StorageFullError,
  storageInfo,
  type ShopLensDB,
  type StoreName,
} from '../../src/lib/store';
import { packDictionaries } from '../../src/lib/data/dictionary';

function makeChunk(index: number, rows: number): EventChunk {
  const f = (k: number) => Array.from({ length: rows }, (_, i) => (index * 1000 + i) * k);
  return {
    index,
    rows,
    customer: Uint32Array.from(f(1)),
    order: Uint32Array.from(f(2)),
    item: Uint32Array.from(f(3)),
    time: Float64Array.from(f(1000)),
    quantity: Float32Array.from(f(0.5)),
    amount: Float64Array.from(f(1.25)),
    rating: new Float32Array(rows).fill(NaN),
    eventType: new Uint8Array(rows),
  };
}

const DICT: Dictionaries = { customers: ['a'], orders: ['o'], items: ['i'], itemNames: [''], itemCategory: new Int32Array([-1]), categories: [] };

function finish(db: ShopLensDB, id: string, rows: number) {
  const report: ImportReport = {
    fileName: 'f.csv',
    settings: { delimiter: ',', hasHeader: true, columns: ['c'], layout: 'custom', mapping: {}, dateFormat: null },
    linesRead: rows,
    rows,
    badRowCount: 0,
    badByReason: {},
    firstBadRows: [],
  };
  const stats = { rows, customers: 1, items: 1, orders: 1, categories: 0, firstTime: null, lastTime: null };
  return completeDataset(db, id, { dictionaries: packDictionaries(DICT), report, stats, badRows: [] });
}

const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

/**
 * Wraps the handle so writes to `store` fail with a quota error:
 * 'throw' — add/put throws synchronously; 'reject' — add/put returns a rejected promise;
 * 'commit' — writes succeed but the commit aborts (done rejects with AbortError, tx.error is the quota error),
 * which is how browsers usually report it.
 */
type Mode = 'throw' | 'reject' | 'commit';
function bindAll<T extends object>(target: T, get: (t: T, p: string | symbol) => unknown): T {
  return new Proxy(target, {
    get(t, p) {
      const special = get(t, p);
      if (special !== undefined) return special;
      const v: unknown = Reflect.get(t, p);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
}
function quotaDb(db: ShopLensDB, store: StoreName, mode: Mode): ShopLensDB {
  return bindAll(db, (d, p) => {
    if (p !== 'transaction') return undefined;
    return (...args: Parameters<ShopLensDB['transaction']>) => {
      const tx = d.transaction(...args);
      let touched = false;
      let failed = false;
      return bindAll(tx, (t, q) => {
        if (q === 'objectStore') {
          return (name: StoreName) => {
            const s = t.objectStore(name);
            if (name !== store) return s;
            return bindAll(s, (os, m) => {
              if (m !== 'add' && m !== 'put') return undefined;
              return (...a: unknown[]) => {
                if (mode === 'throw') throw quotaError();
                if (mode === 'reject') return Promise.reject(quotaError());
                touched = true;
                return (Reflect.get(os, m) as (...x: unknown[]) => unknown).apply(os, a);
              };
            });
          };
        }
        if (mode === 'commit' && q === 'done' && touched) {
          failed = true;
          try {
            t.abort();
          } catch {
            // already aborted
          }
          return t.done.then(
            () => Promise.reject(new DOMException('The transaction was aborted.', 'AbortError')),
            () => Promise.reject(new DOMException('The transaction was aborted.', 'AbortError')),
          );
        }
        if (mode === 'commit' && q === 'error' && failed) return quotaError();
        return undefined;
      });
    };
  });
}

async function readAll(db: ShopLensDB, id: string): Promise<EventChunk[]> {
  const out: EventChunk[] = [];
  for await (const c of readChunks(db, id)) out.push(c);
  return out;
}

async function counts(db: ShopLensDB): Promise<number[]> {
  return Promise.all(STORE_NAMES.map((s) => db.count(s)));
}

let db: ShopLensDB | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

describe.each<Mode>(['throw', 'reject', 'commit'])('quota failure (%s)', (mode) => {
  it('putChunk raises StorageFullError, writes nothing, and the earlier dataset stays readable', async () => {
    db = await openStore(new IDBFactory());
    const a = await beginDataset(db, { name: 'Old shop', fileName: 'old.csv', source: 'file' });
    await putChunk(db, a, makeChunk(0, 100));
    await putChunk(db, a, makeChunk(1, 50));
    await finish(db, a, 150);

    const b = await beginDataset(db, { name: 'New', fileName: 'new.csv', source: 'file' });
    await putChunk(db, b, makeChunk(0, 40));
    const err = await putChunk(quotaDb(db, 'chunks', mode), b, makeChunk(1, 40)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StorageFullError);
    const full = err as StorageFullError;
    // Packed: customer, order, item and time (whole seconds) as 8-bit offsets (4 a row), quantity
    // (halves 500…519.5) and amount (quarters 1,250…1,298.75) in hundredths as 16-bit offsets (2
    // each), rating (all NaN) and eventType (all 0) constants (8 each).
    expect(full.neededBytes).toBe(40 * 8 + 16);
    expect(full.message).toMatch(/storage is full/i);
    expect(full.message).toContain('336 B');
    // 100 rows (item 3i reaches 297: 16-bit, 9 a row) + 50 rows (8 a row) + 4 constants (32)
    // + 14 dictionary bytes (packed DICT: 'a', 'o', 'i' 2 + 1 each, '' 1, itemCategory 4) = 1,346.
    expect(full.message).toContain('"Old shop" (1.3 KB)');
    expect(isQuotaError(full.cause)).toBe(true);
    expect((full.cause as DOMException).name).toBe('QuotaExceededError');

    // The failed transaction rolled back its meta update too.
    const meta = await db.get('datasets', b);
    expect(meta?.chunkCount).toBe(1);
    expect(meta?.storedRows).toBe(40);
    expect(await db.count('chunks')).toBe(3);

    // The orchestrator then deletes the failed import: nothing of it remains, the old one is intact.
    await deleteDataset(db, b);
    expect(await counts(db)).toEqual([1, 2, 1, 1, 0, 0]);
    expect((await listDatasets(db)).map((m) => m.name)).toEqual(['Old shop']);
    const back = await readAll(db, a);
    expect(back.map((c) => c.rows)).toEqual([100, 50]);
    expect(Array.from(back[1].time)).toEqual(Array.from(makeChunk(1, 50).time));
  });

  it('completeDataset raises StorageFullError and the dataset stays invisible', async () => {
    db = await openStore(new IDBFactory());
    const b = await beginDataset(db, { name: 'New', fileName: 'new.csv', source: 'file' });
    await putChunk(db, b, makeChunk(0, 10));
    await expect(finish(quotaDb(db, 'dictionaries', mode), b, 10)).rejects.toBeInstanceOf(StorageFullError);
    expect(await listDatasets(db)).toEqual([]);
    expect((await db.get('datasets', b))?.status).toBe('importing');
    expect(await db.count('dictionaries')).toBe(0);
    expect(await db.count('reports')).toBe(0);
  });
});

describe('isQuotaError', () => {
  it('recognises the quota error directly and nested in an abort', () => {
    expect(isQuotaError(quotaError())).toBe(true);
    expect(quotaError().code).toBe(22);
    const abort = new Error('aborted', { cause: quotaError() });
    expect(isQuotaError(abort)).toBe(true);
    expect(isQuotaError({ name: 'AbortError', error: quotaError() })).toBe(true); // a transaction
    expect(isQuotaError({ name: 'NS_ERROR_DOM_QUOTA_REACHED' })).toBe(true); // old Firefox
    expect(isQuotaError(new DOMException('x', 'AbortError'))).toBe(false);
    expect(isQuotaError(new DOMException('x', 'ConstraintError'))).toBe(false);
    expect(isQuotaError(new Error('quota'))).toBe(false);
    expect(isQuotaError(null)).toBe(false);
    expect(isQuotaError('QuotaExceededError')).toBe(false);
  });
});

describe('StorageFullError', () => {
  it('says how much was needed, the usage, what to delete, and keeps the cause', () => {
    const cause = quotaError();
    const e = new StorageFullError({
      neededBytes: 2_500_000,
      usage: 950_000_000,
      quota: 1_000_000_000,
      largest: [{ name: 'Retail 2011', bytes: 300_000_000 }],
      cause,
    });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('StorageFullError');
    expect(e.cause).toBe(cause);
    expect(e.message).toBe(
      'Browser storage is full: could not store 2.5 MB more (950 MB used of a 1.0 GB quota). ' +
        'Delete datasets you no longer need — the largest are "Retail 2011" (300 MB) — or free disk space, then try again.',
    );
    const bare = new StorageFullError({ neededBytes: 10, cause });
    expect(bare.message).toMatch(/could not store 10 B more\. Free disk space or delete stored datasets/);
  });

  it('formats bytes in SI units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1500)).toBe('1.5 KB');
    expect(formatBytes(12_345_678)).toBe('12 MB');
    expect(formatBytes(-1)).toBe('an unknown amount');
  });
});

describe('storageInfo / requestPersistence', () => {
  it('reads estimate and persisted through an injected navigator', async () => {
    const storage = {
      estimate: async () => ({ usage: 1234, quota: 10_000 }),
      persisted: async () => false,
      persist: async () => true,
    } as unknown as StorageManager;
    expect(await storageInfo({ storage })).toEqual({ usage: 1234, quota: 10_000, persisted: false });
    expect(await requestPersistence({ storage })).toBe(true);
  });

  it('answers nulls / false when the API is missing or refuses', async () => {
    expect(await storageInfo({})).toEqual({ usage: null, quota: null, persisted: null });
    expect(await requestPersistence({})).toBe(false);
    const refusing = {
      estimate: async () => {
        throw new Error('denied');
      },
      persisted: async () => true,
      persist: async () => {
        throw new Error('denied');
      },
    } as unknown as StorageManager;
    expect(await storageInfo({ storage: refusing })).toEqual({ usage: null, quota: null, persisted: true });
    expect(await requestPersistence({ storage: refusing })).toBe(false);
  });
});
