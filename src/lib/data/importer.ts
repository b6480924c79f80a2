// Rows (split fields, or field spans of the file's bytes) → columnar events + dictionaries + a
// bad-row report. The hot path is one addByteSpans call per quote-free line (addRow for the rest):
// no decoding, no regex, no Date.parse, no per-row objects; ids are looked up by their bytes,
// plain numbers are read from the bytes, dates through DateParser.

import {
  EVENT_TYPES,
  type BadRow,
  type BadRowReason,
  type DatasetStats,
  type Dictionaries,
  type EventChunk,
  type ImportReport,
  type ImportSettings,
  type PackedDictionaries,
  type Role,
} from './schema';
import { Dictionary, detach, packKeys, unpackDictionaries } from './dictionary';
import { ChunkBuilder } from './chunks';
import { BadRowLog, REPORT_BAD_ROWS, clipText } from './bad-rows';
import { DateParser, DATE_FORMAT_LABELS, PLAUSIBLE_YEARS, isPlausibleTime } from './dates';
import { EMPTY, INVALID, parseNumber, parsePlainDecimal } from './numbers';
import { EVENT_INDEX, EventTypeReader } from './event-types';
import { DuplicateRows, hashFields, hashLine } from './hash';
import { CellDecoder } from './byte-rows';
import { flagsDuplicates, isCancellationInvoice } from './presets';

export interface ImportResult {
  /** The dictionaries as strings: made on first use (a large file's keys take a while). */
  readonly dictionaries: Dictionaries;
  /** The dictionaries as a dataset stores them, made without a string per key. */
  packedDictionaries: PackedDictionaries;
  report: ImportReport;
  stats: DatasetStats;
  badRows: BadRow[];
  /** Event-type cells that name no known event (stored as 'view'), with their counts. */
  unknownEventTypes: Record<string, number>;
  /** True when no row was accepted (a header-only file, or every row bad): nothing to analyse. */
  empty: boolean;
}

/** Data lines in a file of `bytes` bytes, guessed at ~60 bytes a line (it only sizes tables). */
export function rowsInBytes(bytes: number): number {
  return bytes / 60;
}

/** Item id used when the file has no item column (e.g. CDNOW): every event buys "something". */
export const NO_ITEM = '(no item)';

const PURCHASE = EVENT_INDEX.purchase;
const RETURN = EVENT_INDEX.return;
const RATING = EVENT_INDEX.rating;
const VIEW = EVENT_INDEX.view;
const MS_PER_DAY = 86_400_000;

const NUMBER_WORDS: Partial<Record<Role, string>> = {
  quantity: 'quantity',
  unitPrice: 'unit price',
  amount: 'amount',
  rating: 'rating',
};

export class EventImporter {
  private readonly customers = new Dictionary();
  private readonly orders: Dictionary;
  private readonly items = new Dictionary();
  private readonly categories = new Dictionary();
  private readonly itemNames: string[] = [];
  private readonly itemCategory: number[] = [];
  private readonly chunks = new ChunkBuilder();
  private readonly bad = new BadRowLog();
  private readonly seen: DuplicateRows | null;
  private readonly dates: DateParser | null;
  private readonly events = new EventTypeReader();
  private readonly unknownEvents = new Map<string, number>();

  private readonly width: number;
  /** Fewest fields a row may have: the header's trailing empty cells, when unmapped, may be missing. */
  private minWidth: number;
  private readonly baskets: boolean;
  private readonly decimalComma: boolean;
  private readonly cCustomer: number;
  private readonly cOrder: number;
  private readonly cItem: number;
  private readonly cName: number;
  private readonly cCategory: number;
  private readonly cTime: number;
  private readonly cQuantity: number;
  private readonly cPrice: number;
  private readonly cAmount: number;
  private readonly cRating: number;
  private readonly cEvent: number;
  private readonly defaultEvent: number;
  private readonly perLineOrders: boolean;
  /** addByteSpans may take its fast path (not a basket layout). */
  private readonly spans: boolean;
  private readonly cells: CellDecoder;
  /** The cells addByteSpans reads (trimmed id bounds and parsed values), one object reused per row. */
  private readonly cellsRead = { ca: 0, cb: 0, ia: 0, ib: 0, oa: 0, ob: 0, time: NaN, quantity: 1, price: NaN, amount: NaN, rating: NaN };
  private readonly cancellations: boolean;
  /** Whitespace-separated files: a line's fields joined by one space, to hash (null otherwise). */
  private spaced: Uint8Array | null;

