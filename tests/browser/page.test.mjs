// The built page in a real Chromium: files in through #file-input and drag and drop, the status
// contract, downloads checked against numbers worked out independently of the Rust code (the Python
// oracle in scripts/oracle/), no network after load, and a screenshot.
//
// Run by scripts/test.sh after the release build: DIST=<dist folder> node --test
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const dist = process.env.DIST ? path.resolve(process.env.DIST) : path.join(repo, 'dist');
const out = path.join(here, 'out');
const realCodex = path.resolve(repo, '../shared/corpus/real/codex-rollout');
const fixtureCodex = path.join(repo, 'tests/fixtures/codex');

let server, browser, base;

before(async () => {
  assert.ok(fs.existsSync(path.join(dist, 'index.html')), `no built page in ${dist}: run scripts/build.sh`);
  fs.mkdirSync(out, { recursive: true });
  const port = 20000 + Math.floor(Math.random() * 20000);
  server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dist], { stdio: 'ignore' });
  base = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 50; i++) {
    try { if ((await fetch(base)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

/** A fresh page that records errors and every request it makes. */
async function openPage() {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(base);
  await page.waitForSelector('#status[data-state="empty"]');
  return { page, context, problems, requests };
}

async function waitReady(page) {
  await page.waitForSelector('#status[data-state="ready"], #status[data-state="error"]', { timeout: 60000 });
  assert.equal(await page.getAttribute('#status', 'data-state'), 'ready', await page.textContent('#status'));
}

async function download(page, name) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`[data-download="${name}"]`)]);
  assert.equal(dl.suggestedFilename(), name);
  return fs.readFileSync(await dl.path());
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
    queries: sum('queries'), files: lines,
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
    assert.equal(rows, expected.usage_rows, `${list} adds up to every usage row`);
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
  assert.equal(await page.locator('#ingest-report tbody tr').count(), files.length);
  assert.ok(await page.locator('#usage tbody tr').count() > 0);
  assert.equal(await page.locator('#audit-checks tbody tr[data-check="A1"] td.pass').count(), 1);

  await page.screenshot({ path: path.join(out, 'dashboard.png'), fullPage: true });
  assert.equal(requests.length, loadedRequests, `no network requests after load: ${requests.slice(loadedRequests)}`);
  assert.ok(requests.every((u) => u.startsWith(base)), `only the page's own origin: ${requests.filter((u) => !u.startsWith(base))}`);
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
  const row = page.locator('#ingest-report tbody tr').first();
  assert.match(await row.textContent(), /dropped\.jsonl/);
  assert.match(await row.textContent(), /line 2:/);
  const summary = JSON.parse(await download(page, 'summary.json'));
  assert.equal(summary.totals.usage_rows, 1);
  assert.equal(summary.totals.input_tokens, 10);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the built-in sample shows a full dashboard with every download', async () => {
  const { page, context, problems } = await openPage();
  await page.click('#load-sample');
  await waitReady(page);
  const names = await page.$$eval('[data-download]', (els) => els.map((e) => e.getAttribute('data-download')));
  for (const name of names) {
    console.log('downloading', name);
    const bytes = await download(page, name);
    assert.ok(bytes.length > 0, `${name} is not empty`);
  }
  assert.ok(await page.locator('#chart-days svg rect').count() > 3, 'the chart drew bars');
  await page.screenshot({ path: path.join(out, 'sample.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});
