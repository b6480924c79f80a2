// Import auto-detection from the head of a file: delimiter, header, layout, role mapping, dates.
// Nothing here is silent: every guess that matters leaves a note, and an undecidable day/month
// order is returned as `ambiguousDate` for the user to settle.

import type { DateFormat, Delimiter, Detection, LayoutId, Mapping } from './schema';
import { RowSplitter } from './rows';
import { looksLikeHeader, mapHeader } from './roles';
import { isNumeric } from './numbers';
import { guessDateFormats } from './dates';
import { recognisePreset } from './presets';

/** Rows examined for the delimiter and header; date detection uses every row in the head. */
const SCORE_ROWS = 200;
const SAMPLE_ROWS = 20;
const DELIMITERS: readonly Exclude<Delimiter, 'whitespace'>[] = [',', '\t', ';', '|'];

/** Splits the complete records of head (a trailing partial line is left out). */
export function splitHead(head: string, delimiter: Delimiter, maxRows = Infinity): string[][] {
  const rows: string[][] = [];
  const splitter = new RowSplitter(delimiter, (fields) => {
    if (rows.length < maxRows) rows.push(fields);
  });
  // The last line break of either kind (CR-only files have no LF at all).
  const lastBreak = Math.max(head.lastIndexOf('\n'), head.lastIndexOf('\r'));
  splitter.push(lastBreak === -1 ? head : head.slice(0, lastBreak + 1));
  splitter.end();
  return rows;
}

interface Shape {
  delimiter: Delimiter;
  /** Most common field count and the share of rows that have it. */
  mode: number;
  share: number;
  /** The first row (a header, often) has the common field count. */
  firstFits: boolean;
}

function shapeOf(head: string, delimiter: Delimiter): Shape {
  const rows = splitHead(head, delimiter, SCORE_ROWS);
  const counts = new Map<number, number>();
  for (const r of rows) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
  let mode = 0;
  let best = 0;
  for (const [n, c] of counts) if (c > best || (c === best && n > mode)) [mode, best] = [n, c];
  return { delimiter, mode, share: rows.length ? best / rows.length : 0, firstFits: rows.length > 0 && rows[0].length === mode };
}

/** Every comma in the text sits between two digits: decimal commas ("1,50"), not a delimiter. */
function commasLookDecimal(head: string): boolean {
  let seen = false;
  for (let i = head.indexOf(','); i !== -1; i = head.indexOf(',', i + 1)) {
    const a = head.charCodeAt(i - 1);
    const b = head.charCodeAt(i + 1);
    if (!(a >= 48 && a <= 57 && b >= 48 && b <= 57)) return false;
    seen = true;
  }
  return seen;
}

/** True when a should be picked over b (both consistent): more fields, then a fitting first row, then share. */
function better(a: Shape, b: Shape): boolean {
  if (a.mode !== b.mode) return a.mode > b.mode;
  if (a.firstFits !== b.firstFits) return a.firstFits;
  return a.share > b.share;
}

/**
 * Consistent field count ≥ 2 in ≥ 90 % of rows; most fields wins, then a first row (header) of the
 * same width, then the larger share, then the order of DELIMITERS. A comma whose every occurrence
 * sits between digits is a decimal comma when another delimiter is consistent (`K1;1,50;2,00`).
 * Whitespace is only a fallback.
 */
function pickDelimiter(head: string): { delimiter: Delimiter; consistent: boolean } {
  const shapes = DELIMITERS.map((d) => shapeOf(head, d)).filter((s) => s.mode >= 2 && s.share >= 0.9);
  const others = shapes.filter((s) => s.delimiter !== ',');
  const candidates = others.length > 0 && commasLookDecimal(head) ? others : shapes;
  let pick: Shape | null = null;
  for (const s of candidates) if (pick === null || better(s, pick)) pick = s;
  if (pick !== null) return { delimiter: pick.delimiter, consistent: true };
  const ws = shapeOf(head, 'whitespace');
  if (ws.mode >= 2 && ws.share >= 0.9) return { delimiter: 'whitespace', consistent: true };
  return { delimiter: ',', consistent: false };
}

/** One basket per line: comma-separated, varying width, several items on many lines, no numbers. */
function looksLikeBaskets(rows: readonly string[][]): boolean {
  if (rows.length < 2) return false;
  let multi = 0;
  let cells = 0;
  let numeric = 0;
  for (const r of rows) {
    if (r.length > 1) multi++;
    for (const c of r) {
      cells++;
      if (isNumeric(c)) numeric++;
    }
  }
  return multi >= rows.length * 0.2 && numeric <= cells * 0.1;
}

/** A first row is a header if it names a known role, or is text above a numeric column. */
function detectHeader(rows: readonly string[][]): boolean {
  if (rows.length === 0) return false;
  const first = rows[0];
  if (looksLikeHeader(first)) return true;
  const rest = rows.slice(1, SCORE_ROWS);
  if (rest.length === 0) return false;
  return first.some((cell, c) => {
    if (isNumeric(cell) || cell.trim() === '') return false;
    const numeric = rest.filter((r) => r.length > c && isNumeric(r[c])).length;
    return numeric >= rest.length * 0.9;
  });
}

function columnNames(first: readonly string[] | undefined, hasHeader: boolean, width: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < width; i++) {
    const h = hasHeader && first !== undefined ? (first[i] ?? '').trim() : '';
    names.push(h.length > 0 ? h : `column ${i + 1}`);
  }
  return names;
}

