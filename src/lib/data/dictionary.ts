// Raw id strings ↔ dense indices, in order of first appearance.
// Keys can be looked up as a span of UTF-16 code units, or of ASCII bytes straight from the file
// (idAscii), so the importer's hot path makes no string for an id at all (measured: a
// Map<string, number> of the 349k order ids of the 1M-line benchmark was a fifth of the import,
// much of it rehashing on growth and collecting the per-field strings).

import type { Dictionaries, PackedDictionaries } from './schema';

/**
 * A copy of s that does not point into the text it was cut from. Strings from slice/split of a
 * large chunk may be views of the whole chunk; kept in a dictionary they would pin every chunk of
 * the file in memory.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** FNV-1a over the code units codes[start, end), finished with a murmur-style mix. */
export function codesHash(codes: Uint16Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ codes[i], 0x01000193);
  return finishHash(h);
}

function finishHash(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}

/**
 * A list of strings as one text and each string's length: what a dataset stores for its
 * dictionaries. Structured-cloning one string and one small typed array is a copy; a list of
 * 350,000 strings was ~0.25 s of a 1M-line import (making the strings, then cloning each).
 */
export interface PackedKeys {
  text: string;
  lengths: Uint8Array | Uint16Array | Uint32Array;
}

export function packKeys(keys: readonly string[]): PackedKeys {
  return { text: keys.join(''), lengths: lengthsOf(keys.length, (i) => keys[i].length) };
}

export function unpackKeys({ text, lengths }: PackedKeys): string[] {
  const keys = new Array<string>(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    const end = at + lengths[i];
    keys[i] = text.slice(at, end);
    at = end;
  }
  if (at !== text.length) throw new Error(`packed keys: lengths cover ${at} characters of ${text.length}`);
  return keys;
}

/** lengthOf(0 … n−1) in the narrowest unsigned array that holds the longest. */
function lengthsOf(n: number, lengthOf: (i: number) => number): Uint8Array | Uint16Array | Uint32Array {
  let longest = 0;
  for (let i = 0; i < n; i++) longest = Math.max(longest, lengthOf(i));
  const lengths = longest < 256 ? new Uint8Array(n) : longest < 65_536 ? new Uint16Array(n) : new Uint32Array(n);
  for (let i = 0; i < n; i++) lengths[i] = lengthOf(i);
  return lengths;
}

/**
 * Keys of one length and first-character class (digit, other ASCII, other), in increasing order:
 * ids[0 … n−1] whose keys increase. Invoice numbers come in such runs (100001, 100002, … beside
 * C100300, C100336, … for cancellations).
 */
interface Run {
  ids: Int32Array;
  n: number;
}

/** Keys longer than this are never in a run (they go to the table). */
const RUN_KEY_UNITS = 64;
/** Lookups that fall below their run's last key, before the runs are dropped as not paying. */
const RUN_MISSES_ALLOWED = 64;

/** Run index of a key of `len` code units whose first unit is `first`. */
function runShape(len: number, first: number): number {
  const kind = len === 0 || first >= 0x80 ? 2 : first >= 48 && first <= 57 ? 0 : 1;
  return len * 3 + kind;
}

const KEY_LISTS = ['customers', 'orders', 'items', 'itemNames', 'categories'] as const;

export function packDictionaries(d: Dictionaries): PackedDictionaries {
  const packed = { itemCategory: d.itemCategory } as PackedDictionaries;
  for (const name of KEY_LISTS) packed[name] = packKeys(d[name]);
  return packed;
}

export function unpackDictionaries(p: PackedDictionaries): Dictionaries {
  const d = { itemCategory: p.itemCategory } as Dictionaries;
  for (const name of KEY_LISTS) d[name] = unpackKeys(p[name]);
  return d;
}

/** Code units per String.fromCharCode call when keys are turned into strings. */
const DECODE_BLOCK = 4096;

/**
 * The keys live as UTF-16 code units in one growing pool, not as strings: a new id costs a copy
 * of its characters and no object, so a dictionary of a million ids makes no garbage while the
 * import runs; `packed` hands them over as one text and the lengths, `values` as strings.
 */
