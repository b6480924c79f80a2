// Streaming row splitter over a file's bytes (UTF-8, or an encoding such as Windows-1252 in which
// every byte below 0x80 is that ASCII character). Every record is handed over as field spans of
// the bytes, so nothing is decoded and no string is made for it; the consumer decodes only the
// cells it keeps (EventImporter.addByteSpans). Quoted fields follow RowSplitter's RFC 4180 rules
// (the reference the tests compare with): their quotes are removed in place before the spans go
// out, and a stray quote makes its line plain text.
//
// Delimiters, quotes and line breaks are ASCII, and no byte of a multi-byte UTF-8 character is
// below 0x80, so cutting the bytes at them cuts the text at the same places.

import { isTrimSpace, MAX_QUOTED_CHARS } from './rows';
import type { Delimiter } from './schema';

/**
 * Receives a non-blank record as spans of the bytes: field f is bytes[starts[f], ends[f]), for f
 * below count (a quoted field without its quotes). All four arrays are reused for the next record,
 * and `bytes` is overwritten by later pieces: the sink copies what it keeps.
 */
export type ByteSpanSink = (bytes: Uint8Array, starts: Int32Array, ends: Int32Array, count: number, line: number) => void;

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/** Encodings whose ASCII bytes mean ASCII characters (what ByteRowSplitter needs). */
export function isAsciiCompatible(encoding: string): boolean {
  const e = encoding.toLowerCase();
  return e === 'utf-8' || e === 'utf8' || e === 'windows-1252' || e === 'latin1' || e === 'iso-8859-1' || e === 'ascii';
}

/** bytes[a, b) as a string, for bytes known to be ASCII (fast for the short cells of a file). */
export function asciiText(bytes: Uint8Array, a: number, b: number): string {
  switch (b - a) {
    case 0:
      return '';
    case 1:
      return String.fromCharCode(bytes[a]);
    case 2:
      return String.fromCharCode(bytes[a], bytes[a + 1]);
    case 3:
      return String.fromCharCode(bytes[a], bytes[a + 1], bytes[a + 2]);
    case 4:
      return String.fromCharCode(bytes[a], bytes[a + 1], bytes[a + 2], bytes[a + 3]);
    case 5:
      return String.fromCharCode(bytes[a], bytes[a + 1], bytes[a + 2], bytes[a + 3], bytes[a + 4]);
    case 6:
      return String.fromCharCode(bytes[a], bytes[a + 1], bytes[a + 2], bytes[a + 3], bytes[a + 4], bytes[a + 5]);
    default: {
      // In blocks: apply() passes every byte as an argument, and the stack has a limit.
      let text = '';
      for (let p = a; p < b; p += 4096) text += String.fromCharCode.apply(null, bytes.subarray(p, Math.min(b, p + 4096)) as unknown as number[]);
      return text;
    }
  }
}

/** True when bytes[a, b) has a byte of 0x80 or more (part of a non-ASCII character). */
function hasHighByte(bytes: Uint8Array, a: number, b: number): boolean {
  let or = 0;
  for (let i = a; i < b; i++) or |= bytes[i];
  return or >= 0x80;
}

/** Decodes cells of one file: ASCII without a TextDecoder call, anything else with the file's encoding. */
export class CellDecoder {
  // ignoreBOM: a U+FEFF inside a file is text, as the whole-file decoder left it.
  private readonly decoder: TextDecoder;
  constructor(encoding: string) {
    this.decoder = new TextDecoder(encoding, { ignoreBOM: true });
  }

  text(bytes: Uint8Array, a: number, b: number): string {
    return b - a > 64 || hasHighByte(bytes, a, b) ? this.decoder.decode(bytes.subarray(a, b)) : asciiText(bytes, a, b);
  }
}

export class ByteRowSplitter {
  /** Bytes not yet split (the end of the last piece) followed by the newest piece. */
  private work = new Uint8Array(0);
  private pending = 0;
  /** Physical line on which the next record starts. */
  private line = 1;
  private started = false;
  private readonly delimCode: number;
  private readonly ws: boolean;
  private readonly utf8: boolean;
  private readonly cells: CellDecoder;
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  /** 1 for a field of a quoted record whose text holds doubled quotes (to be undoubled). */
  private escaped = new Uint8Array(64);

  constructor(
    delimiter: Delimiter,
    encoding: string,
    private readonly spanSink: ByteSpanSink,
  ) {
    if (!isAsciiCompatible(encoding)) throw new Error(`ByteRowSplitter needs an ASCII-compatible encoding, not ${encoding}`);
    this.ws = delimiter === 'whitespace';
    this.delimCode = this.ws ? SPACE : delimiter.charCodeAt(0);
    this.utf8 = encoding.toLowerCase().startsWith('utf');
    this.cells = new CellDecoder(encoding);
  }

