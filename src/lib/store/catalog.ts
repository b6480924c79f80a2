// Reading complete datasets: the list, one meta, its chunks (streamed), dictionaries and report.
import type { BadRow, Dictionaries, EventChunk, ImportReport } from '../data/schema';
import { unpackDictionaries } from '../data/dictionary';
import { fromChunkRecord } from './chunk-codec';
import type { DatasetMeta, ShopLensDB } from './db-schema';
import { writeTx } from './tx';

/** Complete datasets, newest first. */
export async function listDatasets(db: ShopLensDB): Promise<DatasetMeta[]> {
  const all = await db.getAll('datasets');
  return all.filter((m) => m.status === 'complete').sort((a, b) => b.createdAt - a.createdAt || a.name.localeCompare(b.name));
}

/** A complete dataset's meta; undefined when absent or still importing. */
export async function getDataset(db: ShopLensDB, id: string): Promise<DatasetMeta | undefined> {
  const meta = await db.get('datasets', id);
  return meta?.status === 'complete' ? meta : undefined;
}

async function requireDataset(db: ShopLensDB, id: string): Promise<DatasetMeta> {
  const meta = await getDataset(db, id);
  if (!meta) throw new Error(`dataset ${id} not found`);
  return meta;
}

/** Trims the name; an empty name is refused. */
export async function renameDataset(db: ShopLensDB, id: string, name: string): Promise<DatasetMeta> {
  const trimmed = name.trim();
  if (!trimmed) throw new Error('a dataset name cannot be empty');
  return writeTx(db, ['datasets'], 2 * trimmed.length, async (tx) => {
    const store = tx.objectStore('datasets');
    const meta = await store.get(id);
    if (meta?.status !== 'complete') throw new Error(`dataset ${id} not found`);
    const next: DatasetMeta = { ...meta, name: trimmed };
    await store.put(next);
    return next;
  });
}

/**
 * Yields the chunks in index order, one read transaction each, so only one chunk is held at a time
 * and a slow consumer never keeps a transaction open.
 */
export async function* readChunks(
  db: ShopLensDB,
  id: string,
  options: { includeImporting?: boolean } = {},
): AsyncGenerator<EventChunk> {
  // The importer itself reads its chunks back (for the overview) before the dataset is complete.
  const meta = options.includeImporting ? await db.get('datasets', id) : await getDataset(db, id);
  if (!meta) throw new Error(`dataset ${id} not found`);
  for (let i = 0; i < meta.chunkCount; i++) {
    const rec = await db.get('chunks', [id, i]);
    if (!rec) throw new Error(`dataset ${id}: chunk ${i} is gone (was the dataset deleted while reading?)`);
    yield fromChunkRecord(rec);
  }
}

export async function getDictionaries(db: ShopLensDB, id: string): Promise<Dictionaries> {
  await requireDataset(db, id);
  const rec = await db.get('dictionaries', id);
  if (!rec) throw new Error(`dataset ${id}: dictionaries missing`);
  if (rec.format === 2) {
    const { customers, orders, items, itemNames, itemCategory, categories } = rec;
    return unpackDictionaries({ customers, orders, items, itemNames, itemCategory, categories });
  }
  const { customers, orders, items, itemNames, itemCategory, categories } = rec;
  return { customers, orders, items, itemNames, itemCategory, categories };
}

export async function getReport(db: ShopLensDB, id: string): Promise<{ report: ImportReport; badRows: BadRow[] }> {
  await requireDataset(db, id);
  const rec = await db.get('reports', id);
  if (!rec) throw new Error(`dataset ${id}: import report missing`);
  return { report: rec.report, badRows: rec.badRows };
}
