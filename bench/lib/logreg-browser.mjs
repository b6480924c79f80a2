// Browser part of bench/logreg.mjs: bundles logreg-page-entry.ts with esbuild into a temp folder,
// serves it with the data files and tfjs's .wasm files on 127.0.0.1 (COOP/COEP so tfjs-wasm may use
// threads), and runs one fit per backend in headless Chromium, each in a fresh page. Same pattern as
// bench/kmeans/browser.mjs (whose blank page.html it serves).
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
 * @param {{ root: string, xFile: string, yFile: string, n: number, d: number, backends: string[], timeoutMs?: number }} o
 * @returns {Promise<object[]>} one figure object (or { backend, error }) per backend
 */
export async function runLogRegInBrowser(o) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'shoplens-logreg-page-'));
  let server;
  let browser;
  try {
    await build({
      entryPoints: [path.join(HERE, 'logreg-page-entry.ts')],
      bundle: true,
      format: 'esm',
      target: 'es2022',
      minify: false, // tfjs-wasm rebuilds its thread bootstrap from function source text
      outfile: path.join(tmp, 'bundle.js'),
      logLevel: 'error',
    });
    const wasmDir = path.join(o.root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
    const routes = {
      '/': path.join(o.root, 'bench/kmeans/page.html'),
      '/bundle.js': path.join(tmp, 'bundle.js'),
      '/x.f32': o.xFile,
      '/y.u8': o.yFile,
    };
    for (const w of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) routes[`/wasm/${w}`] = path.join(wasmDir, w);
    server = await startServer(routes);
    const url = `http://127.0.0.1:${server.address().port}/`;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'], // no --disable-gpu: WebGL runs on SwiftShader
    });
    const out = [];
    const timeoutMs = o.timeoutMs ?? 300_000;
    for (const backend of o.backends) {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      try {
        await page.goto(url);
        await page.waitForFunction(() => 'runLogReg' in window, null, { timeout: 30_000 });
        const r = await Promise.race([
          page.evaluate(([b, n, d]) => window.runLogReg(b, n, d), [backend, o.n, o.d]),
          new Promise((resolve) => setTimeout(() => resolve({ backend, error: `timed out after ${timeoutMs / 1000} s` }), timeoutMs)),
        ]);
        out.push(errors.length && !r.seconds ? { backend, error: errors[0] } : r);
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
