#!/usr/bin/env node
// Recommender benchmark: implicit ALS (64 factors, 15 iterations) and explicit biased MF (ALS,
// defaults: 10 factors, 15 iterations) on MovieLens 100K (../shared/datasets; skipped when absent)
// and on a seeded synthetic set of 1,000,000 distinct user–item pairs (50,000 users × 10,000 items,
// Zipf-popular items, 20 taste clusters, ratings 1–5 from the cluster affinity plus noise).
// Same triples file for every runner:
//   - ours under Node (tfjs wasm; cpu on ML-100k only: plain JS kernels), one fresh process per run;
//   - ours in headless Chromium (wasm; webgl on SwiftShader, ML-100k only), page bundled with esbuild, 127.0.0.1;
//   - scikit-learn TruncatedSVD (PureSVD, 64 components, randomized, 5 power iterations) on the
//     same 0/1 matrix via /usr/bin/python3.
// Prints seconds per iteration (steady state) and totals, and for Node runs the CPU seconds per
// iteration; figures are printed, never asserted. With --repeat N each Node run is repeated N times
// (fresh processes, alternating nothing else) and the median by wall time is kept, all printed.
//
// Usage: npm run bench:recommend -- [--skip-browser] [--skip-1m] [--repeat N] [--json PATH]
// Env: CHROMIUM_PATH overrides /usr/bin/chromium; PYTHON overrides /usr/bin/python3.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInBrowser } from './lib/recommend-browser.mjs';
import { mulberry32 } from './lib/mulberry32.mjs';
import { zipfPicker } from './lib/zipf.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const PYTHON = process.env.PYTHON || '/usr/bin/python3';
const ALS = { algo: 'als', iters: 15, factors: 64 };
const MF = { algo: 'mf', iters: 15, factors: 10 };

