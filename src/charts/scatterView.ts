// The pan/zoom state of a canvas scatter as a pure transform: screen = base(data) · k + t.
// Kept out of the component so zooming about the cursor can be unit-tested.

export interface ZoomTransform {
  k: number;
  tx: number;
  ty: number;
}

export const IDENTITY: ZoomTransform = { k: 1, tx: 0, ty: 0 };

/** Zooms by `factor` keeping the screen point (px, py) fixed; k stays within [minK, maxK]. */
export function zoomAbout(t: ZoomTransform, factor: number, px: number, py: number, minK = 1, maxK = 200): ZoomTransform {
  const k = Math.max(minK, Math.min(maxK, t.k * factor));
  const f = k / t.k;
  return { k, tx: px - (px - t.tx) * f, ty: py - (py - t.ty) * f };
}

export function panBy(t: ZoomTransform, dx: number, dy: number): ZoomTransform {
  return { k: t.k, tx: t.tx + dx, ty: t.ty + dy };
}

/** The base-scale pixel under screen pixel `p` (inverse of the transform on one axis). */
export function unapply(p: number, k: number, shift: number): number {
  return (p - shift) / k;
}

/** Padded [min, max] of the finite values, never empty. */
export function paddedExtent(values: ArrayLike<number>, pad = 0.05): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [-1, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  const m = (hi - lo) * pad;
  return [lo - m, hi + m];
}
