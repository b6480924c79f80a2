// The compute worker's 'propensity' job: reads a dataset's events from IndexedDB, runs the
// backtest and the deployment fit (run.ts) and saves the run, as the 'segment' job does.

import type * as TfCore from '@tensorflow/tfjs-core';
import { getDataset, getDictionaries, loadResult, openStore, readChunks, saveResult, type ShopLensDB } from '../store';
import type { JobContext } from '../compute/jobs';
import type { SegmentationResult } from '../segment/run';
import { runKind as segmentRunKind } from '../segment/runs';
import { runPropensity, type PropensityParams, type SegmentSource } from './run';
import { PROPENSITY_RUNS, propensityKind, summarise, type PropensityRunSummary } from './runs';

type Tf = typeof TfCore;

export interface PropensityJobParams extends Omit<PropensityParams, 'segments'> {
  datasetId: string;
  /** Use this saved segmentation's segments as features. */
  segmentRunId?: string | null;
}

let dbPromise: Promise<ShopLensDB> | null = null;

export function segmentSource(runId: string, run: SegmentationResult): SegmentSource {
  return {
    runId,
    names: run.names,
    prep: { spec: run.params.prep, center: run.scaling.center, scale: run.scaling.scale },
    centers: run.centers,
  };
}

export async function propensityJob(tf: Tf, params: PropensityJobParams, ctx: JobContext): Promise<PropensityRunSummary> {
  dbPromise ??= openStore();
  const db = await dbPromise;
  const meta = await getDataset(db, params.datasetId);
  if (!meta) throw new Error('The dataset is gone (deleted in another tab?).');
  if (meta.stats.lastTime === null) throw new Error(`“${meta.name}” has no dates, so there is no “before” and “after” a cutoff to learn from.`);
  const dictionaries = await getDictionaries(db, params.datasetId);
  let segments: SegmentSource | null = null;
  if (params.segmentRunId) {
    const run = await loadResult<SegmentationResult>(db, params.datasetId, segmentRunKind(params.segmentRunId));
    if (!run) throw new Error('The chosen segmentation run is gone (deleted in another tab?).');
    segments = segmentSource(params.segmentRunId, run);
  }
  const { datasetId, segmentRunId: _unused, ...rest } = params;
  const result = await runPropensity(tf, () => readChunks(db, datasetId), dictionaries, meta.stats.lastTime, { ...rest, segments }, ctx);
  const summary = summarise(result);
  const runs = ((await loadResult<PropensityRunSummary[]>(db, datasetId, PROPENSITY_RUNS)) ?? []).concat(summary);
  await saveResult(db, datasetId, propensityKind(summary.id), result);
  await saveResult(db, datasetId, PROPENSITY_RUNS, runs);
  return summary;
}
