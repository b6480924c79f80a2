// A customer table (one row per customer, a header, comma/tab/semicolon-separated) parsed into
// typed columns, plus the helpers a propensity model needs around it: which column is the target,
// the target as 0/1, and warnings for columns that would leak the answer into the model.

import { RowSplitter } from '../data/rows';
import { EMPTY, INVALID, parseNumber } from '../data/numbers';
import { rocAuc } from '../eval/classification';

export type TableColumn =
  /** NaN = missing. */
  | { name: string; kind: 'numeric'; values: Float64Array }
  /** -1 = missing; levels in order of first appearance. */
  | { name: string; kind: 'categorical'; codes: Int32Array; levels: string[] };

export interface CustomerTable {
  fileName: string;
  rows: number;
  columns: TableColumn[];
}

/** Which column is the outcome and which of its values counts as the positive class. */
export interface TargetSpec {
  column: string;
  positive: string;
}

/** A row the parser cannot use; `line` is the 1-based physical line (the header is line 1). */
export class TableParseError extends Error {
  constructor(
    readonly fileName: string,
    readonly line: number,
    /** 1-based column, or null when the problem is the whole row. */
    readonly column: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'TableParseError';
  }
}

/** Cells read as "no value" in a numeric column. "unknown" stays a level in a categorical one (bank-full uses it so). */
const MISSING_NUMERIC = new Set(['', 'na', 'n/a', 'nan', 'null', '?', 'unknown']);
/** Only a truly empty cell is missing in a categorical column. */
const isBlank = (s: string) => s.trim() === '';

