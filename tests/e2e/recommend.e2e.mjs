// Recommendations on the demo shop, as a shop owner would use them: train popularity, item-to-item
// and ALS with a short ALS and a small factors sweep, read the comparison (table, chart against
// popularity, the protocol sentence), search a customer and read their recommendations with a
// "because you bought" reason, ask for a new customer's list, step through ALS, and find the run
// again after a reload. The harness fails every test on a console error, an outside request or a
// frozen main thread.

/** @typedef {import('./run.mjs').TestArgs} TestArgs */

/** The first number `re` captures in `text` (NaN when none). @param {string | null} text @param {RegExp} re */
const numberIn = (text, re) => Number((text ?? '').match(re)?.[1] ?? NaN);

export const tests = {
  'trains recommenders on the demo shop, compares them and explains one customer’s list': {
    timeout: 240_000,
    run: async (/** @type {TestArgs} */ { page, expect }) => {
      await page.goto('/#/data');
      await page.getByTestId('open-demo').click();
      await page.getByTestId('import-result').waitFor({ timeout: 90_000 });
      await page.getByTestId('nav-recommend').click();
      await page.getByTestId('rec-empty').waitFor();

      // Defaults, but a short ALS and a two-point sweep to keep the run quick on two cores.
      await page.getByTestId('rec-factors').fill('16');
      await page.getByTestId('rec-iterations').fill('5');
      await page.getByTestId('rec-sweep-factors').fill('4, 8');
      expect(await page.getByTestId('rec-algo-mf').isDisabled()).toBe(true);
      await page.getByTestId('rec-run').click();
      await page.getByTestId('rec-comparison-chart').waitFor({ timeout: 180_000 });

      const table = page.getByTestId('rec-table');
      const rows = await table.locator('tbody th').allTextContents();
      expect(rows).toEqual(['Popularity', 'Item-to-item (cosine)', 'Implicit ALS']);
      const headers = await table.locator('thead th').allTextContents();
      const ndcgCol = headers.indexOf('NDCG');
      expect(ndcgCol).toBeGreaterThan(0);
      const ndcgOf = async (/** @type {number} */ r) => numberIn(await table.locator('tbody tr').nth(r).locator('th, td').nth(ndcgCol).textContent(), /([\d.]+)/);
      // The demo shop plants category preferences: personalised models must beat popularity.
      const [pop, knn, als] = [await ndcgOf(0), await ndcgOf(1), await ndcgOf(2)];
      expect(pop).toBeGreaterThan(0);
      expect(Math.max(knn, als)).toBeGreaterThan(pop);
      expect(await table.locator('td.best').count()).toBeGreaterThanOrEqual(6);
      expect(await page.getByTestId('rec-comparison-chart').locator('svg').count()).toBeGreaterThan(0);
      expect(await page.getByTestId('rec-sweep-chart').locator('svg').count()).toBeGreaterThan(0);
      const protocol = await page.getByTestId('rec-protocol').textContent();
      expect(protocol).toMatch(/random 25 % of each customer’s items held out \(seed 42; customers with at least 4 items\)/);
      expect(protocol).toMatch(/full ranking, no sampled negatives/);
      const evaluated = Number((protocol ?? '').match(/([\d,]+) customers were evaluated/)?.[1].replace(/,/g, '') ?? NaN);
      expect(evaluated).toBeGreaterThan(0);

      // Search a customer by id with the keyboard.
      const search = page.getByTestId('rec-customer-search');
      await search.fill('C00042');
      await page.getByTestId('rec-customer-options').waitFor();
      await search.press('Enter');
      const list = page.getByTestId('rec-list');
      await list.locator('li').first().waitFor({ timeout: 30_000 });
      expect(await list.locator('li').count()).toBe(10);
      expect(await page.getByTestId('rec-source').textContent()).toMatch(/^C00042: Personal: implicit ALS \(16 factors\)/);
      expect(await page.getByTestId('rec-history').locator('li').count()).toBeGreaterThan(0);
      const reasons = await page.getByTestId('rec-reason').allTextContents();
      expect(reasons.length).toBeGreaterThan(0);
      for (const r of reasons) expect(r).toMatch(/^because you bought .+/);
      // Choosing an item of the history lists the items most like it.
      const first = page.getByTestId('rec-history').locator('button').first();
      const firstName = await first.textContent();
      await first.click();
      const similar = page.getByTestId('rec-similar');
      await similar.locator('li').first().waitFor({ timeout: 10_000 });
      expect(await similar.locator('h4').textContent()).toBe(`Items most like ${firstName}`);

      // A customer without history gets the global favourites, labelled as such.
      await page.getByTestId('rec-new-customer').click();
      await expect.poll(async () => await page.getByTestId('rec-source').textContent(), (t) => expect(t).toMatch(/No history: the most popular items overall/), { timeout: 10_000 });
      expect(await list.locator('li').count()).toBe(10);

      // Step through ALS on a small block: the loss never rises from one iteration to the next.
      await page.getByTestId('rec-teach-start').click();
      const counter = page.getByTestId('rec-teach-counter');
      await counter.waitFor({ timeout: 60_000 });
      const total = numberIn(await counter.textContent(), /of (\d+)/);
      expect(total).toBe(10);
      expect(await counter.textContent()).toBe(`Iteration 1 of ${total}`);
      const loss1 = numberIn(await page.getByTestId('rec-teach-loss').textContent(), /loss ([\d.e+-]+)/);
      await page.getByTestId('rec-teach-step').click();
      expect(await counter.textContent()).toBe(`Iteration 2 of ${total}`);
      const loss2 = numberIn(await page.getByTestId('rec-teach-loss').textContent(), /loss ([\d.e+-]+)/);
      expect(loss2).toBeLessThanOrEqual(loss1);
      await page.getByTestId('rec-teach-back').click();
      expect(await counter.textContent()).toBe(`Iteration 1 of ${total}`);
      await page.getByTestId('rec-teach-play').click();
      await expect.poll(async () => numberIn(await counter.textContent(), /Iteration (\d+)/), (n) => expect(n).toBeGreaterThan(2), { timeout: 10_000 });
      await page.getByTestId('rec-teach-pause').click();
      const paused = await counter.textContent();
      await page.waitForTimeout(1000);
      expect(await counter.textContent()).toBe(paused);

      // The model goes out as JSON and comes back in as a second saved run with the same figures.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('rec-download-model').click()]);
      const saved = await download.path();
      await page.getByTestId('rec-import-model').setInputFiles(saved);
      const picker = page.getByTestId('rec-run-picker');
      await expect.poll(async () => await picker.locator('option').count(), (n) => expect(n).toBe(2), { timeout: 30_000 });
      expect(await ndcgOf(2)).toBe(als);

      // The runs are kept: after a reload they are on screen again.
      await page.reload();
      await page.getByTestId('rec-table').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('rec-run-picker').locator('option').count()).toBe(2);
    },
  },
};
