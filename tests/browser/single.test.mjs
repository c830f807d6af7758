// The single file (scripts/build-single.sh → dist-single/agent-ledger.html) opened from disk as
// file:// in a real Chromium: it starts with no request but the file itself, its engine worker runs
// from a Blob URL, the built-in sample loads and shows the totals the generator's own oracle worked
// out as it wrote the sample, downloads arrive (the zip made by a second worker, as on the served
// page), the SQL console answers, its CSP really forbids connections, and one's own log files read
// as the Python oracle says.
//
// Builds nothing: scripts/test.sh runs build-single.sh first. Absent file = failure, unless
// LEDGER_SKIP_MISSING_SINGLE=1 says that a run without it is meant (then the test is skipped).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { harness, repo, show, waitReady, download, downloadFrom, runSql, sqlCells } from './harness.mjs';

const single = path.join(repo, 'dist-single', 'agent-ledger.html');
const absent = !fs.existsSync(single);
const skip = absent && process.env.LEDGER_SKIP_MISSING_SINGLE === '1'
  ? 'dist-single/agent-ledger.html is absent and LEDGER_SKIP_MISSING_SINGLE=1: not testing the single file' : false;

const h = harness({ serve: false });
before(async () => { if (!skip) await h.start(); });
after(h.stop);

/** The sample's totals, from the generator's oracle (`ledger-corpus --profile sample` writes the
 * sample's files and expect.json, counted as it wrote them, not by the parser). */
