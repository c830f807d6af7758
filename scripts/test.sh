#!/usr/bin/env bash
# Command 2 of the README: every test. Native tests of the core, then the page in real Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/tests/browser/node_modules/.bin:$HOME/.cargo/bin:$PATH"

[ -d ../shared/corpus/real ] || echo "NOTE: ../shared/corpus/real is absent: tests over the real samples are skipped; the repository's own fixtures still run."

echo "== native tests (cargo test)"
cargo test

# The fuzz targets, briefly (docs/fuzzing.md): each runs from its seeds and fails on any crash,
# timeout or memory blow-up. The long runs whose figures the README gives are run by hand.
echo "== fuzz smoke (cargo-fuzz, nightly)"
FUZZ_SECONDS="${FUZZ_SECONDS:-10}" bash scripts/fuzz-smoke.sh
# The SQL console's engine (GlueSQL) builds only with the `sql` feature (Cargo.toml).
cargo test --features sql --test sql
# The browser tests drop a folder the generator writes (with its own oracle).
cargo build --quiet --bin ledger-corpus
export LEDGER_CORPUS="$PWD/target/debug/ledger-corpus"

echo "== building the page (release)"
bash scripts/build.sh
# The page as one file that opens from disk, folded from that same dist/ (single.test.mjs opens it).
bash scripts/build-single.sh dist

echo "== browser tests (Chromium)"
(cd tests/browser && DIST="$PWD/../../dist" npm test)
