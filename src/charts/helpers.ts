// Pure helpers shared by the chart components: label fitting, tick counts, number formats and
// export file names. No DOM here, so every rule can be unit-tested under Node.
import { format } from 'd3';

/** Average glyph width as a fraction of the font size for the UI sans-serif; used to budget space. */
const GLYPH_EM = 0.6;

/**
 * Shortens `label` to at most `maxChars` characters (code points, so emoji are never split),
 * ending with "…" when shortened. Trailing spaces before the ellipsis are dropped.
 */
export function truncateLabel(label: string, maxChars: number): string {
  const chars = Array.from(label);
  if (chars.length <= maxChars) return label;
  if (maxChars <= 1) return '…';
  return chars.slice(0, maxChars - 1).join('').trimEnd() + '…';
}

/** Rough width in px of `text` at `fontPx`; good enough to size margins without a DOM. */
export function estimateTextWidth(text: string, fontPx = 12): number {
  return Array.from(text).length * fontPx * GLYPH_EM;
}

/** How many characters fit in `px` at `fontPx` (at least 0). */
export function charsThatFit(px: number, fontPx = 12): number {
  if (!Number.isFinite(px) || px <= 0) return 0;
  return Math.floor(px / (fontPx * GLYPH_EM));
}

/**
 * Tick count for an axis `px` long: one tick per `minSpacing` px, between 2 and 10, so labels
 * never collide on a phone and never crowd on a wide screen.
 */
export function tickCountForWidth(px: number, minSpacing = 80): number {
  if (!Number.isFinite(px) || px <= 0) return 2;
  return Math.max(2, Math.min(10, Math.floor(px / minSpacing)));
}

/**
 * Show every `k`-th of `n` category labels, where each label needs `labelPx` and each band is
 * `bandPx` wide; 1 means all labels fit.
 */
export function labelStride(bandPx: number, labelPx: number): number {
  if (!(bandPx > 0)) return 1;
  return Math.max(1, Math.ceil(labelPx / bandPx));
}

const siFormat = format('.3~s');
const smallFormat = format(',.2~f');

/**
 * Compact number for axes and tooltips: 1500 → "1.5k", 2.5e9 → "2.5B" (billions, not SI "G"),
 * values under 1000 keep up to two decimals (0.25 → "0.25"), so small rates never turn into "250m".
 */
export function formatCompact(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) < 1000) return smallFormat(n);
  return siFormat(n).replace(/G$/, 'B');
}

/** Integer counts with thousands separators: 12345 → "12,345". */
export const formatCount: (n: number) => string = format(',d');

/** Compact currency formatter, e.g. currencyFormat('USD')(1500) → "$1.5K". */
export function currencyFormat(currency: string, locale = 'en-US'): (n: number) => string {
  const f = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    notation: 'compact',
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  });
  return (n: number) => f.format(n);
}

const RESERVED_WINDOWS = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;

/**
 * Safe download name ending in `.ext`: drops path separators, control and reserved characters,
 * turns whitespace runs into "-", avoids Windows device names and caps the stem at 100 characters.
 * Falls back to "chart" when nothing usable is left.
 */
export function sanitizeFilename(name: string, ext: 'svg' | 'png'): string {
  let stem = name
    .replace(/\.(svg|png)$/i, '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, '-')
    .replace(/\s+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  stem = Array.from(stem).slice(0, 100).join('').replace(/[-.]+$/, '');
  if (stem === '') stem = 'chart';
  if (RESERVED_WINDOWS.test(stem)) stem = `_${stem}`;
  return `${stem}.${ext}`;
}

/** Smallest positive gap between consecutive (sorted) times in ms, or undefined with < 2 distinct. */
export function smallestStep(times: readonly number[]): number | undefined {
  const sorted = [...times].sort((a, b) => a - b);
  let best: number | undefined;
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i] - sorted[i - 1];
    if (gap > 0 && (best === undefined || gap < best)) best = gap;
  }
  return best;
}

const MONTH_STRIDES = [1, 2, 3, 6, 12, 24, 60, 120] as const;

/**
 * For monthly data spanning `spanMonths` months (first to last tick inclusive), the smallest
 * "nice" stride in months (1, 2, 3, 6, 12, …) that keeps the tick count at or below `maxTicks`.
 */
export function monthTickStride(spanMonths: number, maxTicks: number): number {
  const limit = Math.max(1, Math.floor(maxTicks));
  for (const k of MONTH_STRIDES) {
    if (Math.floor((spanMonths - 1) / k) + 1 <= limit) return k;
  }
  return MONTH_STRIDES[MONTH_STRIDES.length - 1];
}

/** Linear domain that always includes 0 (bars start at zero) and is never empty. */
export function zeroBasedExtent(values: readonly number[]): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) hi = 1;
  return [lo, hi];
}
