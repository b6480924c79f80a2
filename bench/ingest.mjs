#!/usr/bin/env node
// Ingest benchmark: writes the demo shop's order-lines CSV (1,000,000 lines by default), imports it
// in headless Chromium through the real app (Data view → ingest worker → IndexedDB), then loads
// the same file with DuckDB-WASM's read_csv in the same browser, and prints rows/s, seconds, peak
// JS heap and the ratio ShopLens ÷ DuckDB. It prints figures and never asserts timings: the exit
// code is 0 unless something broke (a build, the browser, an import, a row count that disagrees).
//
// Usage: npm run bench:ingest -- [--rows N] [--seed S] [--skip-duckdb] [--keep] [--runs K]
//                                [--profile] [--json PATH] [--app-root DIR]
//   --rows N       data lines in the CSV (default 1,000,000)
//   --seed S       demo shop seed (default 1)
//   --skip-duckdb  import with ShopLens only
//   --keep         keep the temp CSV (otherwise removed at the end; by default it is reused
//                  while it exists, so --keep makes repeated runs skip the ~3 s generation)
//   --runs K       import K times in fresh browser contexts, and DuckDB K times (default 1)
//   --profile      also record a CPU profile of the ingest worker (unminified build; slower,
//                  so its timings are not the benchmark's) and print the top functions
//   --json PATH    also write the figures as JSON
//   --app-root DIR build and benchmark the app in another checkout (e.g. a baseline to compare)
// Env: CHROMIUM_PATH overrides /usr/bin/chromium.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { BENCH_TMP, ensureDemoCsv, removeCsv } from './lib/csv-file.mjs';
import { benchPath, buildInto, serve } from './lib/serve.mjs';
import { importWithShopLens } from './lib/shoplens.mjs';
import { loadWithDuckdb } from './lib/duckdb.mjs';
import { formatInt, formatMB, sourceResolver, summariseProfile } from './lib/report.mjs';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--enable-precise-memory-info',
];
const TARGET_ROWS_PER_S = 300_000;

