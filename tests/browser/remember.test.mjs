// Parsed results kept on this device (input#remember), forgotten (button#forget), and a folder
// read again with Refresh (button#refresh), in a real Chromium. What each load parsed is read from
// #status[data-parsed-files]; what it yielded, from the downloads, which must be byte-identical
// whether the files were parsed or taken back from storage.
//
// Run: DIST=<dist folder> LEDGER_CORPUS=<ledger-corpus binary> node --test remember.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { harness, here, repo, waitReady, download } from './harness.mjs';

const out = path.join(here, 'out', 'remember');
const h = harness();
before(async () => { fs.mkdirSync(out, { recursive: true }); await h.start(); });
after(h.stop);

/** The generator's small mixed folder (every format, .gz and .jsonl.zst files, Claude copies). */
function generated(name) {
  const dir = path.join(out, name);
  fs.rmSync(dir, { recursive: true, force: true });
  const bin = process.env.LEDGER_CORPUS || path.join(repo, 'target/debug/ledger-corpus');
  execFileSync(bin, ['--profile', 'small', '--seed', '7', '--out', dir]);
  fs.rmSync(path.join(dir, 'expect.json'));
  return dir;
}

function filesUnder(dir) {
  return fs.readdirSync(dir, { recursive: true }).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile()).sort();
}

const parsedFiles = async (page) => Number(await page.getAttribute('#status', 'data-parsed-files'));

/** The downloads that hold every row and every file's buckets. */
async function results(page) {
  const got = {};
  for (const name of ['ingest_report.csv', 'usage_tokens.csv', 'sessions.csv', 'tool_calls.csv', 'query_messages.csv']) {
    got[name] = (await download(page, name)).toString('utf8');
  }
  got.totals = JSON.parse(await download(page, 'summary.json')).totals;
  return got;
}

async function loadFolder(page, dir) {
  await page.setInputFiles('#folder-input', dir);
  await waitReady(page);
}

test('remember: a reload parses no file, a changed file alone is parsed again, forget parses all', async () => {
  const dir = generated('kept');
  const all = filesUnder(dir);
  const { page, context, problems } = await h.openPage();
  assert.equal(await page.isChecked('#remember'), false, 'off by default');
  await page.check('#remember');
  await loadFolder(page, dir);
  assert.equal(await parsedFiles(page), all.length, 'the first load parses every file');
  const first = await results(page);
  // The .jsonl.zst file of the folder is read as a Codex log.
  const zst = first['ingest_report.csv'].split('\n').find((l) => /\.jsonl\.zst,/.test(l));
  assert.ok(zst && /,codex,/.test(zst), `a .jsonl.zst row: ${zst}`);
  assert.ok(Number(zst.split(',')[4]) > 0, `the .jsonl.zst file has parsed lines: ${zst}`);

  await page.reload();
  await page.waitForSelector('#status[data-state="empty"]');
  assert.equal(await page.isChecked('#remember'), true, 'the choice is saved with the settings');
  await loadFolder(page, dir);
  assert.equal(await parsedFiles(page), 0, 'after a reload, nothing is parsed again');
  assert.match(await page.textContent('#status'), new RegExp(`Parsed 0 of the files; ${all.length} came from this device\\.`));
  assert.deepEqual(await results(page), first, 'the same downloads, byte for byte');

  // One file appended to: it alone is read and parsed; its new line is counted.
  const touched = all.find((f) => /rollout-.*\.jsonl$/.test(f));
  fs.appendFileSync(touched, '{"timestamp": broken\n');
  await loadFolder(page, dir);
  assert.equal(await parsedFiles(page), 1, 'only the changed file is parsed');
  const after = await results(page);
  assert.equal(after.totals.usage_rows, first.totals.usage_rows);
  const row = (r) => r['ingest_report.csv'].split('\n').find((l) => l.includes(path.basename(touched)));
  assert.equal(Number(row(after).split(',')[7]), Number(row(first).split(',')[7]) + 1, 'one more malformed line');

  await page.click('#forget');
  await page.waitForFunction(() => /^Freed /.test(document.querySelector('#forget-result')?.textContent || ''));
  assert.match(await page.textContent('#forget-result'), new RegExp(`^Freed [\\d.]+ [KMG]?B \\(${all.length} stored results(; [\\d.]+ [KMG]?B of finished downloads' files)?\\)\\.$`));
  await loadFolder(page, dir);
  assert.equal(await parsedFiles(page), all.length, 'after forget, every file is parsed');

  // Switched off: every load parses every file, and nothing is stored.
  await page.click('#forget');
  await page.waitForFunction(() => /^Freed /.test(document.querySelector('#forget-result')?.textContent || ''));
  await page.uncheck('#remember');
  await loadFolder(page, dir);
  assert.equal(await parsedFiles(page), all.length);
  await page.click('#forget');
  await page.waitForFunction(() => document.querySelector('#forget-result')?.textContent === 'Nothing was stored.');
  assert.deepEqual(problems, []);
  await context.close();
});

