// A brushed selection of customers, read against all customers: how many, their segment mix, and
// their mean features; and the selection as a spreadsheet-safe CSV. DOM-free.

import { toCsv } from '../../lib/data/csv-export';
import type { FeatureInfo } from '../../lib/features/customers';

export interface SelectionSummary {
  count: number;
  total: number;
  /** Customers of each segment in the selection, and among all customers. */
  mix: number[];
  allMix: number[];
  /** Mean of each feature over the selection and over all customers (original units); null without values. */
  mean: Float64Array | null;
  allMean: Float64Array | null;
}

/**
 * `indices` are rows of the run (and of `values`, n × d row-major, when given). Means are float64
 * sums over finite values; a feature with no finite value in the group gets NaN.
 */
export function summarizeSelection(
  indices: ArrayLike<number>,
  labels: ArrayLike<number>,
  k: number,
  values: ArrayLike<number> | null,
  d: number,
): SelectionSummary {
  const total = labels.length;
  if (values && values.length !== total * d) throw new RangeError(`summarizeSelection: ${values.length} values for ${total} × ${d}`);
  const mix = new Array<number>(k).fill(0);
  const allMix = new Array<number>(k).fill(0);
  for (let i = 0; i < total; i++) if (labels[i] >= 0 && labels[i] < k) allMix[labels[i]]++;
  for (let q = 0; q < indices.length; q++) {
    const i = indices[q];
    if (!(i >= 0 && i < total)) throw new RangeError(`summarizeSelection: row ${i} is outside 0..${total - 1}`);
    if (labels[i] >= 0 && labels[i] < k) mix[labels[i]]++;
  }
  if (!values) return { count: indices.length, total, mix, allMix, mean: null, allMean: null };
  const all = Array.from({ length: total }, (_, i) => i);
  return { count: indices.length, total, mix, allMix, mean: meansOf(indices, values, d), allMean: meansOf(all, values, d) };
}

function meansOf(rows: ArrayLike<number>, values: ArrayLike<number>, d: number): Float64Array {
  const sum = new Float64Array(d);
  const count = new Float64Array(d);
  for (let q = 0; q < rows.length; q++) {
    const o = rows[q] * d;
    for (let f = 0; f < d; f++) {
      const v = values[o + f];
      if (Number.isFinite(v)) {
        sum[f] += v;
        count[f]++;
      }
    }
  }
  return sum.map((s, f) => (count[f] > 0 ? s / count[f] : NaN));
}

/**
 * The selected customers as CSV: id, segment (1-based, as in the studio), segment name, then each
 * feature in original units (rounded to 6 decimals, like the full membership export). Ids and names
 * are untrusted text: toCsv makes sure no cell runs as a spreadsheet formula.
 */
export function selectionCsv(
  indices: ArrayLike<number>,
  customerIds: readonly string[],
  labels: ArrayLike<number>,
  names: readonly string[],
  features: readonly FeatureInfo[],
  values: ArrayLike<number>,
): string {
  const d = features.length;
  if (values.length !== customerIds.length * d) throw new RangeError(`selectionCsv: ${values.length} values for ${customerIds.length} × ${d}`);
  const header = ['customer_id', 'segment', 'segment_name', ...features.map((f) => f.key)];
  const rows = Array.from(indices, (i) => {
    const label = labels[i];
    const row: (string | number)[] = [customerIds[i] ?? String(i), label + 1, names[label] ?? ''];
    for (let f = 0; f < d; f++) row.push(Math.round(values[i * d + f] * 1e6) / 1e6);
    return row;
  });
  return toCsv(header, rows);
}
