// Rating data in the studio: a MovieLens-style `u.data` file (tab-separated user, item, rating,
// unix time; generated here from a seed, with known user and item biases) is recognised, the
// Recommendations view offers explicit MF already checked, and the comparison reports its RMSE and
// MAE — which must beat predicting every rating with the overall mean.
// The harness fails every test on a console error, an outside request or a frozen main thread.

/** @typedef {import('./run.mjs').TestArgs} TestArgs */

/** A seeded u.data: 300 users × 120 items, ~25 ratings each, rating = bias_u + bias_i + noise. */
function ratingsFile() {
  let state = 12345;
  const next = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const itemBias = Array.from({ length: 120 }, () => (next() - 0.5) * 2);
  const lines = [];
  const ratings = [];
  for (let u = 1; u <= 300; u++) {
    const userBias = (next() - 0.5) * 1.6;
    const seen = new Set();
    for (let n = 0; n < 25; n++) {
      const i = 1 + Math.floor(next() * 120);
      if (seen.has(i)) continue;
      seen.add(i);
      const r = Math.min(5, Math.max(1, Math.round(3.5 + userBias + itemBias[i - 1] + (next() - 0.5))));
      ratings.push(r);
      lines.push(`${u}\t${i}\t${r}\t${881250949 + u * 1000 + n}`);
    }
  }
  const mean = ratings.reduce((a, b) => a + b, 0) / ratings.length;
  const sdOfMean = Math.sqrt(ratings.reduce((a, r) => a + (r - mean) ** 2, 0) / ratings.length);
  return { text: lines.join('\n') + '\n', sdOfMean };
}

export const tests = {
  'compares explicit MF on a ratings file and reports RMSE below the mean predictor': {
    timeout: 240_000,
    run: async (/** @type {TestArgs} */ { page, expect }) => {
      const { text, sdOfMean } = ratingsFile();
      await page.goto('/#/data');
      await page.getByTestId('file-input').setInputFiles({ name: 'u.data', mimeType: 'text/plain', buffer: Buffer.from(text) });
      await page.getByTestId('mapping').waitFor();
      await page.getByTestId('start-import').click();
      await page.getByTestId('import-result').waitFor({ timeout: 90_000 });

      await page.getByTestId('nav-recommend').click();
      await page.getByTestId('rec-empty').waitFor();
      const mf = page.getByTestId('rec-algo-mf');
      expect(await mf.isDisabled()).toBe(false);
      expect(await mf.isChecked()).toBe(true);
      await page.getByTestId('rec-factors').fill('8');
      await page.getByTestId('rec-iterations').fill('5');
      await page.getByTestId('rec-sweep').uncheck();
      await page.getByTestId('rec-run').click();
      await page.getByTestId('rec-comparison-chart').waitFor({ timeout: 180_000 });

      const table = page.getByTestId('rec-table');
      const rows = await table.locator('tbody th').allTextContents();
      expect(rows).toContain('Explicit MF (biased)');
      const headers = await table.locator('thead th').allTextContents();
      const rmseCol = headers.indexOf('RMSE');
      const maeCol = headers.indexOf('MAE');
      expect(rmseCol).toBeGreaterThan(0);
      expect(maeCol).toBeGreaterThan(0);
      const mfRow = table.locator('tbody tr').nth(rows.indexOf('Explicit MF (biased)'));
      const cell = async (/** @type {number} */ c) => Number((await mfRow.locator('th, td').nth(c).textContent())?.match(/([\d.]+)/)?.[1] ?? NaN);
      const rmse = await cell(rmseCol);
      const mae = await cell(maeCol);
      // The overall mean's error is the ratings' standard deviation; biases the data was built from
      // must take a good part of it away.
      expect(rmse).toBeGreaterThan(0);
      expect(rmse).toBeLessThan(0.9 * sdOfMean);
      expect(mae).toBeGreaterThan(0);
      expect(mae).toBeLessThanOrEqual(rmse);
    },
  },
};
