// A disk that fills up mid-import: the import fails with the store's StorageFullError, leaves no
// record behind, and the dataset stored before it stays complete and readable.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import * as store from '../../src/lib/store';
import { detectImport } from '../../src/lib/data/detect';
import { ingest } from '../../src/lib/ingest/pipeline';
import { bytesSource } from './byte-source';

const failAfter = { chunks: Infinity };
vi.mock('../../src/lib/store', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/lib/store')>();
  let written = 0;
  return {
    ...real,
    putChunk: async (...args: Parameters<typeof real.putChunk>) => {
      if (written++ >= failAfter.chunks) {
        throw new real.StorageFullError({ neededBytes: 1 << 20, usage: 9e9, quota: 9e9, largest: [], cause: new DOMException('full', 'QuotaExceededError') });
      }
      return real.putChunk(...args);
    },
  };
});


function csv(rows: number): string {
  const lines = ['order_id,customer_id,item_id,timestamp,quantity,unit_price'];
  for (let i = 0; i < rows; i++) lines.push(`o${i},c${i % 97},i${i % 13},2024-05-0${1 + (i % 9)}T12:00:00Z,1,2.5`);
  return lines.join('\n');
}

describe('ingest when the disk fills up', () => {
  it('fails with StorageFullError, keeps nothing of the import and loses no earlier dataset', async () => {
    const db = await store.openStore(new IDBFactory());
    const small = csv(100);
    const settings = detectImport(small, 'small.csv');
    const kept = await ingest({ db, source: bytesSource(small), settings, fileName: 'small.csv', name: 'kept', origin: 'file' });

    failAfter.chunks = 1; // the import below writes one chunk, then the disk is full
    const big = csv(200_000);
    await expect(
      ingest({ db, source: bytesSource(big), settings, fileName: 'big.csv', name: 'big', origin: 'file' }),
    ).rejects.toBeInstanceOf(store.StorageFullError);

    expect((await store.listDatasets(db)).map((d) => d.id)).toEqual([kept.id]);
    expect(await db.count('datasets')).toBe(1);
    expect(await db.count('chunks')).toBe(1);
    let rows = 0;
    for await (const chunk of store.readChunks(db, kept.id)) rows += chunk.rows;
    expect(rows).toBe(100);
  });
});
