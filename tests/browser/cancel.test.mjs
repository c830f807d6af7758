// The zip is built by the engine's worker in steps (issue #18.4): it shows its files done, Cancel
// stops the worker's build (the worker says how far it got), the worker answers the views while
// it builds, and a filter changed meanwhile reaches the views but not the zip, which keeps the
// settings of its click. The load is the small generated profile under several seeds, so that
// the zip takes a while; the page's clock is fixed, so that two zips of the same data are the
// same bytes. Where no second worker can be started, the engine zips alone, to the same bytes.
//
// Run: DIST=<dist folder> LEDGER_CORPUS=<ledger-corpus binary> node --test cancel.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { harness, here, repo, show, download, downloadFrom, downloadsOnDisk, waitReady as ready } from './harness.mjs';

const h = harness();
const out = path.join(here, 'out', 'cancel');
let corpus;
before(async () => {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  corpus = path.join(out, 'corpus');
  const bin = process.env.LEDGER_CORPUS || path.join(repo, 'target/debug/ledger-corpus');
  // Sixteen seeds: enough that the zip outlasts the round trips of the test driving the page
  // (ten were until the zip counted a dataset's first file done only after its table and Parquet
  // file were written too: the views' answers then lost the race about one run in five).
  for (let seed = 1; seed <= 16; seed++) {
    execFileSync(bin, ['--profile', 'small', '--seed', String(seed), '--out', path.join(corpus, `seed-${seed}`)]);
  }
  await h.start();
});
after(h.stop);

const ZIP = 'agent-ledger-export.zip';
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const version = (page) => page.evaluate(() => Number(document.querySelector('#status').dataset.version));

/** Open the page with its clock fixed and the corpus loaded. */
async function loaded(options = {}) {
  const opened = await h.openPage(options);
  await opened.page.clock.setFixedTime(new Date('2026-11-21T10:00:00Z'));
  await opened.page.setInputFiles('#folder-input', corpus);
  await ready(opened.page);
  await show(opened.page, 'overview');
  return opened;
}

/** Each entry of a zip: its size, SHA-256 and, for a CSV, its data rows (read by Python's zipfile). */
function entries(bytes) {
  const file = path.join(out, `read-${Date.now()}.zip`);
  fs.writeFileSync(file, bytes);
  const py = `import csv, hashlib, io, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({i.filename: [i.file_size, hashlib.sha256(z.read(i)).hexdigest(),
  len(list(csv.reader(io.StringIO(z.read(i).decode('utf-8'), newline='')))) - 1 if i.filename.endswith('.csv') else None]
  for i in z.infolist()}))`;
  return JSON.parse(execFileSync('python3', ['-c', py, file], { maxBuffer: 1 << 26 }));
}

/** Change the model filter and wait until the views' answers moved on. */
async function filterModel(page, model) {
  const v = await version(page);
  await page.selectOption('#filter-model', model);
  await page.waitForFunction((b) => Number(document.querySelector('#status').dataset.version) > b, v);
}

/** Click the zip and, in the same moment the worker first reports a file done, answer what the
 * progress bar says, whether the page scrolls sideways, and axe-core's serious and critical
 * findings on the downloads section with the bar showing (one step in the page: a round trip
 * from here could come after the end of the build on a busy machine). */
async function startZip(page) {
  await page.locator('.downloads').scrollIntoViewIfNeeded();
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const seen = page.evaluate(() => new Promise((resolve) => {
    const bar = document.querySelector('#download-progress');
    new MutationObserver(async (_, observer) => {
      if (Number(bar.getAttribute('aria-valuenow')) >= 1) {
        observer.disconnect();
        const root = document.documentElement;
        const shown = { now: bar.getAttribute('aria-valuenow'), max: bar.getAttribute('aria-valuemax'),
          text: bar.parentElement.textContent, sideways: root.scrollWidth - root.clientWidth };
        const r = await window.axe.run(document.querySelector('.downloads'), { resultTypes: ['violations'] });
        const violations = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
        resolve({ ...shown, violations, barStillShown: !bar.parentElement.hidden });
      }
    }).observe(bar, { attributes: true, attributeFilter: ['aria-valuenow'] });
  }));
  await page.click(`[data-download="${ZIP}"]`);
  return seen;
}

