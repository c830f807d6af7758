#!/usr/bin/env bash
# The query engine compiled to wasm (as the page's engine worker runs it) and timed in Node:
# the first sorts and text filters of a usage table of a million rows (issue #14.3); with --zip,
# the export zip: the engine's share when a second worker compresses, and the whole zip in one
# thread (issue #18.1; give --usage-rows 0 for the corpus as it is).
#   bash scripts/bench-engine-wasm.sh [--dir DIR] [--usage-rows N] [--rounds N] [--zip]
# Without --dir it uses the generated real-world corpus of the browser benches (seed 7).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tests/browser/node_modules/.bin:$HOME/.cargo/bin:$PATH"
args=("$@")
if [[ " ${args[*]-} " != *" --dir "* ]]; then
  # The browser benches' corpus (tests/browser/bench_lib.mjs), written the same way when absent.
  dir="tests/browser/out/corpus-real-world"
  if [ ! -f "$dir.expect.json" ]; then
    rm -rf "$dir"
    cargo run --quiet --release --bin ledger-corpus -- --profile real-world --seed 7 --out "$dir"
    mv "$dir/expect.json" "$dir.expect.json"
  fi
  args+=(--dir "$(readlink -f "$dir")")
fi
cargo build --release --target wasm32-unknown-unknown --features wasm-bench --bin agent-ledger-engine-bench
out=target/engine-bench-wasm
wasm-bindgen --target nodejs --out-dir "$out" target/wasm32-unknown-unknown/release/agent-ledger-engine-bench.wasm
# As Trunk treats the worker (index.html: data-wasm-opt="3").
wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals "$out/agent-ledger-engine-bench_bg.wasm" -o "$out/agent-ledger-engine-bench_bg.wasm"
node --max-old-space-size=4096 benches/engine_wasm.mjs "$out" "${args[@]}"
