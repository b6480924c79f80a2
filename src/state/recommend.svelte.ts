// The Recommendations view's state: the saved recommender runs of the active dataset, the run on
// screen, the 'recommend' job while it runs (with its live loss), the ALS teach trace, and JSON
// import/export. Runs are computed and saved by the compute worker; the explorer's questions go to
// the data worker, which keeps the run loaded.

import { callData } from '../client/ingest';
import { getComputeClient } from '../client/compute';
import { isJobCancelled, type JobProgress } from '../lib/compute/jobs';
import type { RecommendJobParams } from '../lib/recommend/job';
import type { RecommendResult } from '../lib/recommend/run';
import { RECOMMEND_RUNS, recommendKind, summariseRecommend, type RecommendRunSummary } from '../lib/recommend/runs';
import { recommendFromJson, recommendToJson } from '../lib/recommend/model-json';
import type { AlsTraceParams, AlsTraceResult } from '../lib/recommend/trace';
import { datasets, messageOf } from './datasets.svelte';
import { jobs } from './jobs.svelte';

async function loadSaved<T>(datasetId: string, kind: string): Promise<T | undefined> {
  return (await callData((api) => api.loadResult(datasetId, kind))) as T | undefined;
}

class RecommendState {
  datasetId = $state<string | null>(null);
  runs = $state<RecommendRunSummary[]>([]);
  selectedId = $state<string | null>(null);
  /** Raw: typed arrays (the interaction matrix, factors) must not become proxies. */
  result = $state.raw<RecommendResult | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  progress = $state<JobProgress | null>(null);
  running = $state(false);
  /** Loss per ALS/MF iteration of the job that runs now (one list per fitted model). */
  liveLoss = $state<number[]>([]);
  trace = $state.raw<AlsTraceResult | null>(null);
  tracing = $state(false);
  traceProgress = $state<JobProgress | null>(null);
  traceError = $state<string | null>(null);
  private cancelJob: (() => void) | null = null;
  private cancelTrace: (() => void) | null = null;
  private token = 0;

  async open(datasetId: string): Promise<void> {
    const token = ++this.token;
    this.datasetId = datasetId;
    this.runs = [];
    this.selectedId = null;
    this.result = null;
    this.trace = null;
    this.error = null;
    this.loading = true;
    try {
      const runs = (await loadSaved<RecommendRunSummary[]>(datasetId, RECOMMEND_RUNS)) ?? [];
      if (token !== this.token) return;
      this.runs = [...runs].sort((a, b) => b.createdAt - a.createdAt);
      if (this.runs.length > 0) await this.select(this.runs[0].id, token);
    } catch (error) {
      if (token === this.token) this.error = `Could not read the saved recommender runs: ${messageOf(error)}`;
    } finally {
      if (token === this.token) this.loading = false;
    }
  }

  async select(runId: string, token = ++this.token): Promise<void> {
    const id = this.datasetId;
    if (!id) return;
    this.selectedId = runId;
    this.loading = true;
    try {
      const result = await loadSaved<RecommendResult>(id, recommendKind(runId));
      if (token !== this.token) return;
      this.result = result ?? null;
      if (!result) this.error = 'That run is no longer stored.';
    } catch (error) {
      if (token === this.token) this.error = `Could not load the run: ${messageOf(error)}`;
    } finally {
      if (token === this.token) this.loading = false;
    }
  }

  async run(params: Omit<RecommendJobParams, 'datasetId'>): Promise<void> {
    const datasetId = this.datasetId;
    if (!datasetId || this.running) return;
    const label = 'Recommender comparison';
    this.error = null;
    this.progress = { fraction: 0, message: 'starting…' };
    this.liveLoss = [];
    this.running = true;
    let lastIteration = 0;
    const job = getComputeClient().run('recommend', { ...params, datasetId }, {
      label,
      onProgress: (p) => {
        this.progress = p;
        const it = p.figures?.iteration;
        const loss = p.figures?.loss;
        if (it !== undefined && loss !== undefined) {
          // A new model starts again at iteration 1: show the loss of the model being fitted now.
          this.liveLoss = it <= lastIteration ? [loss] : [...this.liveLoss, loss];
          lastIteration = it;
        }
        jobs.update(listed, p.fraction, p.message);
      },
    });
    const listed = jobs.add(label, job.cancel);
    this.cancelJob = job.cancel;
    try {
      const summary = await job.promise;
      if (this.datasetId === datasetId) {
        await this.open(datasetId);
        if (this.selectedId !== summary.id && this.runs.some((r) => r.id === summary.id)) await this.select(summary.id);
      }
    } catch (error) {
      if (isJobCancelled(error)) datasets.notify('info', 'Recommender run cancelled.');
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

  /** Traces ALS on a small block of the active dataset for the teach panel. */
  async runTrace(params: Omit<AlsTraceParams, 'datasetId'>): Promise<void> {
    const datasetId = this.datasetId;
    if (!datasetId || this.tracing) return;
    this.traceError = null;
    this.tracing = true;
    this.traceProgress = { fraction: 0, message: 'starting…' };
    const job = getComputeClient().run('alsTrace', { ...params, datasetId }, { label: 'ALS step mode', onProgress: (p) => (this.traceProgress = p) });
    this.cancelTrace = job.cancel;
    try {
      const trace = await job.promise;
      if (this.datasetId === datasetId) this.trace = trace;
    } catch (error) {
      if (!isJobCancelled(error)) this.traceError = messageOf(error);
    } finally {
      this.cancelTrace = null;
      this.tracing = false;
      this.traceProgress = null;
    }
  }

  cancelTracing(): void {
    this.cancelTrace?.();
  }

  exportJson(): { text: string; name: string } | null {
    return this.result ? { text: recommendToJson(this.result), name: `recommender-${this.selectedId}.json` } : null;
  }

  /** Adds a run from a JSON file made by exportJson to the active dataset, and shows it. */
  async importJson(file: File): Promise<void> {
    const datasetId = this.datasetId;
    const dataset = datasets.active;
    if (!datasetId || !dataset) return;
    try {
      const run = recommendFromJson(await file.text());
      const outsideUser = run.userIds.some((c) => c >= dataset.stats.customers);
      const outsideItem = run.itemIds.some((i) => i >= dataset.stats.items);
      if (outsideUser || outsideItem) throw new Error(`${file.name} was made on another dataset (its customers or items do not exist in “${dataset.name}”).`);
      // A fresh id, so an import never replaces a run already kept.
      const imported: RecommendResult = { ...run, createdAt: Date.now() };
      const summary = summariseRecommend(imported, file.name);
      const runs = (await loadSaved<RecommendRunSummary[]>(datasetId, RECOMMEND_RUNS)) ?? [];
      await callData((api) => api.saveResult(datasetId, recommendKind(summary.id), imported));
      await callData((api) => api.saveResult(datasetId, RECOMMEND_RUNS, [...runs, summary]));
      await this.open(datasetId);
      if (this.selectedId !== summary.id) await this.select(summary.id);
      datasets.notify('info', `Imported a recommender run from ${file.name}.`);
    } catch (error) {
      datasets.notify('error', messageOf(error));
    }
  }
}

export const recommend = new RecommendState();
