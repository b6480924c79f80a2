// Opens (and creates or migrates) the ShopLens database. The factory is injected so tests can pass
// fake-indexeddb's; the browser default is globalThis.indexedDB.
import { wrap, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { DB_NAME, DB_VERSION, type ShopLensDB, type ShopLensSchema, type StoreName } from './db-schema';

type UpgradeTx = IDBPTransaction<ShopLensSchema, StoreName[], 'versionchange'>;
type Migration = (db: IDBPDatabase<ShopLensSchema>, tx: UpgradeTx) => void;

/**
 * MIGRATIONS[v] upgrades a database at version v to v + 1. A new schema version appends one step,
 * so an old database walks every step in order and a fresh one runs them all.
 */
const MIGRATIONS: Migration[] = [
  // 0 → 1: the initial layout.
  (db) => {
    db.createObjectStore('datasets', { keyPath: 'id' });
    const chunks = db.createObjectStore('chunks', { keyPath: ['datasetId', 'index'] });
    chunks.createIndex('byDataset', 'datasetId');
    db.createObjectStore('dictionaries', { keyPath: 'datasetId' });
    db.createObjectStore('reports', { keyPath: 'datasetId' });
    const results = db.createObjectStore('results', { keyPath: ['datasetId', 'kind'] });
    results.createIndex('byDataset', 'datasetId');
    db.createObjectStore('settings', { keyPath: 'key' });
  },
];

if (MIGRATIONS.length !== DB_VERSION) throw new Error('store: one migration per schema version is required');

export interface OpenOptions {
  /** Database name; tests may use their own. Default 'shoplens'. */
  name?: string;
  /** Called when another tab holds an older connection open and the upgrade waits for it. */
  onBlocked?: () => void;
}

export async function openStore(factory?: IDBFactory, options: OpenOptions = {}): Promise<ShopLensDB> {
  const idb = factory ?? globalThis.indexedDB;
  if (!idb) throw new Error('IndexedDB is not available in this environment');
  const request = idb.open(options.name ?? DB_NAME, DB_VERSION);
  request.addEventListener('upgradeneeded', (event) => {
    const db = wrap(request.result) as unknown as IDBPDatabase<ShopLensSchema>;
    const tx = wrap(request.transaction as IDBTransaction) as unknown as UpgradeTx;
    const target = event.newVersion ?? DB_VERSION;
    for (let v = event.oldVersion; v < target; v++) MIGRATIONS[v](db, tx);
  });
  if (options.onBlocked) request.addEventListener('blocked', options.onBlocked);
  const db = (await wrap(request)) as unknown as ShopLensDB | undefined;
  if (!db) throw new Error('IndexedDB open returned no database');
  // Let a newer version in another tab upgrade instead of hanging: close ours when asked.
  db.addEventListener('versionchange', () => db.close());
  return db;
}
