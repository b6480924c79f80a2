// Segment membership as CSV (customer id, segment, name, features in original units), written so
// no spreadsheet executes a cell; and a run as JSON a user can keep or share.

import { toCsv } from '../data/csv-export';
import type { Dictionaries } from '../data/schema';
import type { CustomerFeatures } from '../features/customers';
import type { SegmentationResult } from './run';

/** The features must be the ones the run was made from (same reference time, same customers). */
export function membershipCsv(run: SegmentationResult, features: CustomerFeatures, dictionaries: Dictionaries): string {
  if (features.n !== run.customers.length || features.customers.some((c, i) => c !== run.customers[i])) {
    throw new Error('The customers have changed since this segmentation was made; run it again to export.');
  }
  const header = ['customer_id', 'segment', 'segment_name', ...features.features.map((f) => f.key)];
  const rows = Array.from(run.customers, (c, i) => {
    const label = run.labels[i];
    const values = Array.from(features.values.subarray(i * features.d, (i + 1) * features.d), (v) => round(v));
    return [dictionaries.customers[c] ?? String(c), label + 1, run.names[label] ?? '', ...values];
  });
  return toCsv(header, rows);
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
