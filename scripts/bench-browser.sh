#!/usr/bin/env bash
# The in-browser benchmark (README, Performance): builds the page if needed, then loads the
# real-world corpus (generated once into tests/browser/out/) through #folder-input in Chromium,
# against reading the same bytes without parsing in the same run.
#   scripts/bench-browser.sh [--dir DIR] [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/tests/browser/node_modules/.bin:$HOME/.cargo/bin:$PATH"
[ -f dist/index.html ] || bash scripts/build.sh
cd tests/browser && exec node bench.mjs "$@"
