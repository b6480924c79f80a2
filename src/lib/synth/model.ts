// The demo shop's hidden preferences and the fast item sampler built on them.
//
// A customer c picks item i with probability ∝ exp(u_c·v_i + t_c[cat i] + b_i + β_seg·ln(p_i/p̄)):
// low-rank factors u, v; a category taste t; a popularity b; and the segment's price taste β.
// Sampling is exact and cheap: the category is drawn from the customer's exact marginal, then the
// item from a per-category cumulative table of the customer's taste profile (binary search).
// Tables cost items floats per profile, so customers get their own profile while that fits a
// fixed budget; beyond it (benchmark-sized shops) customers of a segment share profiles.

import { Random, hashSeed } from '../random';
import { SEGMENTS } from './segments';

/** Floats all profile tables may take together (8 MB: cache-friendly, and per-customer at the default size). */
const PROFILE_BUDGET = 1 << 21;

export interface Preferences {
  dim: number;
  categories: number;
  /** First item index of each category, plus the item count at the end (items are grouped). */
  categoryStart: Int32Array;
  /** customers × dim: each customer's factor vector (their profile's). */
  customerFactors: Float32Array;
  itemFactors: Float32Array;
  /** Popularity b_i. */
  itemPopularity: Float32Array;
  /** Taste profile per customer. */
  profileOf: Uint32Array;
  /** profiles × items: cumulative choice probability within each category block (block ends at 1). */
  itemCdf: Float32Array;
  /** Per customer × category: cumulative probability of the category (last is 1). */
  categoryCdf: Float32Array;
}

export interface PreferenceInputs {
  seed: number;
  dim: number;
  segmentOf: Uint8Array;
  categoryOf: Uint8Array;
  categories: number;
  priceCents: Int32Array;
}

