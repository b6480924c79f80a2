/** Draws an item index in [0, items) with P(i) ∝ 1 / (i + 1), one `rnd()` per draw. */
export function zipfPicker(rnd: () => number, items: number): () => number;
