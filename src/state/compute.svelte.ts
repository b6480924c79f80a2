// The compute worker's state as runes, for the status bar and Settings. Worker failures (init,
// crash and restart) also reach the user as a notice.

import { getComputeClient, type ComputeState } from '../client/compute';
import { datasets } from './datasets.svelte';

class ComputeView {
  state = $state<ComputeState>({ status: 'starting', runtime: null, error: null, jobs: [], restarts: 0 });
  private started = false;

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
