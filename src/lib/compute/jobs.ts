// The small contract every long-running compute job follows: report progress, honour cancel.
// DOM-free and tfjs-free, so the main thread can import it (for JobCancelledError) without
// pulling TensorFlow.js into its bundle.

import { yieldToEventLoop } from '../yield';

/** One progress report. `fraction` is clamped to [0, 1]; extra fields are job-specific figures. */
export interface JobProgress {
  fraction: number;
  message: string;
  /** Optional numbers a view may chart or print (iteration, loss, rows/s, GFLOP/s…). */
  figures?: Record<string, number>;
}

/** What a job receives besides its parameters. */
export interface JobContext {
  signal: AbortSignal;
  progress(p: JobProgress): void;
}

/** Thrown by a job that stopped because it was asked to. `name` survives postMessage. */
export class JobCancelledError extends Error {
  constructor(message = 'job cancelled') {
    super(message);
    this.name = 'JobCancelledError';
  }
}

/** True for our cancel error, including one rebuilt by comlink on the other side of postMessage. */
export function isJobCancelled(e: unknown): boolean {
  return e instanceof JobCancelledError || (e instanceof Error && e.name === 'JobCancelledError');
}

/** Throws JobCancelledError when the signal is aborted. Call between steps. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new JobCancelledError();
}

/**
 * Yields to the event loop (so a worker can receive the cancel message), then checks the signal.
 * A macrotask, not a microtask: postMessage deliveries are macrotasks (see ../yield.ts).
 */
export async function checkpoint(signal: AbortSignal): Promise<void> {
  await yieldToEventLoop();
  throwIfCancelled(signal);
}

/** Clamps and sanitises a progress report so listeners can trust the fraction. */
export function normaliseProgress(p: JobProgress): JobProgress {
  const f = Number.isFinite(p.fraction) ? Math.min(1, Math.max(0, p.fraction)) : 0;
  return { ...p, fraction: f };
}

/** A JobContext for callers that run a job directly (tests, CLI): no-op progress unless given. */
export function makeJobContext(
  signal: AbortSignal = new AbortController().signal,
  progress: (p: JobProgress) => void = () => {},
): JobContext {
  return { signal, progress: (p) => progress(normaliseProgress(p)) };
}
