// In-browser benchmark: the built page reads a whole log folder through #folder-input in real
// Chromium, against a baseline measured in the same run and the same browser: reading every byte
// of the same folder with `arrayBuffer()` (a file of at most 4 MB whole, a longer one in 4 MB
// slices) and nothing else, the fastest read Chromium offers, which is the floor the page cannot beat.
//
//   node bench.mjs [--dir DIR] [--runs N] [--file-input] [--page-query Q]
//
// --file-input hands the files themselves to #file-input instead of the folder to #folder-input.
// --page-query appends Q to the page's URL (not the baseline's), e.g. `pool=off`.
//
// Without --dir it writes the real-world profile (seed 7, 3,100 files, 1.21 GiB) with the release
// `ledger-corpus` into out/corpus-real-world (once) and checks the page's line total against the
// generator's oracle. Run by scripts/bench-browser.sh after a release build of the page.
import fs from 'node:fs';
import path from 'node:path';
import {
  blockingSince, dist, folderStats, freshPage, launchBrowser, listFiles, memorySampler, realWorldCorpus, startServer,
} from './bench_lib.mjs';

function parseArgs() {
  const args = { dir: null, runs: 2, input: '#folder-input', query: '' };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dir') args.dir = path.resolve(argv[++i]);
    else if (argv[i] === '--runs') args.runs = Math.max(1, Number(argv[++i]));
    else if (argv[i] === '--file-input') args.input = '#file-input';
    else if (argv[i] === '--page-query') args.query = `?${argv[++i]}`;
    else throw new Error(`unknown argument ${argv[i]} (usage: node bench.mjs [--dir DIR] [--runs N] [--file-input] [--page-query Q])`);
  }
  return args;
}

/** Time from handing the folder (or its files) to the page until the dashboard is drawn. */
async function pageRun(browser, base, dir, input) {
  // #file-input gets the files themselves (as a person selecting all of them), #folder-input the folder.
  const files = input === '#file-input' ? listFiles(dir) : dir;
  const { page, context, problems } = await freshPage(browser, base);
  const memBefore = await page.evaluate(() => window.__benchWasm?.memory?.buffer.byteLength ?? 0);
  const stopMemory = memorySampler();
  const t0 = Date.now();
  await page.setInputFiles(input, files);
  await page.waitForSelector('#status[data-state="ready"], #status[data-state="error"]', { timeout: 600000 });
  const ready = Date.now() - t0;
  // Let the views that depend on the new ledger finish drawing.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  const drawn = Date.now() - t0;
  const memory = stopMemory();
  const blocking = await blockingSince(page, 'agent-ledger:listed');
  const state = await page.getAttribute('#status', 'data-state');
  const text = await page.textContent('#status');
  // Where the engine worker's time went (src/worker/command.rs, LoadTimings).
  const worker = await page.getAttribute('#status', 'data-load-timings');
  const wasmBytes = await page.evaluate(() => window.__benchWasm?.memory?.buffer.byteLength ?? 0);
  // The page's own tasks: from its change handler on. Before it, Chromium builds the list of
  // files (one long task of its own, in the read-only baseline too).
  const longestTask = await page.evaluate(() => {
    const listed = performance.getEntriesByName('agent-ledger:listed')[0]?.startTime ?? 0;
    return Math.max(0, ...window.__benchTasks.filter(([start, d]) => start + d > listed).map(([, d]) => d));
  });
  // The page's own marks (src/ui/timing.rs): change event, files handed over, every byte fed,
  // ingest finished, audit and rollups done.
  // As wall-clock times, comparable with t0 (same machine clock).
  const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark')
    .filter((m) => m.name.startsWith('agent-ledger:')).map((m) => [m.name.slice(13), performance.timeOrigin + m.startTime])));
  marks.start = t0;
  await context.close();
  if (state !== 'ready' || problems.length) throw new Error(`page ended ${state}: ${text} ${problems.join('; ')}`);
  const lines = Number((/([\d,]+) lines/.exec(text)?.[1] ?? '').replaceAll(',', ''));
  const step = (a, b) => (marks[b] - marks[a]) / 1000;
  const steps = { list: step('start', 'listed'), pick: step('listed', 'picked'), read: step('picked', 'ingested'),
    analyze: step('ingested', 'analyzed') };
  return { ready, drawn, lines, steps, worker, longestTask, blocking, memory, wasmMB: wasmBytes / 1e6, wasmBeforeMB: memBefore / 1e6 };
}

