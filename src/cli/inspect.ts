// `shoplens inspect FILE [--json] [--date-format F]`: what ShopLens would import from a file.

import { access } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  BAD_ROW_REASONS,
  BAD_ROW_LABELS,
  DATE_FORMATS,
  LAYOUT_LABELS,
  ROLE_LABELS,
  ROLES,
  type DateFormat,
  type Detection,
  type Role,
} from '../lib/data/schema';
import { detectImport } from '../lib/data/detect';
import { importFileNode, readHead } from '../lib/data/read-file.node.ts';
import type { ImportResult } from '../lib/data/importer';
import { parseArgs, UsageError } from './args';
import type { CliIO } from './io';

export const INSPECT_USAGE = 'shoplens inspect FILE [--json] [--date-format iso|unix-s|unix-ms|yyyymmdd|mdy|dmy]';

/** The machine-readable summary printed by --json. */
export interface InspectSummary {
  file: string;
  layout: string;
  delimiter: string;
  hasHeader: boolean;
  dateFormat: DateFormat | null;
  /** Role → column name. */
  mapping: Partial<Record<Role, string>>;
  linesRead: number;
  rows: number;
  customers: number;
  items: number;
  orders: number;
  firstDate: string | null;
  lastDate: string | null;
  badRowCount: number;
  badRows: Partial<Record<string, number>>;
  unknownEventTypes: Record<string, number>;
  notes: string[];
}

export function summarise(file: string, d: Detection, r: ImportResult): InspectSummary {
  const mapping: Partial<Record<Role, string>> = {};
  for (const role of ROLES) {
    const c = r.report.settings.mapping[role];
    if (c !== undefined) mapping[role] = r.report.settings.columns[c];
  }
  const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());
  return {
    file,
    layout: r.report.settings.layout,
    delimiter: r.report.settings.delimiter,
    hasHeader: r.report.settings.hasHeader,
    dateFormat: r.report.settings.dateFormat,
    mapping,
    linesRead: r.report.linesRead,
    rows: r.stats.rows,
    customers: r.stats.customers,
    items: r.stats.items,
    orders: r.stats.orders,
    firstDate: iso(r.stats.firstTime),
    lastDate: iso(r.stats.lastTime),
    badRowCount: r.report.badRowCount,
    badRows: { ...r.report.badByReason },
    unknownEventTypes: r.unknownEventTypes,
    notes: d.notes,
  };
}

const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', '\t': 'tab', ';': 'semicolon', '|': 'pipe', whitespace: 'whitespace' };

export function formatSummary(s: InspectSummary): string {
  const n = (v: number): string => v.toLocaleString('en-US');
  const lines = [
    `File        ${s.file}`,
    `Layout      ${LAYOUT_LABELS[s.layout as keyof typeof LAYOUT_LABELS] ?? s.layout} (${s.layout})`,
    `Format      ${DELIMITER_NAMES[s.delimiter] ?? s.delimiter}-separated, ${s.hasHeader ? 'with' : 'no'} header, dates ${s.dateFormat ?? 'none'}`,
    'Mapping',
    ...ROLES.filter((r) => s.mapping[r] !== undefined).map((r) => `  ${ROLE_LABELS[r].padEnd(12)} ← ${s.mapping[r]}`),
    `Rows        ${n(s.rows)} events from ${n(s.linesRead)} data lines`,
    `Customers   ${n(s.customers)}`,
    `Items       ${n(s.items)}`,
    `Orders      ${n(s.orders)}`,
    `First date  ${s.firstDate ?? '—'}`,
    `Last date   ${s.lastDate ?? '—'}`,
    `Bad rows    ${n(s.badRowCount)}`,
    ...BAD_ROW_REASONS.filter((r) => s.badRows[r]).map((r) => `  ${BAD_ROW_LABELS[r].padEnd(24)} ${n(s.badRows[r] ?? 0)}`),
  ];
  const unknown = Object.entries(s.unknownEventTypes);
  if (unknown.length > 0) lines.push(`Unknown event types (stored as view): ${unknown.map(([k, v]) => `${k} ×${v}`).join(', ')}`);
  for (const note of s.notes) lines.push(`Note: ${note}`);
  return lines.join('\n') + '\n';
}

export async function runInspect(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, ['date-format'], ['json']);
  if (args.positionals.length !== 1) throw new UsageError(`usage: ${INSPECT_USAGE}`);
  const path = args.positionals[0];
  const fmt = args.options.get('date-format');
  if (fmt !== undefined && !(DATE_FORMATS as readonly string[]).includes(fmt))
    throw new UsageError(`unknown date format "${fmt}" (one of ${DATE_FORMATS.join(', ')})`);
  try {
    await access(path);
  } catch {
    io.err(`shoplens: cannot read file ${path}\n`);
    return 2;
  }
  const detection = detectImport(await readHead(path), basename(path));
  const settings = { ...detection, dateFormat: (fmt as DateFormat | undefined) ?? detection.dateFormat };
  if (detection.ambiguousDate !== null && fmt === undefined) {
    const a = detection.ambiguousDate;
    io.err(
      `shoplens: the day/month order of column ${a.column + 1} (${detection.columns[a.column]}) is ambiguous ` +
        `(e.g. ${a.examples.slice(0, 3).join(', ')}); pass --date-format ${a.candidates.join('|')}\n`,
    );
    return 2;
  }
  const { result } = await importFileNode(path, settings);
  const summary = summarise(basename(path), detection, result);
  io.out(args.flags.has('json') ? JSON.stringify(summary) + '\n' : formatSummary(summary));
  return 0;
}
