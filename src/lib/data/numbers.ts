// Numbers as files write them. `+s` is the fast path; the slow path only runs when it fails.

/** Result of parsing a cell: a finite number, EMPTY for a blank cell, or INVALID. */
export const EMPTY = Number.POSITIVE_INFINITY;
export const INVALID = Number.NEGATIVE_INFINITY;

/**
 * Parses a numeric cell. Blank → EMPTY, unparseable → INVALID. When the file's delimiter is not a
 * comma, a decimal comma ("12,50", common in semicolon files) is accepted too.
 */
export function parseNumber(s: string, allowDecimalComma: boolean): number {
  if (s.length === 0) return EMPTY;
  const v = +s;
  // `+' '` is 0, so a whitespace-only cell must be caught explicitly (only checked when v is 0).
  if (v === v && v !== EMPTY && v !== INVALID) {
    if (v === 0 && s.trim() === '') return EMPTY;
    return v;
  }
  const t = s.trim();
  if (t.length === 0) return EMPTY;
  if (allowDecimalComma) {
    const c = t.indexOf(',');
    if (c !== -1 && t.indexOf(',', c + 1) === -1 && t.indexOf('.') === -1) {
      const w = +(t.slice(0, c) + '.' + t.slice(c + 1));
      if (Number.isFinite(w)) return w;
    }
  }
  return INVALID;
}

/** True for a cell that is a finite number (used by detection, not the hot path). */
export function isNumeric(s: string): boolean {
  const t = s.trim();
  return t.length > 0 && Number.isFinite(+t);
}
