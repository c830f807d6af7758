#!/usr/bin/env bash
# The in-browser benchmark (README, Performance): builds the page (so that it measures the
# current source; quick when nothing changed), then loads the real-world corpus (generated once
# into tests/browser/out/) through #folder-input in Chromium,
# against reading the same bytes without parsing in the same run.
#   scripts/bench-browser.sh [--dir DIR] [--runs N] [--file-input]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/tests/browser/node_modules/.bin:$HOME/.cargo/bin:$PATH"
bash scripts/build.sh
cd tests/browser && exec node bench.mjs "$@"
