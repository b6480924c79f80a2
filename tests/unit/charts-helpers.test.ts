// Pure chart helpers: every expectation below is worked out by hand from the rule it tests.
import { describe, expect, it } from 'vitest';
import { scaleUtc } from 'd3';
import {
  charsThatFit,
  currencyFormat,
  estimateTextWidth,
  formatCompact,
  formatCount,
  labelStride,
  monthTickStride,
  sanitizeFilename,
  smallestStep,
  tickCountForWidth,
  truncateLabel,
  zeroBasedExtent,
} from '../../src/charts/helpers';
import { DAY_MS, pointDateFormat, timeTicks } from '../../src/charts/timeAxis';

describe('truncateLabel', () => {
  it('keeps labels that fit', () => {
    expect(truncateLabel('Bakery', 6)).toBe('Bakery');
    expect(truncateLabel('', 3)).toBe('');
  });
  it('cuts to maxChars including the ellipsis', () => {
    expect(truncateLabel('Chocolate chip cookies', 10)).toBe('Chocolate…');
    // "Red " would end in a space: dropped before the ellipsis.
    expect(truncateLabel('Red wine glass', 5)).toBe('Red…');
  });
  it('never splits a surrogate pair', () => {
    expect(truncateLabel('🎉🎉🎉🎉', 3)).toBe('🎉🎉…');
  });
  it('degenerates to a lone ellipsis', () => {
    expect(truncateLabel('abc', 1)).toBe('…');
    expect(truncateLabel('abc', 0)).toBe('…');
  });
});

describe('text budget', () => {
  it('estimates 0.6 em per character', () => {
    expect(estimateTextWidth('abcd', 10)).toBeCloseTo(24);
    expect(charsThatFit(66, 11)).toBe(10);
    expect(charsThatFit(-5)).toBe(0);
  });
  it('labelStride shows every k-th label so labels do not overlap', () => {
    expect(labelStride(10, 35)).toBe(4);
    expect(labelStride(50, 35)).toBe(1);
    expect(labelStride(0, 35)).toBe(1);
  });
});

describe('tickCountForWidth', () => {
  it('one tick per 80 px, clamped to 2…10', () => {
    expect(tickCountForWidth(640)).toBe(8);
    expect(tickCountForWidth(100)).toBe(2);
    expect(tickCountForWidth(2000)).toBe(10);
    expect(tickCountForWidth(400, 50)).toBe(8);
  });
  it('survives zero and NaN widths (hidden container)', () => {
    expect(tickCountForWidth(0)).toBe(2);
    expect(tickCountForWidth(Number.NaN)).toBe(2);
  });
});

describe('number formats', () => {
  it('formatCompact: SI above 1000 with B for billions, decimals below', () => {
    expect(formatCompact(0)).toBe('0');
    expect(formatCompact(12.5)).toBe('12.5');
    expect(formatCompact(0.25)).toBe('0.25');
    expect(formatCompact(1 / 3)).toBe('0.33');
    expect(formatCompact(999)).toBe('999');
    expect(formatCompact(1000)).toBe('1k');
    expect(formatCompact(1500)).toBe('1.5k');
    expect(formatCompact(1234567)).toBe('1.23M');
    expect(formatCompact(2.5e9)).toBe('2.5B');
    expect(formatCompact(-1500)).toBe('−1.5k'); // d3 uses the typographic minus U+2212
  });
  it('formatCount and currencyFormat', () => {
    expect(formatCount(12345)).toBe('12,345');
    const usd = currencyFormat('USD');
    expect(usd(12)).toBe('$12');
    expect(usd(1500)).toBe('$1.5K');
    expect(usd(2_000_000)).toBe('$2M');
  });
});