/** The delimiter that splits the header into the most fields (ties prefer comma). */
export function detectTableDelimiter(text: string): ',' | '\t' | ';' {
  const nl = text.search(/\r|\n/);
  const header = nl === -1 ? text : text.slice(0, nl);
  let best: ',' | '\t' | ';' = ',';
  let bestCount = -1;
  for (const d of [',', '\t', ';'] as const) {
    const count = header.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** Parses a whole customer table. Throws TableParseError on a row with the wrong number of fields. */
export function parseCustomerTable(text: string, fileName: string): CustomerTable {
  const delimiter = detectTableDelimiter(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  let header: string[] | null = null;
  const cells: string[][] = [];
  const splitter = new RowSplitter(delimiter, (fields, line) => {
    if (header === null) {
      header = fields.map((f) => f.trim());
      const seen = new Set<string>();
      header.forEach((name, c) => {
        if (name === '') throw new TableParseError(fileName, line, c + 1, `${fileName}, line ${line}, column ${c + 1}: the header has an empty column name`);
        if (seen.has(name)) throw new TableParseError(fileName, line, c + 1, `${fileName}, line ${line}, column ${c + 1}: the column name "${name}" appears twice`);
        seen.add(name);
      });
      header.forEach(() => cells.push([]));
      return;
    }
    // A blank line (one empty field) is skipped, as spreadsheets often leave one at the end.
    if (fields.length === 1 && fields[0].trim() === '' && header.length > 1) return;
    if (fields.length !== header.length) {
      const column = Math.min(fields.length, header.length) + 1;
      throw new TableParseError(
        fileName,
        line,
        column,
        `${fileName}, line ${line}, column ${column}: expected ${header.length} fields, found ${fields.length}`,
      );
    }
    for (let c = 0; c < fields.length; c++) cells[c].push(fields[c]);
  });
  splitter.push(text);
  splitter.end();
  // (Read through a cast: TypeScript cannot see the callback's assignment and narrows to null.)
  const names = header as string[] | null;
  if (names === null) throw new TableParseError(fileName, 1, null, `${fileName}: the file is empty (a header line is needed)`);
  const rows = cells.length > 0 ? cells[0].length : 0;
  const decimalComma = delimiter !== ',';
  return { fileName, rows, columns: names.map((name, c) => toColumn(name, cells[c], decimalComma)) };
}

/** Numeric when every non-missing cell is a number (and at least one is); categorical otherwise. */
function toColumn(name: string, cells: string[], decimalComma: boolean): TableColumn {
  const values = new Float64Array(cells.length);
  let numeric = true;
  let any = false;
  for (let r = 0; r < cells.length && numeric; r++) {
    const s = cells[r].trim();
    if (MISSING_NUMERIC.has(s.toLowerCase())) {
      values[r] = NaN;
      continue;
    }
    const v = parseNumber(s, decimalComma);
    if (v === EMPTY || v === INVALID) numeric = false;
    else {
      values[r] = v;
      any = true;
    }
  }
  if (numeric && any) return { name, kind: 'numeric', values };
  const levels: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(cells.length);
  for (let r = 0; r < cells.length; r++) {
    const s = cells[r].trim();
    if (isBlank(s)) {
      codes[r] = -1;
      continue;
    }
    let code = index.get(s);
    if (code === undefined) {
      code = levels.length;
      levels.push(s);
      index.set(s, code);
    }
    codes[r] = code;
  }
  return { name, kind: 'categorical', codes, levels };
}

/** The rows given (in that order) of every column; levels are kept so codes stay comparable. */
export function subsetTable(table: CustomerTable, rows: ArrayLike<number>): CustomerTable {
  const n = rows.length;
  const columns = table.columns.map((col): TableColumn => {
    if (col.kind === 'numeric') {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = col.values[rows[i]];
      return { name: col.name, kind: 'numeric', values };
    }
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = col.codes[rows[i]];
    return { name: col.name, kind: 'categorical', codes, levels: col.levels };
  });
  return { fileName: table.fileName, rows: n, columns };
}

export function findColumn(table: CustomerTable, name: string): TableColumn {
  const col = table.columns.find((c) => c.name === name);
  if (!col) throw new Error(`${table.fileName} has no column "${name}" (columns: ${table.columns.map((c) => c.name).join(', ')})`);
  return col;
}

/** The distinct non-missing values of a column as text. */
function distinctValues(col: TableColumn): string[] {
  if (col.kind === 'categorical') {
    const used = new Set<number>();
    for (const code of col.codes) if (code >= 0) used.add(code);
    return col.levels.filter((_, i) => used.has(i));
  }
  const set = new Set<number>();
  for (const v of col.values) if (v === v) set.add(v);
  return [...set].sort((a, b) => a - b).map(String);
}

const TARGET_NAMES = ['y', 'target', 'churn', 'churned', 'converted', 'conversion', 'label', 'outcome', 'class', 'response', 'purchased', 'bought'];
const POSITIVE_VALUES = ['yes', 'y', 'true', 't', '1', 'positive', 'pos'];

/**
 * A likely target: a column with exactly two values, preferring well-known names, then the last
 * such column (tables usually end with the outcome). The positive value guessed from yes/true/1,
 * else the rarer value. Null when no column is binary.
 */
export function suggestTarget(table: CustomerTable): TargetSpec | null {
  const binary = table.columns.filter((c) => distinctValues(c).length === 2);
  if (binary.length === 0) return null;
  const named = binary.find((c) => TARGET_NAMES.includes(c.name.trim().toLowerCase()));
  const col = named ?? binary[binary.length - 1];
  const positive = guessPositive(col);
  return positive === null ? null : { column: col.name, positive };
}

/** The positive value of a two-valued column: yes/true/1…, else the rarer value. Null unless binary. */
export function guessPositive(col: TableColumn): string | null {
  const values = distinctValues(col);
  if (values.length !== 2) return null;
  const known = values.find((v) => POSITIVE_VALUES.includes(v.toLowerCase()));
  if (known !== undefined) return known;
  const counts = values.map((v) => countEqual(col, v));
  return counts[0] <= counts[1] ? values[0] : values[1];
}

function countEqual(col: TableColumn, value: string): number {
  const y = matches(col, value);
  let n = 0;
  for (const v of y) n += v;
  return n;
}

/** 1 where the cell equals `positive` (text for categorical columns, numeric value for numeric ones). */
function matches(col: TableColumn, positive: string): Uint8Array {
  if (col.kind === 'categorical') {
    const code = col.levels.indexOf(positive.trim());
    const out = new Uint8Array(col.codes.length);
    if (code >= 0) for (let r = 0; r < out.length; r++) out[r] = col.codes[r] === code ? 1 : 0;
    return out;
  }
  const p = Number(positive);
  const out = new Uint8Array(col.values.length);
  for (let r = 0; r < out.length; r++) out[r] = col.values[r] === p ? 1 : 0;
  return out;
}

/**
 * The target as 0/1 per row. Throws when the value never occurs (a typo would otherwise train a
 * model on an all-zero target), when it is the only value, or when a target cell is missing.
 */
export function binaryTarget(table: CustomerTable, column: string, positive: string): Uint8Array {
  const col = findColumn(table, column);
  const values = distinctValues(col);
  const y = matches(col, positive);
  let pos = 0;
  for (const v of y) pos += v;
  if (pos === 0) throw new Error(`${table.fileName}: column "${column}" never has the value "${positive}" (values: ${values.slice(0, 10).join(', ')})`);
  if (pos === table.rows) throw new Error(`${table.fileName}: every row of "${column}" is "${positive}": nothing to tell apart`);
  const missing = col.kind === 'categorical' ? col.codes.indexOf(-1) : col.values.findIndex((v) => v !== v);
  if (missing >= 0) throw new Error(`${table.fileName}: the target "${column}" is missing on data row ${missing + 1} (line ${missing + 2})`);
  return y;
}

/** Column names that usually hold information known only after the outcome. */
const LEAKY_NAME = /duration|call[\s_-]?(length|time)|talk[\s_-]?time|seconds[\s_-]?on[\s_-]?call|cancel(l)?ed[\s_-]?(at|on|date)|refund/i;

/** Above this single-feature AUC (either direction) a column predicts the target suspiciously well. */
export const LEAKY_AUC = 0.95;

/**
 * Human-readable warnings for columns that may leak the target: names that suggest post-outcome
 * data (a call's duration), columns that equal the target, and columns whose single-feature AUC
 * exceeds 0.95 (numeric: the raw value; categorical with few levels: each level's target rate).
 */
export function leakageWarnings(table: CustomerTable, target: TargetSpec): string[] {
  const y = binaryTarget(table, target.column, target.positive);
  const out: string[] = [];
  for (const col of table.columns) {
    if (col.name === target.column) continue;
    const reasons: string[] = [];
    if (LEAKY_NAME.test(col.name)) reasons.push('its name suggests it is only known after the outcome (e.g. a call’s duration)');
    const score = columnScore(col, y);
    if (score !== null) {
      if (equalsTarget(score, y)) reasons.push(`it equals the target "${target.column}"`);
      else {
        const auc = rocAuc(y, score);
        const strength = Math.max(auc, 1 - auc);
        if (strength > LEAKY_AUC) reasons.push(`on its own it separates the classes with AUC ${strength.toFixed(3)}`);
      }
    }
    if (reasons.length) out.push(`"${col.name}" may leak the target: ${reasons.join('; ')}. Consider --drop ${col.name}.`);
  }
  return out;
}

/**
 * A per-row score for the single-feature check: the value (missing → the column's minimum − 1), or
 * for a categorical column its level's target rate. Null for a categorical column with so many
 * levels that per-level rates would fit noise (an id column).
 */
function columnScore(col: TableColumn, y: Uint8Array): Float64Array | null {
  const n = y.length;
  const score = new Float64Array(n);
  if (col.kind === 'numeric') {
    let min = Infinity;
    for (const v of col.values) if (v < min) min = v;
    for (let r = 0; r < n; r++) score[r] = col.values[r] === col.values[r] ? col.values[r] : min - 1;
    return score;
  }
  if (col.levels.length > Math.max(20, n / 20)) return null;
  const pos = new Float64Array(col.levels.length + 1);
  const cnt = new Float64Array(col.levels.length + 1);
  for (let r = 0; r < n; r++) {
    const l = col.codes[r] + 1;
    pos[l] += y[r];
    cnt[l]++;
  }
  for (let r = 0; r < n; r++) {
    const l = col.codes[r] + 1;
    score[r] = pos[l] / cnt[l];
  }
  return score;
}

/** True when the score takes exactly two values that map one-to-one onto the classes. */
function equalsTarget(score: Float64Array, y: Uint8Array): boolean {
  let v0 = NaN;
  let v1 = NaN;
  for (let r = 0; r < y.length; r++) {
    if (y[r]) {
      if (v1 !== v1) v1 = score[r];
      else if (score[r] !== v1) return false;
    } else {
      if (v0 !== v0) v0 = score[r];
      else if (score[r] !== v0) return false;
    }
  }
  return v0 !== v1;
}
