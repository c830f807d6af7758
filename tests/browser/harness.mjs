// What every browser test shares: a static server over the built page, one Chromium, a fresh page
// that records errors and requests, and the steps of the page's automation contract (DESIGN.md
// section 5): showing a view, waiting for #status, taking a download.
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../..');
export const dist = process.env.DIST ? path.resolve(process.env.DIST) : path.join(repo, 'dist');

/** `before(h.start)`, `after(h.stop)`, then `h.openPage()` in each test. `serve: false` starts no
 * server (the single file opens from disk: `h.openPage({ url: 'file://…' })`). */
export function harness({ serve = true } = {}) {
  const h = { server: null, browser: null, base: null };
  h.start = async () => {
    if (serve) {
      assert.ok(fs.existsSync(path.join(dist, 'index.html')), `no built page in ${dist}: run scripts/build.sh`);
      const port = 20000 + Math.floor(Math.random() * 20000);
      h.server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dist], { stdio: 'ignore' });
      h.base = `http://127.0.0.1:${port}/`;
      for (let i = 0; i < 50; i++) {
        try { if ((await fetch(h.base)).ok) break; } catch { /* not up yet */ }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    h.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
  };
  h.stop = async () => {
    await h.browser?.close();
    h.server?.kill();
  };
  /** A fresh page that records errors and every request it makes, once it says `empty`. */
  /** `observe(page, context)` runs before the page is opened (to listen from its first moment). */
  h.openPage = async ({ width = 1280, theme = 'light', url = h.base, observe = null } = {}) => {
    const context = await h.browser.newContext({ acceptDownloads: true, viewport: { width, height: 900 }, colorScheme: theme });
    const page = await context.newPage();
    const problems = [];
    const requests = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('request', (r) => requests.push(r.url()));
    if (observe) observe(page, context);
    await page.goto(url);
    await page.waitForSelector('#status[data-state="empty"]');
    return { page, context, problems, requests };
  };
  return h;
}

/** Show a view by its hash and wait for its root. */
export async function show(page, view) {
  await page.evaluate((v) => { location.hash = `#/${v}`; }, view);
  await page.waitForSelector(`[data-view="${view}"]`);
}

/** Wait until the page has loaded what it was given, and insist it is `ready`. */
export async function waitReady(page) {
  await page.waitForSelector('#status[data-state="ready"], #status[data-state="error"]', { timeout: 120000 });
  assert.equal(await page.getAttribute('#status', 'data-state'), 'ready', await page.textContent('#status'));
}

/** Take one download by its `data-download` name (the buttons live on the overview). */
export async function download(page, name) {
  if (!(await page.locator(`[data-download="${name}"]`).count())) await show(page, 'overview');
  await page.waitForSelector(`[data-download="${name}"]:not([disabled])`);
  const got = await downloadFrom(page.locator(`[data-download="${name}"]`));
  assert.equal(got.name, name);
  return got.bytes;
}

/** The files the long downloads were written to as they were built (the origin-private file
 * system's `agent-ledger-downloads`, `src/worker/spill.rs`): name and size of each. */
export async function downloadsOnDisk(page) {
  for (let tries = 0; tries < 20; tries++) {
    const files = await listDownloadsOnDisk(page);
    if (files) return files;
  }
  throw new Error('the downloads\' folder kept changing while it was listed');
}

function listDownloadsOnDisk(page) {
  return page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    let dir;
    try { dir = await root.getDirectoryHandle('agent-ledger-downloads'); } catch { return []; }
    const files = [];
    // The engine's worker may be removing old files meanwhile (its sweep at start): a file gone
    // between the listing and its size was removed, and is not counted.
    try {
      for await (const [name, handle] of dir.entries()) {
        try { files.push({ name, size: (await handle.getFile()).size }); } catch { /* removed meanwhile */ }
      }
    } catch { /* the listing changed under it: list again */ return null; }
    return files;
  });
}

/** Click what makes a download (a locator) and answer the file's name and bytes. */
export async function downloadFrom(locator) {
  const page = locator.page();
  const [dl] = await Promise.all([page.waitForEvent('download'), locator.click()]);
  const bytes = fs.readFileSync(await dl.path());
  // Chromium holds back downloads that follow each other within a few milliseconds (its
  // multiple-download limiter); a person never clicks that fast.
  await page.waitForTimeout(300);
  return { name: dl.suggestedFilename(), bytes };
}

/** In the SQL console (#/sql): type a query, run it, and wait for its outcome (a new result or an alert). */
export async function runSql(page, sql) {
  await page.fill('#sql', sql);
  await page.waitForSelector('#run-sql:not([disabled])', { timeout: 120000 });
  const shown = await page.$('.sql-result .table-count');
  const before = shown ? await shown.textContent() : null;
  await page.click('#run-sql');
  await page.waitForFunction((before) => {
    const alert = document.querySelector('[data-view="sql"] [role="alert"]');
    const count = document.querySelector('.sql-result .table-count')?.textContent;
    const idle = !document.querySelector('#run-sql')?.disabled;
    return idle && ((alert && !alert.hidden) || (count && count !== before));
  }, before, { timeout: 120000 });
}

/** The cells of the SQL console's result rows that are in the DOM, as text. */
export const sqlCells = (page) => page.$$eval('table[data-sql-result] tbody tr[data-row]', (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));

/** A minimal RFC 4180 reader, enough for the page's CSV downloads. */
export function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  const [header, ...data] = rows;
  return data.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}
