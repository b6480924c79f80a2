// Pixel plotting for the big scatter, checked pixel by pixel on a tiny buffer.
import { describe, expect, it } from 'vitest';
import { parseHex, plotPoints, type Raster } from '../../src/charts/raster';

function white(width: number, height: number): Raster {
  return { data: new Uint8ClampedArray(width * height * 4).fill(255), width, height };
}
const px = (r: Raster, x: number, y: number) => Array.from(r.data.slice((y * r.width + x) * 4, (y * r.width + x) * 4 + 4));
const ID = { ax: 0, bx: 1, ay: 0, by: 1 };

describe('plotPoints', () => {
  it('paints a 2×2 dot centred on the point, opaque at alpha 1', () => {
    const r = white(4, 4);
    expect(plotPoints(r, [2], [2], () => true, ID, '#ff0000', 2, 1)).toBe(1);
    for (const [x, y] of [[1, 1], [2, 1], [1, 2], [2, 2]]) expect(px(r, x, y)).toEqual([255, 0, 0, 255]);
    expect(px(r, 0, 0)).toEqual([255, 255, 255, 255]);
    expect(px(r, 3, 2)).toEqual([255, 255, 255, 255]);
  });
  it('blends: black at alpha 0.5 over white gives 128 (rounded), twice gives 64', () => {
    const r = white(3, 3);
    plotPoints(r, [1.5], [1.5], () => true, ID, '#000000', 1, 0.5);
    expect(px(r, 1, 1)).toEqual([128, 128, 128, 255]); // 255 × 0.5 = 127.5 → 128
    plotPoints(r, [1.5], [1.5], () => true, ID, '#000000', 1, 0.5);
    expect(px(r, 1, 1)).toEqual([64, 64, 64, 255]);
  });
  it('applies the scale transform, clips at the edges and skips unpicked or NaN points', () => {
    const r = white(4, 4);
    // x = 10 + 2·(−5) = 0, y = 4 − 1·1 = 3: a 2×2 dot at (−1…0, 2…3), half outside.
    const n = plotPoints(r, [-5, 100, NaN, 0], [1, 1, 1, 1], (i) => i !== 3, { ax: 10, bx: 2, ay: 4, by: -1 }, '#00ff00', 2, 1);
    expect(n).toBe(1);
    expect(px(r, 0, 2)).toEqual([0, 255, 0, 255]);
    expect(px(r, 0, 3)).toEqual([0, 255, 0, 255]);
    expect(px(r, 1, 2)).toEqual([255, 255, 255, 255]);
  });
  it('reads colours', () => {
    expect(parseHex('#0072B2')).toEqual([0, 114, 178]);
    expect(() => parseHex('blue')).toThrow(/#rrggbb/);
  });
});
