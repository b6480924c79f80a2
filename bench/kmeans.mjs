#!/usr/bin/env node
// k-means benchmark: exactly 20 Lloyd iterations (tol 0, fixed initial centres) on N × 16 float32
// points, k = 8, for N = 100,000 and 1,000,000. Same data file and same centres for every runner:
//   - ours under Node (tfjs wasm and cpu backends, via tsx), one fresh process per run;
//   - ours in headless Chromium, every backend that initialises there (wasm, webgl; webgpu with
//     --enable-unsafe-webgpu and cpu at 100k only: WebGPU runs on SwiftShader here, ≈ 3 s/iteration), page bundled with esbuild, served on 127.0.0.1;
//   - scikit-learn KMeans(algorithm="lloyd", n_init=1, max_iter=20, tol=0, init=centres) via /usr/bin/python3;
//   - ml-kmeans v6 with the same centres, maxIterations 20.
// Prints ms/iteration and the ratios ours-wasm ÷ sklearn (target ≤ 2) and ml-kmeans ÷ ours-wasm
// (target ≥ 5). Figures are printed, never asserted; exit code 0 unless a runner broke.
//
// Usage: npm run bench:kmeans -- [--sizes 100000,1000000] [--skip-browser] [--skip-mlkmeans] [--json PATH]
// Env: CHROMIUM_PATH overrides /usr/bin/chromium; PYTHON overrides /usr/bin/python3.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInBrowser } from './kmeans/browser.mjs';
import { mulberry32 } from './lib/mulberry32.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const D = 16;
const K = 8;
const ITERS = 20;
const PYTHON = process.env.PYTHON || '/usr/bin/python3';

function parseArgs(argv) {
  const o = { sizes: [100_000, 1_000_000], browser: true, mlkmeans: true, json: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--sizes') o.sizes = argv[++i].split(',').map((s) => Number(s.replace(/_/g, '')));
    else if (a === '--skip-browser') o.browser = false;
    else if (a === '--skip-mlkmeans') o.mlkmeans = false;
    else if (a === '--json') o.json = argv[++i];
    else if (a === '--help' || a === '-h') {
      console.log('usage: npm run bench:kmeans -- [--sizes 100000,1000000] [--skip-browser] [--skip-mlkmeans] [--json PATH]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  for (const n of o.sizes) if (!Number.isInteger(n) || n < K) throw new Error(`--sizes: ${n} is not an integer ≥ ${K}`);
  return o;
}

/**
 * 8 heavily overlapping Gaussian blobs (centres uniform in [-1, 1]^16, sd 1), so Lloyd keeps moving
 * for all 20 iterations on every runner. Initial centres: rows 0, n/k, 2n/k, …
 */
function writeData(n) {
  const file = path.join(os.tmpdir(), `shoplens-kmeans-${n}x${D}.f32`);
  const initFile = path.join(os.tmpdir(), `shoplens-kmeans-${n}x${D}-init${K}.f32`);
  if (existsSync(file) && existsSync(initFile)) return { file, initFile };
  const rnd = mulberry32(12345);
  const centres = Float32Array.from({ length: K * D }, () => rnd() * 2 - 1);
  const x = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rnd() * K);
    for (let f = 0; f < D; f += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - rnd()));
      const t = 2 * Math.PI * rnd();
      x[i * D + f] = centres[c * D + f] + r * Math.cos(t);
      x[i * D + f + 1] = centres[c * D + f + 1] + r * Math.sin(t);
    }
  }
  const init = new Float32Array(K * D);
  for (let j = 0; j < K; j++) init.set(x.subarray(Math.floor((j * n) / K) * D, Math.floor((j * n) / K) * D + D), j * D);
  writeFileSync(file, x);
  writeFileSync(initFile, init);
  return { file, initFile };
}

function runJson(cmd, args, timeoutMs = 900_000) {
  const out = execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  const line = out.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
  if (!line) throw new Error(`${cmd} ${args.join(' ')} printed no JSON:\n${out}`);
  return JSON.parse(line);
}

