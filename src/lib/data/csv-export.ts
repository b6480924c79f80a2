// CSV out: RFC 4180 quoting, and no cell a spreadsheet would run as a formula (CSV injection).

import type { BadRow } from './schema';

/** A plain decimal number written as text is harmless and stays a number in the spreadsheet. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function textCell(s: string): string {
  const c = s.charCodeAt(0);
  // = + - @ TAB CR start a formula in Excel / LibreOffice / Sheets; a leading ' makes it text.
  if ((c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13) && !PLAIN_NUMBER.test(s)) s = "'" + s;
  // ';' too: Excel in semicolon locales splits on it even in a .csv file.
  if (s.includes('"') || s.includes(',') || s.includes(';') || s.includes('\n') || s.includes('\r')) return '"' + s.replaceAll('"', '""') + '"';
  return s;
}

function cell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isNaN(v) ? '' : String(v);
  return textCell(v);
}

/** RFC 4180 CSV with CRLF line ends (cells with ; quoted too); a text cell starting with = + - @ TAB or CR gets a leading '. */
export function toCsv(header: string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const out: string[] = [header.map(cell).join(',')];
  for (const r of rows) out.push(r.map(cell).join(','));
  return out.join('\r\n') + '\r\n';
}

export const BAD_ROWS_CSV_HEADER = ['line', 'column', 'column_name', 'reason', 'value', 'message'];

export function badRowsCsv(rows: BadRow[]): string {
  return toCsv(
    BAD_ROWS_CSV_HEADER,
    rows.map((b) => [b.line, b.column, b.columnName, b.reason, b.value, b.message]),
  );
}