  /** Feeds the next piece of the file (copied: the caller may reuse its buffer). */
  push(bytes: Uint8Array): void {
    this.append(bytes);
    // A UTF-8 byte-order mark is not text; wait for three bytes to know.
    if (!this.started && this.pending < 3) return;
    this.split(false);
  }

  /** Splits what is left (a file need not end with a line break). */
  end(): void {
    if (this.pending > 0) {
      this.append(Uint8Array.of(LF));
      this.split(true);
    }
    this.pending = 0;
  }

  private append(bytes: Uint8Array): void {
    const need = this.pending + bytes.length;
    if (need > this.work.length) {
      const grown = new Uint8Array(Math.max(need, this.work.length * 2, 1 << 16));
      grown.set(this.work.subarray(0, this.pending));
      this.work = grown;
    }
    this.work.set(bytes, this.pending);
    this.pending = need;
  }

  private split(final: boolean): void {
    const b = this.work.subarray(0, this.pending);
    let from = 0;
    if (!this.started) {
      this.started = true;
      if (this.utf8 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) from = 3;
    }
    const used = this.ws ? this.consumeWhitespace(b, from, final) : this.consume(b, from, final);
    this.work.copyWithin(0, used, b.length);
    this.pending = b.length - used;
  }

  /**
   * Emits every complete record in b from `from`; returns the index of the first byte not
   * consumed. A line ends at LF, CRLF or a lone CR; a CR that ends the bytes waits for the next
   * piece, which may start with the LF of the same CRLF.
   */
  private consume(b: Uint8Array, from: number, final: boolean): number {
    const n = b.length;
    const dc = this.delimCode;
    let pos = from;
    while (pos < n) {
      let starts = this.starts;
      let ends = this.ends;
      let f = 0;
      let fieldStart = pos;
      let i = pos;
      let c = 0;
      for (;;) {
        if (i === n) return pos;
        c = b[i];
        if (c === dc) {
          if (f + 1 === starts.length) {
            this.growSpans();
            starts = this.starts;
            ends = this.ends;
          }
          starts[f] = fieldStart;
          ends[f] = i;
          f++;
          fieldStart = i + 1;
        } else if (c <= QUOTE && (c === LF || c === CR || c === QUOTE)) break;
        i++;
      }
      if (c === QUOTE) {
        const after = this.quotedRecord(b, pos, final);
        if (after === -1) return pos;
        pos = after;
        continue;
      }
      const next = this.lineBreakEnd(b, i, final);
      if (next === -1) return pos;
      if (i > pos) {
        starts[f] = fieldStart;
        ends[f] = i;
        this.emit(b, f + 1);
      }
      this.line++;
      pos = next;
    }
    return pos;
  }

  /**
   * Whitespace-separated lines: fields are runs of characters other than space and tab; leading
   * and trailing ones are ignored and quotes are plain characters (as splitWhitespace).
   */
  private consumeWhitespace(b: Uint8Array, from: number, final: boolean): number {
    const n = b.length;
    let pos = from;
    while (pos < n) {
      let f = 0;
      let i = pos;
      let c = 0;
      let inField = false;
      for (;;) {
        if (i === n) return pos;
        c = b[i];
        if (c === SPACE || c === TAB) {
          if (inField) {
            this.ends[f++] = i;
            inField = false;
          }
        } else if (c === LF || c === CR) break;
        else if (!inField) {
          if (f + 1 === this.starts.length) this.growSpans();
          this.starts[f] = i;
          inField = true;
        }
        i++;
      }
      const next = this.lineBreakEnd(b, i, final);
      if (next === -1) return pos;
      if (inField) this.ends[f++] = i;
      if (f > 0) this.emit(b, f);
      this.line++;
      pos = next;
    }
    return pos;
  }

  /** Index after the line break at i (LF, CR or CRLF), or -1 for a CR that ends unfinished bytes. */
  private lineBreakEnd(b: Uint8Array, i: number, final: boolean): number {
    if (b[i] === LF) return i + 1;
    if (i + 1 === b.length) return final ? i + 1 : -1;
    return b[i + 1] === LF ? i + 2 : i + 1;
  }

  /** Hands spans 0…count-1 to the sink, unless the line is blank (only spaces: counted, no row). */
  private emit(b: Uint8Array, count: number): void {
    if (count === 1 && this.isBlank(b, this.starts[0], this.ends[0])) return;
    this.spanSink(b, this.starts, this.ends, count, this.line);
  }

  private isBlank(b: Uint8Array, a: number, e: number): boolean {
    for (let i = a; i < e; i++) {
      const c = b[i];
      if (c >= 0x80) return this.cells.text(b, a, e).trim() === '';
      if (!isTrimSpace(c)) return false;
    }
    return true;
  }