  private headerPending: boolean;
  private lines = 0;
  private accepted = 0;
  private minTime = Infinity;
  private maxTime = -Infinity;
  private lastDay = NaN;
  private lastDayText = '';

  /**
   * `expectedRows` (a guess is fine) sizes the duplicate table once instead of regrowing it;
   * `encoding` is the file's, for the cells addByteSpans decodes (UTF-8 when not given).
   */
  constructor(
    private readonly settings: ImportSettings,
    private readonly fileName: string,
    options: { expectedRows?: number; encoding?: string } = {},
  ) {
    const m = settings.mapping;
    const col = (r: Role): number => m[r] ?? -1;
    this.baskets = settings.layout === 'baskets';
    this.width = settings.columns.length;
    this.minWidth = this.width;
    for (const [role, c] of Object.entries(m)) {
      if (c !== undefined && (c < 0 || c >= this.width) && !this.baskets)
        throw new Error(`Role ${role} is mapped to column ${c + 1}, but the file has ${this.width} columns`);
    }
    this.cCustomer = col('customer');
    this.cOrder = col('order');
    this.cItem = col('item');
    this.cName = col('itemName');
    this.cCategory = col('category');
    this.cTime = col('timestamp');
    this.cQuantity = col('quantity');
    this.cPrice = col('unitPrice');
    this.cAmount = col('amount');
    this.cRating = col('rating');
    this.cEvent = col('eventType');
    if (this.cTime >= 0 && settings.dateFormat === null)
      throw new Error('A timestamp column is mapped but no date format is chosen (is the day/month order ambiguous?)');
    this.dates = this.cTime >= 0 && settings.dateFormat !== null ? new DateParser(settings.dateFormat) : null;
    this.perLineOrders = this.cOrder < 0 && (settings.layout === 'movielens-udata' || settings.layout === 'movielens-ratings');
    const expectedRows = Math.min(1 << 24, options.expectedRows ?? 0);
    // Order-lines exports have a few lines per order: a third of the rows is a fair guess. Per-line
    // orders (MovieLens) are appended, one a line, never looked up (no table), and their rows have
    // no order to compare in.
    this.orders = this.perLineOrders ? new Dictionary(expectedRows, 0) : new Dictionary(expectedRows / 3);
    this.seen = flagsDuplicates(settings.layout) ? new DuplicateRows(expectedRows, !this.perLineOrders) : null;
    this.decimalComma = settings.delimiter !== ',';
    this.defaultEvent = this.cRating >= 0 ? RATING : PURCHASE;
    this.headerPending = settings.hasHeader;
    this.spans = !this.baskets;
    this.cells = new CellDecoder(options.encoding ?? 'utf-8');
    this.cancellations = isCancellationInvoice(settings.layout, 'C');
    this.spaced = settings.delimiter === 'whitespace' ? new Uint8Array(256) : null;
  }

  get rowsAccepted(): number {
    return this.accepted;
  }
  get linesRead(): number {
    return this.lines;
  }
  get badRowCount(): number {
    return this.bad.count;
  }

