// One timed KMeans fit under Node on one tfjs backend; prints a JSON line. Run by bench/kmeans.mjs as
//   node --import tsx bench/kmeans/node-run.ts <backend> <data.f32> <init.f32> <n> <d> <k> <iters> [tensor-ops]
// (`tensor-ops`: keep Lloyd's assignment on tfjs ops instead of the fused wasm kernel, for an A/B.)
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { KMeans } from '../../src/lib/ml/kmeans';
import { touchPages } from '../lib/touch-pages';

const [backend, dataPath, initPath, ns, ds, ks, its, mode] = process.argv.slice(2);
const fusedKernel = mode !== 'tensor-ops';
const [n, d, k, iters] = [ns, ds, ks, its].map(Number);
const f32 = (p: string) => {
  const b = readFileSync(p);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};
const x = f32(dataPath);
const init = f32(initPath);
touchPages(x);
if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} unavailable`);
await tf.ready();
// Warm-up: one iteration on a small slice (wasm instantiation, kernel set-up).
await new KMeans({ k, init, nInit: 1, maxIter: 1, tol: 0, fusedKernel }).fit(tf, x.subarray(0, Math.min(n, 4096) * d), Math.min(n, 4096), d);
const stamps: number[] = [];
const t0 = performance.now();
const r = await new KMeans({ k, init, nInit: 1, maxIter: iters, tol: 0, fusedKernel }).fit(tf, x, n, d, { onProgress: () => stamps.push(performance.now()) });
const ms = performance.now() - t0;
// Steady state: time between the first and the last iteration report.
const steady = stamps.length > 2 ? (stamps[r.nIter - 1] - stamps[0]) / (r.nIter - 1) : ms / r.nIter;
console.log(JSON.stringify({ backend: tf.getBackend(), ms, nIter: r.nIter, msPerIter: ms / r.nIter, steadyMsPerIter: steady, inertia: r.inertia, assignment: r.assignment }));
