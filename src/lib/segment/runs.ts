// How segmentation runs are kept in the store's results: a list of summaries, and each run whole.

export interface SegmentRunSummary {
  id: string;
  createdAt: number;
  k: number;
  inertia: number;
  silhouette: number;
  backend: string;
  seconds: number;
  customers: number;
  features: string[];
  /** File name, when the run was imported from a JSON model rather than computed here. */
  importedFrom?: string;
}

/** Result kind of the list of runs of a dataset. */
export const SEGMENT_RUNS = 'segmentation-runs';

/** Result kind of one whole run. */
export function runKind(id: string): string {
  return `segmentation:${id}`;
}
