// `summary <dir>`: reads every run's result file, pairs each workload's wasm and webgpu runs, prints
// the comparison table and writes everything to $OUT/gpu-bench.json (or <dir>/gpu-bench.json).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Json } from './report';

/** A result file as entry.ts or run.sh wrote it; which fields exist depends on the workload and the outcome. */
interface RunRecord {
  ok?: boolean;
  partial?: boolean;
  skipped?: boolean;
  timedOut?: boolean;
  error?: string;
  tfBackend?: string;
  numTensorsBefore?: number;
  numTensorsAfter?: number;
  gpuErrors?: number;
  gpuErrorSamples?: string[];
  deviceLost?: string | null;
  // progress of a run that did not finish
  itersDone?: number;
  secondsSoFar?: number;
  steadyMsPerIter?: number;
  steadySecPerIter?: number;
  // k-means
  n?: number;
  nIter?: number;
  inertia?: number;
  centers?: number[];
  // logistic regression
  seconds?: number;
  iterations?: number;
  loss?: number;
  auc?: number;
  coefficients?: number[];
  intercept?: number;
  // recommenders
  rmse?: number | null;
}

interface ProbeRecord {
  ok?: boolean;
  error?: string;
  adapter?: Json;
  tfBackend?: string;
  matmulCheck?: { ok: boolean; maxAbsErr: number };
  looksLikeNvidia?: boolean;
  looksLikeSoftware?: boolean;
}

interface Pair {
  wasm?: RunRecord;
  webgpu?: RunRecord;
}

/** How one kind of workload is shown and compared. Speed figures: smaller is faster. */
interface Family {
  figure(r: RunRecord): string;
  speed(r: RunRecord): number;
  compare(dir: string, workload: string, pair: Pair): { fields: Json; text: string };
}

const num = (v: number | undefined | null) => v ?? NaN;

/** A table figure: whole from 100, one decimal from 10, `digits` decimals below; "—" if not a number. */
function fmt(v: unknown, digits = 2): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(digits);
}

function fmtRatio(ratio: number | null): string {
  if (!ratio) return '—';
  return (ratio >= 10 ? ratio.toFixed(0) : ratio >= 1 ? ratio.toFixed(2) : ratio.toPrecision(2)) + '×';
}

const bothFinished = (p: Pair): p is Required<Pair> => Boolean(p.wasm?.ok && p.webgpu?.ok);

// ---------------------------------------------------------------------------------------------
// Agreement between the backends

