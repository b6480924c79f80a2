// The customer-feature table of the Segments view: computed by the data worker on request (it
// reads every event, ~1 s for 100k customers), kept for the dataset on screen so closing and
// reopening the card costs nothing.

import { callData } from '../client/ingest';
import type { CustomerFeatureTable } from '../../workers/ingest.worker';
import { messageOf } from './datasets.svelte';

export type { CustomerFeatureTable };

class FeatureTableState {
  /** Dataset whose table is loaded or loading. */
  datasetId = $state<string | null>(null);
  /** Raw: 100k × 14 numbers and 100k ids must not become deep proxies. */
  table = $state.raw<CustomerFeatureTable | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  /** Milliseconds the last computation took (worker call, round trip included). */
  ms = $state<number | null>(null);
  /** Bumped on every load so an answer for an older request is dropped. */
  private token = 0;

  /** Computes the table of `datasetId` unless it is already here (or on its way). */
  async load(datasetId: string): Promise<void> {
    if (this.datasetId === datasetId && (this.table || this.loading)) return;
    const token = ++this.token;
    this.datasetId = datasetId;
    this.table = null;
    this.error = null;
    this.ms = null;
    this.loading = true;
    const t0 = performance.now();
    try {
      const table = await callData((api) => api.customerFeatures(datasetId));
      if (token !== this.token) return;
      this.table = table;
      this.ms = performance.now() - t0;
    } catch (error) {
      if (token === this.token) this.error = `Could not compute the customer features: ${messageOf(error)}`;
    } finally {
      if (token === this.token) this.loading = false;
    }
  }

  /** Forgets the table (another dataset is on screen, or the user asked for a fresh one). */
  reset(): void {
    this.token++;
    this.datasetId = null;
    this.table = null;
    this.loading = false;
    this.error = null;
    this.ms = null;
  }
}

export const featureTable = new FeatureTableState();
