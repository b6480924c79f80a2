// The main-thread client against the real compute service over a MessageChannel (a stand-in for
// the Worker): progress, cancel, job list, surfaced errors, and restart after a crash.
import { afterEach, describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ComputeClient, loadPreferredBackend, savePreferredBackend, type ComputeState, type WorkerLike } from '../../src/client/compute';
import { createComputeService } from '../../src/lib/compute/service';
import { JobCancelledError, type JobProgress } from '../../src/lib/compute/jobs';
import type { ComputeWorkerApi } from '../../src/lib/compute/api';

/** A Worker look-alike: comlink traffic over a MessageChannel, 'error' events on demand. */
class FakeWorker extends EventTarget implements WorkerLike {
  readonly service: ComputeWorkerApi;
  private readonly port: MessagePort;
  private readonly inner: MessagePort;
  terminated = false;
  constructor(failInit = false) {
    super();
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.inner = port2;
    const real = createComputeService(tf, { candidates: ['cpu'] });
    this.service = failInit ? { ...real, init: () => Promise.reject(new Error('CPU: result mismatch 1')) } : real;
    Comlink.expose(this.service, port2);
  }
  postMessage(msg: unknown, transfer?: Transferable[]): void {
    this.port.postMessage(msg, transfer ?? []);
  }
  addEventListener(type: string, l: EventListenerOrEventListenerObject): void {
    if (type === 'message') this.port.addEventListener(type, l);
    else super.addEventListener(type, l);
  }
  removeEventListener(type: string, l: EventListenerOrEventListenerObject): void {
    if (type === 'message') this.port.removeEventListener(type, l);
    else super.removeEventListener(type, l);
  }
  start(): void {
    this.port.start();
  }
  /** What an uncaught exception inside a worker looks like from outside. */
  crash(message: string): void {
    for (let i = 1; i <= 20; i++) this.service.cancel(`job-${i}`); // stop its in-process work
    this.inner.close();
    this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message }));
  }
  terminate(): void {
    this.terminated = true;
    this.port.close();
  }
}

const BIG = { sizes: [200, 200, 200, 200, 200, 200, 200, 200], distance: null, repeats: 5 };
let client: ComputeClient | null = null;
afterEach(() => client?.dispose());

describe('ComputeClient', () => {
  it('inits, runs a job with progress and lists it while running', async () => {
    client = new ComputeClient({ createWorker: () => new FakeWorker(), preferred: 'cpu' });
    const rt = await client.ready();
    expect(rt.backend).toBe('cpu');
    expect(rt.preferred).toBe('cpu');
    const states: ComputeState[] = [];
    client.subscribe((s) => states.push(s));
    const seen: JobProgress[] = [];
    const job = client.run('benchmark', { sizes: [16], distance: null, repeats: 1 }, { label: 'bench', onProgress: (p) => seen.push(p) });
    expect(client.state.jobs.map((j) => j.id)).toEqual([job.id]);
    const r = await job.promise;
    expect(r.matMul[0].size).toBe(16);
    expect(seen.at(-1)?.fraction).toBe(1);
    expect(client.state.jobs).toEqual([]);
    expect(states.some((s) => s.jobs.some((j) => j.label === 'bench' && j.progress.fraction === 1))).toBe(true);
  });

  it('cancel() rejects with JobCancelledError promptly', async () => {
    client = new ComputeClient({ createWorker: () => new FakeWorker() });
    await client.ready();
    let t = 0;
    const job = client.run('benchmark', BIG, {
      onProgress: () => {
        if (!t) {
          t = performance.now();
          job.cancel();
        }
      },
    });
    await expect(job.promise).rejects.toBeInstanceOf(JobCancelledError);
    expect(performance.now() - t).toBeLessThan(1500);
    expect(client.state.jobs).toEqual([]);
  });

  it('surfaces a failing job as a readable Error', async () => {
    client = new ComputeClient({ createWorker: () => new FakeWorker() });
    await expect(client.run('benchmark', { sizes: [-3] }).promise).rejects.toThrow(
      'compute job benchmark failed: benchmark size -3 must be an integer in 1..8192',
    );
  });

  it('reports an init failure in its state', async () => {
    client = new ComputeClient({ createWorker: () => new FakeWorker(true) });
    await expect(client.ready()).rejects.toThrow('compute worker init failed: CPU: result mismatch 1');
    expect(client.state.status).toBe('error');
    expect(client.state.error).toBe('compute worker init failed: CPU: result mismatch 1');
  });

  it('restarts a crashed worker, rejects its jobs and re-inits with the same preference', async () => {
    const workers: FakeWorker[] = [];
    client = new ComputeClient({
      createWorker: () => {
        const w = new FakeWorker();
        workers.push(w);
        return w;
      },
      preferred: 'cpu',
    });
    await client.ready();
    const job = client.run('benchmark', BIG, {
      onProgress: () => {
        if (workers.length === 1) workers[0].crash('ReferenceError: e is not defined');
      },
    });
    await expect(job.promise).rejects.toThrow('compute worker crashed: ReferenceError: e is not defined; restarted');
    expect(workers.length).toBe(2);
    expect(workers[0].terminated).toBe(true);
    const rt = await client.ready();
    expect(rt.preferred).toBe('cpu');
    expect(client.state.restarts).toBe(1);
    expect(client.state.status).toBe('ready');
    // The new worker runs jobs.
    const r = await client.run('benchmark', { sizes: [8], distance: null, repeats: 1 }).promise;
    expect(r.backend).toBe('cpu');
  });

  it('stops restarting a worker that keeps crashing', async () => {
    const workers: FakeWorker[] = [];
    client = new ComputeClient({
      createWorker: () => {
        const w = new FakeWorker();
        workers.push(w);
        return w;
      },
      maxRestarts: 2,
    });
    for (let i = 0; i < 3; i++) workers[workers.length - 1].crash(`boom ${i}`);
    expect(workers.length).toBe(3); // the first + 2 restarts
    expect(client.state.status).toBe('error');
    expect(client.state.error).toBe('compute worker crashed repeatedly: boom 2');
  });
});

describe('backend preference storage', () => {
  it('round-trips a valid name and ignores junk', () => {
    const m = new Map<string, string>();
    const storage = {
      getItem: (k: string) => m.get(k) ?? null,
      setItem: (k: string, v: string) => void m.set(k, v),
      removeItem: (k: string) => void m.delete(k),
    };
    savePreferredBackend('wasm', storage);
    expect(loadPreferredBackend(storage)).toBe('wasm');
    savePreferredBackend(null, storage);
    expect(loadPreferredBackend(storage)).toBe(null);
    m.set('shoplens.compute.backend', 'tpu');
    expect(loadPreferredBackend(storage)).toBe(null);
    expect(loadPreferredBackend(undefined)).toBe(null);
  });
});
