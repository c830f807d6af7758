// What a person does after a load stays exact and in their hands (issue #18): a download can be
// cancelled, the worker stops building it and nothing is saved; a download asked for before a
// filter change is built with the settings it was asked under, and one after with the new ones;
// a table with more rows than its window says so and reaches its last row by scrolling; the long
// downloads are written to disk as they are built, and Forget removes those files.
//
// Run by scripts/test.sh after the release build: DIST=<dist folder> node --test
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, show, download, downloadsOnDisk, parseCsv, waitReady as ready } from './harness.mjs';

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

test('long downloads are written to disk as they are built, the same bytes each time; Forget removes the files', async () => {
  const { page, context, problems } = await h.openPage();
  // One generation time, so that a download made twice has the same bytes.
  await page.clock.setFixedTime(new Date('2026-11-21T10:00:00Z'));
  await page.click('#load-sample');
  await ready(page);
  const long = ['agent-ledger-export.zip', 'agent-ledger.sqlite', 'usage_tokens.csv'];
  const first = {};
  for (const name of long) {
    const before = new Set((await downloadsOnDisk(page)).map((f) => f.name));
    first[name] = await download(page, name);
    const added = (await downloadsOnDisk(page)).filter((f) => !before.has(f.name));
    assert.equal(added.length, 1, `${name}: one file on disk (${JSON.stringify(added)})`);
    const size = added[0].size;
    if (name === 'usage_tokens.csv') assert.equal(size, first[name].length, 'the CSV is its file on disk');
    // The zip's entries are on disk, the container's headers (about a hundred bytes an entry) not.
    if (name.endsWith('.zip')) assert.ok(size > first[name].length - 25 * 200 && size < first[name].length, `the zip's entries on disk: ${size} of ${first[name].length} bytes`);
    // The database's first block is written last, in memory; the sample's fits in it.
    if (name.endsWith('.sqlite')) assert.ok(size <= first[name].length);
  }
  // Made again, each is a new file with the same bytes (the page from disk, which has no such
  // storage, keeps them in memory: single.test.mjs).
  for (const name of long) assert.ok((await download(page, name)).equals(first[name]), `${name}: the same bytes again`);
  assert.equal((await downloadsOnDisk(page)).length, 6);
  await page.click('#forget');
  await page.waitForFunction(() => /^Freed/.test(document.querySelector('#forget-result').textContent));
  assert.match(await page.textContent('#forget-result'), /^Freed [\d.]+ [KMG]?B \(finished downloads' files; nothing else was stored\)\.$/);
  assert.deepEqual(await downloadsOnDisk(page), [], 'Forget removed the downloads\' files');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the downloads\' files of earlier visits are removed when the page starts, recent ones kept', async () => {
  const { page, context, problems } = await h.openPage();
  const now = Date.now();
  const old = `${String(now - 11 * 60 * 1000).padStart(13, '0')}-0000beef.part`;
  const recent = `${String(now - 60 * 1000).padStart(13, '0')}-0000cafe.part`;
  await page.evaluate(async (names) => {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle('agent-ledger-downloads', { create: true });
    for (const name of names) {
      const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
      await writable.write('left by an earlier visit');
      await writable.close();
    }
  }, [old, recent]);
  await page.reload();
  await page.waitForSelector('#status[data-state="empty"]');
  // The engine's worker sweeps as it starts, beside everything else: wait up to 10 s for it.
  for (let i = 0; i < 100 && (await downloadsOnDisk(page)).some((f) => f.name === old); i++) await page.waitForTimeout(100);
  assert.deepEqual((await downloadsOnDisk(page)).map((f) => f.name), [recent], 'the file begun 11 minutes ago is gone, the one of a minute ago stays');
  assert.deepEqual(problems, []);
  await context.close();
});