/** Warm re-open: with "Keep parsed results on this device" on, the folder is loaded once (its
 * results stored), the page reloaded, and the same folder loaded again; timed like a cold run.
 * `null` where the page has no #remember. */
async function warmRun(browser, base, dir, input) {
  const files = input === '#file-input' ? listFiles(dir) : dir;
  const { page, context, problems } = await freshPage(browser, base);
  if (!(await page.locator('#remember').count())) { await context.close(); return null; }
  await page.check('#remember');
  await page.setInputFiles(input, files);
  await page.waitForSelector('#status[data-state="ready"], #status[data-state="error"]', { timeout: 600000 });
  await page.reload();
  await page.waitForSelector('#status[data-state="empty"]');
  const t0 = Date.now();
  await page.setInputFiles(input, files);
  await page.waitForSelector('#status[data-state="ready"], #status[data-state="error"]', { timeout: 600000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  const drawn = Date.now() - t0;
  const parsed = Number(await page.getAttribute('#status', 'data-parsed-files'));
  const worker = await page.getAttribute('#status', 'data-load-timings');
  // The page's marks of this load (after the reload), as in pageRun.
  const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark')
    .filter((m) => m.name.startsWith('agent-ledger:')).map((m) => [m.name.slice(13), performance.timeOrigin + m.startTime])));
  marks.start = t0;
  const step = (a, b) => ((marks[b] - marks[a]) / 1000).toFixed(2);
  const steps = `the browser lists the folder ${step('start', 'listed')} s; in the page: names ${step('listed', 'picked')} s, ` +
    `in the worker ${step('picked', 'ingested')} s, overview drawn ${step('ingested', 'analyzed')} s`;
  const text = await page.textContent('#status');
  // Leave nothing stored behind in the profile (the context is thrown away anyway).
  await page.click('#forget');
  await context.close();
  if (problems.length) throw new Error(`warm run: ${problems.join('; ')}`);
  return { drawn, parsed, worker, steps, lines: Number((/([\d,]+) lines/.exec(text)?.[1] ?? '').replaceAll(',', '')) };
}

/** The baseline: every byte of the same folder read in a worker with arrayBuffer() (whole files of
 * at most 4 MB, 4 MB slices of longer ones), 16 reads in flight, through an input of the same kind (folder or files), in the same
 * browser: the page's ceiling (DESIGN.md section 7). */
async function readOnlyRun(browser, base, dir, pageInput) {
  const folder = pageInput === '#folder-input';
  const { page, context } = await freshPage(browser, base);
  await page.evaluate((folder) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'bench-read-only';
    input.webkitdirectory = folder;
    input.multiple = true;
    input.hidden = true;
    const worker = new Worker('./bench-read-only-worker.js');
    window.__benchRead = new Promise((resolve) => {
      worker.onmessage = (e) => resolve(e.data);
      input.addEventListener('change', () => { window.__benchT0 = performance.now(); worker.postMessage([...input.files]); });
    });
    document.body.append(input);
  }, folder);
  const stopMemory = memorySampler();
  const t0 = Date.now();
  await page.setInputFiles('#bench-read-only', folder ? dir : listFiles(dir));
  const bytes = await page.evaluate(() => window.__benchRead);
  const ms = Date.now() - t0;
  const memory = stopMemory();
  const blocking = await blockingSince(page, null);
  await context.close();
  return { ms, bytes, memory, blocking };
}

