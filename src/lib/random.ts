// Seeded randomness shared by the demo shop, data splits and k-means++: one small, fast generator
// (xoshiro128**) whose whole state is four 32-bit words, so the same seed gives the same numbers in
// every browser and under Node.

/** murmur3's per-word mix: one 32-bit part folded into the running hash. */
function mixPart(h: number, part: number): number {
  // Fold doubles beyond 32 bits in too, so large seeds and ids stay distinct.
  let k = (part | 0) ^ (part > 4294967295 || part < -2147483648 ? Math.floor(part / 4294967296) : 0);
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Mixes any number of integers into one 32-bit seed (murmur3-style). */
export function hashSeed(...parts: number[]): number {
  let h = 0x9e3779b9 | 0;
  for (const part of parts) h = mixPart(h, part);
  return finish(h);
}

/** hashSeed(a, b, c, d) without the rest-argument array, for per-record seeds in hot loops. */
export function hashSeed4(a: number, b: number, c: number, d: number): number {
  return finish(mixPart(mixPart(mixPart(mixPart(0x9e3779b9 | 0, a), b), c), d));
}

const TWO_POW_32 = 4294967296;

/** splitmix32's output function. */
function splitmixOut(x: number): number {
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}

/** A seeded pseudo-random generator (xoshiro128**, seeded through splitmix32). */
export class Random {
  /** The four state words; a typed array keeps them unboxed (object fields would allocate). */
  private readonly s = new Int32Array(4);
  /** Second Box–Muller value, kept so normals cost one log/sqrt per pair. */
  private spare = NaN;

  constructor(seed = 0) {
    this.reseed(seed);
  }

  /** Restarts the sequence from a seed; cheaper than a new instance in hot loops. */
  reseed(seed: number): void {
    if (!Number.isFinite(seed)) throw new RangeError(`Random: seed must be a finite number, got ${seed}`);
    // splitmix32 spreads one seed over the four state words (never all zero).
    let x = hashSeed(seed);
    const st = this.s;
    for (let w = 0; w < 4; w++) {
      x = (x + 0x9e3779b9) | 0;
      st[w] = splitmixOut(x);
    }
    if ((st[0] | st[1] | st[2] | st[3]) === 0) st[0] = 1;
    this.spare = NaN;
  }

  /** A generator with the exact xoshiro128** state given (for checking against the reference C code). */
  static fromState(s0: number, s1: number, s2: number, s3: number): Random {
    const r = new Random(0);
    r.s[0] = s0;
    r.s[1] = s1;
    r.s[2] = s2;
    r.s[3] = s3;
    if ((s0 | s1 | s2 | s3) === 0) throw new RangeError('Random.fromState: state must not be all zero');
    return r;
  }

  /** An independent generator for a sub-task, derived from this one's next output and a label. */
  fork(label = 0): Random {
    return new Random(hashSeed(this.uint32(), label));
  }

  /** Uniform 32-bit unsigned integer. */
  uint32(): number {
    const st = this.s;
    const s0 = st[0];
    const s1 = st[1];
    const s2 = st[2];
    const s3 = st[3];
    let r = Math.imul(s1, 5);
    r = (r << 7) | (r >>> 25);
    r = Math.imul(r, 9);
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    st[1] = s1 ^ n2;
    st[0] = s0 ^ n3;
    st[2] = n2 ^ t;
    st[3] = (n3 << 11) | (n3 >>> 21);
    return r >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [0, n); n must be a positive integer ≤ 2^32. */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** Normal(mean, sd) by the Box–Muller transform. */
  normal(mean = 0, sd = 1): number {
    let z = this.spare;
    if (Number.isNaN(z)) {
      // 1 - next() lies in (0, 1], so the log is finite.
      const r = Math.sqrt(-2 * Math.log(1 - this.next()));
      const a = 2 * Math.PI * this.next();
      z = r * Math.cos(a);
      this.spare = r * Math.sin(a);
    } else {
      this.spare = NaN;
    }
    return mean + sd * z;
  }

  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate = 1): number {
    return -Math.log(1 - this.next()) / rate;
  }

  /** Gamma(shape, scale) by Marsaglia & Tsang (2000); shape < 1 uses the u^(1/shape) boost. */
  gamma(shape: number, scale = 1): number {
    if (!(shape > 0) || !(scale > 0)) throw new RangeError(`Random.gamma: shape and scale must be > 0, got ${shape}, ${scale}`);
    if (shape < 1) {
      const u = 1 - this.next();
      return this.gamma(shape + 1, scale) * Math.pow(u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  }

  /**
   * Poisson(lambda): multiplication method (Knuth) below 30, else Hörmann's PTRS transformed
   * rejection (1993), which is exact and O(1).
   */
  poisson(lambda: number): number {
    if (!(lambda >= 0)) throw new RangeError(`Random.poisson: lambda must be ≥ 0, got ${lambda}`);
    if (lambda === 0) return 0;
    if (lambda < 30) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = this.next();
      while (p > limit) {
        k++;
        p *= this.next();
      }
      return k;
    }
    const slam = Math.sqrt(lambda);
    const loglam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.next() - 0.5;
      const v = 1 - this.next();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) {
        return k;
      }
    }
  }

  /** Index drawn with probability proportional to weights (linear scan; use AliasSampler for many draws). */
  weightedIndex(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i];
    if (!(total > 0)) throw new RangeError('Random.weightedIndex: weights must have a positive sum');
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    // Rounding can leave r ≥ 0 after the last subtraction: return the last positive weight.
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
    return weights.length - 1;
  }

  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }
}

/** ln(k!) exactly for small k (table), by Stirling's series beyond. */
const LOG_FACT_TABLE: number[] = (() => {
  const t = [0];
  for (let k = 1; k < 64; k++) t.push(t[k - 1] + Math.log(k));
  return t;
})();

export function logFactorial(k: number): number {
  if (k < LOG_FACT_TABLE.length) return LOG_FACT_TABLE[k];
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
}

/**
 * Walker's alias method (Vose's construction): O(n) set-up, then O(1) draws from a fixed discrete
 * distribution — the right tool when one distribution is sampled many times.
 */
export class AliasSampler {
  readonly size: number;
  private readonly prob: Float64Array;
  private readonly alias: Uint32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new RangeError('AliasSampler: weights must not be empty');
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`AliasSampler: weight ${i} must be finite and ≥ 0, got ${w}`);
      total += w;
    }
    if (!(total > 0)) throw new RangeError('AliasSampler: weights must have a positive sum');
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Uint32Array(n);
    const scaled = new Float64Array(n);
    const small = new Uint32Array(n);
    const large = new Uint32Array(n);
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i] * n) / total;
      if (scaled[i] < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns];
      const l = large[nl - 1];
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      if (scaled[l] < 1) {
        nl--;
        small[ns++] = l;
      }
    }
    // What is left is 1 up to rounding.
    while (nl > 0) {
      const l = large[--nl];
      this.prob[l] = 1;
      this.alias[l] = l;
    }
    while (ns > 0) {
      const s = small[--ns];
      this.prob[s] = 1;
      this.alias[s] = s;
    }
  }

  /** One index drawn with probability weight[i] / Σ weights. */
  sample(rng: Random): number {
    const x = rng.next() * this.size;
    const i = Math.floor(x);
    return x - i < this.prob[i] ? i : this.alias[i];
  }
}