export class Dictionary {
  private pool: Uint16Array;
  /** Key of id i is pool[keyStart[i], keyStart[i + 1]). */
  private keyStart: Int32Array;
  private count = 0;
  /**
   * Keys that came in increasing order, by shape (runShape); null once dropped. A key greater than
   * its run's last is new without a table probe, and the table is not even made while every key
   * falls in a run: a probe of a table of millions of slots misses the cache (without a table for
   * its 362k orders, the 1M-line benchmark file parses ~7 % faster). Keys out of order go to the table; when
   * many do (random ids, such as customers), the runs are dropped and their keys put in the table.
   */
  private runs: (Run | undefined)[] | null = new Array<Run | undefined>(3 * (RUN_KEY_UNITS + 1));
  /** Lookups that fell below their run's last key (a binary search, and maybe a table probe). */
  private runMisses = 0;
  /** Open addressing, linear probing, load ≤ 1/2: pairs (hash, id + 1); id + 1 = 0 marks a free slot. */
  private table = new Int32Array(0);
  private mask = -1;
  /** Slots the table is made with when first needed. */
  private readonly slots: number;
  private indexed = 0;
  // Consecutive rows often repeat the same id (lines of one order): skip the table then.
  private lastId = -1;
  /** A string key's code units, for idCodes. */
  private scratch = new Uint16Array(64);

  /**
   * `expectedKeys` (a guess) sizes the key arrays, and `indexedKeys` the table, once. Growing the
   * table re-inserts every key at scattered places (~0.13 s for the 349k orders of the 1M-line
   * benchmark in Chromium); growing the key arrays by doubling writes every key again, into fresh
   * memory, which is slow to first touch on small machines (~5 ms a MB on this project's VM).
   * Generous sizes cost little: memory never written is never touched. Keys appended without
   * lookups (append) need no table: pass indexedKeys = 0.
   */
  constructor(expectedKeys = 0, indexedKeys = expectedKeys) {
    let slots = 64;
    while (slots < 2 * indexedKeys && slots < 1 << 24) slots *= 2;
    this.slots = slots;
    const keys = Math.max(256, Math.min(1 << 24, Math.ceil(expectedKeys)));
    this.keyStart = new Int32Array(keys + 2);
    this.pool = new Uint16Array(8 * keys);
  }

  /** Index of key, adding it when new. */
  id(key: string): number {
    return this.idCodes(this.codesOf(key), 0, key.length);
  }

  /**
   * Index of the key whose UTF-16 code units are codes[start, end), adding it when new. (Always a
   * Uint16Array: with byte arrays too, every element read here would be polymorphic and slower.)
   */
  idCodes(codes: Uint16Array, start: number, end: number): number {
    const last = this.lastId;
    if (last >= 0 && this.equals(last, codes, start, end)) return last;
    if (this.runs !== null && end - start <= RUN_KEY_UNITS) {
      const id = this.inRun(codes, start, end);
      if (id >= 0) return (this.lastId = id);
    }
    if (this.mask < 0) this.makeTable();
    const h = codesHash(codes, start, end);
    const table = this.table;
    const mask = this.mask;
    let i = h & mask;
    for (;;) {
      const id1 = table[2 * i + 1];
      if (id1 === 0) break;
      if (table[2 * i] === h && this.equals(id1 - 1, codes, start, end)) {
        this.lastId = id1 - 1;
        return id1 - 1;
      }
      i = (i + 1) & mask;
    }
    return this.indexNew(i, h, this.push(codes, start, end));
  }

  /**
   * idCodes for the key whose characters are the ASCII bytes bytes[start, end) (an ASCII byte is its
   * own UTF-16 code unit, so both find the same ids); -1, adding nothing, when a byte is 0x80 or
   * more (the caller decodes those). Its own loops over the bytes: one site reading both array
   * types would be polymorphic, and slower for either.
   */
  idAscii(bytes: Uint8Array, start: number, end: number): number {
    const last = this.lastId;
    if (last >= 0 && this.equalsAscii(last, bytes, start, end)) return last;
    if (this.runs !== null && end - start <= RUN_KEY_UNITS) {
      let high = 0;
      for (let i = start; i < end; i++) high |= bytes[i];
      if (high >= 0x80) return -1;
      const id = this.inRunAscii(bytes, start, end);
      if (id >= 0) return (this.lastId = id);
    }
    if (this.mask < 0) this.makeTable();
    let h = 0x811c9dc5;
    let high = 0;
    for (let i = start; i < end; i++) {
      const c = bytes[i];
      high |= c;
      h = Math.imul(h ^ c, 0x01000193);
    }
    if (high >= 0x80) return -1;
    h = finishHash(h);
    const table = this.table;
    const mask = this.mask;
    let i = h & mask;
    for (;;) {
      const id1 = table[2 * i + 1];
      if (id1 === 0) break;
      if (table[2 * i] === h && this.equalsAscii(id1 - 1, bytes, start, end)) {
        this.lastId = id1 - 1;
        return id1 - 1;
      }
      i = (i + 1) & mask;
    }
    return this.indexNew(i, h, this.pushAscii(bytes, start, end));
  }

