// Checks an EventChunk at the store boundary and turns it into exactly what gets structured-cloned
// (columns packed, column-pack.ts), and a stored record back into an EventChunk.
import { EVENT_COLUMN_NAMES, type EventChunk, type EventColumnName, type EventColumns, type PackedDictionaries } from '../data/schema';
import type { ChunkRecord, PackedChunkRecord } from './db-schema';
import { packColumn, packedBytes, unpackColumn, type PackedColumn } from './column-pack';

const COLUMN_TYPES: { [K in keyof EventColumns]: new (n: number) => EventColumns[K] } = {
  customer: Uint32Array,
  order: Uint32Array,
  item: Uint32Array,
  time: Float64Array,
  quantity: Float32Array,
  amount: Float64Array,
  rating: Float32Array,
  eventType: Uint8Array,
};

/** Throws an error naming the bad field when the chunk does not match schema.ts. */
export function validateChunk(chunk: EventChunk): void {
  if (!Number.isInteger(chunk.index) || chunk.index < 0) throw new Error(`chunk index must be a non-negative integer, got ${chunk.index}`);
  if (!Number.isInteger(chunk.rows) || chunk.rows < 0) throw new Error(`chunk rows must be a non-negative integer, got ${chunk.rows}`);
  for (const name of EVENT_COLUMN_NAMES) {
    const col = chunk[name];
    const Type = COLUMN_TYPES[name];
    if (!(col instanceof Type)) throw new Error(`chunk ${chunk.index}: column ${name} must be a ${Type.name}`);
    if (col.length !== chunk.rows) {
      throw new Error(`chunk ${chunk.index}: column ${name} has ${col.length} values, expected rows = ${chunk.rows}`);
    }
  }
}

/** A view into a larger buffer would clone the whole buffer; copy it down to its own bytes. */
function compact<T extends EventColumns[keyof EventColumns]>(col: T): T {
  return (col.byteOffset === 0 && col.byteLength === col.buffer.byteLength ? col : col.slice()) as T;
}

export function toChunkRecord(datasetId: string, chunk: EventChunk): PackedChunkRecord {
  const columns = {} as Record<EventColumnName, PackedColumn>;
  for (const name of EVENT_COLUMN_NAMES) {
    const packed = packColumn(chunk[name]);
    columns[name] = packed.kind === 'raw' ? { kind: 'raw', data: compact(chunk[name]) } : packed;
  }
  return { datasetId, index: chunk.index, rows: chunk.rows, format: 2, columns };
}

export function fromChunkRecord(rec: ChunkRecord): EventChunk {
  if (rec.format !== 2) {
    const { index, rows, customer, order, item, time, quantity, amount, rating, eventType } = rec;
    return { index, rows, customer, order, item, time, quantity, amount, rating, eventType };
  }
  const c = rec.columns;
  return {
    index: rec.index,
    rows: rec.rows,
    customer: unpackColumn(c.customer, Uint32Array),
    order: unpackColumn(c.order, Uint32Array),
    item: unpackColumn(c.item, Uint32Array),
    time: unpackColumn(c.time, Float64Array),
    quantity: unpackColumn(c.quantity, Float32Array),
    amount: unpackColumn(c.amount, Float64Array),
    rating: unpackColumn(c.rating, Float32Array),
    eventType: unpackColumn(c.eventType, Uint8Array),
  };
}

/** Bytes of a record's stored columns (37 an event unpacked; typically about half packed). */
export function chunkBytes(rec: ChunkRecord): number {
  let n = 0;
  for (const name of EVENT_COLUMN_NAMES) n += rec.format === 2 ? packedBytes(rec.columns[name]) : rec[name].byteLength;
  return n;
}

/** Rough size of stored dictionaries: two bytes a character (at most), plus their typed arrays. */
export function dictionaryBytes(d: PackedDictionaries): number {
  let n = d.itemCategory.byteLength;
  for (const keys of [d.customers, d.orders, d.items, d.itemNames, d.categories]) n += 2 * keys.text.length + keys.lengths.byteLength;
  return n;
}

/** Rough size of anything JSON-like (reports, bad rows), for the "could not store N bytes" message. */
export function jsonBytes(value: unknown): number {
  try {
    return 2 * (JSON.stringify(value)?.length ?? 0);
  } catch {
    return 0;
  }
}
