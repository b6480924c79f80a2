#!/usr/bin/env node
// Browser test runner: serves the production build with `vite preview`, drives Debian's
// Chromium through playwright-core, and runs every test exported from tests/e2e/*.e2e.mjs in
// a fresh browser context under the harness guards (see harness.mjs).
//
// Usage: node tests/e2e/run.mjs [filter] [--self-test] [--timeout=ms] [--json=path] [--list]
//   filter       run only tests whose "file › name" contains this substring
//   --self-test  run the harness self-tests instead (each must be FAILED by the guards)
//   --timeout    per-test limit in ms (default 60000; a test may set its own)
//   --json       where to write the counts (default test-results/e2e.json or e2e-selftest.json)
//   --list       print the test names and exit
// Env: E2E_BASE_URL=http://… tests a server you already run (e.g. `npm run dev`);
//      CHROMIUM_PATH overrides /usr/bin/chromium.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, expect, installGuards, slug, withTimeout } from './harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const E2E_DIR = path.join(ROOT, 'tests/e2e');
const RESULTS_DIR = path.join(ROOT, 'test-results');
const VITE_BIN = path.join(ROOT, 'node_modules/vite/bin/vite.js');

/** @typedef {{ page: import('playwright-core').Page, context: import('playwright-core').BrowserContext, baseURL: string, origin: string, expect: typeof expect, guards: Awaited<ReturnType<typeof installGuards>> }} TestArgs */
/** @typedef {{ id: string, run: (args: TestArgs) => Promise<void>, timeout?: number, contextOptions?: import('playwright-core').BrowserContextOptions, expectFailure?: RegExp }} TestCase */

function parseArgs(/** @type {string[]} */ argv) {
  const opts = { filter: '', selfTest: false, timeout: 60_000, json: '', list: false };
  for (const a of argv) {
    if (a === '--self-test') opts.selfTest = true;
    else if (a === '--list') opts.list = true;
    else if (a.startsWith('--timeout=')) opts.timeout = Number(a.slice(10));
    else if (a.startsWith('--json=')) opts.json = a.slice(7);
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else opts.filter = a;
  }
  if (!Number.isFinite(opts.timeout) || opts.timeout <= 0) throw new Error('--timeout must be a positive number of ms');
  opts.json ||= path.join(RESULTS_DIR, opts.selfTest ? 'e2e-selftest.json' : 'e2e.json');
  return opts;
}

/**
 * Imports every *.e2e.mjs and flattens its `tests` (or, in self-test mode, `selfTests`) export.
 * A test is either a function or { run, timeout?, contextOptions?, expectFailure? }.
 * @returns {Promise<TestCase[]>}
 */
async function discover(/** @type {boolean} */ selfTest) {
  const files = readdirSync(E2E_DIR).filter((f) => f.endsWith('.e2e.mjs')).sort();
  /** @type {TestCase[]} */
  const cases = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(path.join(E2E_DIR, file)).href);
    const table = selfTest ? mod.selfTests : mod.tests;
    if (!table) continue;
    for (const [name, def] of Object.entries(table)) {
      const id = `${file.replace(/\.e2e\.mjs$/, '')} › ${name}`;
      cases.push(typeof def === 'function' ? { id, run: def } : { id, ...def });
    }
  }
  return cases;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `vite preview` on a free port and resolves once it answers. */
