// A diverging colour scale for signed values around 0 (blue below, red above, white at 0), and
// the label colour that stays readable on each cell. Pure, so contrast can be tested.
import { interpolateRdBu } from 'd3';
import { contrastRatio } from './theme';

/** Fill for `v` on a scale saturating at ±`limit` (values beyond are clamped). */
export function divergingColor(v: number, limit: number): string {
  if (!Number.isFinite(v) || !(limit > 0)) return '#f0f0f0';
  const t = Math.max(-1, Math.min(1, v / limit));
  // interpolateRdBu runs red (0) → white (0.5) → blue (1); high values are red here. Only the
  // middle half (0.25…0.75) is used: there dark labels keep ≥ 4.5:1 contrast on every cell.
  return toHex(interpolateRdBu(0.5 - t / 4));
}

/** Dark or white text, whichever contrasts more with `bg` (#rrggbb). */
export function labelColorOn(bg: string): string {
  const dark = '#1f2328';
  return contrastRatio(dark, bg) >= contrastRatio('#ffffff', bg) ? dark : '#ffffff';
}

/** "rgb(r, g, b)" (d3's output) → "#rrggbb". */
export function toHex(color: string): string {
  if (/^#[0-9a-f]{6}$/i.test(color)) return color.toLowerCase();
  const m = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(color);
  if (!m) throw new Error(`toHex: cannot read ${JSON.stringify(color)}`);
  return '#' + [m[1], m[2], m[3]].map((c) => Number(c).toString(16).padStart(2, '0')).join('');
}

/** Symmetric limit for the scale: the largest |value|, at least `floor` so faint data stays faint. */
export function symmetricLimit(values: Iterable<number>, floor = 1): number {
  let m = floor;
  for (const v of values) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m;
}