function parseArgs(argv) {
  const o = { browser: true, big: true, json: '', repeat: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--skip-browser') o.browser = false;
    else if (a === '--skip-1m') o.big = false;
    else if (a === '--json') o.json = argv[++i];
    else if (a === '--repeat') {
      o.repeat = Number(argv[++i]);
      if (!Number.isInteger(o.repeat) || o.repeat < 1) throw new Error(`--repeat must be an integer ≥ 1, got ${argv[i]}`);
    }
    else if (a === '--help' || a === '-h') {
      console.log('usage: npm run bench:recommend -- [--skip-browser] [--skip-1m] [--repeat N] [--json PATH]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/** Int32 rows, Int32 cols, Float32 values, back to back. */
function writeTriples(file, r, c, v) {
  const n = r.length;
  const buf = Buffer.alloc(n * 12);
  Buffer.from(Int32Array.from(r).buffer).copy(buf, 0);
  Buffer.from(Int32Array.from(c).buffer).copy(buf, n * 4);
  Buffer.from(Float32Array.from(v).buffer).copy(buf, n * 8);
  writeFileSync(file, buf);
}

function movielens() {
  const u = path.resolve(ROOT, '../shared/datasets/movielens-100k/u.data');
  if (!existsSync(u)) return null;
  const rows = readFileSync(u, 'utf8').trim().split('\n').map((l) => l.split('\t').map(Number));
  const r = rows.map((x) => x[0] - 1);
  const c = rows.map((x) => x[1] - 1);
  const implicit = path.join(os.tmpdir(), 'shoplens-reco-ml100k-01.bin');
  const ratings = path.join(os.tmpdir(), 'shoplens-reco-ml100k-ratings.bin');
  writeTriples(implicit, r, c, rows.map(() => 1));
  writeTriples(ratings, r, c, rows.map((x) => x[2]));
  return { name: 'MovieLens 100K', rows: 943, cols: 1682, nnz: rows.length, implicit, ratings, cpu: true };
}

function synthetic(target = 1_000_000, users = 50_000, items = 10_000, clusters = 20) {
  const implicit = path.join(os.tmpdir(), `shoplens-reco-synth-${target}-01.bin`);
  const ratings = path.join(os.tmpdir(), `shoplens-reco-synth-${target}-ratings.bin`);
  const out = { name: `synthetic ${target.toLocaleString('en-US')}`, rows: users, cols: items, nnz: target, implicit, ratings, cpu: false };
  if (existsSync(implicit) && existsSync(ratings)) return out;
  const rnd = mulberry32(2024);
  // Zipf(1) item popularity, and each item's home cluster.
  const pick = zipfPicker(rnd, items);
  const home = Int32Array.from({ length: items }, () => Math.floor(rnd() * clusters));
  const byCluster = Array.from({ length: clusters }, () => []);
  home.forEach((k, i) => byCluster[k].push(i));
  const seen = new Set();
  const r = [];
  const c = [];
  const v = [];
  const clusterOf = Int32Array.from({ length: users }, () => Math.floor(rnd() * clusters));
  while (r.length < target) {
    const u = Math.floor(rnd() * users);
    const own = rnd() < 0.6; // 60 % of picks from the user's taste cluster
    const list = byCluster[clusterOf[u]];
    const i = own ? list[Math.floor(rnd() * rnd() * list.length)] : pick();
    const key = u * items + i;
    if (seen.has(key)) continue;
    seen.add(key);
    r.push(u);
    c.push(i);
    const rating = Math.round(3 + (home[i] === clusterOf[u] ? 1 : -0.5) + (rnd() + rnd() - 1) * 1.5);
    v.push(Math.min(5, Math.max(1, rating)));
  }
  writeTriples(implicit, r, c, v.map(() => 1));
  writeTriples(ratings, r, c, v);
  return out;
}

function runJson(cmd, args, timeoutMs = 1_200_000) {
  const out = execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  const line = out.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
  if (!line) throw new Error(`${cmd} ${args.join(' ')} printed no JSON:\n${out}`);
  return JSON.parse(line);
}

const fmt = (v) => (v == null ? '—' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));

async function main() {
  const o = parseArgs(process.argv.slice(2));
  console.log(`recommender benchmark: ALS ${ALS.factors} factors × ${ALS.iters} iterations; MF ${MF.factors} factors × ${MF.iters} iterations; ${os.cpus().length} CPUs, Node ${process.version}`);
  const sets = [];
  const ml = movielens();
  if (ml) sets.push(ml);
  else console.log('MovieLens 100K skipped: ../shared/datasets absent');
  if (o.big) sets.push(synthetic());
  const all = [];
  for (const s of sets) {
    console.log(`\n${s.name}: ${s.rows.toLocaleString('en-US')} users × ${s.cols.toLocaleString('en-US')} items, ${s.nnz.toLocaleString('en-US')} pairs`);
    const rows = [];
    const line = (name, r) => {
      rows.push({ name, ...r });
      if (r.error) console.log(`  ${name.padEnd(30)} failed: ${r.error}`);
      else if (r.secPerIter != null) {
        const cpu = r.cpuSecPerIter != null ? `, cpu ${fmt(r.cpuSecPerIter)} s/iter` : '';
        const runs = r.runs ? `, median of ${r.runs.length}: ${r.runs.map((x) => fmt(x.steadySecPerIter)).join(' / ')}` : '';
        console.log(`  ${name.padEnd(30)} ${fmt(r.steadySecPerIter).padStart(7)} s/iter  (total ${fmt(r.seconds)} s incl. set-up${cpu}, loss ${r.loss.toPrecision(6)}${runs})`);
      }
      else console.log(`  ${name.padEnd(30)} ${fmt(r.seconds).padStart(7)} s fit`);
    };
    const attempt = (name, fn) => {
      try {
        line(name, fn());
      } catch (e) {
        line(name, { error: String(e.message || e).split('\n')[0] });
      }
    };
    attempt('sklearn TruncatedSVD(64)', () => runJson(PYTHON, [path.join(HERE, 'lib', 'recommend-sklearn.py'), s.implicit, String(s.rows), String(s.cols), '64']));
    for (const cfg of [ALS, MF]) {
      const file = cfg.algo === 'als' ? s.implicit : s.ratings;
      for (const b of s.cpu ? ['wasm', 'cpu'] : ['wasm']) {
        attempt(`ours node ${b} ${cfg.algo}`, () => {
          const run = () => runJson(process.execPath, ['--import', 'tsx', path.join(HERE, 'lib', 'recommend-node-run.ts'), b, file, String(s.rows), String(s.cols), cfg.algo, String(cfg.iters), String(cfg.factors)]);
          if (o.repeat === 1) return run();
          const runs = Array.from({ length: o.repeat }, run).sort((x, y) => x.seconds - y.seconds);
          return { ...runs[(runs.length - 1) >> 1], runs };
        });
      }
    }
    if (o.browser) {
      for (const cfg of [ALS, MF]) {
        try {
          // WebGL runs on SwiftShader here: > 5 minutes per fit on the 1M set, so ML-100k only (like cpu).
          const runs = (s.cpu ? ['wasm', 'webgl'] : ['wasm']).map((backend) => ({ backend, ...cfg }));
          for (const r of await runInBrowser({ root: ROOT, file: cfg.algo === 'als' ? s.implicit : s.ratings, rows: s.rows, cols: s.cols, runs })) line(`ours chromium ${r.backend} ${r.algo}`, r);
        } catch (e) {
          line(`ours chromium ${cfg.algo}`, { error: String(e.message || e).split('\n')[0] });
        }
      }
    }
    const get = (name) => rows.find((r) => r.name === name && !r.error);
    const wasm = get('ours node wasm als');
    const sk = get('sklearn TruncatedSVD(64)');
    if (wasm) console.log(`  ALS ${ALS.iters} iterations on node wasm: ${fmt(wasm.seconds)} s${s.cpu ? '  (target < 2 s on ML-100k)' : ''}`);
    if (wasm && sk) console.log(`  ratio ALS fit (node wasm) ÷ TruncatedSVD fit = ${(wasm.seconds / sk.seconds).toFixed(1)}`);
    all.push({ set: s.name, rows: s.rows, cols: s.cols, nnz: s.nnz, results: rows });
  }
  if (o.json) writeFileSync(o.json, JSON.stringify(all, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
