// How long the engine's worker stays busy after Cancel on the zip (issue #18.4), timed in
// Chromium on a big load: the zip is asked for, Cancel is clicked `--after` seconds later, and at
// once the tokens view is shown; the time runs from the click on Cancel until the view's first
// rows (a page of `usage_tokens.csv`, asked of the worker) are drawn. Where the page's worker
// reports how far it got ("Cancelled … after N of M files"), the time until that answer too.
// Works against a build from before the change (its Cancel only stopped waiting): the same
// clicks, the same view.
//
//   node bench-cancel.mjs [--dir DIR] [--after 2,5,8]
//
// Without --dir it loads the generated real-world profile (bench_lib.mjs; Playwright hangs on a
// symbolic link to the folder: pass its real path).
import fs from 'node:fs';
import path from 'node:path';
import { dist, folderStats, freshPage, launchBrowser, realWorldCorpus, startServer } from './bench_lib.mjs';

const argv = process.argv.slice(2);
const arg = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : null; };
const delays = (arg('--after') ?? '2,5,8').split(',').map(Number);
if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error(`no built page in ${dist}: run scripts/build.sh`);
const corpus = arg('--dir') ? { dir: path.resolve(arg('--dir')) } : realWorldCorpus();
const { files, bytes } = folderStats(corpus.dir);

const { server, base } = await startServer();
const browser = await launchBrowser();
const rows = [];
try {
  console.log(`corpus: ${corpus.dir}: ${files} files, ${(bytes / 2 ** 30).toFixed(2)} GiB; page: ${dist}`);
  const { page, context, problems } = await freshPage(browser, base);
  const t0 = Date.now();
  await page.setInputFiles('#folder-input', corpus.dir);
  await page.waitForSelector('#status[data-state="ready"], #status[data-state="error"]', { timeout: 900000 });
  console.log(`loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  let saved = 0;
  page.on('download', () => { saved++; });
  for (const after of delays) {
    await page.evaluate(() => { location.hash = '#/overview'; });
    await page.waitForSelector('[data-download="agent-ledger-export.zip"]:not([disabled])', { timeout: 900000 });
    await page.waitForTimeout(1000);
    await page.click('[data-download="agent-ledger-export.zip"]');
    await page.waitForTimeout(after * 1000);
    const progress = await page.evaluate(() => document.querySelector('#download-progress')?.getAttribute('aria-valuenow') ?? '');
    // Cancel, then at once ask the worker for something else: the tokens view's first rows.
    const timing = await page.evaluate(async () => {
      const t = performance.now();
      document.querySelector('#cancel-download').click();
      location.hash = '#/tokens';
      let answered = null;
      const said = () => /^Cancelled .* after/.test(document.querySelector('.download-status')?.textContent || '');
      for (;;) {
        if (answered === null && said()) answered = performance.now() - t;
        if (document.querySelector('#usage tbody tr[data-row]')) break;
        await new Promise((r) => requestAnimationFrame(r));
      }
      return { view: performance.now() - t, answered };
    });
    const row = { after, progress, view: Math.round(timing.view), answered: timing.answered === null ? '' : Math.round(timing.answered) };
    rows.push(row);
    console.log(`cancel ${after} s into the zip (${progress || '?'} files done): the tokens view's rows after ${row.view} ms; the worker's "Cancelled" after ${row.answered || '-'} ms`);
  }
  // The worker of a build from before the change finishes the zip it started: let it.
  await page.waitForTimeout(1000);
  if (saved) problems.push(`${saved} cancelled zip(s) were saved`);
  if (problems.length) throw new Error(problems.join('; '));
  await context.close();
} finally {
  await browser.close();
  server.kill();
}
console.log('');
console.log('| Cancel, seconds into the zip | files done | Cancel → tokens view drawn, ms | Cancel → worker\'s "Cancelled", ms |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.after} | ${r.progress || '-'} | ${r.view} | ${r.answered || '-'} |`);
