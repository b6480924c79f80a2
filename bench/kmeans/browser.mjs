// Browser part of bench/kmeans.mjs: one k-means fit per backend in headless Chromium, each in a
// fresh page, through the shared page server in bench/lib/bench-page.mjs.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { callInFreshPage, openBenchPage } from '../lib/bench-page.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * @param {{ root: string, file: string, initFile: string, n: number, d: number, k: number, iters: number, backends: string[] }} o
 * @returns {Promise<object[]>} one figure object (or { backend, error }) per backend
 */
export async function runInBrowser(o) {
  const session = await openBenchPage({
    root: o.root,
    name: 'kmeans',
    entry: path.join(HERE, 'page-entry.ts'),
    html: path.join(HERE, 'page.html'),
    files: { '/data.f32': o.file, '/init.f32': o.initFile },
    chromiumArgs: ['--enable-unsafe-webgpu'],
  });
  try {
    const out = [];
    for (const backend of o.backends) {
      const r = await callInFreshPage(session, 'runKMeans', [backend, o.n, o.d, o.k, o.iters], 240_000, (x) => !!x.ms);
      out.push(r.error ? { backend, error: r.error } : r);
    }
    return out;
  } finally {
    await session.close();
  }
}
