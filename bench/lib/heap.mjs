// Samples JS heap use of a page and of its dedicated workers through the DevTools protocol.
// Workers are reached by auto-attaching from the page's own CDP session (non-flat mode: their
// messages travel inside Target.sendMessageToTarget, since playwright's CDPSession cannot address
// a child session directly). Runtime.getHeapUsage is answered even while a worker runs long JS.

/**
 * @typedef {{ usedSize: number, totalSize: number, backingStorageSize?: number }} HeapUsage
 * @typedef {{ label: string, url: string, peakUsed: number, peakWithBuffers: number, samples: number }} HeapPeak
 */

/**
 * @param {import('playwright-core').Page} page
 * @param {{ workerLabel?: (url: string) => string | null }} [opts] names the workers worth sampling
 */
export async function createHeapSampler(page, opts = {}) {
  const label = opts.workerLabel ?? ((url) => url.split('/').pop() ?? url);
  const cdp = await page.context().newCDPSession(page);
  /** @type {Map<string, { url: string, label: string }>} sessionId → worker */
  const workers = new Map();
  /** @type {Map<number, (msg: any) => void>} */
  const waiting = new Map();
  let nextId = 1;

  cdp.on('Target.attachedToTarget', ({ sessionId, targetInfo }) => {
    const name = targetInfo.type === 'worker' ? label(targetInfo.url) : null;
    if (name) workers.set(sessionId, { url: targetInfo.url, label: name });
  });
  cdp.on('Target.detachedFromTarget', ({ sessionId }) => workers.delete(sessionId));
  cdp.on('Target.receivedMessageFromTarget', ({ message }) => {
    const msg = JSON.parse(message);
    const done = waiting.get(msg.id);
    if (done) {
      waiting.delete(msg.id);
      done(msg);
    }
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });

  /**
   * Sends one DevTools command to a worker; resolves with its result, or null on error/timeout.
   * @returns {Promise<any>}
   */
  const toWorker = (sessionId, method, params = {}, timeoutMs = 2000) =>
    new Promise((resolve) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        resolve(null);
      }, timeoutMs);
      waiting.set(id, (msg) => {
        clearTimeout(timer);
        resolve(msg.result ?? null);
      });
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(() => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(null);
      });
    });
  /** @returns {Promise<HeapUsage | null>} */
  const workerHeap = (sessionId) => toWorker(sessionId, 'Runtime.getHeapUsage');

  /** @type {Map<string, HeapPeak>} */
  const peaks = new Map();
  const note = (key, name, url, usage) => {
    if (!usage) return;
    const peak = peaks.get(key) ?? { label: name, url, peakUsed: 0, peakWithBuffers: 0, samples: 0 };
    peak.peakUsed = Math.max(peak.peakUsed, usage.usedSize);
    peak.peakWithBuffers = Math.max(peak.peakWithBuffers, usage.usedSize + (usage.backingStorageSize ?? 0));
    peak.samples++;
    peaks.set(key, peak);
  };

  /** Takes one sample of the page and of every labelled worker. */
  async function sample() {
    const jobs = [cdp.send('Runtime.getHeapUsage').then((u) => note('page', 'page', page.url(), u), () => undefined)];
    for (const [sessionId, w] of workers) jobs.push(workerHeap(sessionId).then((u) => note(sessionId, w.label, w.url, u)));
    await Promise.all(jobs);
  }

  let timer = null;
  let inFlight = Promise.resolve();
  return {
    sample,
    /** Samples every `ms` until stop(); a slow sample delays the next rather than piling up. */
    start(ms = 100) {
      peaks.clear();
      const tick = () => {
        inFlight = sample().finally(() => {
          if (timer !== null) timer = setTimeout(tick, ms);
        });
      };
      timer = setTimeout(tick, 0);
    },
    /** @returns {Promise<HeapPeak[]>} the peaks seen since start() */
    async stop() {
      clearTimeout(timer);
      timer = null;
      await inFlight;
      await sample();
      return [...peaks.values()];
    },
    workerLabels: () => [...workers.values()].map((w) => w.label),
    /** Sends a DevTools command to the first worker with this label (null when there is none). */
    async workerCommand(workerLabel, method, params = {}, timeoutMs = 10_000) {
      for (const [sessionId, w] of workers) if (w.label === workerLabel) return toWorker(sessionId, method, params, timeoutMs);
      return null;
    },
    detach: () => cdp.detach().catch(() => undefined),
  };
}
