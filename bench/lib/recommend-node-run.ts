// One timed recommender fit under Node on one tfjs backend; prints a JSON line. Run by bench/recommend.mjs as
//   node --import tsx bench/lib/recommend-node-run.ts <backend> <triples.bin> <rows> <cols> <als|mf> <iters> <factors>
// triples.bin: nnz Int32 rows, then nnz Int32 cols, then nnz Float32 values.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { csrFromTriples } from '../../src/lib/recommend/csr';
import { timedFit } from './recommend-fit';

const [backend, file, rs, cs, algo, its, fs] = process.argv.slice(2);
const buf = readFileSync(file);
const nnz = buf.byteLength / 12;
const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
const m = csrFromTriples(Number(rs), Number(cs), new Int32Array(ab, 0, nnz), new Int32Array(ab, nnz * 4, nnz), new Float32Array(ab, nnz * 8, nnz), 'last');
if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} unavailable`);
await tf.ready();
console.log(JSON.stringify(await timedFit(tf, m, algo as 'als' | 'mf', Number(its), Number(fs))));