const args = parseArgs();
if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error(`no built page in ${dist}: run scripts/build.sh`);
const corpus = args.dir ? { dir: args.dir, expectedLines: null } : realWorldCorpus();
const { files, bytes } = folderStats(corpus.dir);
const mb = bytes / 1e6;
const { server, base } = await startServer();
const browser = await launchBrowser();
try {
  console.log(`corpus: ${corpus.dir}: ${files} files, ${bytes} bytes (${(bytes / 2 ** 30).toFixed(2)} GiB)`);
  let bestRead = null;
  let bestPage = null;
  for (let run = 1; run <= args.runs; run++) {
    const read = await readOnlyRun(browser, base, corpus.dir, args.input);
    if (read.bytes !== bytes) throw new Error(`the baseline read ${read.bytes} bytes, the folder holds ${bytes}`);
    const got = await pageRun(browser, base + args.query, corpus.dir, args.input);
    if (corpus.expectedLines !== null && got.lines !== corpus.expectedLines) {
      throw new Error(`the page read ${got.lines} lines, the generator's oracle says ${corpus.expectedLines}`);
    }
    console.log(`run ${run}: read only ${(read.ms / 1000).toFixed(2)} s (${(mb / (read.ms / 1000)).toFixed(0)} MB/s); ` +
      `page ready ${(got.ready / 1000).toFixed(2)} s (${(mb / (got.ready / 1000)).toFixed(0)} MB/s), drawn ${(got.drawn / 1000).toFixed(2)} s, ` +
      `the page's own wasm memory ${got.wasmMB.toFixed(0)} MB (${got.wasmBeforeMB.toFixed(0)} MB before), longest task of the page ` +
      `${got.longestTask.toFixed(0)} ms, ${got.lines} lines\n` +
      `       the browser lists the folder ${got.steps.list.toFixed(2)} s; in the page: names ${got.steps.pick.toFixed(2)} s, ` +
      `read, parse, audit and rollups in the worker ${got.steps.read.toFixed(2)} s, overview drawn ${got.steps.analyze.toFixed(2)} s\n` +
      `       in the engine worker (ms): ${got.worker}\n` +
      `       main thread blocked: page ${got.blocking.toFixed(0)} ms, read only ${read.blocking.toFixed(0)} ms; ` +
      `browser memory peak over idle: page ${(got.memory.peak - got.memory.idle).toFixed(0)} MB, read only ${(read.memory.peak - read.memory.idle).toFixed(0)} MB`);
    if (!bestRead || read.ms < bestRead.ms) bestRead = read;
    if (!bestPage || got.drawn < bestPage.drawn) bestPage = got;
  }
  const rate = (ms) => (mb / (ms / 1000)).toFixed(0);
  const warm = await warmRun(browser, base + args.query, corpus.dir, args.input);
  if (warm) {
    if (warm.lines !== bestPage.lines) throw new Error(`warm re-open read ${warm.lines} lines, the cold load ${bestPage.lines}`);
    console.log(`warm re-open (results kept on this device, page reloaded): drawn ${(warm.drawn / 1000).toFixed(2)} s, ` +
      `${warm.parsed} files parsed, ${(warm.drawn / bestRead.ms).toFixed(2)}x the read-only time; ${warm.steps}; in the engine worker (ms): ${warm.worker}`);
  }
  console.log('');
  console.log(`through ${args.input}`);
  console.log('| corpus | files | GiB | read only (worker) s (MB/s) | page ready s (MB/s) | dashboard drawn s | page ÷ read-only time | main thread blocked ms: page / read only | browser memory over idle MB: page / read only | longest task ms |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  console.log(`| ${args.dir ? path.basename(corpus.dir) : 'real-world seed 7'} | ${files} | ${(bytes / 2 ** 30).toFixed(2)} | ` +
    `${(bestRead.ms / 1000).toFixed(2)} (${rate(bestRead.ms)}) | ${(bestPage.ready / 1000).toFixed(2)} (${rate(bestPage.ready)}) | ` +
    `${(bestPage.drawn / 1000).toFixed(2)} | ${(bestPage.drawn / bestRead.ms).toFixed(2)} | ` +
    `${bestPage.blocking.toFixed(0)} / ${bestRead.blocking.toFixed(0)} | ` +
    `${(bestPage.memory.peak - bestPage.memory.idle).toFixed(0)} / ${(bestRead.memory.peak - bestRead.memory.idle).toFixed(0)} | ` +
    `${bestPage.longestTask.toFixed(0)} |`);
} finally {
  await browser.close();
  server.kill();
}
