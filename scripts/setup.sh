#!/usr/bin/env bash
# Installs what building and testing Agent Ledger needs, offline from the package registries,
# reusing whatever is already installed. Safe to run again: a warm machine takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14   # 0.22 needs a newer rustc than these machines have
# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock.
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock)

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (compiles from crates.io, about 10 minutes on 2 cores)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WBG_VERSION" ]; then
  say "installing wasm-bindgen-cli $WBG_VERSION (about 2 minutes)"
  # Its own lockfile pins crates newer than the registry mirror has, so not --locked.
  cargo install --locked wasm-bindgen-cli --version "$WBG_VERSION" 2>/dev/null \
    || cargo install wasm-bindgen-cli --version "$WBG_VERSION"
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing Debian chromium and chromium-driver for the browser tests"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium chromium-driver
fi

# playwright-core (drives Debian's chromium; never `playwright install`) and binaryen's wasm-opt
# (Debian's binaryen is too old to read today's wasm). Pinned in tests/browser/package-lock.json.
if [ ! -x tests/browser/node_modules/.bin/wasm-opt ] || [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ]; then
  say "installing the npm packages of tests/browser"
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

cargo fetch --quiet
say "toolchain ready: $(trunk --version), $(wasm-bindgen --version), $(tests/browser/node_modules/.bin/wasm-opt --version | head -n1)"

# DuckDB from PyPI, in a venv under target/, for the tests that read the Parquet files.
bash scripts/setup-duckdb.sh
