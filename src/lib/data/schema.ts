// The shared vocabulary of ShopLens: what a row of an import means, how events are stored as
// columns, and what a bad row looks like. Every layer (parser, store, workers, views, CLI) speaks it.
import type { PackedKeys } from './dictionary';

/** What a source column can mean. */
export const ROLES = [
  'customer',
  'order',
  'item',
  'itemName',
  'category',
  'timestamp',
  'quantity',
  'unitPrice',
  'amount',
  'rating',
  'eventType',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  customer: 'Customer id',
  order: 'Order id',
  item: 'Item id',
  itemName: 'Item name',
  category: 'Category',
  timestamp: 'Timestamp',
  quantity: 'Quantity',
  unitPrice: 'Unit price',
  amount: 'Line amount',
  rating: 'Rating',
  eventType: 'Event type',
};

/** Role → 0-based source column index. A role absent from the mapping is not in the file. */
export type Mapping = Partial<Record<Role, number>>;

export type Delimiter = ',' | '\t' | ';' | '|' | 'whitespace';

/** Recognised file layouts. `baskets` has one order per line with a variable number of items. */
export const LAYOUTS = [
  'event-log',
  'online-retail',
  'movielens-udata',
  'movielens-ratings',
  'cdnow',
  'baskets',
  'custom',
] as const;
export type LayoutId = (typeof LAYOUTS)[number];

export const LAYOUT_LABELS: Record<LayoutId, string> = {
  'event-log': 'Generic event log',
  'online-retail': 'Order lines (Online Retail style)',
  'movielens-udata': 'MovieLens u.data',
  'movielens-ratings': 'MovieLens ratings.csv',
  cdnow: 'CDNOW transactions',
  baskets: 'One basket per line',
  custom: 'Custom mapping',
};

/**
 * How timestamps are written. `mdy`/`dmy` are slash- (or dot-/dash-) separated day and month with
 * a 2- or 4-digit year and an optional H:MM[:SS] time.
 */
export const DATE_FORMATS = ['iso', 'unix-s', 'unix-ms', 'yyyymmdd', 'mdy', 'dmy'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** Everything needed to turn the file's rows into events, as detected and then edited by the user. */
export interface ImportSettings {
  delimiter: Delimiter;
  hasHeader: boolean;
  /** Column names: the header, or "column 1", "column 2"… when there is none. */
  columns: string[];
  layout: LayoutId;
  mapping: Mapping;
  /** null when no timestamp column is mapped. */
  dateFormat: DateFormat | null;
}

export interface Detection extends ImportSettings {
  /** Non-null when the day/month order cannot be told from the sample: the user must choose. */
  ambiguousDate: { column: number; candidates: DateFormat[]; examples: string[] } | null;
  /** First rows (after the header), split into fields, for the mapping preview. */
  sample: string[][];
  /** Human-readable notes on what was recognised (e.g. "UTF-8 BOM removed"). */
  notes: string[];
}

/** Event kinds, stored as their index in a Uint8Array column. */
export const EVENT_TYPES = ['purchase', 'return', 'view', 'cart', 'rating'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const BAD_ROW_REASONS = [
  'field-count',
  'missing-customer',
  'missing-item',
  'missing-date',
  'bad-date',
  'bad-number',
  'duplicate',
] as const;
export type BadRowReason = (typeof BAD_ROW_REASONS)[number];

export const BAD_ROW_LABELS: Record<BadRowReason, string> = {
  'field-count': 'Wrong number of fields',
  'missing-customer': 'Missing customer id',
  'missing-item': 'Missing item id',
  'missing-date': 'Missing date',
  'bad-date': 'Unparseable date',
  'bad-number': 'Non-numeric value',
  duplicate: 'Exact duplicate row',
};

export interface BadRow {
  /** 1-based physical line in the file (the header is line 1 when present). */
  line: number;
  /** 1-based column, or null when the problem is the whole row. */
  column: number | null;
  columnName: string | null;
  reason: BadRowReason;
  /** The offending cell (or raw row, truncated), as text. Never rendered as HTML. */
  value: string;
  /** One sentence for people, e.g. `non-numeric quantity "abc" in column 4 (Quantity)`. */
  message: string;
}

/** The columns one event has. Missing numbers are NaN; missing order ids fall back to a per-day key. */
export interface EventColumns {
  customer: Uint32Array;
  order: Uint32Array;
  item: Uint32Array;
  /** Milliseconds since the Unix epoch (UTC); NaN when the file has no time. */
  time: Float64Array;
  quantity: Float32Array;
  /** Net line amount (quantity × unit price, or the given amount); negative for returns; NaN if unknown. */
  amount: Float64Array;
  rating: Float32Array;
  /** Index into EVENT_TYPES. */
  eventType: Uint8Array;
}

export const EVENT_COLUMN_NAMES = [
  'customer',
  'order',
  'item',
  'time',
  'quantity',
  'amount',
  'rating',
  'eventType',
] as const satisfies readonly (keyof EventColumns)[];

export type EventColumnName = (typeof EVENT_COLUMN_NAMES)[number];

/** A block of consecutive events; typed arrays are exactly `rows` long. */
export interface EventChunk extends EventColumns {
  index: number;
  rows: number;
}

/** Rows per stored chunk: large enough that IndexedDB stores few records, small enough to stream. */
export const CHUNK_ROWS = 65_536;

/** Raw ids ↔ dense indices used in the event columns. */
export interface Dictionaries {
  customers: string[];
  orders: string[];
  items: string[];
  /** Display name per item index ('' when the file has none). */
  itemNames: string[];
  /** Category index per item index, -1 when unknown. */
  itemCategory: Int32Array;
  categories: string[];
}

/** Dictionaries as a dataset stores them: each list of strings packed (see PackedKeys). */
export type PackedDictionaries = { [K in Exclude<keyof Dictionaries, 'itemCategory'>]: PackedKeys } & { itemCategory: Int32Array };

/** What an import found, beyond the events themselves. */
export interface ImportReport {
  fileName: string;
  settings: ImportSettings;
  /** Data lines read (excluding the header and blank lines). */
  linesRead: number;
  /** Good events stored. A basket line yields one event per item. */
  rows: number;
  badRowCount: number;
  badByReason: Partial<Record<BadRowReason, number>>;
  /** The first 100 bad rows, in file order. */
  firstBadRows: BadRow[];
}

/** Summary numbers of a stored dataset, cheap to list. */
export interface DatasetStats {
  rows: number;
  customers: number;
  items: number;
  orders: number;
  categories: number;
  /** ms since epoch; null when the data has no time. */
  firstTime: number | null;
  lastTime: number | null;
}
