// What a user does in the studio: open the demo, import a file with broken rows, read the report,
// reload, cancel an import, rename and delete datasets, check the compute backend.
// The harness fails every test on a console error, an outside request or a frozen main thread.

/** @typedef {import('./run.mjs').TestArgs} TestArgs */

// Hand-written order lines with four known problems (lines 4–7) and a hostile item name.
const BROKEN_CSV = [
  'order_id,customer_id,item_id,item_name,timestamp,quantity,unit_price',
  'o1,c1,A1,"Apple, red",2024-01-05T10:00:00Z,2,1.50',
  'o1,c1,P1,"=HYPERLINK(""http://evil.invalid"")",2024-01-05T10:00:00Z,1,2.00',
  'o2,,A1,"Apple, red",2024-01-06T10:00:00Z,1,1.50',
  'o3,c2,A1,"Apple, red",2024-01-07T10:00:00Z,abc,1.50',
  'o4,c2,P1,Pear,yesterday,1,2.00',
  'o1,c1,A1,"Apple, red",2024-01-05T10:00:00Z,2,1.50',
  'o5,c2,L1,<img src=x onerror=alert(1)>,2024-02-10T09:30:00Z,4,0.25',
  'o6,c1,A1,"Apple, red",2024-03-01T08:00:00Z,1,1.50',
].join('\r\n');

/** @param {TestArgs['page']} page */
async function openStudio(page) {
  await page.goto('/#/data');
  await page.getByRole('heading', { name: 'Data', exact: true }).waitFor();
}

/** @param {TestArgs['page']} page @param {string} name @param {string} text */
async function chooseFile(page, name, text) {
  await page.getByTestId('file-input').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.getByTestId('mapping').waitFor();
}

/**
 * A UTF-8 order file of just over 1 MB whose one bad quantity cell ends in "€" (3 bytes) starting
 * at byte 1,048,575, so that any read of the file in pieces of 1 MB or a power-of-two fraction of it
 * (Chromium's Blob stream delivers 64 KB chunks) ends inside the character. Returns the bytes, the
 * good rows and the bad cell.
 */
function boundaryCsv() {
  const PIECE = 1 << 20;
  const lines = ['order_id,customer_id,item_id,timestamp,quantity,unit_price'];
  let bytes = Buffer.byteLength(lines[0]) + 1;
  let good = 0;
  while (bytes < PIECE - 200) {
    const line = `o${good >> 2},c${good % 97},i${good % 7},2024-01-05T10:00:00Z,1,1.50`;
    lines.push(line);
    bytes += Buffer.byteLength(line) + 1;
    good++;
  }
  const head = 'ox,c1,i1,2024-01-05T10:00:00Z,';
  const cell = `${'q'.repeat(PIECE - 1 - bytes - head.length)}€`;
  lines.push(`${head}${cell},1.50`);
  for (let i = 0; i < 50; i++, good++) lines.push(`t${i},c${i % 97},i${i % 7},2024-01-06T10:00:00Z,2,1.50`);
  const buffer = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  if (buffer.subarray(PIECE - 1, PIECE + 2).toString('utf8') !== '€') throw new Error('boundaryCsv: € is not across the 1 MB boundary');
  return { buffer, good, cell };
}

/** @param {TestArgs['page']} page @param {string} name @param {Buffer} buffer */
async function importBytes(page, name, buffer) {
  await page.getByTestId('file-input').setInputFiles({ name, mimeType: 'text/csv', buffer });
  await page.getByTestId('mapping').waitFor();
  await page.getByTestId('start-import').click();
  await page.getByTestId('import-result').waitFor({ timeout: 60_000 });
}

/** Writes a large order-lines CSV to a temp file and returns its path. */
async function writeBigCsv(rows = 600_000) {
  const { mkdtemp, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const lines = ['order_id,customer_id,item_id,timestamp,quantity,unit_price'];
  for (let i = 0; i < rows; i++) {
    lines.push(`o${i >> 2},c${i % 9973},i${i % 301},2024-0${1 + (i % 9)}-1${i % 10}T10:00:00Z,${1 + (i % 3)},${(i % 50) + 0.99}`);
  }
  const path = join(await mkdtemp(join(tmpdir(), 'shoplens-e2e-')), 'big.csv');
  await writeFile(path, lines.join('\n'));
  return path;
}

/** Counts the records in every IndexedDB object store of the app. @param {TestArgs['page']} page */
async function countRecords(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open('shoplens');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const idb = /** @type {IDBDatabase} */ (db);
    /** @type {Record<string, number>} */
    const counts = {};
    for (const name of Array.from(idb.objectStoreNames)) {
      counts[name] = await new Promise((resolve) => {
        const req = idb.transaction(name).objectStore(name).count();
        req.onsuccess = () => resolve(req.result);
      });
    }
    idb.close();
    return counts;
  });
}

/** @param {TestArgs['page']} page */
async function importBrokenFile(page) {
  await chooseFile(page, 'broken-orders.csv', BROKEN_CSV);
  await page.getByTestId('start-import').click();
  await page.getByTestId('import-result').waitFor({ timeout: 30_000 });
}

