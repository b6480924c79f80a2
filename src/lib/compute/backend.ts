// Probe and pick the tfjs backend. A backend counts only when it registers, initialises within a
// time limit, AND computes a small matMul that agrees with plain JavaScript: tfjs's own
// setBackend/ready can "succeed" on a broken driver or quietly fall back, so we verify.
// DOM-free: the caller hands in the tf module and the candidate names (unit-tested under Node).
import type * as TfCore from '@tensorflow/tfjs-core';

export const BACKEND_NAMES = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Fastest first. CPU (plain JS) is the always-present last resort. */
export const DEFAULT_BACKEND_ORDER: readonly BackendName[] = BACKEND_NAMES;

export const BACKEND_LABELS: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
};

export function isBackendName(v: unknown): v is BackendName {
  return typeof v === 'string' && (BACKEND_NAMES as readonly string[]).includes(v);
}

/** The part of the tfjs-core module the probe uses (a fake can stand in for tests). */
export type ProbeTf = Pick<
  typeof TfCore,
  'findBackendFactory' | 'setBackend' | 'getBackend' | 'tensor2d' | 'matMul' | 'dispose'
>;

export interface SkippedBackend {
  backend: BackendName;
  /** Readable, starts with the label: "WebGL: result mismatch 0.3". */
  reason: string;
}

export interface ProbeResult {
  backend: BackendName;
  /** Backends tried before the chosen one, in order, with why they were not used. */
  skipped: SkippedBackend[];
  /** Relative error of the check matMul on the chosen backend. */
  checkError: number;
  /** The forced backend, if any, and whether it is the one running. */
  preferred: BackendName | null;
  preferredHonoured: boolean;
  probeMs: number;
}

export type Precheck = (name: BackendName, forced: boolean) => Promise<string | null>;

export interface ProbeOptions {
  /** Put this backend first; the others follow in default order as fallbacks. */
  preferred?: BackendName | null;
  /** Per-backend limit on registration + init + check. Default 15 s. */
  timeoutMs?: number;
  /** Relative tolerance of the check. Default 1e-3. */
  tolerance?: number;
  /**
   * Extra per-backend precondition (e.g. WebGPU adapter, software renderer); return a reason to
   * skip, or null. `forced` is true for the user's preferred backend.
   */
  precheck?: Precheck;
}

/** The candidate order: the preferred backend first, then the rest as given. */
export function backendOrder(
  candidates: readonly BackendName[],
  preferred?: BackendName | null,
): BackendName[] {
  const rest = candidates.filter((b) => b !== preferred);
  return preferred ? [preferred, ...rest] : rest;
}

// Check problem size: small enough to be instant on SwiftShader, big enough to exercise tiling.
const CHECK_M = 64;
const CHECK_K = 48;
const CHECK_N = 32;

/** Deterministic values in [-1, 1) from a 32-bit LCG (same inputs on every run and backend). */
export function seededValues(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Plain row-major matMul in float64: the reference the backend must agree with. */
export function matMulJs(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p];
      for (let j = 0; j < n; j++) c[i * n + j] += av * b[p * n + j];
    }
  }
  return c;
}

/** max |got − want| / max |want|: scale-free, robust to entries near zero. */
export function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    if (Number.isNaN(d)) return Infinity; // NaN/garbage output is a total mismatch
    if (d > maxDiff) maxDiff = d;
    maxRef = Math.max(maxRef, Math.abs(want[i]));
  }
  return maxRef > 0 ? maxDiff / maxRef : maxDiff;
}

/** Runs the check matMul on the active backend and returns its relative error. */
export async function checkActiveBackend(tf: ProbeTf): Promise<number> {
  const av = seededValues(CHECK_M * CHECK_K, 12345);
  const bv = seededValues(CHECK_K * CHECK_N, 67890);
  const want = matMulJs(av, bv, CHECK_M, CHECK_K, CHECK_N);
  const a = tf.tensor2d(av, [CHECK_M, CHECK_K]);
  const b = tf.tensor2d(bv, [CHECK_K, CHECK_N]);
  let c: TfCore.Tensor | null = null;
  try {
    c = tf.matMul(a, b);
    const got = await c.data();
    return relativeError(got as ArrayLike<number>, want);
  } finally {
    tf.dispose([a, b]);
    if (c) tf.dispose(c);
  }
}

