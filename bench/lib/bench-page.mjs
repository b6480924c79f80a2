// The browser side every benchmark shares: bundle a page entry with esbuild into a temp folder,
// serve it with its data files and tfjs's .wasm files on 127.0.0.1 (COOP/COEP so tfjs-wasm may use
// threads), launch headless Chromium, and call one function of the page in a fresh page per run.
// Offline: no CDN.
import { createServer } from 'node:http';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

function contentType(file) {
  if (file.endsWith('.html')) return 'text/html';
  if (file.endsWith('.js')) return 'text/javascript';
  if (file.endsWith('.wasm')) return 'application/wasm';
  return 'application/octet-stream';
}

/** @param {Record<string, string>} routes URL path → file */
function startServer(routes) {
  const server = createServer((req, res) => {
    const file = routes[new URL(req.url, 'http://x').pathname];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': contentType(file),
      'Content-Length': statSync(file).size,
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * Bundles `entry`, serves it at `/bundle.js` beside `html` at `/` and `files` (URL path → file), and
 * launches Chromium. No --disable-gpu: WebGL runs on SwiftShader here. Call `close()` when done.
 * @param {{ root: string, entry: string, html: string, files: Record<string, string>, name: string, chromiumArgs?: string[] }} o
 * @returns {Promise<{ url: string, browser: import('playwright-core').Browser, close: () => Promise<void> }>}
 */
export async function openBenchPage(o) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), `shoplens-${o.name}-page-`));
  let server;
  let browser;
  const close = async () => {
    await browser?.close();
    server?.close();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    await build({
      entryPoints: [o.entry],
      bundle: true,
      format: 'esm',
      target: 'es2022',
      minify: false, // tfjs-wasm rebuilds its thread bootstrap from function source text
      outfile: path.join(tmp, 'bundle.js'),
      logLevel: 'error',
    });
    const wasmDir = path.join(o.root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
    const routes = { '/': o.html, '/bundle.js': path.join(tmp, 'bundle.js'), ...o.files };
    for (const w of WASM_FILES) routes[`/wasm/${w}`] = path.join(wasmDir, w);
    server = await startServer(routes);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', ...(o.chromiumArgs ?? [])],
    });
    return { url: `http://127.0.0.1:${server.address().port}/`, browser, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Calls `window[fn](...args)` in a fresh page of `session`. Resolves to the page's answer, or to
 * `{ error }` on a timeout, a thrown error, or an uncaught page error without a result
 * (`done(result)` says whether the answer is a result).
 * @param {{ url: string, browser: import('playwright-core').Browser }} session
 * @param {string} fn
 * @param {unknown[]} args
 * @param {number} timeoutMs
 * @param {(r: any) => boolean} done
 */
export async function callInFreshPage(session, fn, args, timeoutMs, done) {
  const page = await session.browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(session.url);
    await page.waitForFunction((name) => name in window, fn, { timeout: 30_000 });
    const r = await Promise.race([
      page.evaluate(([name, a]) => window[name](...a), [fn, args]),
      new Promise((resolve) => setTimeout(() => resolve({ error: `timed out after ${timeoutMs / 1000} s` }), timeoutMs)),
    ]);
    return errors.length && !done(r) ? { error: errors[0] } : r;
  } catch (e) {
    return { error: String(e.message || e).split('\n')[0] };
  } finally {
    await page.close().catch(() => {});
  }
}
