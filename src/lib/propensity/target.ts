// The event-based propensity target, built so it cannot leak: features are the segmentation's
// customer features as of the cutoff (events after it are ignored), and the label looks only at
// purchases in the window (cutoff, cutoff + horizon].

import { EVENT_TYPES, type Dictionaries, type EventChunk } from '../data/schema';
import { CustomerFeatureAccumulator, type CustomerFeatures } from '../features/customers';
import type { CustomerTable } from './table';

export type EventTargetKind = 'buy' | 'churn' | 'buy-category';

export interface EventTargetOptions {
  /** ms since epoch: features use events at or before it, labels the window after it. */
  cutoff: number;
  horizonDays: number;
  /** buy: purchases in the window; churn: none; buy-category: a purchase of an item of `category`. */
  kind: EventTargetKind;
  /** Category index (Dictionaries.categories) for 'buy-category'. */
  category?: number;
  /** Share columns for these categories rather than the cutoff's own top ones (see CustomerFeatureAccumulator). */
  shareCategories?: readonly string[];
}

export interface EventTarget {
  features: CustomerFeatures;
  /** 0/1 per features row (features.customers[i]). */
  labels: Uint8Array;
  positives: number;
  /** The label window (from, to] in ms. */
  window: { from: number; to: number };
  /** Latest event time in the data; labels are incomplete when it is before window.to. */
  lastEventTime: number | null;
}

export const DAY_MS = 86_400_000;
const PURCHASE = EVENT_TYPES.indexOf('purchase');
const RATING = EVENT_TYPES.indexOf('rating');

function checkOptions(o: EventTargetOptions, categories: number): void {
  if (!Number.isFinite(o.cutoff)) throw new RangeError(`eventTarget: cutoff must be a finite time in ms, got ${o.cutoff}`);
  if (!(o.horizonDays > 0) || !Number.isFinite(o.horizonDays)) throw new RangeError(`eventTarget: horizonDays must be > 0, got ${o.horizonDays}`);
  if (o.kind === 'buy-category') {
    const c = o.category;
    if (c === undefined || !Number.isInteger(c) || c < 0 || c >= categories) {
      throw new RangeError(`eventTarget: 'buy-category' needs a category index in 0..${categories - 1}, got ${c}`);
    }
  }
}

/**
 * One pass over the events: the feature accumulator (which itself drops events after the cutoff)
 * and, beside it, who bought in the window. Like the features, a dataset without any purchase
 * event (ratings only) counts ratings as the buying events.
 */
export async function eventTarget(
  chunks: AsyncIterable<EventChunk> | Iterable<EventChunk>,
  dictionaries: Dictionaries,
  options: EventTargetOptions,
): Promise<EventTarget> {
  checkOptions(options, dictionaries.categories.length);
  const from = options.cutoff;
  const to = options.cutoff + options.horizonDays * DAY_MS;
  const acc = new CustomerFeatureAccumulator(dictionaries, { referenceTime: from, shareCategories: options.shareCategories });
  const nc = dictionaries.customers.length;
  const boughtPurchase = new Uint8Array(nc);
  const boughtRating = new Uint8Array(nc);
  const wantCategory = options.kind === 'buy-category' ? (options.category as number) : -1;
  let anyPurchase = false;
  let last = -Infinity;
  for await (const chunk of chunks) {
    acc.add(chunk);
    const { customer, item, time, eventType, rows } = chunk;
    for (let r = 0; r < rows; r++) {
      const t = time[r];
      if (t > last) last = t;
      const type = eventType[r];
      if (type === PURCHASE) anyPurchase = true;
      else if (type !== RATING) continue;
      if (!(t > from && t <= to)) continue;
      if (wantCategory >= 0 && dictionaries.itemCategory[item[r]] !== wantCategory) continue;
      (type === PURCHASE ? boughtPurchase : boughtRating)[customer[r]] = 1;
    }
  }
  const features = acc.result();
  const bought = anyPurchase ? boughtPurchase : boughtRating;
  const labels = new Uint8Array(features.n);
  let positives = 0;
  for (let i = 0; i < features.n; i++) {
    const b = bought[features.customers[i]];
    labels[i] = options.kind === 'churn' ? 1 - b : b;
    positives += labels[i];
  }
  return { features, labels, positives, window: { from, to }, lastEventTime: last === -Infinity ? null : last };
}

/**
 * The backtest's two cutoffs for data ending at `lastTime`. The model is evaluated at
 * evalCutoff = last − h, whose labels fill the final window (last − h, last]. It is trained at
 * trainCutoff = last − 2h: its labels come from (last − 2h, last − h], i.e. they end exactly at the
 * evaluation cutoff, so nothing the model learns from happened after the moment it is evaluated
 * at — as when the model is used for real, trained on the past and scored on today's customers.
 */
export function backtestCutoffs(lastTime: number, horizonDays: number): { trainCutoff: number; evalCutoff: number } {
  if (!Number.isFinite(lastTime)) throw new RangeError(`backtestCutoffs: lastTime must be a finite time in ms, got ${lastTime}`);
  if (!(horizonDays > 0)) throw new RangeError(`backtestCutoffs: horizonDays must be > 0, got ${horizonDays}`);
  const h = horizonDays * DAY_MS;
  return { trainCutoff: lastTime - 2 * h, evalCutoff: lastTime - h };
}

/** Name of the label column featuresTable adds. */
export const LABEL_COLUMN = '(label)';

/**
 * Customer features as an all-numeric customer table, so the table encoder can standardise them.
 * `keys` picks and orders the feature columns (the two cutoffs of a backtest may rank different
 * top categories, so train and evaluation use the keys both have); `labels` adds LABEL_COLUMN.
 */
export function featuresTable(features: CustomerFeatures, options: { keys?: readonly string[]; labels?: Uint8Array; fileName?: string } = {}): CustomerTable {
  const { n, d, values } = features;
  const keys = options.keys ?? features.features.map((f) => f.key);
  const columns: CustomerTable['columns'] = keys.map((key) => {
    const j = features.features.findIndex((f) => f.key === key);
    if (j < 0) throw new Error(`featuresTable: no feature "${key}" (have ${features.features.map((f) => f.key).join(', ')})`);
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = values[i * d + j];
    return { name: key, kind: 'numeric' as const, values: col };
  });
  if (options.labels) {
    if (options.labels.length !== n) throw new RangeError(`featuresTable: ${options.labels.length} labels for ${n} customers`);
    columns.push({ name: LABEL_COLUMN, kind: 'numeric', values: Float64Array.from(options.labels) });
  }
  return { fileName: options.fileName ?? 'customer features', rows: n, columns };
}

/** Feature keys present in every one of the feature sets, in the first one's order. */
export function commonFeatureKeys(...sets: CustomerFeatures[]): string[] {
  if (sets.length === 0) return [];
  return sets[0].features.map((f) => f.key).filter((k) => sets.every((s) => s.features.some((f) => f.key === k)));
}