  addRow(fields: string[], line: number): void {
    if (this.headerPending) {
      this.headerPending = false;
      this.minWidth = this.widthWithoutTrailingEmpty(fields);
      return;
    }
    this.lines++;
    if (this.baskets) {
      this.addBasket(fields, line);
      return;
    }
    if (fields.length !== this.width && !this.onlyEmptyExtra(fields) && !(fields.length >= this.minWidth && fields.length < this.width)) {
      this.bad.add(line, null, null, 'field-count', fields.join(this.delimiterText()), `expected ${this.width} fields, found ${fields.length}`);
      return;
    }

    const customerRaw = this.cCustomer >= 0 ? fields[this.cCustomer].trim() : '';
    if (this.cCustomer >= 0 && customerRaw.length === 0) return this.reject(line, 'customer', 'missing-customer', '', 'missing customer id');
    const itemRaw = this.cItem >= 0 ? fields[this.cItem].trim() : NO_ITEM;
    if (itemRaw.length === 0) return this.reject(line, 'item', 'missing-item', '', 'missing item id');
    let time = NaN;
    if (this.dates !== null) {
      const cell = fields[this.cTime];
      time = this.dates.parse(cell);
      if (time !== time) {
        if (cell.trim().length === 0) return this.reject(line, 'timestamp', 'missing-date', '', 'missing date');
        return this.reject(line, 'timestamp', 'bad-date', cell, `unparseable date "${clipText(cell)}"`, `, expected ${DATE_FORMAT_LABELS[this.dates.format]}`);
      }
      // Placeholders like 0001-01-01 or 9999-12-31, and out-of-range Unix numbers.
      if (!isPlausibleTime(time))
        return this.reject(line, 'timestamp', 'bad-date', cell, `implausible date "${clipText(cell)}"`, `: the year is outside ${PLAUSIBLE_YEARS}`);
    }
    let quantity = 1;
    if (this.cQuantity >= 0) {
      const q = parseNumber(fields[this.cQuantity], this.decimalComma);
      if (q === INVALID) return this.badNumber(line, 'quantity', fields);
      if (q !== EMPTY) quantity = q;
    }
    let price = NaN;
    if (this.cPrice >= 0) {
      const p = parseNumber(fields[this.cPrice], this.decimalComma);
      if (p === INVALID) return this.badNumber(line, 'unitPrice', fields);
      if (p !== EMPTY) price = p;
    }
    let amount = NaN;
    if (this.cAmount >= 0) {
      const a = parseNumber(fields[this.cAmount], this.decimalComma);
      if (a === INVALID) return this.badNumber(line, 'amount', fields);
      if (a !== EMPTY) amount = a;
    }
    let rating = NaN;
    if (this.cRating >= 0) {
      const r = parseNumber(fields[this.cRating], this.decimalComma);
      if (r === INVALID) return this.badNumber(line, 'rating', fields);
      if (r !== EMPTY) rating = r;
    }
    const orderRaw = this.cOrder >= 0 ? fields[this.cOrder].trim() : '';
    const customerKey = this.cCustomer >= 0 ? customerRaw : this.cOrder >= 0 ? orderRaw : '(unknown)';
    let order = this.orderBeforeCheck(orderRaw.length > 0 ? orderRaw : null, customerKey, time);
    if (this.seen !== null && !this.seen.add(hashFields(fields, this.delimiterText()), order)) {
      this.bad.add(line, null, null, 'duplicate', fields.join(this.delimiterText()), 'exact duplicate of an earlier row');
      return;
    }
    if (order < 0) order = this.orders.append('line ' + line);

    // Event type: the column when there is one, else rating/purchase; negative lines are returns.
    let type = this.defaultEvent;
    if (this.cEvent >= 0) {
      const cell = fields[this.cEvent].trim();
      if (cell.length > 0) {
        type = this.events.read(cell);
        if (type < 0) {
          this.unknownEvents.set(cell, (this.unknownEvents.get(cell) ?? 0) + 1);
          type = VIEW;
        }
      }
    }
    if (type === PURCHASE && (quantity < 0 || isCancellationInvoice(this.settings.layout, orderRaw))) type = RETURN;
    if (price === price) amount = quantity * price;
    if (type === RETURN) {
      if (quantity > 0) quantity = -quantity;
      if (amount > 0) amount = -amount;
    }

    const item = this.items.id(itemRaw);
    if (item === this.itemNames.length) {
      this.itemNames.push('');
      this.itemCategory.push(-1);
    }
    if (this.cName >= 0 && this.itemNames[item] === '') this.itemNames[item] = detach(fields[this.cName].trim());
    if (this.cCategory >= 0 && this.itemCategory[item] === -1) {
      const cat = fields[this.cCategory].trim();
      if (cat.length > 0) this.itemCategory[item] = this.categories.id(cat);
    }
    if (time < this.minTime) this.minTime = time;
    if (time > this.maxTime) this.maxTime = time;
    this.chunks.add(this.customers.id(customerKey), order, item, time, quantity, amount, rating, type);
    this.accepted++;
  }

