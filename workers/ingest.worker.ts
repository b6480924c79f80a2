// The data worker: detects and imports files, builds the demo shop, and answers every IndexedDB
// question the views ask. A thin comlink adapter over src/lib; the page never parses or stores.

import * as Comlink from 'comlink';
import type { Delimiter, Detection, Dictionaries, ImportReport, ImportSettings } from '../src/lib/data/schema';
import { detectImport, previewWith } from '../src/lib/data/detect';
import { badRowsCsv } from '../src/lib/data/csv-export';
import { createDemoShop, type DemoShopOptions } from '../src/lib/synth';
import { ingest, OVERVIEW_RESULT, type IngestProgress } from '../src/lib/ingest/pipeline';
import { throttleProgress } from '../src/lib/ingest/progress';
import { demoImportSettings } from '../src/lib/ingest/demo';
import { filePieces } from '../src/lib/ingest/file-pieces';
import type { Overview } from '../src/lib/features/overview';
import { computeFeatures, type SegmentationResult } from '../src/lib/segment/run';
import { runKind } from '../src/lib/segment/runs';
import { membershipCsv } from '../src/lib/segment/export';
import { rfmScores, rfmSummary, type RfmGroupSummary } from '../src/lib/features/rfm';
import type { CustomerFeatures, FeatureInfo } from '../src/lib/features/customers';
import type { RecommendResult } from '../src/lib/recommend/run';
import { scoreCustomers, shareCategoriesOf, type PropensityResult } from '../src/lib/propensity/run';
import { PROPENSITY_RUNS, propensityKind, type PropensityRunSummary } from '../src/lib/propensity/runs';
import { targetListCsv } from '../src/lib/propensity/export';
import { parseCustomerTable, TableParseError, type CustomerTable } from '../src/lib/propensity/table';
import {
  describeTable,
  isTableResult,
  leakageByColumn,
  scoreTable,
  tableTargetListCsv,
  type AnyPropensityResult,
  type TableInfo,
} from '../src/lib/propensity/table-run';
import { loadCustomerTable, storeCustomerTable } from '../src/lib/propensity/table-job';
import { summariseAny } from '../src/lib/propensity/runs';
import { recommendKind } from '../src/lib/recommend/runs';
import { recommendForCustomer, recommendationsCsv, similarItems, type CustomerRecommendations } from '../src/lib/recommend/explore';
import {
  cleanupIncomplete,
  deleteDataset,
  getDataset,
  getDictionaries,
  getReport,
  getSetting,
  listDatasets,
  loadResult,
  openStore,
  readChunks,
  renameDataset,
  saveResult,
  setSetting,
  storageInfo,
  type DatasetMeta,
  type ShopLensDB,
  type StorageInfo,
} from '../src/lib/store';

/** What customerFeatures answers: one row per customer with ≥ 1 buying event. */
export interface CustomerFeatureTable {
  features: FeatureInfo[];
  /** Row-major n × d (n = customerIds.length, d = features.length). */
  values: Float64Array;
  /** Raw customer ids as in the file (untrusted text). */
  customerIds: string[];
  /** ms since epoch; null when the dataset has no dates. */
  referenceTime: number | null;
}

const HEAD_BYTES = 256 * 1024;
/** Text is handed to the parser in pieces of about this size: few yields, smooth progress. */
const PIECE_BYTES = 1 << 20;
const LOCK_PREFIX = 'shoplens-import:';
/** Progress figures on the page: four updates a second are plenty. */
const PROGRESS_EVERY_MS = 250;

let dbPromise: Promise<ShopLensDB> | null = null;
const running = new Map<string, AbortController>();

/** The explorer asks many questions of one run: keep the last one loaded (and its dictionaries). */
let cachedRun: { key: string; run: RecommendResult; dictionaries: Dictionaries } | null = null;

async function recommendRun(datasetId: string, runId: string): Promise<{ run: RecommendResult; dictionaries: Dictionaries }> {
  const key = `${datasetId}/${runId}`;
  if (cachedRun?.key === key) return cachedRun;
  const store = await db();
  const run = await loadResult<RecommendResult>(store, datasetId, recommendKind(runId));
  if (!run) throw new Error('That recommender run is no longer stored.');
  cachedRun = { key, run, dictionaries: await getDictionaries(store, datasetId) };
  return cachedRun;
}

