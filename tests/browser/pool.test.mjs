// The pool of parse workers (on unless the URL says ?pool=off) in a real Chromium: files are parsed
// by nested workers (#status[data-parse-workers]), a worker that dies on a file reports that file
// and the rest load with the totals they have alone, and Cancel stops every worker and keeps the
// page usable. With ?pool=off, or a single file, the engine worker parses, and
// #status[data-load-timings] says where its time went.
//
// Run: DIST=<dist folder> node --test pool.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { harness, here, repo, waitReady, download } from './harness.mjs';

const out = path.join(here, 'out', 'pool');
const h = harness();
before(async () => { fs.mkdirSync(out, { recursive: true }); await h.start(); });
after(h.stop);

const fixture = fs.readFileSync(path.join(repo, 'tests/fixtures/codex/fork-parent.jsonl'));

function folder(name, files) {
  const dir = path.join(out, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [f, bytes] of files) fs.writeFileSync(path.join(dir, f), bytes);
  return dir;
}

/** The page as a person opens it: the pool is on. */
const openPooled = () => h.openPage();

/** A page with the pool switched off. */
const openUnpooled = () => h.openPage({ url: `${h.base}?pool=off` });

const totals = async (page) => JSON.parse(await download(page, 'summary.json')).totals;

test('a parse worker that dies on a file: that file is reported, the rest load as they would alone', async (t) => {
  // The file name is the debug build's test hook (src/worker/parse.rs): its worker panics. It is
  // the largest, so it is handed out first, with another file waiting behind it in the same
  // worker (two files in hand): that one must be handed out again, not lost.
  const dir = folder('dies', [['a.jsonl', fixture], ['agent-ledger-test-panic.jsonl', Buffer.concat([fixture, fixture])], ['c.jsonl', fixture]]);
  const alone = folder('alone', [['a.jsonl', fixture], ['c.jsonl', fixture]]);
  const { page, context, problems } = await openPooled();
  await page.setInputFiles('#folder-input', alone);
  await waitReady(page);
  const want = await totals(page);
  assert.ok(Number(await page.getAttribute('#status', 'data-parse-workers')) >= 2, 'parsed by the pool');

  await page.setInputFiles('#folder-input', dir);
  await waitReady(page);
  const report = (await download(page, 'ingest_report.csv')).toString('utf8');
  const row = report.split('\n').find((l) => l.includes('agent-ledger-test-panic.jsonl'));
  if (!/parse worker stopped/.test(row)) {
    t.skip('a release build: the test hook is compiled out');
    await context.close();
    return;
  }
  assert.match(row, /could not be read to the end: the parse worker stopped on it/);
  assert.match(await page.textContent('#status'), /^Read 3 files, .* 1 file could not be read to the end \(see Files\)\./);
  assert.deepEqual(await totals(page), want, 'the other files, as they load alone');
  // The worker that died was replaced: the next load is whole again.
  await page.setInputFiles('#folder-input', alone);
  await waitReady(page);
  assert.deepEqual(await totals(page), want);
  // The panic's message is the worker's own console output, not the page's.
  assert.deepEqual(problems.filter((p) => !/test hook|unreachable|RuntimeError|panicked/.test(p)), []);
  await context.close();
});

