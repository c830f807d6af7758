// The built page in a real Chromium: files in through #file-input and drag and drop, the status
// contract, downloads checked against numbers worked out independently of the Rust code (the Python
// oracle in scripts/oracle/), no network after load, and a screenshot.
//
// Run by scripts/test.sh after the release build: DIST=<dist folder> node --test
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { harness, here, repo, show, waitReady, download, parseCsv } from './harness.mjs';

const out = path.join(here, 'out');
const realCodex = path.resolve(repo, '../shared/corpus/real/codex-rollout');
const fixtureCodex = path.join(repo, 'tests/fixtures/codex');

const h = harness();
before(async () => { fs.mkdirSync(out, { recursive: true }); await h.start(); });
after(h.stop);
const openPage = (opts) => h.openPage(opts);

/** The rows a data table holds in all, from its count line ("Rows 1–80 of 600; …"). */
async function tableTotal(page, id) {
  await page.waitForSelector(`#${id} .table-count:not(:empty)`);
  const text = await page.textContent(`#${id} .table-count`);
  return Number(text.match(/ of ([\d,]+)/)[1].replace(/,/g, ''));
}

/** Codex rollouts to load: the real samples when ../shared is there, else the repo's fixtures. */
function codexFiles() {
  const dir = fs.existsSync(realCodex) ? realCodex : fixtureCodex;
  if (dir === fixtureCodex) console.log('NOTE: ../shared/corpus/real is absent; using tests/fixtures/codex');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort().map((f) => path.join(dir, f));
}

/** The independent oracle's totals for these files (scripts/oracle/codex_oracle.py). */
function oracle(files) {
  const lines = execFileSync('python3', [path.join(repo, 'scripts/oracle/codex_oracle.py'), ...files], { encoding: 'utf8' })
    .trim().split('\n').map((l) => JSON.parse(l));
  const sum = (k) => lines.reduce((a, r) => a + r[k], 0);
  return {
    usage_rows: sum('usage_rows'), input_tokens: sum('sum_input'), cached_input_tokens: sum('sum_cached'),
    output_tokens: sum('sum_output'), reasoning_output_tokens: sum('sum_reasoning'), total_tokens: sum('sum_total'),
    queries: sum('queries'), rows_without_time: sum('rows_without_time'), files: lines,
  };
}

