// Customer tables in the store: importing one as a dataset (atomic, like an event import: begin →
// save the parsed columns → complete, or delete on any failure), and the compute worker's
// 'propensityTable' job, which reads those columns, runs table-run.ts and saves the run in the
// same list as the event runs.

import type * as TfCore from '@tensorflow/tfjs-core';
import type { DatasetStats, ImportReport } from '../data/schema';
import { packDictionaries } from '../data/dictionary';
import {
  beginDataset,
  completeDataset,
  deleteDataset,
  getDataset,
  loadResult,
  openStore,
  saveResult,
  type DatasetMeta,
  type ShopLensDB,
} from '../store';
import type { JobContext } from '../compute/jobs';
import { detectTableDelimiter, type CustomerTable } from './table';
import { CUSTOMER_TABLE_RESULT, runTablePropensity, type TablePropensityParams } from './table-run';
import { PROPENSITY_RUNS, propensityKind, summariseAny, type PropensityRunSummary } from './runs';

type Tf = typeof TfCore;

export interface PropensityTableJobParams extends TablePropensityParams {
  datasetId: string;
}

const NO_DICTIONARIES = packDictionaries({ customers: [], orders: [], items: [], itemNames: [], itemCategory: new Int32Array(0), categories: [] });

/** Stats of a table dataset: one customer per row, no items, orders, categories or dates. */
export function tableStats(table: CustomerTable): DatasetStats {
  return { rows: table.rows, customers: table.rows, items: 0, orders: 0, categories: 0, firstTime: null, lastTime: null };
}

/**
 * Stores a parsed customer table as a complete dataset. Nothing is visible until the final
 * marker; on any failure (quota, cancel) every record written so far is removed.
 */
export async function storeCustomerTable(
  db: ShopLensDB,
  table: CustomerTable,
  options: { name: string; text?: string; signal?: AbortSignal; onBegin?: (id: string) => Promise<void> },
): Promise<DatasetMeta> {
  const id = await beginDataset(db, { name: options.name, fileName: table.fileName, source: 'table' });
  try {
    await options.onBegin?.(id);
    if (options.signal?.aborted) throw new Error('import cancelled');
    await saveResult(db, id, CUSTOMER_TABLE_RESULT, table);
    if (options.signal?.aborted) throw new Error('import cancelled');
    const stats = tableStats(table);
    const report: ImportReport = {
      fileName: table.fileName,
      settings: {
        delimiter: options.text !== undefined ? detectTableDelimiter(options.text) : ',',
        hasHeader: true,
        columns: table.columns.map((c) => c.name),
        layout: 'custom',
        mapping: {},
        dateFormat: null,
      },
      linesRead: table.rows,
      rows: table.rows,
      badRowCount: 0,
      badByReason: {},
      firstBadRows: [],
    };
    return await completeDataset(db, id, { dictionaries: NO_DICTIONARIES, report, stats, badRows: [] });
  } catch (error) {
    await deleteDataset(db, id).catch(() => undefined);
    throw error;
  }
}

/** A table dataset's parsed columns; a clear error for an event dataset. */
export async function loadCustomerTable(db: ShopLensDB, datasetId: string): Promise<CustomerTable> {
  const meta = await getDataset(db, datasetId);
  if (!meta) throw new Error('The dataset is gone (deleted in another tab?).');
  if (meta.source !== 'table') throw new Error(`“${meta.name}” is an event dataset, not a customer table.`);
  const table = await loadResult<CustomerTable>(db, datasetId, CUSTOMER_TABLE_RESULT);
  if (!table) throw new Error(`“${meta.name}”: its table is missing from the store.`);
  return table;
}

let dbPromise: Promise<ShopLensDB> | null = null;

export async function propensityTableJob(tf: Tf, params: PropensityTableJobParams, ctx: JobContext): Promise<PropensityRunSummary> {
  dbPromise ??= openStore();
  const db = await dbPromise;
  const { datasetId, ...rest } = params;
  const table = await loadCustomerTable(db, datasetId);
  const result = await runTablePropensity(tf, table, rest, ctx);
  const summary = summariseAny(result);
  const runs = ((await loadResult<PropensityRunSummary[]>(db, datasetId, PROPENSITY_RUNS)) ?? []).concat(summary);
  await saveResult(db, datasetId, propensityKind(summary.id), result);
  await saveResult(db, datasetId, PROPENSITY_RUNS, runs);
  return summary;
}
