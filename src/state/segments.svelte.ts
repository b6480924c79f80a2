// The Segments view's state: the saved runs of the active dataset, the run on screen, and the
// segmentation job while it runs. Runs are computed and saved by the compute worker's 'segment'
// job; they are read (and renamed) through the data worker, so a reload finds them again.

import { callData } from '../client/ingest';
import { getComputeClient } from '../client/compute';
import { isJobCancelled, type JobProgress } from '../lib/compute/jobs';
import type { SegmentationParams, SegmentationResult } from '../lib/segment/run';
import { SEGMENT_RUNS, runKind, type SegmentRunSummary } from '../lib/segment/runs';
import { runFromJson, runToJson } from '../lib/segment/model-json';
import { datasets, messageOf } from './datasets.svelte';
import { jobs } from './jobs.svelte';

/** A saved result; comlink's Remote drops loadResult's type parameter, so it is restored here. */
async function loadSaved<T>(datasetId: string, kind: string): Promise<T | undefined> {
  return (await callData((api) => api.loadResult(datasetId, kind))) as T | undefined;
}

class SegmentsState {
  /** Dataset whose runs are loaded (null before the first load). */
  datasetId = $state<string | null>(null);
  runs = $state<SegmentRunSummary[]>([]);
  selectedId = $state<string | null>(null);
  /** Raw: typed arrays of up to millions of numbers must not become proxies. */
  result = $state.raw<SegmentationResult | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  progress = $state<JobProgress | null>(null);
  running = $state(false);
  private cancelJob: (() => void) | null = null;
  /** Bumped on every load so an answer for an older request is dropped. */
  private token = 0;

  /** Loads the saved runs of `datasetId` and shows the latest. */
  async open(datasetId: string): Promise<void> {
    const token = ++this.token;
    this.datasetId = datasetId;
    this.runs = [];
    this.selectedId = null;
    this.result = null;
    this.error = null;
    this.loading = true;
    try {
      const runs = (await loadSaved<SegmentRunSummary[]>(datasetId, SEGMENT_RUNS)) ?? [];
      if (token !== this.token) return;
      this.runs = [...runs].sort((a, b) => b.createdAt - a.createdAt);
      if (this.runs.length > 0) await this.select(this.runs[0].id, token);
    } catch (error) {
      if (token === this.token) this.error = `Could not read the saved segmentations: ${messageOf(error)}`;
    } finally {
      if (token === this.token) this.loading = false;
    }
  }

  /** Shows the saved run `runId`. */
  async select(runId: string, token = ++this.token): Promise<void> {
    const id = this.datasetId;
    if (!id) return;
    this.selectedId = runId;
    this.loading = true;
    try {
      const result = await loadSaved<SegmentationResult>(id, runKind(runId));
      if (token !== this.token) return;
      this.result = result ?? null;
      if (!result) this.error = 'That run is no longer stored.';
    } catch (error) {
      if (token === this.token) this.error = `Could not load the run: ${messageOf(error)}`;
    } finally {
      if (token === this.token) this.loading = false;
    }
  }

  /** Runs a segmentation of the active dataset in the compute worker, then shows it. */
  async run(params: SegmentationParams): Promise<void> {
    const datasetId = this.datasetId;
    if (!datasetId || this.running) return;
    const label = `Segmentation (k ${params.k === 'auto' ? 'auto' : params.k})`;
    this.error = null;
    this.progress = { fraction: 0, message: 'starting…' };
    this.running = true;
    const job = getComputeClient().run('segment', { ...params, datasetId }, {
      label,
      onProgress: (p) => {
        this.progress = p;
        jobs.update(listed, p.fraction, p.message);
      },
    });
    const listed = jobs.add(label, job.cancel);
    this.cancelJob = job.cancel;
    try {
      const summary = await job.promise;
      if (this.datasetId === datasetId) await this.open(datasetId).then(() => this.selectIfListed(summary.id));
    } catch (error) {
      if (isJobCancelled(error)) datasets.notify('info', 'Segmentation cancelled.');
      else this.error = messageOf(error);
    } finally {
      jobs.remove(listed);
      this.cancelJob = null;
      this.running = false;
      this.progress = null;
    }
  }

  cancel(): void {
    this.cancelJob?.();
  }

  /** Renames segment `segment` of the run on screen and saves the run. */
  async rename(segment: number, name: string): Promise<void> {
    const result = this.result;
    const datasetId = this.datasetId;
    const runId = this.selectedId;
    if (!result || !datasetId || !runId || result.names[segment] === name) return;
    const names = result.names.map((n, i) => (i === segment ? name : n));
    const profiles = result.profiles.map((p, i) => (i === segment ? { ...p, name } : p));
    const next: SegmentationResult = { ...result, names, profiles };
    this.result = next;
    try {
      await callData((api) => api.saveResult(datasetId, runKind(runId), next));
    } catch (error) {
      datasets.notify('error', `Could not save the name: ${messageOf(error)}`);
    }
  }

  /** The run on screen as a JSON file (features, scaling, centres, labels, names…). */
  exportJson(): { text: string; name: string } | null {
    return this.result ? { text: runToJson(this.result), name: `segmentation-k${this.result.k}-${this.selectedId}.json` } : null;
  }

  /** Adds a run from a JSON file made by exportJson to the active dataset, and shows it. */
  async importJson(file: File): Promise<void> {
    const datasetId = this.datasetId;
    const dataset = datasets.active;
    if (!datasetId || !dataset) return;
    try {
      const run = runFromJson(await file.text());
      const outside = run.customers.find((c) => c >= dataset.stats.customers);
      if (outside !== undefined || run.customers.length > dataset.stats.customers) {
        throw new Error(`${file.name} was made on another dataset (its customers do not exist in “${dataset.name}”).`);
      }
      const id = `${Date.now()}`;
      const summary: SegmentRunSummary = {
        id,
        createdAt: Date.now(),
        k: run.k,
        inertia: run.inertia,
        silhouette: run.silhouette,
        backend: run.backend,
        seconds: run.seconds,
        customers: run.customers.length,
        features: run.params.prep.features,
        importedFrom: file.name,
      };
      const runs = (await loadSaved<SegmentRunSummary[]>(datasetId, SEGMENT_RUNS)) ?? [];
      await callData((api) => api.saveResult(datasetId, runKind(id), run));
      await callData((api) => api.saveResult(datasetId, SEGMENT_RUNS, [...runs, summary]));
      await this.open(datasetId);
      await this.selectIfListed(id);
      datasets.notify('info', `Imported a ${run.k}-segment run from ${file.name}.`);
    } catch (error) {
      datasets.notify('error', messageOf(error));
    }
  }

  private async selectIfListed(id: string): Promise<void> {
    if (this.selectedId !== id && this.runs.some((r) => r.id === id)) await this.select(id);
  }
}

export const segments = new SegmentsState();
