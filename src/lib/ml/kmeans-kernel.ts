// Lloyd's assignment step as one fused WebAssembly kernel on the tfjs-wasm backend's heap
// (kernels/kmeans-assign.wat): distances, argmin and the incremental float64 cluster sums in one
// pass, with one SIMD lane per point. Through tfjs ops the same step is a fused matMul, an argMin,
// a label read-back and a JS pass over the changed points: four trips over memory instead of one.
// The kernel imports the backend's own memory, so the points are uploaded once per fit and the
// kernel reads them where they lie; only the k × d sums come back to JS each iteration.
// Used only where it applies: the wasm backend, with WebAssembly SIMD; `create` returns null
// otherwise and k-means keeps to tensor ops (see kmeans.ts).
import type * as TfCore from '@tensorflow/tfjs-core';
import { WASM_PLAIN_MEMORY, WASM_SHARED_MEMORY } from './kernels/kmeans-assign.wasm';

type Tf = typeof TfCore;

/** The parts of tfjs-wasm's emscripten module the kernel uses. */
export interface EmscriptenHeap {
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  /** The exported memory (single-threaded builds). */
  asm?: { memory?: unknown };
  /** The shared memory (threaded build). */
  wasmMemory?: unknown;
}

/** assign(x, n, d, c, groups, labels, sums, counts, full) → labels changed (see the .wat). */
type AssignExport = (x: number, n: number, d: number, c: number, groups: number, labels: number, sums: number, counts: number, full: number) => number;
/** inertia(x, n, d, c64, labels, total) → total + Σ‖x − c_label‖², float64. */
type InertiaExport = (x: number, n: number, d: number, c64: number, labels: number, total: number) => number;

/** sumSquares(x, values) → Σ x² over `values` packed floats, float64. */
type SumSquaresExport = (x: number, values: number) => number;
/** pack(x, blocks, d, scratch): row-major blocks of 4 rows → the kernel's layout, in place. */
type PackExport = (x: number, blocks: number, d: number, scratch: number) => void;
/** distanceSums(xs, stride, d, bounds, cluster, k, i0, i1, splat, out, col): silhouette's distance sums, each pair once. */
type DistanceSumsExport = (xs: number, stride: number, d: number, bounds: number, cluster: number, k: number, i0: number, i1: number, splat: number, out: number, col: number) => void;

export interface Exports {
  assign: AssignExport;
  inertia: InertiaExport;
  sumSquares: SumSquaresExport;
  pack: PackExport;
  distanceSums: DistanceSumsExport;
}

/**
 * Rows per kernel call (a multiple of 4). V8 first runs a wasm function as baseline code and swaps
 * in optimised code between calls, so one call over a million rows would run unoptimised to the
 * end (≈ 2× slower); calls of this size pick up the optimised code early at no measurable cost.
 */
const DEFAULT_CHUNK_ROWS = 1 << 16;

const kernels = new WeakMap<WebAssembly.Memory, Exports | null>();

function isHeap(v: unknown): v is EmscriptenHeap {
  const h = v as Partial<EmscriptenHeap> | null;
  return !!h && typeof h._malloc === 'function' && typeof h._free === 'function';
}

function wasmHeap(tf: Tf): EmscriptenHeap | null {
  if (tf.getBackend() !== 'wasm') return null;
  const wasm = (tf.backend() as unknown as { wasm?: unknown }).wasm;
  return isHeap(wasm) ? wasm : null;
}

function memoryOf(heap: EmscriptenHeap): WebAssembly.Memory | null {
  for (const m of [heap.wasmMemory, heap.asm?.memory]) if (m instanceof WebAssembly.Memory) return m;
  return null;
}

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The kernel instantiated on this memory, or null where the engine lacks WebAssembly SIMD. */
function kernelOn(memory: WebAssembly.Memory): Exports | null {
  const cached = kernels.get(memory);
  if (cached !== undefined) return cached;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const bytes = decodeBase64(shared ? WASM_SHARED_MEMORY : WASM_PLAIN_MEMORY);
  let exports: Exports | null = null;
  if (WebAssembly.validate(bytes)) {
    try {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
      const e = instance.exports;
      exports = {
        assign: e.assign as AssignExport,
        inertia: e.inertia as InertiaExport,
        sumSquares: e.sumSquares as SumSquaresExport,
        pack: e.pack as PackExport,
        distanceSums: e.distanceSums as DistanceSumsExport,
      };
    } catch {
      // A memory the module cannot import (say, limits tfjs changed): tensor ops will do.
    }
  }
  kernels.set(memory, exports);
  return exports;
}

