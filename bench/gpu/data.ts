// Seeded synthetic data for the GPU bench, drawn exactly as the CPU benches draw theirs (same seeds,
// same order of draws), so every process, backend and machine fits the same numbers.
import { mulberry32 } from '../lib/mulberry32.mjs';
import { zipfPicker } from '../lib/zipf.mjs';

/** Standard normals (Box–Muller), written two at a time into `out[at]` and, if `pair`, `out[at + 1]`. */
function writeNormalPair(rnd: () => number, out: Float32Array, at: number, pair: boolean, mean0 = 0, mean1 = 0): void {
  const r = Math.sqrt(-2 * Math.log(1 - rnd()));
  const t = 2 * Math.PI * rnd();
  out[at] = mean0 + r * Math.cos(t);
  if (pair) out[at + 1] = mean1 + r * Math.sin(t);
}

export interface Blobs {
  /** n × d, row-major. */
  x: Float32Array;
  /** k × d initial centres: rows 0, n/k, 2n/k, … of x. */
  init: Float32Array;
}

/**
 * bench/kmeans.mjs's data: k heavily overlapping Gaussian blobs (centres uniform in [-1, 1]^d, sd 1),
 * so Lloyd keeps moving for every iteration.
 */
export function blobs(n: number, d: number, k: number): Blobs {
  const rnd = mulberry32(12345);
  const centres = Float32Array.from({ length: k * d }, () => rnd() * 2 - 1);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rnd() * k);
    for (let f = 0; f < d; f += 2) writeNormalPair(rnd, x, i * d + f, f + 1 < d, centres[c * d + f], centres[c * d + f + 1]);
  }
  const init = new Float32Array(k * d);
  for (let j = 0; j < k; j++) {
    const row = Math.floor((j * n) / k);
    init.set(x.subarray(row * d, row * d + d), j * d);
  }
  return { x, init };
}

export interface Labelled {
  /** n × d, row-major. */
  x: Float32Array;
  /** 0/1 per row. */
  y: Uint8Array;
}

/** bench/lib/logreg-data.mjs writeSynthetic: n × d standard normals, y ~ Bernoulli(σ(x·β − 1)). */
export function logregData(n: number, d: number): Labelled {
  const rnd = mulberry32(2024);
  const beta = Float64Array.from({ length: d }, (_, j) => (rnd() * 2 - 1) * (j < d / 2 ? 1 : 0.2));
  const x = new Float32Array(n * d);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let z = -1;
    for (let j = 0; j < d; j += 2) {
      const pair = j + 1 < d;
      writeNormalPair(rnd, x, i * d + j, pair);
      // Summed a pair at a time, as logreg-data.mjs does: another order could flip a label.
      z += beta[j] * x[i * d + j] + (pair ? beta[j + 1] * x[i * d + j + 1] : 0);
    }
    y[i] = rnd() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { x, y };
}

export interface Triples {
  r: Int32Array;
  c: Int32Array;
  /** Ratings 1–5. */
  v: Float32Array;
  nnz: number;
}

/**
 * bench/recommend.mjs synthetic(): up to `target` distinct user–item pairs; 60 % of picks come from
 * the user's taste cluster (20 clusters), the rest from Zipf popularity; ratings 1–5, higher in-cluster.
 */
export function recoData(target: number, users: number, items: number, clusters = 20): Triples {
  const rnd = mulberry32(2024);
  const pickPopular = zipfPicker(rnd, items);
  const home = Int32Array.from({ length: items }, () => Math.floor(rnd() * clusters));
  const byCluster: number[][] = Array.from({ length: clusters }, () => []);
  home.forEach((c, i) => byCluster[c].push(i));
  const clusterOf = Int32Array.from({ length: users }, () => Math.floor(rnd() * clusters));
  const seen = new Set<number>();
  const r = new Int32Array(target);
  const c = new Int32Array(target);
  const v = new Float32Array(target);
  let n = 0;
  // Small catalogues can run out of distinct pairs: give up after 50 draws per wanted pair.
  for (let draws = 0; n < target && draws < target * 50; draws++) {
    const u = Math.floor(rnd() * users);
    const own = rnd() < 0.6;
    const list = byCluster[clusterOf[u]];
    if (own && list.length === 0) continue;
    const i = own ? list[Math.floor(rnd() * rnd() * list.length)] : pickPopular();
    const key = u * items + i;
    if (seen.has(key)) continue;
    seen.add(key);
    r[n] = u;
    c[n] = i;
    const rating = Math.round(3 + (home[i] === clusterOf[u] ? 1 : -0.5) + (rnd() + rnd() - 1) * 1.5);
    v[n] = Math.min(5, Math.max(1, rating));
    n++;
  }
  return { r: r.subarray(0, n), c: c.subarray(0, n), v: v.subarray(0, n), nnz: n };
}
