#!/usr/bin/env bash
# Builds the page in release mode into dist/ (after installing what is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/tests/browser/node_modules/.bin:$HOME/.cargo/bin:$PATH"
TRUNK_SKIP_VERSION_CHECK=true trunk build --release --offline
python3 scripts/finalize_dist.py dist
