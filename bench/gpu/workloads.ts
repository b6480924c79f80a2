// The timed workloads: our own fits from src/lib/ml on the current tfjs backend. Each one first fits
// a small or one-iteration problem (shader compilation, wasm set-up) and then times a full fit,
// reading steady-state pace from the fit's own per-iteration callbacks.
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { rocAuc } from '../../src/lib/eval/classification';
import { fitImplicitAls, type FactorModel } from '../../src/lib/ml/als';
import { KMeans } from '../../src/lib/ml/kmeans';
import { fitLogReg, predictProba } from '../../src/lib/ml/logreg';
import { fitExplicitMf } from '../../src/lib/ml/mf';
import { csrFromTriples, type Csr } from '../../src/lib/recommend/csr';
import { blobs, logregData, recoData } from './data';
import type { Json, Reporter } from './report';

/** Rows the warm-up fits use: enough to compile every shader of the full-size fit's kind. */
const WARM_UP_ROWS = 4096;

const elapsedMs = (since: number) => performance.now() - since;

/** Mean time between the first and the last stamp, or null with fewer than two. */
function steadyInterval(stamps: number[]): number | null {
  return stamps.length > 1 ? (stamps[stamps.length - 1] - stamps[0]) / (stamps.length - 1) : null;
}

function writeLabels(file: string, labels: Int32Array): void {
  writeFileSync(file, new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength));
}

// ---------------------------------------------------------------------------------------------
// k-means

export interface KmeansSpec {
  n: number;
  d: number;
  k: number;
  iters: number;
}

/**
 * Lloyd from fixed initial centres with tol 0, so both backends run exactly `iters` iterations and
 * their labels can be compared row by row (written to <tag>.labels, and <tag>.labels1 after one step).
 */
export async function runKmeans({ n, d, k, iters }: KmeansSpec, report: Reporter): Promise<Json> {
  const tData = performance.now();
  const { x, init } = blobs(n, d, k);
  report.log(`data ${n}×${d} in ${elapsedMs(tData).toFixed(0)} ms`);
  const fitFor = (maxIter: number) => new KMeans({ k, init, nInit: 1, maxIter, tol: 0 });
  const numTensorsStart = tf.memory().numTensors;

  const warmRows = Math.min(n, WARM_UP_ROWS);
  let t0 = performance.now();
  await fitFor(1).fit(tf, x.subarray(0, warmRows * d), warmRows, d);
  const warmMs = elapsedMs(t0);
  // One iteration on all the rows: warms the full-size shaders, and its labels are compared too.
  t0 = performance.now();
  const oneStep = await fitFor(1).fit(tf, x, n, d);
  const oneIterFitMs = elapsedMs(t0);
  report.log(`warm-up ${warmMs.toFixed(0)} ms, 1-iteration fit ${oneIterFitMs.toFixed(0)} ms (${oneStep.assignment})`);

  const numTensorsBefore = tf.memory().numTensors;
  const stamps: number[] = [];
  t0 = performance.now();
  const r = await fitFor(iters).fit(tf, x, n, d, {
    onProgress: ({ iteration }) => {
      if (iteration <= stamps.length) return; // the final relabel reports the last iteration again
      stamps.push(performance.now());
      report.progress(`iteration ${iteration} at ${elapsedMs(t0).toFixed(0)} ms`, iteration === 1);
      if (iteration > 1) report.partial({ n, d, k, iters, itersDone: iteration, steadyMsPerIter: steadyInterval(stamps) });
    },
  });
  const ms = elapsedMs(t0);
  report.progress(`${r.nIter} iterations in ${ms.toFixed(0)} ms`, true);
  const numTensorsAfter = tf.memory().numTensors;

  writeLabels(report.file('.labels'), r.labels);
  writeLabels(report.file('.labels1'), oneStep.labels);
  const clusterSizes = new Array<number>(k).fill(0);
  for (const label of r.labels) clusterSizes[label]++;
  return {
    n, d, k, iters, nIter: r.nIter, converged: r.converged, assignment: r.assignment,
    ms, msPerIter: ms / r.nIter, steadyMsPerIter: steadyInterval(stamps) ?? ms / r.nIter, warmMs, oneIterFitMs,
    inertia: r.inertia, inertia1: oneStep.inertia, clusterSizes, centers: Array.from(r.centers),
    numTensorsStart, numTensorsBefore, numTensorsAfter,
  };
}

// ---------------------------------------------------------------------------------------------
// Logistic regression

export interface LogregSpec {
  n: number;
  d: number;
}

