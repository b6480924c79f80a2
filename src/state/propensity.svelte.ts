// The Propensity view's state: the saved propensity runs of the active dataset, the run on screen,
// the training job while it runs (with its live loss curve), and what the setup form needs (the
// dataset's categories and saved segmentations). Runs are computed and saved by the compute
// worker's 'propensity' job and read through the data worker, so a reload finds them again.

import { callData } from '../client/ingest';
import { getComputeClient } from '../client/compute';
import { isJobCancelled, type JobProgress } from '../lib/compute/jobs';
import type { PropensityJobParams } from '../lib/propensity/job';
import type { AnyPropensityResult, TableInfo, TablePropensityParams } from '../lib/propensity/table-run';
import { PROPENSITY_RUNS, propensityKind, type PropensityRunSummary } from '../lib/propensity/runs';
import { anyPropensityFromJson, propensityToJson } from '../lib/propensity/model-json';
import { SEGMENT_RUNS, type SegmentRunSummary } from '../lib/segment/runs';
import { datasets, messageOf } from './datasets.svelte';
import { jobs } from './jobs.svelte';

/** A saved result; comlink's Remote drops loadResult's type parameter, so it is restored here. */
async function loadSaved<T>(datasetId: string, kind: string): Promise<T | undefined> {
  return (await callData((api) => api.loadResult(datasetId, kind))) as T | undefined;
}

export type TrainParams = Omit<PropensityJobParams, 'datasetId'>;
export type TrainTableParams = TablePropensityParams;

class PropensityState {
  datasetId = $state<string | null>(null);
  runs = $state<PropensityRunSummary[]>([]);
  selectedId = $state<string | null>(null);
  /** Raw: typed arrays of up to millions of numbers must not become proxies. */
  result = $state.raw<AnyPropensityResult | null>(null);
  /** A customer table's columns (for the table setup form); null for event datasets. */
  tableInfo = $state.raw<TableInfo | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  progress = $state<JobProgress | null>(null);
  running = $state(false);
  /** The fit's loss per iteration while it trains (from the job's progress figures). */
  lossCurve = $state.raw<{ x: number; y: number }[]>([]);
  /** Saved segmentations of the dataset (their segments can be features). */
  segmentRuns = $state<SegmentRunSummary[]>([]);
  categories = $state<string[]>([]);
  private cancelJob: (() => void) | null = null;
  /** Bumped on every load so an answer for an older request is dropped. */
  private token = 0;

  /** Loads the saved runs of `datasetId` (showing the latest), its segmentations and categories. */
  async open(datasetId: string): Promise<void> {
    const token = ++this.token;
    this.datasetId = datasetId;
    this.runs = [];
    this.selectedId = null;
    this.result = null;
    this.error = null;
    this.segmentRuns = [];
    this.categories = [];
    this.tableInfo = null;
    this.loading = true;
    try {
      const [runs, segmentRuns] = await Promise.all([
        loadSaved<PropensityRunSummary[]>(datasetId, PROPENSITY_RUNS),
        loadSaved<SegmentRunSummary[]>(datasetId, SEGMENT_RUNS),
      ]);
      if (token !== this.token) return;
      this.runs = [...(runs ?? [])].sort((a, b) => b.createdAt - a.createdAt);
      this.segmentRuns = [...(segmentRuns ?? [])].sort((a, b) => b.createdAt - a.createdAt);
      const isTable = datasets.active?.source === 'table';
      const categories = !isTable && datasets.active?.stats.categories ? await callData((api) => api.categories(datasetId)) : [];
      const tableInfo = isTable ? await callData((api) => api.tableInfo(datasetId)) : null;
      if (token !== this.token) return;
      this.categories = categories;
      this.tableInfo = tableInfo;
      if (this.runs.length > 0) await this.select(this.runs[0].id, token);
    } catch (error) {
      if (token === this.token) this.error = `Could not read the saved propensity models: ${messageOf(error)}`;
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
      const result = await loadSaved<AnyPropensityResult>(id, propensityKind(runId));
      if (token !== this.token) return;
      this.result = result ?? null;
      if (!result) this.error = 'That model is no longer stored.';
    } catch (error) {
      if (token === this.token) this.error = `Could not load the model: ${messageOf(error)}`;
    } finally {
      if (token === this.token) this.loading = false;
    }
  }