function db(): Promise<ShopLensDB> {
  dbPromise ??= openStore().then(async (opened) => {
    await cleanupIncomplete(opened, isImportActive);
    return opened;
  });
  return dbPromise;
}

/** Another tab may be importing right now: its Web Lock says so, and its records must stay. */
async function isImportActive(datasetId: string): Promise<boolean> {
  if (!('locks' in navigator)) return false;
  const state = await navigator.locks.query();
  return (state.held ?? []).some((lock) => lock.name === LOCK_PREFIX + datasetId);
}

/**
 * The file's text encoding: a UTF-16 byte-order mark, else UTF-8 when the head is valid UTF-8,
 * else Windows-1252 (what Excel and many older exports write), so accents are not turned into �.
 */
function sniffEncoding(head: Uint8Array): string {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  try {
    // stream: true, so a character cut at the end of the head is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

async function readHead(file: Blob): Promise<{ text: string; encoding: string }> {
  const bytes = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  const encoding = sniffEncoding(bytes);
  return { text: new TextDecoder(encoding).decode(bytes, { stream: true }), encoding };
}

/** The last customer table read (setup asks for its columns, then for leakage per target). */
let lastTable: { id: string; table: Promise<CustomerTable> } | null = null;

function tableOf(store: ShopLensDB, id: string): Promise<CustomerTable> {
  if (lastTable?.id !== id) {
    const table = loadCustomerTable(store, id);
    lastTable = { id, table };
    table.catch(() => {
      if (lastTable?.table === table) lastTable = null;
    });
  }
  return lastTable.table;
}

/** An import error a user can act on: a TableParseError keeps its file, line and column in the message. */
function tableError(error: unknown): Error {
  if (error instanceof TableParseError) return new Error(error.message);
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The last customer features computed, so the table, the RFM groups and an export asked for
 * together make one pass over the events, not three. Datasets never change once stored.
 */
let lastFeatures: { id: string; referenceTime: number; features: Promise<CustomerFeatures> } | null = null;

function featuresOf(store: ShopLensDB, id: string, dictionaries: Dictionaries, referenceTime: number): Promise<CustomerFeatures> {
  if (lastFeatures?.id !== id || lastFeatures.referenceTime !== referenceTime) {
    const features = computeFeatures(readChunks(store, id), dictionaries, referenceTime);
    lastFeatures = { id, referenceTime, features };
    features.catch(() => {
      if (lastFeatures?.features === features) lastFeatures = null;
    });
  }
  return lastFeatures.features;
}

/** Runs one import under a Web Lock (so other tabs don't clean it up) and a cancel controller. */
async function runImport(
  jobId: string,
  start: (signal: AbortSignal, onBegin: (id: string) => Promise<void>) => Promise<DatasetMeta>,
): Promise<DatasetMeta> {
  const controller = new AbortController();
  running.set(jobId, controller);
  let releaseLock: () => void = () => undefined;
  const onBegin = (datasetId: string): Promise<void> =>
    new Promise<void>((locked) => {
      if (!('locks' in navigator)) return locked();
      void navigator.locks.request(LOCK_PREFIX + datasetId, () => {
        locked();
        return new Promise<void>((release) => (releaseLock = release));
      });
    });
  try {
    return await start(controller.signal, onBegin);
  } finally {
    releaseLock();
    running.delete(jobId);
  }
}

/** Saves an imported run and appends it to the dataset's run list. */
async function saveRun(store: ShopLensDB, datasetId: string, run: AnyPropensityResult, fileName: string): Promise<PropensityRunSummary> {
  const summary = summariseAny(run, fileName);
  const runs = ((await loadResult<PropensityRunSummary[]>(store, datasetId, PROPENSITY_RUNS)) ?? []).concat(summary);
  await saveResult(store, datasetId, propensityKind(summary.id), run);
  await saveResult(store, datasetId, PROPENSITY_RUNS, runs);
  return summary;
}

const api = {
  async detect(file: File): Promise<Detection> {
    const head = await readHead(file);
    const detection = detectImport(head.text, file.name);
    if (head.encoding !== 'utf-8') detection.notes.push(`Text decoded as ${head.encoding} (the file is not UTF-8)`);
    return detection;
  },

  async preview(file: File, delimiter: Delimiter, hasHeader: boolean): Promise<{ columns: string[]; sample: string[][] }> {
    return previewWith((await readHead(file)).text, delimiter, hasHeader);
  },

  async importFile(
    jobId: string,
    file: File,
    settings: ImportSettings,
    name: string,
    onProgress: (p: IngestProgress) => void,
  ): Promise<DatasetMeta> {
    const store = await db();
    const read = filePieces(file, (await readHead(file)).encoding, PIECE_BYTES);
    return runImport(jobId, (signal, onBegin) =>
      ingest({
        db: store,
        source: { kind: 'bytes', pieces: read.pieces, encoding: read.encoding, bytesTotal: file.size },
        settings,
        fileName: file.name,
        name,
        origin: 'file',
        signal,
        onProgress: throttleProgress(onProgress, PROGRESS_EVERY_MS),
        onBegin,
      }),
    );
  },

  async importDemo(jobId: string, options: DemoShopOptions, onProgress: (p: IngestProgress) => void): Promise<DatasetMeta> {
    const store = await db();
    const shop = createDemoShop(options);
    // Counting the lines first (a fast pass, ~50 ms) gives the progress bar a true total.
    let lines = 0;
    shop.forEachLine(() => {
      lines++;
    });
    return runImport(jobId, (signal, onBegin) =>
      ingest({
        db: store,
        source: { kind: 'rows', rows: shop.lines(), rowsTotal: lines },
        settings: demoImportSettings(shop.columns),
        fileName: 'demo-shop.csv',
        name: 'Demo shop',
        origin: 'demo',
        signal,
        onProgress: throttleProgress(onProgress, PROGRESS_EVERY_MS),
        onBegin,
      }),
    );
  },

  /**
   * Imports a customer table (one row per customer) as a dataset without events: the whole file is
   * parsed first (a bad row stops the import, naming file, line and column, and stores nothing),
   * then its columns are saved and the dataset completed in one atomic sequence.
   */
  async importCustomerTable(jobId: string, file: File, onProgress: (p: IngestProgress) => void, name?: string): Promise<DatasetMeta> {
    const store = await db();
    const started = performance.now();
    const report = (phase: IngestProgress['phase'], fraction: number, rows: number): void => {
      const elapsedSeconds = (performance.now() - started) / 1000;
      onProgress({ phase, fraction, rowsDone: rows, linesRead: rows, badRows: 0, chunksStored: 0, rowsPerSecond: elapsedSeconds > 0 ? rows / elapsedSeconds : 0, secondsLeft: null, elapsedSeconds });
    };
    report('reading', 0, 0);
    const { encoding } = await readHead(file);
    const text = new TextDecoder(encoding).decode(await file.arrayBuffer());
    let table: CustomerTable;
    try {
      table = parseCustomerTable(text, file.name);
    } catch (error) {
      throw tableError(error);
    }
    if (table.rows === 0) throw new Error(`${file.name} has a header but no rows.`);
    report('saving', 0.8, table.rows);
    return runImport(jobId, async (signal, onBegin) => {
      const meta = await storeCustomerTable(store, table, { name: name?.trim() || file.name.replace(/\.[^.]+$/, '') || file.name, text: text.slice(0, 4096), signal, onBegin });
      report('done', 1, table.rows);
      return meta;
    });
  },

  /** Columns of a table dataset (kinds, levels, missing cells) and its id column. */
  async tableInfo(datasetId: string): Promise<TableInfo> {
    return describeTable(await tableOf(await db(), datasetId));
  },

  /** Leakage warnings of a table dataset's columns for a target, keyed by column name. */
  async tableLeakage(datasetId: string, column: string, positive: string): Promise<Record<string, string>> {
    return leakageByColumn(await tableOf(await db(), datasetId), { column, positive });
  },

  cancel(jobId: string): void {
    running.get(jobId)?.abort();
  },

  async listDatasets(): Promise<DatasetMeta[]> {
    return listDatasets(await db());
  },
  async getDataset(id: string): Promise<DatasetMeta | undefined> {
    return getDataset(await db(), id);
  },
  async renameDataset(id: string, name: string): Promise<DatasetMeta> {
    return renameDataset(await db(), id, name);
  },
  async deleteDataset(id: string): Promise<void> {
    if (lastFeatures?.id === id) lastFeatures = null;
    if (lastTable?.id === id) lastTable = null;
    if (cachedRun?.key.startsWith(`${id}/`)) cachedRun = null;
    return deleteDataset(await db(), id);
  },
  async getReport(id: string) {
    return getReport(await db(), id);
  },
  /** The import report without the full bad-row list (which can be large). */
  async getImportReport(id: string): Promise<ImportReport> {
    return (await getReport(await db(), id)).report;
  },
  async badRowsCsv(id: string): Promise<string> {
    const { badRows } = await getReport(await db(), id);
    return badRowsCsv(badRows);
  },
  async getOverview(id: string): Promise<Overview | undefined> {
    return loadResult<Overview>(await db(), id, OVERVIEW_RESULT);
  },
  /** A saved result of a dataset (segmentation runs…), or undefined. */
  async loadResult<T>(id: string, kind: string): Promise<T | undefined> {
    return loadResult<T>(await db(), id, kind);
  },
  async saveResult(id: string, kind: string, value: unknown): Promise<void> {
    return saveResult(await db(), id, kind, value);
  },
  /** Segment membership of a saved run as CSV; the features are recomputed as the run saw them. */
  async segmentMembershipCsv(id: string, runId: string): Promise<string> {
    const store = await db();
    const run = await loadResult<SegmentationResult>(store, id, runKind(runId));
    if (!run) throw new Error('That segmentation is no longer stored.');
    const dictionaries = await getDictionaries(store, id);
    const features = await featuresOf(store, id, dictionaries, run.params.referenceTime);
    return membershipCsv(run, features, dictionaries);
  },
  /** Classic RFM quintile groups of the dataset's customers as of its last event. */
  async rfmGroups(id: string): Promise<RfmGroupSummary[]> {
    const store = await db();
    const meta = await getDataset(store, id);
    if (!meta || meta.stats.lastTime === null) return [];
    const features = await featuresOf(store, id, await getDictionaries(store, id), meta.stats.lastTime);
    return rfmSummary(rfmScores(features), features);
  },
  /**
   * Every customer's behaviour features as of the dataset's last event (the table and histograms
   * of the Segments view). `values` is row-major n × d and is transferred, not copied.
   */
  async customerFeatures(id: string): Promise<CustomerFeatureTable> {
    const store = await db();
    const meta = await getDataset(store, id);
    if (!meta) throw new Error('The dataset is gone (deleted in another tab?).');
    const dictionaries = await getDictionaries(store, id);
    // Without dates the time features are omitted, so any reference time gives the same table.
    const features = await featuresOf(store, id, dictionaries, meta.stats.lastTime ?? 0);
    const customerIds = Array.from(features.customers, (c) => dictionaries.customers[c]);
    const table: CustomerFeatureTable = {
      features: features.features,
      values: features.values,
      customerIds,
      referenceTime: meta.stats.lastTime,
    };
    // A copy is transferred: the cached features keep their own values.
    table.values = features.values.slice();
    return Comlink.transfer(table, [table.values.buffer]);
  },
  /** The `count` best-scored customers of a saved propensity run, as a formula-safe CSV. */
  async propensityTargetCsv(datasetId: string, runId: string, count: number): Promise<string> {
    const store = await db();
    const run = await loadResult<AnyPropensityResult>(store, datasetId, propensityKind(runId));
    if (!run) throw new Error('That propensity model is no longer stored.');
    if (isTableResult(run)) return tableTargetListCsv(run, count);
    return targetListCsv(run, await getDictionaries(store, datasetId), count, run.segments?.names ?? null);
  },
  /**
   * Adds a propensity model (read from JSON, possibly trained on another dataset) to this dataset:
   * its deployed model re-scores this dataset's customers as of its last event, and the run is saved
   * with its original evaluation, marked as imported.
   */
  async importPropensityModel(datasetId: string, model: AnyPropensityResult, fileName: string): Promise<PropensityRunSummary> {
    const store = await db();
    const meta = await getDataset(store, datasetId);
    if (!meta) throw new Error('The dataset is gone (deleted in another tab?).');
    if (isTableResult(model) !== (meta.source === 'table')) {
      throw new Error(isTableResult(model) ? `${fileName} is a customer-table model; “${meta.name}” is an event dataset.` : `${fileName} is an event-based model; “${meta.name}” is a customer table.`);
    }
    if (isTableResult(model)) {
      // The same columns are needed; encode() names any that is missing or changed kind.
      const table = await tableOf(store, datasetId);
      const run = { ...model, createdAt: Date.now(), fileName: table.fileName, scored: scoreTable(model, table) };
      return saveRun(store, datasetId, run, fileName);
    }
    if (meta.stats.lastTime === null) throw new Error(`“${meta.name}” has no dates, so its customers' features cannot be computed as of a time.`);
    // The model's own category-share columns, whatever this dataset's top categories are.
    const keys = [...model.prep.spec.features, ...(model.segments?.prep.spec.features ?? [])];
    const features = await computeFeatures(readChunks(store, datasetId), await getDictionaries(store, datasetId), meta.stats.lastTime, [...new Set(shareCategoriesOf(keys))]);
    const missing = keys.filter((k) => !features.features.some((f) => f.key === k));
    if (missing.length > 0) throw new Error(`${fileName} uses features this dataset does not have: ${missing.join(', ')}.`);
    const createdAt = Date.now();
    const run: PropensityResult = { ...model, createdAt, scored: scoreCustomers(model, features) };
    return saveRun(store, datasetId, run, fileName);
  },
  /** A customer's top-n from a saved recommender run (null = a new customer, optionally of `segment`). */
  async recommendFor(datasetId: string, runId: string, customer: number | null, n: number, segment: number | null): Promise<CustomerRecommendations> {
    const { run } = await recommendRun(datasetId, runId);
    return recommendForCustomer(run, customer, n, segment);
  },
  async similarItems(datasetId: string, runId: string, item: number, n: number): Promise<{ item: number; similarity: number }[]> {
    const { run } = await recommendRun(datasetId, runId);
    return similarItems(run, item, n);
  },
  /** Raw id, display name and category of dataset items (untrusted text, for text nodes only). */
  async itemLabels(datasetId: string, items: number[]): Promise<{ item: number; id: string; name: string; category: string }[]> {
    const d = await getDictionaries(await db(), datasetId);
    return items.map((item) => {
      const c = d.itemCategory[item] ?? -1;
      return { item, id: d.items[item] ?? '', name: d.itemNames[item] ?? '', category: c >= 0 ? (d.categories[c] ?? '') : '' };
    });
  },
  /** The dataset's category names, in dictionary order (index = category id). */
  async categories(datasetId: string): Promise<string[]> {
    return (await getDictionaries(await db(), datasetId)).categories;
  },
  /** Customers whose raw id contains `query` (case-insensitive), exact matches first. */
  async findCustomers(datasetId: string, query: string, limit: number): Promise<{ customer: number; id: string }[]> {
    const d = await getDictionaries(await db(), datasetId);
    const q = query.trim().toLowerCase();
    const exact: { customer: number; id: string }[] = [];
    const partial: { customer: number; id: string }[] = [];
    // Scan everything for exact matches (ids are few enough); keep only the first partial ones.
    for (let c = 0; c < d.customers.length; c++) {
      const id = d.customers[c];
      const lower = id.toLowerCase();
      if (lower === q) exact.push({ customer: c, id });
      else if (partial.length < limit && lower.includes(q)) partial.push({ customer: c, id });
    }
    return [...exact, ...partial].slice(0, limit);
  },
  /** Every customer's top-n of a saved recommender run, as a formula-safe CSV. */
  async recommendationsCsv(datasetId: string, runId: string, n: number): Promise<string> {
    const { run, dictionaries } = await recommendRun(datasetId, runId);
    return recommendationsCsv(run, dictionaries, n, run.kind === 'explicit' ? 'rated' : 'bought');
  },
  async storageInfo(): Promise<StorageInfo> {
    return storageInfo(navigator);
  },
  async getSetting<T>(key: string): Promise<T | undefined> {
    return getSetting<T>(await db(), key);
  },
  async setSetting(key: string, value: unknown): Promise<void> {
    return setSetting(await db(), key, value);
  },
};

export type IngestApi = typeof api;
Comlink.expose(api);