test('remember: each folder keeps its own pack, so going back and forth between two parses neither again', async () => {
  const [a, b] = [generated('kept-a'), generated('kept-b')];
  const count = filesUnder(a).length;
  const { page, context, problems } = await h.openPage();
  await page.check('#remember');
  for (const dir of [a, b]) {
    await loadFolder(page, dir);
    assert.equal(await parsedFiles(page), count, `the first load of ${path.basename(dir)} parses every file`);
  }
  const fromB = await results(page);
  for (const dir of [a, b]) {
    await loadFolder(page, dir);
    assert.equal(await parsedFiles(page), 0, `${path.basename(dir)} again: nothing parsed`);
  }
  assert.deepEqual(await results(page), fromB, 'the same downloads, byte for byte');
  await page.click('#forget');
  await page.waitForFunction(() => /^Freed /.test(document.querySelector('#forget-result')?.textContent || ''));
  assert.match(await page.textContent('#forget-result'), new RegExp(`\\(${2 * count} stored results(; [\\d.]+ [KMG]?B of finished downloads' files)?\\)\\.$`));
  assert.deepEqual(problems, []);
  await context.close();
});

test('a file that cannot be read is reported, the rest load, and it is not kept', async () => {
  const dir = path.join(out, 'unreadable');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const fixture = fs.readFileSync(path.join(repo, 'tests/fixtures/codex/fork-parent.jsonl'));
  const names = ['a.jsonl', 'b.jsonl', 'c.jsonl', 'd.jsonl'].map((n) => path.join(dir, n));
  for (const f of names) fs.writeFileSync(f, fixture);
  const { page, context, problems } = await h.openPage();
  await page.check('#remember');
  await page.setInputFiles('#file-input', names.slice(0, 3));
  await waitReady(page);
  await page.click('#forget');
  await page.waitForFunction(() => /^Freed /.test(document.querySelector('#forget-result')?.textContent || ''));
  // b.jsonl changes on disk after it was picked: the browser refuses to read the old handle
  // (NotReadableError) when d.jsonl is added and the loaded files are read again.
  fs.appendFileSync(names[1], '\n');
  await page.check('#add-files');
  await page.setInputFiles('#file-input', [names[3]]);
  await waitReady(page);
  assert.match(await page.textContent('#status'), /^Read 4 files, .* 1 file could not be read to the end \(see Files\)\./);
  assert.equal(await parsedFiles(page), 4);
  const report = (await download(page, 'ingest_report.csv')).toString('utf8');
  assert.match(report.split('\n').find((l) => l.startsWith('b.jsonl')), /could not be read to the end/);
  for (const n of ['a.jsonl', 'c.jsonl', 'd.jsonl']) {
    assert.doesNotMatch(report.split('\n').find((l) => l.startsWith(n)), /could not be read/, n);
  }
  // Picked again as they are now: only b.jsonl, whose broken read was not kept, is parsed.
  await page.reload();
  await page.waitForSelector('#status[data-state="empty"]');
  await page.setInputFiles('#file-input', names);
  await waitReady(page);
  assert.equal(await parsedFiles(page), 1);
  assert.doesNotMatch(await page.textContent('#status'), /could not be read/);
  assert.deepEqual(problems, []);
  await context.close();
});

