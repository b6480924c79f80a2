// Browser part of bench/logreg.mjs: one fit per backend in headless Chromium, each in a fresh page,
// through the shared page server in bench-page.mjs (serving bench/kmeans/page.html, a blank page).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { callInFreshPage, openBenchPage } from './bench-page.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * @param {{ root: string, xFile: string, yFile: string, n: number, d: number, backends: string[], timeoutMs?: number }} o
 * @returns {Promise<object[]>} one figure object (or { backend, error }) per backend
 */
export async function runLogRegInBrowser(o) {
  const session = await openBenchPage({
    root: o.root,
    name: 'logreg',
    entry: path.join(HERE, 'logreg-page-entry.ts'),
    html: path.join(o.root, 'bench/kmeans/page.html'),
    files: { '/x.f32': o.xFile, '/y.u8': o.yFile },
  });
  try {
    const out = [];
    for (const backend of o.backends) {
      const r = await callInFreshPage(session, 'runLogReg', [backend, o.n, o.d], o.timeoutMs ?? 300_000, (x) => !!x.seconds);
      out.push(r.error ? { backend, error: r.error } : r);
    }
    return out;
  } finally {
    await session.close();
  }
}
