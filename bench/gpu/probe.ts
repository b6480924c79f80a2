// `probe`: which WebGPU adapter this machine gives, and whether tfjs computes correctly on it.
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { isSoftwareRenderer } from '../../src/lib/compute/backend';
import { mulberry32 } from '../lib/mulberry32.mjs';
import { type AdapterWithInfo, identityOf, initBackend } from './backend';
import type { Json } from './report';
import { gpu, gpuLoadError } from './shim';

const REPORTED_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupsPerDimension',
] as const;

const REPORTED_ENV = ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'LD_LIBRARY_PATH', 'GPU_BENCH_DAWN_FLAGS'];

function hostInfo(): Json {
  const cpus = os.cpus();
  return {
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model,
    node: process.version,
    env: Object.fromEntries(REPORTED_ENV.map((k) => [k, process.env[k] ?? null])),
  };
}

async function adapterInfo(): Promise<Json> {
  if (gpuLoadError || !gpu) throw new Error(`dawn.node failed to load: ${gpuLoadError}`);
  const adapter = (await gpu.requestAdapter({ powerPreference: 'high-performance' })) as AdapterWithInfo | null;
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned null: no WebGPU adapter (Vulkan driver not found?)');
  return {
    adapter: identityOf(adapter.info ?? (await adapter.requestAdapterInfo())),
    features: [...adapter.features].sort(),
    limits: Object.fromEntries(REPORTED_LIMITS.map((k) => [k, adapter.limits[k]])),
  };
}

/** Largest |error| of a 257×129 · 129×65 float32 product on the current backend against float64 JS. */
async function matmulCheck(): Promise<Json> {
  const [a, b, c] = [257, 129, 65];
  const rnd = mulberry32(7);
  const A = Float32Array.from({ length: a * b }, () => rnd() - 0.5);
  const B = Float32Array.from({ length: b * c }, () => rnd() - 0.5);
  const t0 = performance.now();
  const product = tf.tidy(() => tf.matMul(tf.tensor2d(A, [a, b]), tf.tensor2d(B, [b, c])));
  const got = await product.data();
  product.dispose();
  let maxAbsErr = 0;
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < c; j++) {
      let s = 0;
      for (let q = 0; q < b; q++) s += A[i * b + q] * B[q * c + j];
      maxAbsErr = Math.max(maxAbsErr, Math.abs(s - got[i * c + j]));
    }
  }
  return { maxAbsErr, ok: maxAbsErr < 1e-4, ms: performance.now() - t0 };
}

export async function probe(): Promise<Json> {
  const out: Json = { ...hostInfo(), ...(await adapterInfo()) };
  Object.assign(out, await initBackend('webgpu'));
  out.matmulCheck = await matmulCheck();
  out.numTensorsAfter = tf.memory().numTensors;
  // The summary warns when the figures may not come from the GPU that was meant.
  const identity = Object.values(out.adapter as Json).join(' ');
  out.looksLikeNvidia = /nvidia|10de|hopper|h200|h100/i.test(identity);
  out.looksLikeSoftware = isSoftwareRenderer(identity);
  return out;
}
