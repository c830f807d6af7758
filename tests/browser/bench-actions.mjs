// What a person does after a big load, timed in Chromium (issue #18): every download, a model
// filter change and back, a redaction switch and back, a time-zone change and back. Each with the
// time until the result is there (the download handed to the browser; the views' new answers
// drawn), the main thread's blocking time during it (the part of each long task past 50 ms), and
// the browser's peak memory over the load's own peak, all in one run; and each worker's wasm
// memory before and at its peak (the engine's, the zip's second worker's), to say which holds it.
//
//   node bench-actions.mjs [--dir DIR] [--only NAME,...] [--incognito]
//
// Without --dir it loads the generated real-world profile (bench_lib.mjs). The browser has a
// profile on disk, as a person's has (its origin-private file system, where the long downloads
// are written, is on disk); --incognito runs it off the record, where that storage is in
// memory. Run by scripts/bench-actions.sh after a release build of the page.
import fs from 'node:fs';
import { actionBenchSetup, blockingSince, freshPage, launchBrowser, launchProfile, loadFolder, memorySampler, startServer, wasmSampler } from './bench_lib.mjs';

const { arg, corpus } = actionBenchSetup();
const only = arg('--only')?.split(',') ?? null;

const version = (page) => page.evaluate(() => Number(document.querySelector('#status').dataset.version));

/** Where a change's time went, from the page's marks after `mark`: the engine's answer to the
 * new settings (`agent-ledger:configured`), then the overview asked and set (`…:analyzed`), then
 * drawing until the bench saw it settle (`end`, ms since the mark). */
async function phases(page, mark, end) {
  const at = await page.evaluate((m) => {
    const start = performance.getEntriesByName(m).at(-1).startTime;
    const after = (n) => performance.getEntriesByName(`agent-ledger:${n}`).map((e) => e.startTime).find((t) => t >= start);
    return { configured: after('configured') - start, analyzed: after('analyzed') - start };
  }, mark);
  if (!(at.configured >= 0 && at.analyzed >= 0)) return '';
  return `(engine ${at.configured.toFixed(0)}, overview ${(at.analyzed - at.configured).toFixed(0)}, drawn ${(end - at.analyzed).toFixed(0)} ms)`;
}

/** Change a setting and wait until the page's answers moved on and are drawn. */
async function settle(page, before) {
  await page.waitForFunction((v) => Number(document.querySelector('#status').dataset.version) > v, before, { timeout: 600000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
}

const { server, base } = await startServer();
const incognito = process.argv.includes('--incognito');
const profile = incognito ? null : await launchProfile();
const browser = incognito ? await launchBrowser() : null;
console.log(incognito ? 'browser: off the record (its storage in memory)' : 'browser: a profile on disk');
const rows = [];
try {
  const { page, context, problems } = await freshPage(browser, base, profile);
  const loadMemory = memorySampler();
  const loadMs = await loadFolder(page, corpus.dir);
  const loaded = loadMemory();
  console.log(`loaded in ${(loadMs / 1000).toFixed(1)} s; browser memory peak ${loaded.peak.toFixed(0)} MB (idle ${loaded.idle.toFixed(0)} MB)`);

  /** Time one action: `run` does it and resolves when its result is there. */
  async function measure(name, run, settles = false) {
    if (only && !only.some((o) => name.includes(o))) return;
    await page.waitForTimeout(500);
    const mark = `bench:${name}`;
    await page.evaluate((m) => performance.mark(m), mark);
    const memory = memorySampler();
    const wasm = await wasmSampler(page);
    const start = Date.now();
    const detail = await run();
    const ms = Date.now() - start;
    const mem = memory();
    const workers = await wasm();
    const breakdown = settles ? await phases(page, mark, ms) : '';
    const blocked = await blockingSince(page, mark);
    rows.push({ name, ms, blocked, overLoadPeak: mem.peak - loaded.peak, detail: [detail, breakdown].filter(Boolean).join(' ') });
    console.log(`${name}: ${ms} ms, main thread blocked ${blocked.toFixed(0)} ms, peak ${(mem.peak - loaded.peak).toFixed(0)} MB over the load's ${[detail, breakdown].filter(Boolean).join(' ')}${workers ? `; ${workers}` : ''}`);
  }

  const names = await page.$$eval('[data-download]', (b) => b.map((x) => x.dataset.download));
  for (const name of names) {
    await measure(`download ${name}`, async () => {
      const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 900000 }), page.click(`[data-download="${name}"]`)]);
      const size = fs.statSync(await dl.path()).size;
      return `(${(size / 1e6).toFixed(1)} MB)`;
    });
  }
  // The first two models offered: a first filter, then another after switching back (the engine
  // keeps what the first worked out for the next).
  const [model, other] = await page.$eval('#filter-model', (s) => [...s.options].map((o) => o.value).filter((v) => v));
  const filters = [['model filter on', model], ['model filter off', ''], ['another model filter on', other], ['another model filter off', '']];
  for (const [what, value] of filters.filter(([, v]) => v !== undefined)) {
    await measure(what, async () => { const v = await version(page); await page.selectOption('#filter-model', value); await settle(page, v); }, true);
  }
  await page.click('details.redaction summary');
  for (const [what, on] of [['redaction switch on (e-mail addresses)', true], ['redaction switch off', false]]) {
    await measure(what, async () => {
      const v = await version(page);
      await page.setChecked('input[data-rule="email"]', on);
      await settle(page, v);
    }, true);
  }
  for (const [what, zone] of [['time zone Asia/Tokyo', 'Asia/Tokyo'], ['time zone back to UTC', '']]) {
    await measure(what, async () => {
      const v = await version(page);
      await page.fill('#time-zone', zone);
      await page.dispatchEvent('#time-zone', 'change');
      await settle(page, v);
    }, true);
  }
  // The biggest table (issue #14.3: a sort or a search of many rows answered quickly): each
  // measured until the first row, or the count, the page shows has changed.
  const tableActions = ['table: sort usage_tokens by total tokens', 'table: find "cached" in usage_tokens'];
  if (!only || only.some((o) => tableActions.some((name) => name.includes(o)))) {
    await page.evaluate(() => { location.hash = '#/tokens'; });
    await page.waitForSelector('#usage tbody tr:not(.spacer)', { timeout: 60000 });
  }
  const firstRow = () => page.$eval('#usage tbody tr:not(.spacer)', (r) => r.textContent);
  await measure(tableActions[0], async () => {
    const before = await firstRow();
    await page.click('#usage th button.sort >> text="total tokens"');
    await page.waitForFunction((b) => document.querySelector('#usage tbody tr:not(.spacer)')?.textContent !== b, before, { timeout: 60000 });
  });
  await measure(tableActions[1], async () => {
    const before = await page.$eval('#usage .table-count', (e) => e.textContent);
    await page.fill('#usage input.table-filter', 'cached');
    await page.dispatchEvent('#usage input.table-filter', 'change');
    await page.waitForFunction((b) => document.querySelector('#usage .table-count')?.textContent !== b, before, { timeout: 60000 });
  });
  if (problems.length) throw new Error(problems.join('; '));
  if (incognito) await context.close();
} finally {
  await (incognito ? browser.close() : profile.close());
  server.kill();
}
console.log('');
console.log('| action | time ms | main thread blocked ms | browser peak over the load\'s peak MB |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} ${r.detail} | ${r.ms} | ${r.blocked.toFixed(0)} | ${r.overLoadPeak.toFixed(0)} |`);
