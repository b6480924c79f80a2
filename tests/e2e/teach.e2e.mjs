// "Teach with it": the k-means step mode on the demo shop. Run a k = 4, one-restart segmentation,
// trace it, step forward twice and back once (the counter and the inertia follow), play, pause.
// The harness fails every test on a console error, an outside request or a frozen main thread.

/** @typedef {import('./run.mjs').TestArgs} TestArgs */

/** @param {string | null} text */
const inertiaOf = (text) => Number((text ?? '').replace(/^Inertia /, '').replace(/,/g, ''));

export const tests = {
  'steps through k-means on the demo shop: forward, back, play, pause': {
    timeout: 240_000,
    run: async (/** @type {TestArgs} */ { page, expect }) => {
      await page.goto('/#/data');
      await page.getByTestId('open-demo').click();
      await page.getByTestId('import-result').waitFor({ timeout: 90_000 });
      await page.getByTestId('nav-segments').click();
      await page.getByTestId('segments-empty').waitFor();

      await page.getByTestId('k-fixed').check();
      await page.getByTestId('k-value').fill('4');
      await page.getByTestId('n-init').fill('1');
      await page.getByTestId('run-segmentation').click();
      await page.getByTestId('segment-cards').waitFor({ timeout: 180_000 });

      const mode = page.getByTestId('step-mode');
      await mode.scrollIntoViewIfNeeded();
      await page.getByTestId('step-open').click();
      const counter = page.getByTestId('step-counter');
      await counter.waitFor({ timeout: 60_000 });

      const total = Number((await counter.textContent())?.match(/of (\d+)/)?.[1]);
      expect(total).toBeGreaterThanOrEqual(3);
      expect(await counter.textContent()).toBe(`Step 1 of ${total}`);
      expect(await page.getByTestId('step-title').textContent()).toMatch(/^Iteration 1 of \d+ · \(a\) assignment$/);
      // All demo customers fit under the 5,000 cap, so with one restart and the same seed the trace
      // ends exactly where the run did.
      expect(await page.getByTestId('step-sample').textContent()).toMatch(/All [\d,]+ customers, seed 0\..*The same as the run/);
      const i1 = inertiaOf(await page.getByTestId('step-inertia').textContent());
      expect(i1).toBeGreaterThan(0);
      expect(await page.getByTestId('step-back').isDisabled()).toBe(true);

      await page.getByTestId('step-forward').click();
      expect(await counter.textContent()).toBe(`Step 2 of ${total}`);
      expect(await page.getByTestId('step-title').textContent()).toMatch(/· \(b\) update$/);
      const i2 = inertiaOf(await page.getByTestId('step-inertia').textContent());
      await page.getByTestId('step-forward').click();
      expect(await counter.textContent()).toBe(`Step 3 of ${total}`);
      const i3 = inertiaOf(await page.getByTestId('step-inertia').textContent());
      // Each step lowers the inertia (never raises it), and the first update from k-means++ centres lowers it strictly.
      expect(i2).toBeLessThan(i1);
      expect(i3).toBeLessThanOrEqual(i2);
      await page.getByTestId('step-back').click();
      expect(await counter.textContent()).toBe(`Step 2 of ${total}`);
      expect(inertiaOf(await page.getByTestId('step-inertia').textContent())).toBe(i2);

      // Arrow keys on the focused picture step too.
      await page.getByTestId('step-canvas').focus();
      await page.keyboard.press('ArrowRight');
      expect(await counter.textContent()).toBe(`Step 3 of ${total}`);
      await page.keyboard.press('ArrowLeft');
      expect(await counter.textContent()).toBe(`Step 2 of ${total}`);

      // The picture really drew the four clusters' colours.
      const colours = await page.getByTestId('step-canvas').evaluate((el) => {
        const c = /** @type {HTMLCanvasElement} */ (el);
        const ctx = c.getContext('2d');
        if (!ctx) return 0;
        const { data } = ctx.getImageData(0, 0, c.width, c.height);
        const seen = new Set();
        for (let i = 0; i < data.length; i += 4 * 5) {
          const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
          if (Math.max(r, g, b) - Math.min(r, g, b) > 60) seen.add(`${r >> 5},${g >> 5},${b >> 5}`);
        }
        return seen.size;
      });
      expect(colours).toBeGreaterThanOrEqual(3);

      // Play at 4 steps/s: the counter moves on by itself; pause holds it.
      await page.getByTestId('step-speed').selectOption('4');
      const play = page.getByTestId('step-play');
      await play.click();
      expect(await play.getAttribute('aria-pressed')).toBe('true');
      await expect.poll(async () => Number((await counter.textContent())?.match(/Step (\d+)/)?.[1]), (n) => expect(n).toBeGreaterThan(3), { timeout: 10_000 });
      await play.click();
      expect(await play.getAttribute('aria-pressed')).toBe('false');
      const paused = await counter.textContent();
      await page.waitForTimeout(800);
      expect(await counter.textContent()).toBe(paused);

      // The last step is the converged (or final) assignment; its inertia is the lowest.
      await page.getByTestId('step-canvas').focus();
      await page.keyboard.press('End');
      expect(await counter.textContent()).toBe(`Step ${total} of ${total}`);
      expect(await page.getByTestId('step-text').textContent()).toMatch(/Converged|Stopped at the limit/);
      expect(inertiaOf(await page.getByTestId('step-inertia').textContent())).toBeLessThanOrEqual(i3);
    },
  },
};
