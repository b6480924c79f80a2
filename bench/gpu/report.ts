// How one bench process reports: prefixed log lines for run.sh to pass on, throttled progress, and
// result files in $GPU_BENCH_RESULTS (<tag>.json, plus <tag>.labels… for k-means).
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export type Json = Record<string, unknown>;

/** A gate that opens at most once per `intervalMs`: always on the first call, or when forced. */
export function throttle(intervalMs: number): (force?: boolean) => boolean {
  let last = -Infinity;
  return (force = false) => {
    const t = performance.now();
    if (!force && t - last < intervalMs) return false;
    last = t;
    return true;
  };
}

export interface RunId {
  tag: string;
  mode: string;
  backend: string | undefined;
  resultsDir: string;
}

export class Reporter {
  private readonly progressDue = throttle(3000);
  private readonly partialDue = throttle(1000);

  /** `extraFields` is merged into partial results (the WebGPU error count, when there is one). */
  constructor(
    readonly run: RunId,
    private readonly extraFields: () => Json = () => ({}),
  ) {}

  /** run.sh shows lines that start with "  [" (and keeps everything else for the log file). */
  log(...parts: unknown[]): void {
    const { mode, backend } = this.run;
    console.log(`  [${mode}${backend ? ' ' + backend : ''}]`, ...parts);
  }

  /** A progress line, at most one every 3 s, so a slow backend still shows its pace. */
  progress(message: string, force = false): void {
    if (this.progressDue(force)) this.log(message);
  }

  /**
   * The figures so far, as this run's result file: if the timeout kills the process, the summary
   * still shows how far it got and at what pace. The final result overwrites it.
   */
  partial(fields: Json, force = false): void {
    if (!this.partialDue(force)) return;
    const { tag, mode, backend } = this.run;
    const record = { ok: false, partial: true, tag, mode, backend, error: 'did not finish (killed by its timeout?)', ...fields, ...this.extraFields() };
    try {
      writeFileSync(this.file('.json'), JSON.stringify(record));
    } catch {
      // A failed progress write must not stop the timed fit; the final write reports real errors.
    }
  }

  /** Path of this run's result file with the given suffix. */
  file(suffix: string): string {
    return path.join(this.run.resultsDir, `${this.run.tag}${suffix}`);
  }
}
