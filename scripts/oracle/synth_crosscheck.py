#!/usr/bin/env python3
"""Cross-check the generator's oracle (expect.json of `ledger-corpus`) against the independent
Python oracles of the adapters, which were written from the rules, not from the generator:
scripts/oracle/codex_oracle.py (Codex) and scripts/oracle/claude_oracle.py (Claude Code).

    cargo run --release --bin ledger-corpus -- --profile small --seed 7 --out /tmp/small
    python3 scripts/oracle/synth_crosscheck.py /tmp/small

Per file it compares the five buckets, usage rows, token sums (normalized: total = input + output),
queries and tool calls, and prints every difference; exit status 1 when any. Gzip files are
decompressed to a temporary folder first. Stdlib only.
"""
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def plain_paths(root, files, tmp):
    """Paths the oracles can read: .gz files are decompressed (names keep their order)."""
    out = []
    for i, f in enumerate(files):
        path = os.path.join(root, f["name"])
        if path.endswith(".gz"):
            plain = os.path.join(tmp, "%04d-%s" % (i, os.path.basename(path)[:-3]))
            with gzip.open(path) as src, open(plain, "wb") as dst:
                dst.write(src.read())
            path = plain
        out.append(path)
    return out


def mine(f):
    b, u = f["buckets"], f["usage"]
    return {
        "lines": b["lines"], "parsed": b["parsed"], "skipped": b["skipped"],
        "duplicates": b["duplicates"], "malformed": b["malformed"], "usage_rows": u["rows"],
        "input": u["input_tokens"], "cached": u["cached_input_tokens"], "output": u["output_tokens"],
        "reasoning": u["reasoning_output_tokens"], "total": u["total_tokens"],
        "queries": f["queries"], "tool_calls": f["tool_calls"],
    }


def codex(paths):
    out = subprocess.run([sys.executable, os.path.join(HERE, "codex_oracle.py")] + paths,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    res = []
    for line in out:
        r = json.loads(line)
        res.append({
            "lines": r["lines"], "parsed": r["parsed"], "skipped": r["skipped"],
            "duplicates": r["duplicates"], "malformed": r["malformed"], "usage_rows": r["usage_rows"],
            "input": r["sum_input"], "cached": r["sum_cached"], "output": r["sum_output"],
            "reasoning": r["sum_reasoning"], "total": r["sum_input"] + r["sum_output"],
            "queries": r["queries"], "tool_calls": r["tool_calls"],
        })
    return res


def claude(paths):
    out = subprocess.run([sys.executable, os.path.join(HERE, "claude_oracle.py")] + paths,
                         capture_output=True, text=True, check=True).stdout
    rows = [l for l in out.splitlines() if "|" in l and not l.startswith("file")]
    sections = out.split("\n-- ")[1:]
    res = []
    for row, sec in zip(rows, sections):
        n = list(map(int, row.split("|")[1].split()))
        norm = re.search(r"normalized input (\d+) cached (\d+) cache_creation (\d+) output (\d+) reasoning (\d+) total (\d+)", sec)
        i, c, _, o, r, t = map(int, norm.groups())
        res.append({
            "lines": n[0], "parsed": n[1], "skipped": n[2], "duplicates": n[3], "malformed": n[4],
            "usage_rows": int(re.search(r"kept (\d+)", sec).group(1)),
            "input": i, "cached": c, "output": o, "reasoning": r, "total": t,
            "queries": int(re.search(r"queries (\d+)", sec).group(1)),
            "tool_calls": int(re.search(r"tool calls (\d+)", sec).group(1)),
        })
    return res


def main(root):
    expect = json.load(open(os.path.join(root, "expect.json")))
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, oracle in (("codex_rollout", codex), ("claude_code", claude)):
            files = [f for f in expect["files"] if f["format"] == fmt]
            theirs = oracle(plain_paths(root, files, tmp))
            if len(theirs) != len(files):
                print("%s: the oracle reported %d files of %d" % (fmt, len(theirs), len(files)))
                bad += 1
            for f, t in zip(files, theirs):
                m = mine(f)
                diff = {k: (m[k], t[k]) for k in m if m[k] != t[k]}
                if diff:
                    bad += 1
                    print("%s: %s (generator, python)" % (f["name"], diff))
            print("%-13s %4d files checked" % (fmt, len(files)))
    print("differences: %d" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
