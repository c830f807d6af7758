#!/usr/bin/env bash
# What a person does after a big load, timed in Chromium (README, Performance): every download, a
# filter, a redaction switch and a time-zone change, each with the main thread's blocking time and
# the browser's peak memory over the load's. Builds the page first (quick when nothing changed).
#   scripts/bench-actions.sh [--dir DIR] [--only NAME,...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/tests/browser/node_modules/.bin:$HOME/.cargo/bin:$PATH"
bash scripts/build.sh
cd tests/browser && exec node bench-actions.mjs "$@"
