#!/usr/bin/env bash
# Command 1 of the README: build the page and serve it on localhost.
#   PORT=8080 ./scripts/serve.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
PORT="${PORT:-8080}"
echo
echo "Agent Ledger is served at http://127.0.0.1:${PORT}/  (Ctrl-C stops it)"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist
