// Browser part of bench/recommend.mjs: bundles recommend-page-entry.ts with esbuild, serves it with
// the triples file and tfjs's .wasm files on 127.0.0.1 (COOP/COEP), and runs one timed fit per
// (backend, algorithm) in headless Chromium, each in a fresh page. Offline: no CDN.
import { createServer } from 'node:http';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function startServer(routes) {
  const server = createServer((req, res) => {
    const file = routes[new URL(req.url, 'http://x').pathname];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.js') ? 'text/javascript' : file.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream';
    res.writeHead(200, {
      'Content-Type': type,
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
 * @param {{ root: string, file: string, rows: number, cols: number, runs: { backend: string, algo: string, iters: number, factors: number }[], timeoutMs?: number }} o
 * @returns {Promise<object[]>} one figure object (or { backend, algo, error }) per run
 */
export async function runInBrowser(o) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'shoplens-recommend-page-'));
  let server;
  let browser;
  try {
    await build({
      entryPoints: [path.join(HERE, 'recommend-page-entry.ts')],
      bundle: true,
      format: 'esm',
      target: 'es2022',
      minify: false, // tfjs-wasm rebuilds its thread bootstrap from function source text
      outfile: path.join(tmp, 'bundle.js'),
      logLevel: 'error',
    });
    const wasmDir = path.join(o.root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
    const routes = { '/': path.join(HERE, 'recommend-page.html'), '/bundle.js': path.join(tmp, 'bundle.js'), '/triples.bin': o.file };
    for (const w of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) routes[`/wasm/${w}`] = path.join(wasmDir, w);
    server = await startServer(routes);
    const url = `http://127.0.0.1:${server.address().port}/`;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
    });
    const out = [];
    for (const run of o.runs) {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      const limit = o.timeoutMs ?? 300_000;
      try {
        await page.goto(url);
        await page.waitForFunction(() => 'runFit' in window, null, { timeout: 30_000 });
        const r = await Promise.race([
          page.evaluate(([b, rows, cols, algo, it, f]) => window.runFit(b, rows, cols, algo, it, f), [run.backend, o.rows, o.cols, run.algo, run.iters, run.factors]),
          new Promise((resolve) => setTimeout(() => resolve({ error: `timed out after ${limit / 1000} s` }), limit)),
        ]);
        out.push(errors.length && !r.seconds ? { ...run, error: errors[0] } : { ...run, ...r });
      } catch (e) {
        out.push({ ...run, error: String(e.message || e).split('\n')[0] });
      } finally {
        await page.close().catch(() => {});
      }
    }
    return out;
  } finally {
    await browser?.close();
    server?.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
