// Bad rows: exact counts always, the rows themselves up to a cap (for the CSV download).

import type { BadRow, BadRowReason } from './schema';

/** Bad rows kept in memory; beyond this only the counts grow. */
export const MAX_KEPT_BAD_ROWS = 1_000_000;
/** Bad rows copied into the ImportReport. */
export const REPORT_BAD_ROWS = 100;
/** Raw row text kept per bad row. */
const MAX_VALUE_CHARS = 200;

export class BadRowLog {
  readonly kept: BadRow[] = [];
  readonly byReason: Partial<Record<BadRowReason, number>> = {};
  count = 0;

  constructor(private readonly cap = MAX_KEPT_BAD_ROWS) {}

  add(line: number, column: number | null, columnName: string | null, reason: BadRowReason, value: string, message: string): void {
    this.count++;
    this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
    if (this.kept.length < this.cap) {
      const v = value.length > MAX_VALUE_CHARS ? value.slice(0, MAX_VALUE_CHARS) + '…' : value;
      this.kept.push({ line, column, columnName, reason, value: v, message });
    }
  }
}
