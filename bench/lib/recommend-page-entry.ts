// Browser side of bench/recommend.mjs, bundled by esbuild. window.runFit(backend, rows, cols, algo,
// iters, factors) fetches /triples.bin from the bench server and returns timedFit's figures.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { csrFromTriples } from '../../src/lib/recommend/csr';
import { timedFit } from './recommend-fit';

setWasmPaths('/wasm/');

async function runFit(backend: string, rows: number, cols: number, algo: 'als' | 'mf', iters: number, factors: number) {
  if (!(await tf.setBackend(backend).catch(() => false)) || tf.getBackend() !== backend) {
    return { backend, error: `setBackend('${backend}') failed (got ${tf.getBackend()})` };
  }
  await tf.ready();
  const r = await fetch('/triples.bin');
  if (!r.ok) throw new Error(`/triples.bin: HTTP ${r.status}`);
  const ab = await r.arrayBuffer();
  const nnz = ab.byteLength / 12;
  const m = csrFromTriples(rows, cols, new Int32Array(ab, 0, nnz), new Int32Array(ab, nnz * 4, nnz), new Float32Array(ab, nnz * 8, nnz), 'last');
  const out = await timedFit(tf, m, algo, iters, factors);
  const threads = backend === 'wasm' ? ((tf.backend() as unknown as { wasm?: { _getThreadsCount?: () => number } }).wasm?._getThreadsCount?.() ?? null) : null;
  return { ...out, threads };
}

(window as unknown as { runFit: typeof runFit }).runFit = runFit;
