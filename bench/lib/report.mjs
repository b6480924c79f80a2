// Number formatting and a CPU-profile summary for the benchmark's printout.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const formatInt = (n) => Math.round(n).toLocaleString('en-US');
export const formatMB = (bytes) => `${(bytes / 1e6).toFixed(bytes >= 1e8 ? 0 : 1)} MB`;

/**
 * Returns callFrame → original source path ("src/lib/data/rows.ts", "node_modules/idb/…"), using
 * the .map files next to the built assets. @jridgewell/trace-mapping comes with Vite's tool chain.
 * @param {string} outDir the build folder holding assets/*.js and their .map files
 * @param {string} root paths are shown relative to this folder (the app's root)
 */
export async function sourceResolver(outDir, root) {
  const { TraceMap, originalPositionFor } = await import('@jridgewell/trace-mapping');
  /** @type {Map<string, any>} */
  const maps = new Map();
  return (/** @type {{ url: string, lineNumber: number, columnNumber: number }} */ frame) => {
    if (!frame.url) return '';
    const file = new URL(frame.url).pathname;
    if (!maps.has(file)) {
      try {
        maps.set(file, new TraceMap(readFileSync(path.join(outDir, `${file}.map`), 'utf8')));
      } catch {
        maps.set(file, null);
      }
    }
    const map = maps.get(file);
    if (!map) return file;
    const pos = originalPositionFor(map, { line: frame.lineNumber + 1, column: Math.max(0, frame.columnNumber) });
    if (!pos.source) return file;
    // Vite writes sources relative to an output path; keep the part that names the app's file.
    const abs = path.resolve(path.dirname(path.join(outDir, file)), pos.source);
    const rel = path.relative(root, abs);
    const known = /(?:^|\/)((?:node_modules|src|workers)\/.*)$/.exec(rel.startsWith('..') ? pos.source : rel);
    return known ? known[1].replace(/^.*node_modules\//, 'node_modules/') : rel;
  };
}

/**
 * Self time of a DevTools CPU profile (Profiler.stop's `profile`), by function and, when
 * `resolve` maps a call frame to its source file, by source file.
 * @param {{ nodes: { id: number, callFrame: { functionName: string, url: string, lineNumber: number, columnNumber: number } }[], samples: number[], timeDeltas: number[] }} profile
 * @param {{ top?: number, resolve?: (frame: any) => string }} [opts]
 */
export function summariseProfile(profile, { top = 12, resolve } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFunction = new Map();
  const byFile = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const node = byId.get(profile.samples[i]);
    if (!node) continue;
    const frame = node.callFrame;
    const name = frame.functionName || '(anonymous)';
    const source = resolve ? resolve(frame) : frame.url.split('/').pop() ?? '';
    const fn = source ? `${name} (${source})` : name;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + dt);
    const file = source || name; // (idle), (garbage collector), (program), native built-ins
    byFile.set(file, (byFile.get(file) ?? 0) + dt);
  }
  const table = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, us]) => `      ${(us / 1000).toFixed(0).padStart(6)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`)
      .join('\n');
  const parts = [`    ingest worker, ${(total / 1000).toFixed(0)} ms sampled; self time by function:`, table(byFunction)];
  if (resolve) parts.push('    self time by source file:', table(byFile));
  return parts.join('\n');
}