  /**
   * The same as addRow with fields bytes[starts[f], ends[f]) — ByteRowSplitter's sink for lines
   * without quotes. A well-formed row is read straight from the bytes: only the cells that must
   * become strings (a new item's name, a changed date, an unusual number) are decoded, and ids are
   * looked up by their bytes. Anything else — a header, a wrong field count, a missing or
   * unparseable cell, an id with non-ASCII characters at its ends — goes to addRow before any
   * state changes, so bad rows are reported exactly as there.
   */
  addByteSpans(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, count: number, line: number): void {
    if (!this.spans || this.headerPending || count !== this.width || !this.readByteCells(bytes, starts, ends))
      return this.addRow(this.cut(bytes, starts, ends, count), line);
    const fs = starts;
    const fe = ends;
    const width = count;
    const { ca, cb, ia, ib, oa, ob, time, quantity: q, price, amount: a, rating } = this.cellsRead;
    let quantity = q;
    let amount = a;
    const cc = this.cCustomer;
    const ci = this.cItem;
    const co = this.cOrder;

    this.lines++;
    let order: number;
    if (ob > oa) order = this.idOf(this.orders, bytes, oa, ob);
    else {
      const customerKey = cc >= 0 ? this.cells.text(bytes, ca, cb) : co >= 0 ? this.cells.text(bytes, oa, ob) : '(unknown)';
      order = this.orderBeforeCheck(null, customerKey, time);
    }
    if (this.seen !== null) {
      // A line without quotes is its fields joined by the delimiter: hashed as it lies.
      let h = -1;
      if (this.spaced !== null) h = this.hashSpaced(bytes, fs, fe, width);
      else if (oneApart(fs, fe, width)) h = hashLine(bytes, fs[0], fe[width - 1]);
      if (h < 0) h = hashFields(this.cut(bytes, starts, ends, count), this.delimiterText());
      if (!this.seen.add(h, order)) {
        const cells = this.cut(bytes, starts, ends, count).join(this.delimiterText());
        this.bad.add(line, null, null, 'duplicate', cells, 'exact duplicate of an earlier row');
        return;
      }
    }
    if (order < 0) order = this.orders.append('line ' + line);

    let type = this.defaultEvent;
    if (this.cEvent >= 0) {
      const cell = this.cells.text(bytes, fs[this.cEvent], fe[this.cEvent]).trim();
      if (cell.length > 0) {
        type = this.events.read(cell);
        if (type < 0) {
          this.unknownEvents.set(cell, (this.unknownEvents.get(cell) ?? 0) + 1);
          type = VIEW;
        }
      }
    }
    if (type === PURCHASE && (quantity < 0 || (this.cancellations && ob > oa && (bytes[oa] | 32) === 99))) type = RETURN;
    if (price === price) amount = quantity * price;
    if (type === RETURN) {
      if (quantity > 0) quantity = -quantity;
      if (amount > 0) amount = -amount;
    }

    const item = ci >= 0 ? this.idOf(this.items, bytes, ia, ib) : this.items.id(NO_ITEM);
    if (item === this.itemNames.length) {
      this.itemNames.push('');
      this.itemCategory.push(-1);
    }
    if (this.cName >= 0 && this.itemNames[item] === '') this.itemNames[item] = this.cells.text(bytes, fs[this.cName], fe[this.cName]).trim();
    if (this.cCategory >= 0 && this.itemCategory[item] === -1) {
      const cat = this.cells.text(bytes, fs[this.cCategory], fe[this.cCategory]).trim();
      if (cat.length > 0) this.itemCategory[item] = this.categories.id(cat);
    }
    if (time < this.minTime) this.minTime = time;
    if (time > this.maxTime) this.maxTime = time;
    const customer = cc >= 0 ? this.idOf(this.customers, bytes, ca, cb) : co >= 0 ? this.idOf(this.customers, bytes, oa, ob) : this.customers.id('(unknown)');
    this.chunks.add(customer, order, item, time, quantity, amount, rating, type);
    this.accepted++;
  }

