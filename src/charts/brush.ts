// Rectangle selection ("brush") on a scatter, in data coordinates so it survives zooming and
// panning. Pure typed-array code, testable under Node.

/** An axis-aligned rectangle in data units, x0 ≤ x1 and y0 ≤ y1 (edges included). */
export interface DataRect {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** The rectangle spanned by two corners given in any order. */
export function rectFrom(ax: number, ay: number, bx: number, by: number): DataRect {
  return { x0: Math.min(ax, bx), x1: Math.max(ax, bx), y0: Math.min(ay, by), y1: Math.max(ay, by) };
}

/** Indices (ascending) of the points inside `r`, edges included; non-finite points never are. */
export function pointsInRect(xs: ArrayLike<number>, ys: ArrayLike<number>, r: DataRect): Uint32Array {
  const n = Math.min(xs.length, ys.length);
  // One pass to count, one to fill: no growing arrays at 100k+ points.
  let count = 0;
  for (let i = 0; i < n; i++) if (inside(xs[i], ys[i], r)) count++;
  const out = new Uint32Array(count);
  let q = 0;
  for (let i = 0; i < n; i++) if (inside(xs[i], ys[i], r)) out[q++] = i;
  return out;
}

function inside(x: number, y: number, r: DataRect): boolean {
  // NaN compares false, so non-finite coordinates drop out here.
  return x >= r.x0 && x <= r.x1 && y >= r.y0 && y <= r.y1;
}

/** True when a drag between two screen points is long enough to mean a rectangle, not a click. */
export function isDrag(ax: number, ay: number, bx: number, by: number, minPx = 4): boolean {
  return Math.abs(bx - ax) >= minPx || Math.abs(by - ay) >= minPx;
}