/** Header cells less trailing empty ones (`a,b,c,` ends in a delimiter, not in a fourth column). */
function headerWidth(header: readonly string[]): number {
  let w = header.length;
  while (w > 1 && header[w - 1].trim() === '') w--;
  return w;
}

function stripBom(head: string): string {
  return head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
}

/** Text after the head's last line break: a line cut by the head's size limit (data may follow). */
function hasCutLine(head: string): boolean {
  const lastBreak = Math.max(head.lastIndexOf('\n'), head.lastIndexOf('\r'));
  return lastBreak !== -1 && head.slice(lastBreak + 1).trim().length > 0;
}

export function previewWith(
  head: string,
  delimiter: Delimiter,
  hasHeader: boolean,
  sampleRows = SAMPLE_ROWS,
): { columns: string[]; sample: string[][] } {
  const rows = splitHead(stripBom(head), delimiter, sampleRows + 1);
  const data = hasHeader ? rows.slice(1) : rows;
  const width = hasHeader && rows.length > 0 ? headerWidth(rows[0]) : Math.max(0, ...data.map((r) => r.length));
  return { columns: columnNames(rows[0], hasHeader, width), sample: data.slice(0, sampleRows) };
}

export function detectImport(head: string, fileName: string): Detection {
  const notes: string[] = [];
  if (head.charCodeAt(0) === 0xfeff) {
    notes.push('UTF-8 BOM removed');
    head = head.slice(1);
  }
  const { delimiter, consistent } = pickDelimiter(head);
  const all = splitHead(head, delimiter);

  if (!consistent && looksLikeBaskets(all.slice(0, SCORE_ROWS))) {
    const width = Math.max(0, ...all.map((r) => r.length));
    notes.push('One basket per line: each line is an order, each item a purchase; no dates');
    return {
      delimiter,
      hasHeader: false,
      columns: columnNames(undefined, false, width),
      layout: 'baskets',
      mapping: {},
      dateFormat: null,
      ambiguousDate: null,
      sample: all.slice(0, SAMPLE_ROWS),
      notes,
    };
  }
  if (!consistent) notes.push(`No consistent delimiter found in ${fileName || 'the file'}; please check the settings`);

  const hasHeader = detectHeader(all);
  const header = hasHeader ? all[0].slice(0, headerWidth(all[0])) : null;
  const data = hasHeader ? all.slice(1) : all;
  const width = header?.length ?? shapeOf(head, delimiter).mode;
  if (hasHeader && data.length === 0 && !hasCutLine(head)) notes.push('The file has no data rows, only a header');
  const columns = columnNames(all[0], hasHeader, width);

  const preset = recognisePreset(delimiter, header, data.slice(0, SCORE_ROWS));
  let layout: LayoutId;
  let mapping: Mapping = hasHeader ? mapHeader(columns) : {};
  if (preset !== null) {
    layout = preset.layout;
    if (preset.mapping) mapping = { ...preset.mapping };
    notes.push(preset.note);
  } else {
    layout = mapping.customer !== undefined && (mapping.item !== undefined || mapping.amount !== undefined || mapping.rating !== undefined) ? 'event-log' : 'custom';
    if (layout === 'custom') notes.push('Layout not recognised: map the columns by hand');
  }

  // Headerless custom files: at least find the date column by its values.
  if (mapping.timestamp === undefined && !hasHeader && layout === 'custom') {
    for (let c = 0; c < width; c++) {
      if (guessDateFormats(data.slice(0, SCORE_ROWS).map((r) => r[c] ?? '')).formats.length > 0) {
        mapping.timestamp = c;
        break;
      }
    }
  }

  let dateFormat: DateFormat | null = null;
  let ambiguousDate: Detection['ambiguousDate'] = null;
  const tc = mapping.timestamp;
  if (tc !== undefined) {
    const values = data.map((r) => r[tc] ?? '');
    // A column its header names as the date keeps that role when most values parse: the few
    // that don't become bad rows, reported, rather than the whole column being dropped.
    const guess = guessDateFormats(values, hasHeader ? 0.5 : 0.9);
    if (preset?.dateFormat && (guess.formats.includes(preset.dateFormat) || guess.seen === 0)) {
      dateFormat = preset.dateFormat;
    } else if (guess.formats.length === 1) {
      dateFormat = guess.formats[0];
    } else if (guess.formats.length > 1 && preset?.slashOrder) {
      dateFormat = preset.slashOrder;
      notes.push(`Dates read as ${preset.slashOrder === 'mdy' ? 'month/day/year' : 'day/month/year'}, the convention of this layout`);
    } else if (guess.formats.length > 1) {
      const examples = [...new Set(values.map((v) => v.trim()).filter((v) => v))].slice(0, 5);
      ambiguousDate = { column: tc, candidates: guess.formats, examples };
      notes.push(`Day/month order in column ${tc + 1} (${columns[tc]}) cannot be told from the first ${values.length} rows: please choose`);
    } else {
      notes.push(`Column ${tc + 1} (${columns[tc]}) is not in a known date format; it is left unmapped`);
      delete mapping.timestamp;
    }
  }

  return {
    delimiter,
    hasHeader,
    columns,
    layout,
    mapping,
    dateFormat,
    ambiguousDate,
    sample: data.slice(0, SAMPLE_ROWS),
    notes,
  };
}
