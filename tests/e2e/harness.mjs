// Shared helpers for the browser tests: the guards every test runs under (console errors,
// page errors, requests leaving the app's origin, a frozen main thread), a tiny `expect`,
// and small utilities for test files. Plain ESM so it runs under `node` without a build step.
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect, isDeepStrictEqual } from 'node:util';

/** Longest main-thread gap (ms) a test may show before it counts as a frozen UI. */
export const MAX_MAIN_THREAD_GAP_MS = 2000;

/** Launch arguments for Debian Chromium (WebGPU needs the unsafe flag; no phoning home). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * True when `url` would leave the app: any scheme other than data:/blob:/about: whose origin
 * differs from `appOrigin`. A URL that cannot be parsed counts as outside (fail closed).
 * @param {string} url
 * @param {string} appOrigin e.g. 'http://127.0.0.1:4173'
 * @returns {boolean}
 */
export function isOutsideRequest(url, appOrigin) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return true;
  }
  if (parsed.protocol === 'data:' || parsed.protocol === 'blob:' || parsed.protocol === 'about:') {
    // blob: URLs carry their creator's origin; one minted elsewhere is still foreign.
    if (parsed.protocol === 'blob:' && parsed.origin !== 'null' && parsed.origin !== appOrigin) return true;
    return false;
  }
  return parsed.origin !== new URL(appOrigin).origin;
}

/**
 * Page-side heartbeat, installed with addInitScript into every document. A setInterval tick
 * records the longest gap between ticks; a gap above the limit is pushed to Node through an
 * exposed binding as soon as the thread thaws, so navigations cannot lose it.
 * (setInterval rather than requestAnimationFrame: rAF legitimately pauses for hidden pages.)
 */
export const HEARTBEAT_INIT_SCRIPT = `(() => {
  if (window !== window.top || window.__e2eHeartbeat) return;
  const hb = { last: performance.now(), maxGap: 0, ticks: 0 };
  Object.defineProperty(window, '__e2eHeartbeat', { value: hb });
  setInterval(() => {
    const now = performance.now();
    const gap = now - hb.last;
    hb.last = now;
    hb.ticks++;
    if (gap > hb.maxGap) hb.maxGap = gap;
    if (gap > ${MAX_MAIN_THREAD_GAP_MS} && typeof window.__e2eReportGap === 'function') {
      window.__e2eReportGap(Math.round(gap), location.href);
    }
  }, 50);
})();`;

/**
 * Installs every guard on a fresh browser context. Call before the first page opens.
 * Returns `problems()` (the list of guard failures so far) and `finalCheck()` (to run after
 * the test body: probes each open page for a main thread that is frozen right now).
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} appOrigin
 */
export async function installGuards(context, appOrigin) {
  /** @type {string[]} */
  const found = [];
  /** @type {string[]} */
  const outside = [];
  const note = (/** @type {string} */ msg) => {
    if (!found.includes(msg)) found.push(msg);
  };

  await context.exposeBinding('__e2eReportGap', (_source, gap, href) => {
    note(`main thread frozen for ${gap} ms (limit ${MAX_MAIN_THREAD_GAP_MS} ms) at ${href}`);
  });
  await context.addInitScript(HEARTBEAT_INIT_SCRIPT);

  // Block, and record, everything that would leave the origin (also from workers).
  await context.route(
    (url) => isOutsideRequest(url.href, appOrigin),
    async (route) => {
      const url = route.request().url();
      outside.push(url);
      note(`request outside the app origin: ${route.request().method()} ${url}`);
      await route.abort('blockedbyclient');
    },
  );
  // Belt and braces: requests that bypass routing (e.g. service workers) are still seen here.
  context.on('request', (req) => {
    if (isOutsideRequest(req.url(), appOrigin)) note(`request outside the app origin: ${req.method()} ${req.url()}`);
  });

  const onConsole = (/** @type {import('playwright-core').ConsoleMessage} */ msg) => {
    if (msg.type() !== 'error') return;
    const loc = msg.location();
    const where = loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : '';
    note(`console error: ${msg.text()}${where}`);
  };
  const watchPage = (/** @type {import('playwright-core').Page} */ page) => {
    page.on('console', onConsole);
    page.on('pageerror', (err) => note(`page error: ${err.stack || err.message}`));
    page.on('crash', () => note(`page crashed: ${page.url()}`));
    page.on('worker', (worker) => worker.on('console', onConsole));
  };
  context.on('page', watchPage);

  return {
    /** Guard failures recorded so far. */
    problems: () => [...found],
    /** Outside URLs that were blocked. */
    outsideRequests: () => [...outside],
    /** After the test: a page whose main thread does not answer within the limit is frozen. */
    async finalCheck() {
      for (const page of context.pages()) {
        if (page.isClosed()) continue;
        const probe = page
          .evaluate(() => {
            const hb = /** @type {any} */ (window).__e2eHeartbeat;
            return hb ? { maxGap: hb.maxGap, sinceLast: performance.now() - hb.last } : null;
          })
          .catch(() => null); // navigating or closed: nothing to judge
        const res = await Promise.race([probe, sleep(MAX_MAIN_THREAD_GAP_MS + 1000).then(() => 'timeout')]);
        if (res === 'timeout') note(`main thread frozen at the end of the test (no answer in ${MAX_MAIN_THREAD_GAP_MS + 1000} ms): ${page.url()}`);
        else if (res && typeof res === 'object' && res.sinceLast > MAX_MAIN_THREAD_GAP_MS)
          note(`main thread frozen at the end of the test (${Math.round(res.sinceLast)} ms since last tick): ${page.url()}`);
      }
      return [...found];
    },
  };
}

