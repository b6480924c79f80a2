// Node-only file import (CLI, tests, benchmarks): detect on the first 256 KB, then stream the file
// through ByteRowSplitter → EventImporter in 1 MB pieces.
// Import it with its .ts extension ('./read-file.node.ts'): without it, tsx/Node read '.node' as a native addon.

import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Detection, EventChunk, ImportSettings } from './schema';
import { detectImport } from './detect';
import { ByteRowSplitter } from './byte-rows';
import { EventImporter, rowsInBytes, type ImportResult } from './importer';

export const HEAD_BYTES = 256 * 1024;
const READ_BYTES = 1 << 20;

/** The first `bytes` of a file as text (a multi-byte character cut at the end is dropped). */
export async function readHead(path: string, bytes = HEAD_BYTES): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    // ignoreBOM keeps a BOM in the text so detection can note it.
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(buf.subarray(0, bytesRead), { stream: true });
  } finally {
    await fh.close();
  }
}

/** Detects (unless settings are given) and imports a whole file. */
export async function importFileNode(
  path: string,
  settings?: ImportSettings,
): Promise<{ detection: Detection; result: ImportResult; chunks: EventChunk[] }> {
  const head = await readHead(path);
  const detection = detectImport(head, basename(path));
  // Sizes the duplicate and order tables once, as the studio's import does.
  const importer = new EventImporter(settings ?? detection, basename(path), { expectedRows: rowsInBytes((await stat(path)).size) });
  const chunks: EventChunk[] = [];
  const splitter = new ByteRowSplitter(
    (settings ?? detection).delimiter,
    'utf-8',
    (bytes, starts, ends, count, line) => importer.addByteSpans(bytes, starts, ends, count, line),
  );
  for await (const piece of createReadStream(path, { highWaterMark: READ_BYTES })) {
    splitter.push(piece as Buffer);
    for (const c of importer.takeChunks()) chunks.push(c);
  }
  splitter.end();
  const result = importer.finish();
  for (const c of importer.takeChunks()) chunks.push(c);
  return { detection, result, chunks };
}