  /**
   * Reads and checks the cells of a byte row into cellsRead, changing nothing else; false when a
   * cell needs addRow (missing or unparseable, or a non-ASCII character at an id's edge, which
   * might be a space that trim removes).
   */
  private readByteCells(bytes: Uint8Array, fs: Int32Array, fe: Int32Array): boolean {
    const r = this.cellsRead;
    if (this.cCustomer >= 0) {
      r.ca = trimStart(bytes, fs[this.cCustomer], fe[this.cCustomer]);
      r.cb = trimEnd(bytes, r.ca, fe[this.cCustomer]);
      if (r.ca === r.cb || highEdge(bytes, r.ca, r.cb)) return false;
    }
    if (this.cItem >= 0) {
      r.ia = trimStart(bytes, fs[this.cItem], fe[this.cItem]);
      r.ib = trimEnd(bytes, r.ia, fe[this.cItem]);
      if (r.ia === r.ib || highEdge(bytes, r.ia, r.ib)) return false;
    }
    r.oa = r.ob = 0;
    if (this.cOrder >= 0) {
      r.oa = trimStart(bytes, fs[this.cOrder], fe[this.cOrder]);
      r.ob = trimEnd(bytes, r.oa, fe[this.cOrder]);
      if (highEdge(bytes, r.oa, r.ob)) return false;
    }
    r.time = NaN;
    if (this.dates !== null) {
      r.time = this.dates.parseBytes(bytes, fs[this.cTime], fe[this.cTime], this.cells);
      if (r.time !== r.time || !isPlausibleTime(r.time)) return false;
    }
    r.quantity = this.numberOr(bytes, fs, fe, this.cQuantity, 1);
    r.price = this.numberOr(bytes, fs, fe, this.cPrice, NaN);
    r.amount = this.numberOr(bytes, fs, fe, this.cAmount, NaN);
    r.rating = this.numberOr(bytes, fs, fe, this.cRating, NaN);
    return r.quantity !== INVALID && r.price !== INVALID && r.amount !== INVALID && r.rating !== INVALID;
  }

  /** The number in column c of a byte row; `fallback` for an unmapped column or an empty cell; INVALID when unreadable. */
  private numberOr(bytes: Uint8Array, fs: Int32Array, fe: Int32Array, c: number, fallback: number): number {
    if (c < 0) return fallback;
    const v = this.numberAt(bytes, fs, fe, c);
    return v === EMPTY ? fallback : v;
  }

  /**
   * The row's order, looked up before the duplicate check (equal rows have equal orders, and the
   * check compares a row only with its order's rows; a duplicate's order is known already, so the
   * lookup adds nothing for it): the order cell, else the customer's day. -1 for a MovieLens
   * rating, its own order, appended after the check. Its key is kept short ("line 123", a flat
   * string under 13 chars up to line 9,999,999): there is one per rating.
   */
  private orderBeforeCheck(orderCell: string | null, customerKey: string, time: number): number {
    if (orderCell !== null) return this.orders.id(orderCell);
    if (this.perLineOrders) return -1;
    return this.orders.id(time === time ? `${customerKey} ${this.dayText(time)}` : customerKey);
  }

