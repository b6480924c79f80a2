// Compute worker entry: the only place (with other workers) where TensorFlow.js is loaded.
// Registers the backends, points tfjs-wasm at .wasm files served by this app (never a CDN),
// and exposes the compute service over comlink.
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { isSoftwareRenderer, webgpuAdapter, type BackendName } from '../src/lib/compute/backend';
import { createComputeService } from '../src/lib/compute/service';
import type { ComputeWorkerApi, WasmInfo } from '../src/lib/compute/api';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
});

const isolated = self.crossOriginIsolated === true;

// Threads need SharedArrayBuffer, i.e. cross-origin isolation. tfjs would find out by itself and
// run single-threaded silently; we set the flag explicitly so the reason can be reported.
// Production builds serve the pthread bootstrap as a real file (vite.config.ts, worker plugin);
// the dev server cannot (tfjs would load it from a blob: URL, which our CSP refuses), so dev
// runs single-threaded. VITE_WASM_THREADS=off is the escape hatch if a build breaks threads.
const threadsOff: string | null = !isolated
  ? 'not cross-origin isolated (serve with COOP same-origin + COEP require-corp)'
  : import.meta.env.DEV
    ? 'off in the dev server (the thread bootstrap works in production builds only)'
    : import.meta.env.VITE_WASM_THREADS === 'off'
      ? 'disabled in this build (VITE_WASM_THREADS=off)'
      : null;
if (threadsOff) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

async function wasmInfo(): Promise<WasmInfo | null> {
  if (!tf.engine().registry['wasm']) return null; // never initialised
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  let threads = 1;
  try {
    threads = getThreadsCount();
  } catch {
    /* not initialised */
  }
  const cores = self.navigator.hardwareConcurrency;
  const note =
    threadsOff ??
    (threads <= 1 ? `pool of 1: tfjs uses hardwareConcurrency / 2 threads and this machine reports ${cores} cores` : null);
  return { simd, threads, threadsNote: note };
}

/** The WebGL renderer string, read from a throwaway OffscreenCanvas context. */
function webglRenderer(): string | null {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const r = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return r;
  } catch {
    return null;
  }
}

/**
 * GPU backends on a software rasteriser (SwiftShader on GPU-less machines) pass the check but run
 * 20-100× slower than WASM+SIMD, so automatic choice skips them; a forced choice is honoured.
 */
async function precheck(name: BackendName, forced: boolean): Promise<string | null> {
  if (name === 'webgpu') {
    const { reason, info } = await webgpuAdapter(name);
    if (reason) return reason;
    const text = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ');
    if (!forced && (info?.isFallbackAdapter || isSoftwareRenderer(text))) return `software adapter (${text || 'fallback adapter'}), slower than WASM`;
  }
  if (name === 'webgl' && !forced) {
    const r = webglRenderer();
    if (r && isSoftwareRenderer(r)) return `software renderer (${r}), slower than WASM`;
  }
  return null;
}

const service = createComputeService(tf, {
  precheck,
  wasmInfo,
  crossOriginIsolated: isolated,
});

const api: ComputeWorkerApi = {
  ...service,
  async run(jobId, kind, params, onProgress) {
    try {
      return await service.run(jobId, kind, params, onProgress);
    } finally {
      // The progress callback is a comlink proxy (a MessagePort): release it or it leaks per job.
      (onProgress as unknown as Comlink.Remote<unknown>)[Comlink.releaseProxy]();
    }
  },
};

Comlink.expose(api);
