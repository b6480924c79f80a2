#!/usr/bin/env node
// Logistic-regression benchmark (issue 4): fit seconds of our fitLogReg (C = 1, Newton, default
// tolerance) against scikit-learn's LogisticRegression() (lbfgs, C = 1, max_iter 100) on the same
// data in the same run:
//   - bank-full (UCI Bank Marketing, all 16 columns: categoricals one-hot, numbers standardised);
//     skipped with a note when ../shared/datasets is absent;
//   - a synthetic 1,000,000 × 32 table (seeded).
// Runners: ours under Node (tfjs wasm; cpu on bank-full only: tfjs-cpu is plain JS kernels), ours in
// headless Chromium per backend that initialises (wasm; webgl and cpu on bank-full only: WebGL
// runs on SwiftShader here), and
// scikit-learn via /usr/bin/python3. Prints seconds, iterations, training AUC, the largest
// coefficient difference to scikit-learn, and the ratio ours-wasm ÷ sklearn (target ≤ 3).
// Figures are printed, never asserted; exit code 0 unless a runner broke.
//
// Usage: npm run bench:logreg -- [--skip-browser] [--skip-synthetic] [--rows 1000000] [--json PATH]
// Env: CHROMIUM_PATH overrides /usr/bin/chromium; PYTHON overrides /usr/bin/python3.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBankFull, writeSynthetic } from './lib/logreg-data.mjs';
import { runLogRegInBrowser } from './lib/logreg-browser.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const PYTHON = process.env.PYTHON || '/usr/bin/python3';
const BANK = path.resolve(ROOT, '../shared/datasets/bank-marketing/bank-full.csv');

function parseArgs(argv) {
  const o = { browser: true, synthetic: true, rows: 1_000_000, json: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--skip-browser') o.browser = false;
    else if (a === '--skip-synthetic') o.synthetic = false;
    else if (a === '--rows') o.rows = Number(argv[++i].replace(/_/g, ''));
    else if (a === '--json') o.json = argv[++i];
    else if (a === '--help' || a === '-h') {
      console.log('usage: npm run bench:logreg -- [--skip-browser] [--skip-synthetic] [--rows 1000000] [--json PATH]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(o.rows) || o.rows < 100) throw new Error(`--rows: ${o.rows} is not an integer ≥ 100`);
  return o;
}

function runJson(cmd, args, timeoutMs = 900_000) {
  const out = execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  const line = out.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
  if (!line) throw new Error(`${cmd} ${args.join(' ')} printed no JSON:\n${out}`);
  return JSON.parse(line);
}

const fmtS = (v) => (v == null ? '—' : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const maxDiff = (a, b) => (a && b ? Math.max(...a.map((v, j) => Math.abs(v - b[j]))) : NaN);

async function main() {
  const o = parseArgs(process.argv.slice(2));
  console.log(`logistic-regression benchmark: C = 1, ${os.cpus().length} CPUs, Node ${process.version}, load ${os.loadavg()[0].toFixed(1)}`);
  const sets = [];
  if (existsSync(BANK)) sets.push({ ...writeBankFull(BANK), small: true });
  else console.log('skipping bank-full: ../shared/datasets absent');
  if (o.synthetic) sets.push({ ...writeSynthetic(o.rows, 32), small: o.rows <= 100_000 });
  const all = [];
  for (const ds of sets) {
    const args = [ds.xFile, ds.yFile, String(ds.n), String(ds.d)];
    console.log(`\n${ds.name}: ${ds.n.toLocaleString('en-US')} rows × ${ds.d} columns, ${ds.positives.toLocaleString('en-US')} positives`);
    const rows = [];
    let sk = null;
    const show = (name, r) => {
      if (r.error) {
        console.log(`  ${name.padEnd(24)} ${r.skipped ? 'skipped' : 'failed'}: ${r.error}`);
        return;
      }
      const ref = sk?.refCoefficients;
      const diff = ref ? `, max |Δβ| vs exact optimum ${maxDiff(r.coefficients, ref).toExponential(1)}` : name.startsWith('sklearn') ? '' : `, max |Δβ| vs sklearn ${maxDiff(r.coefficients, sk?.coefficients).toExponential(1)}`;
      const extra = r.convergenceWarning ? `, ${r.convergenceWarning}` : r.stopReason ? `, ${r.stopReason}` : '';
      console.log(`  ${name.padEnd(24)} ${fmtS(r.seconds).padStart(7)} s  (${r.iterations} iter, AUC ${r.auc.toFixed(4)}${diff}${r.threads ? `, ${r.threads} wasm thread(s)` : ''}${extra})`);
    };
    const add = (name, run) => {
      let r;
      try {
        r = run();
      } catch (e) {
        r = { error: String(e.message || e).split('\n')[0] };
      }
      rows.push({ name, ...r });
      show(name, r);
      return r;
    };
    // On the small set scikit-learn also fits to tol 1e-10 (untimed), so every runner's coefficients
    // are compared with the exact optimum rather than with lbfgs's 100-iteration answer.
    sk = add('sklearn lbfgs (python3)', () => runJson(PYTHON, [path.join(HERE, 'lib', 'logreg_sklearn_run.py'), ...args, ...(ds.small ? ['ref'] : [])]));
    if (sk.error) sk = null;
    for (const b of ds.small ? ['wasm', 'cpu'] : ['wasm']) add(`ours node ${b}`, () => runJson(process.execPath, ['--max-old-space-size=4096', '--import', 'tsx', path.join(HERE, 'lib', 'logreg-node-run.ts'), b, ...args]));
    if (o.browser) {
      try {
        for (const r of await runLogRegInBrowser({ root: ROOT, xFile: ds.xFile, yFile: ds.yFile, n: ds.n, d: ds.d, backends: ds.small ? ['wasm', 'webgl', 'cpu'] : ['wasm'] })) {
          rows.push({ name: `ours chromium ${r.backend}`, ...r });
          show(`ours chromium ${r.backend}`, r);
        }
      } catch (e) {
        console.log(`  chromium                 failed: ${String(e.message || e).split('\n')[0]}`);
      }
    }
    const get = (name) => rows.find((r) => r.name === name && !r.error)?.seconds;
    const s = sk?.seconds;
    const nw = get('ours node wasm');
    const bw = get('ours chromium wasm');
    if (s && nw) console.log(`  ratio ours-wasm (node) ÷ sklearn     = ${(nw / s).toFixed(2)}  (target ≤ 3)`);
    if (s && bw) console.log(`  ratio ours-wasm (chromium) ÷ sklearn = ${(bw / s).toFixed(2)}  (target ≤ 3)`);
    all.push({ name: ds.name, n: ds.n, d: ds.d, rows: rows.map(({ coefficients, ...rest }) => rest) });
  }
  if (o.json) writeFileSync(o.json, JSON.stringify(all, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
