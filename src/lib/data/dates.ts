// Hand-written date parsers, one per DateFormat: no regex and no Date.parse in the hot path, and
// no local time zone anywhere (a time without zone is UTC).

import type { DateFormat } from './schema';
import type { CellDecoder } from './byte-rows';

const MS_PER_DAY = 86_400_000;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** ms since epoch, or NaN when the fields do not form a real date/time. */
export function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  if (mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH[mo - 1]) return NaN;
  if (mo === 2 && d === 29 && !isLeap(y)) return NaN;
  if (h > 24 || mi > 59 || s > 60) return NaN;
  return daysFromCivil(y, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + s) * 1000 + ms;
}

/** Reads `count` digits at i; -1 if any is not a digit. */
function digits(s: string, i: number, count: number): number {
  let v = 0;
  for (let k = 0; k < count; k++) {
    const c = s.charCodeAt(i + k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** Parses `HH:MM[:SS[.fff]]` from i; returns ms of day and the end index, or null. */
function parseClock(s: string, i: number, oneDigitHour: boolean): { ms: number; end: number } | null {
  let h: number;
  if (oneDigitHour && isDigit(s, i) && s.charCodeAt(i + 1) === 58) {
    h = s.charCodeAt(i) - 48;
    i += 1;
  } else {
    h = digits(s, i, 2);
    if (h < 0) return null;
    i += 2;
  }
  if (s.charCodeAt(i) !== 58) return null;
  const mi = digits(s, i + 1, 2);
  if (mi < 0) return null;
  i += 3;
  let sec = 0;
  let frac = 0;
  if (s.charCodeAt(i) === 58) {
    sec = digits(s, i + 1, 2);
    if (sec < 0) return null;
    i += 3;
    if (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44) {
      i++;
      let scale = 100;
      while (isDigit(s, i)) {
        frac += (s.charCodeAt(i) - 48) * scale;
        scale /= 10;
        i++;
      }
      frac = Math.round(frac);
    }
  }
  if (h > 23 || mi > 59 || sec > 59) return null;
  return { ms: ((h * 60 + mi) * 60 + sec) * 1000 + frac, end: i };
}

/** ISO 8601: YYYY-MM-DD, optionally [T ]HH:MM[:SS[.fff]] and Z / ±HH[:MM]. '/' or '.' also accepted. */
export function parseIso(s: string): number {
  const n = s.length;
  const y = digits(s, 0, 4);
  if (y < 0 || n < 10) return NaN;
  const sep = s.charCodeAt(4);
  if ((sep !== 45 && sep !== 47 && sep !== 46) || s.charCodeAt(7) !== sep) return NaN;
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (mo < 0 || d < 0) return NaN;
  const day = utcMs(y, mo, d, 0, 0, 0, 0);
  if (n === 10 || day !== day) return day;
  const t = s.charCodeAt(10);
  if (t !== 84 && t !== 32 && t !== 116) return NaN;
  // Excel writes yyyy-mm-dd h:mm, so the hour may have one digit.
  const clock = parseClock(s, 11, true);
  if (clock === null) return NaN;
  let i = clock.end;
  let offset = 0;
  if (i < n) {
    const z = s.charCodeAt(i);
    if (z === 90 || z === 122) i++;
    else if (z === 43 || z === 45) {
      const oh = digits(s, i + 1, 2);
      if (oh < 0) return NaN;
      i += 3;
      let om = 0;
      if (s.charCodeAt(i) === 58) i++;
      if (i < n) {
        om = digits(s, i, 2);
        if (om < 0) return NaN;
        i += 2;
      }
      offset = (z === 45 ? -1 : 1) * (oh * 60 + om) * 60_000;
    }
    if (i !== n) return NaN;
  }
  return day + clock.ms - offset;
}

/** YYYYMMDD, e.g. 19970101. */
export function parseYmdCompact(s: string): number {
  if (s.length !== 8) return NaN;
  const y = digits(s, 0, 4);
  const mo = digits(s, 4, 2);
  const d = digits(s, 6, 2);
  if (y < 0 || mo < 0 || d < 0) return NaN;
  return utcMs(y, mo, d, 0, 0, 0, 0);
}

/** Reads a 1- or 2-digit number at i; returns value*4 + length (packed, -1 if none). */
function small(s: string, i: number): number {
  if (!isDigit(s, i)) return -1;
  if (isDigit(s, i + 1)) return (((s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48) << 2) | 2;
  return ((s.charCodeAt(i) - 48) << 2) | 1;
}

/** Two-digit years: 00–68 → 2000s, 69–99 → 1900s (the POSIX strptime rule). */
function fullYear(y: number, len: number): number {
  if (len === 4) return y;
  return y < 69 ? 2000 + y : 1900 + y;
}

/**
 * `a/b/y[ H:MM[:SS]][ AM|PM]` with '/', '.' or '-' separators; dayFirst picks d/m or m/d.
 * This is also how the detector asks "is position 1 or 2 above 12?" (see splitDayMonth).
 */
export function parseSlashDate(s: string, dayFirst: boolean): number {
  const p = splitDayMonth(s);
  if (p === null) return NaN;
  const mo = dayFirst ? p.b : p.a;
  const d = dayFirst ? p.a : p.b;
  const day = utcMs(p.y, mo, d, 0, 0, 0, 0);
  return day !== day ? NaN : day + p.timeMs;
}

/** The parts of a slash date before day/month order is applied; null when it is not one. */
export function splitDayMonth(s: string): { a: number; b: number; y: number; timeMs: number } | null {
  const n = s.length;
  const pa = small(s, 0);
  if (pa < 0) return null;
  let i = pa & 3;
  const sep = s.charCodeAt(i);
  if (sep !== 47 && sep !== 46 && sep !== 45) return null;
  const pb = small(s, i + 1);
  if (pb < 0) return null;
  i += 1 + (pb & 3);
  if (s.charCodeAt(i) !== sep) return null;
  i++;
  let ylen = 0;
  while (ylen < 5 && isDigit(s, i + ylen)) ylen++;
  if (ylen !== 2 && ylen !== 4) return null;
  const y = fullYear(digits(s, i, ylen), ylen);
  i += ylen;
  let timeMs = 0;
  if (i < n) {
    const t = s.charCodeAt(i);
    if (t !== 32 && t !== 84) return null;
    const clock = parseClock(s, i + 1, true);
    if (clock === null) return null;
    timeMs = clock.ms;
    i = clock.end;
    if (i < n) {
      // Optional 12-hour suffix.
      if (s.charCodeAt(i) === 32) i++;
      const ap = s.charCodeAt(i) | 32;
      if ((ap !== 97 && ap !== 112) || (s.charCodeAt(i + 1) | 32) !== 109 || i + 2 !== n) return null;
      const hours = Math.floor(timeMs / 3_600_000);
      if (hours < 1 || hours > 12) return null;
      if (ap === 97 && hours === 12) timeMs -= 12 * 3_600_000;
      if (ap === 112 && hours !== 12) timeMs += 12 * 3_600_000;
    }
  }
  return { a: pa >> 2, b: pb >> 2, y, timeMs };
}

/** Parses one cell in the given format (no trimming beyond what the format allows). NaN if invalid. */
export function parseDate(s: string, format: DateFormat): number {
  switch (format) {
    case 'iso':
      return parseIso(s);
    case 'yyyymmdd':
      return parseYmdCompact(s);
    case 'mdy':
      return parseSlashDate(s, false);
    case 'dmy':
      return parseSlashDate(s, true);
    case 'unix-s':
    case 'unix-ms': {
      // Plain decimals only: `+s` alone would also take "0x10", "1e9" or "Infinity".
      if (!isUnixNumber(s)) return NaN;
      const v = +s;
      return format === 'unix-s' ? Math.round(v * 1000) : Math.round(v);
    }
  }
}

/** Optional '-', digits, and at most one decimal point with digits around or after it. */
function isUnixNumber(s: string): boolean {
  const n = s.length;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  let seenDigit = false;
  let seenPoint = false;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) seenDigit = true;
    else if (c === 46 && !seenPoint) seenPoint = true;
    else return false;
  }
  return seenDigit;
}

/**
 * Dates outside 1900–2200 are placeholders (0001-01-01, 9999-12-31) or misread numbers; they are
 * rejected as implausible (which also keeps every accepted time inside the range of Date).
 */
export const MIN_PLAUSIBLE_TIME = Date.UTC(1900, 0, 1);
export const MAX_PLAUSIBLE_TIME = Date.UTC(2201, 0, 1);
export const PLAUSIBLE_YEARS = '1900–2200';

export function isPlausibleTime(t: number): boolean {
  return t >= MIN_PLAUSIBLE_TIME && t < MAX_PLAUSIBLE_TIME;
}

/** A parser for one column: trims, and remembers the last string (consecutive rows share dates). */
export class DateParser {
  private lastText = '\u0000';
  private lastValue = NaN;
  /** The last cell parseBytes read, as bytes, and its value (apart from parse's: the two interleave). */
  private lastBytes = new Uint8Array(32);
  private lastLength = -1;
  private lastBytesValue = NaN;
  constructor(readonly format: DateFormat) {}

  /** parse() of the cell bytes[start, end), decoded only when it differs from the last one. */
  parseBytes(bytes: Uint8Array, start: number, end: number, cells: CellDecoder): number {
    const len = end - start;
    const last = this.lastBytes;
    if (len === this.lastLength) {
      let k = 0;
      while (k < len && last[k] === bytes[start + k]) k++;
      if (k === len) return this.lastBytesValue;
    }
    let v = this.format === 'iso' ? isoSecondsUtc(bytes, start, end) : NaN;
    if (v !== v) v = this.parse(cells.text(bytes, start, end));
    if (len > last.length) this.lastBytes = new Uint8Array(2 * len);
    this.lastBytes.set(bytes.subarray(start, end));
    this.lastLength = len;
    this.lastBytesValue = v;
    return v;
  }

  parse(s: string): number {
    if (s === this.lastText) return this.lastValue;
    const c0 = s.charCodeAt(0);
    const cl = s.charCodeAt(s.length - 1);
    const t = c0 === 32 || c0 === 9 || cl === 32 || cl === 9 ? s.trim() : s;
    const v = parseDate(t, this.format);
    this.lastText = s;
    this.lastValue = v;
    return v;
  }
}

/**
 * `YYYY-MM-DDTHH:MM:SSZ`, the shape most exports write, read straight from the bytes (no string);
 * NaN for anything else, which parse() then decides. Same value as parseIso for this shape.
 */
function isoSecondsUtc(b: Uint8Array, a: number, e: number): number {
  if (e - a !== 20 || b[a + 4] !== 45 || b[a + 7] !== 45 || b[a + 10] !== 84 || b[a + 13] !== 58 || b[a + 16] !== 58 || b[a + 19] !== 90)
    return NaN;
  const century = twoDigits(b, a);
  const year = twoDigits(b, a + 2);
  const mo = twoDigits(b, a + 5);
  const d = twoDigits(b, a + 8);
  const h = twoDigits(b, a + 11);
  const mi = twoDigits(b, a + 14);
  const sec = twoDigits(b, a + 17);
  // A negative field means a non-digit; out-of-range clock fields are parseClock's to judge.
  if (century < 0 || year < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0 || h > 23 || mi > 59 || sec > 59) return NaN;
  return utcMs(century * 100 + year, mo, d, h, mi, sec, 0);
}

/** The two ASCII digits at b[i], or a negative number when either is not a digit. */
function twoDigits(b: Uint8Array, i: number): number {
  const hi = b[i] - 48;
  const lo = b[i + 1] - 48;
  return hi >= 0 && hi <= 9 && lo >= 0 && lo <= 9 ? hi * 10 + lo : -1;
}

/** How each format is written, for messages. */
export const DATE_FORMAT_LABELS: Record<DateFormat, string> = {
  iso: 'ISO 8601 (2024-03-31 or 2024-03-31T14:05:00Z)',
  'unix-s': 'Unix seconds',
  'unix-ms': 'Unix milliseconds',
  yyyymmdd: 'YYYYMMDD',
  mdy: 'month/day/year',
  dmy: 'day/month/year',
};

/** Unix timestamps are accepted as dates only within 1973–2286 (s) or 1973–2286 (ms). */
const UNIX_S_MIN = 1e8;
const UNIX_S_MAX = 1e10;

export interface DateGuess {
  /** Formats that read (nearly) every non-empty value; ['mdy','dmy'] means ambiguous. */
  formats: DateFormat[];
  /** Non-empty values examined. */
  seen: number;
}

/**
 * Which formats fit a column's sample. A format fits when at least 90 % of the non-empty values
 * parse. For slash dates a single value > 12 in the first (second) position rules out m/d (d/m).
 */
export function guessDateFormats(values: readonly string[], minShare = 0.9): DateGuess {
  const vals = values.map((v) => v.trim()).filter((v) => v.length > 0);
  const seen = vals.length;
  if (seen === 0) return { formats: [], seen };
  const need = Math.ceil(seen * minShare);
  const fits = (f: (v: string) => boolean): boolean => {
    let ok = 0;
    for (const v of vals) if (f(v)) ok++;
    return ok >= need;
  };
  if (fits((v) => parseIso(v) === parseIso(v))) return { formats: ['iso'], seen };
  if (fits((v) => v.length === 8 && parseYmdCompact(v) === parseYmdCompact(v) && v[0] >= '1' && v[0] <= '2'))
    return { formats: ['yyyymmdd'], seen };
  // Fractional seconds (1700000000.5) count too: one decimal point is allowed.
  const num = (v: string): number => (v.charCodeAt(0) !== 45 && isUnixNumber(v) ? +v : NaN);
  if (fits((v) => num(v) >= UNIX_S_MIN && num(v) < UNIX_S_MAX)) return { formats: ['unix-s'], seen };
  if (fits((v) => num(v) >= UNIX_S_MIN * 1000 && num(v) < UNIX_S_MAX * 1000)) return { formats: ['unix-ms'], seen };
  let firstOver = false;
  let secondOver = false;
  if (
    fits((v) => {
      const p = splitDayMonth(v);
      if (p === null || p.a < 1 || p.b < 1 || p.a > 31 || p.b > 31) return false;
      if (p.a > 12) firstOver = true;
      if (p.b > 12) secondOver = true;
      return true;
    })
  ) {
    const mdy = fits((v) => parseSlashDate(v, false) === parseSlashDate(v, false));
    const dmy = fits((v) => parseSlashDate(v, true) === parseSlashDate(v, true));
    if (firstOver && !secondOver && dmy) return { formats: ['dmy'], seen };
    if (secondOver && !firstOver && mdy) return { formats: ['mdy'], seen };
    if (!firstOver && !secondOver && mdy && dmy) return { formats: ['mdy', 'dmy'], seen };
    if (mdy && !dmy) return { formats: ['mdy'], seen };
    if (dmy && !mdy) return { formats: ['dmy'], seen };
  }
  return { formats: [], seen };
}

