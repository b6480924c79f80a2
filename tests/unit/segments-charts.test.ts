// The scatter's nearest-point grid (against a brute-force scan) and zoom, and the heatmap's colours.
import { describe, expect, it } from 'vitest';
import { buildGrid, nearestPoint } from '../../src/charts/nearest';
import { divergingColor, labelColorOn, symmetricLimit, toHex } from '../../src/charts/diverging';
import { contrastRatio } from '../../src/charts/theme';
import { IDENTITY, paddedExtent, panBy, unapply, zoomAbout } from '../../src/charts/scatterView';

function brute(xs: Float32Array, ys: Float32Array, x: number, y: number, max: number, sx: number, sy: number): number {
  let best = -1;
  let bestD = max * max;
  for (let i = 0; i < xs.length; i++) {
    const d = ((xs[i] - x) * sx) ** 2 + ((ys[i] - y) * sy) ** 2;
    if (d < bestD || (d === bestD && (best < 0 || i < best))) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

describe('nearestPoint', () => {
  it('finds the hand-placed nearest point and nothing beyond the radius', () => {
    const xs = Float32Array.from([0, 10, 10, -5]);
    const ys = Float32Array.from([0, 0, 10, 5]);
    const g = buildGrid(xs, ys, 1);
    expect(nearestPoint(g, 9, 1, 3)).toBe(1);
    expect(nearestPoint(g, 9, 9, 3)).toBe(2);
    expect(nearestPoint(g, -4, 4, 2)).toBe(3);
    expect(nearestPoint(g, 5, 5, 3)).toBe(-1); // all four are ≥ 7 away
  });
  it('agrees with a brute-force scan on 20k clustered points, with unequal axis scales', () => {
    let s = 12345;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const n = 20_000;
    const xs = new Float32Array(n);
    const ys = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const c = i % 3;
      xs[i] = c * 4 + (rnd() - 0.5) * (c + 1);
      ys[i] = c * -2 + (rnd() - 0.5) * 3;
    }
    const g = buildGrid(xs, ys);
    for (let q = 0; q < 300; q++) {
      const x = rnd() * 12 - 2;
      const y = rnd() * 8 - 6;
      const [sx, sy] = q % 2 ? [50, 50] : [80, 20];
      expect(nearestPoint(g, x, y, 12, sx, sy)).toBe(brute(xs, ys, x, y, 12, sx, sy));
    }
  });
  it('skips non-finite points and copes with no points', () => {
    const g = buildGrid(Float32Array.from([NaN, 1]), Float32Array.from([0, 1]));
    expect(nearestPoint(g, 0, 0, 5)).toBe(1);
    expect(nearestPoint(buildGrid(new Float32Array(0), new Float32Array(0)), 0, 0, 5)).toBe(-1);
  });
});

describe('diverging colours', () => {
  it('is white-ish at 0, red above, blue below, clamped beyond the limit', () => {
    const zero = divergingColor(0, 2);
    for (const at of [1, 3, 5]) expect(parseInt(zero.slice(at, at + 2), 16)).toBeGreaterThanOrEqual(0xe8); // near white
    const hi = divergingColor(2, 2);
    const lo = divergingColor(-2, 2);
    expect(parseInt(hi.slice(1, 3), 16)).toBeGreaterThan(parseInt(hi.slice(5, 7), 16)); // red > blue
    expect(parseInt(lo.slice(5, 7), 16)).toBeGreaterThan(parseInt(lo.slice(1, 3), 16)); // blue > red
    expect(divergingColor(50, 2)).toBe(hi);
  });
  it('labels every cell with text of at least 4.5:1 contrast', () => {
    for (let v = -3; v <= 3; v += 0.25) {
      const bg = divergingColor(v, 3);
      expect(contrastRatio(labelColorOn(bg), bg)).toBeGreaterThanOrEqual(4.5);
    }
  });
  it('reads rgb() and finds the symmetric limit', () => {
    expect(toHex('rgb(255, 0, 16)')).toBe('#ff0010');
    expect(symmetricLimit([0.2, -2.5, 1])).toBe(2.5);
    expect(symmetricLimit([0.2, -0.3])).toBe(1);
  });
});


describe('scatter zoom', () => {
  it('keeps the point under the cursor fixed while zooming', () => {
    const t = zoomAbout(panBy(IDENTITY, 30, -10), 2, 100, 50);
    expect(t.k).toBe(2);
    // Base pixel under the cursor before: (100 − 30) / 1 = 70; after: (100 − tx) / 2 must be 70 too.
    expect(unapply(100, t.k, t.tx)).toBeCloseTo(70, 12);
    expect(unapply(50, t.k, t.ty)).toBeCloseTo(60, 12);
  });
  it('clamps the zoom and pads the extent', () => {
    expect(zoomAbout(IDENTITY, 0.1, 0, 0).k).toBe(1);
    expect(zoomAbout(IDENTITY, 1e6, 0, 0).k).toBe(200);
    expect(paddedExtent(Float32Array.from([0, 10, NaN]))).toEqual([-0.5, 10.5]);
    expect(paddedExtent([3, 3])).toEqual([2, 4]);
  });
});
