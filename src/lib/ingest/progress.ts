// Turns raw counters of a running import into what a progress bar shows: fraction, rate, time left.

export interface IngestProgress {
  phase: 'reading' | 'saving' | 'done';
  /** 0…1, or null when the total size is unknown. */
  fraction: number | null;
  rowsDone: number;
  linesRead: number;
  badRows: number;
  chunksStored: number;
  rowsPerSecond: number;
  /** Estimated seconds to finish, or null when it cannot be told yet. */
  secondsLeft: number | null;
  elapsedSeconds: number;
}

export interface ProgressCounters {
  phase: IngestProgress['phase'];
  rowsDone: number;
  linesRead: number;
  badRows: number;
  bytesDone: number;
  chunksStored: number;
}

type Clock = () => number;

/** Rates are smoothed over this window so the "time left" does not jitter. */
const RATE_WINDOW_MS = 2_000;

export class ProgressMeter {
  readonly bytesTotal: number | null;
  readonly rowsTotal: number | null;
  private readonly started: number;
  private readonly samples: { at: number; lines: number; bytes: number }[] = [];

  constructor(
    totals: { bytesTotal?: number | null; rowsTotal?: number | null },
    private readonly now: Clock = () => performance.now(),
  ) {
    this.bytesTotal = totals.bytesTotal ?? null;
    this.rowsTotal = totals.rowsTotal ?? null;
    this.started = now();
  }

  update(c: ProgressCounters): IngestProgress {
    const at = this.now();
    this.samples.push({ at, lines: c.linesRead, bytes: c.bytesDone });
    while (this.samples.length > 2 && at - this.samples[0].at > RATE_WINDOW_MS) this.samples.shift();
    const first = this.samples[0];
    const spanSeconds = (at - first.at) / 1000;
    const elapsedSeconds = (at - this.started) / 1000;
    const rowsPerSecond =
      spanSeconds > 0.05
        ? (c.linesRead - first.lines) / spanSeconds
        : elapsedSeconds > 0
          ? c.linesRead / elapsedSeconds
          : 0;

    const fraction = this.fraction(c);
    let secondsLeft: number | null = null;
    if (c.phase === 'done') secondsLeft = 0;
    else if (fraction !== null && fraction > 0.01 && elapsedSeconds > 0.2) {
      const bytesPerSecond = spanSeconds > 0.05 ? (c.bytesDone - first.bytes) / spanSeconds : 0;
      if (this.bytesTotal !== null && bytesPerSecond > 0) {
        secondsLeft = (this.bytesTotal - c.bytesDone) / bytesPerSecond;
      } else if (this.rowsTotal !== null && rowsPerSecond > 0) {
        secondsLeft = (this.rowsTotal - c.linesRead) / rowsPerSecond;
      }
    }
    return {
      phase: c.phase,
      fraction,
      rowsDone: c.rowsDone,
      linesRead: c.linesRead,
      badRows: c.badRows,
      chunksStored: c.chunksStored,
      rowsPerSecond,
      secondsLeft: secondsLeft === null ? null : Math.max(0, secondsLeft),
      elapsedSeconds,
    };
  }

  private fraction(c: ProgressCounters): number | null {
    if (c.phase === 'done') return 1;
    if (this.bytesTotal) return Math.min(1, c.bytesDone / this.bytesTotal);
    if (this.rowsTotal) return Math.min(1, c.linesRead / this.rowsTotal);
    return null;
  }
}

/**
 * Passes on at most one 'reading' update per `intervalMs` (the first at once) and every other
 * phase. Each update re-renders the progress figures on the page: at 8 a second they cost the
 * page ≈ 0.3 s of CPU during a 1M-line import, on a machine where the parse needs both cores.
 */
export function throttleProgress(send: (p: IngestProgress) => void, intervalMs: number, now: Clock = () => performance.now()): (p: IngestProgress) => void {
  let last = -Infinity;
  return (p) => {
    const at = now();
    if (p.phase === 'reading' && at - last < intervalMs) return;
    last = at;
    send(p);
  };
}
