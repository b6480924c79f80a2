// One timed logistic-regression fit under Node on one tfjs backend; prints a JSON line. Run by
// bench/logreg.mjs as  node --import tsx bench/lib/logreg-node-run.ts <backend> <x.f32> <y.u8> <n> <d>
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { fitLogReg, predictProba } from '../../src/lib/ml/logreg';
import { rocAuc } from '../../src/lib/eval/classification';
import { touchPages } from './touch-pages';

const [backend, xPath, yPath, ns, ds] = process.argv.slice(2);
const n = Number(ns);
const d = Number(ds);
const b = readFileSync(xPath);
const data = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
const y = new Uint8Array(readFileSync(yPath));
if (data.length !== n * d || y.length !== n) throw new Error('data files do not match n × d');
touchPages(data);
touchPages(y);
if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} unavailable`);
await tf.ready();
const X = { data, rows: n, cols: d, names: Array.from({ length: d }, (_, j) => `x${j}`) };
// Warm-up on a small slice (wasm instantiation, kernel set-up).
const warm = Math.min(n, 4096);
await fitLogReg(tf, { ...X, data: data.subarray(0, warm * d), rows: warm }, y.subarray(0, warm), { maxIter: 2 });
const t0 = performance.now();
const m = await fitLogReg(tf, X, y);
const seconds = (performance.now() - t0) / 1000;
const auc = rocAuc(y, predictProba(m, X));
console.log(JSON.stringify({ backend: tf.getBackend(), seconds, iterations: m.iterations, stopReason: m.stopReason, auc, loss: m.loss.at(-1), coefficients: m.coefficients, intercept: m.intercept, numTensors: tf.memory().numTensors }));
