// Public API of the IndexedDB store. Every function takes the opened handle (dependency injection).
export { DB_NAME, DB_VERSION, STORE_NAMES } from './db-schema';
export type { DatasetMeta, DatasetSource, DatasetStatus, ShopLensDB, ShopLensSchema, StoreName } from './db-schema';
export { openStore, type OpenOptions } from './open';
export { beginDataset, putChunk, completeDataset, deleteDataset, cleanupIncomplete } from './datasets';
export type { DatasetInit, ImportResult } from './datasets';
export { listDatasets, getDataset, renameDataset, readChunks, getDictionaries, getReport } from './catalog';
export { saveResult, loadResult, resultSavedAt, getSetting, setSetting } from './results';
export { storageInfo, requestPersistence, StorageFullError, isQuotaError, formatBytes } from './storage';
export type { StorageInfo, StorageNavigator, StorageFullDetails } from './storage';
