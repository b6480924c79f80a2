// Bad rows: exact counts always, the rows themselves up to a cap (for the CSV download).

import type { BadRow, BadRowReason } from './schema';
import { detach } from './dictionary';

/** Bad rows kept in memory; beyond this only the counts grow. */
export const MAX_KEPT_BAD_ROWS = 1_000_000;
/** Bad rows copied into the ImportReport. */
export const REPORT_BAD_ROWS = 100;
/** Raw row text kept per bad row, and per cell quoted in a message. */
export const MAX_VALUE_CHARS = 200;

/** A message is a sentence around clipped cells; this only guards against absurd column names. */
const MAX_MESSAGE_CHARS = 1000;

/** s cut to max characters (plus an ellipsis). */
export function clipText(s: string, max = MAX_VALUE_CHARS): string {
  return s.length > max ? s.slice(0, max) + '…' : s;
}

export class BadRowLog {
  readonly kept: BadRow[] = [];
  readonly byReason: Partial<Record<BadRowReason, number>> = {};
  count = 0;

  constructor(private readonly cap = MAX_KEPT_BAD_ROWS) {}

  add(line: number, column: number | null, columnName: string | null, reason: BadRowReason, value: string, message: string): void {
    this.count++;
    this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
    if (this.kept.length < this.cap) {
      // Cells may be slices of a larger string (a decoded record): kept as they are, they would pin it.
      this.kept.push({ line, column, columnName, reason, value: detach(clipText(value)), message: detach(clipText(message, MAX_MESSAGE_CHARS)) });
    }
  }
}