function readLabels(file: string): Int32Array | null {
  if (!existsSync(file)) return null;
  const b = readFileSync(file);
  return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** Rows whose label differs between the wasm and webgpu runs, or null if either is missing. */
function labelsDiffer(dir: string, workload: string, suffix: string): number | null {
  const a = readLabels(path.join(dir, `${workload}-wasm${suffix}`));
  const b = readLabels(path.join(dir, `${workload}-webgpu${suffix}`));
  if (!a || !b || a.length !== b.length) return null;
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

const maxAbsDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

const kmeans: Family = {
  figure: (r) => `${fmt(r.steadyMsPerIter)} ms/it (${r.nIter} it)`,
  speed: (r) => num(r.steadyMsPerIter),
  compare(dir, workload, pair) {
    const fields: Json = { labelsDiffer: labelsDiffer(dir, workload, '.labels'), labelsDifferAfter1Iter: labelsDiffer(dir, workload, '.labels1') };
    if (bothFinished(pair)) {
      const { wasm, webgpu } = pair;
      fields.inertiaRelDiff = Math.abs(num(wasm.inertia) - num(webgpu.inertia)) / Math.abs(num(wasm.inertia));
      fields.maxCenterDiff = maxAbsDiff(wasm.centers ?? [], webgpu.centers ?? []);
    }
    if (fields.labelsDiffer == null) return { fields, text: '' };
    const inertia = typeof fields.inertiaRelDiff === 'number' ? fields.inertiaRelDiff.toExponential(1) : '—';
    const text = `labels differ: ${fields.labelsDiffer}/${pair.wasm?.n ?? '?'} (after 1 it: ${fields.labelsDifferAfter1Iter}); inertia rel diff ${inertia}`;
    return { fields, text };
  },
};

const logreg: Family = {
  figure: (r) => `${fmt(r.seconds)} s (${r.iterations} it)`,
  speed: (r) => num(r.seconds),
  compare(_dir, _workload, pair) {
    if (!bothFinished(pair)) return { fields: {}, text: '' };
    const { wasm, webgpu } = pair;
    const [lw, lg, aw, ag] = [num(wasm.loss), num(webgpu.loss), num(wasm.auc), num(webgpu.auc)];
    const maxCoefDiff = Math.max(maxAbsDiff(wasm.coefficients ?? [], webgpu.coefficients ?? []), Math.abs(num(wasm.intercept) - num(webgpu.intercept)));
    return {
      fields: { lossDiff: Math.abs(lw - lg), aucDiff: Math.abs(aw - ag), maxCoefDiff },
      text: `loss ${lw.toFixed(7)} vs ${lg.toFixed(7)}; AUC ${aw.toFixed(5)} vs ${ag.toFixed(5)}; max|Δβ| ${maxCoefDiff.toExponential(1)}`,
    };
  },
};

const recommender: Family = {
  figure: (r) => `${fmt(r.steadySecPerIter, 3)} s/it (${r.iterations} it)`,
  speed: (r) => num(r.steadySecPerIter),
  compare(_dir, _workload, pair) {
    if (!bothFinished(pair)) return { fields: {}, text: '' };
    const { wasm, webgpu } = pair;
    const [lw, lg] = [num(wasm.loss), num(webgpu.loss)];
    const rmse = wasm.rmse != null ? `; rmse ${wasm.rmse.toFixed(4)} vs ${webgpu.rmse?.toFixed(4)}` : '';
    return { fields: { lossRelDiff: Math.abs(lw - lg) / Math.abs(lw) }, text: `loss ${lw.toPrecision(7)} vs ${lg.toPrecision(7)}${rmse}` };
  },
};

function familyOf(workload: string): Family {
  if (workload.startsWith('kmeans')) return kmeans;
  if (workload.startsWith('logreg')) return logreg;
  return recommender;
}

// ---------------------------------------------------------------------------------------------
// Table

/** One table cell: the figure, or how the run ended if it has none. */
function cell(r: RunRecord | undefined, family: Family): string {
  if (!r) return 'not run';
  if (r.skipped) return 'skipped';
  if (r.partial) {
    const pace =
      r.steadyMsPerIter != null ? `${fmt(r.steadyMsPerIter)} ms/it`
      : r.steadySecPerIter != null ? `${fmt(r.steadySecPerIter, 3)} s/it`
      : r.secondsSoFar != null ? `${fmt(r.secondsSoFar)} s so far`
      : '';
    return `TIMEOUT ${r.itersDone ?? 0} it${pace ? ' ' + pace : ''}`;
  }
  if (r.ok === false) return `FAILED${r.timedOut ? ' (timeout)' : ''}`;
  return family.figure(r) + (r.gpuErrors ? ' GPU-ERR!' : '');
}

/** Indented lines under a workload's row: anything that makes its figures suspect. */
function warnings(pair: Pair): string[] {
  const out: string[] = [];
  for (const backend of ['wasm', 'webgpu'] as const) {
    const r = pair[backend];
    if (!r) continue;
    if (r.gpuErrors) out.push(`    ${backend}: ${r.gpuErrors} WebGPU errors (results unreliable): ${String(r.gpuErrorSamples?.[0] ?? '').split('\n')[0].slice(0, 300)}`);
    if (r.deviceLost) out.push(`    ${backend}: DEVICE LOST ${r.deviceLost}`);
    if (r.ok === false && !r.partial && !r.skipped) out.push(`    ${backend} error: ${String(r.error).split('\n').slice(0, 3).join(' | ').slice(0, 400)}`);
    if (r.ok && r.tfBackend !== backend) out.push(`    ${backend}: tf.getBackend() was ${r.tfBackend}, not ${backend}!`);
    if (r.ok && r.numTensorsBefore !== r.numTensorsAfter) out.push(`    ${backend}: numTensors ${r.numTensorsBefore} → ${r.numTensorsAfter} (LEAK?)`);
  }
  return out;
}

function probeLines(probe: ProbeRecord | undefined): string[] {
  if (!probe) return ['probe: no result'];
  if (!probe.ok) return [`probe FAILED: ${String(probe.error).split('\n')[0]}`];
  const check = probe.matmulCheck;
  const lines = [
    `adapter: ${JSON.stringify(probe.adapter)}  tf.getBackend()=${probe.tfBackend}  matmul check ${check?.ok ? 'ok' : 'FAILED'} (max err ${check?.maxAbsErr?.toExponential(1)})`,
  ];
  if (!probe.looksLikeNvidia) lines.push('WARNING: adapter does not look like the NVIDIA GPU');
  if (probe.looksLikeSoftware) lines.push('WARNING: adapter looks like a software (CPU) implementation');
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Reading the results folder

function readResults(dir: string): Record<string, RunRecord> {
  const files = existsSync(dir) ? readdirSync(dir).filter((x) => x.endsWith('.json')).sort() : [];
  const results: Record<string, RunRecord> = {};
  for (const file of files) {
    const tag = file.replace(/\.json$/, '');
    try {
      results[tag] = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as RunRecord;
    } catch (e) {
      results[tag] = { ok: false, error: `unreadable result: ${e}` };
    }
  }
  return results;
}

/** Tags are "<workload>-<backend>"; pairs keyed by workload. */
function pairByWorkload(results: Record<string, RunRecord>): Map<string, Pair> {
  const pairs = new Map<string, Pair>();
  for (const [tag, r] of Object.entries(results)) {
    const m = /^(.*)-(webgpu|wasm|cpu)$/.exec(tag);
    if (!m || m[2] === 'cpu') continue;
    const pair = pairs.get(m[1]) ?? {};
    pair[m[2] as keyof Pair] = r;
    pairs.set(m[1], pair);
  }
  return pairs;
}

/** Workloads in the order run.sh ran them (order.txt); any it did not list go last. */
function inRunOrder(dir: string, workloads: string[]): string[] {
  const orderFile = path.join(dir, 'order.txt');
  const ran = existsSync(orderFile) ? readFileSync(orderFile, 'utf8').split('\n').map((l) => l.replace(/-(webgpu|wasm|cpu)$/, '')) : [];
  const rank = (w: string) => (ran.includes(w) ? ran.indexOf(w) : Number.MAX_SAFE_INTEGER);
  return [...workloads].sort((a, b) => rank(a) - rank(b));
}

function readText(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

// ---------------------------------------------------------------------------------------------

export function summary(dir: string): void {
  const results = readResults(dir);
  const probe = results.probe as ProbeRecord | undefined;
  delete results.probe;
  const pairs = pairByWorkload(results);
  const comparisons: Json[] = [];
  const lines: string[] = ['', '==================================== SUMMARY ====================================', ...probeLines(probe), ''];
  lines.push(`${'workload'.padEnd(34)} ${'wasm'.padStart(22)} ${'webgpu'.padStart(22)} ${'wasm/webgpu'.padStart(11)}  agreement`);
  for (const workload of inRunOrder(dir, [...pairs.keys()])) {
    const pair = pairs.get(workload) ?? {};
    const family = familyOf(workload);
    const agreement = family.compare(dir, workload, pair);
    const ratio = bothFinished(pair) ? family.speed(pair.wasm) / family.speed(pair.webgpu) : null;
    comparisons.push({ workload, ...agreement.fields, wasmOverWebgpu: ratio });
    lines.push(`${workload.padEnd(34)} ${cell(pair.wasm, family).padStart(22)} ${cell(pair.webgpu, family).padStart(22)} ${fmtRatio(ratio).padStart(11)}  ${agreement.text}`);
    lines.push(...warnings(pair));
  }
  const all = Object.entries(results);
  lines.push(
    '',
    'tf.getBackend() per run: ' + all.filter(([, r]) => r.tfBackend).map(([t, r]) => `${t}=${r.tfBackend}`).join(', '),
    'numTensors before → after each timed fit: ' + all.filter(([, r]) => r.ok).map(([t, r]) => `${t} ${r.numTensorsBefore}→${r.numTensorsAfter}`).join(', '),
    '(ms/it and s/it are steady state: first to last iteration report; wasm/webgpu > 1 means webgpu is faster)',
  );
  const summaryText = lines.join('\n');
  console.log(summaryText);
  writeSummaryJson(dir, { meta: readText(path.join(dir, 'meta.txt')), probe: probe ?? null, results, comparisons, summaryText });
}

function writeSummaryJson(dir: string, json: Json): void {
  const outDir = process.env.OUT;
  const target = path.join(outDir || dir, 'gpu-bench.json');
  try {
    if (outDir) mkdirSync(outDir, { recursive: true });
    writeFileSync(target, JSON.stringify(json, null, 1));
    console.log(`\nwrote ${target}`);
  } catch (e) {
    console.log(`could not write ${target}: ${e}`);
  }
}
