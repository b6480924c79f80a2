// The benchmark job on Node's cpu and wasm backends: correct distance step, no leaked tensors,
// progress in [0, 1], prompt cancellation.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { assignStep, benchmarkBackend } from '../../src/lib/compute/benchmark';
import { checkpoint, JobCancelledError, makeJobContext, normaliseProgress, type JobProgress } from '../../src/lib/compute/jobs';

beforeAll(async () => {
  await tf.ready();
});

describe('job helpers', () => {
  it('checkpoint yields to the event loop, then throws once aborted', async () => {
    const ac = new AbortController();
    await expect(checkpoint(ac.signal)).resolves.toBeUndefined();
    // An abort queued as a task (as a cancel message is) is seen by the next checkpoint: it must
    // really yield to the event loop, a microtask would not do.
    setImmediate(() => ac.abort());
    await expect(checkpoint(ac.signal)).rejects.toBeInstanceOf(JobCancelledError);
  });

  it('normaliseProgress clamps the fraction', () => {
    expect(normaliseProgress({ fraction: 1.5, message: '' }).fraction).toBe(1);
    expect(normaliseProgress({ fraction: -2, message: '' }).fraction).toBe(0);
    expect(normaliseProgress({ fraction: NaN, message: '' }).fraction).toBe(0);
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`benchmark job on ${backend}`, () => {
    beforeAll(async () => {
      expect(await tf.setBackend(backend)).toBe(true);
    });

    it('assignStep finds the nearest centre (checked against brute force)', () => {
      // 3 centres on a line, points placed next to a known one.
      const c = tf.tensor2d([[0, 0], [10, 0], [0, 10]]);
      const pts = [[1, 1], [9, -1], [-1, 8], [6, 0], [4, 0], [0, 6]];
      const x = tf.tensor2d(pts);
      const got = assignStep(tf, x, c);
      const want = pts.map(([a, b]) => {
        const d = [a * a + b * b, (a - 10) ** 2 + b * b, a * a + (b - 10) ** 2];
        return d.indexOf(Math.min(...d));
      });
      expect(Array.from(got.dataSync())).toEqual(want); // [0, 1, 2, 1, 0, 2]
      tf.dispose([c, x, got]);
    });

    it('returns figures with progress in [0, 1] ending at 1', async () => {
      const seen: JobProgress[] = [];
      const r = await benchmarkBackend(
        tf,
        { sizes: [32, 64], distance: { n: 1000, d: 8, k: 4 }, repeats: 2 },
        makeJobContext(undefined, (p) => seen.push(p)),
      );
      expect(r.backend).toBe(backend);
      expect(r.matMul.map((m) => m.size)).toEqual([32, 64]);
      for (const m of r.matMul) {
        expect(m.ms).toBeGreaterThan(0);
        expect(m.gflops).toBeCloseTo((2 * m.size ** 3) / (m.ms * 1e6), 9);
      }
      expect(r.distance?.n).toBe(1000);
      expect(seen.length).toBe(9); // (2 sizes + 1 distance) × (1 warm-up + 2 runs)
      expect(seen.every((p) => p.fraction >= 0 && p.fraction <= 1)).toBe(true);
      expect(seen.map((p) => p.fraction)).toEqual([...seen.map((p) => p.fraction)].sort((a, b) => a - b));
      expect(seen.at(-1)?.fraction).toBe(1);
    });

    it('disposes every tensor: 5 runs return numTensors to its baseline', async () => {
      const before = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) {
        await benchmarkBackend(tf, { sizes: [16, 48], distance: { n: 500, d: 4, k: 3 }, repeats: 1 }, makeJobContext());
        expect(tf.memory().numTensors).toBe(before);
      }
    });

    it('cancels promptly with JobCancelledError and leaks nothing', async () => {
      const before = tf.memory().numTensors;
      const ac = new AbortController();
      let abortedAt = 0;
      const job = benchmarkBackend(
        tf,
        { sizes: [256, 256, 256, 256, 256, 256], distance: { n: 100_000, d: 8, k: 8 }, repeats: 10 },
        makeJobContext(ac.signal, () => {
          if (!abortedAt) {
            abortedAt = performance.now();
            setTimeout(() => ac.abort(), 0); // arrives like a postMessage'd cancel would
          }
        }),
      );
      await expect(job).rejects.toBeInstanceOf(JobCancelledError);
      expect(performance.now() - abortedAt).toBeLessThan(1000); // one 256² matMul is far below this
      expect(tf.memory().numTensors).toBe(before);
    });

    it('rejects bad parameters with a message naming the value', async () => {
      await expect(benchmarkBackend(tf, { sizes: [0] }, makeJobContext())).rejects.toThrow('benchmark size 0');
      await expect(benchmarkBackend(tf, { sizes: [8], repeats: 0 }, makeJobContext())).rejects.toThrow('repeats 0');
    });
  });
}
