// The compute worker's implementation, kept out of the worker entry so it runs under Node too:
// the entry file only registers backends, points tfjs-wasm at the app's .wasm URLs and calls
// Comlink.expose(createComputeService(...)).
import type * as TfCore from '@tensorflow/tfjs-core';
import type { ComputeWorkerApi, InitOptions, JobKind, JobParams, JobResult, RuntimeInfo, WasmInfo } from './api';
import { DEFAULT_BACKEND_ORDER, probeBackends, type BackendName, type Precheck, type ProbeResult } from './backend';
import { benchmarkBackend } from './benchmark';
import { segmentJob } from '../segment/job';
import { kmeansTraceJob } from '../segment/trace';
import { propensityJob } from '../propensity/job';
import { propensityTableJob } from '../propensity/table-job';
import { recommendJob } from '../recommend/job';
import { logregTraceJob } from '../propensity/trace';
import { alsTraceJob } from '../recommend/trace';
import { makeJobContext, type JobContext, type JobProgress } from './jobs';

type Tf = typeof TfCore;

type JobHandler<K extends JobKind> = (tf: Tf, params: JobParams<K>, ctx: JobContext) => Promise<JobResult<K>>;

/** One handler per job kind; adding a job = adding a line here and to JobTypes. */
const HANDLERS: { [K in JobKind]: JobHandler<K> } = {
  benchmark: benchmarkBackend,
  segment: segmentJob,
  kmeansTrace: kmeansTraceJob,
  propensity: propensityJob,
  propensityTable: propensityTableJob,
  recommend: recommendJob,
  logregTrace: logregTraceJob,
  alsTrace: alsTraceJob,
};

export interface ServiceEnv {
  candidates?: readonly BackendName[];
  precheck?: Precheck;
  /** Reads SIMD/threads facts once wasm is initialised; absent under plain Node tests. */
  wasmInfo?: (probe: ProbeResult) => Promise<WasmInfo | null>;
  crossOriginIsolated?: boolean;
}

export function createComputeService(tf: Tf, env: ServiceEnv = {}): ComputeWorkerApi {
  const running = new Map<string, AbortController>();
  let initialising: Promise<RuntimeInfo> | null = null;

  async function doInit(opts: InitOptions): Promise<RuntimeInfo> {
    const probe = await probeBackends(tf, env.candidates ?? DEFAULT_BACKEND_ORDER, {
      preferred: opts.preferred ?? null,
      timeoutMs: opts.timeoutMs,
      precheck: env.precheck,
    });
    const wasm = env.wasmInfo ? await env.wasmInfo(probe) : null;
    return {
      backend: probe.backend,
      skipped: probe.skipped,
      preferred: probe.preferred,
      preferredHonoured: probe.preferredHonoured,
      checkError: probe.checkError,
      probeMs: probe.probeMs,
      wasm,
      crossOriginIsolated: env.crossOriginIsolated ?? false,
      tfjsVersion: tf.version_core,
    };
  }

  const api: ComputeWorkerApi = {
    init(opts) {
      // A job must not run against a half-switched backend: queue re-inits behind earlier ones.
      const prev = initialising;
      initialising = (prev ? prev.catch(() => undefined) : Promise.resolve()).then(() => doInit(opts));
      return initialising;
    },

    async run<K extends JobKind>(jobId: string, kind: K, params: JobParams<K>, onProgress: (p: JobProgress) => void) {
      if (running.has(jobId)) throw new Error(`job id ${jobId} is already running`);
      const handler = HANDLERS[kind] as JobHandler<K> | undefined;
      if (!handler) throw new Error(`unknown compute job "${String(kind)}"`);
      // Registered before any await, so a cancel() sent right after run() always finds it.
      const ac = new AbortController();
      running.set(jobId, ac);
      try {
        await (initialising ?? api.init({}));
        const ctx = makeJobContext(ac.signal, (p) => {
          // Across comlink this returns a promise; progress is fire-and-forget.
          Promise.resolve(onProgress(p) as unknown).catch(() => undefined);
        });
        return await handler(tf, params, ctx);
      } finally {
        running.delete(jobId);
      }
    },

    cancel(jobId) {
      running.get(jobId)?.abort();
    },

    memory() {
      const m = tf.memory();
      return { numTensors: m.numTensors, numBytes: m.numBytes };
    },
  };
  return api;
}
