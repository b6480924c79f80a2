// Nearest-point lookup for big scatter plots: a uniform grid over the data, so a hover asks a
// few cells instead of scanning 100k points. Pure typed-array code, testable under Node.

export interface PointGrid {
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  x0: number;
  y0: number;
  cell: number;
  cols: number;
  rows: number;
  /** Point indices grouped by cell (counting sort); cell c holds order[start[c]..start[c+1]). */
  start: Uint32Array;
  order: Uint32Array;
}

/** Builds the grid with about `perCell` points per occupied cell on average (non-finite points are skipped). */
export function buildGrid(xs: ArrayLike<number>, ys: ArrayLike<number>, perCell = 8): PointGrid {
  const n = Math.min(xs.length, ys.length);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  let finite = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    const y = ys[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    finite++;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  if (finite === 0) {
    return { xs, ys, x0: 0, y0: 0, cell: 1, cols: 1, rows: 1, start: new Uint32Array(2), order: new Uint32Array(0) };
  }
  const w = Math.max(x1 - x0, 1e-12);
  const h = Math.max(y1 - y0, 1e-12);
  const cells = Math.max(1, Math.min(1 << 20, Math.ceil(finite / perCell)));
  const cell = Math.max(Math.sqrt((w * h) / cells), Math.max(w, h) / 1024);
  const cols = Math.floor(w / cell) + 1;
  const rows = Math.floor(h / cell) + 1;
  const cellOf = new Int32Array(n).fill(-1);
  const start = new Uint32Array(cols * rows + 1);
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    const y = ys[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const c = Math.floor((y - y0) / cell) * cols + Math.floor((x - x0) / cell);
    cellOf[i] = c;
    start[c + 1]++;
  }
  for (let c = 0; c < cols * rows; c++) start[c + 1] += start[c];
  const fill = start.slice(0, cols * rows);
  const order = new Uint32Array(finite);
  for (let i = 0; i < n; i++) if (cellOf[i] >= 0) order[fill[cellOf[i]]++] = i;
  return { xs, ys, x0, y0, cell, cols, rows, start, order };
}

/**
 * Index of the point nearest to (x, y) within `maxDist` (data units), or -1. With `sx`/`sy`
 * (pixels per data unit on each axis) distance is measured on screen, where the axes may differ.
 */
export function nearestPoint(g: PointGrid, x: number, y: number, maxDist: number, sx = 1, sy = 1): number {
  if (!Number.isFinite(x) || !Number.isFinite(y) || !(maxDist > 0)) return -1;
  // maxDist is in screen units when scales are given; the search box is that much in each axis.
  const rx = maxDist / sx;
  const ry = maxDist / sy;
  const c0 = Math.max(0, Math.floor((x - rx - g.x0) / g.cell));
  const c1 = Math.min(g.cols - 1, Math.floor((x + rx - g.x0) / g.cell));
  const r0 = Math.max(0, Math.floor((y - ry - g.y0) / g.cell));
  const r1 = Math.min(g.rows - 1, Math.floor((y + ry - g.y0) / g.cell));
  let best = -1;
  let bestD = maxDist * maxDist;
  for (let r = r0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++) {
      const cellIndex = r * g.cols + c;
      for (let q = g.start[cellIndex]; q < g.start[cellIndex + 1]; q++) {
        const i = g.order[q];
        const dx = (g.xs[i] - x) * sx;
        const dy = (g.ys[i] - y) * sy;
        const d = dx * dx + dy * dy;
        if (d <= bestD && (d < bestD || best < 0 || i < best)) {
          bestD = d;
          best = i;
        }
      }
    }
  }
  return best;
}
