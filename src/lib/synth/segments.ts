// The customer segments planted in the demo shop. Each one is a behaviour: when a customer is
// active, how often they order, how big their baskets are and how they react to price.

/** Days of silence before the end that make a customer "lapsed" (≈ 8 months). */
export const LAPSED_SILENT_DAYS = 245;
/** New customers place their first order within this many days of the end (≈ 3 months). */
export const NEW_WINDOW_DAYS = 90;
/** A one-time buyer's single order is at least this old (≈ 6 months): too soon to call it "one-time" otherwise. */
export const ONE_TIME_MIN_AGE_DAYS = 180;

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
  // Many orders of big baskets with dearer items, from early on and still buying.
  { name: 'loyal big spenders', share: 0.08, minOrders: 16, extraOrders: 14, startMax: 0.35, extraLines: 2.4, extraUnits: 0.6, priceTaste: 1.0, discountRate: 0.05, returnRate: 0.05 },
  // Frequent small orders of the cheapest items, mostly on offer: low order value, high frequency.
  { name: 'bargain hunters', share: 0.15, minOrders: 10, extraOrders: 8, startMax: 0.5, extraLines: 0.6, extraUnits: 0.3, priceTaste: -1.8, discountRate: 0.65, returnRate: 0.07 },
  // One trial order, at least ONE_TIME_MIN_AGE_DAYS ago. Like most first orders it is a modest
  // basket of a few items (shops nudge first orders past a free-delivery threshold), not one item.
  { name: 'one-time buyers', share: 0.22, minOrders: 1, extraOrders: 0, startMax: 1, extraLines: 2.2, extraUnits: 0.2, priceTaste: 0, discountRate: 0.08, returnRate: 0.06 },
  // Ordered like regulars early on, then silent for at least LAPSED_SILENT_DAYS.
  { name: 'lapsed customers', share: 0.15, minOrders: 3, extraOrders: 3, startMax: 0.15, extraLines: 1.5, extraUnits: 0.3, priceTaste: -0.1, discountRate: 0.08, returnRate: 0.05 },
  // First order within the last NEW_WINDOW_DAYS; one to a few orders so far.
  { name: 'new customers', share: 0.1, minOrders: 1, extraOrders: 1.2, startMax: 1, extraLines: 1.8, extraUnits: 0.3, priceTaste: -0.1, discountRate: 0.1, returnRate: 0.04 },
  // Mid everything: a handful of mid-sized orders spread over a year or more, still active.
  { name: 'regular customers', share: 0.3, minOrders: 6, extraOrders: 4, startMax: 0.5, extraLines: 1.6, extraUnits: 0.4, priceTaste: 0, discountRate: 0.08, returnRate: 0.05 },
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