  /** Trains a model on the active (event) dataset in the compute worker, then shows it. */
  async train(params: TrainParams): Promise<void> {
    const datasetId = this.datasetId;
    if (!datasetId || this.running) return;
    const label = `Propensity (${params.target.kind}, ${params.target.horizonDays} days)`;
    await this.runJob(label, datasetId, () => getComputeClient().run('propensity', { ...params, datasetId }, this.jobOptions(label)));
  }

  /** Trains a model on the active customer-table dataset (k-fold CV or a hold-out), then shows it. */
  async trainTable(params: TrainTableParams): Promise<void> {
    const datasetId = this.datasetId;
    if (!datasetId || this.running) return;
    const label = `Propensity (${params.target.column} = ${params.target.positive})`;
    await this.runJob(label, datasetId, () => getComputeClient().run('propensityTable', { ...params, datasetId }, this.jobOptions(label)));
  }

  /** The job-list entry of the running job (progress updates go to it). */
  private listed = 0;
  private jobOptions(label: string) {
    return {
      label,
      onProgress: (p: JobProgress) => {
        this.progress = p;
        const it = p.figures?.iteration;
        const loss = p.figures?.loss;
        // A table run fits several models (one per fold): the curve shows the fit in progress.
        const fresh = it !== undefined && this.lossCurve.length > 0 && it <= this.lossCurve[this.lossCurve.length - 1].x;
        if (it !== undefined && loss !== undefined && Number.isFinite(loss)) this.lossCurve = [...(fresh ? [] : this.lossCurve), { x: it, y: loss }];
        jobs.update(this.listed, p.fraction, p.message);
      },
    };
  }

  private async runJob(label: string, datasetId: string, start: () => { promise: Promise<PropensityRunSummary>; cancel: () => void }): Promise<void> {
    this.error = null;
    this.progress = { fraction: 0, message: 'starting…' };
    this.lossCurve = [];
    this.running = true;
    const job = start();
    const listed = jobs.add(label, job.cancel);
    this.listed = listed;
    this.cancelJob = job.cancel;
    try {
      const summary = await job.promise;
      if (this.datasetId === datasetId) await this.open(datasetId).then(() => this.selectIfListed(summary.id));
    } catch (error) {
      if (isJobCancelled(error)) datasets.notify('info', 'Training cancelled.');
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

  /** The `count` best-scored customers of the run on screen as CSV (made by the data worker). */
  async targetCsv(count: number): Promise<string | null> {
    const id = this.datasetId;
    const runId = this.selectedId;
    if (!id || !runId) return null;
    return callData((api) => api.propensityTargetCsv(id, runId, count));
  }

  /** The run on screen as a JSON file (target, features, scaling, both models, metrics, scores). */
  exportJson(): { text: string; name: string } | null {
    const r = this.result;
    if (!r) return null;
    const what = 'source' in r ? `table-${r.target.column}` : `${r.target.kind}-${r.target.horizonDays}d`;
    return { text: propensityToJson(r), name: `propensity-${what.replace(/[^\w.-]+/g, '_')}-${this.selectedId}.json` };
  }

  /** Leakage warnings of the active table's columns for a target (by column name). */
  async tableLeakage(column: string, positive: string): Promise<Record<string, string>> {
    const id = this.datasetId;
    if (!id) return {};
    return callData((api) => api.tableLeakage(id, column, positive));
  }

  /** Adds a model from a JSON file made by exportJson to the active dataset, scoring its customers, and shows it. */
  async importJson(file: File): Promise<void> {
    const datasetId = this.datasetId;
    const dataset = datasets.active;
    if (!datasetId || !dataset) return;
    try {
      const run = anyPropensityFromJson(await file.text());
      // The model re-scores this dataset's customers (its own or a later export of the shop).
      const summary = await callData((api) => api.importPropensityModel(datasetId, run, file.name));
      await this.open(datasetId);
      await this.selectIfListed(summary.id);
      datasets.notify('info', `Imported a propensity model from ${file.name}.`);
    } catch (error) {
      datasets.notify('error', messageOf(error));
    }
  }

  private async selectIfListed(id: string): Promise<void> {
    if (this.selectedId !== id && this.runs.some((r) => r.id === id)) await this.select(id);
  }
}

export const propensity = new PropensityState();
