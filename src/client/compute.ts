// Main-thread client of the compute worker: starts it, probes the backend, runs jobs with progress
// and cancel, lists running jobs for the status bar, and restarts the worker when it crashes.
// Imports only types and tfjs-free helpers from src/lib/compute, so tfjs stays out of this bundle.
import * as Comlink from 'comlink';
import type { ComputeWorkerApi, InitOptions, JobKind, JobParams, JobResult, RuntimeInfo } from '../lib/compute/api';
import { isBackendName, type BackendName } from '../lib/compute/backend';
import { isJobCancelled, JobCancelledError, normaliseProgress, type JobProgress } from '../lib/compute/jobs';

/** What the client needs of a Worker (a MessagePort-backed fake will do in tests). */
export interface WorkerLike extends Comlink.Endpoint {
  terminate(): void;
}

export interface JobStatus {
  id: string;
  kind: JobKind;
  label: string;
  progress: JobProgress;
  startedAt: number;
}

export interface ComputeState {
  status: 'starting' | 'ready' | 'error';
  runtime: RuntimeInfo | null;
  /** Last worker-level problem (init failure, crash), readable. */
  error: string | null;
  jobs: JobStatus[];
  restarts: number;
}

export interface RunningJob<R> {
  id: string;
  promise: Promise<R>;
  cancel(): void;
}

export interface RunOptions {
  label?: string;
  onProgress?: (p: JobProgress) => void;
}

export interface ComputeClientOptions {
  createWorker?: () => WorkerLike;
  preferred?: BackendName | null;
  /** Per-backend init limit passed to the worker's probe. */
  backendTimeoutMs?: number;
  /** Crashes tolerated within `crashWindowMs` before giving up restarting. Default 3 in 60 s. */
  maxRestarts?: number;
  crashWindowMs?: number;
}

interface PendingJob {
  status: JobStatus;
  reject(e: Error): void;
  generation: number;
}

function defaultWorker(): WorkerLike {
  return new Worker(new URL('../../workers/compute.worker.ts', import.meta.url), { type: 'module', name: 'compute' });
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (e && typeof e === 'object' && 'message' in e) return String((e as { message: unknown }).message);
  return String(e);
}

export class ComputeClient {
  private worker!: WorkerLike;
  private remote!: Comlink.Remote<ComputeWorkerApi>;
  private generation = 0;
  private initPromise!: Promise<RuntimeInfo>;
  private readonly pending = new Map<string, PendingJob>();
  private readonly listeners = new Set<(s: ComputeState) => void>();
  private readonly crashTimes: number[] = [];
  private nextId = 0;
  private preferred: BackendName | null;
  private snapshot: ComputeState = { status: 'starting', runtime: null, error: null, jobs: [], restarts: 0 };
  private disposed = false;

  constructor(private readonly opts: ComputeClientOptions = {}) {
    this.preferred = opts.preferred ?? null;
    this.start();
  }

  get state(): ComputeState {
    return this.snapshot;
  }

