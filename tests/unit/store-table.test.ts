// A customer table as a dataset (fake-indexeddb): stored atomically with no event chunks, listed
// with one customer per row, readable back for the 'propensityTable' job, deleted with its runs; a
// failure in the middle leaves nothing behind. Also a table model's JSON round trip.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beginDataset, completeDataset, deleteDataset, getReport, listDatasets, loadResult, openStore, putChunk, STORE_NAMES, type ShopLensDB } from '../../src/lib/store';
import * as results from '../../src/lib/store/results';
import { parseCustomerTable, type CustomerTable } from '../../src/lib/propensity/table';
import { loadCustomerTable, propensityTableJob, storeCustomerTable } from '../../src/lib/propensity/table-job';
import { CUSTOMER_TABLE_RESULT, runTablePropensity, type TablePropensityResult } from '../../src/lib/propensity/table-run';
import { anyPropensityFromJson, propensityFromJson, propensityToJson } from '../../src/lib/propensity/model-json';
import { PROPENSITY_RUNS, type PropensityRunSummary } from '../../src/lib/propensity/runs';
import { makeJobContext } from '../../src/lib/compute/jobs';
import * as store from '../../src/lib/store';
import { packDictionaries } from '../../src/lib/data/dictionary';

const text = readFileSync(resolve(process.cwd(), 'tests/fixtures/propensity/customers-semicolon.csv'), 'utf8');
const synthetic = readFileSync(resolve(process.cwd(), 'tests/fixtures/propensity/customers-synthetic.csv'), 'utf8');

let db: ShopLensDB | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
  vi.restoreAllMocks();
});

async function counts(d: ShopLensDB): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const s of STORE_NAMES) out[s] = await d.count(s);
  return out;
}

