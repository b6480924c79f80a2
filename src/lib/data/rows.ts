// Streaming row splitter: decoded text in chunks of any size → fields + 1-based physical line.
// Lines without a quote character take a fast path (native String.split); lines with quotes go
// through a small RFC 4180 state machine that may span chunk boundaries and embedded newlines.
// File imports split bytes instead (ByteRowSplitter, byte-rows.ts), by the same rules; this
// splitter is the reference its tests compare with.

import type { Delimiter } from './schema';

export type RowSink = (fields: string[], line: number) => void;

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/**
 * A quoted field still open after this many characters is treated as a stray quote (the line is
 * re-split with quotes as plain text), so one bad quote cannot swallow the rest of a large file.
 * ByteRowSplitter counts bytes against it: a safety limit, not a rule of the format.
 */
export const MAX_QUOTED_CHARS = 1 << 20;

/** Longest leftover + next lines finished on their own before a piece (see finishPending). */
const PENDING_CHARS = 1 << 16;

/** Splits s[start, end) on runs of spaces and tabs, ignoring leading and trailing ones. */
export function splitWhitespace(s: string, start: number, end: number): string[] {
  const out: string[] = [];
  let i = start;
  while (i < end) {
    let c = s.charCodeAt(i);
    while (i < end && (c === SPACE || c === TAB)) c = s.charCodeAt(++i);
    if (i >= end) break;
    const a = i;
    while (i < end && c !== SPACE && c !== TAB) c = s.charCodeAt(++i);
    out.push(s.slice(a, i));
  }
  return out;
}

export class RowSplitter {
  private buf = '';
  /** Physical line on which the next record starts. */
  private line = 1;
  private started = false;
  private readonly delim: string;
  private readonly delimCode: number;
  private readonly ws: boolean;

  constructor(
    delimiter: Delimiter,
    private readonly sink: RowSink,
  ) {
    this.ws = delimiter === 'whitespace';
    this.delim = this.ws ? ' ' : delimiter;
    this.delimCode = this.delim.charCodeAt(0);
  }