/** The kernels on the wasm backend's heap, or null (another backend, or no WebAssembly SIMD). */
export function clusteringWasm(tf: Tf): { heap: EmscriptenHeap; memory: WebAssembly.Memory; run: Exports } | null {
  const heap = wasmHeap(tf);
  return heap && onHeapOf(heap);
}

function onHeapOf(heap: EmscriptenHeap): { heap: EmscriptenHeap; memory: WebAssembly.Memory; run: Exports } | null {
  const memory = memoryOf(heap);
  const run = memory && kernelOn(memory);
  return memory && run ? { heap, memory, run } : null;
}

/** Blocks taken from the wasm heap, 16-byte aligned, all given back by `free`. */
export class HeapBlocks {
  private readonly taken: number[] = [];
  constructor(private readonly heap: EmscriptenHeap) {}

  /** A block of `bytes`; a RangeError saying `what` did not fit when the heap cannot grow. */
  take(bytes: number, what: string): number {
    // emscripten's malloc aligns to 8; SIMD loads that straddle cache lines are slower.
    const raw = this.heap._malloc(bytes + 15) >>> 0;
    if (raw === 0) throw new RangeError(`the wasm heap cannot hold ${what}`);
    this.taken.push(raw);
    return raw + ((16 - (raw % 16)) % 16);
  }

  free(): void {
    for (const p of this.taken.splice(0)) this.heap._free(p);
  }
}

/** Buffer names and the pointers the kernel uses (16-byte aligned). */
type Buffers = { x: number; c: number; labels: number; sums: number; counts: number; c64: number; scratch: number };

/**
 * The points packed for the kernel, its label, centre and sum buffers, all on the wasm heap and
 * freed by `dispose`. One per fit; restarts reuse it.
 */
export class KMeansKernel {
  private readonly blocks: number;
  private readonly groups: number;
  private readonly centres: Float32Array;
  private readonly ptrs: Buffers = { x: 0, c: 0, labels: 0, sums: 0, counts: 0, c64: 0, scratch: 0 };
  private readonly blocksTaken: HeapBlocks;
  /** Whether the heap sums describe the heap labels (else the next update must rebuild them). */
  private sumsValid = false;

  private constructor(
    private readonly heap: EmscriptenHeap,
    /** Views are made on memory.buffer: the threaded build refreshes its HEAPU8 lazily after growth. */
    private readonly memory: WebAssembly.Memory,
    private readonly run: Exports,
    private readonly n: number,
    private readonly d: number,
    private readonly k: number,
    private readonly chunkRows: number,
  ) {
    this.blocks = Math.ceil(n / 4);
    this.groups = Math.ceil(k / 4);
    this.centres = new Float32Array(this.groups * (d + 1) * 4);
    this.blocksTaken = new HeapBlocks(heap);
  }

  /**
   * A kernel holding x (n × d, row-major), or null when the backend is not wasm or lacks SIMD.
   * `chunkRows` (rows per kernel call, a multiple of 4) is for tests.
   */
  static create(tf: Tf, x: Float32Array, n: number, d: number, k: number, chunkRows = DEFAULT_CHUNK_ROWS): KMeansKernel | null {
    const heap = wasmHeap(tf);
    return heap && KMeansKernel.onHeap(heap, x, n, d, k, chunkRows);
  }

  /** As `create`, on a given emscripten heap (tests use one over a shared memory). */
  static onHeap(heap: EmscriptenHeap, x: Float32Array, n: number, d: number, k: number, chunkRows = DEFAULT_CHUNK_ROWS): KMeansKernel | null {
    if (!Number.isInteger(chunkRows) || chunkRows < 4 || chunkRows % 4 !== 0) throw new RangeError(`KMeans kernel: chunkRows must be a positive multiple of 4, got ${chunkRows}`);
    const wasm = onHeapOf(heap);
    if (!wasm) return null;
    const kernel = new KMeansKernel(heap, wasm.memory, wasm.run, n, d, k, chunkRows);
    try {
      kernel.allocate();
      kernel.pack(x);
    } catch (e) {
      kernel.dispose();
      throw e;
    }
    return kernel;
  }

  private allocate(): void {
    const { blocks, groups, d, k } = this;
    const sizes: Buffers = { x: blocks * 16 * d, c: groups * (d + 1) * 16, labels: blocks * 16, sums: k * d * 8, counts: k * 8, c64: k * d * 8, scratch: 16 * d };
    for (const key of Object.keys(sizes) as (keyof Buffers)[]) this.ptrs[key] = this.blocksTaken.take(sizes[key], `k-means on ${this.n} × ${d} points`);
  }

