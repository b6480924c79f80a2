// What one order contains. Each order's contents come from its own seed (shop seed, customer,
// ordinal), so a return can re-create the order it returns a line of, and the stream needs no
// memory of past orders.

import { Random, hashSeed4 } from '../random';
import { type Preferences, sampleItem } from './model';
import { SEGMENTS } from './segments';

/** Lines one order can hold (picked products plus completed bundles). */
const MAX_LINES = 48;
const MAX_PICKS = 16;
const MAX_UNITS = 24;
/** When one bundle member is picked, the rest usually come along. */
const BUNDLE_ALL_RATE = 0.6;
const BUNDLE_EACH_RATE = 0.15;
const DISCOUNTS = [0.1, 0.15, 0.2, 0.25, 0.3, 0.4];

export interface BasketContext {
  seed: number;
  prefs: Preferences;
  segmentOf: Uint8Array;
  priceCents: Int32Array;
  /** Bundle index per item, -1 when the item is in none. */
  bundleOf: Int32Array;
  bundles: number[][];
}

/** Seeds the bundle picker: disjoint pairs and triples of items, mostly within a category. */
export function chooseBundles(rng: Random, categoryStart: Int32Array, items: number): number[][] {
  const count = Math.max(1, Math.round(items / 20));
  const used = new Uint8Array(items);
  const bundles: number[][] = [];
  const categories = categoryStart.length - 1;
  for (let b = 0; b < count && items >= 3 * (b + 1); b++) {
    const size = b % 3 === 2 ? 3 : 2;
    const bundle: number[] = [];
    for (let guard = 0; bundle.length < size && guard < 10_000; guard++) {
      let i: number;
      if (bundle.length > 0 && rng.next() < 0.7) {
        // A companion from the same category (grinder + beans), otherwise from anywhere.
        let k = 0;
        while (k < categories - 1 && categoryStart[k + 1] <= bundle[0]) k++;
        i = categoryStart[k] + rng.int(categoryStart[k + 1] - categoryStart[k]);
      } else {
        i = rng.int(items);
      }
      if (!used[i]) {
        used[i] = 1;
        bundle.push(i);
      }
    }
    if (bundle.length >= 2) bundles.push(bundle.sort((a, b2) => a - b2));
  }
  return bundles;
}

export class BasketMaker {
  readonly item = new Int32Array(MAX_LINES);
  readonly quantity = new Int32Array(MAX_LINES);
  readonly unitCents = new Int32Array(MAX_LINES);
  count = 0;
  private readonly rng = new Random(0);

  constructor(private readonly ctx: BasketContext) {}

  /** Fills the buffers with order `j` of customer `c`. */
  make(c: number, j: number): void {
    const { ctx, rng } = this;
    const s = ctx.segmentOf[c];
    const spec = SEGMENTS[s];
    rng.reseed(hashSeed4(ctx.seed, 31, c, j));
    const picks = Math.min(MAX_PICKS, 1 + rng.poisson(spec.extraLines));
    this.count = 0;
    for (let p = 0; p < picks; p++) {
      let i = sampleItem(ctx.prefs, c, rng);
      // One line per product: redraw a repeat a few times, then give up on this pick.
      for (let t = 0; t < 8 && this.has(i); t++) i = sampleItem(ctx.prefs, c, rng);
      if (this.has(i)) continue;
      this.add(i, spec.extraUnits, spec.discountRate);
      const b = ctx.bundleOf[i];
      if (b >= 0) {
        const all = rng.next() < BUNDLE_ALL_RATE;
        for (const other of ctx.bundles[b]) {
          if (other !== i && !this.has(other) && (all || rng.next() < BUNDLE_EACH_RATE)) {
            this.add(other, spec.extraUnits, spec.discountRate);
          }
        }
      }
    }
  }

  /** Fills the buffers with the single returned line of order `j` of customer `c`. */
  makeReturn(c: number, j: number): void {
    this.make(c, j);
    const rng = this.rng;
    rng.reseed(hashSeed4(this.ctx.seed, 37, c, j));
    const line = rng.int(this.count);
    const bought = this.quantity[line];
    this.item[0] = this.item[line];
    this.unitCents[0] = this.unitCents[line];
    // Mostly one unit back, sometimes the whole line.
    this.quantity[0] = -(rng.next() < 0.7 ? 1 : bought);
    this.count = 1;
  }

  private has(i: number): boolean {
    for (let l = 0; l < this.count; l++) if (this.item[l] === i) return true;
    return false;
  }

  private add(i: number, extraUnits: number, discountRate: number): void {
    if (this.count >= MAX_LINES) return;
    const rng = this.rng;
    const l = this.count++;
    this.item[l] = i;
    this.quantity[l] = Math.min(MAX_UNITS, 1 + rng.poisson(extraUnits));
    const list = this.ctx.priceCents[i];
    this.unitCents[l] = rng.next() < discountRate ? Math.round(list * (1 - DISCOUNTS[rng.int(DISCOUNTS.length)])) : list;
  }
}