class ProbeTimeout extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout(`timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

function message(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (e && typeof e === 'object' && 'message' in e) return String((e as { message: unknown }).message);
  return String(e);
}

/** Tries one backend; returns the check error on success or a reason string on failure. */
async function tryBackend(
  tf: ProbeTf,
  name: BackendName,
  tolerance: number,
  precheck: ProbeOptions['precheck'],
  forced: boolean,
): Promise<{ ok: true; error: number } | { ok: false; reason: string }> {
  if (precheck) {
    const r = await precheck(name, forced);
    if (r) return { ok: false, reason: r };
  }
  if (!tf.findBackendFactory(name)) return { ok: false, reason: 'not registered in this environment' };
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
  } catch (e) {
    return { ok: false, reason: `init failed (${message(e)})` };
  }
  // setBackend can report false, or leave another backend active: believe only getBackend().
  if (!ok || tf.getBackend() !== name) return { ok: false, reason: 'init failed' };
  let err: number;
  try {
    err = await checkActiveBackend(tf);
  } catch (e) {
    return { ok: false, reason: `check failed (${message(e)})` };
  }
  if (!(err <= tolerance)) return { ok: false, reason: `result mismatch ${Number(err.toPrecision(2))}` };
  return { ok: true, error: err };
}

/**
 * Picks the first candidate that registers, initialises and passes the matMul check, leaving it
 * active in `tf`. Throws only when every candidate failed (the message lists why).
 */
export async function probeBackends(
  tf: ProbeTf,
  candidates: readonly BackendName[] = DEFAULT_BACKEND_ORDER,
  opts: ProbeOptions = {},
): Promise<ProbeResult> {
  const t0 = performance.now();
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const tolerance = opts.tolerance ?? 1e-3;
  const preferred = opts.preferred ?? null;
  const skipped: SkippedBackend[] = [];
  for (const name of backendOrder(candidates, preferred)) {
    let r: Awaited<ReturnType<typeof tryBackend>>;
    try {
      r = await withTimeout(tryBackend(tf, name, tolerance, opts.precheck, name === preferred), timeoutMs);
    } catch (e) {
      r = { ok: false, reason: e instanceof ProbeTimeout ? `init ${e.message}` : message(e) };
    }
    if (r.ok) {
      return {
        backend: name,
        skipped,
        checkError: r.error,
        preferred,
        preferredHonoured: preferred === null || preferred === name,
        probeMs: performance.now() - t0,
      };
    }
    skipped.push({ backend: name, reason: `${BACKEND_LABELS[name]}: ${r.reason}` });
  }
  throw new Error(`no usable tfjs backend: ${skipped.map((s) => s.reason).join('; ')}`);
}

/**
 * WebGPU precondition that needs no DOM types: navigator.gpu must exist and give an adapter.
 * tfjs would otherwise log and fall back silently.
 */
export async function webgpuPrecheck(name: BackendName): Promise<string | null> {
  return (await webgpuAdapter(name)).reason;
}

type AdapterInfo = { isFallbackAdapter?: boolean; vendor?: string; architecture?: string; description?: string };

/** The WebGPU adapter's identity, or why there is none. */
export async function webgpuAdapter(name: BackendName): Promise<{ reason: string | null; info: AdapterInfo | null }> {
  if (name !== 'webgpu') return { reason: null, info: null };
  type Gpu = { requestAdapter(): Promise<{ info?: AdapterInfo } | null> };
  const nav = (globalThis as { navigator?: { gpu?: Gpu } }).navigator;
  if (!nav?.gpu) return { reason: 'no adapter (navigator.gpu missing)', info: null };
  try {
    const adapter = await nav.gpu.requestAdapter();
    return adapter ? { reason: null, info: adapter.info ?? null } : { reason: 'no adapter (requestAdapter returned null)', info: null };
  } catch (e) {
    return { reason: `no adapter (${message(e)})`, info: null };
  }
}

/** True for software rasterisers (SwiftShader, llvmpipe…): correct but slower than WASM. */
export function isSoftwareRenderer(text: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render driver/i.test(text);
}
