// One ShopLens import in a fresh browser context, driven the way a user does it: Data view, choose
// the file, Start import. Times click → result card in the page's own clock, splits the time at the
// moment the progress line says "finishing…" (parsing done, chunks written; then the overview pass
// and the completion marker), samples JS heap of the page and the ingest worker, and finally counts
// the rows that really are in IndexedDB.
import { createHeapSampler } from './heap.mjs';

const INGEST_WORKER = 'ingest worker';
const workerLabel = (url) => (/ingest\.worker/.test(url) ? INGEST_WORKER : /compute\.worker/.test(url) ? 'compute worker' : null);

/** Installed in the page just before the click: records when each stage first shows in the DOM. */
function armTimers() {
  const marks = { start: 0, firstProgress: 0, finishing: 0, end: 0, failed: '' };
  Object.defineProperty(window, '__benchMarks', { value: marks, configurable: true });
  const check = () => {
    const now = performance.now();
    const progress = document.querySelector('[data-testid=import-progress] .figures');
    const text = progress?.textContent ?? '';
    if (!marks.firstProgress && /rows read/.test(text)) marks.firstProgress = now;
    if (!marks.finishing && /finishing/.test(text)) marks.finishing = now;
    const failed = document.querySelector('[data-testid=import-failed]');
    if (failed && !marks.failed) marks.failed = failed.textContent?.trim() || 'import failed';
    if (!marks.end && document.querySelector('[data-testid=import-result]')) {
      marks.end = now;
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  const button = /** @type {HTMLButtonElement | null} */ (document.querySelector('[data-testid=start-import]'));
  if (!button) throw new Error('no start-import button');
  marks.start = performance.now();
  button.click();
}

/** Sums the `rows` of the stored chunks of the one complete dataset, straight from IndexedDB. */
async function countStoredRows() {
  const open = indexedDB.open('shoplens');
  /** @type {IDBDatabase} */
  const db = await new Promise((resolve, reject) => {
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const all = (req) => new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  try {
    const tx = db.transaction(['datasets', 'chunks'], 'readonly');
    const datasets = (await all(tx.objectStore('datasets').getAll())).filter((d) => d.status === 'complete');
    if (datasets.length !== 1) throw new Error(`expected one complete dataset, found ${datasets.length}`);
    let rows = 0;
    let chunks = 0;
    await new Promise((resolve, reject) => {
      const req = tx.objectStore('chunks').index('byDataset').openCursor(datasets[0].id);
      req.onerror = () => reject(req.error);
      req.onsuccess = () => {
        const cursor = req.result;
        if (!cursor) return resolve(undefined);
        rows += cursor.value.rows;
        chunks++;
        cursor.continue();
      };
    });
    return { rows, chunks, bytes: datasets[0].bytes };
  } finally {
    db.close();
  }
}

/**
 * @param {import('playwright-core').Browser} browser
 * @param {{ url: string, csvPath: string, profile?: boolean, timeoutMs?: number }} opts
 */
export async function importWithShopLens(browser, { url, csvPath, profile = false, timeoutMs = 600_000 }) {
  const context = await browser.newContext();
  const problems = [];
  context.on('page', (p) => {
    p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    p.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  });
  try {
    const page = await context.newPage();
    const heap = await createHeapSampler(page, { workerLabel });
    await page.goto(`${url}/#/data`);
    await page.getByTestId('file-input').waitFor({ state: 'attached' });
    await page.getByTestId('file-input').setInputFiles(csvPath);
    await page.getByTestId('mapping').waitFor();
    await page.getByTestId('start-import').waitFor();
    if (!heap.workerLabels().includes(INGEST_WORKER)) throw new Error(`ingest worker not seen (workers: ${heap.workerLabels().join(', ') || 'none'})`);

    if (profile) {
      await heap.workerCommand(INGEST_WORKER, 'Profiler.enable');
      await heap.workerCommand(INGEST_WORKER, 'Profiler.setSamplingInterval', { interval: 200 });
      await heap.workerCommand(INGEST_WORKER, 'Profiler.start');
    }
    heap.start(100);
    await page.evaluate(armTimers);
    await page.waitForFunction(() => {
      const m = /** @type {any} */ (window).__benchMarks;
      return m.end > 0 || m.failed !== '';
    }, null, { polling: 100, timeout: timeoutMs });
    const peaks = await heap.stop();
    const marks = await page.evaluate(() => ({ .../** @type {any} */ (window).__benchMarks }));
    const cpuProfile = profile ? (await heap.workerCommand(INGEST_WORKER, 'Profiler.stop', {}, 60_000))?.profile ?? null : null;
    if (marks.failed) throw new Error(`import failed: ${marks.failed}`);

    const rows = Number((await page.getByTestId('result-rows').textContent())?.replace(/,/g, ''));
    const resultText = (await page.getByTestId('import-result').textContent()) ?? '';
    const linesRead = Number(/from ([\d,]+) data lines/.exec(resultText)?.[1]?.replace(/,/g, '') ?? NaN);
    const badCell = page.getByTestId('bad-row-count');
    const badRows = (await badCell.count()) > 0 ? Number((await badCell.textContent())?.replace(/,/g, '')) : 0;
    const badReasons = badRows > 0 ? ((await page.getByTestId('bad-reasons').innerText()) ?? '').replace(/\s+/g, ' ') : '';
    const stored = await page.evaluate(countStoredRows);
    await heap.detach();

    const s = (a, b) => (b > 0 && a > 0 ? (b - a) / 1000 : NaN);
    const peakOf = (name) => Math.max(0, ...peaks.filter((p) => p.label === name).map((p) => p.peakUsed));
    const peakBuffersOf = (name) => Math.max(0, ...peaks.filter((p) => p.label === name).map((p) => p.peakWithBuffers));
    return {
      rows,
      linesRead,
      badRows,
      badReasons,
      storedRows: stored.rows,
      storedChunks: stored.chunks,
      storedBytes: stored.bytes,
      seconds: s(marks.start, marks.end),
      startupSeconds: s(marks.start, marks.firstProgress),
      readSeconds: s(marks.start, marks.finishing),
      finishSeconds: s(marks.finishing, marks.end),
      heap: {
        page: peakOf('page'),
        worker: peakOf(INGEST_WORKER),
        workerWithBuffers: peakBuffersOf(INGEST_WORKER),
        samples: peaks.find((p) => p.label === INGEST_WORKER)?.samples ?? 0,
      },
      problems,
      profile: cpuProfile,
    };
  } catch (error) {
    if (problems.length) error.message += `\n  browser said:\n  ${problems.slice(0, 10).join('\n  ')}`;
    throw error;
  } finally {
    await context.close();
  }
}
