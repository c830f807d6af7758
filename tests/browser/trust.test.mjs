// Trust (issue 16, items 7 and 4), in a real Chromium over the served page:
// 1. nothing leaves the tab in full use: every request from the first one to the end, while the
//    page loads the real corpus, visits every view of the nav, opens a session and raw lines,
//    searches and takes every download there is, is one of the page's own files;
// 2. hostile files are contained: a folder of them (made by hostile_files.mjs) loads beside good
//    files whose numbers still come out exactly, each hostile file is reported with its reason,
//    the page answers a click while it reads them, and hostile log text is shown as text only.
//
// Run by scripts/test.sh after the release build: DIST=<dist folder> node --test
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { harness, repo, dist, show, waitReady, download, downloadFrom, parseCsv } from './harness.mjs';
import { writeHostileFolder, HOSTILE_PIECES, AS_SHOWN } from './hostile_files.mjs';

const realCorpus = path.resolve(repo, '../shared/corpus/real');
const fixtures = path.join(repo, 'tests/fixtures');
const h = harness();
before(h.start);
after(h.stop);

/** Every request of the page and of its context (a worker's requests included), from the start,
 * as "<resource type> <url>". */
async function openRecorded() {
  const seen = [];
  const opened = await h.openPage({ observe: (page, context) => context.on('request', (r) => seen.push(`${r.resourceType()} ${r.url()}`)) });
  const all = () => {
    const pageOnly = opened.requests.filter((u) => !seen.some((s) => s.endsWith(` ${u}`))).map((u) => `page ${u}`);
    return [...new Set([...seen, ...pageOnly])];
  };
  return { ...opened, all };
}

/** The requests that are not the page's own. The served page may fetch its own files, the ones in
 * dist/ (index.html, the stylesheet, the boot script, the page's glue and wasm, the worker's loader,
 * glue and wasm), and read back images it made itself: a chart's PNG download draws the chart's SVG
 * through an <img> from a blob: URL of this page's origin (memory of this tab, never the network). */
function foreign(requests) {
  const own = new Set([h.base, ...fs.readdirSync(dist).map((f) => h.base + f)]);
  const origin = new URL(h.base).origin;
  return requests.filter((r) => {
    const [type, url] = r.split(' ');
    return !own.has(url) && !(type === 'image' && url.startsWith(`blob:${origin}/`));
  });
}

/** Take every download the current view offers: each table's CSV and each chart's SVG and PNG. */
async function viewDownloads(page, taken) {
  for (const selector of ['.table-csv', 'figure[data-chart] .chart-svg-download', 'figure[data-chart] .chart-png-download']) {
    const buttons = page.locator(`main ${selector}`);
    for (let i = 0; i < await buttons.count(); i++) {
      const { name, bytes } = await downloadFrom(buttons.nth(i));
      assert.ok(bytes.length > 0, `${name} is not empty`);
      taken.push(name);
    }
  }
}

test('the real corpus in full use: every request is one of the page\'s own files', { skip: !fs.existsSync(realCorpus) && !process.env.CI ? 'NOTE: ../shared/corpus/real is absent: the full-use request test needs it' : false }, async () => {
  assert.ok(fs.existsSync(realCorpus), 'CI runs with ../shared/corpus/real beside the clone');
  const started = Date.now();
  const { page, context, problems, all } = await openRecorded();
  await page.setInputFiles('#folder-input', realCorpus);
  await waitReady(page);

  // Every view of the nav, by its link, with every download it offers.
  const taken = [];
  const views = await page.$$eval('nav.views a', (as) => as.map((a) => a.getAttribute('href').slice(2)));
  assert.equal(views.length, 11, `the nav: ${views}`);
  for (const view of views) {
    await page.click(`nav.views a[href="#/${view}"]`);
    await page.waitForSelector(`[data-view="${view}"]`);
    await page.waitForTimeout(300);
    await viewDownloads(page, taken);
  }
  // The downloads of DESIGN.md section 4, each.
  await show(page, 'overview');
  const names = await page.$$eval('[data-download]', (els) => els.map((e) => e.getAttribute('data-download')));
  assert.ok(names.length >= 8, `data-download buttons: ${names}`);
  for (const name of names) {
    assert.ok((await download(page, name)).length > 0, name);
    taken.push(name);
  }

  // A session with its raw lines, then search.
  await show(page, 'sessions');
  await page.locator('#sessions-table tbody tr[data-row] a').first().click();
  await page.waitForSelector('[data-view="session"] [data-event]');
  await viewDownloads(page, taken);
  const lines = page.locator('[data-view="session"] [data-event] button.link');
  for (let i = 0; i < Math.min(3, await lines.count()); i++) {
    await lines.nth(i).click();
    await page.waitForFunction(() => (document.querySelector('#raw-line pre')?.textContent || '').length > 2);
    await page.click('#raw-line button:text-is("Close")');
  }
  await page.fill('#search', 'test');
  await page.press('#search', 'Enter');
  await page.waitForSelector('[data-view="search"] [data-hit]');
  await viewDownloads(page, taken);

  const requests = all();
  console.log(`full use: ${taken.length} downloads, ${requests.length} distinct requests, ${Date.now() - started} ms`);
  assert.deepEqual(foreign(requests), [], 'requests other than the page\'s own files');
  // The recorder saw the page's own requests, the worker's included, and one image per PNG.
  for (const f of ['', 'agent-ledger-worker_loader.js', 'agent-ledger-worker_bg.wasm']) {
    assert.ok(requests.some((r) => r.endsWith(` ${h.base}${f}`)), `saw ${h.base}${f}`);
  }
  assert.equal(requests.filter((r) => r.startsWith('image blob:')).length, taken.filter((n) => n.endsWith('.png')).length);
  assert.ok(taken.length > names.length + 10, `every view's downloads too: ${taken.length}`);
  assert.deepEqual(problems, []);
  await context.close();
});

