#!/usr/bin/env bash
# The fuzz targets' smoke run for CI (docs/fuzzing.md): every target for a short time from the
# seed corpora, failing on the first crash, timeout or memory blow-up (cargo fuzz exits non-zero
# and leaves the input in fuzz/artifacts/<target>/).
#
#   scripts/fuzz-smoke.sh                 # FUZZ_SECONDS=20 per target by default
#
# Built without a sanitizer (`-s none`): the core is safe Rust, and twice the executions find
# more than ASan would in 20 s; memory bounds are checked by the targets' own allocator.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-20}
export PATH="$HOME/.cargo/bin:$PATH"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install --locked cargo-fuzz
fi
rustup toolchain list | grep -q '^nightly' || { echo "fuzz-smoke: the nightly toolchain is needed"; exit 1; }

echo "== seeding fuzz/corpus"
bash scripts/fuzz-seed.sh

cd fuzz
echo "== building the targets"
nice -n 10 cargo +nightly fuzz build -s none

# -max_len per target: scripts/fuzz-max-len.sh.
source ../scripts/fuzz-max-len.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in $(cargo +nightly fuzz list); do
  echo "== $t (${SECONDS_EACH}s)"
  if ! nice -n 10 cargo +nightly fuzz run -s none "$t" -- \
    -max_total_time="$SECONDS_EACH" -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz-smoke: $t failed (the input is in fuzz/artifacts/$t/)"
    exit 1
  fi
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$log" | tr '\n' ' '
  echo
done
echo "fuzz-smoke: every target ran ${SECONDS_EACH}s without a finding"
