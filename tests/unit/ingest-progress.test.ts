// throttleProgress (src/lib/ingest/progress.ts): at most one 'reading' update per interval, the
// first at once, and never a phase change dropped.
import { describe, expect, it } from 'vitest';
import { throttleProgress, type IngestProgress } from '../../src/lib/ingest/progress';

const update = (phase: IngestProgress['phase'], linesRead: number): IngestProgress => ({
  phase,
  fraction: null,
  rowsDone: linesRead,
  linesRead,
  badRows: 0,
  chunksStored: 0,
  rowsPerSecond: 0,
  secondsLeft: null,
  elapsedSeconds: 0,
});

describe('throttleProgress', () => {
  it('passes the first update, then one per interval, and every saving/done update', () => {
    let clock = 0;
    const seen: string[] = [];
    const send = throttleProgress((p) => seen.push(`${p.phase} ${p.linesRead}`), 250, () => clock);
    for (const [at, lines] of [[0, 1], [100, 2], [249, 3], [250, 4], [400, 5], [520, 6]]) {
      clock = at;
      send(update('reading', lines));
    }
    clock = 530;
    send(update('saving', 7));
    send(update('done', 7));
    // 0 passes; 100 and 249 are within 250 ms of it; 250 passes; 400 is within 250 ms of 250; 520 passes.
    expect(seen).toEqual(['reading 1', 'reading 4', 'reading 6', 'saving 7', 'done 7']);
  });
});
