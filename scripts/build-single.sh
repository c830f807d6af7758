#!/usr/bin/env bash
# Builds dist-single/agent-ledger.html: the whole page in ONE file that works opened from disk
# (file://) and makes no request at all (see scripts/single_file.py and docs/single-file.md).
#   bash scripts/build-single.sh            release build into dist/ first, then the single file
#   bash scripts/build-single.sh DIST       fold an existing release dist (after finalize_dist.py)
set -euo pipefail
cd "$(dirname "$0")/.."
DIST="${1:-}"
if [ -z "$DIST" ]; then
  bash scripts/build.sh
  DIST=dist
fi
python3 scripts/single_file.py "$DIST" dist-single/agent-ledger.html