  /** Id of the cell bytes[a, b) in dict: an ASCII cell by its bytes, anything else decoded. */
  private idOf(dict: Dictionary, bytes: Uint8Array, a: number, b: number): number {
    const id = dict.idAscii(bytes, a, b);
    return id >= 0 ? id : dict.id(this.cells.text(bytes, a, b));
  }

  /** Number in field f of addByteSpans's bytes: plain decimals without a string, the rest as parseNumber. */
  private numberAt(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, f: number): number {
    const a = starts[f];
    const b = ends[f];
    const v = parsePlainDecimal(bytes, a, b);
    return v === v ? v : parseNumber(this.cells.text(bytes, a, b), this.decimalComma);
  }

  /** hashLine of the fields bytes[starts[f], ends[f]) joined by one space (runs of blanks separate them in the line). */
  private hashSpaced(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, count: number): number {
    let length = count - 1;
    for (let f = 0; f < count; f++) length += ends[f] - starts[f];
    if ((this.spaced as Uint8Array).length < length) this.spaced = new Uint8Array(2 * length);
    const spaced = this.spaced as Uint8Array;
    let at = 0;
    for (let f = 0; f < count; f++) {
      if (f > 0) spaced[at++] = 32;
      spaced.set(bytes.subarray(starts[f], ends[f]), at);
      at += ends[f] - starts[f];
    }
    return hashLine(spaced, 0, at);
  }

  /** The fields of a byte line as strings (what splitting its decoded text would have made). */
  private cut(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, count: number): string[] {
    const fields = new Array<string>(count);
    for (let f = 0; f < count; f++) fields[f] = this.cells.text(bytes, starts[f], ends[f]);
    return fields;
  }

  /** Complete chunks of CHUNK_ROWS events, removed from the importer. */
  takeChunks(): EventChunk[] {
    return this.chunks.take();
  }

  /** Gives back a chunk from takeChunks() that is stored and no longer referenced, for reuse. */
  recycleChunk(chunk: EventChunk): void {
    this.chunks.recycle(chunk);
  }

  /** Flushes the last partial chunk (take it with takeChunks()) and summarises the import. */
  finish(): ImportResult {
    this.chunks.flush();
    const badByReason = { ...this.bad.byReason };
    const report: ImportReport = {
      fileName: this.fileName,
      settings: this.settings,
      linesRead: this.lines,
      rows: this.accepted,
      badRowCount: this.bad.count,
      badByReason,
      firstBadRows: this.bad.kept.slice(0, REPORT_BAD_ROWS),
    };
    const stats: DatasetStats = {
      rows: this.accepted,
      customers: this.customers.size,
      items: this.items.size,
      orders: this.orders.size,
      categories: this.categories.size,
      firstTime: this.minTime === Infinity ? null : this.minTime,
      lastTime: this.maxTime === -Infinity ? null : this.maxTime,
    };
    const packedDictionaries: PackedDictionaries = {
      customers: this.customers.packed(),
      orders: this.orders.packed(),
      items: this.items.packed(),
      itemNames: packKeys(this.itemNames),
      itemCategory: Int32Array.from(this.itemCategory),
      categories: this.categories.packed(),
    };
    let dictionaries: Dictionaries | null = null;
    return {
      get dictionaries(): Dictionaries {
        return (dictionaries ??= unpackDictionaries(packedDictionaries));
      },
      packedDictionaries,
      report,
      stats,
      badRows: this.bad.kept,
      unknownEventTypes: Object.fromEntries(this.unknownEvents),
      empty: this.accepted === 0,
    };
  }

