// The compute worker's 'segment' job: reads a dataset's events from IndexedDB, segments its
// customers and saves the run, so a reload (or another view) finds it again.

import type * as TfCore from '@tensorflow/tfjs-core';
import { getDataset, getDictionaries, loadResult, openStore, readChunks, saveResult, type ShopLensDB } from '../store';
import type { JobContext } from '../compute/jobs';
import { computeFeatures, segmentCustomers, type SegmentationParams, type SegmentationResult } from './run';
import { SEGMENT_RUNS, runKind, type SegmentRunSummary } from './runs';

type Tf = typeof TfCore;

export interface SegmentJobParams extends SegmentationParams {
  datasetId: string;
}

let dbPromise: Promise<ShopLensDB> | null = null;

export async function segmentJob(tf: Tf, params: SegmentJobParams, ctx: JobContext): Promise<SegmentRunSummary> {
  dbPromise ??= openStore();
  const db = await dbPromise;
  const meta = await getDataset(db, params.datasetId);
  if (!meta) throw new Error('The dataset is gone (deleted in another tab?).');
  if (meta.stats.lastTime === null && params.referenceTime === undefined) {
    throw new Error(`“${meta.name}” has no dates, so recency and tenure cannot be computed.`);
  }
  ctx.progress({ fraction: 0, message: 'computing customer features…' });
  const dictionaries = await getDictionaries(db, params.datasetId);
  const referenceTime = params.referenceTime ?? meta.stats.lastTime ?? 0;
  const features = await computeFeatures(readChunks(db, params.datasetId), dictionaries, referenceTime);
  if (features.n < 3) throw new Error(`Only ${features.n} customers have purchases: too few to segment.`);

  const result: SegmentationResult = await segmentCustomers(tf, features, params, ctx);
  const summary: SegmentRunSummary = {
    id: `${result.createdAt}`,
    createdAt: result.createdAt,
    k: result.k,
    inertia: result.inertia,
    silhouette: result.silhouette,
    backend: result.backend,
    seconds: result.seconds,
    customers: features.n,
    features: result.params.prep.features,
  };
  const runs = ((await loadResult<SegmentRunSummary[]>(db, params.datasetId, SEGMENT_RUNS)) ?? []).concat(summary);
  await saveResult(db, params.datasetId, runKind(summary.id), result);
  await saveResult(db, params.datasetId, SEGMENT_RUNS, runs);
  ctx.progress({ fraction: 1, message: `done: ${result.k} segments` });
  return summary;
}
