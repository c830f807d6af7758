// What a person does after a load stays exact and in their hands (issue #18): a download can be
// cancelled, the worker stops building it and nothing is saved; a download asked for before a
// filter change is built with the settings it was asked under, and one after with the new ones;
// a table with more rows than its window says so and reaches its last row by scrolling.
//
// Run by scripts/test.sh after the release build: DIST=<dist folder> node --test
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, show, download, parseCsv, waitReady as ready } from './harness.mjs';

const h = harness();
before(h.start);
after(h.stop);

test('a download is cancelled: the worker stops it, nothing is saved, the buttons come back, the next download works', async () => {
  const { page, context, problems } = await h.openPage();
  await page.click('#load-sample');
  await ready(page);
  await show(page, 'overview');
  let saved = 0;
  page.on('download', () => { saved++; });
  // Ask for the zip and cancel it within the same moment: the worker sees the Cancel at the first
  // pause of its build (cancel.test.mjs cancels one midway on a bigger load).
  await page.evaluate(async () => {
    document.querySelector('[data-download="agent-ledger-export.zip"]').click();
    const cancel = document.querySelector('#cancel-download');
    while (cancel.closest('[hidden]')) await new Promise((r) => requestAnimationFrame(r));
    cancel.click();
  });
  await page.waitForFunction(() => /^Cancelled/.test(document.querySelector('.download-status').textContent));
  assert.match(await page.textContent('.download-status'), /^Cancelled agent-ledger-export\.zip after \d+ of 25 files: nothing was saved\.$/);
  assert.equal(await page.isEnabled('[data-download="summary.json"]'), true, 'the buttons are back');
  // The worker answered the zip's request with how far it got: nothing of it is left to save.
  assert.equal(saved, 0, 'the cancelled zip was never saved');
  const summary = JSON.parse(await download(page, 'summary.json'));
  assert.ok(summary.totals.total_tokens > 0);
  assert.equal(saved, 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a download asked for before a filter change has every row; after it, only the filtered ones', async () => {
  const { page, context, problems } = await h.openPage();
  await page.click('#load-sample');
  await ready(page);
  const all = JSON.parse(await download(page, 'summary.json'));
  const model = all.by_model[0];
  await show(page, 'overview');
  const version = await page.evaluate(() => Number(document.querySelector('#status').dataset.version));
  // Click the download, then change the filter while it is being prepared.
  const [first] = await Promise.all([
    page.waitForEvent('download'),
    page.evaluate((m) => {
      document.querySelector('[data-download="usage_tokens.csv"]').click();
      const select = document.querySelector('#filter-model');
      select.value = m;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }, model.model),
  ]);
  const before = parseCsv((await import('node:fs')).readFileSync(await first.path(), 'utf8'));
  assert.equal(before.length, all.totals.usage_rows, 'asked before the change: every model request');
  await page.waitForFunction((v) => Number(document.querySelector('#status').dataset.version) > v, version);
  await page.waitForTimeout(300);
  const after = parseCsv((await download(page, 'usage_tokens.csv')).toString('utf8'));
  assert.equal(after.length, model.usage_rows, `after: only ${model.model}'s`);
  assert.ok(after.every((r) => r.model === model.model));
  assert.deepEqual(problems, []);
  await context.close();
});

test('a table with more rows than its window says how many it holds and scrolls to the last', async () => {
  const { page, context, problems } = await h.openPage();
  await page.click('#load-sample');
  await ready(page);
  const n = JSON.parse(await download(page, 'summary.json')).totals.usage_rows;
  assert.ok(n > 80, `the sample has more model requests (${n}) than a window of 80 rows`);
  await show(page, 'tokens');
  await page.waitForFunction(() => /scroll for more/.test(document.querySelector('#usage .table-count')?.textContent || ''));
  assert.equal(await page.textContent('#usage .table-count'), `Rows 1–80 of ${n}; scroll for more.`);
  assert.equal(await page.locator('#usage tbody tr[data-row]').count() <= 80, true, 'only a window of rows is in the page');
  await page.$eval('#usage .table-scroll', (el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForSelector(`#usage tbody tr[data-row="${n - 1}"]`);
  assert.match(await page.textContent('#usage .table-count'), new RegExp(`–${n} of ${n}\\.`));
  assert.deepEqual(problems, []);
  await context.close();
});
