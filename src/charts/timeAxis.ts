// Time-axis choices for TimeSeriesChart: which ticks, how to label them, how to name a point.
// Monthly data gets month-aligned ticks ("Jan 2011", "Apr", "Jul"…) instead of d3's weekly ones.
import {
  scaleTime,
  scaleUtc,
  timeFormat,
  timeMonth,
  utcFormat,
  utcMonth,
  type ScaleTime,
} from 'd3';
import { monthTickStride } from './helpers';
import type { Tick } from './types';

export const DAY_MS = 86_400_000;
/** Gaps of at least 28 days mean the series is monthly (or coarser). */
export const MONTHLY_MS = 28 * DAY_MS;

export function timeScale(utc: boolean): ScaleTime<number, number> {
  return utc ? scaleUtc() : scaleTime();
}

/** Whole months from a to b (b later), counting calendar months only. */
function monthsBetween(a: Date, b: Date, utc: boolean): number {
  return utc
    ? (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth()
    : (b.getFullYear() - a.getFullYear()) * 12 + b.getMonth() - a.getMonth();
}

/** Ticks for a time axis `x` whose data are `stepMs` apart, aiming for at most `maxTicks`. */
export function timeTicks(x: ScaleTime<number, number>, stepMs: number, maxTicks: number, utc: boolean): Tick[] {
  const [d0, d1] = x.domain();
  if (stepMs >= MONTHLY_MS) {
    const stride = monthTickStride(monthsBetween(d0, d1, utc) + 1, maxTicks);
    const interval = (utc ? utcMonth : timeMonth).every(stride);
    if (interval) {
      const fmt = utc ? utcFormat : timeFormat;
      const year = fmt('%Y');
      const monthYear = fmt('%b %Y');
      const month = fmt('%b');
      const isJanuary = (d: Date) => (utc ? d.getUTCMonth() : d.getMonth()) === 0;
      return x.ticks(interval).map((d, i) => ({
        pos: x(d),
        label: stride >= 12 ? year(d) : i === 0 || isJanuary(d) ? monthYear(d) : month(d),
      }));
    }
  }
  const format = x.tickFormat();
  return x.ticks(maxTicks).map((d) => ({ pos: x(d), label: format(d) }));
}

/** Formatter naming one data point at the series' resolution (month, day or minute). */
export function pointDateFormat(stepMs: number, utc: boolean): (d: Date) => string {
  const fmt = utc ? utcFormat : timeFormat;
  if (stepMs >= MONTHLY_MS) return fmt('%B %Y');
  if (stepMs >= DAY_MS) return fmt('%b %-d, %Y');
  return fmt('%b %-d, %Y %H:%M');
}