/** Assertion error raised by `expect`; the runner prints its message. */
export class ExpectationError extends Error {
  name = 'ExpectationError';
}

const show = (/** @type {unknown} */ v) => inspect(v, { depth: 4, breakLength: Infinity, maxStringLength: 300 });

/**
 * Tiny jest-like assertions: expect(x).toBe(y), .toEqual, .toContain, .toMatch, .toBeTruthy,
 * .toBeFalsy, .toBeGreaterThan(OrEqual), .toBeLessThan(OrEqual), .toBeCloseTo; `.not` negates.
 * expect.poll(fn, {timeout}) retries fn until its value passes, for UI that settles over time.
 * @param {unknown} actual
 */
export function expect(actual) {
  return makeMatchers(actual, false);
}

/**
 * @param {unknown} actual
 * @param {boolean} negate
 */
function makeMatchers(actual, negate) {
  /**
   * @param {boolean} pass
   * @param {string} what
   */
  const check = (pass, what) => {
    if (pass === negate) throw new ExpectationError(`expected ${show(actual)} ${negate ? 'not ' : ''}${what}`);
  };
  const num = () => {
    if (typeof actual !== 'number' && typeof actual !== 'bigint') throw new ExpectationError(`expected a number, got ${show(actual)}`);
    return /** @type {number} */ (actual);
  };
  return {
    toBe: (/** @type {unknown} */ exp) => check(Object.is(actual, exp), `to be ${show(exp)}`),
    toEqual: (/** @type {unknown} */ exp) => check(isDeepStrictEqual(actual, exp), `to equal ${show(exp)}`),
    toBeTruthy: () => check(Boolean(actual), 'to be truthy'),
    toBeFalsy: () => check(!actual, 'to be falsy'),
    toContain: (/** @type {unknown} */ item) => {
      const ok =
        typeof actual === 'string' ? actual.includes(String(item)) : Array.isArray(actual) ? actual.some((x) => isDeepStrictEqual(x, item)) : false;
      check(ok, `to contain ${show(item)}`);
    },
    toMatch: (/** @type {RegExp | string} */ re) =>
      check(typeof actual === 'string' && (typeof re === 'string' ? actual.includes(re) : re.test(actual)), `to match ${show(re)}`),
    toBeGreaterThan: (/** @type {number} */ n) => check(num() > n, `to be > ${n}`),
    toBeGreaterThanOrEqual: (/** @type {number} */ n) => check(num() >= n, `to be >= ${n}`),
    toBeLessThan: (/** @type {number} */ n) => check(num() < n, `to be < ${n}`),
    toBeLessThanOrEqual: (/** @type {number} */ n) => check(num() <= n, `to be <= ${n}`),
    toBeCloseTo: (/** @type {number} */ n, tol = 1e-6) => check(Math.abs(num() - n) <= tol, `to be within ${tol} of ${n}`),
    get not() {
      return makeMatchers(actual, !negate);
    },
  };
}

/**
 * Retries `fn` until `assertion(value)` stops throwing, or the timeout passes (then rethrows).
 * @template T
 * @param {() => T | Promise<T>} fn
 * @param {(value: T) => void} assertion e.g. (v) => expect(v).toBe(3)
 * @param {{ timeout?: number, interval?: number }} [opts]
 * @returns {Promise<T>}
 */
expect.poll = async function poll(fn, assertion, { timeout = 10_000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await fn();
    try {
      assertion(value);
      return value;
    } catch (err) {
      if (Date.now() >= deadline) throw err;
    }
    await sleep(interval);
  }
};

/**
 * Races `promise` against a timer; rejects with a clear message when time runs out.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T>}
 */
export async function withTimeout(promise, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return /** @type {T} */ (await Promise.race([promise, timeout]));
  } finally {
    clearTimeout(timer);
  }
}

/** File-name-safe form of a test name, for screenshots. */
export function slug(/** @type {string} */ name) {
  return name.replace(/[^a-z0-9._-]+/gi, '-').replace(/^-+|-+$/g, '').slice(0, 100) || 'test';
}
