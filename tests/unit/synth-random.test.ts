import { describe, expect, it } from 'vitest';
import { AliasSampler, Random, hashSeed, hashSeed4, logFactorial } from '../../src/lib/random';

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sum2 += x * x;
  }
  const mean = sum / n;
  return { mean, variance: sum2 / n - mean * mean };
}

describe('Random (xoshiro128**)', () => {
  it('matches the reference C implementation from state {1, 2, 3, 4}', () => {
    // Output of Blackman & Vigna's xoshiro128starstar.c, compiled with gcc, state s = {1, 2, 3, 4}.
    const r = Random.fromState(1, 2, 3, 4);
    expect([r.uint32(), r.uint32(), r.uint32(), r.uint32(), r.uint32(), r.uint32()]).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492,
    ]);
  });

  it('is deterministic per seed, differs across seeds, and reseed restarts the sequence', () => {
    const a = new Random(7);
    const b = new Random(7);
    const c = new Random(8);
    const sa = Array.from({ length: 20 }, () => a.uint32());
    expect(Array.from({ length: 20 }, () => b.uint32())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.uint32())).not.toEqual(sa);
    a.reseed(7);
    expect(Array.from({ length: 20 }, () => a.uint32())).toEqual(sa);
  });

  it('hashSeed4 equals hashSeed on four parts and separates nearby keys', () => {
    expect(hashSeed4(1, 2, 3, 4)).toBe(hashSeed(1, 2, 3, 4));
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(hashSeed4(42, 31, i, 0));
    expect(seen.size).toBe(10_000);
  });

  it('next() is uniform on [0, 1): mean 1/2, variance 1/12', () => {
    const r = new Random(1);
    const { mean, variance } = moments(() => r.next(), 200_000);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(variance).toBeCloseTo(1 / 12, 3);
  });

  it('normal(2, 3) has mean 2 and variance 9', () => {
    const r = new Random(2);
    const { mean, variance } = moments(() => r.normal(2, 3), 200_000);
    expect(Math.abs(mean - 2)).toBeLessThan(0.03);
    expect(Math.abs(variance - 9) / 9).toBeLessThan(0.02);
  });

  it('gamma(k, θ) has mean kθ and variance kθ², also for k < 1', () => {
    const r = new Random(3);
    for (const [k, theta] of [
      [2.5, 2],
      [0.4, 3],
    ]) {
      const { mean, variance } = moments(() => r.gamma(k, theta), 200_000);
      expect(Math.abs(mean - k * theta) / (k * theta)).toBeLessThan(0.02);
      expect(Math.abs(variance - k * theta * theta) / (k * theta * theta)).toBeLessThan(0.05);
    }
  });

  it('poisson(λ) has mean and variance λ on both algorithms (λ < 30 and λ ≥ 30), and P(0) = e^-λ', () => {
    const r = new Random(4);
    for (const lambda of [0.7, 3, 45, 400]) {
      const { mean, variance } = moments(() => r.poisson(lambda), 200_000);
      expect(Math.abs(mean - lambda) / lambda).toBeLessThan(0.01);
      expect(Math.abs(variance - lambda) / lambda).toBeLessThan(0.03);
    }
    let zeros = 0;
    for (let i = 0; i < 200_000; i++) if (r.poisson(0.7) === 0) zeros++;
    expect(zeros / 200_000).toBeCloseTo(Math.exp(-0.7), 2);
    // P(X = 45) for λ = 45 from the pmf formula, checked against the PTRS draws.
    let hits = 0;
    for (let i = 0; i < 400_000; i++) if (r.poisson(45) === 45) hits++;
    const pmf = Math.exp(-45 + 45 * Math.log(45) - logFactorial(45));
    expect(Math.abs(hits / 400_000 - pmf) / pmf).toBeLessThan(0.05);
  });

  it('logFactorial is exact for small k and accurate beyond the table', () => {
    expect(logFactorial(5)).toBeCloseTo(Math.log(120), 12);
    // ln(100!) = 363.73937555556347 (published value).
    expect(logFactorial(100)).toBeCloseTo(363.73937555556347, 9);
  });

  it('shuffle is a permutation and every position is equally likely', () => {
    const r = new Random(5);
    const counts = new Array<number>(5).fill(0);
    for (let t = 0; t < 50_000; t++) {
      const a = r.shuffle([0, 1, 2, 3, 4]);
      expect([...a].sort()).toEqual([0, 1, 2, 3, 4]);
      counts[a.indexOf(0)]++;
    }
    for (const c of counts) expect(Math.abs(c / 50_000 - 0.2)).toBeLessThan(0.01);
  });
});

describe('AliasSampler', () => {
  it('draws each index with probability weight / total', () => {
    const weights = [1, 0, 3, 6, 0.5, 9.5];
    const total = 20;
    const sampler = new AliasSampler(weights);
    const r = new Random(6);
    const counts = new Array<number>(weights.length).fill(0);
    const n = 400_000;
    for (let i = 0; i < n; i++) counts[sampler.sample(r)]++;
    expect(counts[1]).toBe(0);
    weights.forEach((w, i) => expect(Math.abs(counts[i] / n - w / total)).toBeLessThan(0.004));
  });

  it('agrees with weightedIndex on the same weights', () => {
    const weights = [2, 5, 1, 2];
    const r = new Random(7);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 100_000; i++) counts[r.weightedIndex(weights)]++;
    weights.forEach((w, i) => expect(Math.abs(counts[i] / 100_000 - w / 10)).toBeLessThan(0.006));
  });

  it('rejects empty, negative and all-zero weights with the bad value named', () => {
    expect(() => new AliasSampler([])).toThrow(/empty/);
    expect(() => new AliasSampler([1, -2])).toThrow(/-2/);
    expect(() => new AliasSampler([0, 0])).toThrow(/positive sum/);
  });
});
