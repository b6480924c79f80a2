// Server-renders the chart components (Svelte 5 `render`) and checks the markup a user and a
// screen reader get: escaped untrusted names, focusable labelled marks, labelled SVG, no NaN.
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import type { Component } from 'svelte';
import BarChart from '../../src/charts/BarChart.svelte';
import TimeSeriesChart from '../../src/charts/TimeSeriesChart.svelte';
import HistogramChart from '../../src/charts/HistogramChart.svelte';

const HOSTILE = '<img src=x onerror=alert(1)>';
const LONG = 'WHITE HANGING HEART T-LIGHT HOLDER WITH A VERY LONG NAME INDEED';

/** Server markup without Svelte's hydration comments. */
function html<P extends object>(component: Component<P>, props: P): string {
  return render(component, { props }).body.replace(/<!--[\s\S]*?-->/g, '');
}

function count(html: string, needle: RegExp): number {
  return (html.match(needle) ?? []).length;
}

describe('BarChart', () => {
  const data = [
    { label: LONG, value: 42312 },
    { label: HOSTILE, value: 38000 },
    { label: 'Returns', value: -3000 },
  ];
  const body = html(BarChart, {
    data,
    horizontal: true,
    title: 'Top items',
    description: 'Three items',
    filename: 'top',
  });

  it('never renders an item name as markup', () => {
    expect(body).not.toContain('<img');
    expect(body).toContain('&lt;img src=x onerror=alert(1)>');
  });

  it('labels the svg with its own title and description', () => {
    const m = body.match(/<svg[^>]*aria-labelledby="([^"]+) ([^"]+)"/);
    expect(m).not.toBeNull();
    const [, titleId, descId] = m!;
    expect(body).toMatch(new RegExp(`<title id="${titleId}">Top items</title>`));
    expect(body).toMatch(new RegExp(`<desc id="${descId}">Three items</desc>`));
    expect(body).toMatch(/<svg[^>]*role="img"/);
  });

  it('makes one focusable mark per value with its value in aria-label', () => {
    expect(count(body, /<rect[^>]*tabindex="0"/g)).toBe(3);
    expect(body).toContain('aria-label="Returns: −3k"');
    expect(body).toContain('aria-label="&lt;img src=x onerror=alert(1)>: 38k"');
  });

  it('shortens the long label with an ellipsis and keeps the full name in a <title>', () => {
    // 640 px default width: the label column may take 35 % = 224 px = 33 chars at 11 px.
    expect(body).toContain('>WHITE HANGING HEART T-LIGHT HOLD…<title>' + LONG + '</title>');
  });

  it('offers both exports as buttons', () => {
    expect(body).toMatch(/<button type="button"[^>]*>Export SVG<\/button>/);
    expect(body).toMatch(/<button type="button"[^>]*>Export PNG<\/button>/);
  });

  it('says so when there is nothing to draw', () => {
    const empty = html(BarChart, { data: [], title: 't', description: 'd', filename: 'f' });
    expect(empty).toContain('No data to show');
    expect(count(empty, /tabindex="0"/g)).toBe(0);
  });
});

describe('TimeSeriesChart', () => {
  const month = (i: number) => new Date(Date.UTC(2010, 11 + i, 1));

  it('draws a single point as one bar with a month name', () => {
    const body = html(TimeSeriesChart, {
      data: [{ date: month(6), value: 123456 }],
      kind: 'bar',
      title: 't',
      description: 'd',
      filename: 'f',
    });
    expect(count(body, /<rect[^>]*tabindex="0"/g)).toBe(1);
    expect(body).toContain('aria-label="June 2011: 123k"');
    expect(body).not.toContain('NaN');
  });

  it('draws a single point as a line chart without NaN', () => {
    const body = html(TimeSeriesChart, {
      data: [{ date: month(6), value: 5 }],
      kind: 'line',
      title: 't',
      description: 'd',
      filename: 'f',
    });
    expect(count(body, /<circle[^>]*tabindex="0"/g)).toBe(1);
    expect(body).not.toContain('NaN');
  });

  it('handles 120 daily points: one path, 120 focusable points, sorted input not required', () => {
    const data = Array.from({ length: 120 }, (_, i) => ({
      date: new Date(Date.UTC(2011, 0, 1) + (119 - i) * 86_400_000),
      value: i,
    }));
    const body = html(TimeSeriesChart, { data, title: 't', description: 'd', filename: 'f' });
    expect(count(body, /<path[^>]*class="line/g)).toBe(1);
    expect(count(body, /<circle[^>]*tabindex="0"/g)).toBe(120);
    // Sorted by date: the first focusable point is Jan 1 (value 119), day resolution.
    expect(body.match(/<circle[^>]*aria-label="([^"]+)"/)?.[1]).toBe('Jan 1, 2011: 119');
    expect(body).not.toContain('NaN');
  });

  it('monthly bars use month-aligned ticks', () => {
    const data = Array.from({ length: 13 }, (_, i) => ({ date: month(i), value: 100 + i }));
    const body = html(TimeSeriesChart, { data, kind: 'bar', title: 't', description: 'd', filename: 'f' });
    expect(body).toMatch(/>Jan 2011</);
    expect(body).toMatch(/>Mar</);
    expect(count(body, /<rect[^>]*tabindex="0"/g)).toBe(13);
  });
});

describe('HistogramChart', () => {
  it('shows whole-number count ticks only and one mark per bin', () => {
    const bins = [
      { label: '1', count: 1 },
      { label: '2', count: 0 },
      { label: '3+', count: 1 },
    ];
    const body = html(HistogramChart, {
      bins,
      title: 't',
      description: 'd',
      filename: 'f',
      xLabel: 'Orders',
      yLabel: 'Customers',
    });
    expect(count(body, /<rect[^>]*tabindex="0"/g)).toBe(3);
    expect(body).toContain('aria-label="Orders 3+: 1"');
    const leftTicks = [...body.matchAll(/text-anchor="end"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(leftTicks.every((t) => /^\d+$/.test(t))).toBe(true);
    expect(leftTicks).toEqual(['0', '1']);
    expect(body).toContain('>Customers<');
  });
});

describe('chart sources', () => {
  it('never use {@html} (item names are untrusted)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('../../src/charts/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.svelte'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) expect(readFileSync(new URL(f, dir), 'utf8'), f).not.toContain('{@html');
  });
});
