// Drawing shared by the canvas scatter charts (the Segments scatter and the k-means step picture):
// gridlines, ticks and axis titles, and dots written straight into the plot area's pixels
// (fillRect per point is far too slow at 100k points).

import type { ScaleLinear } from 'd3';
import { formatCompact, tickCountForWidth } from './helpers';
import { LIGHT_THEME } from './theme';
import { plotPoints } from './raster';

export interface PlotBox {
  margin: { top: number; right: number; bottom: number; left: number };
  innerW: number;
  innerH: number;
  /** Whole canvas height in CSS pixels (the x title sits at its bottom). */
  height: number;
}

type Scale = ScaleLinear<number, number>;

export function drawCanvasAxes(ctx: CanvasRenderingContext2D, sx: Scale, sy: Scale, box: PlotBox, xLabel: string, yLabel: string): void {
  const { margin, innerW, innerH, height } = box;
  ctx.font = '11px system-ui, sans-serif';
  ctx.lineWidth = 1;
  ctx.fillStyle = LIGHT_THEME.muted;
  ctx.strokeStyle = LIGHT_THEME.grid;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const v of sx.ticks(tickCountForWidth(innerW))) {
    const px = Math.round(margin.left + sx(v)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(px, margin.top);
    ctx.lineTo(px, margin.top + innerH);
    ctx.stroke();
    ctx.fillText(formatCompact(v), px, margin.top + innerH + 6);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of sy.ticks(tickCountForWidth(innerH, 50))) {
    const py = Math.round(margin.top + sy(v)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(margin.left, py);
    ctx.lineTo(margin.left + innerW, py);
    ctx.stroke();
    ctx.fillText(formatCompact(v), margin.left - 6, py);
  }
  ctx.strokeStyle = LIGHT_THEME.axis;
  ctx.strokeRect(margin.left + 0.5, margin.top + 0.5, innerW, innerH);
  ctx.fillStyle = LIGHT_THEME.fg;
  ctx.font = '600 12px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(xLabel, margin.left + innerW / 2, height - 6);
  ctx.save();
  ctx.translate(14, margin.top + innerH / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(yLabel, 0, 0);
  ctx.restore();
}

/** Draws each group's points in `order` (later groups on top), coloured per group. */
export function drawGroupedPoints(
  ctx: CanvasRenderingContext2D,
  dpr: number,
  sx: Scale,
  sy: Scale,
  box: PlotBox,
  points: { xs: ArrayLike<number>; ys: ArrayLike<number>; group: ArrayLike<number> },
  style: { order: Iterable<number>; colors: readonly string[]; size: number; alpha: number },
): void {
  const { margin, innerW, innerH } = box;
  const x0 = Math.round((margin.left + 1) * dpr);
  const y0 = Math.round((margin.top + 1) * dpr);
  const w = Math.max(1, Math.round((innerW - 1) * dpr));
  const h = Math.max(1, Math.round((innerH - 1) * dpr));
  const image = ctx.getImageData(x0, y0, w, h);
  const raster = { data: image.data, width: w, height: h };
  // Screen pixel of data value v: (margin + s(v)) · dpr − origin, with s linear: s(v) = s(0) + (s(1) − s(0)) · v.
  const t = {
    ax: (margin.left + sx(0)) * dpr - x0,
    bx: (sx(1) - sx(0)) * dpr,
    ay: (margin.top + sy(0)) * dpr - y0,
    by: (sy(1) - sy(0)) * dpr,
  };
  const { xs, ys, group } = points;
  for (const g of style.order) {
    plotPoints(raster, xs, ys, (i) => group[i] === g, t, style.colors[g] ?? LIGHT_THEME.mark, style.size, style.alpha);
  }
  ctx.putImageData(image, x0, y0);
}