  /** One basket per line: every non-empty cell is an item bought in that line's order. */
  private addBasket(fields: string[], line: number): void {
    const key = `basket ${line}`;
    let customer = -1;
    let order = -1;
    for (const f of fields) {
      const itemRaw = f.trim();
      if (itemRaw.length === 0) continue;
      if (customer < 0) {
        customer = this.customers.id(key);
        order = this.orders.id(key);
      }
      const item = this.items.id(itemRaw);
      if (item === this.itemNames.length) {
        this.itemNames.push('');
        this.itemCategory.push(-1);
      }
      this.chunks.add(customer, order, item, NaN, 1, NaN, NaN, PURCHASE);
      this.accepted++;
    }
    if (customer < 0) this.bad.add(line, null, null, 'missing-item', fields.join(','), 'basket line without items');
  }

  /** A row wider than the header is accepted when the extra cells are empty (trailing delimiters). */
  private onlyEmptyExtra(fields: string[]): boolean {
    if (fields.length < this.width) return false;
    for (let i = this.width; i < fields.length; i++) if (fields[i].trim().length > 0) return false;
    return true;
  }

  /**
   * Header width less its trailing empty cells (`a,b,c,` from a trailing delimiter) that no role is
   * mapped to: rows may then omit those fields.
   */
  private widthWithoutTrailingEmpty(header: string[]): number {
    if (this.baskets) return this.width;
    let mapped = 0;
    for (const c of Object.values(this.settings.mapping)) if (c !== undefined && c + 1 > mapped) mapped = c + 1;
    let w = Math.min(this.width, header.length);
    while (w > mapped && w > 1 && header[w - 1].trim() === '') w--;
    return w;
  }

  private delimiterText(): string {
    const d = this.settings.delimiter;
    return d === 'whitespace' ? ' ' : d;
  }

  private reject(line: number, role: Role, reason: BadRowReason, value: string, what: string, suffix = ''): void {
    const c = this.settings.mapping[role] ?? 0;
    const name = this.settings.columns[c] ?? null;
    this.bad.add(line, c + 1, name, reason, value, `${what} in column ${c + 1} (${name})${suffix}`);
  }

  private badNumber(line: number, role: Role, fields: string[]): void {
    const cell = fields[this.settings.mapping[role] ?? 0];
    this.reject(line, role, 'bad-number', cell, `non-numeric ${NUMBER_WORDS[role]} "${clipText(cell)}"`);
  }

  /** YYYY-MM-DD (UTC) of t; consecutive rows usually share the day, so the last one is cached. */
  private dayText(t: number): string {
    const day = Math.floor(t / MS_PER_DAY);
    if (day !== this.lastDay) {
      this.lastDay = day;
      this.lastDayText = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    }
    return this.lastDayText;
  }
}

/** Event-type names in storage order (re-exported for readers of the eventType column). */
export const EVENT_TYPE_NAMES = EVENT_TYPES;

/**
 * True when each field starts right after the byte that ends the one before: a delimited line
 * without quotes (the splitter's spans of a quoted field leave out its quotes).
 */
function oneApart(starts: Int32Array, ends: Int32Array, count: number): boolean {
  for (let f = 1; f < count; f++) if (starts[f] !== ends[f - 1] + 1) return false;
  return true;
}

/** First index in [a, b) that is not an ASCII space (b when none). */
function trimStart(bytes: Uint8Array, a: number, b: number): number {
  while (a < b && isAsciiSpace(bytes[a])) a++;
  return a;
}

/** End of bytes[a, b) without its trailing ASCII spaces. */
function trimEnd(bytes: Uint8Array, a: number, b: number): number {
  while (b > a && isAsciiSpace(bytes[b - 1])) b--;
  return b;
}

/** The ASCII characters String.prototype.trim removes. */
function isAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** A non-ASCII character at either end of bytes[a, b) might be a space that trim removes. */
function highEdge(bytes: Uint8Array, a: number, b: number): boolean {
  return b > a && (bytes[a] >= 0x80 || bytes[b - 1] >= 0x80);
}
