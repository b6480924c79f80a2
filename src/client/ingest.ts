// Main-thread handle on the data worker. The worker is created lazily, and recreated if it dies,
// so one crash costs the running call, not the session.

import * as Comlink from 'comlink';
import type { IngestApi } from '../../workers/ingest.worker';

type Remote = Comlink.Remote<IngestApi>;

let worker: Worker | null = null;
let remote: Remote | null = null;
const crashListeners = new Set<(message: string) => void>();
const pending = new Set<(error: Error) => void>();

function start(): Remote {
  worker = new Worker(new URL('../../workers/ingest.worker.ts', import.meta.url), {
    type: 'module',
    name: 'shoplens-data',
  });
  worker.addEventListener('error', (event) => {
    const message = event.message || 'the data worker stopped unexpectedly';
    event.preventDefault();
    restart();
    const error = new Error(`Data worker crashed: ${message}. It was restarted; please try again.`);
    for (const reject of pending) reject(error);
    pending.clear();
    for (const listener of crashListeners) listener(`Data worker crashed: ${message}. It was restarted.`);
  });
  remote = Comlink.wrap<IngestApi>(worker);
  return remote;
}

function restart(): void {
  worker?.terminate();
  remote?.[Comlink.releaseProxy]();
  worker = null;
  remote = null;
}

/** The data worker's API (created on first use). */
export function dataWorker(): Remote {
  return remote ?? start();
}

/**
 * Calls the data worker; the promise rejects with a readable error if the worker crashes meanwhile
 * (a plain comlink call would wait forever).
 */
export function callData<T>(call: (api: Remote) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    pending.add(reject);
    call(dataWorker()).then(resolve, reject).finally(() => pending.delete(reject));
  });
}

export function onDataWorkerCrash(listener: (message: string) => void): () => void {
  crashListeners.add(listener);
  return () => crashListeners.delete(listener);
}

export { Comlink };
