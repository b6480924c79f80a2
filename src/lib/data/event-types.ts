// Event-type cells → EVENT_TYPES index. Case-insensitive; '-', '_' and spaces are ignored, so
// "add_to_cart", "Add to cart" and "addtocart" (RetailRocket) are one value.

import { EVENT_TYPES, type EventType } from './schema';

// A Map, not an object literal: a cell like "constructor" must not hit Object.prototype.
const ALIASES = new Map<string, EventType>(Object.entries({
  purchase: 'purchase',
  order: 'purchase',
  buy: 'purchase',
  sale: 'purchase',
  transaction: 'purchase',
  return: 'return',
  refund: 'return',
  returned: 'return',
  view: 'view',
  click: 'view',
  pageview: 'view',
  detail: 'view',
  cart: 'cart',
  addtocart: 'cart',
  add: 'cart',
  rating: 'rating',
  rate: 'rating',
}) as [string, EventType][]);

export const EVENT_INDEX: Record<EventType, number> = Object.fromEntries(
  EVENT_TYPES.map((t, i) => [t, i]),
) as Record<EventType, number>;

/** Index into EVENT_TYPES, or -1 when the value is not a known event name. */
export function eventTypeIndex(cell: string): number {
  let key = '';
  const s = cell.toLowerCase();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 45 && c !== 95 && c !== 9) key += s[i];
  }
  const t = ALIASES.get(key);
  return t === undefined ? -1 : EVENT_INDEX[t];
}

/** A small cache in front of eventTypeIndex: event columns hold a handful of distinct strings. */
export class EventTypeReader {
  private readonly cache = new Map<string, number>();
  read(cell: string): number {
    let v = this.cache.get(cell);
    if (v === undefined) {
      v = eventTypeIndex(cell);
      if (this.cache.size < 1024) this.cache.set(cell, v);
    }
    return v;
  }
}
