// DuckDB-WASM peer for the ingest benchmark: loads the chosen CSV with read_csv into a table.
// Built by Vite into a temp folder, so the bundle, worker and .wasm are served locally (no CDN).
import { AsyncDuckDB, DuckDBDataProtocol, VoidLogger } from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';

/** Starts DuckDB (the exception-handling build, which Chromium supports); not part of the timing. */
async function start() {
  const t0 = performance.now();
  const worker = new Worker(ehWorker);
  const db = new AsyncDuckDB(new VoidLogger(), worker);
  await db.instantiate(ehWasm);
  return { db, worker, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Registers the input's file (read through FileReader, as a user's file would be) and times
 * CREATE TABLE … AS SELECT * FROM read_csv(…), then SELECT count(*).
 */
async function run() {
  const input = /** @type {HTMLInputElement} */ (document.getElementById('file'));
  const file = input.files?.[0];
  if (!file) throw new Error('no file chosen');
  const { db, worker, seconds: startSeconds } = await start();
  try {
    const name = 'orders.csv';
    await db.registerFileHandle(name, file, DuckDBDataProtocol.BROWSER_FILEREADER, true);
    const conn = await db.connect();
    const t0 = performance.now();
    await conn.query(`CREATE TABLE t AS SELECT * FROM read_csv('${name}', header = true)`);
    const t1 = performance.now();
    const counted = await conn.query('SELECT count(*)::INTEGER AS n FROM t');
    const t2 = performance.now();
    const rows = Number(counted.getChildAt(0)?.get(0));
    const columns = (await conn.query('DESCRIBE t')).numRows;
    await conn.close();
    return {
      rows,
      columns,
      startSeconds,
      createSeconds: (t1 - t0) / 1000,
      countSeconds: (t2 - t1) / 1000,
      version: await db.getVersion(),
    };
  } finally {
    await db.terminate();
    worker.terminate();
  }
}

/**
 * The floor under any importer: read the file as a stream and decode it to text in ~1 MB pieces,
 * as the ingest worker does, without parsing. Seconds.
 */
async function readFloor() {
  const input = /** @type {HTMLInputElement} */ (document.getElementById('file'));
  const file = input.files?.[0];
  if (!file) throw new Error('no file chosen');
  const t0 = performance.now();
  const reader = file.stream().getReader();
  const decoder = new TextDecoder('utf-8');
  let parts = [];
  let bytes = 0;
  let chars = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(decoder.decode(value, { stream: true }));
    bytes += value.byteLength;
    if (bytes >= 1 << 20) {
      chars += parts.join('').length;
      parts = [];
      bytes = 0;
    }
  }
  chars += parts.join('').length + decoder.decode().length;
  return { seconds: (performance.now() - t0) / 1000, chars };
}

Object.assign(window, { duckdbBench: { run, readFloor } });
document.getElementById('log').textContent = 'ready';