/** @param {TestArgs['page']} page */
async function datasetNames(page) {
  await page.getByTestId('dataset-list').or(page.getByTestId('no-datasets')).waitFor();
  return page.getByTestId('dataset-name-cell').allTextContents();
}

export const tests = {
  'imports UTF-8 split across a 1 MB read, Windows-1252 and UTF-16 text without losing a character': {
    timeout: 120_000,
    run: async (/** @type {TestArgs} */ { page, expect }) => {
      await openStudio(page);
      const { buffer, good, cell } = boundaryCsv();
      await importBytes(page, 'boundary.csv', buffer);
      expect(await page.getByTestId('result-rows').textContent()).toBe(good.toLocaleString('en-US'));
      const bad = await page.getByTestId('bad-rows').locator('tbody tr').allInnerTexts();
      expect(bad.length).toBe(1);
      expect(bad[0]).toContain(cell.slice(-12)); // "qqq…q€": the euro sign came through whole
      // Excel's "CSV" is often Windows-1252: é is the single byte 0xE9.
      const latin = 'order_id,customer_id,item_id,timestamp,quantity,unit_price\r\no1,c1,i1,2024-01-05T10:00:00Z,1,1.50\r\no2,c1,i1,2024-01-06T10:00:00Z,café,1.50\r\n';
      await page.goto('/#/data');
      await importBytes(page, 'latin.csv', Buffer.from(latin, 'latin1'));
      expect((await page.getByTestId('bad-rows').locator('tbody tr').allInnerTexts())[0]).toContain('café');
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(latin.replace('café', 'naïve €'), 'utf16le')]);
      await page.goto('/#/data');
      await importBytes(page, 'utf16.csv', utf16);
      expect((await page.getByTestId('bad-rows').locator('tbody tr').allInnerTexts())[0]).toContain('naïve €');
    },
  },
  'opens the demo shop and shows its overview': {
    timeout: 120_000,
    run: async (/** @type {TestArgs} */ { page, expect }) => {
      await openStudio(page);
      await page.getByTestId('welcome').waitFor();
      // No data yet: the compute backend is not probed (its CPU would slow the first import).
      expect(await page.getByTestId('status-backend').textContent()).toContain('not checked yet');
      await page.getByTestId('open-demo').click();
      await page.getByTestId('import-progress').waitFor();
      expect(await page.getByTestId('status-backend').textContent()).toContain('not checked yet');
      await page.getByTestId('import-result').waitFor({ timeout: 90_000 });
      expect(await page.getByTestId('bad-row-count').count()).toBe(0);
      // With a dataset stored and no import running, the probe starts when the page is idle.
      await expect.poll(() => page.getByTestId('status-backend').textContent(), (t) => expect(t).toMatch(/WebGPU|WebGL|WASM|CPU/), { timeout: 60_000 });
      await page.getByTestId('go-overview').click();
      await page.getByTestId('kpis').waitFor();
      const customers = Number((await page.getByTestId('kpi-customers').textContent())?.replace(/,/g, ''));
      expect(customers).toBeGreaterThan(4000);
      expect(customers).toBeLessThanOrEqual(5000);
      // Three charts, each an accessible image with a title.
      const charts = page.locator('svg[role="img"]');
      await expect.poll(() => charts.count(), (n) => expect(n).toBeGreaterThanOrEqual(3));
      expect(await page.getByTestId('status-dataset').textContent()).toContain('Demo shop');
    },
  },

  'imports a file with broken rows and reports each by line and column': async (/** @type {TestArgs} */ { page, expect }) => {
    await openStudio(page);
    await chooseFile(page, 'broken-orders.csv', BROKEN_CSV);
    expect(await page.getByTestId('role-1').inputValue()).toBe('customer');
    expect(await page.getByTestId('role-4').inputValue()).toBe('timestamp');
    await page.getByTestId('start-import').click();
    await page.getByTestId('import-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('result-rows').textContent()).toBe('4');
    expect(await page.getByTestId('bad-row-count').textContent()).toBe('4');
    const rows = await page.getByTestId('bad-rows').locator('tbody tr').allInnerTexts();
    expect(rows.length).toBe(4);
    expect(rows[0]).toMatch(/^4\s/); // missing customer on line 4
    expect(rows[1]).toMatch(/^5\s+6\s/); // "abc" quantity: line 5, column 6
    expect(rows[1]).toContain('abc');
    expect(rows[2]).toMatch(/^6\s+5\s/); // unparseable date: line 6, column 5
    expect(rows[3]).toMatch(/^7\s/); // duplicate of line 2
    // The hostile item name is data, never markup.
    expect(await page.locator('img[src="x"]').count()).toBe(0);

    const download = page.waitForEvent('download');
    await page.getByTestId('download-bad-rows').click();
    const file = await download;
    const path = await file.path();
    const { readFile } = await import('node:fs/promises');
    const csv = await readFile(path, 'utf8');
    expect(csv.split(/\r?\n/).filter(Boolean).length).toBe(5); // header + 4 bad rows
    expect(csv).toContain('abc');
  },

  'keeps a dataset across a reload, renames and deletes it': async (/** @type {TestArgs} */ { page, expect }) => {
    await openStudio(page);
    await importBrokenFile(page);
    await page.reload();
    expect(await datasetNames(page)).toEqual(['broken-orders']);

    await page.getByTestId('rename-dataset').click();
    await page.getByTestId('rename-input').fill('January orders');
    await page.getByTestId('rename-input').press('Enter');
    await expect.poll(() => datasetNames(page), (names) => expect(names).toEqual(['January orders']));
    await page.reload();
    expect(await datasetNames(page)).toEqual(['January orders']);

    await page.getByTestId('delete-dataset').click();
    await page.getByTestId('confirm-delete').click();
    await page.getByTestId('no-datasets').waitFor();
    await page.reload();
    await page.getByTestId('no-datasets').waitFor();
  },

  'cancelling an import leaves no dataset': {
    timeout: 120_000,
    run: async (/** @type {TestArgs} */ { page, expect }) => {
      await openStudio(page);
      // A path, not a buffer: Playwright would decode a large buffer on the page's main thread.
      const path = await writeBigCsv();
      await page.getByTestId('file-input').setInputFiles(path);
      await page.getByTestId('mapping').waitFor();
      await page.getByTestId('start-import').click();
      await page.getByTestId('import-progress').waitFor();
      await page.getByTestId('cancel-import').click();
      await page.getByTestId('import-progress').waitFor({ state: 'detached', timeout: 60_000 });
      expect(await page.getByTestId('import-result').count()).toBe(0);
      expect(await datasetNames(page)).toEqual([]);
      await page.reload();
      expect(await datasetNames(page)).toEqual([]);
    },
  },

  'an import interrupted by closing the tab leaves nothing behind': {
    timeout: 120_000,
    run: async (/** @type {TestArgs} */ { page, context, expect }) => {
      await openStudio(page);
      await importBrokenFile(page); // an earlier dataset that must survive
      await page.getByTestId('file-input').setInputFiles(await writeBigCsv());
      await page.getByTestId('mapping').waitFor();
      await page.getByTestId('start-import').click();
      // Wait until chunks are being written, then close the tab mid-import.
      await expect.poll(
        async () => Number((await page.getByTestId('import-progress').textContent())?.match(/([\d,]+) rows read/)?.[1].replace(/,/g, '') ?? 0),
        (rows) => expect(rows).toBeGreaterThan(70_000),
        { timeout: 60_000 },
      );
      await page.close();

      const next = await context.newPage();
      await openStudio(next);
      expect(await datasetNames(next)).toEqual(['broken-orders']);
      // The next start cleaned the leftovers: only the surviving dataset's records remain.
      const counts = await countRecords(next);
      expect(counts.datasets).toBe(1);
      expect(counts.chunks).toBe(1);
      expect(counts.dictionaries).toBe(1);
    },
  },

  'asks for the day/month order when dates are ambiguous': async (/** @type {TestArgs} */ { page, expect }) => {
    await openStudio(page);
    const csv = ['customer,item,date', 'c1,a,03/04/2024', 'c2,b,05/06/2024', 'c1,b,07/08/2024'].join('\n');
    await chooseFile(page, 'ambiguous.csv', csv);
    await page.getByTestId('ambiguous-date').waitFor();
    expect(await page.getByTestId('start-import').isDisabled()).toBe(true);
    await page.getByTestId('date-format').selectOption('dmy');
    expect(await page.getByTestId('start-import').isDisabled()).toBe(false);
    await page.getByTestId('start-import').click();
    await page.getByTestId('import-result').waitFor();
    // 3 April 2024 → 7 August 2024 when read day-first.
    expect(await page.getByTestId('import-result').textContent()).toContain('2024-04-03 – 2024-08-07');
  },

  'shows the compute backend and measures it': {
    timeout: 120_000,
    run: async (/** @type {TestArgs} */ { page, expect }) => {
      await page.goto('/#/settings');
      await page.getByTestId('backend-in-use').waitFor({ timeout: 60_000 });
      const status = await page.getByTestId('status-backend').textContent();
      expect(status).toMatch(/WebGPU|WebGL|WASM|CPU/);
      await page.getByTestId('backend-choice').selectOption('cpu');
      await expect.poll(() => page.getByTestId('backend-in-use').textContent(), (t) => expect(t).toMatch(/In use: CPU/), {
        timeout: 30_000,
      });
      await page.reload();
      await page.getByTestId('backend-in-use').waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('backend-choice').inputValue()).toBe('cpu');
      await page.getByTestId('run-benchmark').click();
      await page.getByTestId('benchmark-result').waitFor({ timeout: 90_000 });
      expect(await page.getByTestId('benchmark-result').textContent()).toContain('GFLOP/s');
    },
  },
};
