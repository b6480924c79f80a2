// Zipf(1) popularity for the benchmarks' synthetic ratings (one definition, so bench/recommend.mjs
// and bench/gpu draw the same items from the same random stream).

/** Draws an item index in [0, items) with P(i) ∝ 1 / (i + 1), one `rnd()` per draw. */
export function zipfPicker(rnd, items) {
  const cdf = new Float64Array(items);
  let total = 0;
  for (let i = 0; i < items; i++) cdf[i] = total += 1 / (i + 1);
  return () => {
    const x = rnd() * total;
    let lo = 0;
    let hi = items - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}
