// The IndexedDB layout of ShopLens: record shapes and the typed idb schema. Datasets are stored as
// columnar chunks (a few large typed-array records) because one record per event is ~1000× slower.
import type { DBSchema, IDBPDatabase } from 'idb';
import type { PackedColumn } from './column-pack';
import type {
  BadRow,
  BadRowReason,
  DatasetStats,
  Dictionaries,
  EventChunk,
  EventColumnName,
  ImportReport,
  ImportSettings,
  LayoutId,
  PackedDictionaries,
} from '../data/schema';

export const DB_NAME = 'shoplens';
export const DB_VERSION = 1;

/** 'table': a customer table (one row per customer); its columns are a 'customer-table' result, it has no event chunks. */
export type DatasetSource = 'file' | 'demo' | 'table';
export type DatasetStatus = 'importing' | 'complete';

/** One row of the `datasets` store: everything a dataset list needs, without touching the events. */
export interface DatasetMeta {
  id: string;
  name: string;
  fileName: string;
  source: DatasetSource;
  createdAt: number;
  /** 'importing' until completeDataset writes the marker last; only 'complete' is ever listed. */
  status: DatasetStatus;
  stats: DatasetStats;
  /** Stored typed-array bytes of the chunks plus an estimate of the dictionaries (UTF-16 strings). */
  bytes: number;
  chunkCount: number;
  /** Sum of `rows` of the chunks written so far; must equal stats.rows to complete. */
  storedRows: number;
  /** Report summary, copied from the ImportReport so a list needs no second read. null while importing. */
  settings: ImportSettings | null;
  layout: LayoutId | null;
  linesRead: number;
  badRowCount: number;
  badByReason: Partial<Record<BadRowReason, number>>;
}

/** A stored chunk (format 2): its columns packed (column-pack.ts), each value exact. */
export interface PackedChunkRecord {
  datasetId: string;
  index: number;
  rows: number;
  format: 2;
  columns: Record<EventColumnName, PackedColumn>;
}

/** A chunk stored before format 2: the EventChunk's typed arrays as they are (still read). */
export interface PlainChunkRecord extends EventChunk {
  datasetId: string;
  format?: undefined;
}

export type ChunkRecord = PackedChunkRecord | PlainChunkRecord;

/** Format 2 stores each list of strings packed (PackedKeys); records before it hold the lists as they are (still read). */
export type DictionaryRecord =
  | (PackedDictionaries & { datasetId: string; format: 2 })
  | (Dictionaries & { datasetId: string; format?: undefined });

export interface ReportRecord {
  datasetId: string;
  report: ImportReport;
  badRows: BadRow[];
}

export interface ResultRecord {
  datasetId: string;
  kind: string;
  savedAt: number;
  value: unknown;
}

export interface SettingRecord {
  key: string;
  value: unknown;
}

export interface ShopLensSchema extends DBSchema {
  datasets: { key: string; value: DatasetMeta };
  // The byDataset indexes let a dataset's records be found with a plain key (no IDBKeyRange global).
  chunks: { key: [string, number]; value: ChunkRecord; indexes: { byDataset: string } };
  dictionaries: { key: string; value: DictionaryRecord };
  reports: { key: string; value: ReportRecord };
  results: { key: [string, string]; value: ResultRecord; indexes: { byDataset: string } };
  settings: { key: string; value: SettingRecord };
}

export type ShopLensDB = IDBPDatabase<ShopLensSchema>;

export const STORE_NAMES = ['datasets', 'chunks', 'dictionaries', 'reports', 'results', 'settings'] as const;
export type StoreName = (typeof STORE_NAMES)[number];
