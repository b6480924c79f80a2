// Numbers as files write them. `+s` is the fast path; the slow path (currency signs, thousands
// separators, decimal commas) only runs when it fails.

/** Result of parsing a cell: a finite number, EMPTY for a blank cell, or INVALID. */
export const EMPTY = Number.POSITIVE_INFINITY;
export const INVALID = Number.NEGATIVE_INFINITY;

/** One currency sign before or after the number, with optional spaces: $12.50, € 12,50, 12.50 €. */
const CURRENCY_BEFORE = /^([+-]?)[\s\u00a0\u202f]*[$€£¥₹][\s\u00a0\u202f]*/;
const CURRENCY_AFTER = /[\s\u00a0\u202f]*[$€£¥₹]$/;
/** Thousands groups with one consistent separator, then the decimal part. */
const GROUPED_DOT_DECIMAL = /^[+-]?\d{1,3}([,\u00a0\u202f' ])\d{3}(?:\1\d{3})*(?:\.\d+)?$/;
const GROUPED_COMMA_DECIMAL = /^[+-]?\d{1,3}([.\u00a0\u202f' ])\d{3}(?:\1\d{3})*(?:,\d+)?$/;

/** True when s (after leading spaces) starts 0x / 0b / 0o, which `+s` reads as hex/binary/octal. */
function isRadixLiteral(s: string): boolean {
  let i = 0;
  while (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9) i++;
  if (s.charCodeAt(i) !== 48) return false;
  const c = s.charCodeAt(i + 1) | 32;
  return c === 120 || c === 98 || c === 111;
}

/**
 * Parses a numeric cell. Blank → EMPTY, unparseable → INVALID. `decimalComma` (files not split on
 * commas) picks the decimal mark of grouped numbers: "1.234,50" then, "1,234.50" otherwise; a lone
 * decimal comma ("12,50") is accepted only then. One currency sign is ignored.
 */
export function parseNumber(s: string, decimalComma: boolean): number {
  if (s.length === 0) return EMPTY;
  const v = +s;
  // `+' '` is 0, so a whitespace-only cell must be caught explicitly (only checked when v is 0).
  if (v === v && v !== EMPTY && v !== INVALID) {
    if (v === 0 && s.trim() === '') return EMPTY;
    // Only a leading 0 can start 0x10 / 0b1 / 0o7; the check costs one comparison otherwise.
    if (s.charCodeAt(0) === 48 || s.charCodeAt(0) <= 32) {
      if (isRadixLiteral(s)) return INVALID;
    }
    return v;
  }
  let t = s.trim();
  if (t.length === 0) return EMPTY;
  t = t.replace(CURRENCY_BEFORE, '$1').replace(CURRENCY_AFTER, '');
  if (t.length === 0 || isRadixLiteral(t)) return INVALID;
  const w = +t;
  if (w === w && w !== EMPTY && w !== INVALID && t.trim() === t) return w;
  if (decimalComma) {
    const c = t.indexOf(',');
    if (c !== -1 && t.indexOf(',', c + 1) === -1 && t.indexOf('.') === -1) {
      const x = +(t.slice(0, c) + '.' + t.slice(c + 1));
      if (Number.isFinite(x)) return x;
    }
  }
  const g = (decimalComma ? GROUPED_COMMA_DECIMAL : GROUPED_DOT_DECIMAL).exec(t);
  if (g !== null) {
    let plain = t.replaceAll(g[1], '');
    if (decimalComma) plain = plain.replace(',', '.');
    const x = +plain;
    if (Number.isFinite(x)) return x;
  }
  return INVALID;
}

/** True for a cell that is a finite number (used by detection, not the hot path). */
export function isNumeric(s: string): boolean {
  const t = s.trim();
  return t.length > 0 && Number.isFinite(+t) && !isRadixLiteral(t);
}

/** 10^k for k ≤ 15, exact in float64. */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * The plain decimal in the bytes (ASCII) [start, end) (`-`? digits, at most one `.`, at most 15
 * digits in all) read without making a string, or NaN for anything else (the caller then decodes
 * the cell for parseNumber). The value equals `+text`: the digits form an integer below 2^53 and
 * 10^k (k ≤ 15) is exact, so the one division is correctly rounded, as JavaScript's own
 * string-to-number conversion is.
 */
export function parsePlainDecimal(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  const neg = bytes[i] === 45;
  if (neg) i++;
  let m = 0;
  let count = 0;
  let scale = 0;
  let point = false;
  for (; i < end; i++) {
    const d = bytes[i] - 48;
    if (d >= 0 && d <= 9) {
      m = m * 10 + d;
      count++;
      if (point) scale++;
    } else if (d === -2 && !point) point = true;
    else return NaN;
  }
  if (count === 0 || count > 15) return NaN;
  const v = scale === 0 ? m : m / POW10[scale];
  return neg ? -v : v;
}