  private growSpans(): void {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.ends.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    const escaped = new Uint8Array(starts.length);
    escaped.set(this.escaped);
    this.starts = starts;
    this.ends = ends;
    this.escaped = escaped;
  }

  /**
   * Splits the record starting at pos that has a quote before its line break, by
   * RowSplitter.quotedRecord's rules: a field that starts with a quote runs to the closing quote
   * ("" inside stands for one), which must be followed by a delimiter or a line break. Returns the
   * index after the record, or -1 when the bytes end first (wait for the next piece).
   */
  private quotedRecord(b: Uint8Array, pos: number, final: boolean): number {
    const n = b.length;
    const dc = this.delimCode;
    let f = 0;
    let i = pos;
    for (;;) {
      if (f + 1 >= this.starts.length) this.growSpans();
      if (i < n && b[i] === QUOTE) {
        let j = i + 1;
        let close: number;
        let doubled = 0;
        for (;;) {
          close = b.indexOf(QUOTE, j);
          // A quote that ends unfinished bytes may be the first half of "".
          if (close === -1 || (close === n - 1 && !final)) return this.wait(b, pos, final);
          if (b[close + 1] !== QUOTE) break;
          doubled = 1;
          j = close + 2;
        }
        this.setField(f++, i + 1, close, doubled);
        i = close + 1;
        const c = b[i];
        if (c === dc) {
          i++;
          continue;
        }
        if (c === LF || c === CR) return this.endRecord(b, pos, i, f, final);
        return this.strayQuote(b, pos, final);
      }
      // Unquoted field: up to the delimiter or the end of the line (a quote in it is text).
      let k = i;
      while (k < n && b[k] !== dc && b[k] !== LF && b[k] !== CR) k++;
      if (k === n) return this.wait(b, pos, final);
      this.setField(f++, i, k, 0);
      if (b[k] !== dc) return this.endRecord(b, pos, k, f, final);
      i = k + 1;
    }
  }

  private setField(f: number, start: number, end: number, escaped: number): void {
    this.starts[f] = start;
    this.ends[f] = end;
    this.escaped[f] = escaped;
  }

  /**
   * Emits the quoted record b[pos, eol) of `count` fields, its line break at eol; returns the
   * index after the break (-1: wait, for a CR that ends unfinished bytes).
   */
  private endRecord(b: Uint8Array, pos: number, eol: number, count: number, final: boolean): number {
    const next = this.lineBreakEnd(b, eol, final);
    if (next === -1) return this.wait(b, pos, final);
    // Counted before the quotes are undoubled: that moves bytes, and leaves stale ones behind.
    const breaks = countBreaks(b, pos, eol);
    for (let f = 0; f < count; f++) if (this.escaped[f] === 1) this.ends[f] = undoubleQuotes(b, this.starts[f], this.ends[f]);
    this.spanSink(b, this.starts, this.ends, count, this.line);
    this.line += 1 + breaks;
    return next;
  }

  /** The record runs past the bytes: wait for more, unless they are final or it is too long already. */
  private wait(b: Uint8Array, pos: number, final: boolean): number {
    return final || b.length - pos > MAX_QUOTED_CHARS ? this.strayQuote(b, pos, final) : -1;
  }

  /**
   * A quote that forms no proper quoted field: its line is split at every delimiter, quotes kept
   * as text, once the line's end is in the bytes (-1 until then).
   */
  private strayQuote(b: Uint8Array, pos: number, final: boolean): number {
    const dc = this.delimCode;
    let k = pos;
    while (k < b.length && b[k] !== LF && b[k] !== CR) k++;
    const next = k < b.length ? this.lineBreakEnd(b, k, final) : -1;
    if (next === -1) return -1;
    let f = 0;
    let fieldStart = pos;
    for (let i = pos; i < k; i++) {
      if (b[i] !== dc) continue;
      if (f + 1 === this.starts.length) this.growSpans();
      this.starts[f] = fieldStart;
      this.ends[f] = i;
      f++;
      fieldStart = i + 1;
    }
    this.starts[f] = fieldStart;
    this.ends[f] = k;
    this.emit(b, f + 1);
    this.line++;
    return next;
  }
}

/** Line breaks (LF, CRLF or lone CR) inside b[start, end). */
function countBreaks(b: Uint8Array, start: number, end: number): number {
  let count = 0;
  for (let p = start; p < end; p++) if (b[p] === LF || (b[p] === CR && b[p + 1] !== LF)) count++;
  return count;
}

/** Turns each "" of the quoted field text b[start, end) into ", in place; returns the new end. */
function undoubleQuotes(b: Uint8Array, start: number, end: number): number {
  let w = start;
  for (let r = start; r < end; r++) {
    b[w++] = b[r];
    // Inside a quoted field every quote is doubled (a single one would have closed it).
    if (b[r] === QUOTE) r++;
  }
  return w;
}