function parseArgs(argv) {
  const opts = { rows: 1_000_000, seed: 1, skipDuckdb: false, keep: false, runs: 1, profile: false, json: '', appRoot: '' };
  const value = (i, name) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const take = () => inline ?? value(i++, flag);
    if (flag === '--rows') opts.rows = Number(take().replace(/[_,]/g, ''));
    else if (flag === '--seed') opts.seed = Number(take());
    else if (flag === '--runs') opts.runs = Number(take());
    else if (flag === '--json') opts.json = take();
    else if (flag === '--app-root') opts.appRoot = path.resolve(take());
    else if (flag === '--skip-duckdb') opts.skipDuckdb = true;
    else if (flag === '--keep') opts.keep = true;
    else if (flag === '--profile') opts.profile = true;
    else if (flag === '--help' || flag === '-h') {
      console.log('usage: npm run bench:ingest -- [--rows N] [--seed S] [--skip-duckdb] [--keep] [--runs K] [--profile] [--json PATH] [--app-root DIR]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(opts.rows) || opts.rows < 1) throw new Error(`--rows must be a positive integer, got ${opts.rows}`);
  if (!Number.isInteger(opts.seed)) throw new Error(`--seed must be an integer, got ${opts.seed}`);
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error(`--runs must be a positive integer, got ${opts.runs}`);
  return opts;
}

const rate = (rows, seconds) => (seconds > 0 ? rows / seconds : 0);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const root = opts.appRoot || benchPath('..');
  const cleanups = [];
  const results = { date: new Date().toISOString(), machine: `${os.cpus().length} vCPU, ${formatMB(os.totalmem())} RAM`, opts, shoplens: [], duckdb: [] };
  let csv = null;
  try {
    csv = await ensureDemoCsv({ rows: opts.rows, seed: opts.seed });
    console.log(
      `CSV: ${formatInt(csv.lines)} lines, ${formatMB(csv.bytes)} at ${csv.path}` +
        (csv.reused ? ' (reused)' : ` (written in ${csv.seconds.toFixed(1)} s)`),
    );
    if (csv.lines < opts.rows) console.log(`  note: the demo shop ran out of orders at ${formatInt(csv.lines)} lines`);
    results.csv = { lines: csv.lines, bytes: csv.bytes };

    // Build into temp folders: dist/ stays as the other engineers left it.
    const appOut = path.join(BENCH_TMP, opts.profile ? 'app-unminified' : 'app');
    let t = performance.now();
    await buildInto({ root, outDir: appOut, configFile: path.join(root, 'vite.config.ts'), minify: !opts.profile, sourcemap: opts.profile });
    const app = await serve({ root, outDir: appOut, configFile: path.join(root, 'vite.config.ts') });
    cleanups.push(app.close);
    let duck = null;
    if (!opts.skipDuckdb) {
      const duckOut = path.join(BENCH_TMP, 'duckdb');
      await buildInto({ root: benchPath('duckdb'), outDir: duckOut, configFile: false });
      duck = await serve({ root: benchPath('duckdb'), outDir: duckOut, configFile: false });
      cleanups.push(duck.close);
    }
    console.log(`built and serving in ${((performance.now() - t) / 1000).toFixed(1)} s: app ${app.url}${duck ? `, DuckDB page ${duck.url}` : ''}`);

    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());
    results.chromium = browser.version();
    console.log(`Chromium ${browser.version()}`);

    for (let run = 1; run <= opts.runs; run++) {
      const tag = opts.runs > 1 ? ` [run ${run}/${opts.runs}]` : '';
      const ours = await importWithShopLens(browser, { url: app.url, csvPath: csv.path, profile: opts.profile });
      const { seconds, rows, badRows, linesRead } = ours;
      results.shoplens.push(ours);
      console.log(
        `ShopLens import${tag}: ${formatInt(rows)} rows in ${seconds.toFixed(2)} s = ${formatInt(rate(rows, seconds))} rows/s` +
          ` (to first progress ${ours.startupSeconds.toFixed(2)} s, reading ${ours.readSeconds.toFixed(2)} s, finishing ${ours.finishSeconds.toFixed(2)} s)`,
      );
      if (badRows > 0) console.log(`  ${formatInt(badRows)} bad rows set aside: ${ours.badReasons}`);
      if (linesRead !== csv.lines || rows + badRows !== csv.lines || ours.storedRows !== rows) {
        throw new Error(
          `row counts disagree: CSV ${csv.lines} lines, app read ${linesRead}, accepted ${rows}, bad ${badRows}, stored in IndexedDB ${ours.storedRows}`,
        );
      }
      if (ours.profile) {
        const file = path.join(BENCH_TMP, `ingest-worker-${Date.now()}.cpuprofile`);
        writeFileSync(file, JSON.stringify(ours.profile));
        const resolve = await sourceResolver(appOut, root).catch(() => undefined);
        console.log(`  CPU profile of the ingest worker: ${file} (open in DevTools › Performance)`);
        console.log(summariseProfile(ours.profile, { top: 14, resolve }));
        delete ours.profile;
      }
      if (duck) {
        const theirs = await loadWithDuckdb(browser, { url: duck.url, csvPath: csv.path });
        results.duckdb.push(theirs);
        console.log(
          `DuckDB-WASM ${theirs.version} read_csv${tag}: ${formatInt(theirs.rows)} rows in ${theirs.createSeconds.toFixed(2)} s` +
            ` = ${formatInt(rate(theirs.rows, theirs.createSeconds))} rows/s (count(*) ${theirs.countSeconds.toFixed(3)} s, start ${theirs.startSeconds.toFixed(2)} s)`,
        );
        console.log(`  reading + decoding the file alone (file.stream + TextDecoder, main thread): ${theirs.readFloorSeconds.toFixed(2)} s`);
        if (theirs.rows !== csv.lines) throw new Error(`DuckDB counted ${theirs.rows} rows, the CSV has ${csv.lines} lines`);
      }
    }

    // The summary: medians over runs (a single run's figures when --runs 1).
    const ourSeconds = median(results.shoplens.map((r) => r.seconds));
    const ourRows = results.shoplens[0].rows;
    const ourRate = rate(ourRows, ourSeconds);
    const peakPage = Math.max(...results.shoplens.map((r) => r.heap.page));
    const peakWorker = Math.max(...results.shoplens.map((r) => r.heap.worker));
    const peakWorkerBuffers = Math.max(...results.shoplens.map((r) => r.heap.workerWithBuffers));
    const runsNote = opts.runs > 1 ? ` (median of ${opts.runs})` : '';
    console.log('');
    console.log(
      `ShopLens ingest${runsNote}: ${formatInt(ourRows)} rows in ${ourSeconds.toFixed(2)} s = ${formatInt(ourRate)} rows/s;` +
        ` peak JS heap page ${formatMB(peakPage)}, ingest worker ${formatMB(peakWorker)} (${formatMB(peakWorkerBuffers)} with ArrayBuffers)`,
    );
    if (results.duckdb.length > 0) {
      const duckSeconds = median(results.duckdb.map((r) => r.createSeconds));
      const duckRows = results.duckdb[0].rows;
      const duckRate = rate(duckRows, duckSeconds);
      console.log(`DuckDB-WASM read_csv${runsNote}: ${formatInt(duckRows)} rows in ${duckSeconds.toFixed(2)} s = ${formatInt(duckRate)} rows/s`);
      console.log(`ratio ShopLens/DuckDB: ${(ourRate / duckRate).toFixed(2)} (target ≥ 1.0; ≥ ${formatInt(TARGET_ROWS_PER_S)} rows/s)`);
      results.ratio = ourRate / duckRate;
    } else {
      console.log(`(DuckDB skipped; target ≥ ${formatInt(TARGET_ROWS_PER_S)} rows/s)`);
    }
    if (opts.json) {
      mkdirSync(path.dirname(path.resolve(opts.json)), { recursive: true });
      writeFileSync(opts.json, JSON.stringify(results, null, 2));
    }
  } finally {
    for (const close of cleanups.reverse()) await close().catch(() => undefined);
    if (csv && !opts.keep) removeCsv(csv.path);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`bench:ingest failed: ${error?.stack ?? error}`);
    process.exit(1);
  },
);
