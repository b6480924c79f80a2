// The compute worker's state as runes, for the status bar and Settings.

import { getComputeClient, type ComputeState } from '../client/compute';

class ComputeView {
  state = $state<ComputeState>({ status: 'starting', runtime: null, error: null, jobs: [], restarts: 0 });
  private started = false;

  /** Starts the compute worker (and its backend probe) once, on first use. */
  start(): void {
    if (this.started) return;
    this.started = true;
    getComputeClient().subscribe((s) => (this.state = s));
  }
}

export const compute = new ComputeView();
