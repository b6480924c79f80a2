// The import lifecycle: begin (meta 'importing') → putChunk × n → completeDataset (marker last), or
// deleteDataset on any failure. Only 'complete' datasets are ever visible to readers.
import type { BadRow, DatasetStats, EventChunk, ImportReport, PackedDictionaries } from '../data/schema';
import { chunkBytes, dictionaryBytes, jsonBytes, toChunkRecord, validateChunk } from './chunk-codec';
import type { DatasetMeta, DatasetSource, ShopLensDB } from './db-schema';
import { writeTx } from './tx';

export interface DatasetInit {
  name: string;
  fileName: string;
  source: DatasetSource;
}

export interface ImportResult {
  dictionaries: PackedDictionaries;
  report: ImportReport;
  stats: DatasetStats;
  badRows: BadRow[];
}

const EMPTY_STATS: DatasetStats = { rows: 0, customers: 0, items: 0, orders: 0, categories: 0, firstTime: null, lastTime: null };

/** Begins an import: writes meta with status 'importing' (invisible to listDatasets). Returns id. */
export async function beginDataset(db: ShopLensDB, init: DatasetInit): Promise<string> {
  const name = init.name.trim() || init.fileName.trim();
  if (!name) throw new Error('a dataset needs a name');
  const id = crypto.randomUUID();
  const meta: DatasetMeta = {
    id,
    name,
    fileName: init.fileName,
    source: init.source,
    createdAt: Date.now(),
    status: 'importing',
    stats: { ...EMPTY_STATS },
    bytes: 0,
    chunkCount: 0,
    storedRows: 0,
    settings: null,
    layout: null,
    linesRead: 0,
    badRowCount: 0,
    badByReason: {},
  };
  await writeTx(db, ['datasets'], jsonBytes(meta), async (tx) => {
    await tx.objectStore('datasets').add(meta);
  });
  return id;
}

async function importingMeta(get: Promise<DatasetMeta | undefined>, id: string): Promise<DatasetMeta> {
  const meta = await get;
  if (!meta) throw new Error(`dataset ${id} does not exist (it was deleted or never begun)`);
  if (meta.status !== 'importing') throw new Error(`dataset ${id} is already complete`);
  return meta;
}

/**
 * Stores one chunk and bumps the meta's running totals in the same transaction. Each index is
 * written once (`add`): a retry after a failed call is safe because the failed call wrote nothing.
 */
export async function putChunk(db: ShopLensDB, datasetId: string, chunk: EventChunk): Promise<void> {
  validateChunk(chunk);
  const record = toChunkRecord(datasetId, chunk);
  const bytes = chunkBytes(record);
  await writeTx(db, ['datasets', 'chunks'], bytes, async (tx) => {
    const datasets = tx.objectStore('datasets');
    // The add is queued first, so the chunk is cloned and written without waiting for the meta
    // read's round trip (callbacks only run when the importing thread yields between pieces).
    const [, meta] = await Promise.all([tx.objectStore('chunks').add(record), importingMeta(datasets.get(datasetId), datasetId)]);
    await datasets.put({ ...meta, chunkCount: meta.chunkCount + 1, bytes: meta.bytes + bytes, storedRows: meta.storedRows + chunk.rows });
  });
}