async function startPreview() {
  if (!existsSync(path.join(ROOT, 'dist/index.html'))) {
    console.log('dist/ missing: running vite build …');
    const b = spawnSync(process.execPath, [VITE_BIN, 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (b.status !== 0) throw new Error(`vite build failed (exit ${b.status})`);
  }
  const port = await freePort();
  const child = spawn(process.execPath, [VITE_BIN, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited (${child.exitCode}):\n${log}`);
    try {
      const res = await fetch(baseURL + '/');
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`vite preview did not answer on ${baseURL} within 30 s:\n${log}`);
    }
    await sleep(150);
  }
  return { baseURL, stop: () => child.exitCode === null && child.kill('SIGTERM') };
}

/**
 * Runs one test in a fresh context; returns the failure messages (empty when it passed).
 * @param {import('playwright-core').Browser} browser
 * @param {TestCase} tc
 * @param {string} baseURL
 * @param {number} defaultTimeout
 */
async function runOne(browser, tc, baseURL, defaultTimeout) {
  const origin = new URL(baseURL).origin;
  const context = await browser.newContext({ baseURL, ...tc.contextOptions });
  /** @type {string[]} */
  const failures = [];
  try {
    const guards = await installGuards(context, origin);
    const page = await context.newPage();
    const timeout = tc.timeout ?? defaultTimeout;
    page.setDefaultTimeout(Math.min(timeout, 30_000));
    try {
      await withTimeout(tc.run({ page, context, baseURL, origin, expect, guards }), timeout, 'test');
    } catch (err) {
      const e = /** @type {Error} */ (err);
      failures.push(e.name === 'ExpectationError' ? e.message : e.stack || String(e));
    }
    failures.push(...(await guards.finalCheck()));
    if (failures.length > 0 && !tc.expectFailure && !page.isClosed()) {
      mkdirSync(RESULTS_DIR, { recursive: true });
      const shot = path.join(RESULTS_DIR, `${slug(tc.id)}.png`);
      await withTimeout(page.screenshot({ path: shot, fullPage: true }), 10_000, 'screenshot')
        .then(() => failures.push(`screenshot: ${path.relative(ROOT, shot)}`))
        .catch(() => {});
    }
  } finally {
    await withTimeout(context.close(), 10_000, 'closing the context').catch(() => {});
  }
  return failures;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const all = await discover(opts.selfTest);
  const cases = all.filter((t) => t.id.includes(opts.filter));
  if (opts.list) {
    for (const t of cases) console.log(t.id);
    return 0;
  }
  if (cases.length === 0) {
    console.error(`no e2e tests${opts.filter ? ` match "${opts.filter}"` : ''} (${all.length} found)`);
    return 1;
  }
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`);

  const server = process.env.E2E_BASE_URL ? { baseURL: process.env.E2E_BASE_URL.replace(/\/$/, ''), stop: () => {} } : await startPreview();
  process.on('exit', () => server.stop());
  const launch = () => chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  let browser = await launch();
  const results = [];
  try {
    console.log(`e2e: ${cases.length} test(s) against ${server.baseURL}${opts.selfTest ? ' (harness self-test)' : ''}`);
    for (const tc of cases) {
      if (!browser.isConnected()) browser = await launch(); // a crash must not sink the rest
      const t0 = performance.now();
      let failures = await runOne(browser, tc, server.baseURL, opts.timeout);
      if (tc.expectFailure) {
        // Self-test: passes only when the guards (or the test) failed it for the expected reason.
        const re = tc.expectFailure;
        failures = failures.some((f) => re.test(f))
          ? []
          : [`expected the harness to fail this test with ${re}, got: ${failures.length ? failures.join(' | ') : 'no failure'}`];
      }
      const ms = Math.round(performance.now() - t0);
      const ok = failures.length === 0;
      results.push({ name: tc.id, ok, ms, failures });
      console.log(`${ok ? '✓' : '✗'} ${tc.id} (${ms} ms)`);
      for (const f of failures) console.log('    ' + f.split('\n').join('\n    '));
    }
  } finally {
    await browser.close().catch(() => {});
    server.stop();
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  mkdirSync(path.dirname(path.resolve(opts.json)), { recursive: true });
  writeFileSync(opts.json, JSON.stringify({ passed, failed, skipped: 0, tests: results }, null, 2) + '\n');
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.stack || err.message : err);
    // Leave counts behind anyway so CI reports the run as failed rather than missing.
    try {
      const json = parseArgs(process.argv.slice(2)).json;
      mkdirSync(path.dirname(path.resolve(json)), { recursive: true });
      writeFileSync(json, JSON.stringify({ passed: 0, failed: 1, skipped: 0, error: String(err) }, null, 2) + '\n');
    } catch {
      /* bad arguments: nothing sensible to write */
    }
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
