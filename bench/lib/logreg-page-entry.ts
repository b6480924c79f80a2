// Browser side of bench/logreg.mjs: bundled by esbuild into a temp folder. Exposes
// window.runLogReg(backend, n, d), which fetches the data files from the bench server, runs one
// small warm-up and one timed fit, and returns the figures.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { fitLogReg, predictProba } from '../../src/lib/ml/logreg';
import { rocAuc } from '../../src/lib/eval/classification';
import { touchPages } from './touch-pages';

setWasmPaths('/wasm/');

async function bytes(url: string): Promise<ArrayBuffer> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.arrayBuffer();
}

let cached: { x: Float32Array; y: Uint8Array } | null = null;

async function runLogReg(backend: string, n: number, d: number) {
  if (!(await tf.setBackend(backend).catch(() => false)) || tf.getBackend() !== backend) {
    return { backend, error: `setBackend('${backend}') failed (got ${tf.getBackend()})` };
  }
  await tf.ready();
  cached ??= { x: new Float32Array(await bytes('/x.f32')), y: new Uint8Array(await bytes('/y.u8')) };
  const { x, y } = cached;
  touchPages(x);
  touchPages(y);
  const X = { data: x, rows: n, cols: d, names: Array.from({ length: d }, (_, j) => `x${j}`) };
  const warm = Math.min(n, 4096);
  await fitLogReg(tf, { ...X, data: x.subarray(0, warm * d), rows: warm }, y.subarray(0, warm), { maxIter: 2 });
  const t0 = performance.now();
  const m = await fitLogReg(tf, X, y);
  const seconds = (performance.now() - t0) / 1000;
  const threads = backend === 'wasm' ? (tf.backend() as unknown as { wasm?: { _getThreadsCount?: () => number } }).wasm?._getThreadsCount?.() ?? null : null;
  return { backend, seconds, iterations: m.iterations, stopReason: m.stopReason, auc: rocAuc(y, predictProba(m, X)), coefficients: m.coefficients, threads, numTensors: tf.memory().numTensors };
}

(window as unknown as { runLogReg: typeof runLogReg }).runLogReg = runLogReg;
