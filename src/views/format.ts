// Display formatting shared by the views. Numbers in en-US grouping; dates as ISO days (UTC).

// One formatter each: `toLocaleString('en-US')` builds a new one on every call (~25 µs in V8, and
// progress figures are formatted many times a second).
const GROUPED = new Intl.NumberFormat('en-US');
const CENTS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatInt(n: number): string {
  return GROUPED.format(Math.round(n));
}

export function formatMoney(n: number): string {
  return CENTS.format(n);
}

/** Money without cents, for axes and large totals where cents are noise. */
export function formatMoneyWhole(n: number): string {
  return GROUPED.format(Math.round(n));
}

export function formatDay(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  return new Date(ms).toISOString().slice(0, 10);
}

export function formatRange(first: number | null, last: number | null): string {
  if (first === null || last === null) return 'no dates';
  return `${formatDay(first)} – ${formatDay(last)}`;
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value >= 100 || unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}
