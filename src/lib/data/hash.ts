// Exact-duplicate detection without keeping the rows: a 53-bit hash per row in a set of numbers.
// At millions of rows a Set of full strings would cost hundreds of MB; a 53-bit hash costs 8 bytes.

/**
 * A cyrb53-style 53-bit hash (two 32-bit multiply-xor lanes, then cyrb53's finaliser) of a row:
 * its fields joined by the file's delimiter, the text the line itself is when no field is quoted.
 * Joined text determines the fields when none holds the delimiter; a row where one does mixes in
 * every field's length too, from other seeds. ASCII text is read four characters a step (as
 * hashLine reads a line's bytes, so both give the same hash), any other text two UTF-16 code
 * units a step, from other seeds (such a row never equals an ASCII one). The result is an
 * integer < 2^53.
 */
export function hashFields(fields: readonly string[], delimiter: string): number {
  const text = fields.join(delimiter);
  for (const field of fields) if (field.includes(delimiter)) return hashWideText(text, 0x2545f491, 0x68e31da4, fields);
  const ascii = hashAsciiText(text);
  return ascii >= 0 ? ascii : hashWideText(text, 0x9e3779b9, 0x7f4a7c15, null);
}

/** Two code units a step, then the length, then (when given) each field's length. */
function hashWideText(text: string, seed1: number, seed2: number, fields: readonly string[] | null): number {
  let h1 = seed1;
  let h2 = seed2;
  const n = text.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const k = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
    h1 = Math.imul(h1 ^ k, 2654435761);
    h2 = Math.imul(h2 ^ k, 1597334677);
  }
  if (i < n) {
    const k = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ k, 2654435761);
    h2 = Math.imul(h2 ^ k, 1597334677);
  }
  h1 = Math.imul(h1 ^ n, 2654435761);
  h2 = Math.imul(h2 ^ n, 1597334677);
  if (fields !== null) {
    for (const field of fields) {
      h1 = Math.imul(h1 ^ field.length, 2654435761);
      h2 = Math.imul(h2 ^ field.length, 1597334677);
    }
  }
  return finish53(h1, h2);
}

/** hashLine of ASCII text read as code units; -1 when a code unit is 0x80 or more. */
function hashAsciiText(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  let high = 0;
  const n = text.length;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1);
    const c2 = text.charCodeAt(i + 2);
    const c3 = text.charCodeAt(i + 3);
    high |= c0 | c1 | c2 | c3;
    const k = c0 | (c1 << 8) | (c2 << 16) | (c3 << 24);
    h1 = Math.imul(h1 ^ k, 2654435761);
    h2 = Math.imul(h2 ^ k, 1597334677);
  }
  if (i < n) {
    let k = 0;
    for (let shift = 0; i < n; i++, shift += 8) {
      const c = text.charCodeAt(i);
      high |= c;
      k |= c << shift;
    }
    h1 = Math.imul(h1 ^ k, 2654435761);
    h2 = Math.imul(h2 ^ k, 1597334677);
  }
  h1 = Math.imul(h1 ^ n, 2654435761);
  h2 = Math.imul(h2 ^ n, 1597334677);
  return high < 0x80 ? finish53(h1, h2) : -1;
}

/**
 * hashFields of the line bytes[a, b) of an ASCII file without quotes (the fields joined by the
 * delimiter), without making strings: the importer's fast path and addRow share one duplicate
 * set, so the two must agree exactly (an ASCII byte is its own UTF-16 code unit). Four bytes a
 * step over the whole line: field by field, the row hash was a tenth of the import. -1 when a
 * byte is 0x80 or more: the caller then hashes the decoded fields.
 */
export function hashLine(bytes: Uint8Array, a: number, b: number): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  let or = 0;
  let i = a;
  for (; i + 3 < b; i += 4) {
    const k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    or |= k;
    h1 = Math.imul(h1 ^ k, 2654435761);
    h2 = Math.imul(h2 ^ k, 1597334677);
  }
  if (i < b) {
    let k = 0;
    for (let shift = 0; i < b; i++, shift += 8) k |= bytes[i] << shift;
    or |= k;
    h1 = Math.imul(h1 ^ k, 2654435761);
    h2 = Math.imul(h2 ^ k, 1597334677);
  }
  h1 = Math.imul(h1 ^ (b - a), 2654435761);
  h2 = Math.imul(h2 ^ (b - a), 1597334677);
  return (or & 0x80808080) === 0 ? finish53(h1, h2) : -1;
}

