// The customer-feature table and histograms of the Segments view: open the demo shop, show the
// table, sort by monetary value (descending), scroll the virtualised rows, switch the histogram.
// The harness fails every test on a console error, an outside request or a frozen main thread.

/** @typedef {import('./run.mjs').TestArgs} TestArgs */

/** Parses a formatted feature value ("1,234.50", "17 days", "12.0 %") back to a number. */
const num = (/** @type {string | null} */ text) => Number((text ?? '').replace(/[^0-9.\-]/g, ''));

export const tests = {
  'shows a sortable, virtualised customer table and a histogram per feature': {
    timeout: 180_000,
    run: async (/** @type {TestArgs} */ { page, expect }) => {
      await page.goto('/#/data');
      await page.getByTestId('open-demo').click();
      await page.getByTestId('import-result').waitFor({ timeout: 90_000 });
      await page.getByTestId('nav-segments').click();

      const card = page.getByTestId('customer-features');
      expect(await card.locator('h3').textContent()).toMatch(/Customer features \(as of \d{4}-\d{2}-\d{2}\)/);
      const toggle = page.getByTestId('features-toggle');
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      await toggle.click();
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      await page.getByTestId('feature-table').waitFor({ timeout: 30_000 });

      // Virtualised: thousands of customers, a few dozen rendered rows, a scrollbar for all.
      const total = Number((await page.getByTestId('feature-table').getAttribute('aria-rowcount')) ?? 0) - 1;
      expect(total).toBeGreaterThan(4000);
      const rendered = await page.getByTestId('feature-row').count();
      expect(rendered).toBeGreaterThan(10);
      expect(rendered).toBeLessThanOrEqual(40);
      const scroll = page.getByTestId('feature-table-scroll');
      const rowH = await page.getByTestId('feature-row').first().evaluate((el) => el.getBoundingClientRect().height);
      expect(rowH).toBeCloseTo(28, 0.5);
      const scrollHeight = await scroll.evaluate((el) => el.scrollHeight);
      expect(scrollHeight).toBeGreaterThanOrEqual(total * 28);

      // Sort by monetary: first click ascending, second descending (aria-sort says so).
      const header = page.getByTestId('sort-monetary');
      const th = page.locator('th', { has: header });
      await header.click();
      expect(await th.getAttribute('aria-sort')).toBe('ascending');
      // Keyboard: Enter on the focused header button flips the order.
      await header.focus();
      await page.keyboard.press('Enter');
      expect(await th.getAttribute('aria-sort')).toBe('descending');
      const col = await th.evaluate((el) => /** @type {HTMLTableCellElement} */ (el).cellIndex);
      const cellText = (/** @type {number} */ row) =>
        page.getByTestId('feature-row').nth(row).locator(':scope > *').nth(col).textContent();
      const first = num(await cellText(0));
      const second = num(await cellText(1));
      expect(first).toBeGreaterThanOrEqual(second);
      expect(first).toBeGreaterThan(0);

      // Scroll to the bottom: the last rows are rendered, still a few dozen, still in order.
      await scroll.evaluate((el) => (el.scrollTop = el.scrollHeight));
      await expect.poll(
        () => page.getByTestId('feature-row').last().getAttribute('aria-rowindex'),
        (v) => expect(Number(v)).toBe(total + 1),
      );
      expect(await page.getByTestId('feature-row').count()).toBeLessThanOrEqual(40);
      const lastValue = num(await page.getByTestId('feature-row').last().locator(':scope > *').nth(col).textContent());
      expect(lastValue).toBeLessThanOrEqual(second);
      // The header row is still at the top of the scroll box (sticky).
      const [boxTop, headTop] = await scroll.evaluate((el) => [
        el.getBoundingClientRect().top,
        /** @type {HTMLElement} */ (el.querySelector('thead th')).getBoundingClientRect().top,
      ]);
      expect(Math.abs(headTop - boxTop)).toBeLessThan(3);

      // Histogram: recency by default, an svg with bars; switching the feature redraws it.
      const hist = page.getByTestId('feature-histogram');
      expect(await page.getByTestId('feature-histogram-select').inputValue()).toBe('recency');
      await hist.locator('svg rect.bin').first().waitFor();
      expect(await hist.locator('svg').first().isVisible()).toBe(true);
      await page.getByTestId('feature-histogram-select').selectOption('monetary');
      await expect.poll(() => hist.locator('rect.bin').first().getAttribute('aria-label'), (v) => expect(v).toMatch(/^Monetary /));
      expect(await hist.locator('rect.bin').count()).toBeGreaterThan(4);

      // Collapsing and reopening keeps the computed table (no second computation).
      await toggle.click();
      expect(await page.getByTestId('feature-table').count()).toBe(0);
      await toggle.click();
      await page.getByTestId('feature-table').waitFor({ timeout: 2_000 });
    },
  },
};
