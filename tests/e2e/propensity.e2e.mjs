// The Propensity view as a marketer uses it: open the demo shop, go to Propensity, train with the
// defaults (buy within 30 days, latest cutoff), read the AUC against its baselines, the ROC chart,
// the decile table, choose a budget and download the target list; reload and find the model again.
// The harness fails every test on a console error, an outside request or a frozen main thread.

/** @typedef {import('./run.mjs').TestArgs} TestArgs */

export const tests = {
  'trains a propensity model on the demo shop and downloads the target list': {
    timeout: 150_000,
    run: async (/** @type {TestArgs} */ { page, expect }) => {
      await page.goto('/#/data');
      await page.getByTestId('open-demo').click();
      await page.getByTestId('import-result').waitFor({ timeout: 90_000 });
      await page.goto('/#/propensity');
      await page.getByTestId('propensity-empty').waitFor();

      // The backtest is explained with its actual dates before training.
      expect(await page.getByTestId('backtest-sentence').textContent()).toMatch(/up to \d{4}-\d{2}-\d{2} .* between \d{4}-\d{2}-\d{2} and \d{4}-\d{2}-\d{2}/);
      await page.getByTestId('train-propensity').click();
      await page.getByTestId('propensity-headline').waitFor({ timeout: 90_000 });

      // An honest headline: AUC a real number above guessing on the demo shop's planted behaviour.
      const auc = Number(await page.getByTestId('propensity-auc').textContent());
      expect(auc).toBeGreaterThan(0.6);
      expect(auc).toBeLessThanOrEqual(1);
      expect(await page.getByTestId('propensity-headline').textContent()).toMatch(/ranking by recency alone: 0\.\d{3}/);

      // The ROC chart drew its curve, the lift/decile table has ten deciles and its sentence.
      const roc = page.getByTestId('roc-chart');
      await roc.scrollIntoViewIfNeeded();
      expect(await roc.locator('svg path').count()).toBeGreaterThan(0);
      expect(await page.getByTestId('lift-chart').locator('svg').count()).toBeGreaterThan(0);
      expect(await page.getByTestId('decile-table').locator('tbody tr').count()).toBe(10);
      expect(await page.getByTestId('decile-sentence').textContent()).toMatch(/^The top 10 % of customers by score hold \d+ % of the buyers/);

      // The threshold slider answers the keyboard and moves the confusion matrix.
      const slider = page.getByTestId('threshold-slider');
      const before = await page.getByTestId('threshold-value').textContent();
      await slider.focus();
      await page.keyboard.press('ArrowRight');
      expect(await page.getByTestId('threshold-value').textContent()).not.toBe(before);

      // Budget: the top 10 % of customers; the outcome states the expected buyers and profit.
      const act = page.getByTestId('propensity-act');
      await act.scrollIntoViewIfNeeded();
      expect(await page.getByTestId('score-histogram').locator('svg rect').count()).toBeGreaterThan(0);
      await page.getByTestId('budget-percent').check();
      await page.getByTestId('budget-percent-value').fill('10');
      const outcome = await page.getByTestId('budget-outcome').textContent();
      const n = Number((outcome ?? '').match(/Contact ([\d,]+) customers/)?.[1].replace(/,/g, ''));
      expect(n).toBeGreaterThan(0);
      expect(outcome).toMatch(/expect about \d+\.\d buyers and a profit of -?[\d,]+\.\d{2}/);

      const download = page.waitForEvent('download');
      await page.getByTestId('download-targets').click();
      const { readFile } = await import('node:fs/promises');
      const csv = await readFile(await (await download).path(), 'utf8');
      const lines = csv.split(/\r?\n/).filter(Boolean);
      expect(lines[0]).toBe('customer_id,rank,score,decile,segment');
      expect(lines.length).toBe(n + 1);
      const first = lines[1].split(',');
      const last = lines[lines.length - 1].split(',');
      expect(first[1]).toBe('1');
      expect(Number(first[2])).toBeGreaterThanOrEqual(Number(last[2]));
      expect(first[3]).toBe('1');
      expect(lines.some((l) => /^[=+@-]/.test(l))).toBe(false);

      // Teach: trace gradient descent on recency × frequency, step forward and back.
      const teach = page.getByTestId('propensity-teach');
      await teach.scrollIntoViewIfNeeded();
      await teach.locator('summary').click();
      await page.getByTestId('teach-start').click();
      const counter = page.getByTestId('teach-counter');
      await counter.waitFor({ timeout: 60_000 });
      expect(await counter.textContent()).toBe('Step 0 of 100');
      await page.getByTestId('teach-forward').click();
      await page.getByTestId('teach-forward').click();
      expect(await counter.textContent()).toBe('Step 2 of 100');
      await page.getByTestId('teach-back').click();
      expect(await counter.textContent()).toBe('Step 1 of 100');
      expect(await page.getByTestId('teach-formula').textContent()).toMatch(/w ← w − η·∇L/);

      // Keep: the model survives a reload.
      await page.reload();
      await page.getByTestId('propensity-headline').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('propensity-run-picker').locator('option').count()).toBe(1);
      expect(Number(await page.getByTestId('propensity-auc').textContent())).toBe(auc);
    },
  },
};