function sampleOracle() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-sample-'));
  try {
    const bin = process.env.LEDGER_CORPUS || path.join(repo, 'target/debug/ledger-corpus');
    execFileSync(bin, ['--profile', 'sample', '--out', path.join(dir, 'sample')]);
    const expect = JSON.parse(fs.readFileSync(path.join(dir, 'sample', 'expect.json'), 'utf8'));
    const formats = Object.values(expect.by_format);
    const sum = (f) => formats.reduce((a, x) => a + f(x), 0);
    return {
      usage_rows: sum((x) => x.usage.rows),
      total_tokens: sum((x) => x.usage.total_tokens),
      input_tokens: sum((x) => x.usage.input_tokens),
      output_tokens: sum((x) => x.usage.output_tokens),
      tool_calls: sum((x) => x.tool_calls),
      files: expect.files.length,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One entry of a zip's bytes, as text (Python's zipfile reads it: not the page's code). */
function entryOf(zip, name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-zip-'));
  try {
    const file = path.join(dir, 'export.zip');
    fs.writeFileSync(file, zip);
    // Every entry's CRC checked first: the entries were kept in memory here, in pieces (a page
    // from disk has no origin-private file system; the served page writes them to disk).
    const py = 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); bad = z.testzip(); assert bad is None, bad; sys.stdout.write(z.read(sys.argv[2]).decode())';
    return execFileSync('python3', ['-c', py, file, name], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const int = (s) => Number(String(s).replace(/[$,]/g, ''));

test('the single file from disk: no request but itself, workers from Blobs, the sample\'s totals, downloads, the zip in two workers, the SQL console', { skip }, async () => {
  assert.ok(!absent, `${single} is absent: run bash scripts/build-single.sh (or set LEDGER_SKIP_MISSING_SINGLE=1 to skip)`);
  const html = fs.readFileSync(single, 'utf8');
  // What the file says of itself: no other file named, no connection allowed.
  assert.match(html, /connect-src 'none'/);
  assert.deepEqual(html.match(/\s(?:src|href)="(?!data:,")[^"]*"/g), null, 'no src= or href= but the empty data:, icon');

  const url = pathToFileURL(single).href;
  const expected = sampleOracle();
  const workers = [];
  const contextRequests = [];
  const started = Date.now();
  const { page, context, problems, requests } = await h.openPage({
    url,
    observe: (p, c) => {
      p.on('worker', (w) => workers.push(w.url()));
      // Every request of the context too, should a worker's not be reported on the page.
      c.on('request', (r) => contextRequests.push(r.url()));
    },
  });
  await page.click('#load-sample');
  await waitReady(page);
  console.log(`single file: opened and loaded the sample in ${Date.now() - started} ms`);
  // The engine runs in one worker, started from a Blob URL of the file's own text.
  assert.equal(workers.length, 1, `workers: ${workers}`);
  assert.match(workers[0], /^blob:null\//, 'a worker from a Blob URL of the file:// page');

  // The cards show the oracle's numbers.
  const card = async (label) => int(await page.textContent(`[data-total="${label}"] .value`));
  assert.equal(await card('Total tokens'), expected.total_tokens, 'Total tokens');
  assert.equal(await card('Model requests'), expected.usage_rows, 'Model requests');
  assert.equal(await card('Tool calls'), expected.tool_calls, 'Tool calls');

  // A download arrives, and it says the same.
  const summary = JSON.parse(await download(page, 'summary.json'));
  for (const k of ['usage_rows', 'total_tokens', 'input_tokens', 'output_tokens', 'tool_calls']) {
    assert.equal(summary.totals[k], expected[k], `summary.totals.${k}`);
  }
  // The zip, compressed by a second worker that the engine's worker starts from a Blob URL of its
  // own (a worker of a file:// page may not start one from the page's); its summary.json says the same.
  const zip = await download(page, 'agent-ledger-export.zip');
  assert.deepEqual([...zip.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'a zip file');
  assert.equal(workers.length, 2, `one second worker for the zip: ${workers}`);
  assert.match(workers[1], /^blob:null\//);
  assert.notEqual(workers[1], workers[0]);
  const zipped = JSON.parse(entryOf(zip, 'summary.json'));
  for (const k of ['usage_rows', 'total_tokens', 'tool_calls']) assert.equal(zipped.totals[k], expected[k], `the zip's summary.json: ${k}`);
  // A chart as PNG: drawn through an <img> of a blob: URL and a canvas, under this file's CSP.
  await page.waitForFunction(() => document.querySelectorAll('figure[data-chart="tokens-per-day"] svg rect').length > 3);
  const png = await downloadFrom(page.locator('figure[data-chart="tokens-per-day"] .chart-png-download'));
  assert.equal(png.name, 'tokens-per-day.png');
  assert.deepEqual([...png.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'a PNG file');

  // The SQL console: its engine, inlined in the file, is decoded and started only now (a third
  // worker, from a Blob URL); a query's answer equals the oracle's totals.
  await show(page, 'sql');
  await runSql(page, 'SELECT COUNT(*) AS usage_rows, SUM(total_tokens) AS total_tokens, SUM(input_tokens) AS input_tokens FROM usage_tokens');
  assert.deepEqual(await sqlCells(page), [[expected.usage_rows, expected.total_tokens, expected.input_tokens].map(String)]);
  assert.equal(workers.length, 3, `the SQL console's worker: ${workers}`);
  assert.match(workers[2], /^blob:null\//);

  // The only requests of the whole run: the file itself; each worker's script, read from the Blob
  // URL made of the file's own inlined text; and the PNG's image, read from the Blob URL the page
  // made of the chart's SVG. A blob: URL names memory of this tab, not a place; Chromium reports
  // reading one as a request. (Downloads are blob: URLs too, and are not reported.) Any other
  // request fails here.
  const seen = [...new Set([...requests, ...contextRequests])];
  assert.deepEqual(seen.slice(0, 2), [url, workers[0]], 'the file, then its worker');
  assert.deepEqual(seen.filter((u) => workers.includes(u)), workers, 'each worker\'s script');
  const rest = seen.slice(1).filter((u) => !workers.includes(u));
  assert.equal(rest.length, 1, `requests: ${seen}`);
  assert.match(rest[0], /^blob:null\/[0-9a-f-]{36}$/, 'the PNG\'s image, from a Blob URL of the page');
  assert.deepEqual(problems, []);

  // The CSP holds: even a data: URL, the one scheme a file:// page could reach without a network,
  // cannot be fetched, and no worker could be started from a URL.
  const blocked = await page.evaluate(async () => {
    try { await fetch('data:text/plain,x'); return 'fetched'; } catch { return 'blocked'; }
  });
  assert.equal(blocked, 'blocked');
  await context.close();
});

test('the single file from disk reads one\'s own logs: Codex fixtures through #file-input match the Python oracle', { skip }, async () => {
  assert.ok(!absent, `${single} is absent: run bash scripts/build-single.sh`);
  const url = pathToFileURL(single).href;
  const dir = path.join(repo, 'tests/fixtures/codex');
  const files = fs.readdirSync(dir).sort().map((f) => path.join(dir, f));
  const oracle = execFileSync('python3', [path.join(repo, 'scripts/oracle/codex_oracle.py'), ...files], { encoding: 'utf8' })
    .trim().split('\n').map((l) => JSON.parse(l));
  const sum = (k) => oracle.reduce((a, r) => a + r[k], 0);
  const { page, context, problems, requests } = await h.openPage({ url });
  await page.setInputFiles('#file-input', files);
  await waitReady(page);
  const totals = JSON.parse(await download(page, 'summary.json')).totals;
  assert.deepEqual([totals.usage_rows, totals.input_tokens, totals.output_tokens, totals.total_tokens],
    [sum('usage_rows'), sum('sum_input'), sum('sum_output'), sum('sum_total')]);
  // Parsed by the pool: its workers start from disk too.
  assert.ok(Number(await page.getAttribute('#status', 'data-parse-workers')) >= 2, 'parsed by the pool');
  // The file, its engine worker's Blob URL and the one that worker makes for its parse workers,
  // nothing else.
  const seen = [...new Set(requests)];
  assert.equal(seen.length, 3, `requests: ${seen}`);
  assert.equal(seen[0], url);
  for (const blob of seen.slice(1)) assert.match(blob, /^blob:null\/[0-9a-f-]{36}$/);
  assert.deepEqual(problems, []);
  await context.close();
});