  /** Feeds the next piece of text. A leading BOM on the first piece is dropped. */
  push(text: string): void {
    if (!this.started) {
      if (text.length === 0) return;
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let s = text;
    let from = 0;
    if (this.buf.length > 0) {
      from = this.finishPending(text);
      // A long quoted record still open: go on with it and the rest of the text as one string.
      if (this.buf.length > 0) {
        s = this.buf + text.slice(from);
        from = 0;
      }
    }
    const used = this.consume(s, from, false);
    this.buf = used === s.length ? '' : s.slice(used);
  }

  /**
   * Completes the record left over from the last piece on a small string (the leftover plus the
   * next line or few of text) and returns how much of text that took; buf is then empty unless a
   * quoted record runs on. The big piece is then scanned as it came: reading characters of a
   * concatenation (buf + text) was ~3× slower than of a flat string here, and every cell read by
   * the importer would pay that.
   */
  private finishPending(text: string): number {
    let taken = 0;
    let cut = text.indexOf('\n');
    // Kept far below MAX_QUOTED_CHARS, so no record is judged on a shorter text than before.
    for (let tries = 0; tries < 4 && cut !== -1 && this.buf.length + cut + 1 - taken <= PENDING_CHARS; tries++) {
      const head = this.buf + text.slice(taken, cut + 1);
      const used = this.consume(head, 0, false);
      this.buf = used === head.length ? '' : head.slice(used);
      taken = cut + 1;
      if (this.buf.length === 0) break;
      cut = text.indexOf('\n', taken);
    }
    return taken;
  }

  /** Flushes the last line (a file need not end with a newline). */
  end(): void {
    if (this.buf.length > 0) this.consume(this.buf + '\n', 0, true);
    this.buf = '';
  }

  /**
   * Emits every complete record in s; returns the index of the first unconsumed character. A line
   * ends at LF, CRLF or a lone CR (old Mac files). Text without CR takes a loop that only looks for
   * LF (kept separate: V8 optimises the simpler loop much better).
   */
  private consume(s: string, from: number, final: boolean): number {
    const cr = s.indexOf('\r', from);
    if (cr !== -1) return this.consumeCr(s, from, final, cr);
    return this.consumeLf(s, from, final);
  }

  private consumeLf(s: string, from: number, final: boolean): number {
    const n = s.length;
    let pos = from;
    let q = this.ws ? -1 : s.indexOf('"', from);
    while (pos < n) {
      const nl = s.indexOf('\n', pos);
      if (nl === -1) return pos;
      if (q !== -1 && q < pos) q = s.indexOf('"', pos);
      if (q === -1 || q > nl) {
        if (nl > pos) this.emitPlain(s, pos, nl);
        this.line++;
        pos = nl + 1;
        continue;
      }
      const after = this.quotedRecord(s, pos, final);
      if (after === -1) return pos;
      pos = after;
    }
    return pos;
  }

  /**
   * The same for text with CRs. A CR that ends an unfinished buffer waits for the next piece, which
   * may start with the LF of the same CRLF.
   */
  private consumeCr(s: string, from: number, final: boolean, cr: number): number {
    const n = s.length;
    let pos = from;
    let q = this.ws ? -1 : s.indexOf('"', from);
    // Once no LF is left (CR-only files), stop searching for one on every line.
    let noLf = false;
    while (pos < n) {
      const nl = noLf ? -1 : s.indexOf('\n', pos);
      if (nl === -1) noLf = true;
      if (cr !== -1 && cr < pos) cr = s.indexOf('\r', pos);
      // End of this line's text (eol) and the start of the next line (next).
      let eol: number;
      let next: number;
      if (cr !== -1 && (nl === -1 || cr < nl)) {
        if (cr + 1 === n && !final) return pos;
        eol = cr;
        next = nl === cr + 1 ? cr + 2 : cr + 1;
      } else if (nl !== -1) {
        eol = nl;
        next = nl + 1;
      } else return pos;
      if (q !== -1 && q < pos) q = s.indexOf('"', pos);
      if (q === -1 || q > eol) {
        if (eol > pos) this.emitPlain(s, pos, eol);
        this.line++;
        pos = next;
        continue;
      }
      const after = this.quotedRecord(s, pos, final);
      if (after === -1) return pos;
      pos = after;
    }
    return pos;
  }

  private emitPlain(s: string, start: number, end: number): void {
    const fields = this.ws ? splitWhitespace(s, start, end) : s.slice(start, end).split(this.delim);
    // Blank (or whitespace-only) lines are counted but carry no row.
    if (fields.length === 0 || (fields.length === 1 && fields[0].trim() === '')) return;
    this.sink(fields, this.line);
  }

  /**
   * Parses one record starting at pos that contains a quote before its end of line. Returns the
   * index after its line break, or -1 when the buffer ends first (wait for more text). A quoted
   * field must close right before a delimiter, a line break or the end of the text; anything else
   * (a closing quote followed by text, or no closing quote at all by the end of the file) means the
   * quote was a stray one, and the first line is re-read as plain text — one malformed line then
   * costs one row instead of swallowing or merging the lines after it.
   */
  private quotedRecord(s: string, pos: number, final: boolean): number {
    const n = s.length;
    const dc = this.delimCode;
    const fields: string[] = [];
    let i = pos;
    for (;;) {
      if (s.charCodeAt(i) === QUOTE) {
        let value = '';
        let j = i + 1;
        for (;;) {
          const close = s.indexOf('"', j);
          // A quote at the very end of an unfinished buffer may be the first half of "".
          if (close === -1 || (close === n - 1 && !final)) return this.wait(s, pos, final);
          if (s.charCodeAt(close + 1) === QUOTE) {
            value += s.slice(j, close + 1);
            j = close + 2;
            continue;
          }
          value += s.slice(j, close);
          i = close + 1;
          break;
        }
        fields.push(value);
        const c = s.charCodeAt(i);
        if (c === dc) {
          i++;
          continue;
        }
        if (c === LF) return this.emitRecord(fields, s, pos, i, i + 1);
        if (c === CR) {
          if (i + 1 === n) return this.wait(s, pos, final);
          return this.emitRecord(fields, s, pos, i, s.charCodeAt(i + 1) === LF ? i + 2 : i + 1);
        }
        return this.strayQuote(s, pos);
      }
      // Unquoted field: up to the delimiter or the end of the line.
      let k = i;
      let c = s.charCodeAt(k);
      while (k < n && c !== dc && c !== LF && c !== CR) c = s.charCodeAt(++k);
      if (k >= n || (c === CR && k + 1 === n)) return this.wait(s, pos, final);
      fields.push(s.slice(i, k));
      if (c === LF) return this.emitRecord(fields, s, pos, k, k + 1);
      if (c === CR) return this.emitRecord(fields, s, pos, k, s.charCodeAt(k + 1) === LF ? k + 2 : k + 1);
      i = k + 1;
    }
  }

  /** The record runs past the buffer: wait for more text, unless it is final or too long already. */
  private wait(s: string, pos: number, final: boolean): number {
    return final || s.length - pos > MAX_QUOTED_CHARS ? this.strayQuote(s, pos) : -1;
  }

  /** Emits a record spanning s[pos, eol), advances the line counter past its line breaks, returns next. */
  private emitRecord(fields: string[], s: string, pos: number, eol: number, next: number): number {
    this.sink(fields, this.line);
    this.line += 1 + countBreaks(s, pos, eol);
    return next;
  }

  /** A quote that does not form a proper quoted field: split its line with quotes as plain characters. */
  private strayQuote(s: string, pos: number): number {
    const n = s.length;
    let k = pos;
    let c = s.charCodeAt(k);
    while (k < n && c !== LF && c !== CR) c = s.charCodeAt(++k);
    // Only reached with a line break in s (final text ends in one; otherwise > MAX_QUOTED_CHARS).
    if (k > pos) this.emitPlain(s, pos, k);
    this.line++;
    return c === CR && s.charCodeAt(k + 1) === LF ? k + 2 : k + 1;
  }
}

/** Line breaks (LF, CRLF or lone CR) inside s[start, end). */
function countBreaks(s: string, start: number, end: number): number {
  let count = 0;
  for (let p = start; p < end; p++) {
    const c = s.charCodeAt(p);
    if (c === LF || (c === CR && s.charCodeAt(p + 1) !== LF)) count++;
  }
  return count;
}

/** True for the characters String.prototype.trim removes (WhiteSpace and LineTerminator). */
export function isTrimSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return (
    c === 160 || c === 5760 || (c >= 8192 && c <= 8202) || c === 8232 || c === 8233 || c === 8239 || c === 8287 || c === 12288 || c === 65279
  );
}
