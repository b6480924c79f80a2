// Browser part of bench/kmeans.mjs: bundles page-entry.ts with esbuild into a temp folder, serves it
// with the data file and tfjs's .wasm files on 127.0.0.1 (COOP/COEP so tfjs-wasm may use threads),
// and runs one fit per backend in headless Chromium, each in a fresh page. Offline: no CDN.
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
 * @param {{ root: string, file: string, initFile: string, n: number, d: number, k: number, iters: number, backends: string[] }} o
 * @returns {Promise<object[]>} one figure object (or { backend, error }) per backend
 */
export async function runInBrowser(o) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'shoplens-kmeans-page-'));
  let server;
  let browser;
  try {
    await build({
      entryPoints: [path.join(HERE, 'page-entry.ts')],
      bundle: true,
      format: 'esm',
      target: 'es2022',
      minify: false, // tfjs-wasm rebuilds its thread bootstrap from function source text
      outfile: path.join(tmp, 'bundle.js'),
      logLevel: 'error',
    });
    const wasmDir = path.join(o.root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
    const routes = {
      '/': path.join(HERE, 'page.html'),
      '/bundle.js': path.join(tmp, 'bundle.js'),
      '/data.f32': o.file,
      '/init.f32': o.initFile,
    };
    for (const w of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) routes[`/wasm/${w}`] = path.join(wasmDir, w);
    server = await startServer(routes);
    const url = `http://127.0.0.1:${server.address().port}/`;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--enable-unsafe-webgpu'],
    });
    const out = [];
    for (const backend of o.backends) {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      try {
        await page.goto(url);
        await page.waitForFunction(() => 'runKMeans' in window, null, { timeout: 30_000 });
        const r = await Promise.race([
          page.evaluate(([b, n, d, k, it]) => window.runKMeans(b, n, d, k, it), [backend, o.n, o.d, o.k, o.iters]),
          new Promise((resolve) => setTimeout(() => resolve({ backend, error: 'timed out after 240 s' }), 240_000)),
        ]);
        out.push(errors.length && !r.ms ? { backend, error: errors[0] } : r);
      } catch (e) {
        out.push({ backend, error: String(e.message || e).split('\n')[0] });
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
