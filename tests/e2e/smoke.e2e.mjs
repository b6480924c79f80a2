// Smoke tests: the built app loads, stays on its own origin and is cross-origin isolated.
// `selfTests` (run with `node tests/e2e/run.mjs --self-test`) prove the harness guards can fail.
import { setTimeout as sleep } from 'node:timers/promises';
import { isOutsideRequest } from './harness.mjs';

/** @typedef {import('./run.mjs').TestArgs} TestArgs */

/** Loads the app and waits until Svelte has mounted something into #app. */
async function openApp(/** @type {TestArgs['page']} */ page) {
  const response = await page.goto('/', { waitUntil: 'load' });
  if (!response) throw new Error('no response for /');
  await page.locator('#app > *').first().waitFor({ state: 'attached' });
  return response;
}

export const tests = {
  'loads with the ShopLens title': async (/** @type {TestArgs} */ { page, expect }) => {
    const response = await openApp(page);
    expect(response.status()).toBe(200);
    expect(await page.title()).toContain('ShopLens');
    expect(((await page.locator('#app').textContent()) ?? '').trim().length).toBeGreaterThan(0);
  },

  'sends the COOP, COEP and CSP headers': async (/** @type {TestArgs} */ { page, expect }) => {
    const response = await openApp(page);
    const h = await response.allHeaders();
    expect(h['cross-origin-opener-policy']).toBe('same-origin');
    expect(h['cross-origin-embedder-policy']).toBe('require-corp');
    const csp = h['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("object-src 'none'");
  },

  'is cross-origin isolated': async (/** @type {TestArgs} */ { page, expect }) => {
    await openApp(page);
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
  },

  'makes no request outside its origin': async (/** @type {TestArgs} */ { page, origin, guards, expect }) => {
    /** @type {string[]} */
    const seen = [];
    page.on('request', (r) => seen.push(r.url()));
    await openApp(page);
    await page.waitForLoadState('networkidle');
    expect(seen.length).toBeGreaterThan(0); // the page and its module at least
    expect(seen.filter((u) => isOutsideRequest(u, origin))).toEqual([]);
    expect(guards.outsideRequests()).toEqual([]);
  },

  // The origin rule itself, on hand-picked URLs (no browser needed, but cheap to run here).
  'harness origin check flags foreign URLs': async (/** @type {TestArgs} */ { expect }) => {
    const app = 'http://127.0.0.1:4173';
    expect(isOutsideRequest('http://example.invalid/x', app)).toBe(true);
    expect(isOutsideRequest('https://127.0.0.1:4173/', app)).toBe(true); // scheme differs
    expect(isOutsideRequest('http://127.0.0.1:4174/', app)).toBe(true); // port differs
    expect(isOutsideRequest('http://localhost:4173/', app)).toBe(true); // host differs
    expect(isOutsideRequest('not a url', app)).toBe(true);
    expect(isOutsideRequest('http://127.0.0.1:4173/assets/app.js?v=1', app)).toBe(false);
    expect(isOutsideRequest('data:text/plain,hi', app)).toBe(false);
    expect(isOutsideRequest('blob:http://127.0.0.1:4173/0f6c1b2a', app)).toBe(false);
    expect(isOutsideRequest('blob:http://example.invalid/0f6c1b2a', app)).toBe(true);
  },
};

/**
 * Each of these must be FAILED by the harness for the stated reason; the self-test run passes
 * when that happens. bypassCSP lets the page try what the app's CSP would otherwise refuse.
 */
export const selfTests = {
  'flags a fetch to http://example.invalid': {
    contextOptions: { bypassCSP: true },
    expectFailure: /request outside the app origin: GET http:\/\/example\.invalid\/ping/,
    run: async (/** @type {TestArgs} */ { page }) => {
      await openApp(page);
      await page.evaluate(() => fetch('http://example.invalid/ping').catch(() => null));
    },
  },
  'flags an outside request made from a worker': {
    contextOptions: { bypassCSP: true },
    expectFailure: /request outside the app origin: GET http:\/\/example\.invalid\/from-worker/,
    run: async (/** @type {TestArgs} */ { page }) => {
      await openApp(page);
      await page.evaluate(async () => {
        const src = "fetch('http://example.invalid/from-worker').catch(() => null).then(() => postMessage('done'))";
        const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
        await new Promise((resolve) => (w.onmessage = resolve));
      });
    },
  },
  'flags an image from another origin': {
    contextOptions: { bypassCSP: true },
    expectFailure: /request outside the app origin: GET http:\/\/example\.invalid\/pixel\.png/,
    run: async (/** @type {TestArgs} */ { page }) => {
      await openApp(page);
      await page.evaluate(() => {
        const img = document.createElement('img');
        img.src = 'http://example.invalid/pixel.png';
        document.body.append(img);
        return new Promise((resolve) => (img.onerror = img.onload = resolve));
      });
    },
  },
  'flags a console error': {
    expectFailure: /console error: boom/,
    run: async (/** @type {TestArgs} */ { page }) => {
      await openApp(page);
      await page.evaluate(() => console.error('boom'));
    },
  },
  'flags a console error in a worker': {
    expectFailure: /console error: worker-boom/,
    run: async (/** @type {TestArgs} */ { page }) => {
      await openApp(page);
      await page.evaluate(async () => {
        const src = "console.error('worker-boom'); postMessage('done')";
        const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
        await new Promise((resolve) => (w.onmessage = resolve));
      });
      await sleep(200);
    },
  },
  'flags an uncaught page error': {
    expectFailure: /page error: .*kaboom/,
    run: async (/** @type {TestArgs} */ { page }) => {
      await openApp(page);
      await page.evaluate(() => {
        setTimeout(() => {
          throw new Error('kaboom');
        }, 0);
      });
      await sleep(300);
    },
  },
  'flags a main thread blocked for 2.5 s': {
    expectFailure: /main thread frozen for \d+ ms/,
    run: async (/** @type {TestArgs} */ { page }) => {
      await openApp(page);
      await sleep(200); // let the heartbeat tick once after load
      await page.evaluate(() => {
        const t = performance.now();
        while (performance.now() - t < 2500);
      });
      await sleep(300); // the first tick after the thaw reports the gap
    },
  },
  'flags a main thread still frozen when the test ends': {
    expectFailure: /main thread frozen at the end of the test/,
    run: async (/** @type {TestArgs} */ { page }) => {
      await openApp(page);
      await page.evaluate(() => {
        setTimeout(() => {
          const t = performance.now();
          while (performance.now() - t < 6000);
        }, 0);
      });
    },
  },
  'fails a wrong expectation': {
    expectFailure: /expected 1 to be 2/,
    run: async (/** @type {TestArgs} */ { expect }) => {
      expect(1).toBe(2);
    },
  },
  'fails a test that runs past its timeout': {
    timeout: 500,
    expectFailure: /test timed out after 500 ms/,
    run: async () => {
      await sleep(2000);
    },
  },
};
