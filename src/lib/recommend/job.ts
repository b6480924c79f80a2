// The compute worker's 'recommend' job: reads a dataset's events from IndexedDB, runs the
// comparison and the explorer fit (run.ts) and saves the run, as the 'segment' job does.

import type * as TfCore from '@tensorflow/tfjs-core';
import { getDataset, getDictionaries, loadResult, openStore, readChunks, saveResult, type ShopLensDB } from '../store';
import type { JobContext } from '../compute/jobs';
import type { SegmentationResult } from '../segment/run';
import { runKind as segmentRunKind } from '../segment/runs';
import { runRecommend, type RecommendParams } from './run';
import { RECOMMEND_RUNS, recommendKind, summariseRecommend, type RecommendRunSummary } from './runs';

type Tf = typeof TfCore;

export interface RecommendJobParams extends Omit<RecommendParams, 'segments'> {
  datasetId: string;
  /** Per-segment popularity for cold start from this saved segmentation. */
  segmentRunId?: string | null;
}

let dbPromise: Promise<ShopLensDB> | null = null;

export async function recommendJob(tf: Tf, params: RecommendJobParams, ctx: JobContext): Promise<RecommendRunSummary> {
  dbPromise ??= openStore();
  const db = await dbPromise;
  const meta = await getDataset(db, params.datasetId);
  if (!meta) throw new Error('The dataset is gone (deleted in another tab?).');
  const dictionaries = await getDictionaries(db, params.datasetId);
  let segments: RecommendParams['segments'] = null;
  if (params.segmentRunId) {
    const run = await loadResult<SegmentationResult>(db, params.datasetId, segmentRunKind(params.segmentRunId));
    if (!run) throw new Error('The chosen segmentation run is gone (deleted in another tab?).');
    const ofCustomer = new Int32Array(dictionaries.customers.length).fill(-1);
    run.customers.forEach((c, i) => (ofCustomer[c] = run.labels[i]));
    segments = { runId: params.segmentRunId, names: run.names, ofCustomer };
  }
  const { datasetId, segmentRunId: _unused, ...rest } = params;
  const result = await runRecommend(tf, readChunks(db, datasetId), dictionaries, { ...rest, segments }, ctx);
  const summary = summariseRecommend(result);
  const runs = ((await loadResult<RecommendRunSummary[]>(db, datasetId, RECOMMEND_RUNS)) ?? []).concat(summary);
  await saveResult(db, datasetId, recommendKind(summary.id), result);
  await saveResult(db, datasetId, RECOMMEND_RUNS, runs);
  return summary;
}