describe('a customer table as a dataset', () => {
  it('is stored without chunks, listed with one customer per row, read back, and deleted with everything', async () => {
    db = await openStore(new IDBFactory());
    const table = parseCustomerTable(text, 'customers-semicolon.csv');
    const meta = await storeCustomerTable(db, table, { name: 'Churn table', text });
    expect(meta.source).toBe('table');
    // The fixture (README): 6 customers, 6 columns, `;`-separated.
    expect(meta.stats).toEqual({ rows: 6, customers: 6, items: 0, orders: 0, categories: 0, firstTime: null, lastTime: null });
    expect(meta.chunkCount).toBe(0);
    expect(meta.layout).toBeNull();
    expect(meta.settings?.columns).toEqual(['id', 'age', 'segment', 'spend', 'region', 'churned']);
    expect(meta.settings?.delimiter).toBe(';');
    expect((await listDatasets(db)).map((m) => m.name)).toEqual(['Churn table']);
    expect((await getReport(db, meta.id)).report.rows).toBe(6);
    const back = await loadCustomerTable(db, meta.id);
    expect(back.rows).toBe(6);
    expect(back.columns.map((c) => c.name)).toEqual(table.columns.map((c) => c.name));
    const spend = back.columns[3];
    expect(spend.kind === 'numeric' && Array.from(spend.values)).toEqual([12.5, 3, NaN, 7.25, 4, NaN]);
    await deleteDataset(db, meta.id);
    expect(await counts(db)).toEqual({ datasets: 0, chunks: 0, dictionaries: 0, reports: 0, results: 0, settings: 0 });
  });

  it('leaves nothing when saving the columns fails, and refuses event chunks in a table', async () => {
    db = await openStore(new IDBFactory());
    const table = parseCustomerTable(text, 'customers-semicolon.csv');
    vi.spyOn(results, 'saveResult').mockRejectedValueOnce(new Error('quota exceeded'));
    await expect(storeCustomerTable(db, table, { name: 'x' })).rejects.toThrow(/quota/);
    expect(await counts(db)).toEqual({ datasets: 0, chunks: 0, dictionaries: 0, reports: 0, results: 0, settings: 0 });
    const ac = new AbortController();
    ac.abort();
    await expect(storeCustomerTable(db, table, { name: 'x', signal: ac.signal })).rejects.toThrow(/cancel/);
    expect(await listDatasets(db)).toEqual([]);
    expect(await counts(db)).toEqual({ datasets: 0, chunks: 0, dictionaries: 0, reports: 0, results: 0, settings: 0 });
  });

  it('refuses to complete a table that was given event chunks', async () => {
    db = await openStore(new IDBFactory());
    const id = await beginDataset(db, { name: 't', fileName: 't.csv', source: 'table' });
    const rows = 1;
    await putChunk(db, id, {
      index: 0, rows, customer: new Uint32Array(rows), order: new Uint32Array(rows), item: new Uint32Array(rows), time: new Float64Array(rows),
      quantity: new Float32Array(rows), amount: new Float64Array(rows), rating: new Float32Array(rows), eventType: new Uint8Array(rows),
    });
    const report = { fileName: 't.csv', settings: { delimiter: ',' as const, hasHeader: true, columns: ['a'], layout: 'custom' as const, mapping: {}, dateFormat: null }, linesRead: 1, rows: 1, badRowCount: 0, badByReason: {}, firstBadRows: [] };
    await expect(
      completeDataset(db, id, { dictionaries: packDictionaries({ customers: [], orders: [], items: [], itemNames: [], itemCategory: new Int32Array(0), categories: [] }), report, stats: { rows: 1, customers: 1, items: 0, orders: 0, categories: 0, firstTime: null, lastTime: null }, badRows: [] }),
    ).rejects.toThrow(/no event chunks/);
    expect(await listDatasets(db)).toEqual([]);
  });

  it('runs the propensityTable job on the stored table and saves the run in the run list', async () => {
    db = await openStore(new IDBFactory());
    await tf.setBackend('cpu');
    const table = parseCustomerTable(synthetic, 'customers-synthetic.csv');
    const meta = await storeCustomerTable(db, table, { name: 'Synthetic' });
    const opened = db;
    vi.spyOn(store, 'openStore').mockResolvedValue(opened);
    const summary = await propensityTableJob(tf, { datasetId: meta.id, target: { column: 'bought', positive: 'yes' }, drop: ['customer_id', 'call_duration'], validation: { kind: 'cv', k: 5 }, seed: 7 }, makeJobContext());
    expect(summary.kind).toBe('table');
    const runs = await loadResult<PropensityRunSummary[]>(db, meta.id, PROPENSITY_RUNS);
    expect(runs?.map((r) => r.id)).toEqual([summary.id]);
    const saved = await loadResult<TablePropensityResult>(db, meta.id, `propensity:${summary.id}`);
    expect(saved?.scored.scores).toHaveLength(400);
    expect(await loadResult<CustomerTable>(db, meta.id, CUSTOMER_TABLE_RESULT)).toBeDefined();
  }, 60_000);
});

describe('a table model as JSON', () => {
  it('round-trips, is refused as an event model, and names a damaged field', async () => {
    await tf.setBackend('cpu');
    const table = parseCustomerTable(synthetic, 'customers-synthetic.csv');
    const r = await runTablePropensity(tf, table, { target: { column: 'bought', positive: 'yes' }, drop: ['call_duration'], validation: { kind: 'holdout', testFraction: 0.2 } }, makeJobContext());
    const json = propensityToJson(r);
    const back = anyPropensityFromJson(json) as TablePropensityResult;
    expect(back.source).toBe('table');
    expect(Array.from(back.scored.scores)).toEqual(Array.from(r.scored.scores));
    expect(back.scored.ids?.slice(0, 2)).toEqual(['C0001', 'C0002']);
    expect(back.encoder).toEqual(r.encoder);
    expect(() => propensityFromJson(json)).toThrow(/customer-table model/);
    const broken = JSON.parse(json) as { result: { scored: { decile: unknown } } };
    broken.result.scored.decile = { $typed: 'Uint8Array', values: [11] };
    expect(() => anyPropensityFromJson(JSON.stringify(broken))).toThrow(/scored.decile/);
  }, 60_000);
});
