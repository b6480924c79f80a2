/** mulberry32: a tiny seeded generator of uniforms in [0, 1), enough for benchmark data. */
export function mulberry32(seed: number): () => number;