/** Writes dictionaries + report, then flips status to 'complete' in ONE final transaction (the complete marker is written last). */
export async function completeDataset(db: ShopLensDB, datasetId: string, result: ImportResult): Promise<DatasetMeta> {
  const { dictionaries, report, stats, badRows } = result;
  const dictBytes = dictionaryBytes(dictionaries);
  const needed = dictBytes + jsonBytes(report) + jsonBytes(badRows);
  return writeTx(db, ['datasets', 'chunks', 'dictionaries', 'reports'], needed, async (tx) => {
    const datasets = tx.objectStore('datasets');
    const meta = await importingMeta(datasets.get(datasetId), datasetId);
    // Readers walk chunks 0..chunkCount-1 by key, so the indices must have no gaps.
    const keys = await tx.objectStore('chunks').index('byDataset').getAllKeys(datasetId);
    keys.forEach(([, index], i) => {
      if (index !== i) throw new Error(`dataset ${datasetId}: chunk ${i} is missing (found chunk ${index} in its place)`);
    });
    if (keys.length !== meta.chunkCount) throw new Error(`dataset ${datasetId}: ${keys.length} chunks stored, meta counted ${meta.chunkCount}`);
    // A customer table stores no events: its rows live in its 'customer-table' result.
    const expectedStored = meta.source === 'table' ? 0 : stats.rows;
    if (meta.source === 'table' && keys.length > 0) throw new Error(`dataset ${datasetId}: a customer table has no event chunks, found ${keys.length}`);
    if (meta.storedRows !== expectedStored || report.rows !== stats.rows) {
      throw new Error(`dataset ${datasetId}: ${meta.storedRows} rows stored but stats say ${stats.rows} and the report ${report.rows}`);
    }
    await Promise.all([
      tx.objectStore('dictionaries').put({ datasetId, format: 2, ...dictionaries }),
      tx.objectStore('reports').put({ datasetId, report, badRows }),
    ]);
    const done: DatasetMeta = {
      ...meta,
      status: 'complete',
      stats: { ...stats },
      bytes: meta.bytes + dictBytes,
      settings: report.settings,
      // A customer table has no event layout; its settings still list its columns.
      layout: meta.source === 'table' ? null : report.settings.layout,
      linesRead: report.linesRead,
      badRowCount: report.badRowCount,
      badByReason: { ...report.badByReason },
    };
    // The marker goes in last, after everything it vouches for.
    await datasets.put(done);
    return done;
  });
}

/** Removes every record of a dataset (meta, chunks, dictionaries, report, results), atomically. */
export async function deleteDataset(db: ShopLensDB, datasetId: string): Promise<void> {
  await removeDataset(db, datasetId, false);
}

/** Deletes in one transaction; with onlyIfImporting a dataset that completed meanwhile is kept. */
async function removeDataset(db: ShopLensDB, datasetId: string, onlyIfImporting: boolean): Promise<boolean> {
  return writeTx(db, ['datasets', 'chunks', 'dictionaries', 'reports', 'results'], 0, async (tx) => {
    if (onlyIfImporting) {
      const meta = await tx.objectStore('datasets').get(datasetId);
      if (meta?.status === 'complete') return false;
    }
    const chunks = tx.objectStore('chunks');
    const results = tx.objectStore('results');
    const [chunkKeys, resultKeys] = await Promise.all([
      chunks.index('byDataset').getAllKeys(datasetId),
      results.index('byDataset').getAllKeys(datasetId),
    ]);
    await Promise.all([
      tx.objectStore('datasets').delete(datasetId),
      tx.objectStore('dictionaries').delete(datasetId),
      tx.objectStore('reports').delete(datasetId),
      ...chunkKeys.map((k) => chunks.delete(k)),
      ...resultKeys.map((k) => results.delete(k)),
    ]);
    return true;
  });
}

/**
 * Deletes leftovers of imports that never completed (a closed tab, a crash), except ids for which
 * isActive(id) is true (another tab still importing), plus records whose meta is gone. Returns the
 * dataset ids removed.
 */
export async function cleanupIncomplete(
  db: ShopLensDB,
  isActive?: (id: string) => boolean | Promise<boolean>,
): Promise<string[]> {
  const metas = await db.getAll('datasets');
  const removed: string[] = [];
  for (const meta of metas) {
    if (meta.status !== 'importing') continue;
    // Asked outside any transaction: an await on a non-IDB promise would let a transaction commit.
    if (isActive && (await isActive(meta.id))) continue;
    if (await removeDataset(db, meta.id, true)) removed.push(meta.id);
  }
  for (const id of await orphanIds(db)) {
    await removeDataset(db, id, true);
    removed.push(id);
  }
  return removed;
}

/** Dataset ids that own chunks, dictionaries, reports or results but have no meta record. */
async function orphanIds(db: ShopLensDB): Promise<string[]> {
  const tx = db.transaction(['datasets', 'chunks', 'dictionaries', 'reports', 'results'], 'readonly');
  const [metaKeys, chunkKeys, dictKeys, reportKeys, resultKeys] = await Promise.all([
    tx.objectStore('datasets').getAllKeys(),
    tx.objectStore('chunks').getAllKeys(),
    tx.objectStore('dictionaries').getAllKeys(),
    tx.objectStore('reports').getAllKeys(),
    tx.objectStore('results').getAllKeys(),
  ]);
  await tx.done;
  const known = new Set(metaKeys);
  const owners = new Set<string>([...chunkKeys.map((k) => k[0]), ...dictKeys, ...reportKeys, ...resultKeys.map((k) => k[0])]);
  return [...owners].filter((id) => !known.has(id));
}
