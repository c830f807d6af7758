#!/usr/bin/env bash
# Installs DuckDB (from PyPI) into a virtual environment under target/, for the tests that read
# the Parquet files and load schema.sql (tests/parquet.rs). Safe to run again: a warm machine
# takes a second. The tests look for target/oracle-venv/bin/python and skip, saying so, without it.
set -euo pipefail
cd "$(dirname "$0")/.."
DUCKDB_VERSION=1.5.6
VENV=target/oracle-venv
if "$VENV/bin/python" -c "import duckdb, sys; sys.exit(duckdb.__version__ != '$DUCKDB_VERSION')" 2>/dev/null; then
  exit 0
fi
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "duckdb==$DUCKDB_VERSION"
"$VENV/bin/python" -c "import duckdb; print('[setup] duckdb', duckdb.__version__, 'in $VENV')"
