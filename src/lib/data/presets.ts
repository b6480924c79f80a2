// Known file layouts: how to recognise each one and what it fixes (mapping, date format, rules).

import type { DateFormat, Delimiter, LayoutId, Mapping } from './schema';
import { normaliseHeader } from './roles';
import { isNumeric } from './numbers';
import { parseYmdCompact } from './dates';

export interface PresetMatch {
  layout: LayoutId;
  /** Replaces the header-derived mapping when set (files whose header names are not role names). */
  mapping?: Mapping;
  /** The format the layout is known to use; null = detect from the values. */
  dateFormat: DateFormat | null;
  /** When the day/month order is ambiguous in the sample, the layout's convention decides. */
  slashOrder?: 'mdy' | 'dmy';
  note: string;
}

/**
 * Layouts whose rows carry no identity beyond their values: identical lines are real repeat events
 * (CDNOW has 255 such lines among its 69,659 transactions; groceries.csv repeats 2,824 baskets),
 * so they are not reported as duplicates.
 */
export function flagsDuplicates(layout: LayoutId): boolean {
  return layout !== 'baskets' && layout !== 'cdnow';
}

/** UCI Online Retail marks cancellations with an invoice number starting with "C". */
export function isCancellationInvoice(layout: LayoutId, order: string): boolean {
  return layout === 'online-retail' && order.length > 0 && (order.charCodeAt(0) | 32) === 99;
}

function allRows(rows: readonly string[][], col: number, test: (v: string) => boolean): boolean {
  if (rows.length === 0) return false;
  for (const r of rows) if (r.length <= col || !test(r[col].trim())) return false;
  return true;
}

const isInt = (v: string): boolean => isNumeric(v) && Number.isInteger(+v);

/** Recognises a preset from the header (when present) or the shape of the data rows. */
export function recognisePreset(
  delimiter: Delimiter,
  header: readonly string[] | null,
  rows: readonly string[][],
): PresetMatch | null {
  const width = header?.length ?? rows[0]?.length ?? 0;
  if (header !== null) {
    const names = new Set(header.map(normaliseHeader));
    if ((names.has('invoiceno') || names.has('invoice')) && names.has('stockcode')) {
      return {
        layout: 'online-retail',
        dateFormat: null,
        slashOrder: 'mdy',
        note: 'Recognised UCI Online Retail order lines (invoices starting with C are returns)',
      };
    }
    if (names.has('userid') && names.has('movieid') && names.has('rating')) {
      return { layout: 'movielens-ratings', dateFormat: 'unix-s', note: 'Recognised MovieLens ratings.csv' };
    }
  }
  if (
    width === 4 &&
    delimiter === 'whitespace' &&
    allRows(rows, 0, isInt) &&
    allRows(rows, 1, (v) => parseYmdCompact(v) === parseYmdCompact(v)) &&
    allRows(rows, 2, isNumeric) &&
    allRows(rows, 3, isNumeric)
  ) {
    return {
      layout: 'cdnow',
      mapping: { customer: 0, timestamp: 1, quantity: 2, amount: 3 },
      dateFormat: 'yyyymmdd',
      note: 'Recognised CDNOW transactions (customer, YYYYMMDD, CDs, dollar value)',
    };
  }
  if (
    header === null &&
    width === 4 &&
    delimiter === '\t' &&
    allRows(rows, 0, isInt) &&
    allRows(rows, 1, isInt) &&
    allRows(rows, 2, (v) => isNumeric(v) && +v >= 0 && +v <= 10) &&
    allRows(rows, 3, (v) => isInt(v) && +v >= 1e8 && +v < 1e10)
  ) {
    return {
      layout: 'movielens-udata',
      mapping: { customer: 0, item: 1, rating: 2, timestamp: 3 },
      dateFormat: 'unix-s',
      note: 'Recognised MovieLens u.data (user, item, rating, unix time)',
    };
  }
  return null;
}
