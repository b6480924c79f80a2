// Saved results per dataset (segmentations, models…) and app-wide settings. Values are
// structured-cloned: plain data and typed arrays survive, class prototypes and functions do not.
import type { ShopLensDB } from './db-schema';
import { jsonBytes } from './chunk-codec';
import { writeTx } from './tx';

/**
 * Saves (replaces) one result of a dataset; deleting the dataset deletes it too. An import may
 * save results (its overview) before it completes: cleanup of the import removes them with it.
 */
export async function saveResult(db: ShopLensDB, datasetId: string, kind: string, value: unknown): Promise<void> {
  if (!kind) throw new Error('a result needs a kind');
  await writeTx(db, ['datasets', 'results'], jsonBytes(value), async (tx) => {
    // Checked in the same transaction so a result can never outlive (or precede) its dataset.
    const meta = await tx.objectStore('datasets').get(datasetId);
    if (!meta) throw new Error(`dataset ${datasetId} not found`);
    await tx.objectStore('results').put({ datasetId, kind, savedAt: Date.now(), value });
  });
}

export async function loadResult<T>(db: ShopLensDB, datasetId: string, kind: string): Promise<T | undefined> {
  const rec = await db.get('results', [datasetId, kind]);
  return rec?.value as T | undefined;
}

/** savedAt of a stored result, or undefined (for "last run …" labels). */
export async function resultSavedAt(db: ShopLensDB, datasetId: string, kind: string): Promise<number | undefined> {
  return (await db.get('results', [datasetId, kind]))?.savedAt;
}

export async function getSetting<T>(db: ShopLensDB, key: string): Promise<T | undefined> {
  const rec = await db.get('settings', key);
  return rec?.value as T | undefined;
}

export async function setSetting(db: ShopLensDB, key: string, value: unknown): Promise<void> {
  await writeTx(db, ['settings'], jsonBytes(value), async (tx) => {
    await tx.objectStore('settings').put({ key, value });
  });
}