/** The DOM holds nothing made from log text: no inline script, no image or link or handler. */
async function assertNoInjectedMarkup(page, where) {
  const found = await page.evaluate(() => ({
    pwned: window.__pwned ?? null,
    inlineScripts: [...document.querySelectorAll('script')].filter((s) => !s.src).length,
    images: document.querySelectorAll('img').length,
    javascriptLinks: document.querySelectorAll('a[href^="javascript:" i]').length,
    handlerAttributes: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
  }));
  assert.deepEqual(found, { pwned: null, inlineScripts: 0, images: 0, javascriptLinks: 0, handlerAttributes: 0 }, where);
}

/** Narrow a data table to one file and answer the texts of its rows (a few: all in view). */
async function rowsOf(page, table, file) {
  await page.fill(`#${table} .table-filter`, file);
  await page.press(`#${table} .table-filter`, 'Enter');
  await page.waitForFunction(([t, f]) => {
    const rows = document.querySelectorAll(`#${t} tbody tr[data-row]`);
    return rows.length >= 1 && [...rows].every((r) => r.textContent.includes(f));
  }, [table, file]);
  return page.locator(`#${table} tbody tr[data-row]`).allTextContents();
}

test('hostile files are reported with their reason, good files still load exactly, the page answers, log text stays text', async (t) => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-hostile-')), 'drop');
  t.after(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true })); // 140 MB, pass or fail
  const codexFixtures = fs.readdirSync(path.join(fixtures, 'codex')).sort().map((f) => path.join(fixtures, 'codex', f));
  const folder = writeHostileFolder(dir, fs.readFileSync(path.join(fixtures, 'relay/relay-calls.ndjson')), codexFixtures);
  // The Python oracle over every Codex rollout of the folder (the good ones and the hostile-text one).
  const oracle = execFileSync('python3', [path.join(repo, 'scripts/oracle/codex_oracle.py'), ...folder.codex, folder.session], { encoding: 'utf8' })
    .trim().split('\n').map((l) => JSON.parse(l));
  const sum = (k) => oracle.reduce((a, r) => a + r[k], 0);

  const { page, context, problems, all } = await openRecorded();
  const started = Date.now();
  await page.setInputFiles('#folder-input', dir);
  // While it reads 2 GB of would-be gzip, a 100 MB line and 10,000 files, a click still answers.
  await page.waitForSelector('#status[data-state="loading"]');
  const answers = [];
  for (let i = 0; i < 3 && await page.getAttribute('#status', 'data-state') === 'loading'; i++) {
    const before = await page.getAttribute('html', 'data-theme');
    const t = Date.now();
    await page.click('#theme');
    await page.waitForFunction((b) => document.documentElement.dataset.theme !== b, before, { timeout: 5000 });
    answers.push(Date.now() - t);
  }
  await waitReady(page);
  console.log(`hostile folder: read in ${Date.now() - started} ms; theme toggle answered in ${answers.join(', ') || '(loaded before a click)'} ms`);
  assert.ok(answers.length > 0 && answers.every((ms) => ms < 2000), `the page answered clicks while loading within 2 s: ${answers}`);

  // The report: one row per file, each good file exactly as when alone, each hostile one with its reason.
  const report = parseCsv((await download(page, 'ingest_report.csv')).toString('utf8'));
  const root = path.basename(dir);
  const byName = Object.fromEntries(report.map((r) => [r.file.replace(`${root}/`, ''), r]));
  const buckets = (r) => ['lines', 'parsed', 'skipped', 'duplicates', 'malformed'].map((k) => Number(r[k]));
  assert.equal(report.length, 2 + folder.codex.length + 1 + folder.hostile.length + folder.tiny, 'one row per file');
  for (const f of ['good/relay-before.ndjson', 'good/relay-after.ndjson']) assert.deepEqual(buckets(byName[f]), [9, 5, 0, 0, 4], f);
  for (const o of oracle) {
    const name = o.file === 'hostile-text.jsonl' ? 'hostile/hostile-text.jsonl' : `good/codex/${o.file}`;
    assert.deepEqual(buckets(byName[name]), [o.lines, o.parsed, o.skipped, o.duplicates, o.malformed], name);
  }
  for (const f of folder.hostile) {
    const row = byName[f.name];
    assert.ok(row, `${f.name} is in the report`);
    assert.deepEqual(buckets(row), f.buckets, `${f.name}: buckets`);
    assert.equal(row.format, f.format, `${f.name}: format`);
    assert.match(row.note, f.note, `${f.name}: note`);
  }
  const tiny = report.filter((r) => r.file.startsWith(`${root}/tiny/`));
  assert.equal(tiny.length, 10_000);
  assert.ok(tiny.every((r) => buckets(r).join() === '1,1,0,0,0'), 'each tiny file: one call');

  // Token totals: exactly the Codex oracle's (the relay files hold API calls, not model requests).
  const totals = JSON.parse(await download(page, 'summary.json')).totals;
  assert.deepEqual(
    [totals.usage_rows, totals.input_tokens, totals.cached_input_tokens, totals.output_tokens, totals.reasoning_output_tokens, totals.total_tokens],
    [sum('usage_rows'), sum('sum_input'), sum('sum_cached'), sum('sum_output'), sum('sum_reasoning'), sum('sum_total')]);

  // The files view shows each hostile file's reason; line reasons are in the audit's findings.
  await show(page, 'files');
  for (const f of folder.hostile) {
    const rows = await rowsOf(page, 'ingest-report', f.name);
    const note = byName[f.name].note;
    assert.equal(rows.length, 1, f.name);
    assert.ok(rows[0].includes(note), `${f.name}: the files view shows ${JSON.stringify(note)} in ${JSON.stringify(rows[0])}`);
  }
  await show(page, 'audit');
  for (const f of folder.hostile.filter((x) => x.reason)) {
    // Beside the relay checks' own findings on the same file, the INGEST row with the reason.
    const rows = await rowsOf(page, 'findings', f.name);
    assert.ok(rows.some((r) => r.startsWith('INGEST') && r.includes(f.reason)), `${f.name}: a finding says ${f.reason}: ${rows}`);
  }
  await assertNoInjectedMarkup(page, 'the files and audit views');

  // The hostile text in the session view: literally, as text, nowhere as markup.
  await page.evaluate(() => { location.hash = '#/sessions/hostile-text-1'; });
  await page.waitForSelector('[data-view="session"] [data-event="tool"]');
  // innerText: only what is rendered (a hidden element's text would not count).
  const shown = await page.innerText('[data-view="session"]');
  for (const piece of HOSTILE_PIECES) assert.ok(shown.includes(AS_SHOWN(piece)), `the session view shows ${JSON.stringify(AS_SHOWN(piece))}`);
  assert.ok(!/[\u202A-\u202E\u2066-\u2069\u001b]/.test(shown), 'no bidi control or ESC acts unseen in the session view');
  await assertNoInjectedMarkup(page, 'the session view');
  // Its raw lines, the prompt's and the tool call's: pretty-printed JSON, as text.
  for (const [what, button] of [['prompt', '[data-query] .query-head button.link'], ['tool call', '[data-event="tool"] button.link']]) {
    const line = page.locator(`[data-view="session"] ${button}`);
    assert.equal(await line.count(), 1, `the ${what}'s line`);
    await line.click();
    await page.waitForFunction(() => /__pwned/.test(document.querySelector('#raw-line pre')?.textContent || ''));
    const raw = await page.textContent('#raw-line pre');
    assert.match(raw, /<script>window\.__pwned/);
    assert.match(raw, /<img src=x onerror=/);
    assert.match(raw, /javascript:window\.__pwned/);
    assert.ok(raw.includes('⟦U+202E⟧') && !raw.includes('\u202E'), 'the bidi control is shown, not obeyed, in the raw line');
    await assertNoInjectedMarkup(page, `the raw line of the ${what}`);
    await page.click('#raw-line button:text-is("Close")');
  }
  // Search finds it and shows it as text.
  await page.fill('#search', '__pwned');
  await page.press('#search', 'Enter');
  await page.waitForSelector('[data-view="search"] [data-hit]');
  assert.match(await page.textContent('[data-view="search"]'), /<script>window\.__pwned/);
  await assertNoInjectedMarkup(page, 'the search view');

  assert.deepEqual(foreign(all()), [], 'requests other than the page\'s own files');
  assert.deepEqual(problems, []);
  await context.close();
});