describe('sanitizeFilename', () => {
  it('turns separators and spaces into dashes and adds the extension', () => {
    expect(sanitizeFilename('top items/revenue', 'png')).toBe('top-items-revenue.png');
    expect(sanitizeFilename('Revenue: Q1 <2011>?', 'svg')).toBe('Revenue-Q1-2011.svg');
  });
  it('cannot climb out of the download folder', () => {
    expect(sanitizeFilename('../../etc/passwd', 'svg')).toBe('etc-passwd.svg');
  });
  it('replaces an existing image extension', () => {
    expect(sanitizeFilename('report.svg', 'png')).toBe('report.png');
  });
  it('drops control characters, avoids device names, never returns an empty stem', () => {
    expect(sanitizeFilename('a\u0000b', 'png')).toBe('a-b.png');
    expect(sanitizeFilename('CON', 'svg')).toBe('_CON.svg');
    expect(sanitizeFilename('', 'svg')).toBe('chart.svg');
    expect(sanitizeFilename(' / ', 'png')).toBe('chart.png');
  });
  it('caps the stem at 100 characters', () => {
    expect(sanitizeFilename('a'.repeat(200), 'png')).toBe('a'.repeat(100) + '.png');
  });
});

describe('data extents', () => {
  it('smallestStep is the smallest positive gap', () => {
    expect(smallestStep([3, 1, 1, 10])).toBe(2);
    expect(smallestStep([5])).toBeUndefined();
    expect(smallestStep([])).toBeUndefined();
  });
  it('zeroBasedExtent always contains 0 and is never empty', () => {
    expect(zeroBasedExtent([3, 5])).toEqual([0, 5]);
    expect(zeroBasedExtent([-2, 4])).toEqual([-2, 4]);
    expect(zeroBasedExtent([-3, -1])).toEqual([-3, 0]);
    expect(zeroBasedExtent([])).toEqual([0, 1]);
    expect(zeroBasedExtent([0, 0])).toEqual([0, 1]);
    expect(zeroBasedExtent([Number.NaN, 2])).toEqual([0, 2]);
  });
});

describe('time axis', () => {
  it('monthTickStride picks the smallest nice stride within the tick budget', () => {
    expect(monthTickStride(12, 12)).toBe(1);
    expect(monthTickStride(13, 8)).toBe(2); // 13 ticks > 8; every 2nd month → 7
    expect(monthTickStride(120, 6)).toBe(24); // yearly would be 10 ticks; 2-yearly 5
    expect(monthTickStride(1, 1)).toBe(1);
  });

  it('monthly data gets month-aligned ticks, year on the first tick and in January', () => {
    // Dec 2010 … Dec 2011; every 2nd month starting in January (d3 aligns strides to the year).
    const x = scaleUtc()
      .domain([new Date(Date.UTC(2010, 11, 1)), new Date(Date.UTC(2011, 11, 1))])
      .range([0, 600]);
    const ticks = timeTicks(x, 31 * DAY_MS, 8, true);
    expect(ticks.map((t) => t.label)).toEqual(['Jan 2011', 'Mar', 'May', 'Jul', 'Sep', 'Nov']);
    expect(ticks[0].pos).toBeCloseTo((31 / 365) * 600, 5); // Jan 1 is 31 of 365 days in
  });

  it('five years of months with 5 ticks shows one label per year', () => {
    const x = scaleUtc()
      .domain([new Date(Date.UTC(2010, 0, 1)), new Date(Date.UTC(2014, 11, 1))])
      .range([0, 300]);
    expect(timeTicks(x, 30 * DAY_MS, 5, true).map((t) => t.label)).toEqual(['2010', '2011', '2012', '2013', '2014']);
  });

  it('daily data falls back to d3 week ticks (Sundays of January 2011)', () => {
    const x = scaleUtc()
      .domain([new Date(Date.UTC(2011, 0, 1)), new Date(Date.UTC(2011, 0, 31))])
      .range([0, 500]);
    expect(timeTicks(x, DAY_MS, 5, true).map((t) => t.label)).toEqual(['Jan 02', 'Jan 09', 'Jan 16', 'Jan 23', 'Jan 30']);
  });

  it('names a point at the series resolution', () => {
    const d = new Date(Date.UTC(2011, 5, 1, 13, 5));
    expect(pointDateFormat(31 * DAY_MS, true)(d)).toBe('June 2011');
    expect(pointDateFormat(DAY_MS, true)(d)).toBe('Jun 1, 2011');
    expect(pointDateFormat(3_600_000, true)(d)).toBe('Jun 1, 2011 13:05');
  });
});
