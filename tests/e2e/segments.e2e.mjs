// The Segments view as a shop owner uses it: open the demo shop, run a segmentation with a fixed
// k, read the segment cards and the scatter, rename a segment, reload and find the run again.
// The harness fails every test on a console error, an outside request or a frozen main thread.

/** @typedef {import('./run.mjs').TestArgs} TestArgs */

/** @param {TestArgs['page']} page */
async function openDemo(page) {
  await page.goto('/#/data');
  await page.getByTestId('open-demo').click();
  await page.getByTestId('import-result').waitFor({ timeout: 90_000 });
}

export const tests = {
  'points to Data when no dataset is open': async (/** @type {TestArgs} */ { page }) => {
    await page.goto('/#/segments');
    await page.getByTestId('segments-no-dataset').waitFor();
  },

  'runs k = 6 on the demo shop, shows 6 segments and finds the run after a reload': {
    timeout: 240_000,
    run: async (/** @type {TestArgs} */ { page, expect }) => {
      await openDemo(page);
      await page.getByTestId('nav-segments').click();
      await page.getByTestId('segments-empty').waitFor();

      await page.getByTestId('k-fixed').check();
      await page.getByTestId('k-value').fill('6');
      await page.getByTestId('n-init').fill('2');
      await page.getByTestId('run-segmentation').click();
      await page.getByTestId('segment-progress').waitFor();
      await page.getByTestId('segment-cards').waitFor({ timeout: 180_000 });

      const cards = page.getByTestId('segment-card');
      expect(await cards.count()).toBe(6);
      await page.getByTestId('scatter-canvas').waitFor();
      // The canvas has pixels in more than one segment colour (it really drew the customers).
      const colours = await page.getByTestId('scatter-canvas').evaluate((el) => {
        const c = /** @type {HTMLCanvasElement} */ (el);
        const ctx = c.getContext('2d');
        if (!ctx) return 0;
        const { data } = ctx.getImageData(0, 0, c.width, c.height);
        const seen = new Set();
        for (let i = 0; i < data.length; i += 4 * 7) {
          const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
          if (Math.max(r, g, b) - Math.min(r, g, b) > 60) seen.add(`${r >> 4},${g >> 4},${b >> 4}`);
        }
        return seen.size;
      });
      expect(colours).toBeGreaterThanOrEqual(4);
      // Shares of the six cards' customers add up to all customers.
      const sizes = (await page.getByTestId('segment-card').locator('.figures strong').allTextContents())
        .filter((_, i) => i % 2 === 0)
        .map((t) => Number(t.replace(/,/g, '')));
      const legendTotal = (await page.locator('table.legend tbody tr td.num:nth-child(2)').allTextContents()).reduce(
        (s, t) => s + Number(t.replace(/,/g, '')),
        0,
      );
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(legendTotal);
      expect(legendTotal).toBeGreaterThan(4000);
      expect(await page.getByTestId('segments-how').textContent()).toMatch(/k = 6 \(fixed\).*seed 0, 2 restarts/);
      // Hovering a customer in the scatter shows its id and features.
      const canvas = page.getByTestId('scatter-canvas');
      await canvas.scrollIntoViewIfNeeded();
      const box = await canvas.boundingBox();
      if (!box) throw new Error('scatter canvas has no box');
      const tooltip = page.locator('[role="tooltip"]').filter({ hasText: /C\d{5}/ });
      for (let step = 0; step < 40 && !(await tooltip.count()); step++) {
        await page.mouse.move(box.x + box.width * (0.15 + 0.7 * ((step * 7) % 40) / 40), box.y + box.height * (0.2 + 0.6 * ((step * 3) % 10) / 10));
        await page.waitForTimeout(50);
      }
      expect(await tooltip.first().textContent({ timeout: 2000 })).toMatch(/C\d{5}[\s\S]*Recency/);
      // The silhouette plot by segment and the per-segment distributions are drawn for this run.
      await page.getByTestId('segments-silhouette').locator('svg[role="img"]').waitFor();
      await page.getByTestId('segment-distributions').locator('svg[role="img"]').waitFor();
      // Heatmap cells are focusable and labelled.
      const cell = page.getByTestId('segment-heatmap').locator('g[role="graphics-symbol"]').first();
      expect(await cell.getAttribute('aria-label')).toMatch(/: [+−]?\d/);

      // Rename the first segment; the name is saved with the run.
      const name = page.getByTestId('segment-name').first();
      await name.fill('My best customers');
      await name.press('Enter');
      await page.waitForTimeout(500);

      await page.reload();
      await page.getByTestId('segment-cards').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('segment-card').count()).toBe(6);
      expect(await page.getByTestId('segment-name').first().inputValue()).toBe('My best customers');
      const options = await page.getByTestId('segment-run-picker').locator('option').allTextContents();
      expect(options.length).toBe(1);
      expect(options[0]).toMatch(/k = 6 · silhouette 0\.\d{3}/);

      // Membership export: one row per customer, the renamed segment, no cell a spreadsheet runs.
      const download = page.waitForEvent('download');
      await page.getByTestId('download-membership').click();
      const { readFile } = await import('node:fs/promises');
      const csv = await readFile(await (await download).path(), 'utf8');
      const lines = csv.split(/\r?\n/).filter(Boolean);
      expect(lines[0]).toMatch(/^customer_id,segment,segment_name,recency,frequency/);
      expect(lines.length - 1).toBe(legendTotal);
      expect(csv).toContain('My best customers');
      expect(lines.slice(1).every((l) => /^C\d{5},[1-6],/.test(l))).toBe(true);

      // Classic RFM groups cover every customer.
      const rfm = page.getByTestId('rfm-groups');
      await rfm.locator('table').waitFor({ timeout: 30_000 });
      const rfmTotal = (await rfm.locator('tbody td.num:nth-child(2)').allTextContents()).reduce((s, t) => s + Number(t.replace(/,/g, '')), 0);
      expect(rfmTotal).toBe(legendTotal);
    },
  },
  'compares two saved runs of the same customers': {
    timeout: 240_000,
    run: async (/** @type {TestArgs} */ { page, expect }) => {
      await openDemo(page);
      await page.getByTestId('nav-segments').click();
      await page.getByTestId('segments-empty').waitFor();
      for (const seed of ['0', '1']) {
        await page.getByTestId('k-fixed').check();
        await page.getByTestId('k-value').fill('6');
        await page.getByTestId('n-init').fill('1');
        await page.getByTestId('seed').fill(seed);
        await page.getByTestId('run-segmentation').click();
        await expect.poll(() => page.getByTestId('segment-run-picker').locator('option').count(), (n) => expect(n).toBe(Number(seed) + 1), {
          timeout: 180_000,
        });
      }
      await page.getByTestId('compare-picker').selectOption({ index: 1 });
      const text = (await page.getByTestId('compare-ari').textContent()) ?? '';
      const ari = Number(text.match(/index (-?\d\.\d{3})/)?.[1]);
      expect(ari).toBeGreaterThan(0);
      expect(ari).toBeLessThanOrEqual(1);

      // The model leaves as a JSON file and comes back as a third saved run with the same segments.
      const download = page.waitForEvent('download');
      await page.getByTestId('download-model').click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(/^segmentation-k6-\d+\.json$/);
      const { mkdtemp } = await import('node:fs/promises');
      const { tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      const path = join(await mkdtemp(join(tmpdir(), 'shoplens-e2e-')), file.suggestedFilename());
      await file.saveAs(path);
      const cardsBefore = await page.getByTestId('segment-name').evaluateAll((els) => els.map((e) => /** @type {HTMLInputElement} */ (e).value));
      await page.getByTestId('import-model').setInputFiles(path);
      await expect.poll(() => page.getByTestId('segment-run-picker').locator('option').count(), (n) => expect(n).toBe(3));
      await expect.poll(
        () => page.getByTestId('segment-name').evaluateAll((els) => els.map((e) => /** @type {HTMLInputElement} */ (e).value)),
        (names) => expect(names).toEqual(cardsBefore),
      );
      expect(await page.getByTestId('segment-run-picker').locator('option:checked').textContent()).toContain(`imported from ${file.suggestedFilename()}`);
    },
  },
  'chooses the features, log1p, scaling and clipping of a run, and shows the choice': {
    timeout: 240_000,
    run: async (/** @type {TestArgs} */ { page, expect }) => {
      await openDemo(page);
      await page.getByTestId('nav-segments').click();
      await page.getByTestId('segments-empty').waitFor();
      const runOnce = async (/** @type {number} */ expected) => {
        await page.getByTestId('k-fixed').check();
        await page.getByTestId('k-value').fill('3');
        await page.getByTestId('n-init').fill('1');
        await page.getByTestId('run-segmentation').click();
        await expect.poll(() => page.getByTestId('segment-run-picker').locator('option').count(), (n) => expect(n).toBe(expected), {
          timeout: 180_000,
        });
      };
      await runOnce(1);
      await page.getByTestId('prep-custom').check();
      await page.getByTestId('use-aov').uncheck();
      await page.getByTestId('use-tenure').uncheck();
      await page.getByTestId('prep-scaling').selectOption('robust');
      await page.getByTestId('prep-clip').fill('3');
      await page.getByTestId('prep-clip').dispatchEvent('change');
      await runOnce(2);
      const how = (await page.getByTestId('segments-how').textContent()) ?? '';
      expect(how).not.toContain('Average order value');
      expect(how).not.toContain('Tenure');
      expect(how).toContain('Recency');
      expect(how).toContain('clipped at ±3');
      expect(how).toContain('median/IQR scaling');
    },
  },
};
