// Counts the blocks taken from tfjs-wasm's heap and not yet given back, for leak tests.
import type * as TfCore from '@tensorflow/tfjs-core';
import type { EmscriptenHeap } from '../../src/lib/ml/kmeans-kernel';

export function spyOnWasmHeap(tf: typeof TfCore): { live: Set<number>; restore: () => void } {
  const heap = (tf.backend() as unknown as { wasm: EmscriptenHeap }).wasm;
  // emscripten's first call swaps its wrapper for the raw export: make that happen before wrapping.
  heap._free(heap._malloc(16));
  const malloc = heap._malloc;
  const free = heap._free;
  const live = new Set<number>();
  heap._malloc = (bytes) => {
    const p = malloc(bytes);
    live.add(p);
    return p;
  };
  heap._free = (p) => {
    live.delete(p);
    free(p);
  };
  return {
    live,
    restore: () => {
      heap._malloc = malloc;
      heap._free = free;
    },
  };
}