  /** Calls `listener` now and on every change; returns the unsubscribe function. */
  subscribe(listener: (s: ComputeState) => void): () => void {
    this.listeners.add(listener);
    listener(this.snapshot);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the current worker has picked its backend. */
  ready(): Promise<RuntimeInfo> {
    return this.initPromise;
  }

  /** Forces a backend (null = automatic) and restarts the worker so the probe starts clean. */
  setPreferred(backend: BackendName | null): Promise<RuntimeInfo> {
    this.preferred = backend;
    this.replaceWorker('backend preference changed');
    return this.initPromise;
  }

  run<K extends JobKind>(kind: K, params: JobParams<K>, options: RunOptions = {}): RunningJob<JobResult<K>> {
    if (this.disposed) throw new Error('compute client disposed');
    const id = `job-${++this.nextId}`;
    const status: JobStatus = {
      id,
      kind,
      label: options.label ?? kind,
      progress: { fraction: 0, message: 'queued' },
      startedAt: Date.now(),
    };
    const generation = this.generation;
    const remote = this.remote;
    const promise = new Promise<JobResult<K>>((resolve, reject) => {
      this.pending.set(id, { status, reject, generation });
      this.emit();
      const onProgress = Comlink.proxy((p: JobProgress) => {
        if (!this.pending.has(id)) return;
        status.progress = normaliseProgress(p);
        options.onProgress?.(status.progress);
        this.emit();
      });
      remote.run(id, kind, params, onProgress).then(
        (r) => resolve(r as JobResult<K>),
        (e: unknown) =>
          reject(isJobCancelled(e) ? new JobCancelledError(`${status.label} cancelled`) : new Error(`compute job ${status.label} failed: ${errorText(e)}`)),
      );
    }).finally(() => {
      if (this.pending.get(id)?.generation === generation) this.pending.delete(id);
      this.emit();
    });
    const cancel = () => {
      if (this.pending.has(id) && this.generation === generation) void remote.cancel(id).catch(() => undefined);
    };
    return { id, promise, cancel };
  }

  /** Tensor count/bytes in the worker (leak checks, diagnostics). */
  memory(): Promise<{ numTensors: number; numBytes: number }> {
    return this.remote.memory();
  }

  /** Stops the worker for good; pending jobs are rejected. */
  dispose(): void {
    this.disposed = true;
    this.failPending(new Error('compute client disposed'));
    this.worker.terminate();
    this.listeners.clear();
  }

  private start(): void {
    const gen = ++this.generation;
    const worker = (this.opts.createWorker ?? defaultWorker)();
    this.worker = worker;
    this.remote = Comlink.wrap<ComputeWorkerApi>(worker);
    const onError = (ev: Event) => {
      ev.preventDefault(); // we surface it ourselves; avoid an uncaught-error console line
      const raw = 'message' in ev ? (ev as { message: unknown }).message : null;
      const msg = raw ? String(raw) : 'uncaught error (no message; possibly out of memory or a failed import)';
      if (gen === this.generation) this.crash(msg);
    };
    const onMessageError = () => {
      if (gen === this.generation) this.crash('a message from the worker could not be deserialised');
    };
    worker.addEventListener('error', onError);
    worker.addEventListener('messageerror', onMessageError);

    const init: InitOptions = { preferred: this.preferred, timeoutMs: this.opts.backendTimeoutMs };
    this.update({ status: 'starting', runtime: null });
    this.initPromise = this.remote.init(init).then(
      (runtime) => {
        if (gen === this.generation) this.update({ status: 'ready', runtime, error: null });
        return runtime;
      },
      (e: unknown) => {
        const err = new Error(`compute worker init failed: ${errorText(e)}`);
        if (gen === this.generation) this.update({ status: 'error', error: err.message });
        throw err;
      },
    );
    // Listeners read failures from state; keep an unobserved rejection from reaching the console.
    this.initPromise.catch(() => undefined);
  }

  private replaceWorker(reason: string): void {
    this.failPending(new Error(`compute worker restarted: ${reason}`));
    this.worker.terminate();
    this.start();
  }

  private crash(message: string): void {
    const now = Date.now();
    const window = this.opts.crashWindowMs ?? 60_000;
    while (this.crashTimes.length && now - this.crashTimes[0] > window) this.crashTimes.shift();
    this.crashTimes.push(now);
    const giveUp = this.crashTimes.length > (this.opts.maxRestarts ?? 3);
    this.failPending(new Error(`compute worker crashed: ${message}; ${giveUp ? 'not restarted (crashing repeatedly)' : 'restarted'}`));
    this.worker.terminate();
    if (giveUp) {
      this.generation++; // ignore anything the dead worker still says
      this.update({ status: 'error', runtime: null, error: `compute worker crashed repeatedly: ${message}` });
      return;
    }
    this.snapshot = { ...this.snapshot, restarts: this.snapshot.restarts + 1, error: `compute worker crashed: ${message}; restarted` };
    this.start();
  }

  private failPending(err: Error): void {
    for (const job of this.pending.values()) job.reject(err);
    this.pending.clear();
    this.emit();
  }

  private update(patch: Partial<ComputeState>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.emit();
  }

  private emit(): void {
    this.snapshot = { ...this.snapshot, jobs: [...this.pending.values()].map((j) => ({ ...j.status })) };
    for (const l of this.listeners) l(this.snapshot);
  }
}

// ---- the app-wide instance and the remembered backend choice ----

const PREFERENCE_KEY = 'shoplens.compute.backend';

/** The Settings choice, or null (automatic). Storage may be absent (tests, privacy modes). */
export function loadPreferredBackend(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): BackendName | null {
  try {
    const v = storage?.getItem(PREFERENCE_KEY);
    return isBackendName(v) ? v : null;
  } catch {
    return null;
  }
}

export function savePreferredBackend(
  backend: BackendName | null,
  storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined = globalThis.localStorage,
): void {
  try {
    if (backend) storage?.setItem(PREFERENCE_KEY, backend);
    else storage?.removeItem(PREFERENCE_KEY);
  } catch {
    /* storage unavailable: the choice lasts for this session only */
  }
}

let shared: ComputeClient | null = null;

/** The app's compute client, started on first use with the remembered backend preference. */
export function getComputeClient(): ComputeClient {
  shared ??= new ComputeClient({ preferred: loadPreferredBackend() });
  return shared;
}

/** Settings → backend: remembers the choice and re-probes. */
export function choosePreferredBackend(backend: BackendName | null): Promise<RuntimeInfo> {
  savePreferredBackend(backend);
  return getComputeClient().setPreferred(backend);
}