/** Newton fit to convergence (the app's defaults); the whole fit is the timed figure. */
export async function runLogreg({ n, d }: LogregSpec, report: Reporter): Promise<Json> {
  const tData = performance.now();
  const { x, y } = logregData(n, d);
  const positives = y.reduce((sum, v) => sum + v, 0);
  report.log(`data ${n}×${d} (${positives} positives) in ${elapsedMs(tData).toFixed(0)} ms`);
  const X = { data: x, rows: n, cols: d, names: Array.from({ length: d }, (_, j) => `x${j}`) };

  const warmRows = Math.min(n, WARM_UP_ROWS);
  let t0 = performance.now();
  await fitLogReg(tf, { ...X, data: x.subarray(0, warmRows * d), rows: warmRows }, y.subarray(0, warmRows), { maxIter: 2 });
  const warmMs = elapsedMs(t0);

  const numTensorsBefore = tf.memory().numTensors;
  const iterLog: Json[] = [];
  t0 = performance.now();
  const model = await fitLogReg(tf, X, y, {
    onIteration: (s) => {
      iterLog.push({ ...s, ms: elapsedMs(t0) });
      report.progress(`newton eval ${s.iteration}: loss ${s.loss.toFixed(8)} |grad| ${s.gradNorm.toExponential(2)} at ${elapsedMs(t0).toFixed(0)} ms`, s.iteration === 0);
      report.partial({ n, d, itersDone: s.iteration, secondsSoFar: elapsedMs(t0) / 1000, loss: s.loss, iterLog });
    },
  });
  const seconds = elapsedMs(t0) / 1000;
  const loss = model.loss[model.loss.length - 1];
  report.progress(`fit ${seconds.toFixed(2)} s, ${model.iterations} iterations, loss ${loss.toFixed(8)}`, true);
  const numTensorsAfter = tf.memory().numTensors;
  return {
    n, d, positives, seconds, warmMs, iterations: model.iterations, converged: model.converged, stopReason: model.stopReason,
    loss, auc: rocAuc(y, predictProba(model, X)), coefficients: model.coefficients, intercept: model.intercept, iterLog,
    numTensorsBefore, numTensorsAfter,
  };
}

// ---------------------------------------------------------------------------------------------
// Recommenders: explicit matrix factorisation (ratings) and implicit ALS (every rating read as 1)

export type RecoAlgo = 'mf' | 'als';
export const RECO_ALGOS: readonly RecoAlgo[] = ['mf', 'als'];

export interface RecoSpec {
  algo: RecoAlgo;
  users: number;
  items: number;
  nnz: number;
  iters: number;
  factors: number;
}

interface RecoIteration {
  iteration: number;
  loss: number;
  rmse?: number;
}

function fitReco(algo: RecoAlgo, m: Csr, factors: number, iterations: number, onIteration?: (s: RecoIteration) => void): Promise<FactorModel> {
  const options = { factors, iterations, seed: 1, onIteration };
  return algo === 'als' ? fitImplicitAls(tf, m, options) : fitExplicitMf(tf, m, options);
}

/** Warm-up of one iteration, as bench/lib/recommend-fit.ts, then `iters` timed iterations. */
export async function runReco({ algo, users, items, nnz, iters, factors }: RecoSpec, report: Reporter): Promise<Json> {
  const tData = performance.now();
  const t = recoData(nnz, users, items);
  const ratings = algo === 'als' ? new Float32Array(t.nnz).fill(1) : t.v;
  const m = csrFromTriples(users, items, t.r, t.c, ratings, 'last');
  report.log(`data ${users}×${items}, ${t.nnz} ratings in ${elapsedMs(tData).toFixed(0)} ms`);

  let t0 = performance.now();
  await fitReco(algo, m, factors, 1);
  const warmMs = elapsedMs(t0);

  const numTensorsBefore = tf.memory().numTensors;
  const stamps: number[] = [];
  const iterLog: Json[] = [];
  let lastRmse: number | undefined;
  t0 = performance.now();
  const model = await fitReco(algo, m, factors, iters, ({ iteration, loss, rmse }) => {
    stamps.push(performance.now());
    lastRmse = rmse;
    iterLog.push({ iteration, loss, rmse, ms: elapsedMs(t0) });
    const rmseText = rmse != null ? ` rmse ${rmse.toFixed(5)}` : '';
    report.progress(`iteration ${iteration}: loss ${loss.toPrecision(8)}${rmseText} at ${elapsedMs(t0).toFixed(0)} ms`, iteration === 1);
    const pace = steadyInterval(stamps);
    if (pace !== null) report.partial({ algo, users, items, nnz: t.nnz, iterations: iters, factors, itersDone: iteration, steadySecPerIter: pace / 1000, loss, iterLog });
  });
  const seconds = elapsedMs(t0) / 1000;
  const loss = model.loss[model.loss.length - 1];
  report.progress(`${iters} iterations in ${seconds.toFixed(2)} s, loss ${loss.toPrecision(8)}`, true);
  const numTensorsAfter = tf.memory().numTensors;
  const pace = steadyInterval(stamps);
  return {
    algo, users, items, nnz: t.nnz, iterations: iters, factors, seconds, secPerIter: seconds / iters,
    steadySecPerIter: pace !== null ? pace / 1000 : seconds / iters, warmMs,
    loss, rmse: lastRmse ?? null, iterLog, numTensorsBefore, numTensorsAfter,
  };
}
