// The first real compute job: how fast is the active backend? Measures square matMul GFLOP/s and
// the k-means distance step ‖x‖² − 2x·c + ‖c‖² (+ argmin), the kernel later jobs lean on.
// Each timing includes reading the result back (await data()), as real jobs do, so async
// backends (WebGL/WebGPU) are not flattered by measuring only the dispatch.
import type * as TfCore from '@tensorflow/tfjs-core';
import { checkpoint, type JobContext } from './jobs';

export type Tf = typeof TfCore;

export interface DistanceSize {
  n: number;
  d: number;
  k: number;
}

export interface BenchmarkParams {
  /** Square matMul sizes, e.g. [256, 512, 1000]. */
  sizes: number[];
  /** Distance-step shape; null skips it. Default { n: 200_000, d: 8, k: 8 }. */
  distance?: DistanceSize | null;
  /** Timed runs per case after one warm-up run; the median is reported. Default 3. */
  repeats?: number;
}

export interface MatMulFigure {
  size: number;
  ms: number;
  gflops: number;
}

export interface DistanceFigure extends DistanceSize {
  ms: number;
  /** Million points assigned per second. */
  mpointsPerSec: number;
}

export interface BenchmarkResult {
  backend: string;
  matMul: MatMulFigure[];
  distance: DistanceFigure | null;
}

export const DEFAULT_DISTANCE: DistanceSize = { n: 200_000, d: 8, k: 8 };

function validate(p: BenchmarkParams): Required<BenchmarkParams> {
  for (const s of p.sizes) {
    if (!Number.isInteger(s) || s < 1 || s > 8192) throw new RangeError(`benchmark size ${s} must be an integer in 1..8192`);
  }
  const repeats = p.repeats ?? 3;
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > 50) throw new RangeError(`benchmark repeats ${repeats} must be an integer in 1..50`);
  const distance = p.distance === undefined ? DEFAULT_DISTANCE : p.distance;
  if (distance) {
    for (const [key, v] of Object.entries(distance)) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`benchmark distance.${key} ${v} must be a positive integer`);
    }
  }
  return { sizes: p.sizes, repeats, distance };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Times `run` (which must return a tensor it allocated) including the read-back. */
async function timeOnce(tf: Tf, run: () => TfCore.Tensor): Promise<number> {
  const t0 = performance.now();
  const out = run();
  try {
    await out.data();
  } finally {
    tf.dispose(out);
  }
  return performance.now() - t0;
}

/** argmin_c (‖x‖² − 2x·c + ‖c‖²): one k-means assignment step, all inside tidy. */
export function assignStep(tf: Tf, x: TfCore.Tensor2D, c: TfCore.Tensor2D): TfCore.Tensor1D {
  return tf.tidy(() => {
    const xx = tf.sum(tf.square(x), 1, true); // n×1
    const cc = tf.reshape(tf.sum(tf.square(c), 1), [1, -1]); // 1×k
    const xc = tf.matMul(x, c, false, true); // n×k
    const dist = tf.add(tf.sub(xx, tf.mul(xc, 2)), cc);
    return tf.argMin(dist, 1) as TfCore.Tensor1D;
  });
}

export async function benchmarkBackend(tf: Tf, params: BenchmarkParams, ctx: JobContext): Promise<BenchmarkResult> {
  const p = validate(params);
  const steps = (p.sizes.length + (p.distance ? 1 : 0)) * (p.repeats + 1);
  let done = 0;
  const step = async (message: string, figures?: Record<string, number>) => {
    done++;
    ctx.progress({ fraction: done / steps, message, figures });
    await checkpoint(ctx.signal);
  };
  await checkpoint(ctx.signal);

  const matMul: MatMulFigure[] = [];
  for (const n of p.sizes) {
    const a = tf.randomUniform([n, n], -1, 1, 'float32', 1) as TfCore.Tensor2D;
    const b = tf.randomUniform([n, n], -1, 1, 'float32', 2) as TfCore.Tensor2D;
    try {
      await timeOnce(tf, () => tf.matMul(a, b)); // warm-up: shader compile, wasm page-in
      await step(`matMul ${n}×${n}: warm-up`);
      const times: number[] = [];
      for (let r = 0; r < p.repeats; r++) {
        times.push(await timeOnce(tf, () => tf.matMul(a, b)));
        await step(`matMul ${n}×${n}: run ${r + 1}/${p.repeats}`, { ms: times[r] });
      }
      const ms = median(times);
      matMul.push({ size: n, ms, gflops: (2 * n ** 3) / (ms * 1e6) });
    } finally {
      tf.dispose([a, b]);
    }
  }

  let distance: DistanceFigure | null = null;
  if (p.distance) {
    const { n, d, k } = p.distance;
    const x = tf.randomUniform([n, d], -1, 1, 'float32', 3) as TfCore.Tensor2D;
    const c = tf.randomUniform([k, d], -1, 1, 'float32', 4) as TfCore.Tensor2D;
    try {
      await timeOnce(tf, () => assignStep(tf, x, c));
      await step(`distance step ${n}×${d}, k ${k}: warm-up`);
      const times: number[] = [];
      for (let r = 0; r < p.repeats; r++) {
        times.push(await timeOnce(tf, () => assignStep(tf, x, c)));
        await step(`distance step: run ${r + 1}/${p.repeats}`, { ms: times[r] });
      }
      const ms = median(times);
      distance = { n, d, k, ms, mpointsPerSec: n / (ms * 1e3) };
    } finally {
      tf.dispose([x, c]);
    }
  }
  return { backend: tf.getBackend(), matMul, distance };
}
