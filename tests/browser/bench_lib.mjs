// What the browser benchmarks share (bench.mjs: loading; bench-actions.mjs: what a person does
// after): the generated real-world corpus, a static server over a copy of the built page, the
// browser's memory sampled from /proc, and the main thread's blocking time from the Long Tasks API.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../..');
export const dist = process.env.DIST ? path.resolve(process.env.DIST) : path.join(repo, 'dist');

/** The generated real-world corpus, written once; its oracle is kept beside it, not inside. */
export function realWorldCorpus() {
  const dir = path.join(here, 'out', 'corpus-real-world');
  const oracle = path.join(here, 'out', 'corpus-real-world.expect.json');
  if (!fs.existsSync(oracle)) {
    fs.rmSync(dir, { recursive: true, force: true });
    console.log('writing the real-world corpus (seed 7) with ledger-corpus…');
    execFileSync('cargo', ['run', '--quiet', '--release', '--bin', 'ledger-corpus', '--', '--profile', 'real-world',
      '--seed', '7', '--out', dir], { cwd: repo, stdio: 'inherit' });
    fs.renameSync(path.join(dir, 'expect.json'), oracle);
  }
  const expect = JSON.parse(fs.readFileSync(oracle, 'utf8'));
  return { dir, expectedLines: expect.files.reduce((n, f) => n + f.buckets.lines, 0) };
}

export function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

export function folderStats(dir) {
  let files = 0;
  let bytes = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) { files++; bytes += fs.statSync(p).size; }
    }
  };
  walk(dir);
  return { files, bytes };
}

/** The baseline's reader: a worker (same origin as the page, so the page's CSP allows it) that
 * reads every byte of the files it is sent, 16 reads in flight, the fastest way Chromium offers: a
 * file of at most 4 MB whole with arrayBuffer(), a longer one in 4 MB slice().arrayBuffer()s (a
 * slice is a new Blob, which costs the asking thread more than the bytes of a small file do). */
const READ_ONLY_WORKER = `onmessage = async (e) => {
  const SLICE = 4 << 20, jobs = [];
  for (const f of e.data) for (let a = 0; a < f.size; a += SLICE) jobs.push([f, a]);
  let next = 0, bytes = 0;
  const reader = async () => { while (next < jobs.length) { const [f, a] = jobs[next++];
    const read = f.size <= SLICE ? f.arrayBuffer() : f.slice(a, Math.min(a + SLICE, f.size)).arrayBuffer();
    const n = (await read).byteLength; bytes += n; } };
  await Promise.all(Array.from({ length: 16 }, reader));
  postMessage(bytes);
};`;

/** What the action benchmarks (bench-actions.mjs, bench-cancel.mjs) start from: their flags
 * (`arg('--only')`), the built page, and the corpus: `--dir DIR` (its real path: Playwright hangs
 * on a symbolic link to a folder) or else the generated real-world profile. */
export function actionBenchSetup() {
  const argv = process.argv.slice(2);
  const arg = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : null; };
  if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error(`no built page in ${dist}: run scripts/build.sh`);
  const corpus = arg('--dir') ? { dir: path.resolve(arg('--dir')) } : realWorldCorpus();
  const { files, bytes } = folderStats(corpus.dir);
  console.log(`corpus: ${corpus.dir}: ${files} files, ${(bytes / 2 ** 30).toFixed(2)} GiB; page: ${dist}`);
  return { arg, corpus };
}

/** Open a folder on the page and wait until it is loaded (or failed); its time in ms. */
export async function loadFolder(page, dir) {
  const t0 = Date.now();
  await page.setInputFiles('#folder-input', dir);
  await page.waitForSelector('#status[data-state="ready"], #status[data-state="error"]', { timeout: 900000 });
  return Date.now() - t0;
}