  /**
   * Rows in blocks of 4, feature-major within a block (one SIMD lane per row); zero padding.
   * A plain copy, then the kernel's in-place rearrangement: a JS loop doing both took 28–46 ms
   * for 100k × 16 in Chromium, most of the fit's set-up.
   */
  private pack(x: Float32Array): void {
    const { n, d, ptrs } = this;
    const out = new Float32Array(this.memory.buffer, ptrs.x, this.blocks * 4 * d);
    out.set(x.subarray(0, n * d));
    out.fill(0, n * d);
    const blocksPerCall = this.chunkRows / 4;
    for (let b = 0; b < this.blocks; b += blocksPerCall) {
      this.run.pack(ptrs.x + b * 16 * d, Math.min(blocksPerCall, this.blocks - b), d, ptrs.scratch);
    }
  }

  private checkCentres(centers: Float32Array): void {
    if (centers.length !== this.k * this.d) throw new RangeError(`KMeans kernel: centres have ${centers.length} values, expected k×d = ${this.k}×${this.d}`);
  }

  /** Forget the labels: the next `assign` counts every point as changed. */
  resetLabels(): void {
    new Int32Array(this.memory.buffer, this.ptrs.labels, this.blocks * 4).fill(-1);
    this.sumsValid = false;
  }

  /**
   * Assigns every point to its nearest centre. With `sums`/`counts` (k × d and k, float64), they
   * receive the per-cluster sums of the new labels: rebuilt from zero when `full` (or when the
   * last call did not keep them: the first one, one after `resetLabels` or a labels-only call),
   * else updated from the previous call's by moving only the points whose label changed.
   * Returns how many labels changed.
   */
  assign(centers: Float32Array, full: boolean, sums: Float64Array | null = null, counts: Float64Array | null = null): number {
    const { d, k, ptrs } = this;
    this.checkCentres(centers);
    const rebuild = full || !this.sumsValid;
    const c = this.centres;
    c.fill(0);
    for (let j = 0; j < this.groups * 4; j++) {
      const base = (j >> 2) * (d + 1) * 4 + (j & 3);
      if (j >= k) {
        c[base] = Infinity;
        continue;
      }
      let s = 0;
      for (let f = 0; f < d; f++) {
        const v = centers[j * d + f];
        c[base + (f + 1) * 4] = -2 * v;
        s += v * v;
      }
      c[base] = s;
    }
    const buffer = this.memory.buffer;
    new Float32Array(buffer, ptrs.c, c.length).set(c);
    const heapSums = new Float64Array(buffer, ptrs.sums, k * d);
    const heapCounts = new Float64Array(buffer, ptrs.counts, k);
    if (sums && rebuild) {
      heapSums.fill(0);
      heapCounts.fill(0);
    }
    let changed = 0;
    for (let start = 0; start < this.n; start += this.chunkRows) {
      const rows = Math.min(this.chunkRows, this.n - start);
      changed += this.run.assign(ptrs.x + start * d * 4, rows, d, ptrs.c, this.groups, ptrs.labels + start * 4, sums ? ptrs.sums : 0, ptrs.counts, sums && rebuild ? 1 : 0);
    }
    this.sumsValid = sums !== null;
    if (sums) sums.set(heapSums);
    if (counts) counts.set(heapCounts);
    return changed;
  }

  /**
   * Exact float64 inertia of the current labels against `centers` (k × d): equal to
   * `inertiaOf(x, n, d, centers, labels)` in kmeans.ts, without reading the labels back.
   */
  inertia(centers: Float32Array): number {
    const { ptrs } = this;
    this.checkCentres(centers);
    const { n, d } = this;
    new Float64Array(this.memory.buffer, ptrs.c64, this.k * d).set(centers);
    let total = 0;
    for (let start = 0; start < n; start += this.chunkRows) {
      total = this.run.inertia(ptrs.x + start * d * 4, Math.min(this.chunkRows, n - start), d, ptrs.c64, ptrs.labels + start * 4, total);
    }
    return total;
  }

  /** Σ‖x_i‖² in float64 (summed in another order than kmeans.ts's `sumSquares`: a progress term). */
  sumSquares(): number {
    let total = 0;
    for (let start = 0; start < this.n; start += this.chunkRows) {
      total += this.run.sumSquares(this.ptrs.x + start * this.d * 4, Math.ceil(Math.min(this.chunkRows, this.n - start) / 4) * 4 * this.d);
    }
    return total;
  }

  /** The current labels, copied out of the heap. */
  labels(out: Int32Array = new Int32Array(this.n)): Int32Array {
    out.set(new Int32Array(this.memory.buffer, this.ptrs.labels, this.n));
    return out;
  }

  dispose(): void {
    this.blocksTaken.free();
  }
}
