// Data for bench/logreg.mjs, written once to temp files that every runner (Node, Chromium,
// scikit-learn) reads: X as row-major float32 (<name>.f32), y as bytes 0/1 (<name>.u8).
//  - bank-full: all 16 columns; the 9 categorical ones one-hot encoded (every level, like
//    scikit-learn's OneHotEncoder), the 7 numeric ones standardised (population sd, like
//    StandardScaler). Encoded here so the bench does not depend on the app's table encoder.
//  - synthetic: n × 32 standard normals, y ~ Bernoulli(σ(x·β − 1)), seeded (mulberry32).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mulberry32 } from './mulberry32.mjs';

const NUMERIC = ['age', 'balance', 'day', 'duration', 'campaign', 'pdays', 'previous'];

/** @param {string} csvPath */
export function writeBankFull(csvPath) {
  const lines = readFileSync(csvPath, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  const n = rows.length;
  const yCol = header.indexOf('y');
  const features = header.filter((h) => h !== 'y');
  /** @type {{ name: string, col: number, level?: string, mean?: number, sd?: number }[]} */
  const out = [];
  for (const name of features) {
    const col = header.indexOf(name);
    if (NUMERIC.includes(name)) {
      let s = 0;
      let s2 = 0;
      for (const r of rows) {
        const v = Number(r[col]);
        s += v;
        s2 += v * v;
      }
      const mean = s / n;
      out.push({ name, col, mean, sd: Math.sqrt(Math.max(0, s2 / n - mean * mean)) || 1 });
    } else {
      const levels = [...new Set(rows.map((r) => r[col]))].sort();
      for (const level of levels) out.push({ name: `${name}=${level}`, col, level });
    }
  }
  const d = out.length;
  const x = new Float32Array(n * d);
  const y = new Uint8Array(n);
  rows.forEach((r, i) => {
    y[i] = r[yCol] === 'yes' ? 1 : 0;
    out.forEach((f, j) => {
      x[i * d + j] = f.level !== undefined ? (r[f.col] === f.level ? 1 : 0) : (Number(r[f.col]) - f.mean) / f.sd;
    });
  });
  const base = path.join(os.tmpdir(), `shoplens-logreg-bank-${n}x${d}`);
  writeFileSync(`${base}.f32`, x);
  writeFileSync(`${base}.u8`, y);
  return { name: 'bank-full (all columns)', xFile: `${base}.f32`, yFile: `${base}.u8`, n, d, positives: y.reduce((a, v) => a + v, 0) };
}

/** @param {number} n @param {number} d */
export function writeSynthetic(n, d) {
  const base = path.join(os.tmpdir(), `shoplens-logreg-synth-${n}x${d}`);
  const info = { name: `synthetic ${n.toLocaleString('en-US')} × ${d}`, xFile: `${base}.f32`, yFile: `${base}.u8`, n, d };
  if (existsSync(info.xFile) && existsSync(info.yFile)) return { ...info, positives: readFileSync(info.yFile).reduce((a, v) => a + v, 0) };
  const rnd = mulberry32(2024);
  const beta = Float64Array.from({ length: d }, (_, j) => (rnd() * 2 - 1) * (j < d / 2 ? 1 : 0.2));
  const x = new Float32Array(n * d);
  const y = new Uint8Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    let z = -1;
    for (let j = 0; j < d; j += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - rnd()));
      const t = 2 * Math.PI * rnd();
      x[i * d + j] = r * Math.cos(t);
      if (j + 1 < d) x[i * d + j + 1] = r * Math.sin(t);
      z += beta[j] * x[i * d + j] + (j + 1 < d ? beta[j + 1] * x[i * d + j + 1] : 0);
    }
    y[i] = rnd() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    positives += y[i];
  }
  writeFileSync(info.xFile, x);
  writeFileSync(info.yFile, y);
  return { ...info, positives };
}
