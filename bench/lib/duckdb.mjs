// The peer: DuckDB-WASM's read_csv into a table, on the same file, in the same browser.
// The page (bench/duckdb/) does the timing; see main.js there.

/**
 * @param {import('playwright-core').Browser} browser
 * @param {{ url: string, csvPath: string, timeoutMs?: number }} opts
 */
export async function loadWithDuckdb(browser, { url, csvPath, timeoutMs = 600_000 }) {
  const context = await browser.newContext();
  const problems = [];
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${url}/`);
    await page.waitForFunction(() => 'duckdbBench' in window);
    await page.locator('#file').setInputFiles(csvPath);
    page.setDefaultTimeout(timeoutMs);
    const floor = await page.evaluate(() => /** @type {any} */ (window).duckdbBench.readFloor());
    const result = await page.evaluate(() => /** @type {any} */ (window).duckdbBench.run());
    return { ...result, readFloorSeconds: floor.seconds };
  } catch (error) {
    if (problems.length) error.message += `\n  browser said:\n  ${problems.join('\n  ')}`;
    throw error;
  } finally {
    await context.close();
  }
}
