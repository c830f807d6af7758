#!/usr/bin/env bash
# The command-line benchmark (DESIGN.md section 7, issue 17 item 5): `agent-ledger --out` against
# ccusage v20 on the real-world profile, same corpus, same machine, same run, runs alternating.
#   scripts/bench-cli.sh [--dir DIR] [--runs N]
#
# The corpus (`ledger-corpus --profile real-world --seed 7`, 1.21 GiB) is written once into DIR
# (default corpus-out/real-world-7) and reused. Both tools see the same files through the agents'
# own variables: HOME=CODEX_HOME=CLAUDE_CONFIG_DIR=DIR, so sessions/, archived_sessions/,
# projects/ and .gemini/tmp/ of DIR and nothing of this machine's. agent-ledger is given no PATH,
# so it reads those default folders, as ccusage does.
#
# ccusage is pinned in benches/ccusage (package.json + package-lock.json, installed there, never
# globally) and run through its own launcher (node_modules/.bin/ccusage, which starts the native
# binary it ships); `npx` would add npm's start-up to its time. The page cache is warmed first.
# Prints per run and the medians: wall time, CPU time (user+sys), peak memory; the ratio of wall
# times; one more run's phases (`--timings`); and both tools' token totals, field by field.
# `agent-ledger --json` (totals only, no files: the work ccusage does) is timed too.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=corpus-out/real-world-7
RUNS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) DIR="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

if [ ! -f "$DIR/expect.json" ]; then
  echo "writing the real-world corpus into $DIR (once)…" >&2
  nice -n 10 cargo run --release --bin ledger-corpus -- --profile real-world --seed 7 --out "$DIR"
fi
DIR="$(cd "$DIR" && pwd)"
nice -n 10 cargo build --release --bin agent-ledger
LEDGER="$PWD/target/release/agent-ledger"
if [ ! -x benches/ccusage/node_modules/.bin/ccusage ]; then
  # `npm install`, not `npm ci`: npm 11 reads the lock file as missing ccusage's optional per-platform
  # packages and refuses `ci`; `install` installs from the same lock file without changing it.
  (cd benches/ccusage && npm install --no-audit --no-fund)
fi
CCUSAGE="$PWD/benches/ccusage/node_modules/.bin/ccusage"
echo "ccusage $("$CCUSAGE" --version 2>/dev/null | tail -1), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export HOME="$DIR" CODEX_HOME="$DIR" CLAUDE_CONFIG_DIR="$DIR" XDG_CONFIG_HOME="$DIR/.config" TZ=UTC
find "$DIR" -type f -exec cat {} + > /dev/null

# One timed run: name, then the command; appends "name wall cpu rss" to $WORK/times.
timed() {
  local name="$1"; shift
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/t" nice -n 10 "$@"
  read -r wall user sys rss < "$WORK/t"
  echo "$name $wall $user $sys $rss" | tee -a "$WORK/times" >&2
}

for i in $(seq "$RUNS"); do
  rm -rf "$WORK/out"
  timed agent-ledger-out "$LEDGER" --out "$WORK/out" --json --quiet > "$WORK/ledger.json"
  timed ccusage "$CCUSAGE" daily --json --offline > "$WORK/ccusage.json"
  timed agent-ledger-json "$LEDGER" --json --quiet > /dev/null
done
ls "$WORK/out" | wc -l | xargs echo "agent-ledger wrote files:" >&2
echo "where agent-ledger --out spends its time (one more run, CPU time of all threads):"
rm -rf "$WORK/out"
nice -n 10 "$LEDGER" --out "$WORK/out" --quiet --timings 2>&1

python3 - "$WORK" <<'EOF'
import json, statistics, sys
work = sys.argv[1]
runs = {}
for line in open(f"{work}/times"):
    name, wall, user, sys_, rss = line.split()
    runs.setdefault(name, []).append((float(wall), float(user) + float(sys_), int(rss)))
med = {n: [statistics.median(x[i] for x in r) for i in range(3)] for n, r in runs.items()}
print(f"{'':20} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}   (medians of {len(runs['ccusage'])} runs)")
for n in ["agent-ledger-out", "ccusage", "agent-ledger-json"]:
    w, c, m = med[n]
    print(f"{n:20} {w:8.2f} {c:8.2f} {m / 1024:8.0f}")
ratio = med["ccusage"][0] / med["agent-ledger-out"][0]
print(f"ccusage wall / agent-ledger --out wall = {ratio:.2f}x (goal >= 1.5x)")
print(f"ccusage wall / agent-ledger --json wall = {med['ccusage'][0] / med['agent-ledger-json'][0]:.2f}x (totals only, no files)")

ours = json.load(open(f"{work}/ledger.json"))
cc = json.load(open(f"{work}/ccusage.json"))["totals"]
# ccusage's inputTokens are the uncached prompt tokens; agent-ledger's input_tokens are every
# prompt token (DESIGN.md section 2, the OpenAI convention), so compare the sums.
rows = [
    ("all prompt tokens", ours["input_tokens"], cc["inputTokens"] + cc["cacheReadTokens"] + cc["cacheCreationTokens"]),
    ("cache reads", ours["cached_input_tokens"], cc["cacheReadTokens"]),
    ("cache writes", ours["cache_creation_input_tokens"], cc["cacheCreationTokens"]),
    ("output tokens", ours["output_tokens"], cc["outputTokens"]),
    ("total tokens", ours["total_tokens"], cc["totalTokens"]),
    ("cost USD", round(ours["cost_usd"], 2), round(cc.get("totalCost", cc.get("costUSD", 0)), 2)),
]
print(f"{'':18} {'agent-ledger':>16} {'ccusage':>16} {'ccusage - ours':>16}")
for name, a, b in rows:
    print(f"{name:18} {a:>16,} {b:>16,} {b - a:>+16,.2f}" if isinstance(a, float) else f"{name:18} {a:>16,} {b:>16,} {b - a:>+16,}")
EOF
