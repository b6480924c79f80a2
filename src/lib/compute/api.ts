// The compute worker's contract, shared by workers/compute.worker.ts and src/client/compute.ts.
// Types only (plus tfjs-free constants), so the main bundle stays free of TensorFlow.js.
import type { BackendName, SkippedBackend } from './backend';
import type { BenchmarkParams, BenchmarkResult } from './benchmark';
import type { JobProgress } from './jobs';
import type { SegmentJobParams } from '../segment/job';
import type { SegmentRunSummary } from '../segment/runs';
import type { KMeansTraceParams, KMeansTraceResult } from '../segment/trace';
import type { PropensityJobParams } from '../propensity/job';
import type { PropensityRunSummary } from '../propensity/runs';
import type { PropensityTableJobParams } from '../propensity/table-job';
import type { RecommendJobParams } from '../recommend/job';
import type { RecommendRunSummary } from '../recommend/runs';
import type { LogRegTraceParams, LogRegTraceResult } from '../propensity/trace';
import type { AlsTraceParams, AlsTraceResult } from '../recommend/trace';

/** Every job the worker can run: params in, result out. */
export interface JobTypes {
  benchmark: { params: BenchmarkParams; result: BenchmarkResult };
  segment: { params: SegmentJobParams; result: SegmentRunSummary };
  kmeansTrace: { params: KMeansTraceParams; result: KMeansTraceResult };
  propensity: { params: PropensityJobParams; result: PropensityRunSummary };
  propensityTable: { params: PropensityTableJobParams; result: PropensityRunSummary };
  recommend: { params: RecommendJobParams; result: RecommendRunSummary };
  logregTrace: { params: LogRegTraceParams; result: LogRegTraceResult };
  alsTrace: { params: AlsTraceParams; result: AlsTraceResult };
}
export type JobKind = keyof JobTypes;
export type JobParams<K extends JobKind> = JobTypes[K]['params'];
export type JobResult<K extends JobKind> = JobTypes[K]['result'];

export interface InitOptions {
  /** Force this backend first (the Settings choice); others remain as fallbacks. */
  preferred?: BackendName | null;
  /** Per-backend init + check limit in ms. */
  timeoutMs?: number;
}

export interface WasmInfo {
  simd: boolean;
  /** Threads in tfjs-wasm's pool (1 = single-threaded). */
  threads: number;
  /** Why threads are off, when they are (e.g. "not cross-origin isolated"). */
  threadsNote: string | null;
}

export interface RuntimeInfo {
  backend: BackendName;
  skipped: SkippedBackend[];
  preferred: BackendName | null;
  preferredHonoured: boolean;
  checkError: number;
  probeMs: number;
  /** Present when the wasm backend was initialised (chosen, or tried before the chosen one). */
  wasm: WasmInfo | null;
  crossOriginIsolated: boolean;
  tfjsVersion: string;
}

export interface ComputeWorkerApi {
  /** Probes backends (idempotent: a second call re-probes with the new preference). */
  init(opts: InitOptions): Promise<RuntimeInfo>;
  /** Runs a job; rejects with a JobCancelledError-named error when cancel(jobId) is called. */
  run<K extends JobKind>(
    jobId: string,
    kind: K,
    params: JobParams<K>,
    onProgress: (p: JobProgress) => void,
  ): Promise<JobResult<K>>;
  cancel(jobId: string): void;
  memory(): { numTensors: number; numBytes: number };
}
