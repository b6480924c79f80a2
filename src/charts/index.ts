// Public entry of the chart components.
export { default as ChartFrame } from './ChartFrame.svelte';
export { default as BarChart } from './BarChart.svelte';
export { default as TimeSeriesChart } from './TimeSeriesChart.svelte';
export { default as HistogramChart } from './HistogramChart.svelte';
export * from './helpers';
export { serializeSvg, downloadSvg, downloadPng, renderPng } from './export';
export type { ChartApi, Margin, Tick } from './types';
export { LIGHT_THEME, contrastRatio, relativeLuminance, type ChartTheme } from './theme';
