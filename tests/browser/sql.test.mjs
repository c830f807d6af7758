// The SQL console (#/sql) in a real Chromium with the built-in sample: its worker is fetched only
// when the console is first opened (from the page's own origin), a query's cells equal the
// summary.json download, the result scrolls and downloads as CSV, bad SQL shows an alert, and a
// filter reloads the tables and runs the query again.
//
// DIST=<dist folder> node --test --test-concurrency=1 sql.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { harness, show, waitReady, download, runSql as run, sqlCells as cells } from './harness.mjs';

const h = harness();
before(h.start);
after(h.stop);

const RESULT = 'table[data-sql-result]';
const isSqlWorker = (url) => /agent-ledger-sql/.test(url);

const headers = (page) => page.$$eval(`${RESULT} thead th`, (ths) => ths.map((th) => th.textContent));

test('the SQL console: loaded on first visit, results equal the downloads, scroll, CSV, errors, filters', async () => {
  const { page, context, problems, requests } = await h.openPage();
  await page.click('#load-sample');
  await waitReady(page);
  const summary = JSON.parse(await download(page, 'summary.json'));
  const t = summary.totals;
  for (const view of ['sessions', 'tokens', 'overview']) await show(page, view);
  assert.deepEqual(requests.filter(isSqlWorker), [], 'the SQL worker is not fetched before #/sql is opened');

  await show(page, 'sql');
  const started = Date.now();
  await run(page, 'SELECT COUNT(*) AS usage_rows, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens, SUM(total_tokens) AS total_tokens FROM usage_tokens');
  const firstRun = Date.now() - started;
  const fetched = requests.filter(isSqlWorker);
  assert.ok(fetched.some((u) => u.endsWith('.wasm')), `the SQL worker's wasm was fetched: ${fetched}`);
  assert.ok(fetched.every((u) => u.startsWith(h.base)), `from the page's own origin: ${fetched}`);
  assert.deepEqual(await headers(page), ['usage_rows', 'input_tokens', 'output_tokens', 'total_tokens']);
  assert.deepEqual(await cells(page), [[t.usage_rows, t.input_tokens, t.output_tokens, t.total_tokens].map(String)]);
  console.log(`first query (starting the worker and loading the tables): ${firstRun} ms`);

  // GROUP BY equals summary.json's by_model.
  await run(page, 'SELECT model, SUM(total_tokens) AS total_tokens, COUNT(*) AS n FROM usage_tokens GROUP BY model ORDER BY model');
  const want = summary.by_model.map((m) => [m.model, String(m.total_tokens), String(m.usage_rows)]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  assert.deepEqual(await cells(page), want);

  // The result as CSV: the same header and cells.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#sql-csv')]);
  assert.equal(dl.suggestedFilename(), 'sql-result.csv');
  const csv = fs.readFileSync(await dl.path(), 'utf8').trim().split('\r\n').map((l) => l.split(','));
  assert.deepEqual(csv, [['model', 'total_tokens', 'n'], ...want]);

  // Every usage row, drawn a window at a time: scrolling to the end shows the last row.
  await run(page, 'SELECT session_id, ts_utc, model, total_tokens FROM usage_tokens');
  assert.match(await page.textContent('.sql-result .table-count'), new RegExp(`^${t.usage_rows.toLocaleString('en-US')} rows`));
  const drawn = (await cells(page)).length;
  assert.ok(drawn <= 80, `at most a window of rows in the DOM (${drawn})`);
  if (t.usage_rows > drawn) {
    await page.$eval('.sql-result .table-scroll', (el) => { el.scrollTop = el.scrollHeight; });
    await page.waitForSelector(`${RESULT} tbody tr[data-row="${t.usage_rows - 1}"]`);
  }

  // Bad SQL: a plain alert, no result of it.
  await run(page, 'SELEC model FROM usage_tokens');
  const alert = page.locator('[data-view="sql"] [role="alert"]');
  assert.match(await alert.textContent(), /^SQL syntax: Expected: an SQL statement, found: SELEC/);
  await run(page, 'SELECT nope FROM usage_tokens');
  assert.ok((await alert.textContent()).length > 0 && !(await alert.isHidden()));

  // A filter moves the page's version: the tables load again and the query shown runs again.
  await run(page, 'SELECT SUM(total_tokens) FROM usage_tokens');
  assert.ok(await alert.isHidden(), 'a good query clears the alert');
  const model = summary.by_model[0];
  await page.selectOption('#filter-model', model.model);
  await page.waitForFunction((want) => document.querySelector('table[data-sql-result] tbody tr[data-row="0"] td')?.textContent === want, String(model.total_tokens), { timeout: 120000 });

  // An example fills the box.
  await page.click('.sql-example:text-is("By day")');
  assert.match(await page.inputValue('#sql'), /GROUP BY SUBSTR\(ts_utc, 1, 10\)/);
  assert.deepEqual(problems, []);
  await context.close();
});
