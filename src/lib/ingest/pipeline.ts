// One import, from a file's bytes (or ready-split rows) to a complete dataset in the store.
// Runs in the ingest worker in the browser and under Node in tests and benchmarks.

import { BAD_ROW_LABELS, BAD_ROW_REASONS, type ImportReport, type ImportSettings } from '../data/schema';
import { ByteRowSplitter } from '../data/byte-rows';
import { EventImporter, rowsInBytes } from '../data/importer';
import { unpackKeys } from '../data/dictionary';
import { OverviewAccumulator } from '../features/overview';
import {
  beginDataset,
  completeDataset,
  deleteDataset,
  putChunk,
  saveResult,
  type DatasetMeta,
  type ShopLensDB,
} from '../store';
import { ProgressMeter, type IngestProgress } from './progress';
import { yieldToEventLoop } from '../yield';

export { type IngestProgress } from './progress';

/** Bytes read from a file (in `encoding`), with the number of bytes of the file they cover (for progress). */
export interface BytePiece {
  data: Uint8Array;
  bytes: number;
}

export type IngestSource =
  /** A piece's bytes must stay valid until the piece after the next one is asked for. */
  | { kind: 'bytes'; pieces: AsyncIterable<BytePiece>; bytesTotal: number | null; encoding: string }
  /** Already-split rows (the demo shop); `rowsTotal` drives the progress bar. */
  | { kind: 'rows'; rows: Iterable<string[]>; rowsTotal: number | null };

export interface IngestOptions {
  db: ShopLensDB;
  source: IngestSource;
  settings: ImportSettings;
  fileName: string;
  name: string;
  origin: 'file' | 'demo';
  signal?: AbortSignal;
  onProgress?: (progress: IngestProgress) => void;
  /** Called with the new dataset id before any record is written (e.g. to take a Web Lock). */
  onBegin?: (datasetId: string) => void | Promise<void>;
}

export class ImportCancelledError extends Error {
  constructor() {
    super('Import cancelled; nothing was kept.');
    this.name = 'ImportCancelledError';
  }
}

/** Rows fed between yields to the event loop, so cancel messages and progress get through. */
const ROWS_PER_SLICE = 20_000;

/** Kind of the result record holding the dataset's Overview (computed during the import). */
export const OVERVIEW_RESULT = 'overview';

/**
 * Imports a source into a new dataset. The dataset becomes visible only when everything was
 * written; on cancel or any failure its records are deleted and the error is rethrown.
 */