  /** Puts the new key `id` (hash h) in the free slot i that its probe ended on. */
  private indexNew(i: number, h: number, id: number): number {
    this.table[2 * i] = h;
    this.table[2 * i + 1] = id + 1;
    if (++this.indexed > this.mask >>> 1) this.grow();
    this.lastId = id;
    // Keys out of order are common here: runs do not pay, the table takes every key.
    if (this.runs !== null && this.runMisses > RUN_MISSES_ALLOWED && this.runMisses * 16 > this.count) this.dropRuns();
    return id;
  }

  /**
   * The id of codes[start, end) when its run has it or it extends its run (added then); -1 when
   * it falls below its run's last key and the run lacks it: the table may have it.
   */
  private inRun(codes: Uint16Array, start: number, end: number): number {
    const shape = runShape(end - start, codes[start]);
    const run = (this.runs as (Run | undefined)[])[shape];
    if (run === undefined) return this.startRun(shape, this.push(codes, start, end));
    const last = run.ids[run.n - 1];
    const order = this.compare(codes, start, end, last);
    if (order > 0) return this.extendRun(run, this.push(codes, start, end));
    if (order === 0) return last;
    this.runMisses++;
    let lo = 0;
    let hi = run.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compare(codes, start, end, run.ids[mid]);
      if (c === 0) return run.ids[mid];
      if (c > 0) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  /** inRun for ASCII bytes (an ASCII byte is its own code unit): its own loops, as idAscii. */
  private inRunAscii(bytes: Uint8Array, start: number, end: number): number {
    const shape = runShape(end - start, bytes[start]);
    const run = (this.runs as (Run | undefined)[])[shape];
    if (run === undefined) return this.startRun(shape, this.pushAscii(bytes, start, end));
    const last = run.ids[run.n - 1];
    const order = this.compareAscii(bytes, start, end, last);
    if (order > 0) return this.extendRun(run, this.pushAscii(bytes, start, end));
    if (order === 0) return last;
    this.runMisses++;
    let lo = 0;
    let hi = run.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compareAscii(bytes, start, end, run.ids[mid]);
      if (c === 0) return run.ids[mid];
      if (c > 0) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  private startRun(shape: number, id: number): number {
    const ids = new Int32Array(64);
    ids[0] = id;
    (this.runs as (Run | undefined)[])[shape] = { ids, n: 1 };
    return id;
  }

  private extendRun(run: Run, id: number): number {
    if (run.n === run.ids.length) run.ids = growInt32(run.ids, run.n + 1);
    run.ids[run.n++] = id;
    return id;
  }

  /** Order of codes[start, end) against the key of id, of the same length: > 0 after it, 0 equal, < 0 before. */
  private compare(codes: Uint16Array, start: number, end: number, id: number): number {
    const a = this.keyStart[id];
    const len = end - start;
    const pool = this.pool;
    for (let k = 0; k < len; k++) {
      const d = codes[start + k] - pool[a + k];
      if (d !== 0) return d;
    }
    return 0;
  }

  /** compare for ASCII bytes. */
  private compareAscii(bytes: Uint8Array, start: number, end: number, id: number): number {
    const a = this.keyStart[id];
    const len = end - start;
    const pool = this.pool;
    for (let k = 0; k < len; k++) {
      const d = bytes[start + k] - pool[a + k];
      if (d !== 0) return d;
    }
    return 0;
  }

  private makeTable(): void {
    this.table = new Int32Array(2 * this.slots);
    this.mask = this.slots - 1;
  }

  /** Ends run keeping: every key of a run goes to the table (which then holds them all). */
  private dropRuns(): void {
    const runs = this.runs as (Run | undefined)[];
    this.runs = null;
    for (const run of runs) {
      if (run === undefined) continue;
      for (let r = 0; r < run.n; r++) {
        const id = run.ids[r];
        place(this.table, this.mask, codesHash(this.pool, this.keyStart[id], this.keyStart[id + 1]), id + 1);
        if (++this.indexed > this.mask >>> 1) this.grow();
      }
    }
  }

  /** Adds a key known to be new (e.g. one order per line) without indexing it. */
  append(key: string): number {
    return this.push(this.codesOf(key), 0, key.length);
  }

  get size(): number {
    return this.count;
  }

  /** The keys in id order, as strings (a new list each call). */
  get values(): string[] {
    return unpackKeys(this.packed());
  }

  /** The keys as PackedKeys, without making a string per key. */
  packed(): PackedKeys {
    const ks = this.keyStart;
    return { text: this.text(0, ks[this.count]), lengths: lengthsOf(this.count, (id) => ks[id + 1] - ks[id]) };
  }

  /**
   * pool[from, to) as one string, built a block at a time (fromCharCode keeps every code unit,
   * lone surrogates included, unlike a UTF-16 TextDecoder).
   */
  private text(from: number, to: number): string {
    const parts: string[] = [];
    for (let p = from; p < to; p += DECODE_BLOCK) {
      const block = this.pool.subarray(p, Math.min(p + DECODE_BLOCK, to));
      parts.push(String.fromCharCode.apply(null, block as unknown as number[]));
    }
    return parts.join('');
  }

  /** The code units of key in the scratch array (valid until the next call). */
  private codesOf(key: string): Uint16Array {
    const n = key.length;
    if (n > this.scratch.length) this.scratch = new Uint16Array(Math.max(n, 2 * this.scratch.length));
    const scratch = this.scratch;
    for (let k = 0; k < n; k++) scratch[k] = key.charCodeAt(k);
    return scratch;
  }

  private push(codes: Uint16Array, start: number, end: number): number {
    const id = this.reserve(end - start);
    const pool = this.pool;
    const at = this.keyStart[id];
    for (let k = start; k < end; k++) pool[at + k - start] = codes[k];
    return id;
  }

  private pushAscii(bytes: Uint8Array, start: number, end: number): number {
    const id = this.reserve(end - start);
    const pool = this.pool;
    const at = this.keyStart[id];
    for (let k = start; k < end; k++) pool[at + k - start] = bytes[k];
    return id;
  }

  /** A new id whose key, of `len` code units, the caller writes at pool[keyStart[id]]. */
  private reserve(len: number): number {
    const id = this.count;
    if (id + 2 > this.keyStart.length) this.keyStart = growInt32(this.keyStart, id + 2);
    const at = this.keyStart[id];
    if (at + len > this.pool.length) {
      const grown = new Uint16Array(Math.max(this.pool.length * 2, at + len));
      grown.set(this.pool);
      this.pool = grown;
    }
    this.keyStart[id + 1] = at + len;
    this.count = id + 1;
    return id;
  }

  /** True when the key of id equals codes[start, end). */
  private equals(id: number, codes: Uint16Array, start: number, end: number): boolean {
    const a = this.keyStart[id];
    const len = end - start;
    if (this.keyStart[id + 1] - a !== len) return false;
    const pool = this.pool;
    for (let k = 0; k < len; k++) if (pool[a + k] !== codes[start + k]) return false;
    return true;
  }

  /** True when the key of id is the ASCII bytes[start, end) (never for a byte of 0x80 or more). */
  private equalsAscii(id: number, bytes: Uint8Array, start: number, end: number): boolean {
    const a = this.keyStart[id];
    const len = end - start;
    if (this.keyStart[id + 1] - a !== len) return false;
    const pool = this.pool;
    for (let k = 0; k < len; k++) {
      const c = bytes[start + k];
      if (pool[a + k] !== c || c >= 0x80) return false;
    }
    return true;
  }

  private grow(): void {
    const old = this.table;
    const slots = old.length; // twice the old capacity: the new one
    const table = new Int32Array(slots * 2);
    const mask = slots - 1;
    for (let j = 0; j < old.length; j += 2) if (old[j + 1] !== 0) place(table, mask, old[j], old[j + 1]);
    this.table = table;
    this.mask = mask;
  }
}

/** Puts the pair (h, id + 1 = id1) in the first free slot of table from h's. */
function place(table: Int32Array, mask: number, h: number, id1: number): void {
  let i = h & mask;
  while (table[2 * i + 1] !== 0) i = (i + 1) & mask;
  table[2 * i] = h;
  table[2 * i + 1] = id1;
}

function growInt32(a: Int32Array, need: number): Int32Array {
  const grown = new Int32Array(Math.max(a.length * 2, need));
  grown.set(a);
  return grown;
}

