// Browser side of bench/kmeans.mjs: bundled by esbuild into a temp folder. Exposes
// window.runKMeans(backend, n, d, k, iters), which fetches the data file and centres from the
// bench server, runs one warm-up and one timed fit, and returns the figures.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { KMeans } from '../../src/lib/ml/kmeans';
import { touchPages } from '../lib/touch-pages';

setWasmPaths('/wasm/');

async function f32(url: string): Promise<Float32Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Float32Array(await r.arrayBuffer());
}

let cached: { x: Float32Array; init: Float32Array } | null = null;

async function runKMeans(backend: string, n: number, d: number, k: number, iters: number) {
  if (!(await tf.setBackend(backend).catch(() => false)) || tf.getBackend() !== backend) {
    return { backend, error: `setBackend('${backend}') failed (got ${tf.getBackend()})` };
  }
  await tf.ready();
  cached ??= { x: await f32('/data.f32'), init: await f32('/init.f32') };
  const { x, init } = cached;
  touchPages(x);
  const warm = Math.min(n, 4096);
  await new KMeans({ k, init, nInit: 1, maxIter: 2, tol: 0 }).fit(tf, x.subarray(0, warm * d), warm, d);
  const stamps: number[] = [];
  const t0 = performance.now();
  const r = await new KMeans({ k, init, nInit: 1, maxIter: iters, tol: 0 }).fit(tf, x, n, d, { onProgress: () => stamps.push(performance.now()) });
  const ms = performance.now() - t0;
  const steady = r.nIter > 1 ? (stamps[r.nIter - 1] - stamps[0]) / (r.nIter - 1) : ms;
  const wasm = backend === 'wasm' ? (tf.backend() as unknown as { wasm?: { _getThreadsCount?: () => number; HEAPU8?: Uint8Array } }).wasm : undefined;
  const threads = wasm?._getThreadsCount?.() ?? null;
  // The threaded tfjs-wasm build runs on a shared memory (the kernel's shared-memory variant).
  const sharedMemory = typeof SharedArrayBuffer !== 'undefined' && wasm?.HEAPU8?.buffer instanceof SharedArrayBuffer;
  return { backend, ms, nIter: r.nIter, msPerIter: ms / r.nIter, steadyMsPerIter: steady, inertia: r.inertia, assignment: r.assignment, threads, sharedMemory, numTensors: tf.memory().numTensors };
}

(window as unknown as { runKMeans: typeof runKMeans }).runKMeans = runKMeans;
