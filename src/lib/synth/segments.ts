// The customer segments planted in the demo shop. Each one is a behaviour: when a customer is
// active, how often they order, how big their baskets are and how they react to price.

/** Days of silence before the end that make a customer "lapsed" (≈ 8 months). */
export const LAPSED_SILENT_DAYS = 245;
/** New customers place their first order within this many days of the end (≈ 3 months). */
export const NEW_WINDOW_DAYS = 90;

export interface SegmentSpec {
  name: string;
  /** Share of all customers. */
  share: number;
  /** Orders = minOrders + Poisson(extraOrders). */
  minOrders: number;
  extraOrders: number;
  /** Active window, as fractions of the span: the first order falls after a start drawn in [0, startMax]. */
  startMax: number;
  /** Distinct products per order = 1 + Poisson(extraLines). */
  extraLines: number;
  /** Units per line = 1 + Poisson(extraUnits). */
  extraUnits: number;
  /** Log-price coefficient in item choice: < 0 prefers cheap items, > 0 expensive ones. */
  priceTaste: number;
  /** Probability that a line is bought at a discount. */
  discountRate: number;
  /** Probability that an order has one line returned later. */
  returnRate: number;
}

export const SEGMENT_IDS = {
  loyal: 0,
  bargain: 1,
  oneTime: 2,
  lapsed: 3,
  new: 4,
  regular: 5,
} as const;

/** Indexed by the values of SEGMENT_IDS. */
export const SEGMENTS: readonly SegmentSpec[] = [
  { name: 'loyal big spenders', share: 0.08, minOrders: 12, extraOrders: 12, startMax: 0.35, extraLines: 2.2, extraUnits: 0.6, priceTaste: 0.6, discountRate: 0.05, returnRate: 0.05 },
  { name: 'bargain hunters', share: 0.15, minOrders: 5, extraOrders: 5, startMax: 0.5, extraLines: 1.6, extraUnits: 0.5, priceTaste: -1.4, discountRate: 0.65, returnRate: 0.07 },
  { name: 'one-time buyers', share: 0.22, minOrders: 1, extraOrders: 0, startMax: 1, extraLines: 1.0, extraUnits: 0.2, priceTaste: -0.3, discountRate: 0.08, returnRate: 0.06 },
  { name: 'lapsed customers', share: 0.15, minOrders: 2, extraOrders: 3, startMax: 0.15, extraLines: 1.3, extraUnits: 0.3, priceTaste: -0.2, discountRate: 0.08, returnRate: 0.05 },
  { name: 'new customers', share: 0.1, minOrders: 1, extraOrders: 1, startMax: 1, extraLines: 1.2, extraUnits: 0.3, priceTaste: -0.2, discountRate: 0.1, returnRate: 0.04 },
  { name: 'regular customers', share: 0.3, minOrders: 2, extraOrders: 3, startMax: 0.5, extraLines: 1.3, extraUnits: 0.3, priceTaste: -0.3, discountRate: 0.08, returnRate: 0.05 },
];

/** Customers per segment with exact shares (largest remainder); createDemoShop shuffles them over ordinals. */
export function segmentCounts(customers: number): number[] {
  const raw = SEGMENTS.map((s) => s.share * customers);
  const counts = raw.map(Math.floor);
  let left = customers - counts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let j = 0; left > 0; j = (j + 1) % order.length, left--) counts[order[j][1]]++;
  return counts;
}
