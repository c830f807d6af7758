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

/** `before(h.start)`, `after(h.stop)`, then `h.openPage()` in each test. */
export function harness() {
  const h = { server: null, browser: null, base: null };
  h.start = async () => {
    assert.ok(fs.existsSync(path.join(dist, 'index.html')), `no built page in ${dist}: run scripts/build.sh`);
    const port = 20000 + Math.floor(Math.random() * 20000);
    h.server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dist], { stdio: 'ignore' });
    h.base = `http://127.0.0.1:${port}/`;
    for (let i = 0; i < 50; i++) {
      try { if ((await fetch(h.base)).ok) break; } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 100));
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
  h.openPage = async ({ width = 1280, theme = 'light' } = {}) => {
    const context = await h.browser.newContext({ acceptDownloads: true, viewport: { width, height: 900 }, colorScheme: theme });
    const page = await context.newPage();
    const problems = [];
    const requests = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(h.base);
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
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`[data-download="${name}"]`)]);
  assert.equal(dl.suggestedFilename(), name);
  const bytes = fs.readFileSync(await dl.path());
  // Chromium holds back downloads that follow each other within a few milliseconds (its
  // multiple-download limiter); a person never clicks that fast.
  await page.waitForTimeout(300);
  return bytes;
}