function finish53(h1: number, h2: number): number {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * A set of 53-bit hashes in an open-addressing table of one Uint32Array, two words a slot (low
 * 32 bits, then the high 21 bits with bit 21 set, so 0 marks an empty slot), load ≤ 0.75. Measured
 * on this 2-core box: a Set<number> costs ~1 µs and ~40 bytes per add at 1M entries (every hash
 * above 2^31 is a boxed HeapNumber) and V8 caps a Set at 2^24 entries; this table costs a few tens
 * of ns and ≤ 21 bytes per entry, with no cap short of memory. The two words of a slot share a
 * cache line: a probe of a table much larger than the cache costs one miss, not two.
 */
export class HashSet53 {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1 << 16) {
    let cap = 1 << 4;
    while (cap < initialCapacity) cap <<= 1;
    this.slots = new Uint32Array(2 * cap);
    this.mask = cap - 1;
  }

  /** Adds h (an integer in [0, 2^53)); returns false when it was already present. */
  add(h: number): boolean {
    const lo = h >>> 0;
    const hi = ((h - lo) / 4294967296) | 0x200000;
    const mask = this.mask;
    const slots = this.slots;
    let i = lo & mask;
    for (;;) {
      const s = slots[2 * i + 1];
      if (s === 0) break;
      if (s === hi && slots[2 * i] === lo) return false;
      i = (i + 1) & mask;
    }
    slots[2 * i] = lo;
    slots[2 * i + 1] = hi;
    if (++this.count > mask * 0.75) this.grow();
    return true;
  }

  get size(): number {
    return this.count;
  }

  private grow(): void {
    const old = this.slots;
    const cap = old.length; // twice the old slot count
    const slots = new Uint32Array(2 * cap);
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += 2) {
      const hi = old[j + 1];
      if (hi === 0) continue;
      const lo = old[j];
      let i = lo & mask;
      while (slots[2 * i + 1] !== 0) i = (i + 1) & mask;
      slots[2 * i] = lo;
      slots[2 * i + 1] = hi;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** Rows of one order kept in its own short list before the rest go to the shared table. */
const ORDER_LIST_ROWS = 16;

/**
 * Exact-duplicate rows, by their 53-bit row hash. Two equal rows have the same order, so a row is
 * compared only with the earlier rows of its order: while an order's rows come together in the
 * file (as in order-lines exports), its first ORDER_LIST_ROWS hashes sit in one block at the end
 * of a list, appended in file order; the rest (rows of an order that comes back later, rows past
 * the block's size, rows without an order) go to a HashSet53. Measured in Chromium on the
 * 1M-line benchmark file: a HashSet53 of every row cost ~0.5 s of a 3.7 s import, most of it
 * cache and TLB misses in its 16 MB table.
 */
export class DuplicateRows {
  /** 1 + the list index of each order's first hash (0: none), and the number in its block. */
  private first: Int32Array;
  private length: Uint8Array;
  /** The blocks' hashes (an integer < 2^53 is exact in a double: one 8-byte load to compare). */
  private hashes: Float64Array;
  private entries = 0;
  private shared: HashSet53 | null = null;

  /** `byOrder`: false when no row will have an order (all go to the shared table, sized for them). */
  constructor(expectedRows = 1 << 16, byOrder = true) {
    const n = byOrder ? Math.max(1024, Math.ceil(expectedRows)) : 0;
    // Up to one order a row: never regrown for a file of the size expected (see Dictionary).
    this.first = new Int32Array(Math.max(1024, n));
    this.length = new Uint8Array(Math.max(1024, n));
    this.hashes = new Float64Array(n);
    if (!byOrder) this.shared = new HashSet53(Math.min(1 << 24, Math.ceil(expectedRows * 1.4)));
  }

  /** Adds the row hash h of order `order` (-1 when the row has none); false when it was already there. */
  add(h: number, order: number): boolean {
    if (order < 0) return this.table().add(h);
    if (order >= this.first.length) this.growOrders(order + 1);
    const first = this.first[order];
    if (first === 0) {
      this.first[order] = this.entries + 1;
      this.length[order] = 1;
      this.append(h);
      return true;
    }
    const end = first - 1 + this.length[order];
    const hashes = this.hashes;
    for (let e = first - 1; e < end; e++) if (hashes[e] === h) return false;
    // The block grows while it ends the list (its order's rows came together) and has room.
    if (end === this.entries && end - first + 1 < ORDER_LIST_ROWS) {
      this.length[order]++;
      this.append(h);
      return true;
    }
    return this.table().add(h);
  }

  private append(h: number): void {
    if (this.entries === this.hashes.length) {
      const grown = new Float64Array(Math.max(1024, 2 * this.hashes.length));
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[this.entries++] = h;
  }

  private table(): HashSet53 {
    return (this.shared ??= new HashSet53());
  }

  private growOrders(need: number): void {
    const n = Math.max(need, 2 * this.first.length);
    const first = new Int32Array(n);
    const length = new Uint8Array(n);
    first.set(this.first);
    length.set(this.length);
    this.first = first;
    this.length = length;
  }
}
