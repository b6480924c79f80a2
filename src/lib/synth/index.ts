// The seeded demo shop: see shop.ts for the generator and csv.ts for the CSV export.
export { createDemoShop, customersForLines, DEMO_COLUMNS, formatCents } from './shop';
export type { DemoShop, DemoShopOptions, DemoTruth, DemoLine } from './shop';
export { writeDemoCsv, csvField } from './csv';
export { SEGMENTS, SEGMENT_IDS, LAPSED_SILENT_DAYS, NEW_WINDOW_DAYS, ONE_TIME_MIN_AGE_DAYS } from './segments';
export { CATEGORY_SPECS, MAX_CATEGORIES } from './catalog';
