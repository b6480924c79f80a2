// ShopLens GPU bench: our tfjs ML code (src/lib/ml) on tfjs-backend-webgpu (Dawn's Node addon on
// Vulkan) and on tfjs-backend-wasm. run.sh starts one process per workload and backend, so a crash,
// hang or lost device costs one result, and the backends never share a process.
//   node bench.mjs probe                                               adapter + a matmul check
//   node bench.mjs kmeans  <backend> <n> <d> <k> <iters>
//   node bench.mjs logreg  <backend> <n> <d>
//   node bench.mjs reco    <backend> <mf|als> <users> <items> <nnz> <iters> <factors>
//   node bench.mjs summary [resultsDir]                                table + $OUT/gpu-bench.json
// Each run writes $GPU_BENCH_RESULTS/<tag>.json and prints it (less the long arrays) as `RESULT {json}`.
// Source: bench/gpu/ (see README.md there); bundled into .gpu/bench.mjs by bench/gpu/build.sh.
import './shim'; // first: it must install navigator.gpu before tfjs-backend-webgpu is evaluated
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { BACKENDS, type BackendName, gpuErrors, initBackend } from './backend';
import { probe } from './probe';
import { type Json, Reporter } from './report';
import { summary } from './summary';
import { type KmeansSpec, type LogregSpec, RECO_ALGOS, type RecoAlgo, type RecoSpec, runKmeans, runLogreg, runReco } from './workloads';

type Workload =
  | { mode: 'kmeans'; backend: BackendName; spec: KmeansSpec }
  | { mode: 'logreg'; backend: BackendName; spec: LogregSpec }
  | { mode: 'reco'; backend: BackendName; spec: RecoSpec };

type Command = { mode: 'probe' } | Workload;

const RESULTS_DIR = process.env.GPU_BENCH_RESULTS || path.join(os.tmpdir(), 'gpu-bench-results');

/** Fields dropped from the RESULT line (they stay in the result file). */
const BULKY_FIELDS = ['centers', 'coefficients', 'iterLog', 'clusterSizes'];

function positiveInts(args: string[], names: string[]): number[] {
  if (args.length !== names.length) throw new Error(`expected ${names.join(' ')}, got ${args.length} numbers`);
  return args.map((a, i) => {
    const v = Number(a);
    if (!Number.isInteger(v) || v < 1) throw new Error(`${names[i]} must be a positive integer, got ${a}`);
    return v;
  });
}

function oneOf<T extends string>(what: string, value: string | undefined, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new Error(`${what} must be one of ${allowed.join(', ')}, got ${value}`);
  return value as T;
}

function parseCommand([mode, ...args]: string[]): Command {
  if (mode === 'probe') return { mode };
  const backend = oneOf('backend', args[0], BACKENDS);
  if (mode === 'kmeans') {
    const [n, d, k, iters] = positiveInts(args.slice(1), ['n', 'd', 'k', 'iters']);
    return { mode, backend, spec: { n, d, k, iters } };
  }
  if (mode === 'logreg') {
    const [n, d] = positiveInts(args.slice(1), ['n', 'd']);
    return { mode, backend, spec: { n, d } };
  }
  if (mode === 'reco') {
    const algo: RecoAlgo = oneOf('algorithm', args[1], RECO_ALGOS);
    const [users, items, nnz, iters, factors] = positiveInts(args.slice(2), ['users', 'items', 'nnz', 'iters', 'factors']);
    return { mode, backend, spec: { algo, users, items, nnz, iters, factors } };
  }
  throw new Error(`unknown mode ${mode} (probe, kmeans, logreg, reco or summary)`);
}

async function runWorkload(command: Workload, report: Reporter): Promise<Json> {
  const init = await initBackend(command.backend);
  report.log(`backend ${init.tfBackend} ready in ${init.backendInitMs.toFixed(0)} ms`);
  const figures =
    command.mode === 'kmeans' ? await runKmeans(command.spec, report)
    : command.mode === 'logreg' ? await runLogreg(command.spec, report)
    : await runReco(command.spec, report);
  // tfjs can fall back to another backend after an error: record the one the fit ended on.
  return { ...init, ...figures, tfBackendAfter: tf.getBackend() };
}

function errorText(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/** Runs one probe or workload; its result file is written whether it succeeded or not. */
async function runOne(argv: string[]): Promise<boolean> {
  const [mode, ...args] = argv;
  const id = { tag: process.env.GPU_BENCH_TAG || argv.join('-'), mode, backend: mode === 'probe' ? 'webgpu' : args[0] };
  const report = new Reporter({ ...id, resultsDir: RESULTS_DIR }, () => gpuErrors.fields());
  mkdirSync(RESULTS_DIR, { recursive: true });
  const t0 = performance.now();
  let result: Json;
  try {
    const command = parseCommand(argv);
    const figures = command.mode === 'probe' ? await probe() : await runWorkload(command, report);
    result = { ok: true, ...id, wallMs: performance.now() - t0, ...figures, ...gpuErrors.fields() };
  } catch (e) {
    result = { ok: false, ...id, wallMs: performance.now() - t0, error: errorText(e) };
  }
  writeFileSync(report.file('.json'), JSON.stringify(result));
  const brief = Object.fromEntries(Object.entries(result).filter(([k]) => !BULKY_FIELDS.includes(k)));
  console.log('RESULT ' + JSON.stringify(brief));
  return result.ok === true;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'summary') {
    summary(argv[1] || RESULTS_DIR);
    return 0;
  }
  return (await runOne(argv)) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
