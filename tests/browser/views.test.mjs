// Every view of the dashboard in a real Chromium, with the built-in sample and with the real
// corpus: reachable at its hash, numbers equal to the downloads, a session and a raw line opened,
// search hits, axe-core on every view in both themes (no serious or critical finding), no sideways
// scroll at 390 px, and a screenshot of every view in both themes (tests/browser/out/views/).
//
// Run by scripts/test.sh after the release build: DIST=<dist folder> node --test
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { harness, here, repo, show, download } from './harness.mjs';
import { waitReady as ready } from './harness.mjs';

const shots = path.join(here, 'out', 'views');
const realCorpus = path.resolve(repo, '../shared/corpus/real');
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const VIEWS = ['overview', 'sessions', 'tokens', 'tools', 'tool-audit', 'api-calls', 'audit', 'files', 'prices', 'search', 'sql'];

const h = harness();
before(async () => { fs.mkdirSync(shots, { recursive: true }); await h.start(); });
after(h.stop);
const openPage = (opts) => h.openPage(opts);

/** Serious and critical axe-core violations of the page as it is, and content outside every
 * landmark ("region", moderate: a screen reader's landmark list would skip it). */
async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'region')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  return result;
}

const int = (s) => Number(String(s).replace(/[$,]/g, ''));

/** The generator's oracle for the built-in sample (`ledger-corpus --profile sample` writes the
 * page's sample files and expect.json, worked out as it wrote them). */
function sampleOracle() {
  const dir = path.join(here, 'out', 'sample-oracle');
  fs.rmSync(dir, { recursive: true, force: true });
  const bin = process.env.LEDGER_CORPUS || path.join(repo, 'target/debug/ledger-corpus');
  execFileSync(bin, ['--profile', 'sample', '--out', dir]);
  return JSON.parse(fs.readFileSync(path.join(dir, 'expect.json'), 'utf8'));
}

test('the page before anything is loaded: accessible in both themes', async () => {
  // What a person meets first: the empty dashboard, whose charts have nothing to show yet.
  for (const theme of ['light', 'dark']) {
    const { page, context, problems } = await openPage({ theme });
    await page.waitForTimeout(400);
    assert.deepEqual(await axe(page), [], `the empty page (${theme}): axe-core`);
    assert.equal(await page.locator('figure.chart:visible').count(), 0, 'no empty chart frames');
    // A table says it has no rows yet, quietly: no error, no tools with nothing to do.
    await show(page, 'sessions');
    await page.waitForTimeout(400);
    assert.deepEqual(await axe(page), [], `the empty sessions view (${theme}): axe-core`);
    assert.equal(await page.locator('.data-table p.error:visible, .data-table .table-tools:visible').count(), 0);
    assert.equal(await page.locator('.data-table p.muted:visible', { hasText: 'No rows yet.' }).count(), 2);
    await context.close();
  }
});

test('every view of the sample in both themes: reachable, accessible, no sideways scroll at 390 px, screenshots', async () => {
  for (const theme of ['light', 'dark']) {
    for (const width of [1280, 390]) {
      const { page, context, problems } = await openPage({ width, theme });
      await page.click('#load-sample');
      await ready(page);
      assert.equal(await page.getAttribute('html', 'data-theme'), theme, 'the theme follows the system');
      for (const view of VIEWS) {
        await show(page, view);
        await page.waitForTimeout(400);
        if (width === 1280) {
          const violations = await axe(page);
          assert.deepEqual(violations, [], `${view} (${theme}): axe-core`);
        }
        const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(sideways <= 0, `${view} at ${width}px scrolls sideways by ${sideways}px`);
        await page.screenshot({ path: path.join(shots, `${view}-${theme}-${width}.png`), fullPage: true });
      }
      assert.deepEqual(problems, []);
      await context.close();
    }
  }
});

test('the theme toggle switches light and dark and is remembered', async () => {
  const { page, context } = await openPage({ theme: 'light' });
  assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
  await page.click('#theme');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  await page.reload();
  await page.waitForSelector('#status[data-state="empty"]');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  await context.close();
});

