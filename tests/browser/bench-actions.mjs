// What a person does after a big load, timed in Chromium (issue #18): every download, a model
// filter change and back, a redaction switch and back, a time-zone change and back. Each with the
// time until the result is there (the download handed to the browser; the views' new answers
// drawn), the main thread's blocking time during it (the part of each long task past 50 ms), and
// the browser's peak memory over the load's own peak, all in one run.
//
//   node bench-actions.mjs [--dir DIR] [--only NAME,...]
//
// Without --dir it loads the generated real-world profile (bench_lib.mjs). Run by
// scripts/bench-actions.sh after a release build of the page.
import fs from 'node:fs';
import path from 'node:path';
import { blockingSince, dist, folderStats, freshPage, launchBrowser, memorySampler, realWorldCorpus, startServer } from './bench_lib.mjs';

const argv = process.argv.slice(2);
const arg = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : null; };
const only = arg('--only')?.split(',') ?? null;
if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error(`no built page in ${dist}: run scripts/build.sh`);
const corpus = arg('--dir') ? { dir: path.resolve(arg('--dir')) } : realWorldCorpus();
const { files, bytes } = folderStats(corpus.dir);

const version = (page) => page.evaluate(() => Number(document.querySelector('#status').dataset.version));

/** Change a setting and wait until the page's answers moved on and are drawn. */
async function settle(page, before) {
  await page.waitForFunction((v) => Number(document.querySelector('#status').dataset.version) > v, before, { timeout: 600000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
}

const { server, base } = await startServer();
const browser = await launchBrowser();
const rows = [];
try {
  console.log(`corpus: ${corpus.dir}: ${files} files, ${(bytes / 2 ** 30).toFixed(2)} GiB`);
  const { page, context, problems } = await freshPage(browser, base);
  const loadMemory = memorySampler();
  const t0 = Date.now();
  await page.setInputFiles('#folder-input', corpus.dir);
  await page.waitForSelector('#status[data-state="ready"], #status[data-state="error"]', { timeout: 900000 });
  const loaded = loadMemory();
  console.log(`loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s; browser memory peak ${loaded.peak.toFixed(0)} MB (idle ${loaded.idle.toFixed(0)} MB)`);

  /** Time one action: `run` does it and resolves when its result is there. */
  async function measure(name, run) {
    if (only && !only.some((o) => name.includes(o))) return;
    await page.waitForTimeout(500);
    const mark = `bench:${name}`;
    await page.evaluate((m) => performance.mark(m), mark);
    const memory = memorySampler();
    const start = Date.now();
    const detail = await run();
    const ms = Date.now() - start;
    const mem = memory();
    const blocked = await blockingSince(page, mark);
    rows.push({ name, ms, blocked, overLoadPeak: mem.peak - loaded.peak, detail: detail ?? '' });
    console.log(`${name}: ${ms} ms, main thread blocked ${blocked.toFixed(0)} ms, peak ${(mem.peak - loaded.peak).toFixed(0)} MB over the load's ${detail ?? ''}`);
  }

  const names = await page.$$eval('[data-download]', (b) => b.map((x) => x.dataset.download));
  for (const name of names) {
    await measure(`download ${name}`, async () => {
      const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 900000 }), page.click(`[data-download="${name}"]`)]);
      const size = fs.statSync(await dl.path()).size;
      return `(${(size / 1e6).toFixed(1)} MB)`;
    });
  }
  const model = await page.$eval('#filter-model', (s) => [...s.options].map((o) => o.value).find((v) => v));
  for (const [what, value] of [['model filter on', model], ['model filter off', '']]) {
    await measure(what, async () => { const v = await version(page); await page.selectOption('#filter-model', value); await settle(page, v); });
  }
  await page.click('details.redaction summary');
  for (const [what, on] of [['redaction switch on (e-mail addresses)', true], ['redaction switch off', false]]) {
    await measure(what, async () => {
      const v = await version(page);
      await page.setChecked('input[data-rule="email"]', on);
      await settle(page, v);
    });
  }
  for (const [what, zone] of [['time zone Asia/Tokyo', 'Asia/Tokyo'], ['time zone back to UTC', '']]) {
    await measure(what, async () => {
      const v = await version(page);
      await page.fill('#time-zone', zone);
      await page.dispatchEvent('#time-zone', 'change');
      await settle(page, v);
    });
  }
  if (problems.length) throw new Error(problems.join('; '));
  await context.close();
} finally {
  await browser.close();
  server.kill();
}
console.log('');
console.log('| action | time ms | main thread blocked ms | browser peak over the load\'s peak MB |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} ${r.detail} | ${r.ms} | ${r.blocked.toFixed(0)} | ${r.overLoadPeak.toFixed(0)} |`);
