// Brushing the segments scatter: drag a rectangle (and the keyboard alternative) to select customers,
// read their count and segment mix, download them as CSV; zoom keeps working; the run says which
// k-means algorithm made it. The harness fails every test on a console error or an outside request.

/** @typedef {import('./run.mjs').TestArgs} TestArgs */

/** @param {TestArgs['page']} page */
const count = async (page) => Number(((await page.getByTestId('selection-count').textContent()) ?? '').replace(/,/g, ''));

export const tests = {
  'brushes customers on the scatter, by mouse and keyboard, and downloads them': {
    timeout: 240_000,
    run: async (/** @type {TestArgs} */ { page, expect }) => {
      await page.goto('/#/data');
      await page.getByTestId('open-demo').click();
      await page.getByTestId('import-result').waitFor({ timeout: 90_000 });
      await page.getByTestId('nav-segments').click();
      await page.getByTestId('segments-empty').waitFor();
      // The demo shop is far below the mini-batch threshold, so Lloyd is chosen and said so.
      expect(await page.getByTestId('algorithm-reason').textContent()).toMatch(/Lloyd's k-means, chosen automatically: [\d,]+ customers is at most 200,000/);

      await page.getByTestId('k-fixed').check();
      await page.getByTestId('k-value').fill('4');
      await page.getByTestId('n-init').fill('1');
      await page.getByTestId('run-segmentation').click();
      await page.getByTestId('segment-cards').waitFor({ timeout: 180_000 });
      expect(await page.getByTestId('segments-how').textContent()).toContain("Lloyd's k-means");
      const total = (await page.locator('table.legend tbody tr td.num:nth-child(2)').allTextContents()).reduce(
        (s, t) => s + Number(t.replace(/,/g, '')),
        0,
      );

      const canvas = page.getByTestId('scatter-canvas');
      await canvas.scrollIntoViewIfNeeded();
      const box = await canvas.boundingBox();
      if (!box) throw new Error('scatter canvas has no box');
      // Plain drag pans (no selection); brushing is off until asked for.
      expect(await page.getByTestId('segment-selection').count()).toBe(0);

      // Select mode: a drag over the whole plot area selects every customer.
      await page.getByTestId('brush-mode').click();
      expect(await page.getByTestId('brush-mode').getAttribute('aria-pressed')).toBe('true');
      await page.mouse.move(box.x + 2, box.y + 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
      await page.mouse.move(box.x + box.width - 2, box.y + box.height - 2, { steps: 4 });
      await page.mouse.up();
      await page.getByTestId('segment-selection').waitFor();
      expect(await count(page)).toBe(total);

      // A smaller rectangle selects some but not all, and its mix adds up to its count.
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.7, { steps: 5 });
      await page.mouse.up();
      const some = await count(page);
      expect(some).toBeGreaterThan(0);
      expect(some).toBeLessThan(total);
      const mix = (await page.getByTestId('segment-selection').locator('tbody tr td.num:nth-child(2)').allTextContents())
        .slice(0, 4)
        .reduce((s, t) => s + Number(t.replace(/,/g, '')), 0);
      expect(mix).toBe(some);
      await page.getByTestId('selection-means').waitFor({ timeout: 30_000 });

      // The CSV holds exactly the selected customers, with features, formula-safe ids.
      const download = page.waitForEvent('download');
      await page.getByTestId('download-selection').click();
      const { readFile } = await import('node:fs/promises');
      const csv = await readFile(await (await download).path(), 'utf8');
      const lines = csv.split(/\r?\n/).filter(Boolean);
      expect(lines[0]).toMatch(/^customer_id,segment,segment_name,recency,frequency/);
      expect(lines.length - 1).toBe(some);
      expect(lines.slice(1).filter((l) => !/^C\d{5},[1-4],/.test(l))).toEqual([]);

      // Zoom still works in select mode (the wheel zooms; Reset becomes available).
      // Clicking the download button scrolled the page: find the canvas again.
      await canvas.scrollIntoViewIfNeeded();
      const at = await canvas.boundingBox();
      if (!at) throw new Error('scatter canvas has no box');
      await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
      await page.mouse.wheel(0, -400);
      await page.waitForFunction(() => {
        const b = [...document.querySelectorAll('button')].find((e) => e.textContent?.trim() === 'Reset zoom');
        return b instanceof HTMLButtonElement && !b.disabled;
      });
      await page.getByRole('button', { name: 'Reset zoom' }).click();
      // Hover tooltips still work in select mode.
      const tooltip = page.locator('[role="tooltip"]').filter({ hasText: /C\d{5}/ });
      for (let step = 0; step < 40 && !(await tooltip.count()); step++) {
        await page.mouse.move(at.x + at.width * (0.15 + (0.7 * ((step * 7) % 40)) / 40), at.y + at.height * (0.2 + (0.6 * ((step * 3) % 10)) / 10));
        await page.waitForTimeout(50);
      }
      expect(await tooltip.first().textContent({ timeout: 2000 })).toMatch(/C\d{5}[\s\S]*Recency/);

      // Keyboard: Esc clears; Enter marks a corner at the crosshair, panning moves it, Enter again selects.
      await canvas.focus();
      await page.keyboard.press('Escape');
      await page.getByTestId('segment-selection').waitFor({ state: 'detached' });
      await page.keyboard.press('Enter');
      expect(await page.getByTestId('brush-note').textContent()).toContain('First corner marked');
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Enter');
      await page.getByTestId('segment-selection').waitFor();
      const keyed = await count(page);
      expect(keyed).toBeGreaterThan(0);
      expect(keyed).toBeLessThan(total);
      expect(await page.getByTestId('brush-note').textContent()).toBe(`${keyed.toLocaleString('en-US')} customers selected.`);

      // "Select visible" at the unzoomed view takes everyone.
      await page.keyboard.press('0');
      await page.getByTestId('brush-visible').click();
      await page.waitForFunction((n) => document.querySelector('[data-testid="selection-count"]')?.textContent?.replace(/,/g, '') === String(n), total);
    },
  },
};
