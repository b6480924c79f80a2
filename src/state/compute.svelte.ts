// The compute worker's state as runes, for the status bar and Settings. Worker failures (init,
// crash and restart) also reach the user as a notice.

import { getComputeClient, type ComputeState } from '../client/compute';
import { datasets } from './datasets.svelte';

class ComputeView {
  state = $state<ComputeState>({ status: 'starting', runtime: null, error: null, jobs: [], restarts: 0 });
  /** False until the worker (and its backend probe) is started. */
  started = $state(false);

  /** Starts the compute worker (and its backend probe) once, on first use. */
  start(): void {
    if (this.started) return;
    this.started = true;
    getComputeClient().subscribe((next) => {
      if (next.error && next.error !== this.state.error) datasets.notify('error', next.error);
      this.state = next;
    });
  }
}

export const compute = new ComputeView();

/**
 * Runs `start` when the page is next idle (within `timeoutMs`); returns the cancel. The backend
 * probe loads TensorFlow.js and tries WebGPU, WebGL and WASM: seconds of CPU on a small machine,
 * which must not land on an import (measured here: a 1M-line import took 2.7–3.0 s with the probe
 * running beside it, 2.3–2.4 s without).
 */
export function whenIdle(start: () => void, timeoutMs = 2_000): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(start, { timeout: timeoutMs });
    return () => cancelIdleCallback(handle);
  }
  const handle = setTimeout(start, timeoutMs);
  return () => clearTimeout(handle);
}
