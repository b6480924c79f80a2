// TensorFlow.js for the command line: the same tensor code as the compute worker, on WASM (SIMD)
// with the pure-JavaScript CPU backend as fallback, probed with the same correctness check.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { probeBackends } from '../lib/compute/backend';

export type Tf = typeof tf;

export async function nodeTf(): Promise<Tf> {
  await probeBackends(tf, ['wasm', 'cpu']);
  return tf;
}
