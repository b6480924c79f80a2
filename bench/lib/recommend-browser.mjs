// Browser part of bench/recommend.mjs: one timed fit per (backend, algorithm) in headless Chromium,
// each in a fresh page, through the shared page server in bench-page.mjs.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { callInFreshPage, openBenchPage } from './bench-page.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * @param {{ root: string, file: string, rows: number, cols: number, runs: { backend: string, algo: string, iters: number, factors: number }[], timeoutMs?: number }} o
 * @returns {Promise<object[]>} one figure object (or { backend, algo, error }) per run
 */
export async function runInBrowser(o) {
  const session = await openBenchPage({
    root: o.root,
    name: 'recommend',
    entry: path.join(HERE, 'recommend-page-entry.ts'),
    html: path.join(HERE, 'recommend-page.html'),
    files: { '/triples.bin': o.file },
  });
  try {
    const out = [];
    for (const run of o.runs) {
      const r = await callInFreshPage(session, 'runFit', [run.backend, o.rows, o.cols, run.algo, run.iters, run.factors], o.timeoutMs ?? 300_000, (x) => !!x.seconds);
      out.push({ ...run, ...r });
    }
    return out;
  } finally {
    await session.close();
  }
}