test('numbers shown equal the downloads; a session opens with its queries and events; a raw line opens; search finds prompts', async () => {
  const { page, context, problems } = await openPage();
  await page.click('#load-sample');
  await ready(page);
  const summary = JSON.parse(await download(page, 'summary.json'));
  const card = async (label) => int(await page.textContent(`[data-total="${label}"] .value`));
  assert.equal(await card('Sessions'), summary.totals.sessions);
  assert.equal(await card('Total tokens'), summary.totals.total_tokens);
  assert.equal(await card('Model requests'), summary.totals.usage_rows);
  assert.equal(await card('Tool calls'), summary.totals.tool_calls);

  // The sessions table holds every session of the download.
  const sessionsCsv = (await download(page, 'sessions.csv')).toString('utf8').trim().split('\r\n');
  await show(page, 'sessions');
  await page.waitForSelector('#sessions-table tbody tr[data-row]');
  const count = await page.textContent('#sessions-table .table-count');
  assert.match(count, new RegExp(` of ${sessionsCsv.length - 1}[ ;]`));

  // A Codex session of the sample: its queries and events, in order.
  const [usageHeadLine, ...usageCsv] = (await download(page, 'usage_tokens.csv')).toString('utf8').trim().split('\r\n');
  const bySession = {};
  for (const line of usageCsv) { const id = line.split(',')[0]; bySession[id] = (bySession[id] || 0) + 1; }
  const [id, rows] = Object.entries(bySession).sort((a, b) => b[1] - a[1])[0];
  await page.evaluate((id) => { location.hash = `#/sessions/${encodeURIComponent(id)}`; }, id);
  await page.waitForSelector('[data-view="session"] [data-event]');
  assert.equal(await page.locator('[data-view="session"] [data-event="usage"]').count(), rows, 'one usage event per usage row');
  assert.ok(await page.locator('[data-view="session"] [data-query]').count() > 0);
  // Its replies: one message event per answer the generator wrote into the session's file (its
  // oracle, expect.json of the same sample, counts them as it writes them).
  const usageHead = usageHeadLine.split(',');
  const files = new Set(usageCsv.map((l) => l.split(',')).filter((c) => c[0] === id).map((c) => c[usageHead.indexOf('file')]));
  const oracle = sampleOracle();
  const mine = oracle.files.filter((f) => files.has(f.name));
  assert.equal(mine.length, files.size, `the oracle knows ${[...files]}`);
  const replies = mine.reduce((n, f) => n + f.replies, 0);
  assert.ok(replies > 0, 'the session has replies');
  assert.equal(await page.locator('[data-view="session"] [data-event="message"]').count(), replies, 'one message event per reply');
  await page.screenshot({ path: path.join(shots, 'session-light-1280.png'), fullPage: true });
  // A reply's raw line is the assistant message it was read from.
  await page.locator('[data-event="message"] button.link').first().click();
  await page.waitForFunction(() => /"assistant"/.test(document.querySelector('#raw-line pre')?.textContent || ''));
  await page.click('#raw-line button:text-is("Close")');

  // The raw line of an event, read back from the file, pretty-printed, as text.
  await page.locator('[data-event="usage"] button.link').first().click();
  await page.waitForFunction(() => /"type"/.test(document.querySelector('#raw-line pre')?.textContent || ''));
  const raw = await page.textContent('#raw-line pre');
  assert.match(raw, /token_count|"usage"|"tokens"/);
  await page.screenshot({ path: path.join(shots, 'raw-line-light-1280.png') });
  await page.click('#raw-line button:text-is("Close")');

  // Search: a word of a prompt finds it; each hit opens its session.
  const queries = (await download(page, 'query_messages.csv')).toString('utf8');
  const word = (queries.match(/security|refactor|tests?|build/i) || ['the'])[0];
  await page.fill('#search', word);
  await page.press('#search', 'Enter');
  await page.waitForSelector('[data-view="search"] [data-hit]');
  assert.ok(await page.locator('[data-hit="prompt"]').count() > 0, `prompts with ${word}`);
  await page.locator('[data-hit="prompt"] a').first().click();
  await page.waitForSelector('[data-view="session"] [data-query]');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the real corpus: every view answers, totals shown equal the download, no request leaves the page', { skip: !fs.existsSync(realCorpus) && !process.env.CI ? 'no ../shared/corpus/real' : false }, async () => {
  assert.ok(fs.existsSync(realCorpus), 'CI runs with ../shared/corpus/real beside the clone');
  const { page, context, problems, requests } = await openPage();
  await page.setInputFiles('#folder-input', realCorpus);
  await ready(page);
  const loaded = requests.length;
  const summary = JSON.parse(await download(page, 'summary.json'));
  assert.equal(int(await page.textContent('[data-total="Total tokens"] .value')), summary.totals.total_tokens);
  assert.equal(int(await page.textContent('[data-total="Sessions"] .value')), summary.totals.sessions);
  for (const view of VIEWS) {
    await show(page, view);
    await page.waitForTimeout(300);
    // Evidence, not the check: Chromium once never finished a full-page capture of a view
    // (30 s, in CI); a second try, without animations, takes it.
    const shot = { path: path.join(shots, `real-${view}.png`), fullPage: true };
    await page.screenshot(shot).catch(() => page.screenshot({ ...shot, animations: 'disabled' }));
  }
  // Opening #/sql fetches the SQL console's worker, from the page's own origin; nothing else.
  const after = requests.slice(loaded).filter((u) => !(u.startsWith(h.base) && /agent-ledger-sql/.test(u)));
  assert.deepEqual(after, [], 'no request after load but the SQL worker\'s');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a model filter narrows every view and the downloads, and clears again', async () => {
  const { page, context, problems } = await openPage();
  await page.click('#load-sample');
  await ready(page);
  const all = JSON.parse(await download(page, 'summary.json'));
  const model = all.by_model[0];
  await page.selectOption('#filter-model', model.model);
  await page.waitForFunction((t) => document.querySelector('[data-total="Total tokens"] .value')?.textContent.replace(/,/g, '') === String(t), model.total_tokens);
  const one = JSON.parse(await download(page, 'summary.json'));
  assert.equal(one.totals.total_tokens, model.total_tokens);
  await page.selectOption('#filter-model', '');
  await page.waitForFunction((t) => document.querySelector('[data-total="Total tokens"] .value')?.textContent.replace(/,/g, '') === String(t), all.totals.total_tokens);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a redaction rule switched in the page applies to the downloads and says so in redaction.json', async () => {
  const { page, context, problems } = await openPage();
  await page.click('#load-sample');
  await ready(page);
  const before = JSON.parse(await download(page, 'redaction.json'));
  const totalsBefore = JSON.parse(await download(page, 'summary.json')).totals;
  const rule = (id) => before.rules.find((r) => r.id === id);
  assert.equal(rule('openai-api-key')?.enabled, true, 'secret rules are on by default');
  assert.equal(rule('home-directory')?.enabled, false, 'personal rules are off by default');
  await page.click('details.redaction summary');
  await page.check('input[data-rule="home-directory"]');
  await page.waitForTimeout(500);
  const after = JSON.parse(await download(page, 'redaction.json'));
  const home = after.rules.find((r) => r.id === 'home-directory');
  assert.equal(home.enabled, true);
  assert.ok(home.count > 0, 'the sample has home directories to mask');
  // The sessions' workspaces in the download no longer name the user.
  const sessions = (await download(page, 'sessions.csv')).toString('utf8');
  assert.ok(!/\/home\/ann\//.test(sessions), 'no /home/ann/ left in sessions.csv');
  // Token totals and costs are the same with and without it.
  const totalsAfter = JSON.parse(await download(page, 'summary.json')).totals;
  for (const k of ['total_tokens', 'input_tokens', 'output_tokens', 'cost_usd', 'sessions', 'usage_rows']) {
    assert.equal(totalsAfter[k], totalsBefore[k], k);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('a chart downloads as SVG and as PNG', async () => {
  const { page, context, problems } = await openPage({ theme: 'dark' });
  await page.click('#load-sample');
  await ready(page);
  const figure = page.locator('figure[data-chart="tokens-per-day"]');
  await page.waitForFunction(() => document.querySelectorAll('figure[data-chart="tokens-per-day"] svg rect').length > 3);
  const [svg] = await Promise.all([page.waitForEvent('download'), figure.locator('.chart-svg-download').click()]);
  assert.equal(svg.suggestedFilename(), 'tokens-per-day.svg');
  assert.match(fs.readFileSync(await svg.path(), 'utf8'), /^<svg[\s\S]*<rect/);
  await page.waitForTimeout(300);
  const [png] = await Promise.all([page.waitForEvent('download'), figure.locator('.chart-png-download').click()]);
  assert.equal(png.suggestedFilename(), 'tokens-per-day.png');
  const bytes = fs.readFileSync(await png.path());
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
  // IHDR: width and height, twice the SVG's 640 × 280 for sharp text.
  assert.deepEqual([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], [1280, 560]);
  fs.writeFileSync(path.join(shots, 'tokens-per-day-dark.png'), bytes);
  assert.deepEqual(problems, []);
  await context.close();
});
