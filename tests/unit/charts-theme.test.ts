// Colour contrast of the chart palette (WCAG 2 formula) and that the CSS uses the same palette.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { LIGHT_THEME, contrastRatio } from '../../src/charts/theme';

describe('contrastRatio', () => {
  it('matches published WCAG figures', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    // #767676 is the classic lightest grey that passes AA on white: 4.54:1.
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5);
  });
  it('rejects what is not #rrggbb', () => {
    expect(() => contrastRatio('red', '#ffffff')).toThrow(/#rrggbb/);
  });
});

describe('light theme', () => {
  const t = LIGHT_THEME;
  it('text reaches 4.5:1 (WCAG AA)', () => {
    expect(contrastRatio(t.fg, t.bg)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(t.muted, t.bg)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(t['tip-fg'], t['tip-bg'])).toBeGreaterThanOrEqual(4.5);
  });
  it('marks, focus ring and axis lines reach 3:1 (WCAG non-text contrast)', () => {
    expect(contrastRatio(t.mark, t.bg)).toBeGreaterThanOrEqual(3);
    expect(contrastRatio(t['mark-active'], t.bg)).toBeGreaterThanOrEqual(3);
    expect(contrastRatio(t.focus, t.mark)).toBeGreaterThanOrEqual(3);
    // Axis lines double as the Export buttons' borders (UI component boundary): 3:1 too.
    expect(contrastRatio(t.axis, t.bg)).toBeGreaterThanOrEqual(3);
  });
  it('is the palette ChartFrame.svelte declares as custom properties', () => {
    const css = readFileSync(new URL('../../src/charts/ChartFrame.svelte', import.meta.url), 'utf8');
    for (const [name, value] of Object.entries(t)) expect(css).toContain(`--chart-${name}: ${value};`);
  });
});
