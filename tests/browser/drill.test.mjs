// From a number to the rows behind it, and filters that survive a shared link: a chart bar (and
// its row in the chart's table) opens exactly its rows, counted here from the CSV download; the
// shared filters are written into the URL hash and a bookmarked hash sets them again.
//
// Run by scripts/test.sh after the release build: DIST=<dist folder> node --test
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, show, download, parseCsv, waitReady as ready } from './harness.mjs';

const h = harness();
before(h.start);
after(h.stop);

const csvRows = (bytes) => parseCsv(bytes.toString('utf8'));

const rowCount = async (page, table) => {
  await page.waitForFunction((t) => /of [\d,]+/.test(document.querySelector(`#${t} .table-count`)?.textContent || ''), table);
  const text = await page.textContent(`#${table} .table-count`);
  return Number(text.match(/of ([\d,]+)/)[1].replace(/,/g, ''));
};

test('a bar of a chart, clicked or picked from its table, opens exactly the rows behind it', async () => {
  const { page, context, problems } = await h.openPage();
  await page.click('#load-sample');
  await ready(page);
  const usage = csvRows(await download(page, 'usage_tokens.csv'));
  const calls = csvRows(await download(page, 'tool_calls.csv'));

  // Tokens per day: the first day's row of the chart's table is a link to its requests.
  await show(page, 'tokens');
  const fig = page.locator('figure[data-chart="tokens-per-day"]');
  await fig.locator('summary').click();
  const link = fig.locator('tbody tr:first-child td:first-child a');
  const day = (await link.textContent()).trim();
  await link.click();
  await page.waitForSelector('#usage .drill');
  assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), new RegExp(`usage_tokens\\.ts_utc@day=${day}`));
  const want = usage.filter((r) => r.ts_utc.startsWith(day));
  assert.ok(want.length > 0 && want.length < usage.length, `the day ${day} holds some of the rows`);
  await page.waitForFunction((n) => (document.querySelector('#usage .table-count')?.textContent || '').includes(`of ${n.toLocaleString('en-US')}`), want.length);
  assert.equal(await rowCount(page, 'usage'), want.length);
  // "Show all rows" takes the narrowing away.
  await page.click('#usage .drill a');
  await page.waitForFunction(() => !document.querySelector('#usage .drill'));
  await page.waitForFunction((n) => (document.querySelector('#usage .table-count')?.textContent || '').includes(`of ${n.toLocaleString('en-US')}`), usage.length);
  assert.equal(await rowCount(page, 'usage'), usage.length);

  // Tool calls: a click on the first bar (the busiest tool's "ok" part) opens that tool's calls.
  await show(page, 'tools');
  const bar = page.locator('figure[data-chart="tool-calls"] svg rect[fill="#0072B2"]').first();
  await bar.waitFor();
  await bar.click();
  await page.waitForSelector('#tool-calls .drill');
  const tool = decodeURIComponent((await page.evaluate(() => location.hash)).match(/tool_calls\.tool=([^&]*)/)[1]);
  const busiest = Object.entries(calls.reduce((m, r) => ({ ...m, [r.tool]: (m[r.tool] || 0) + 1 }), {})).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  assert.equal(tool, busiest[0], 'the first bar is the tool with the most calls');
  assert.equal(await rowCount(page, 'tool-calls'), busiest[1]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a heatmap cell and a model\'s part of a day open exactly their rows', async () => {
  const { page, context, problems } = await h.openPage();
  await page.click('#load-sample');
  await ready(page);
  const usage = csvRows(await download(page, 'usage_tokens.csv'));
  const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

  // The heatmap's table: each cell (an hour of a weekday, in UTC here) links to its requests.
  await show(page, 'overview');
  const heat = page.locator('figure[data-chart="activity-heatmap"]');
  await heat.locator('summary').click();
  const cells = heat.locator('tbody td:not(:first-child) a');
  await cells.first().waitFor();
  let cell = null;
  for (const c of await cells.all()) if ((await c.textContent()).trim() !== '0') { cell = c; break; }
  assert.ok(cell, 'some cell of the heatmap counts requests');
  const count = Number((await cell.textContent()).trim());
  await cell.click();
  await page.waitForSelector('#usage .drill');
  const hash = decodeURIComponent(await page.evaluate(() => location.hash));
  const hour = hash.match(/usage_tokens\.ts_utc@hour=(\d\d)/)[1];
  const weekday = hash.match(/usage_tokens\.ts_utc@weekday=(\w+)/)[1];
  const want = usage.filter((r) => r.ts_utc && new Date(r.ts_utc).getUTCHours() === Number(hour) && WEEKDAYS[new Date(r.ts_utc).getUTCDay()] === weekday);
  assert.equal(want.length, count, `the cell ${weekday} ${hour}h counts its rows`);
  await page.waitForFunction((n) => (document.querySelector('#usage .table-count')?.textContent || '').includes(`of ${n.toLocaleString('en-US')}`), count);
  assert.equal(await rowCount(page, 'usage'), count);

  // Tokens per day: a click on the second model's part of a bar opens that model's rows of that day.
  await show(page, 'tokens');
  const part = page.locator('figure[data-chart="tokens-per-day"] svg rect[fill="#E69F00"]:not([height="0"])').first();
  await part.waitFor();
  await part.click();
  await page.waitForFunction(() => /usage_tokens\.model=/.test(decodeURIComponent(location.hash)));
  const h2 = decodeURIComponent(await page.evaluate(() => location.hash));
  const day = h2.match(/usage_tokens\.ts_utc@day=([\d-]+)/)[1];
  const model = h2.match(/usage_tokens\.model=([^&]*)/)[1];
  const rows = usage.filter((r) => r.ts_utc.startsWith(day) && r.model === model);
  assert.ok(rows.length > 0, `${model} on ${day} has rows`);
  await page.waitForFunction((n) => (document.querySelector('#usage .table-count')?.textContent || '').includes(`of ${n.toLocaleString('en-US')}`), rows.length);
  assert.equal(await rowCount(page, 'usage'), rows.length);
  assert.deepEqual(problems, []);
  await context.close();
});

