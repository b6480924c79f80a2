// Streaming row splitter: decoded text in chunks of any size → fields + 1-based physical line.
// Lines without a quote character take a fast path (native String.split); lines with quotes go
// through a small RFC 4180 state machine that may span chunk boundaries and embedded newlines.

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
 */
export const MAX_QUOTED_CHARS = 1 << 20;

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
    const s = this.buf.length > 0 ? this.buf + text : text;
    const used = this.consume(s, false);
    this.buf = used === s.length ? '' : s.slice(used);
  }

  /** Flushes the last line (a file need not end with a newline). */
  end(): void {
    if (this.buf.length > 0) this.consume(this.buf + '\n', true);
    this.buf = '';
  }

  /** Emits every complete record in s; returns the index of the first unconsumed character. */
  private consume(s: string, final: boolean): number {
    const n = s.length;
    let pos = 0;
    let q = this.ws ? -1 : s.indexOf('"');
    while (pos < n) {
      const nl = s.indexOf('\n', pos);
      if (nl === -1) return pos;
      if (q !== -1 && q < pos) q = s.indexOf('"', pos);
      if (q === -1 || q > nl) {
        let end = nl;
        if (end > pos && s.charCodeAt(end - 1) === CR) end--;
        if (end > pos) this.emitPlain(s, pos, end);
        this.line++;
        pos = nl + 1;
        continue;
      }
      const next = this.quotedRecord(s, pos, final);
      if (next === -1) return pos;
      pos = next;
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
   * index after its terminating newline, or -1 when the buffer ends first (wait for more text).
   */
  private quotedRecord(s: string, pos: number, final: boolean): number {
    const n = s.length;
    const dc = this.delimCode;
    const fields: string[] = [];
    let i = pos;
    for (;;) {
      let value = '';
      if (s.charCodeAt(i) === QUOTE) {
        let j = i + 1;
        for (;;) {
          const close = s.indexOf('"', j);
          if (close === -1 || (close === n - 1 && !final)) {
            if (!final) return n - pos > MAX_QUOTED_CHARS ? this.strayQuote(s, pos) : -1;
            // Unterminated at end of file: the rest (minus the newline end() appended) is the field.
            value += s.slice(j, n - 1);
            fields.push(value);
            this.emitRecord(fields, s, pos, n - 1);
            return n;
          }
          if (s.charCodeAt(close + 1) === QUOTE) {
            value += s.slice(j, close + 1);
            j = close + 2;
            continue;
          }
          value += s.slice(j, close);
          i = close + 1;
          break;
        }
      }
      // Unquoted text (or text after a closing quote) up to the delimiter or end of line.
      let k = i;
      let c = s.charCodeAt(k);
      while (k < n && c !== dc && c !== LF) c = s.charCodeAt(++k);
      if (k >= n) {
        if (!final) return n - pos > MAX_QUOTED_CHARS ? this.strayQuote(s, pos) : -1;
        k = n - 1;
        c = LF;
      }
      let e = k;
      if (c === LF && e > i && s.charCodeAt(e - 1) === CR) e--;
      value += s.slice(i, e);
      fields.push(value);
      if (c === LF) {
        this.emitRecord(fields, s, pos, k);
        return k + 1;
      }
      i = k + 1;
    }
  }

  /** Emits a record spanning s[pos, lf) and advances the line counter past its newlines. */
  private emitRecord(fields: string[], s: string, pos: number, lf: number): void {
    this.sink(fields, this.line);
    let extra = 0;
    for (let p = s.indexOf('\n', pos); p !== -1 && p < lf; p = s.indexOf('\n', p + 1)) extra++;
    this.line += extra + 1;
  }

  /** An opening quote that never closes: split its line with quotes as plain characters. */
  private strayQuote(s: string, pos: number): number {
    const nl = s.indexOf('\n', pos);
    let end = nl;
    if (end > pos && s.charCodeAt(end - 1) === CR) end--;
    if (end > pos) this.emitPlain(s, pos, end);
    this.line++;
    return nl + 1;
  }
}