// Headless Chromium cannot click through a folder dialog: showDirectoryPicker is stood in for by
// a folder of the page's own private file system, a real FileSystemDirectoryHandle, which the page
// keeps in IndexedDB and reads again like one a person picked.
const PICKER = `window.showDirectoryPicker = async () =>
  (await navigator.storage.getDirectory()).getDirectoryHandle('picked', { create: true });`;

async function writePicked(page, files) {
  await page.evaluate(async (files) => {
    const root = await (await navigator.storage.getDirectory()).getDirectoryHandle('picked', { create: true });
    for (const [name, text] of files) {
      const w = await (await root.getFileHandle(name, { create: true })).createWritable();
      await w.write(text);
      await w.close();
    }
  }, files);
}

test('Refresh reads the folder opened last again, after a reload, new sessions included', async () => {
  const fixtures = path.join(repo, 'tests/fixtures/codex');
  const logs = fs.readdirSync(fixtures).filter((f) => f.endsWith('.jsonl')).sort().slice(0, 3);
  const read = (f) => fs.readFileSync(path.join(fixtures, f), 'utf8');
  const { page, context, problems } = await h.openPage();
  await context.addInitScript(PICKER);
  await page.reload();
  await page.waitForSelector('#status[data-state="empty"]');
  assert.equal(await page.isDisabled('#refresh'), true, 'nothing to refresh yet');
  await writePicked(page, logs.slice(0, 2).map((f) => [f, read(f)]));
  await page.check('#remember');
  await page.click('#open-folder');
  await waitReady(page);
  assert.match(await page.textContent('#status'), /^Read 2 files, /);
  const before = JSON.parse(await download(page, 'summary.json')).totals;

  await writePicked(page, [[logs[2], read(logs[2])]]);
  await page.reload();
  await page.waitForSelector('#status[data-state="empty"]');
  await page.waitForSelector('#refresh:not([disabled])');
  await page.click('#refresh');
  await waitReady(page);
  assert.match(await page.textContent('#status'), /^Read 3 files, /);
  assert.equal(await parsedFiles(page), 1, 'only the new session is parsed');
  const report = (await download(page, 'ingest_report.csv')).toString('utf8');
  assert.ok(report.includes(`picked/${logs[2]}`), 'named as the folder input names it');
  const totals = JSON.parse(await download(page, 'summary.json')).totals;
  assert.ok(totals.sessions > before.sessions, `${totals.sessions} sessions after refresh, ${before.sessions} before`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('where the browser has no folder handles, there is no Refresh button', async () => {
  const { page, context } = await h.openPage();
  await context.addInitScript('delete Window.prototype.showDirectoryPicker; delete window.showDirectoryPicker;');
  await page.reload();
  await page.waitForSelector('#status[data-state="empty"]');
  assert.equal(await page.evaluate(() => 'showDirectoryPicker' in window), false);
  assert.equal(await page.locator('#refresh').count(), 0);
  assert.equal(await page.locator('#open-folder').count(), 0);
  assert.equal(await page.locator('#remember').count(), 1);
  assert.equal(await page.locator('#forget').count(), 1);
  await context.close();
});

test('the kept-results controls in light and dark, at 1280 and 390 px', async () => {
  for (const theme of ['light', 'dark']) {
    for (const width of [1280, 390]) {
      const { page, context, problems } = await h.openPage({ width, theme });
      await page.check('#remember');
      await page.click('#forget');
      await page.waitForFunction(() => (document.querySelector('#forget-result')?.textContent || '') !== '' &&
        document.querySelector('#forget-result').textContent !== 'Forgetting…');
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scroll');
      await page.locator('#dropzone').screenshot({ path: path.join(out, `controls-${theme}-${width}.png`) });
      assert.deepEqual(problems, []);
      await context.close();
    }
  }
});