test('Cancel stops the build: the worker says how far it got, nothing is saved, the next answers are right, the zip again is the uninterrupted one', async () => {
  const { page, context, problems } = await loaded();
  // The zip's entries are compressed by a second worker the engine starts for it (nested
  // workers show here too; the load's parse workers came and went before this listener).
  const started = [];
  page.on('worker', (w) => started.push(w.url()));
  const whole = await download(page, ZIP);
  assert.deepEqual(started.map((u) => u.split('/').pop()), ['agent-ledger-worker_loader.js'], 'one second worker for the zip');
  const all = JSON.parse(await download(page, 'summary.json'));
  let saved = 0;
  page.on('download', () => { saved++; });

  // Cancel from inside the page the moment the worker reports its first file done (a click
  // from here takes round trips; on a busy machine the build could end meanwhile).
  await page.evaluate(() => {
    const bar = document.querySelector('#download-progress');
    new MutationObserver((_, observer) => {
      if (Number(bar.getAttribute('aria-valuenow')) >= 1) {
        observer.disconnect();
        window.cancelledAt = Number(bar.getAttribute('aria-valuenow'));
        document.querySelector('#cancel-download').click();
      }
    }).observe(bar, { attributes: true, attributeFilter: ['aria-valuenow'] });
  });
  await page.click(`[data-download="${ZIP}"]`);
  await page.waitForFunction(() => /^Cancelled/.test(document.querySelector('.download-status').textContent));
  const said = await page.textContent('.download-status');
  const m = said.match(/^Cancelled agent-ledger-export\.zip after (\d+) of 25 files: nothing was saved\.$/);
  assert.ok(m, `the worker's answer: ${said}`);
  const [done, seen] = [Number(m[1]), await page.evaluate(() => window.cancelledAt)];
  assert.ok(done >= seen && seen >= 1 && done < 25, `stopped after ${done} files (${seen} were done at the click)`);
  // The worker answered the zip's request: nothing of it can be saved any more.
  assert.equal(saved, 0, 'the cancelled zip was not saved');
  assert.equal(await page.isVisible('#download-progress'), false);
  assert.equal(await page.isEnabled(`[data-download="${ZIP}"]`), true, 'the buttons are back');

  // The next questions are answered, and right: a model filter, its summary and its table.
  const model = all.by_model.find((r) => r.usage_rows > 0);
  await filterModel(page, model.model);
  const filtered = JSON.parse(await download(page, 'summary.json'));
  assert.equal(filtered.totals.usage_rows, model.usage_rows);
  assert.equal(filtered.totals.total_tokens, model.total_tokens);
  await show(page, 'tokens');
  await page.waitForFunction((n) => new RegExp(`\\b(${n}|${n.toLocaleString('en-US')})\\b`).test(document.querySelector('#usage .table-count')?.textContent || ''), model.usage_rows);

  await filterModel(page, '');
  const again = await download(page, ZIP);
  assert.equal(saved, 2);
  assert.deepEqual(entries(again), entries(whole), 'the same entries');
  assert.ok(again.equals(whole), 'the zip after the cancel is byte for byte the uninterrupted one');
  assert.deepEqual(problems, []);
  await context.close();
});

