// One read-write transaction, all or nothing: if the body throws, the transaction is aborted so none
// of its writes land, and a quota failure (thrown by a request or only visible as tx.error when the
// commit fails) comes out as a StorageFullError that says what to delete.
import type { IDBPTransaction } from 'idb';
import type { ShopLensDB, ShopLensSchema, StoreName } from './db-schema';
import { isQuotaError, storageInfo, StorageFullError } from './storage';

export type WriteTx<S extends StoreName[]> = IDBPTransaction<ShopLensSchema, S, 'readwrite'>;

export async function writeTx<S extends StoreName[], T>(
  db: ShopLensDB,
  stores: S,
  neededBytes: number,
  body: (tx: WriteTx<S>) => Promise<T>,
): Promise<T> {
  let tx: WriteTx<S> | undefined;
  try {
    tx = db.transaction(stores, 'readwrite');
    const out = await body(tx);
    await tx.done;
    return out;
  } catch (e) {
    let txError: unknown = null;
    if (tx) {
      txError = tx.error;
      try {
        tx.abort();
      } catch {
        // Already committed or aborted (e.g. the quota aborted it): nothing left to undo.
      }
      await tx.done.catch(() => undefined);
      txError = txError ?? tx.error;
    }
    if (isQuotaError(e) || isQuotaError(txError)) {
      throw await storageFullError(db, neededBytes, isQuotaError(e) ? e : txError);
    }
    throw e;
  }
}

/** Builds the error with the figures a person needs; every lookup is best-effort. */
async function storageFullError(db: ShopLensDB, neededBytes: number, cause: unknown): Promise<StorageFullError> {
  const info = await storageInfo();
  let largest: { name: string; bytes: number }[] = [];
  try {
    const metas = await db.getAll('datasets');
    largest = metas
      .filter((m) => m.status === 'complete')
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 3)
      .map((m) => ({ name: m.name, bytes: m.bytes }));
  } catch {
    // The database may be unusable right now; the message then gives general advice.
  }
  return new StorageFullError({ neededBytes, usage: info.usage, quota: info.quota, largest, cause });
}