const fmt = (v) => (v == null ? '—' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

async function main() {
  const o = parseArgs(process.argv.slice(2));
  console.log(`k-means benchmark: D=${D}, k=${K}, ${ITERS} Lloyd iterations (tol 0, fixed init), ${os.cpus().length} CPUs, Node ${process.version}`);
  const all = [];
  for (const n of o.sizes) {
    const { file, initFile } = writeData(n);
    const args = [file, initFile, String(n), String(D), String(K), String(ITERS)];
    console.log(`\nN = ${n.toLocaleString('en-US')} (data ${path.basename(file)} in ${os.tmpdir()})`);
    const rows = [];
    const add = (name, run) => {
      try {
        const r = run();
        rows.push({ name, ...r });
        console.log(`  ${name.padEnd(26)} ${fmt(r.msPerIter).padStart(8)} ms/iter  (${r.nIter} iter, total ${fmt(r.ms)} ms, inertia ${r.inertia.toPrecision(8)}${r.assignment ? `, ${r.assignment}` : ''})`);
      } catch (e) {
        rows.push({ name, error: String(e.message || e).split('\n')[0] });
        console.log(`  ${name.padEnd(26)} failed: ${String(e.message || e).split('\n')[0]}`);
      }
    };
    add('sklearn (python3)', () => runJson(PYTHON, [path.join(HERE, 'kmeans', 'sklearn_run.py'), ...args]));
    for (const b of ['wasm', 'cpu']) {
      if (b === 'cpu' && n > 100_000) continue; // tfjs-cpu is plain JS kernels: minutes at 1M
      add(`ours node ${b}`, () => runJson(process.execPath, ['--import', 'tsx', path.join(HERE, 'kmeans', 'node-run.ts'), b, ...args]));
    }
    // The same fit with Lloyd's assignment on tfjs ops instead of the fused kernel: what the kernel buys.
    add('ours node wasm, tensor ops', () => runJson(process.execPath, ['--import', 'tsx', path.join(HERE, 'kmeans', 'node-run.ts'), 'wasm', ...args, 'tensor-ops']));
    if (o.mlkmeans) add('ml-kmeans 6 (node)', () => runJson(process.execPath, ['--max-old-space-size=6144', path.join(HERE, 'kmeans', 'mlkmeans-run.mjs'), ...args]));
    if (o.browser) {
      try {
        for (const r of await runInBrowser({ root: ROOT, file, initFile, n, d: D, k: K, iters: ITERS, backends: n > 100_000 ? ['wasm', 'webgl'] : ['wasm', 'webgl', 'webgpu', 'cpu'] })) {
          rows.push({ name: `ours chromium ${r.backend}`, ...r });
          if (r.error) console.log(`  ${`ours chromium ${r.backend}`.padEnd(26)} skipped: ${r.error}`);
          else console.log(`  ${`ours chromium ${r.backend}`.padEnd(26)} ${fmt(r.msPerIter).padStart(8)} ms/iter  (${r.nIter} iter, total ${fmt(r.ms)} ms, inertia ${r.inertia.toPrecision(8)}${r.assignment ? `, ${r.assignment}` : ''}${r.threads ? `, ${r.threads} wasm thread(s)` : ''}${r.sharedMemory ? ', shared memory' : ''})`);
        }
      } catch (e) {
        console.log(`  chromium                   failed: ${String(e.message || e).split('\n')[0]}`);
      }
    }
    const get = (name) => rows.find((r) => r.name === name && !r.error)?.msPerIter;
    const sk = get('sklearn (python3)');
    const wasm = get('ours node wasm');
    const ml = get('ml-kmeans 6 (node)');
    const bw = get('ours chromium wasm');
    if (sk && wasm) console.log(`  ratio ours-wasm (node) ÷ sklearn     = ${(wasm / sk).toFixed(2)}  (target ≤ 2)`);
    if (sk && bw) console.log(`  ratio ours-wasm (chromium) ÷ sklearn = ${(bw / sk).toFixed(2)}  (target ≤ 2)`);
    const ops = get('ours node wasm, tensor ops');
    if (ml && wasm) console.log(`  ratio ml-kmeans ÷ ours-wasm (node)   = ${(ml / wasm).toFixed(2)}  (target ≥ 5)`);
    if (ops && wasm) console.log(`  ratio tensor ops ÷ fused kernel      = ${(ops / wasm).toFixed(2)}`);
    all.push({ n, d: D, k: K, iters: ITERS, rows });
  }
  if (o.json) writeFileSync(o.json, JSON.stringify(all, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
