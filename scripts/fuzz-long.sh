#!/usr/bin/env bash
# A long fuzz run of one target (docs/fuzzing.md, "Measured"): on one core, at the lowest
# priority (NICE, 19 by default: beside a busy build, 10 keeps a slow input from starving past
# the 10 s timeout), until RUNS executions (10 million by default) or SECONDS (no limit by default),
# whichever comes first, in JOBS worker processes (1 by default; each runs RUNS ÷ JOBS, so the
# sum is RUNS); the targets must be built (`cargo +nightly fuzz build -s none` in fuzz/)
# and seeded (scripts/fuzz-seed.sh). The binary is run directly (what `cargo fuzz run` runs, less
# cargo's own checks); libFuzzer writes each job's log to
# fuzz/target/long/<target>/fuzz-<job>.log, and the last lines (final stats) of each are printed.
#
#   scripts/fuzz-long.sh csv_cell                 # 10 million executions
#   scripts/fuzz-long.sh redaction 10000000 1800  # or 30 minutes, whichever comes first
#   scripts/fuzz-long.sh redaction 8000000 0 2    # on both cores: 4 million in each of 2 jobs
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
target=$1
runs=${2:-10000000}
seconds=${3:-0}
jobs=${4:-1}
source scripts/fuzz-max-len.sh

bin=$ROOT/fuzz/target/x86_64-unknown-linux-gnu/release/$target
[ -x "$bin" ] || { echo "fuzz-long: $bin is not built"; exit 1; }
mkdir -p "$ROOT/fuzz/corpus/$target" "$ROOT/fuzz/artifacts/$target" "$ROOT/fuzz/target/long/$target"
cd "$ROOT/fuzz/target/long/$target"
rm -f fuzz-*.log
start=$(date +%s)
status=0
nice -n "${NICE:-19}" "$bin" -jobs="$jobs" -workers="$jobs" -runs="$(( runs / jobs ))" -max_total_time="$seconds" \
  -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$ROOT/fuzz/artifacts/$target/" "$ROOT/fuzz/corpus/$target" || status=$?
echo "fuzz-long: $target exit $status after $(( $(date +%s) - start )) s wall"
for log in fuzz-*.log; do
  echo "== $log"
  grep -E '^(#[0-9]+ +DONE|stat::|==|Done)' "$log" || tail -n 40 "$log"
done
exit "$status"
