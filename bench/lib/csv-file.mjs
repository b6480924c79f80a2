// The benchmark's input: the demo shop's order-lines CSV, written to a temp file (never the repo)
// and reused by later runs when a sidecar records the same row count, seed and size.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { register } from 'tsx/esm/api';

export const BENCH_TMP = path.join(os.tmpdir(), 'shoplens-bench');

/** Bumped when the generator's output for a given seed may have changed shape. */
const FORMAT = 1;

/**
 * Returns { path, lines, bytes, seconds, reused } for a CSV of `rows` data lines (plus header).
 * `lines` is what the generator actually wrote (it can fall short if the shop is too small).
 * @param {{ rows: number, seed: number }} opts
 */
export async function ensureDemoCsv({ rows, seed }) {
  mkdirSync(BENCH_TMP, { recursive: true });
  const file = path.join(BENCH_TMP, `orders-${rows}-seed${seed}.csv`);
  const metaFile = `${file}.json`;
  if (existsSync(file) && existsSync(metaFile)) {
    try {
      const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
      if (meta.format === FORMAT && meta.rows === rows && meta.seed === seed && statSync(file).size === meta.bytes) {
        return { path: file, lines: meta.lines, bytes: meta.bytes, seconds: 0, reused: true };
      }
    } catch {
      // unreadable sidecar: write the file again
    }
  }
  // tsx lets this plain .mjs script import the TypeScript generator directly.
  const unregister = register();
  const synth = await import('../../src/lib/synth/index.ts');
  const t0 = performance.now();
  const shop = synth.createDemoShop({ seed, customers: synth.customersForLines(rows) });
  const fd = openSync(file, 'w');
  let bytes = 0;
  let lines;
  try {
    // Synchronous writes keep at most one ~1 MB piece in memory.
    lines = synth.writeDemoCsv(shop, (piece) => {
      bytes += writeSync(fd, piece);
    }, rows);
  } finally {
    closeSync(fd);
    await unregister();
  }
  writeFileSync(metaFile, JSON.stringify({ format: FORMAT, rows, seed, lines, bytes }));
  return { path: file, lines, bytes, seconds: (performance.now() - t0) / 1000, reused: false };
}

/** Deletes the CSV and its sidecar. */
export function removeCsv(file) {
  rmSync(file, { force: true });
  rmSync(`${file}.json`, { force: true });
}
