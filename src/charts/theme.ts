// The light chart palette, mirrored by the custom properties in ChartFrame.svelte (a test keeps
// them in sync) so its contrast can be checked here. Marks use the Okabe–Ito colour-blind-safe
// palette: blue for data, vermilion for the hovered or focused mark.

export const LIGHT_THEME = {
  bg: '#ffffff',
  fg: '#1f2328',
  muted: '#57606a',
  axis: '#6e7781',
  grid: '#e6e8eb',
  mark: '#0072b2',
  'mark-active': '#d55e00',
  focus: '#1f2328',
  'tip-bg': '#1f2328',
  'tip-fg': '#ffffff',
} as const;

export type ChartTheme = Record<keyof typeof LIGHT_THEME, string>;

/** WCAG 2 relative luminance of a #rrggbb colour. */
export function relativeLuminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`relativeLuminance: expected #rrggbb, got ${JSON.stringify(hex)}`);
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio between two #rrggbb colours (1…21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