export function buildPreferences(inputs: PreferenceInputs, rng: Random): Preferences {
  const { dim, segmentOf, categoryOf, categories, priceCents } = inputs;
  const customers = segmentOf.length;
  const items = categoryOf.length;
  const segments = SEGMENTS.length;

  const categoryStart = new Int32Array(categories + 1);
  for (let i = 0; i < items; i++) categoryStart[categoryOf[i] + 1]++;
  for (let k = 0; k < categories; k++) categoryStart[k + 1] += categoryStart[k];

  // Item factors ~ N(0, 1/dim) and customer factors ~ N(segment mean, ·) of unit variance per
  // dimension, so u·v has a standard deviation near 1: strong enough to recover, not dominant.
  const itemFactors = new Float32Array(items * dim);
  const vScale = 1 / Math.sqrt(dim);
  for (let j = 0; j < itemFactors.length; j++) itemFactors[j] = rng.normal(0, vScale);
  const itemPopularity = new Float32Array(items);
  for (let i = 0; i < items; i++) itemPopularity[i] = rng.normal(0, 0.9);

  const segmentMean = new Float64Array(segments * dim);
  for (let j = 0; j < segmentMean.length; j++) segmentMean[j] = rng.normal(0, 0.5);
  const segmentTaste = new Float64Array(segments * categories);
  for (let j = 0; j < segmentTaste.length; j++) segmentTaste[j] = rng.normal(0, 0.8);

  // Geometric mean price: β·ln(p/p̄) is 0 for a typical item.
  let logSum = 0;
  for (let i = 0; i < items; i++) logSum += Math.log(priceCents[i]);
  const logRef = logSum / items;
  const base = new Float64Array(segments * items); // exp(b_i + β_s ln(p_i/p̄))
  for (let s = 0; s < segments; s++) {
    const beta = SEGMENTS[s].priceTaste;
    for (let i = 0; i < items; i++) {
      base[s * items + i] = Math.exp(itemPopularity[i] + beta * (Math.log(priceCents[i]) - logRef));
    }
  }

  // Profiles: one per customer when the budget allows, else a pool per segment sized by its share.
  const shared = customers * items > PROFILE_BUDGET;
  const profileOf = new Uint32Array(customers);
  let profiles: number;
  let profileSegment: Uint8Array;
  if (!shared) {
    profiles = customers;
    profileSegment = segmentOf;
    for (let c = 0; c < customers; c++) profileOf[c] = c;
  } else {
    const budget = Math.max(segments, Math.floor(PROFILE_BUDGET / items));
    const perSegment = SEGMENTS.map((sp) => Math.max(1, Math.floor(sp.share * budget)));
    const first = new Int32Array(segments + 1);
    for (let s = 0; s < segments; s++) first[s + 1] = first[s] + perSegment[s];
    profiles = first[segments];
    profileSegment = new Uint8Array(profiles);
    for (let s = 0; s < segments; s++) profileSegment.fill(s, first[s], first[s + 1]);
    const seen = new Uint32Array(segments);
    for (let c = 0; c < customers; c++) {
      const s = segmentOf[c];
      profileOf[c] = first[s] + (seen[s]++ % perSegment[s]);
    }
  }

  const profileFactors = new Float32Array(profiles * dim);
  const itemCdf = new Float32Array(profiles * items);
  const profileZ = new Float64Array(profiles * categories);
  const prng = new Random(0);
  for (let p = 0; p < profiles; p++) {
    const s = profileSegment[p];
    // One stream per profile: a customer's tastes do not depend on how many came before.
    prng.reseed(hashSeed(inputs.seed, 11, p));
    const u = p * dim;
    for (let d = 0; d < dim; d++) profileFactors[u + d] = segmentMean[s * dim + d] + prng.normal(0, 0.85);
    for (let k = 0; k < categories; k++) {
      let z = 0;
      const row = p * items;
      for (let i = categoryStart[k]; i < categoryStart[k + 1]; i++) {
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += profileFactors[u + d] * itemFactors[i * dim + d];
        z += base[s * items + i] * Math.exp(dot);
        itemCdf[row + i] = z;
      }
      for (let i = categoryStart[k]; i < categoryStart[k + 1]; i++) itemCdf[row + i] /= z;
      itemCdf[row + categoryStart[k + 1] - 1] = 1;
      profileZ[p * categories + k] = z;
    }
  }

  const customerFactors = new Float32Array(customers * dim);
  const categoryCdf = new Float32Array(customers * categories);
  const weights = new Float64Array(categories);
  const crng = new Random(0);
  for (let c = 0; c < customers; c++) {
    const s = segmentOf[c];
    const p = profileOf[c];
    customerFactors.set(profileFactors.subarray(p * dim, (p + 1) * dim), c * dim);
    crng.reseed(hashSeed(inputs.seed, 13, c));
    let total = 0;
    for (let k = 0; k < categories; k++) {
      const taste = segmentTaste[s * categories + k] + crng.normal(0, 0.6);
      weights[k] = Math.exp(taste) * profileZ[p * categories + k];
      total += weights[k];
    }
    let acc = 0;
    for (let k = 0; k < categories; k++) {
      acc += weights[k] / total;
      categoryCdf[c * categories + k] = acc;
    }
    categoryCdf[c * categories + categories - 1] = 1;
  }

  return { dim, categories, categoryStart, customerFactors, itemFactors, itemPopularity, profileOf, itemCdf, categoryCdf };
}

/** One item for customer c, drawn exactly from the model's distribution. */
export function sampleItem(p: Preferences, c: number, rng: Random): number {
  const K = p.categories;
  const cdf = p.categoryCdf;
  const row = c * K;
  let r = rng.next();
  let k = 0;
  while (k < K - 1 && cdf[row + k] <= r) k++;
  const items = p.categoryStart[K];
  const base = p.profileOf[c] * items;
  const t = p.itemCdf;
  r = rng.next();
  let lo = p.categoryStart[k];
  let hi = p.categoryStart[k + 1] - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[base + mid] > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
