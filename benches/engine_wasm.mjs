// The query engine in wasm, timed in Node's V8 (Chromium's JavaScript engine): the shared page
// questions (benches/shared/page_questions.rs) over a corpus whose usage table is grown to N rows,
// against a baseline measured in the same run (sorting N random u64 in the same wasm). Run by
// scripts/bench-engine-wasm.sh, which builds the module first.
//
//   node benches/engine_wasm.mjs <module dir> --dir DIR [--usage-rows N] [--rounds N] [--zip]
//
// With --zip (usually with --usage-rows 0: the corpus as it is), the export zip instead: its
// entries built as the page's engine worker builds them when a second worker compresses them,
// and the whole zip built and compressed in one thread, as before.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const args = process.argv.slice(2);
const arg = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const moduleDir = args[0];
const dir = arg('--dir');
const rows = Number(arg('--usage-rows') ?? 1000000);
const zip = args.includes('--zip');
if (!moduleDir || !dir) {
  console.error('usage: node benches/engine_wasm.mjs <module dir> --dir DIR [--usage-rows N]');
  process.exit(2);
}
const { EngineBench } = createRequire(import.meta.url)(path.resolve(moduleDir, 'agent-ledger-engine-bench.js'));

const files = [];
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p); else files.push(p);
  }
})(dir);
files.sort();

const bench = new EngineBench();
let t = performance.now();
let bytes = 0;
for (const f of files) {
  const data = fs.readFileSync(f);
  bytes += data.length;
  bench.addFile(path.relative(dir, f), data);
}
const usageRows = bench.finish(rows);
console.log(`loaded ${(bytes / 1e6).toFixed(0)} MB, ${usageRows} usage rows, engine made, in ${((performance.now() - t) / 1e3).toFixed(1)} s`);

if (zip) {
  for (let r = 0; r < Number(arg('--rounds') ?? 3); r++) {
    for (const compress of [false, true]) {
      t = performance.now();
      const n = bench.zip(compress);
      const what = compress ? 'zip built and compressed in one thread' : 'entries built, sent on uncompressed';
      console.log(`${what}: ${(performance.now() - t).toFixed(0)} ms, ${(n / 1e6).toFixed(1)} MB`);
    }
  }
  process.exit(0);
}

// Each figure is the fastest and the slowest of `--rounds` answers, each asked anew (every kept
// answer forgotten first), since one answer's time moves by up to a fifth between runs.
const rounds = Number(arg('--rounds') ?? 3);
const range = (xs) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
const baselines = [];
for (let r = 0; r < rounds; r++) {
  t = performance.now();
  EngineBench.baseline(usageRows);
  baselines.push(performance.now() - t);
}
const baseline = Math.min(...baselines);
console.log(`baseline: sort_unstable of ${usageRows} random u64 in wasm: ${range(baselines)} ms`);
console.log(`| question (${rounds} rounds, each anew) | ms | ÷ fastest baseline | rows matched |`);
console.log('|---|---|---|---|');
EngineBench.questions().forEach((name, i) => {
  const times = [];
  let matched = 0;
  for (let r = 0; r < rounds; r++) {
    bench.forget();
    t = performance.now();
    matched = bench.ask(i);
    times.push(performance.now() - t);
  }
  console.log(`| ${name} | ${range(times)} | ${(Math.max(...times) / baseline).toFixed(1)} | ${matched} |`);
});
