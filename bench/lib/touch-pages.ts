// Input data handed to a timed fit should be resident, as scikit-learn's is (its runners convert X
// with astype before the clock starts). On this VM the first access to each page of a freshly read
// file costs ~2 ms per MB even after readFileSync/arrayBuffer returned, so an untouched input would
// charge that to whichever fit reads it first.

/** Reads one word per 4 KB page of `a`; returns a value so the reads cannot be optimised away. */
export function touchPages(a: ArrayBufferView): number {
  const words = new Int32Array(a.buffer, a.byteOffset, a.byteLength >> 2);
  let s = 0;
  for (let i = 0; i < words.length; i += 1024) s ^= words[i];
  return s;
}
