// Imported first by entry.ts, so it runs before any tfjs module: tfjs-backend-webgpu reads
// navigator.gpu and the GPU* globals (GPUBufferUsage, GPUMapMode, …) when it is imported.
// Node has neither, so they come from Dawn's Node addon (npm `webgpu`, dawn.node) at $GPU_BENCH_DAWN.
// Only processes that will use WebGPU load it, so wasm runs do not depend on a Vulkan driver.
import { createRequire } from 'node:module';

/** What `require('dawn.node')` gives (npm `webgpu`). */
interface DawnAddon {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

const [mode, backend] = process.argv.slice(2);
export const wantsGpu = mode === 'probe' || backend === 'webgpu';

/** Dawn's navigator.gpu, or null when this process does not use WebGPU or the addon failed to load. */
export let gpu: GPU | null = null;
/** Why dawn.node did not load (stack trace), or null. */
export let gpuLoadError: string | null = null;

function loadDawn(): GPU {
  const dawnPath = process.env.GPU_BENCH_DAWN;
  if (!dawnPath) throw new Error('GPU_BENCH_DAWN (path of dawn.node) is not set');
  const { create, globals } = createRequire(import.meta.url)(dawnPath) as DawnAddon;
  Object.assign(globalThis, globals);
  // e.g. GPU_BENCH_DAWN_FLAGS="enable-dawn-features=…", passed to Dawn's instance.
  const flags = (process.env.GPU_BENCH_DAWN_FLAGS ?? '').split(' ').filter(Boolean);
  return create(flags);
}

/** Node 20 has no navigator; Node ≥ 21 has one without gpu. */
function exposeAsNavigatorGpu(g: GPU): void {
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav) Object.defineProperty(nav, 'gpu', { value: g, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu: g, userAgent: 'node' }, configurable: true, writable: true });
}

if (wantsGpu) {
  try {
    gpu = loadDawn();
    exposeAsNavigatorGpu(gpu);
  } catch (e) {
    gpuLoadError = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
}