export async function ingest(options: IngestOptions): Promise<DatasetMeta> {
  const { db, source, settings, signal } = options;
  // The file's first piece is asked for now, so reading it overlaps the dataset's first writes.
  const pieces = source.kind === 'bytes' ? source.pieces[Symbol.asyncIterator]() : null;
  let next = pieces === null ? null : pieces.next();
  // Ends the source (a file source holds a stream reader) once the import stops, whatever the reason.
  const stopReading = async (): Promise<void> => {
    await next?.catch(() => undefined);
    await pieces?.return?.();
  };
  let datasetId: string;
  try {
    datasetId = await beginDataset(db, {
      name: options.name,
      fileName: options.fileName,
      source: options.origin,
    });
  } catch (error) {
    await stopReading();
    throw error;
  }
  // One chunk write in flight while parsing goes on: IndexedDB commits off this thread.
  let writing: Promise<void> = Promise.resolve();
  let writeError: unknown = null;
  const settled = async (write: Promise<void>): Promise<void> => {
    await write;
    if (writeError) throw writeError;
  };
  try {
    await options.onBegin?.(datasetId);
    const importer = new EventImporter(settings, options.fileName, {
      expectedRows: expectedRows(source),
      encoding: source.kind === 'bytes' ? source.encoding : undefined,
    });
    const meter = new ProgressMeter(
      source.kind === 'bytes' ? { bytesTotal: source.bytesTotal } : { rowsTotal: source.rowsTotal },
    );
    let chunksStored = 0;
    const overview = new OverviewAccumulator({ customers: 0, orders: 0, items: 0 }, { growable: true });
    const flush = async (): Promise<void> => {
      for (const chunk of importer.takeChunks()) {
        overview.add(chunk);
        await settled(writing);
        // Failures are kept, not left as a rejected promise nobody awaits yet.
        writing = putChunk(db, datasetId, chunk).then(
          () => {
            chunksStored++;
            importer.recycleChunk(chunk);
          },
          (error: unknown) => {
            writeError = error;
          },
        );
      }
    };
    const report = (bytesDone: number, phase: IngestProgress['phase']): void => {
      options.onProgress?.(
        meter.update({
          phase,
          rowsDone: importer.rowsAccepted,
          linesRead: importer.linesRead,
          badRows: importer.badRowCount,
          bytesDone,
          chunksStored,
        }),
      );
    };
    const checkCancel = (): void => {
      if (signal?.aborted) throw new ImportCancelledError();
    };

    if (source.kind === 'bytes') {
      // Records go to addByteSpans as field spans of the bytes: only the cells kept are decoded.
      const splitter = new ByteRowSplitter(
        settings.delimiter,
        source.encoding,
        (bytes, starts, ends, count, line) => importer.addByteSpans(bytes, starts, ends, count, line),
      );
      let bytesDone = 0;
      try {
        while (pieces !== null && next !== null) {
          const { done, value: piece } = await next;
          if (done) break;
          // Start reading the next piece before parsing this one, so file I/O overlaps the parse.
          next = pieces.next();
          checkCancel();
          splitter.push(piece.data);
          bytesDone += piece.bytes;
          await flush();
          report(bytesDone, 'reading');
          await yieldToEventLoop();
        }
      } finally {
        await stopReading();
      }
      splitter.end();
    } else {
      let line = 1;
      if (settings.hasHeader) importer.addRow(settings.columns, line++);
      let inSlice = 0;
      for (const fields of source.rows) {
        importer.addRow(fields, line++);
        if (++inSlice === ROWS_PER_SLICE) {
          inSlice = 0;
          checkCancel();
          await flush();
          report(0, 'reading');
          await yieldToEventLoop();
        }
      }
    }
    checkCancel();
    const result = importer.finish();
    if (result.report.rows === 0) throw new Error(emptyImportMessage(options.fileName, result.report));
    await flush();
    await settled(writing);
    report(meter.bytesTotal ?? 0, 'saving');

    // Only the items' ids and names: result.dictionaries would make a string for every key.
    const { items, itemNames } = result.packedDictionaries;
    await saveResult(db, datasetId, OVERVIEW_RESULT, overview.result({ items: unpackKeys(items), itemNames: unpackKeys(itemNames) }));
    checkCancel();

    const { report: importReport, stats, badRows } = result;
    const meta = await completeDataset(db, datasetId, { dictionaries: result.packedDictionaries, report: importReport, stats, badRows });
    report(meter.bytesTotal ?? 0, 'done');
    return meta;
  } catch (error) {
    await stopReading();
    // A write still in flight must land (or fail) before the delete, or it would orphan a chunk.
    await writing;
    await deleteDataset(db, datasetId).catch(() => undefined);
    throw error;
  }
}

/** Why nothing could be imported, in words: an empty dataset is never stored. */
export function emptyImportMessage(fileName: string, report: ImportReport): string {
  if (report.linesRead === 0) return `${fileName} has no data rows.`;
  const reasons = BAD_ROW_REASONS.filter((r) => report.badByReason[r])
    .map((r) => `${BAD_ROW_LABELS[r].toLowerCase()}: ${report.badByReason[r]}`)
    .join('; ');
  const first = report.firstBadRows[0];
  return (
    `None of the ${report.linesRead} data rows of ${fileName} could be imported (${reasons}).` +
    (first ? ` First problem, line ${first.line}: ${first.message}.` : '') +
    ' Check the column roles and the date format.'
  );
}

/** Rows to size the importer's tables for; a rough guess is fine. */
function expectedRows(source: IngestSource): number {
  if (source.kind === 'rows') return source.rowsTotal ?? 0;
  return source.bytesTotal ? rowsInBytes(source.bytesTotal) : 0;
}
