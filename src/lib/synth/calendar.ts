// The demo shop's calendar: which days exist, how busy each one is (weekly and yearly rhythm) and
// how a day and minute are written in the export.

const DAY_MS = 86_400_000;

/** Relative order volume per calendar month (Jan…Dec): December peak, summer dip. */
const MONTH_FACTOR = [0.95, 0.85, 0.95, 0.95, 0.95, 0.85, 0.7, 0.75, 0.95, 1.0, 1.3, 1.7];
/** Relative volume per weekday (Sun…Sat, as getUTCDay): Sunday and Monday evenings are busiest. */
const WEEKDAY_FACTOR = [1.15, 1.1, 1.0, 1.0, 1.0, 0.9, 0.85];
/** Relative volume per hour of day (UTC): quiet nights, a lunch bump and an evening peak. */
export const HOUR_WEIGHTS = [
  0.15, 0.08, 0.05, 0.04, 0.04, 0.08, 0.25, 0.5, 0.75, 0.9, 1.0, 1.1, 1.3, 1.25, 1.0, 0.95, 0.95, 1.0, 1.2, 1.5, 1.6,
  1.4, 0.9, 0.4,
];

export interface Calendar {
  /** 00:00 UTC of the first day, ms since epoch. */
  startMs: number;
  days: number;
  /** Cumulative relative volume: cdf[d] = Σ weight of days before d; length days + 1. */
  cdf: Float64Array;
  /** "YYYY-MM-DDT" per day. */
  dayPrefix: string[];
  /** "HH:MM:00Z" per minute of the day. */
  minuteSuffix: string[];
}

/** Parses 'YYYY-MM-DD' strictly, as 00:00 UTC of that day. */
export function parseIsoDay(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || new Date(ms).toISOString().slice(0, 10) !== text) {
    throw new RangeError(`endDate must be an ISO day like 2026-10-31, got "${text}"`);
  }
  return ms;
}

/** The `months` calendar months ending with (and including) the day `endMs`. */
export function buildCalendar(endMs: number, months: number): Calendar {
  // The day after the end, moved back `months` months: 2026-10-31 and 24 months → 2024-11-01.
  const after = new Date(endMs + DAY_MS);
  const startMs = Date.UTC(after.getUTCFullYear(), after.getUTCMonth() - months, after.getUTCDate());
  const days = Math.round((endMs - startMs) / DAY_MS) + 1;
  const cdf = new Float64Array(days + 1);
  const dayPrefix: string[] = new Array<string>(days);
  for (let d = 0; d < days; d++) {
    const date = new Date(startMs + d * DAY_MS);
    let w = MONTH_FACTOR[date.getUTCMonth()] * WEEKDAY_FACTOR[date.getUTCDay()];
    // Christmas Eve to Boxing Day are quiet; the fortnight before is the busiest of the year.
    const dom = date.getUTCDate();
    if (date.getUTCMonth() === 11) w *= dom >= 24 && dom <= 26 ? 0.4 : dom >= 8 && dom <= 22 ? 1.25 : 1;
    // A gentle growth trend of ~15 % over the span, as a young shop has.
    w *= 1 + (0.15 * d) / days;
    cdf[d + 1] = cdf[d] + w;
    dayPrefix[d] = date.toISOString().slice(0, 11);
  }
  const minuteSuffix: string[] = new Array<string>(1440);
  for (let m = 0; m < 1440; m++) {
    minuteSuffix[m] = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00Z`;
  }
  return { startMs, days, cdf, dayPrefix, minuteSuffix };
}

/** The day d in [from, to] (inclusive) whose cumulative volume first exceeds `target`. */
export function dayAt(cal: Calendar, from: number, to: number, u: number): number {
  const lo0 = cal.cdf[from];
  const target = lo0 + u * (cal.cdf[to + 1] - lo0);
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cal.cdf[mid + 1] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
