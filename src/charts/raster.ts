// Plots many points straight into an RGBA pixel buffer (ImageData.data): square dots, one colour
// per call, blended with a fixed alpha. 100k points cost a few ms, where 100k canvas fillRect
// calls cost hundreds on a software-rendered canvas. Pure, so it is tested under Node.

export interface Raster {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** "#rrggbb" → [r, g, b]. */
export function parseHex(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`parseHex: expected #rrggbb, got ${JSON.stringify(hex)}`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

/**
 * Draws a `size`×`size` dot (top-left at floor(x − size/2)) for every i with `pick(i)` true at
 * pixel (ax + bx·xs[i], ay + by·ys[i]), blending `color` over the buffer with `alpha` (0…1).
 * Dots partly outside are clipped. Returns how many dots touched the buffer.
 */
export function plotPoints(
  r: Raster,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  pick: (i: number) => boolean,
  transform: { ax: number; bx: number; ay: number; by: number },
  color: string,
  size: number,
  alpha: number,
): number {
  const [cr, cg, cb] = parseHex(color);
  const a = Math.max(0, Math.min(1, alpha));
  const keep = 1 - a;
  const pr = cr * a;
  const pg = cg * a;
  const pb = cb * a;
  const { data, width, height } = r;
  const half = size / 2;
  const { ax, bx, ay, by } = transform;
  let drawn = 0;
  for (let i = 0; i < xs.length; i++) {
    if (!pick(i)) continue;
    const x0 = Math.floor(ax + bx * xs[i] - half);
    const y0 = Math.floor(ay + by * ys[i] - half);
    if (!(x0 < width && y0 < height && x0 + size > 0 && y0 + size > 0)) continue; // also drops NaN
    drawn++;
    const xa = Math.max(0, x0);
    const xb = Math.min(width, x0 + size);
    const ya = Math.max(0, y0);
    const yb = Math.min(height, y0 + size);
    for (let y = ya; y < yb; y++) {
      let o = (y * width + xa) * 4;
      for (let x = xa; x < xb; x++, o += 4) {
        data[o] = pr + data[o] * keep;
        data[o + 1] = pg + data[o + 1] * keep;
        data[o + 2] = pb + data[o + 2] * keep;
        data[o + 3] = 255;
      }
    }
  }
  return drawn;
}
