// Customer table → design matrix, the way the reference protocol does it (scikit-learn
// OneHotEncoder(handle_unknown='ignore') on categorical columns, median imputation with a missing
// indicator and StandardScaler on numeric ones), learned on training rows and replayed unchanged on
// any later table. The encoder is plain JSON so a saved model can re-score a new file.

import type { DesignMatrix } from '../ml/logreg';
import { findColumn, type CustomerTable } from './table';

export interface NumericEncoding {
  name: string;
  kind: 'numeric';
  /** Fills missing cells (of the training rows; 0 when all were missing). */
  median: number;
  /** StandardScaler on the imputed values: x' = (x − mean) / std (std 1 when the column is constant). */
  mean: number;
  std: number;
  /** True when training rows had missing cells: a 0/1 column "name (missing)" follows. */
  missingIndicator: boolean;
}

export interface CategoricalEncoding {
  name: string;
  kind: 'categorical';
  /** Levels with their own 0/1 column ("name=level"), in the table's level order. */
  levels: string[];
  /** True when rare levels were grouped: a "name=(other)" column, also used for unseen levels. */
  other: boolean;
  /** True when training rows had empty cells: a "name=(missing)" column. */
  missing: boolean;
}

export type ColumnEncoding = NumericEncoding | CategoricalEncoding;

export interface Encoder {
  version: 1;
  target: string;
  drop: string[];
  /** Levels seen on fewer training rows than this went to "(other)". */
  rareLevelMin: number;
  columns: ColumnEncoding[];
  /** Design-matrix column names, in order. */
  names: string[];
}

export interface EncoderOptions {
  /** The outcome column: never a feature. */
  target: string;
  drop?: string[];
  /** Default: max(10, 1 % of the rows), i.e. a level with < 10 rows or < 1 % of them is rare. */
  rareLevelMin?: number;
}

export const OTHER_LEVEL = '(other)';
export const MISSING_LEVEL = '(missing)';

export function defaultRareLevelMin(rows: number): number {
  return Math.max(10, 0.01 * rows);
}

/** Learns the encoding from (training) rows. */
export function fitEncoder(table: CustomerTable, options: EncoderOptions): Encoder {
  findColumn(table, options.target);
  const drop = options.drop ?? [];
  for (const d of drop) findColumn(table, d);
  const rareLevelMin = options.rareLevelMin ?? defaultRareLevelMin(table.rows);
  if (!(rareLevelMin >= 0)) throw new RangeError(`fitEncoder: rareLevelMin must be ≥ 0, got ${rareLevelMin}`);
  const columns: ColumnEncoding[] = [];
  for (const col of table.columns) {
    if (col.name === options.target || drop.includes(col.name)) continue;
    if (col.kind === 'numeric') {
      const present: number[] = [];
      for (const v of col.values) if (v === v) present.push(v);
      const median = medianOf(present);
      let sum = 0;
      for (const v of col.values) sum += v === v ? v : median;
      const mean = table.rows > 0 ? sum / table.rows : 0;
      let ss = 0;
      for (const v of col.values) {
        const d = (v === v ? v : median) - mean;
        ss += d * d;
      }
      const sd = table.rows > 0 ? Math.sqrt(ss / table.rows) : 0;
      // StandardScaler leaves a constant column unscaled (std treated as 1).
      const std = sd > 1e-12 * Math.max(1, Math.abs(mean)) ? sd : 1;
      columns.push({ name: col.name, kind: 'numeric', median, mean, std, missingIndicator: present.length < table.rows });
    } else {
      const counts = new Float64Array(col.levels.length);
      let missing = 0;
      for (const c of col.codes) {
        if (c >= 0) counts[c]++;
        else missing++;
      }
      const levels = col.levels.filter((_, i) => counts[i] >= rareLevelMin && counts[i] > 0);
      const other = col.levels.some((_, i) => counts[i] > 0 && counts[i] < rareLevelMin);
      columns.push({ name: col.name, kind: 'categorical', levels, other, missing: missing > 0 });
    }
  }
  return { version: 1, target: options.target, drop: [...drop], rareLevelMin, columns, names: columns.flatMap(columnNames) };
}

function columnNames(c: ColumnEncoding): string[] {
  if (c.kind === 'numeric') return c.missingIndicator ? [c.name, `${c.name} (missing)`] : [c.name];
  const names = c.levels.map((l) => `${c.name}=${l}`);
  if (c.other) names.push(`${c.name}=${OTHER_LEVEL}`);
  if (c.missing) names.push(`${c.name}=${MISSING_LEVEL}`);
  return names;
}

function medianOf(values: number[]): number {
  if (values.length === 0) return 0;
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Applies an encoder to a table (the training table or a later one with the same columns; the
 * target column need not be present). Levels the encoder did not keep go to "(other)" when that
 * column exists, else to all zeros (scikit-learn's handle_unknown='ignore').
 */
export function encode(encoder: Encoder, table: CustomerTable): DesignMatrix {
  const rows = table.rows;
  const cols = encoder.names.length;
  const data = new Float32Array(rows * cols);
  let offset = 0;
  for (const enc of encoder.columns) {
    const col = table.columns.find((c) => c.name === enc.name);
    if (!col) throw new Error(`${table.fileName} has no column "${enc.name}", which the model uses`);
    if (enc.kind === 'numeric') {
      if (col.kind !== 'numeric') throw new Error(`${table.fileName}: column "${enc.name}" is not numeric here, but was when the model was trained`);
      for (let r = 0; r < rows; r++) {
        const v = col.values[r];
        const at = r * cols + offset;
        data[at] = ((v === v ? v : enc.median) - enc.mean) / enc.std;
        if (enc.missingIndicator) data[at + 1] = v === v ? 0 : 1;
      }
      offset += enc.missingIndicator ? 2 : 1;
      continue;
    }
    // Map this table's level codes to output column offsets once (−1: all zeros).
    const keep = new Map(enc.levels.map((l, i) => [l, i]));
    const otherAt = enc.other ? enc.levels.length : -1;
    const missingAt = enc.missing ? enc.levels.length + (enc.other ? 1 : 0) : -1;
    const levelTexts = col.kind === 'categorical' ? col.levels : null;
    const slotOfCode = levelTexts ? levelTexts.map((l) => keep.get(l) ?? otherAt) : [];
    for (let r = 0; r < rows; r++) {
      let slot: number;
      if (col.kind === 'categorical') slot = col.codes[r] < 0 ? missingAt : slotOfCode[col.codes[r]];
      else {
        // A column that happens to parse as numbers in this file: match its values as text.
        const v = col.values[r];
        slot = v === v ? (keep.get(String(v)) ?? otherAt) : missingAt;
      }
      if (slot >= 0) data[r * cols + offset + slot] = 1;
    }
    offset += columnNames(enc).length;
  }
  return { data, rows, cols, names: [...encoder.names] };
}
