// How long the engine's worker stays busy after Cancel on the zip (issue #18.4), timed in
// Chromium on a big load. First the zip uninterrupted (its time, and when each file was done where
// the page shows it). Then, for each delay of `--after`, two runs: the zip is asked for, Cancel is
// clicked that many seconds later and (1) at once the tokens view is shown, timed from the click
// until its first rows (a page of `usage_tokens.csv`, asked of the worker) are drawn, or (2) the
// page stays, timed until it says "Cancelled" (the worker's answer; before the change, the page's
// own giving up at once). And the tokens view with no download, for what the view itself takes.
// Works against a build from before the change (its Cancel only stopped waiting): the same clicks.
//
//   node bench-cancel.mjs [--dir DIR] [--after 2,5,8]
//
// Without --dir it loads the generated real-world profile (bench_lib.mjs; Playwright hangs on a
// symbolic link to the folder: pass its real path).
import fs from 'node:fs';
import { actionBenchSetup, freshPage, launchBrowser, loadFolder, startServer } from './bench_lib.mjs';

const { arg, corpus } = actionBenchSetup();
const delays = (arg('--after') ?? '2,5,8').split(',').map(Number);

const { server, base } = await startServer();
const browser = await launchBrowser();
const rows = [];
try {
  const { page, context, problems } = await freshPage(browser, base);
  console.log(`loaded in ${((await loadFolder(page, corpus.dir)) / 1000).toFixed(1)} s`);
  // First the zip uninterrupted: its time, and (where the page shows its files done) when each
  // file was done, to see the longest stretch between two.
  await page.waitForSelector('[data-download="agent-ledger-export.zip"]:not([disabled])');
  await page.evaluate(() => {
    window.__zipSteps = [];
    new MutationObserver(() => {
      const v = document.querySelector('#download-progress')?.getAttribute('aria-valuenow');
      if (v !== null && v !== undefined) window.__zipSteps.push([Number(v), performance.now()]);
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  });
  const z0 = Date.now();
  const t0zip = await page.evaluate(() => performance.now());
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 900000 }), page.click('[data-download="agent-ledger-export.zip"]')]);
  const zipMs = Date.now() - z0;
  const size = fs.statSync(await dl.path()).size;
  const steps = await page.evaluate(() => window.__zipSteps);
  let longest = [0, -1];
  steps.forEach(([n, t], i) => { const d = t - (i ? steps[i - 1][1] : t0zip); if (d > longest[0]) longest = [d, n]; });
  console.log(`the zip uninterrupted: ${zipMs} ms, ${(size / 1e6).toFixed(1)} MB; ${steps.length} progress reports; ` +
    `longest stretch ${longest[0].toFixed(0)} ms (to file ${longest[1]} done)`);
  console.log(`files done at (ms): ${steps.map(([n, t]) => `${n}@${(t - t0zip).toFixed(0)}`).join(' ')}`);
  let saved = 0;
  page.on('download', () => { saved++; });
  /** From the overview, click the zip; `after` seconds later Cancel, then `next` (in the page). */
  async function trial(after, next) {
    await page.evaluate(() => { location.hash = '#/overview'; });
    await page.waitForSelector('[data-download="agent-ledger-export.zip"]:not([disabled])', { timeout: 900000 });
    await page.waitForTimeout(1000);
    await page.click('[data-download="agent-ledger-export.zip"]');
    await page.waitForTimeout(after * 1000);
    const progress = await page.evaluate(() => document.querySelector('#download-progress')?.getAttribute('aria-valuenow') ?? '');
    const ms = await page.evaluate(next);
    return { progress, ms: Math.round(ms) };
  }
  // Cancel, then at once ask the worker for something else: the tokens view's first rows.
  const tokens = async () => {
    const t = performance.now();
    document.querySelector('#cancel-download')?.click();
    location.hash = '#/tokens';
    while (!document.querySelector('#usage tbody tr[data-row]')) await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t;
  };
  // Cancel and stay: until the status says so (the worker's answer, or before the change the
  // page's own giving up).
  const cancelled = async () => {
    const t = performance.now();
    document.querySelector('#cancel-download').click();
    while (!/^Cancelled/.test(document.querySelector('.download-status')?.textContent || '')) await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t;
  };
  // The same view with no download: what the view itself takes.
  await page.evaluate(() => { location.hash = '#/overview'; });
  await page.waitForTimeout(1000);
  const idle = Math.round(await page.evaluate(async () => {
    const t = performance.now();
    location.hash = '#/tokens';
    while (!document.querySelector('#usage tbody tr[data-row]')) await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t;
  }));
  console.log(`the tokens view with no download: ${idle} ms`);
  for (const after of delays) {
    const view = await trial(after, tokens);
    const said = await trial(after, cancelled);
    const row = { after, progress: `${view.progress || '-'} / ${said.progress || '-'}`, view: view.ms, answered: said.ms };
    rows.push(row);
    console.log(`cancel ${after} s into the zip (${row.progress} files done): the tokens view's rows after ${row.view} ms; "Cancelled" after ${row.answered} ms`);
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
console.log('| Cancel, seconds into the zip | files done (the two runs) | Cancel → tokens view drawn, ms | Cancel → "Cancelled" shown, ms |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.after} | ${r.progress || '-'} | ${r.view} | ${r.answered || '-'} |`);