export async function startServer() {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const served = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-bench-'));
  fs.cpSync(dist, served, { recursive: true });
  fs.writeFileSync(path.join(served, 'bench-read-only-worker.js'), READ_ONLY_WORKER);
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', served], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 50; i++) {
    try { if ((await fetch(base)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { server, base };
}

/** Resident memory of every Chromium process, in MB (the browser, its renderers and workers). */
export function browserRssMB() {
  let kb = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('chromium')) continue;
      const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch { /* the process ended */ }
  }
  return kb / 1024;
}

/** Samples browserRssMB() every 100 ms until stopped; returns the idle level and the peak. */
export function memorySampler() {
  const idle = browserRssMB();
  let peak = idle;
  const timer = setInterval(() => { peak = Math.max(peak, browserRssMB()); }, 100);
  return () => { clearInterval(timer); return { idle, peak: Math.max(peak, browserRssMB()) }; };
}

/** The wasm memory of each of `page`'s workers (MB, by the worker's name: "engine" for the
 * unnamed one), read in each through its `wasm_memory_bytes()`; none for a build without it. */
export async function workersWasmMB(page) {
  const out = {};
  for (const worker of page.workers()) {
    try {
      const [name, bytes] = await worker.evaluate(() => [self.name,
        // eslint-disable-next-line no-undef
        typeof wasm_bindgen === 'function' && wasm_bindgen.wasm_memory_bytes ? wasm_bindgen.wasm_memory_bytes() : null]);
      if (bytes !== null) out[(name || 'engine').replace(/^agent-ledger-/, '')] = bytes / 1e6;
    } catch { /* the worker ended */ }
  }
  return out;
}

/** Each worker's wasm memory before, and its peak while an action runs (sampled every 100 ms:
 * a worker started for the action, the zip's second one, ends with it). `stop()` answers a line. */
export async function wasmSampler(page) {
  const before = await workersWasmMB(page);
  const peak = { ...before };
  let sampling = false;
  const sample = async () => {
    if (sampling) return;
    sampling = true;
    for (const [k, v] of Object.entries(await workersWasmMB(page))) peak[k] = Math.max(peak[k] ?? 0, v);
    sampling = false;
  };
  const timer = setInterval(sample, 100);
  return async () => {
    clearInterval(timer);
    await sample();
    const names = Object.keys(peak).filter((k) => !/^parse/.test(k));
    if (!names.length) return '';
    return 'wasm ' + names.map((k) => (k in before ? `${k} ${before[k].toFixed(0)}→${peak[k].toFixed(0)}` : `${k} ${peak[k].toFixed(0)}`) + ' MB').join(', ');
  };
}

/** Total blocking time of the main thread since `from` (ms): the part of each long task past 50 ms. */
export async function blockingSince(page, fromMark) {
  return page.evaluate((fromMark) => {
    const from = fromMark ? (performance.getEntriesByName(fromMark)[0]?.startTime ?? 0) : (window.__benchT0 ?? 0);
    return window.__benchTasks.filter(([start, d]) => start + d > from).reduce((a, [, d]) => a + Math.max(0, d - 50), 0);
  }, fromMark);
}

/** A new page at `base`, in a new off-the-record context of `browser`, or in `profile`'s
 * context ({@link launchProfile}). */
export async function freshPage(browser, base, profile = null) {
  const context = profile ? profile.context : await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  // Keep a handle on the wasm memory (it only ever grows, so its final size is the peak) and
  // the longest task the main thread ran (Long Tasks API: tasks over 50 ms).
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => { window.__benchWasm = e.detail.wasm; });
    window.__benchTasks = [];
    new PerformanceObserver((list) => {
      for (const t of list.getEntries()) window.__benchTasks.push([t.startTime, t.duration]);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(base);
  await page.waitForSelector('#status[data-state="empty"]');
  return { page, context, problems };
}


const LAUNCH = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
};

/** Chromium as the tests run it (Debian's, headless). */
export function launchBrowser() {
  return chromium.launch(LAUNCH);
}

/** Chromium with a profile on disk, as a person runs it: its origin-private file system (where
 * the long downloads are written as they are built) is on disk, where an off-the-record context
 * keeps it in memory. `close()` ends the browser and removes the profile. */
export async function launchProfile() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-profile-'));
  const context = await chromium.launchPersistentContext(dir, { ...LAUNCH, viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  return { context, close: async () => { await context.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}