test('filters ride in the URL hash, and a bookmarked hash sets them', async () => {
  const { page, context, problems } = await h.openPage();
  await page.click('#load-sample');
  await ready(page);
  const all = JSON.parse(await download(page, 'summary.json'));
  const model = all.by_model[0];
  await page.selectOption('#filter-model', model.model);
  await page.waitForFunction((m) => decodeURIComponent(location.hash).includes(`model=${m}`), model.model);
  // Moving between views keeps them.
  await page.click('nav.views a:text("Tokens")');
  await page.waitForSelector('[data-view="tokens"]');
  assert.ok(decodeURIComponent(await page.evaluate(() => location.hash)).includes(`model=${model.model}`));
  const bookmark = await page.evaluate(() => location.href);
  await context.close();

  // A fresh browser (nothing saved) opening the bookmark gets the same view, narrowed the same way.
  const fresh = await h.openPage();
  await fresh.page.goto(bookmark);
  await fresh.page.waitForSelector('[data-view="tokens"]');
  await fresh.page.click('#load-sample');
  await ready(fresh.page);
  assert.equal(await fresh.page.inputValue('#filter-model'), model.model);
  const one = JSON.parse(await download(fresh.page, 'summary.json'));
  assert.equal(one.totals.total_tokens, model.total_tokens);
  assert.deepEqual([...problems, ...fresh.problems], []);
  await fresh.context.close();
});

test('a table row and a search hit lead to their own event in their session', async () => {
  const { page, context, problems } = await h.openPage();
  await page.click('#load-sample');
  await ready(page);
  await show(page, 'tools');
  const row = page.locator('#tool-calls tbody tr[data-row]').first();
  await row.waitFor();
  const line = (await row.locator('td[data-col="line"]').textContent()).trim();
  const file = (await row.locator('td[data-col="file"]').textContent()).trim();
  await row.locator('td[data-col="session_id"] a').click();
  const target = page.locator('[data-view="session"] .target');
  await target.waitFor();
  assert.equal(await target.getAttribute('data-event'), 'tool');
  assert.deepEqual([await target.getAttribute('data-file'), await target.getAttribute('data-line')], [file, line]);
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('target')), true, 'focused, for the keyboard');

  // A prompt found by search opens as its query in its session.
  const prompt = parseCsv((await download(page, 'query_messages.csv')).toString('utf8')).find((q) => q.text.length > 30);
  const words = prompt.text.slice(0, 24);
  await page.fill('#search', words);
  await page.press('#search', 'Enter');
  const hit = page.locator('[data-view="search"] [data-hit]', { hasText: words }).first();
  await hit.waitFor();
  await hit.locator('a', { hasText: 'Open in its session' }).click();
  await page.waitForSelector('[data-view="session"] .target[data-query]');
  const query = page.locator('[data-view="session"] .target');
  assert.deepEqual([await query.getAttribute('data-file'), await query.getAttribute('data-line')], [prompt.file, prompt.line]);
  assert.deepEqual(problems, []);
  await context.close();
});
