// The team view (issue #17 item 6): each machine exports agent-ledger-export.zip under a machine
// name; a page given those zips merges them, offers a machine filter and per-machine totals, and
// a total filtered to one machine equals what that machine's own page showed and downloads.
//
// Run by scripts/test.sh after the release build: DIST=<dist folder> node --test
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { harness, here, repo, show, download, parseCsv, waitReady as ready } from './harness.mjs';

const h = harness();
before(h.start);
after(h.stop);

const out = path.join(here, 'out', 'team');
const int = (s) => Number(String(s).replace(/[$,]/g, ''));

/** Name this machine (the input sits with the downloads on the overview) and take its zip. */
async function exportAs(page, machine) {
  await show(page, 'overview');
  await page.fill('#machine-name', machine);
  await page.locator('#machine-name').dispatchEvent('change');
  await page.waitForFunction((m) => (localStorage.getItem('agent-ledger.settings') || '').includes(`"machine_name":"${m}"`), machine);
  const summary = JSON.parse(await download(page, 'summary.json'));
  const zip = await download(page, 'agent-ledger-export.zip');
  const file = path.join(out, machine, 'agent-ledger-export.zip');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, zip);
  return { file, summary };
}

/** A folder of generated logs unlike the sample (`ledger-corpus`, the generator the tests share). */
function otherLogs() {
  const dir = path.join(out, 'beta-logs');
  fs.rmSync(dir, { recursive: true, force: true });
  const bin = process.env.LEDGER_CORPUS || path.join(repo, 'target/debug/ledger-corpus');
  execFileSync(bin, ['--profile', 'small', '--seed', '11', '--out', dir]);
  fs.rmSync(path.join(dir, 'expect.json'), { force: true });
  return dir;
}

const cardValue = async (page, label) => int(await page.textContent(`#totals [data-total="${label}"] .value`));

