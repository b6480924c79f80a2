// Backend set-up for one bench process, and what it learns about the WebGPU device on the way.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { Json } from './report';
import { gpuLoadError } from './shim';

export const BACKENDS = ['wasm', 'webgpu', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** Adapter identity as Dawn reports it: newer fields than the @webgpu/types tfjs ships (0.1.38). */
export interface AdapterIdentity {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  subgroupMinSize?: number;
  subgroupMaxSize?: number;
  isFallbackAdapter?: boolean;
}
export type AdapterWithInfo = GPUAdapter & { info?: AdapterIdentity };
type DeviceWithInfo = GPUDevice & { adapterInfo?: AdapterIdentity };

const IDENTITY_FIELDS = ['vendor', 'architecture', 'device', 'description', 'subgroupMinSize', 'subgroupMaxSize', 'isFallbackAdapter'] as const;

/** The identity fields that are present, for the result JSON. */
export function identityOf(info: AdapterIdentity | undefined): Json {
  const out: Json = {};
  for (const field of IDENTITY_FIELDS) if (info?.[field] !== undefined) out[field] = info[field];
  return out;
}

/**
 * WebGPU validation and out-of-memory errors of this process. tfjs does not check them, so a shader
 * that fails validation gives wrong numbers without any exception (how the ALS addN bug showed up).
 */
export class GpuErrorLog {
  count = 0;
  /** The first few distinct messages. */
  readonly samples: string[] = [];
  lost: string | null = null;

  record(message: string): void {
    this.count++;
    const sample = message.slice(0, 600);
    if (this.samples.length < 3 && !this.samples.includes(sample)) this.samples.push(sample);
  }

  /** Fields for a result record; none when nothing went wrong. */
  fields(): Json {
    return this.count || this.lost ? { gpuErrors: this.count, gpuErrorSamples: this.samples, deviceLost: this.lost } : {};
  }
}

export const gpuErrors = new GpuErrorLog();

/** Counts uncaptured errors and device loss into gpuErrors. */
function watchDevice(device: GPUDevice): void {
  // @webgpu/types 0.1.38 types the listener's argument as a plain Event.
  device.addEventListener('uncapturederror', (ev) => gpuErrors.record((ev as GPUUncapturedErrorEvent).error.message));
  void device.lost.then((info) => {
    gpuErrors.lost = `${info.reason}: ${info.message}`;
    console.log(`  DEVICE LOST: ${gpuErrors.lost}`);
  });
}

/** Starts counting the device's errors; returns its identity and the limits our kernels run into. */
function describeWebgpu(): Json {
  const device = (tf.backend() as WebGPUBackend).device as DeviceWithInfo;
  watchDevice(device);
  const { maxStorageBuffersPerShaderStage, maxStorageBufferBindingSize, maxBufferSize } = device.limits;
  return {
    deviceAdapterInfo: identityOf(device.adapterInfo),
    timestampQuery: device.features.has('timestamp-query'),
    deviceLimits: { maxStorageBuffersPerShaderStage, maxStorageBufferBindingSize, maxBufferSize },
  };
}

async function describeWasm(): Promise<Json> {
  return {
    wasmSimd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    wasmThreads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
  };
}

function beforeSetBackend(name: BackendName): void {
  if (name === 'wasm') {
    // The .wasm binaries sit in wasm/ beside the bundle (run.sh passes the folder explicitly).
    const bundleDir = path.dirname(fileURLToPath(import.meta.url));
    const dir = process.env.GPU_BENCH_WASM_DIR ?? path.join(bundleDir, 'wasm');
    setWasmPaths(dir.endsWith('/') ? dir : dir + '/');
  }
  if (name === 'webgpu') {
    if (gpuLoadError) throw new Error(`dawn.node failed to load: ${gpuLoadError}`);
    if (!tf.findBackendFactory('webgpu')) throw new Error('webgpu backend not registered (navigator.gpu missing)');
  }
}

export type BackendInfo = Json & { tfBackend: string; backendInitMs: number };

/** Switches tfjs to `name` (no silent fallback) and returns what the result should record about it. */
export async function initBackend(name: BackendName): Promise<BackendInfo> {
  beforeSetBackend(name);
  const t0 = performance.now();
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
  const backendInitMs = performance.now() - t0;
  const details = name === 'webgpu' ? describeWebgpu() : name === 'wasm' ? await describeWasm() : {};
  return { tfBackend: tf.getBackend(), backendInitMs, ...details };
}
