// The benchmarks' seeded generator for their synthetic data (one definition, so every bench that
// says "seeded" draws from the same stream for a given seed).

/** mulberry32: a tiny seeded generator of uniforms in [0, 1), enough for benchmark data. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
