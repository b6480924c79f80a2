// Shared test helpers for the features tests: hand-made chunks and the demo shop imported
// through the real importer.
import { type Dictionaries, type EventChunk, EVENT_TYPES, type EventType } from '../../src/lib/data/schema';
import { EventImporter, type ImportResult } from '../../src/lib/data/importer';
import { demoImportSettings } from '../../src/lib/ingest/demo';
import { createDemoShop, type DemoShop, type DemoShopOptions } from '../../src/lib/synth';

export interface Ev {
  c: number;
  o: number;
  i: number;
  t: string | null;
  a: number;
  type: EventType;
}

export function chunk(index: number, events: Ev[]): EventChunk {
  const n = events.length;
  const ch: EventChunk = {
    index,
    rows: n,
    customer: new Uint32Array(n),
    order: new Uint32Array(n),
    item: new Uint32Array(n),
    time: new Float64Array(n),
    quantity: new Float32Array(n).fill(1),
    amount: new Float64Array(n),
    rating: new Float32Array(n).fill(NaN),
    eventType: new Uint8Array(n),
  };
  events.forEach((e, r) => {
    ch.customer[r] = e.c;
    ch.order[r] = e.o;
    ch.item[r] = e.i;
    ch.time[r] = e.t === null ? NaN : Date.parse(e.t);
    ch.amount[r] = e.a;
    ch.eventType[r] = EVENT_TYPES.indexOf(e.type);
  });
  return ch;
}

export function dicts(customers: number, orders: number, itemCategory: number[], categories: string[]): Dictionaries {
  return {
    customers: Array.from({ length: customers }, (_, i) => `c${i}`),
    orders: Array.from({ length: orders }, (_, i) => `o${i}`),
    items: itemCategory.map((_, i) => `i${i}`),
    itemNames: itemCategory.map(() => ''),
    itemCategory: Int32Array.from(itemCategory),
    categories,
  };
}

export interface ImportedShop {
  shop: DemoShop;
  result: ImportResult;
  chunks: EventChunk[];
}

/** The demo shop's CSV lines through the same importer a user's file goes through. */
export function importDemoShop(options: DemoShopOptions = {}): ImportedShop {
  const shop = createDemoShop(options);
  const imp = new EventImporter(demoImportSettings(shop.columns), 'demo.csv');
  const chunks: EventChunk[] = [];
  imp.addRow([...shop.columns], 1);
  let line = 2;
  for (const fields of shop.lines()) {
    imp.addRow(fields, line++);
    if (line % 65_536 === 0) chunks.push(...imp.takeChunks());
  }
  const result = imp.finish();
  chunks.push(...imp.takeChunks());
  return { shop, result, chunks };
}
