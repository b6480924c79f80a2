// ml-kmeans v6 on the benchmark's data file with the same fixed centres; prints one JSON line.
// Usage: node bench/kmeans/mlkmeans-run.mjs <data.f32> <init.f32> <n> <d> <k> <iters>
import { readFileSync } from 'node:fs';
import { kmeans } from 'ml-kmeans';

const [dataPath, initPath, ns, ds, ks, its] = process.argv.slice(2);
const [n, d, k, iters] = [ns, ds, ks, its].map(Number);
const f32 = (p) => {
  const b = readFileSync(p);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};
const x = f32(dataPath);
const initF = f32(initPath);
// ml-kmeans takes arrays of rows; building them is not timed.
const rows = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * d, i * d + d)));
const init = Array.from({ length: k }, (_, j) => Array.from(initF.subarray(j * d, j * d + d)));
const t0 = performance.now();
const r = kmeans(rows, k, { initialization: init, maxIterations: iters, tolerance: 0 });
const ms = performance.now() - t0;
let inertia = 0;
for (let i = 0; i < n; i++) {
  const c = r.centroids[r.clusters[i]];
  for (let f = 0; f < d; f++) inertia += (rows[i][f] - c[f]) ** 2;
}
console.log(JSON.stringify({ ms, nIter: r.iterations, msPerIter: ms / r.iterations, inertia }));