test('two machines\' exports merge: a machine filter, per-machine totals, and a filtered total equal to the download', async () => {
  fs.rmSync(out, { recursive: true, force: true });
  // Machine "alpha" exports the sample, machine "beta" a folder of other logs.
  const a = await h.openPage();
  await a.page.click('#load-sample');
  await ready(a.page);
  const alpha = await exportAs(a.page, 'alpha');
  assert.deepEqual(a.problems, []);
  await a.context.close();
  const b = await h.openPage();
  await b.page.setInputFiles('#folder-input', otherLogs());
  await ready(b.page);
  const beta = await exportAs(b.page, 'beta');
  await b.context.close();

  // A third page gets both zips (and alpha's a second time, from another folder: counted once).
  const { page, context, problems, requests } = await h.openPage();
  const again = path.join(out, 'again', 'agent-ledger-export.zip');
  fs.mkdirSync(path.dirname(again), { recursive: true });
  fs.copyFileSync(alpha.file, again);
  await page.setInputFiles('#file-input', [alpha.file, beta.file, again]);
  await ready(page);
  const machines = await page.locator('#filter-machine option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(machines, ['', 'alpha', 'beta']);
  assert.equal(await page.textContent('label:has(#filter-machine)').then((t) => t.trim().startsWith('Machine')), true);

  // Per-machine totals: one row each, equal to what each machine's own page counted.
  const row = (m, col) => page.textContent(`table[data-machines] tr[data-machine="${m}"] [data-col="${col}"]`).then(int);
  for (const [m, s] of [['alpha', alpha.summary], ['beta', beta.summary]]) {
    assert.equal(await row(m, 'total_tokens'), s.totals.total_tokens, `${m} total tokens`);
    assert.equal(await row(m, 'sessions'), s.totals.sessions, `${m} sessions`);
    assert.equal(await row(m, 'usage_rows'), s.totals.usage_rows, `${m} requests`);
  }
  const whole = JSON.parse(await download(page, 'summary.json'));
  assert.equal(whole.totals.total_tokens, alpha.summary.totals.total_tokens + beta.summary.totals.total_tokens, 'the copy of alpha counts once');
  assert.equal(whole.totals.sessions, alpha.summary.totals.sessions + beta.summary.totals.sessions);
  assert.equal(await cardValue(page, 'Total tokens'), whole.totals.total_tokens);

  // Filter to alpha: the hash says so, the cards show alpha's totals, the download holds its rows.
  await page.selectOption('#filter-machine', 'alpha');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('machine=alpha'));
  await page.waitForFunction((n) => document.querySelector('#totals [data-total="Total tokens"] .value')?.textContent.replace(/,/g, '') === String(n), alpha.summary.totals.total_tokens);
  const usage = parseCsv((await download(page, 'usage_tokens.csv')).toString('utf8'));
  const sum = usage.reduce((s, r) => s + Number(r.total_tokens), 0);
  assert.equal(sum, alpha.summary.totals.total_tokens, 'the filtered download sums to the card');
  assert.equal(usage.length, alpha.summary.totals.usage_rows);
  assert.equal(await cardValue(page, 'Sessions'), alpha.summary.totals.sessions);
  // Other views keep the machine filter.
  await page.click('nav.views a:text("Tokens")');
  await page.waitForSelector('[data-view="tokens"]');
  assert.ok(decodeURIComponent(await page.evaluate(() => location.hash)).includes('machine=alpha'));
  // The files view names each export as read, with its rows counted.
  await show(page, 'files');
  assert.ok((await page.textContent('[data-view="files"]')).includes('ledger-export'));

  const loaded = requests.length;
  await page.waitForTimeout(300);
  assert.equal(requests.length, loaded, 'no request after the load');

  // The merged view exported again, as machine "desk": its datasets end with each row's
  // machine, and a fourth page given that one zip shows alpha's and beta's totals as before.
  await page.selectOption('#filter-machine', '');
  await page.waitForFunction(() => !decodeURIComponent(location.hash).includes('machine=alpha'));
  const desk = await exportAs(page, 'desk');
  const header = (await download(page, 'usage_tokens.csv')).toString('utf8').split('\r\n')[0];
  assert.ok(header.endsWith(',file,line,machine'), header);
  assert.deepEqual(problems, []);
  await context.close();
  const d = await h.openPage();
  await d.page.setInputFiles('#file-input', [desk.file]);
  await ready(d.page);
  const again4 = await d.page.locator('#filter-machine option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(again4, ['', 'alpha', 'beta'], 'each row keeps its machine, not the re-exporting one');
  const row4 = (m, col) => d.page.textContent(`table[data-machines] tr[data-machine="${m}"] [data-col="${col}"]`).then(int);
  for (const [m, s] of [['alpha', alpha.summary], ['beta', beta.summary]]) {
    assert.equal(await row4(m, 'total_tokens'), s.totals.total_tokens, `${m} total tokens, merged twice`);
    assert.equal(await row4(m, 'sessions'), s.totals.sessions, `${m} sessions, merged twice`);
  }
  assert.deepEqual(d.problems, []);
  await d.context.close();
});

test('the overview with the machine filter, in both themes, wide and narrow (screenshots)', async () => {
  const zips = ['alpha', 'beta'].map((m) => path.join(out, m, 'agent-ledger-export.zip'));
  assert.ok(zips.every((z) => fs.existsSync(z)), 'the first test wrote both zips');
  for (const theme of ['light', 'dark']) {
    for (const width of [1280, 390]) {
      const { page, context, problems } = await h.openPage({ width, theme });
      await page.setInputFiles('#file-input', zips);
      await ready(page);
      await page.waitForSelector('table[data-machines] tr[data-machine="beta"]');
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(sideways <= 0, `${theme} ${width}px scrolls sideways by ${sideways}px`);
      await page.locator('section.filters').screenshot({ path: path.join(out, `filters-${theme}-${width}.png`) });
      await page.locator('section.machines').screenshot({ path: path.join(out, `machines-${theme}-${width}.png`) });
      await page.locator('section.machines').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(out, `overview-${theme}-${width}.png`), fullPage: width === 390 });
      assert.deepEqual(problems, []);
      await context.close();
    }
  }
});