test('real Codex rollouts through #file-input: usage, checks and downloads match the oracle', async () => {
  const { page, context, problems, requests } = await openPage();
  const files = codexFiles();
  const expected = oracle(files);
  await page.setInputFiles('#file-input', files);
  await waitReady(page);
  const loadedRequests = requests.length;

  const summary = JSON.parse(await download(page, 'summary.json'));
  for (const key of ['usage_rows', 'input_tokens', 'cached_input_tokens', 'output_tokens', 'reasoning_output_tokens', 'queries']) {
    assert.equal(summary.totals[key], expected[key], `summary.totals.${key}`);
  }
  // The normalized total is input + output (DESIGN.md section 2); the logged totals agree on these files.
  assert.equal(summary.totals.total_tokens, expected.total_tokens);
  assert.equal(summary.totals.sessions, files.length);
  for (const list of ['by_model', 'by_workspace', 'by_session', 'by_day', 'by_hour_utc']) {
    assert.ok(Array.isArray(summary[list]) && summary[list].length > 0, list);
    const rows = summary[list].reduce((a, g) => a + g.usage_rows, 0);
    // Rows whose line has no valid timestamp have a "(no time)" day and no hour.
    const want = list.startsWith('by_hour') ? expected.usage_rows - expected.rows_without_time : expected.usage_rows;
    assert.equal(rows, want, `${list} adds up to every usage row`);
  }

  const audit = JSON.parse(await download(page, 'audit.json'));
  const byId = Object.fromEntries(audit.checks.map((c) => [c.id, c]));
  for (const id of ['A1', 'A2', 'A3', 'A4']) {
    assert.ok(byId[id], `check ${id} present`);
    assert.equal(byId[id].status, 'pass', `${id} on real data: ${JSON.stringify(byId[id])}`);
  }
  assert.equal(byId.A1.rows_checked, expected.usage_rows);
  // A5: a session reconciles when its rows sum to its last cumulative total. The oracle says which
  // do not (the coverage fixture agent-sessions__codex__small.jsonl concatenates sessions, so its
  // cumulative total falls back to 0); forks are reconciled net of their replayed prefix.
  const mismatched = expected.files
    .filter((f) => f.usage_rows > 0 && f.replayed === 0 && f.sum_total !== f.last_total)
    .map((f) => f.file).sort();
  assert.equal(byId.A5.status, mismatched.length ? 'fail' : 'pass');
  assert.equal(audit.reconciliation.length, expected.files.filter((f) => f.usage_rows > 0).length);
  const got = audit.reconciliation.filter((r) => r.status !== 'ok').map((r) => r.file).sort();
  assert.deepEqual(got, mismatched);

  // Every file is listed with its buckets, and the page shows the usage table and the checks.
  await show(page, 'files');
  assert.equal(await tableTotal(page, 'ingest-report'), files.length);
  await show(page, 'tokens');
  assert.equal(await tableTotal(page, 'usage'), expected.usage_rows);
  assert.ok(await page.locator('#usage tbody tr[data-row]').count() > 0);
  await show(page, 'audit');
  assert.equal(await page.locator('#audit-checks tbody tr[data-check="A1"] td.pass').count(), 1);

  await show(page, 'overview');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(out, 'dashboard.png') });
  await page.screenshot({ path: path.join(out, 'dashboard-full.png'), fullPage: true });
  assert.equal(requests.length, loadedRequests, `no network requests after load: ${requests.slice(loadedRequests)}`);
  assert.ok(requests.every((u) => u.startsWith(h.base)), `only the page's own origin: ${requests.filter((u) => !u.startsWith(h.base))}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('dropping a file anywhere on the page loads it; a malformed line is reported with its line', async () => {
  const { page, context, problems } = await openPage();
  const good = '{"timestamp":"2026-01-01T00:00:00Z","type":"session_meta","payload":{"id":"drop-1","cwd":"/w"}}';
  const usage = '{"timestamp":"2026-01-01T00:00:01Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":10,"cached_input_tokens":4,"output_tokens":2,"reasoning_output_tokens":1,"total_tokens":12},"last_token_usage":{"input_tokens":10,"cached_input_tokens":4,"output_tokens":2,"reasoning_output_tokens":1,"total_tokens":12}}}}';
  const text = [good, '{"timestamp": broken', usage].join('\n');
  await page.evaluate((content) => {
    const dt = new DataTransfer();
    dt.items.add(new File([content], 'dropped.jsonl', { type: 'application/json' }));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, text);
  await waitReady(page);
  await show(page, 'files');
  const row = page.locator('#ingest-report tbody tr[data-row]').first();
  await row.waitFor();
  assert.match(await row.textContent(), /dropped\.jsonl/);
  // The malformed line is a finding of its own, with its file and line.
  await show(page, 'audit');
  const finding = page.locator('#findings tbody tr[data-row]', { hasText: 'dropped.jsonl' }).first();
  await finding.waitFor();
  assert.match(await finding.textContent(), /INGEST.*dropped\.jsonl2/);
  const summary = JSON.parse(await download(page, 'summary.json'));
  assert.equal(summary.totals.usage_rows, 1);
  assert.equal(summary.totals.input_tokens, 10);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the built-in sample shows a full dashboard; every download validates', async () => {
  const { page, context, problems } = await openPage();
  // One generation time for every download, so that the zip's entries can be held to them byte
  // for byte (its Parquet files are written by a second worker, the single files here).
  await page.clock.setFixedTime(new Date('2026-11-21T10:00:00Z'));
  await page.click('#load-sample');
  await waitReady(page);
  const names = await page.$$eval('[data-download]', (els) => els.map((e) => e.getAttribute('data-download')));
  // Every download of DESIGN.md section 4, each once.
  for (const want of ['sessions.csv', 'usage_tokens.csv', 'summary.json', 'audit.json', 'catalog.json', 'report.md', 'redaction.json', 'agent-ledger-export.zip']) {
    assert.ok(names.includes(want), `a ${want} download`);
  }
  assert.equal(new Set(names).size, names.length);
  const dir = path.join(out, 'exports');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const name of names) {
    const bytes = await download(page, name);
    assert.ok(bytes.length > 0, `${name} is not empty`);
    fs.writeFileSync(path.join(dir, name), bytes);
  }
  // An independent check of every file (Python's csv, zipfile and json), see validate_exports.py.
  const report = execFileSync('python3', [path.join(here, 'validate_exports.py'), dir], { encoding: 'utf8' });
  console.log(report.trim());
  await show(page, 'overview');
  assert.ok(await page.locator('figure[data-chart="tokens-per-day"] svg rect').count() > 3, 'the chart drew bars');
  await page.screenshot({ path: path.join(out, 'sample.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});

const FORMAT_LABELS = { codex_rollout: 'codex', codex_g0: 'codex-g0', codex_g1: 'codex-g1', claude_code: 'claude-code',
  gemini_json: 'gemini-json', gemini_jsonl: 'gemini-jsonl', tool_audit: 'tool-audit', relay_calls: 'relay-calls', unknown: 'unknown' };

/** The generator's small mixed folder (Codex, Claude with subagents/, Gemini, tool audit, relay,
 * .gz and non-log files) in out/<name>, and its oracle, worked out as it wrote the files. */
function mixedFolder(name) {
  const dir = path.join(out, name);
  fs.rmSync(dir, { recursive: true, force: true });
  const bin = process.env.LEDGER_CORPUS || path.join(repo, 'target/debug/ledger-corpus');
  execFileSync(bin, ['--profile', 'small', '--seed', '7', '--out', dir]);
  const expect = JSON.parse(fs.readFileSync(path.join(dir, 'expect.json'), 'utf8'));
  fs.rmSync(path.join(dir, 'expect.json'));
  return { dir, expect };
}

/** Every file of the folder is in the page's ingest report with the oracle's format and buckets. */
async function assertFolderMatchesOracle(page, name, expect) {
  const report = parseCsv((await download(page, 'ingest_report.csv')).toString('utf8'));
  const byName = Object.fromEntries(report.map((r) => [r.file.startsWith(`${name}/`) ? r.file.slice(name.length + 1) : r.file, r]));
  assert.equal(report.length, expect.files.length, 'one report row per file');
  const formats = new Set();
  for (const f of expect.files) {
    const row = byName[f.name];
    assert.ok(row, `${f.name} is in the report`);
    assert.equal(row.format, FORMAT_LABELS[f.format], `${f.name}: format`);
    formats.add(row.format);
    const got = ['lines', 'parsed', 'skipped', 'duplicates', 'malformed'].map((k) => Number(row[k]));
    const want = ['lines', 'parsed', 'skipped', 'duplicates', 'malformed'].map((k) => f.buckets[k]);
    assert.deepEqual(got, want, `${f.name}: [lines, parsed, skipped, duplicates, malformed]`);
  }
  for (const label of ['codex', 'claude-code', 'gemini-json', 'gemini-jsonl', 'tool-audit', 'relay-calls', 'unknown']) {
    assert.ok(formats.has(label), `the folder has a ${label} file`);
  }
  assert.ok(expect.files.some((f) => f.gzip), 'the folder has a .gz file');
  await show(page, 'files');
  assert.equal(await tableTotal(page, 'ingest-report'), expect.files.length);
}

test('a mixed folder through #folder-input: each file with its format and buckets, as the generator says', async () => {
  const { dir, expect } = mixedFolder('corpus-small');
  const { page, context, problems } = await openPage();
  await page.setInputFiles('#folder-input', dir);
  await waitReady(page);
  await assertFolderMatchesOracle(page, 'corpus-small', expect);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a mixed folder dropped on the page is walked: each file with its format and buckets', async () => {
  const { dir, expect } = mixedFolder('corpus-dropped');
  const { page, context, problems } = await openPage();
  // A real drag of the folder from the file manager, as Chromium delivers it (directory entries).
  const cdp = await context.newCDPSession(page);
  const data = { items: [], files: [dir], dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop']) {
    await cdp.send('Input.dispatchDragEvent', { type, x: 400, y: 300, data });
  }
  await waitReady(page);
  await assertFolderMatchesOracle(page, 'corpus-dropped', expect);
  assert.deepEqual(problems, []);
  await context.close();
});

/** A new folder out/<name> of `count` copies of a real Codex rollout fixture, and its bytes. */
function folderOfCopies(name, count) {
  const dir = path.join(out, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const fixture = fs.readFileSync(path.join(fixtureCodex, 'fork-parent.jsonl'));
  for (let i = 0; i < count; i++) fs.writeFileSync(path.join(dir, `rollout-${String(i).padStart(4, '0')}.jsonl`), fixture);
  return { dir, fixture };
}

test('a folder of 600 files: the files table holds all of them, renders only those in view, sorts and narrows', async () => {
  const { dir, fixture } = folderOfCopies('many-files', 598);
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a log\n');
  fs.writeFileSync(path.join(dir, 'torn.jsonl'), Buffer.concat([fixture, Buffer.from('{"timestamp":"2026-')]));

  const { page, context, problems } = await openPage();
  // Every message the page posts to a worker, by the files it carries.
  await page.evaluate(() => {
    const post = Worker.prototype.postMessage;
    window.__handed = [];
    Worker.prototype.postMessage = function (msg, ...rest) {
      if (msg && Array.isArray(msg.files)) window.__handed.push(msg.files.length);
      return post.call(this, msg, ...rest);
    };
  });
  await page.setInputFiles('#folder-input', dir);
  await waitReady(page);
  // The files went over 64 to a message (one message of them all held the main thread 0.6 s
  // for a folder of 3,100), every one of them.
  const handed = await page.evaluate(() => window.__handed);
  assert.equal(handed.reduce((a, n) => a + n, 0), 600, `files per message: ${handed}`);
  assert.ok(Math.max(...handed) <= 64 && handed.length >= 10, `files per message: ${handed}`);
  await show(page, 'files');
  const rows = page.locator('#ingest-report tbody tr[data-row]');
  assert.match(await page.textContent('#files-by-format'), /^codex: 599 files, [\d.]+ [KM]B · unknown: 1 file, 10 B$/);
  assert.match(await page.textContent('#status'), /^Read 600 files, [\d,]+ lines: /);
  assert.equal(await tableTotal(page, 'ingest-report'), 600);
  // Only a window of rows is in the page; files are listed by name: notes.txt first.
  assert.ok(await rows.count() < 600, `rendered ${await rows.count()} rows`);
  assert.match(await rows.nth(0).textContent(), /notes\.txt.*unknown/);
  // Scrolled to the end, the last rows are there.
  await page.locator('#ingest-report .table-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForSelector('#ingest-report tbody tr[data-row="599"]');
  assert.match(await page.textContent('#ingest-report tbody tr[data-row="599"]'), /torn\.jsonl.*codex/);
  // Sorted by malformed lines, most first: the torn file leads.
  await page.click('#ingest-report th button.sort:text-is("malformed")');
  await page.click('#ingest-report th button.sort:text-is("malformed")');
  await page.waitForFunction(() => document.querySelector('#ingest-report th[aria-sort="descending"]'));
  await page.waitForFunction(() => /torn\.jsonl/.test(document.querySelector('#ingest-report tbody tr[data-row]')?.textContent || ''));
  // Narrowed by text.
  await page.fill('#ingest-report .table-filter', 'notes');
  await page.press('#ingest-report .table-filter', 'Enter');
  await page.waitForFunction(() => /Rows 1–1 of 1 /.test(document.querySelector('#ingest-report .table-count')?.textContent || ''));
  assert.equal(await rows.count(), 1);
  assert.match(await rows.nth(0).textContent(), /many-files\/notes\.txt/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Cancel while a big folder is still being handed to the engine: nothing loads, then or later', async () => {
  // 3,000 small files go over in 47 messages, the page answering between them: a click on
  // Cancel lands before the load's command reaches the engine (and if it lands after, Cancel
  // stops the load): either way nothing may load.
  const { dir } = folderOfCopies('cancel-early', 3000);
  const { page, context, problems } = await openPage();
  await page.setInputFiles('#folder-input', dir);
  await page.click('#cancel-load');
  await page.waitForSelector('#status[data-state="empty"]');
  // Time for a load that went on regardless to end (the 3,000 files take about 2 s).
  await page.waitForTimeout(6000);
  assert.equal(await page.getAttribute('#status', 'data-state'), 'empty', await page.textContent('#status'));
  // The page is usable: the same folder loads in full.
  await page.setInputFiles('#folder-input', dir);
  await waitReady(page);
  assert.match(await page.textContent('#status'), /^Read 3,000 files, /);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a price edited in the page prices an unpriced model, persists, and shows in the exports', async () => {
  const { page, context, problems } = await openPage();
  await page.click('#load-sample');
  await waitReady(page);
  const before = JSON.parse(await download(page, 'summary.json'));
  const model = before.by_model.find((g) => g.unpriced_rows === g.usage_rows);
  assert.ok(model, 'the sample has an unpriced model');
  await show(page, 'prices');
  const row = page.locator(`#prices tr[data-model="${model.model}"]`);
  const inputs = row.locator('input.rate');
  // USD per million tokens: input, cached input and both cache writes all at 2, output at 8. Whatever
  // the vendor's formula, every prompt token then costs 2 and every output token 8.
  await inputs.nth(0).fill('2');
  await inputs.nth(1).fill('2');
  await inputs.nth(2).fill('2');
  await inputs.nth(3).fill('2');
  await inputs.nth(4).fill('8');
  await row.locator('button.save-price').click();
  const after = JSON.parse(await download(page, 'summary.json'));
  const priced = after.by_model.find((g) => g.model === model.model);
  assert.equal(priced.unpriced_rows, 0);
  const want = (priced.input_tokens * 2 + priced.output_tokens * 8) / 1e6;
  assert.ok(Math.abs(priced.cost_usd - want) < 1e-9, `${priced.cost_usd} vs ${want}`);
  // The edit survives a reload (localStorage) and is used again.
  await page.reload();
  await page.waitForSelector('#status[data-state="empty"]');
  await page.click('#load-sample');
  await waitReady(page);
  const again = JSON.parse(await download(page, 'summary.json'));
  assert.equal(again.by_model.find((g) => g.model === model.model).cost_usd, priced.cost_usd);
  await show(page, 'prices');
  await page.waitForSelector(`#prices tr[data-model="${model.model}"]`);
  assert.match(await page.locator(`#prices tr[data-model="${model.model}"]`).textContent(), /override/);
  assert.deepEqual(problems, []);
  await context.close();
});
