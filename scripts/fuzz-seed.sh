#!/usr/bin/env bash
# Seed corpora for the fuzz targets (docs/fuzzing.md): fuzz/corpus/<target>/, gitignored.
#
#   scripts/fuzz-seed.sh            # seeds from the test fixtures, a synthetic corpus and, when
#                                   # present, ../shared/corpus/real (or $REAL_CORPUS)
#
# Seeds are cut small (runs of whole lines up to SEED_BYTES), so that they fit the targets'
# -max_len and a run spends its time mutating, not parsing megabytes. Nothing here is copied into
# the repository: the real logs stay where they are, the seeds live under fuzz/corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
REAL=${REAL_CORPUS:-$ROOT/../shared/corpus/real}
SEED_BYTES=${SEED_BYTES:-4096}
SYNTH=$ROOT/fuzz/target/seed-synth

# A small synthetic corpus (every format, compressed files included), from the generator.
if [ ! -d "$SYNTH" ]; then
  nice -n 10 cargo run --quiet --bin ledger-corpus -- --profile small --seed 7 --out "$SYNTH" >/dev/null
fi
SOURCES=("$ROOT/tests/fixtures" "$SYNTH")
if [ -d "$REAL" ]; then
  SOURCES+=("$REAL")
  echo "fuzz-seed: real logs from $REAL"
else
  echo "fuzz-seed: no real logs at $REAL (seeding from fixtures and the generator only)"
fi

python3 - "$ROOT/fuzz/corpus" "$SEED_BYTES" "${SOURCES[@]}" <<'PY'
import gzip, hashlib, json, os, subprocess, sys

out, cap, sources = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
TARGETS = ["ingest_any", "codex", "claude", "other_adapters", "sniff", "inflate", "csv_cell", "redaction"]
# other_adapters: the first byte picks the adapter, in the target's order.
OTHER = ["gemini_jsonl", "gemini_json", "tool_audit", "relay", "codex_g1", "codex_g0"]
CLAUDE_TYPES = {"user", "assistant", "system", "summary", "file-history-snapshot", "queue-operation"}
counts = {t: 0 for t in TARGETS}
for t in TARGETS:
    os.makedirs(os.path.join(out, t), exist_ok=True)

def seed(target, data):
    if not data:
        return
    name = hashlib.sha1(data).hexdigest()
    path = os.path.join(out, target, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
        counts[target] += 1

def plain(data):
    """The file's text: compressed files are inflated (gzip here, zstd by the zstd tool)."""
    if data[:2] == b"\x1f\x8b":
        return gzip.decompress(data)
    if data[:4] == b"\x28\xb5\x2f\xfd":
        return subprocess.run(["zstd", "-dc"], input=data, capture_output=True).stdout
    return data

def kind(text):
    """Which adapter target a file goes to, from its first line (as the sniffer decides)."""
    first = text.lstrip().split(b"\n", 1)[0]
    try:
        keys = json.loads(first)
    except ValueError:
        keys = None
        try:
            keys = json.loads(text)  # a multi-line document
        except ValueError:
            return None
    if not isinstance(keys, dict):
        return None
    if "session" in keys and "items" in keys:
        return "codex_g0"
    if "sessionId" in keys and "messages" in keys:
        return "gemini_json"
    if "sessionId" in keys and "projectHash" in keys or "$set" in keys:
        return "gemini_jsonl"
    if "type" in keys and "payload" in keys:
        return "codex"
    if "record_type" in keys or ("id" in keys and "timestamp" in keys and "type" not in keys):
        return "codex_g1"
    if "install_id" in keys or ("pipeline" in keys and "backend" in keys):
        return "relay"
    if "tool" in keys and "status" in keys:
        return "tool_audit"
    if keys.get("type") in CLAUDE_TYPES:
        return "claude"
    return None

def runs(text):
    """Runs of whole lines, each at most `cap` bytes (longer lines are left out)."""
    run = b""
    for line in text.split(b"\n"):
        if len(line) + 1 > cap:
            continue
        if len(run) + len(line) + 1 > cap:
            yield run
            run = b""
        run += line + b"\n"
    if run:
        yield run

def zstd(data):
    return subprocess.run(["zstd", "-q", "-c", "-3"], input=data, capture_output=True).stdout

for src in sources:
    for dirpath, _, names in os.walk(src):
        for n in sorted(names):
            raw = open(os.path.join(dirpath, n), "rb").read()
            text = plain(raw)
            k = kind(text)
            if k is None and not n.endswith((".jsonl", ".json", ".ndjson", ".gz", ".zst")):
                continue
            head = text[:cap]
            seed("sniff", text.lstrip().split(b"\n", 1)[0][:cap])
            # ingest_any: name byte 0x50 (`s.jsonl`, slices of 51 bytes); compressed copies too
            # (gzip with mtime 0, so that seeding again makes the same files, not new ones).
            seed("ingest_any", b"\x50" + head)
            seed("ingest_any", b"\x52" + gzip.compress(head, mtime=0))
            seed("ingest_any", b"\x53" + zstd(head))
            if raw is not text and len(raw) <= cap:
                seed("ingest_any", b"\x50" + raw)
            # inflate: first byte even = gzip, odd = zstd (slice size in the other bits).
            seed("inflate", b"\x20" + gzip.compress(head, mtime=0))
            seed("inflate", b"\x21" + zstd(head))
            for i, run in enumerate(runs(text)):
                if i >= 40:
                    break
                if k in ("codex", "claude"):
                    seed(k, run)
                elif k in OTHER:
                    seed("other_adapters", bytes([OTHER.index(k)]) + run)
                if i < 8:
                    seed("redaction", run[:512])
                    seed("csv_cell", run[:512])
            if k in ("codex_g0", "gemini_json"):
                seed("other_adapters", bytes([OTHER.index(k)]) + head)
for t in TARGETS:
    total = len(os.listdir(os.path.join(out, t)))
    print(f"fuzz-seed: {t:15} {total:5} seeds ({counts[t]} new)")
PY