test('while the zip is built the views are answered; a filter changed meanwhile reaches the views, not the zip', async () => {
  const { page, context, problems } = await loaded();
  const all = JSON.parse(await download(page, 'summary.json'));
  const model = all.by_model.find((r) => r.usage_rows > 0 && r.usage_rows < all.totals.usage_rows);
  assert.ok(model, 'the load has more than one model');
  let zip = null;
  const saved = page.waitForEvent('download', { timeout: 120000 });
  saved.then((d) => { zip = d; }, () => {});
  // Change the filter from inside the page the moment the worker reports its first file done.
  const v = await version(page);
  await page.evaluate((m) => {
    const bar = document.querySelector('#download-progress');
    new MutationObserver((_, observer) => {
      if (Number(bar.getAttribute('aria-valuenow')) >= 1) {
        observer.disconnect();
        const select = document.querySelector('#filter-model');
        select.value = m;
        select.dispatchEvent(new Event('change', { bubbles: true }));
      }
    }).observe(bar, { attributes: true, attributeFilter: ['aria-valuenow'] });
  }, model.model);
  await page.click(`[data-download="${ZIP}"]`);
  await page.waitForFunction((b) => Number(document.querySelector('#status').dataset.version) > b, v);
  // Before the change the worker answered in order: the zip first, then the filter. (The table
  // drawn after it is not held to the zip: since a second worker compresses, the rest of the
  // zip can end first on a small corpus.)
  assert.equal(zip, null, 'the filter was answered before the zip was done');
  await show(page, 'tokens');
  await page.waitForFunction((n) => new RegExp(`\\b(${n}|${n.toLocaleString('en-US')})\\b`).test(document.querySelector('#usage .table-count')?.textContent || ''), model.usage_rows);
  await show(page, 'overview');
  const bytes = fs.readFileSync(await (await saved).path());
  await page.waitForFunction(() => /^Saved agent-ledger-export\.zip\.$/.test(document.querySelector('.download-status')?.textContent || ''));
  const usage = entries(bytes)['usage_tokens.csv'];
  assert.equal(usage[2], all.totals.usage_rows, 'the zip has the rows of its click: every model');
  const now = JSON.parse(await download(page, 'summary.json'));
  assert.equal(now.totals.usage_rows, model.usage_rows, 'the views have the filter');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the zip being built, in both themes and at 390 px: screenshots, no sideways scroll, axe-core clean', async () => {
  for (const theme of ['light', 'dark']) {
    for (const width of [1280, 390]) {
      const { page, context, problems } = await loaded({ theme, width });
      const seen = await startZip(page);
      assert.equal(seen.max, '25', 'the zip has 25 files');
      assert.match(seen.text, new RegExp(`${seen.now} of 25 files`), 'the count beside the bar');
      assert.ok(seen.sideways <= 0, `${theme} at ${width}px scrolls sideways by ${seen.sideways}px`);
      assert.deepEqual(seen.violations, [], `axe-core on the downloads with the bar showing (${theme}, ${width}px; still shown at the end: ${seen.barStillShown})`);
      await page.locator('.downloads').screenshot({ path: path.join(out, `download-progress-${theme}-${width}.png`), animations: 'disabled' });
      assert.deepEqual(problems, []);
      await context.close();
    }
  }
});

test('the database and a CSV are built in steps too: Cancel stops the worker\'s build, nothing is saved', async () => {
  const { page, context, problems } = await loaded();
  let saved = 0;
  page.on('download', () => { saved++; });
  // Click and Cancel in one task: the worker starts the build, pauses after its first step, sees
  // the Cancel and answers "Cancelled". A file built in one go would be answered whole first
  // (and the page would say "it was ready first").
  for (const name of ['agent-ledger.sqlite', 'usage_tokens.csv']) {
    await page.evaluate((n) => {
      document.querySelector(`[data-download="${n}"]`).click();
      document.querySelector('#cancel-download').click();
    }, name);
    await page.waitForFunction(() => /^Cancelled/.test(document.querySelector('.download-status').textContent));
    assert.equal(await page.textContent('.download-status'), `Cancelled ${name}: nothing was saved.`, 'stopped by the worker');
    await page.waitForSelector(`[data-download="${name}"]:not([disabled])`);
  }
  assert.equal(saved, 0);
  // The database's file on disk, begun and cancelled, is removed (the CSV is kept only once built).
  for (let i = 0; i < 50 && (await downloadsOnDisk(page)).length; i++) await page.waitForTimeout(100);
  assert.deepEqual(await downloadsOnDisk(page), [], 'no file of a cancelled download is left on disk');
  const summary = await downloadFrom(page.locator('[data-download="summary.json"]'));
  assert.equal(summary.name, 'summary.json');
  assert.equal(saved, 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('where no second worker can be started, the engine\'s worker makes the zip alone: the same bytes', async () => {
  const { page, context, problems } = await loaded();
  const two = await download(page, ZIP);
  // From now on the engine's worker has no `Worker` to start one with (as in a browser without
  // nested workers): it compresses the entries itself (worker::download, zip).
  let engine = page.workers();
  for (let i = 0; i < 50 && engine.length > 1; i++) {
    await page.waitForTimeout(100);
    engine = page.workers();
  }
  assert.equal(engine.length, 1, `the engine's worker alone (the zip's second has ended): ${engine.map((w) => w.url())}`);
  await engine[0].evaluate(() => { self.Worker = undefined; });
  let started = 0;
  page.on('worker', () => { started++; });
  const alone = await download(page, ZIP);
  assert.equal(started, 0, 'no second worker');
  assert.ok(Buffer.compare(two, alone) === 0, `the same zip (${two.length} and ${alone.length} bytes)`);
  assert.deepEqual(problems, []);
  await context.close();
});