test('Cancel stops every parse worker and keeps the page usable', async () => {
  const many = [];
  for (let i = 0; i < 400; i++) many.push([`rollout-${String(i).padStart(3, '0')}.jsonl`, fixture]);
  const dir = folder('many', many);
  const small = folder('small', [['a.jsonl', fixture]]);
  const { page, context, problems } = await openPooled();
  await page.setInputFiles('#folder-input', small);
  await waitReady(page);
  const before = await totals(page);
  await page.setInputFiles('#folder-input', dir);
  await page.waitForSelector('#cancel-load');
  await page.click('#cancel-load');
  // Back to what was loaded before, at once.
  await page.waitForSelector('#status[data-state="ready"]');
  assert.match(await page.textContent('#status'), /^Read 1 files, /);
  assert.deepEqual(await totals(page), before);
  // A new load starts new workers and completes.
  await page.setInputFiles('#folder-input', dir);
  await waitReady(page);
  assert.match(await page.textContent('#status'), /^Read 400 files, /);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a big file parsed by the pool moves the progress while it is parsed, not only when it ends', async () => {
  // 24 MB of lines no adapter keeps (six 4 MB slices) beside a small log: the small one ends
  // first, then the big one's bytes must show before it ends.
  const filler = Buffer.from(`${JSON.stringify({ type: 'noise', payload: { text: 'x'.repeat(200) } })}\n`);
  const big = Buffer.concat(Array(Math.ceil((24 << 20) / filler.length)).fill(filler));
  const dir = folder('progress', [['big.jsonl', big], ['small.jsonl', fixture]]);
  const { page, context, problems } = await openPooled();
  await page.evaluate(() => {
    window.seen = [];
    new MutationObserver(() => {
      const bar = document.querySelector('#status progress');
      if (bar) window.seen.push([document.querySelector('#status').textContent, Number(bar.value)]);
    }).observe(document.querySelector('#status'), { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await page.setInputFiles('#folder-input', dir);
  await waitReady(page);
  assert.ok(Number(await page.getAttribute('#status', 'data-parse-workers')) >= 2, 'parsed by the pool');
  const seen = await page.evaluate(() => window.seen);
  const share = fixture.length / (fixture.length + big.length);
  // While the big file was being parsed (not every file done), more than the small one's bytes.
  const during = seen.filter(([text, value]) => /^Read [01] of 2 files/.test(text) && value > share + 0.01 && value < 1);
  assert.ok(during.length >= 1, `progress seen: ${JSON.stringify(seen.map(([t, v]) => [t.slice(0, 40), v.toFixed(3)]))}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('parse workers that cannot start: the engine worker parses the files itself', async () => {
  // Every worker the engine worker starts runs a script that throws at once, so each parse
  // worker dies before it is ready. The pool must give up, not start workers forever, and the
  // load must end as it would without the pool.
  const dir = folder('nostart', [['a.jsonl', fixture], ['c.jsonl', fixture]]);
  const { page: plain, context: plainContext } = await openUnpooled();
  await plain.setInputFiles('#folder-input', dir);
  await waitReady(plain);
  const want = await totals(plain);
  await plainContext.close();

  const { page, context, problems } = await openPooled();
  const [engine] = page.workers();
  await engine.evaluate(() => {
    const broken = URL.createObjectURL(new Blob(['throw new Error("parse worker broken (test)")'], { type: 'text/javascript' }));
    const Real = self.Worker;
    self.brokenStarts = 0;
    self.Worker = function Worker(_, options) { self.brokenStarts++; return new Real(broken, options); };
  });
  await page.setInputFiles('#folder-input', dir);
  await waitReady(page);
  const starts = await engine.evaluate(() => self.brokenStarts);
  assert.ok(starts >= 2 && starts <= 4, `parse workers started: ${starts}`);
  assert.equal(await page.getAttribute('#status', 'data-parse-workers'), '0', 'parsed by the engine worker');
  assert.deepEqual(await totals(page), want);
  assert.deepEqual(problems.filter((p) => !/parse worker broken/.test(p)), []);
  await context.close();
});

test('a single file, or ?pool=off: the engine worker parses the files itself', async () => {
  const one = folder('one', [['a.jsonl', fixture]]);
  const pooled = await openPooled();
  await pooled.page.setInputFiles('#folder-input', one);
  await waitReady(pooled.page);
  assert.equal(await pooled.page.getAttribute('#status', 'data-parse-workers'), '0', 'one file: no pool');
  await pooled.context.close();

  const dir = folder('default', [['a.jsonl', fixture], ['b.jsonl', fixture]]);
  const { page, context, problems } = await openUnpooled();
  await page.setInputFiles('#folder-input', dir);
  await waitReady(page);
  assert.equal(await page.getAttribute('#status', 'data-parse-workers'), '0');
  assert.equal(await page.getAttribute('#status', 'data-parsed-files'), '2');
  // Where the engine worker's time went, for the benchmark: every step, and its memory.
  const timings = await page.getAttribute('#status', 'data-load-timings');
  const steps = /^total (\d+) kept (\d+) asking (\d+) waiting (\d+) copying (\d+) parsing (\d+) joining (\d+) cross-file (\d+) analysis (\d+) wasm-mb (\d+)$/.exec(timings);
  assert.ok(steps, timings);
  const [total, kept, ...rest] = steps.slice(1).map(Number);
  assert.equal(kept, 0, 'nothing was kept on this device');
  assert.ok(rest.at(-1) >= 1, `the worker's wasm memory: ${timings}`);
  // The steps are parts of the whole (each rounded to a millisecond).
  assert.ok(rest.slice(0, -1).reduce((a, b) => a + b, 0) <= total + 8, timings);
  assert.deepEqual(problems, []);
  await context.close();
});
