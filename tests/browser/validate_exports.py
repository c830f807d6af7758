#!/usr/bin/env python3
"""Validate the files downloaded from the page, independently of the Rust code that wrote them.

usage: validate_exports.py DIR   (DIR holds every download under its own name)
Checks: every CSV parses (RFC 4180) with a header row; catalog.json lists each CSV with exactly its
columns, data rows and bytes; no text cell starts with a formula character; the zip holds exactly
the other files, each equal to its standalone download byte for byte (the page's downloads are
made at one fixed time by the test); summary.json and audit.json have
the shapes of DESIGN.md section 4. Prints one line per check and exits 1 on the first failure.
"""
import csv, io, json, pathlib, sys, zipfile

CSVS = ["sessions.csv", "routing_context.csv", "query_messages.csv", "usage_tokens.csv", "tool_calls.csv",
        "tool_audit.csv", "api_calls.csv", "audit_findings.csv", "ingest_report.csv"]
JSONS = ["summary.json", "audit.json", "catalog.json"]
TOKEN_FIELDS = ["input_tokens", "cached_input_tokens", "output_tokens", "reasoning_output_tokens", "total_tokens"]


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def numeric(cell):
    try:
        float(cell)
        return True
    except ValueError:
        return False


def main(d: pathlib.Path):
    catalog = json.loads((d / "catalog.json").read_text("utf-8"))
    entries = {e["name"]: e for e in catalog["datasets"]}
    if sorted(entries) != sorted(CSVS):
        fail(f"catalog lists {sorted(entries)}")
    for name in CSVS:
        raw = (d / name).read_bytes()
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
        if not rows:
            fail(f"{name} has no header row")
        header, data = rows[0], rows[1:]
        e = entries[name]
        if header != e["columns"]:
            fail(f"{name}: header {header} != catalog columns {e['columns']}")
        if len(data) != e["rows"] or len(raw) != e["bytes"]:
            fail(f"{name}: {len(data)} rows / {len(raw)} bytes, catalog says {e['rows']} / {e['bytes']}")
        if any(len(r) != len(header) for r in data):
            fail(f"{name}: a row with the wrong number of cells")
        for r in data:
            for c in r:
                if c and c[0] in "=+-@\t\r" and not numeric(c):
                    fail(f"{name}: formula cell not neutralised: {c[:40]!r}")
        print(f"ok {name}: {len(data)} rows, {len(header)} columns, {len(raw)} bytes, as catalog.json says")

    if (d / "ingest_report.csv").read_text("utf-8").splitlines()[0] != "file,format,bytes,lines,parsed,skipped,duplicates,malformed,note":
        fail("ingest_report.csv columns")
    for r in csv.DictReader(io.StringIO((d / "ingest_report.csv").read_text("utf-8"), newline="")):
        if sum(int(r[k]) for k in ("parsed", "skipped", "duplicates", "malformed")) != int(r["lines"]):
            fail(f"ingest_report.csv: buckets of {r['file']} do not add up to its lines")
    print("ok ingest_report.csv: every file's buckets add up to its lines")

    with zipfile.ZipFile(d / "agent-ledger-export.zip") as z:
        names = sorted(z.namelist())
        # The zip holds every other download (DESIGN.md section 4).
        want = sorted(p.name for p in d.iterdir() if p.name != "agent-ledger-export.zip")
        if names != want:
            fail(f"zip holds {names}")
        # Every entry is its download, byte for byte (the page makes them all at one fixed time).
        for name in names:
            if z.read(name) != (d / name).read_bytes():
                fail(f"zip's {name} differs from the download")
    print(f"ok agent-ledger-export.zip: {len(names)} files, each identical to its download")

    s = json.loads((d / "summary.json").read_text("utf-8"))
    for k in ["sessions", "queries", "tool_calls", "usage_rows", "cost_usd"] + TOKEN_FIELDS:
        if k not in s["totals"]:
            fail(f"summary.totals.{k} missing")
    for lst, key in [("by_model", "model"), ("by_workspace", "workspace"), ("by_session", "session_id"), ("by_day", "day"), ("by_hour_utc", "hour")]:
        for g in s[lst]:
            for k in [key, "usage_rows", "cost_usd"] + TOKEN_FIELDS:
                if k not in g:
                    fail(f"summary.{lst} entry lacks {k}: {g}")
        if sum(g["usage_rows"] for g in s[lst]) > s["totals"]["usage_rows"]:
            fail(f"summary.{lst} has more rows than the totals")
    if sum(g["usage_rows"] for g in s["by_model"]) != s["totals"]["usage_rows"]:
        fail("summary.by_model does not add up to totals.usage_rows")
    for g in s["by_tool"]:
        for k in ["tool", "calls", "errors", "avg_duration_ms"]:
            if k not in g:
                fail(f"summary.by_tool entry lacks {k}")
    usage_rows = entries["usage_tokens.csv"]["rows"]
    if s["totals"]["usage_rows"] != usage_rows:
        fail(f"summary says {s['totals']['usage_rows']} usage rows, usage_tokens.csv has {usage_rows}")
    print(f"ok summary.json: shapes, {usage_rows} usage rows as in usage_tokens.csv")

    a = json.loads((d / "audit.json").read_text("utf-8"))
    for c in a["checks"]:
        for k in ["id", "title", "rows_checked", "violations", "status"]:
            if k not in c:
                fail(f"audit check lacks {k}")
        if c["status"] not in ("pass", "fail") or (c["status"] == "pass") != (c["violations"] == 0):
            fail(f"audit check {c['id']} status {c['status']} with {c['violations']} violations")
    for r in a["reconciliation"]:
        if r["status"] not in ("ok", "mismatch") or not all(k in r for k in ("session_id", "file", "expected", "actual")):
            fail(f"reconciliation entry {r}")
    findings = entries["audit_findings.csv"]["rows"]
    print(f"ok audit.json: {len(a['checks'])} checks, {len(a['reconciliation'])} reconciliations; {findings} findings in the CSV")
    report = (d / "report.md").read_text("utf-8")
    if not report.startswith("#"):
        fail("report.md does not start with a heading")
    print(f"ok report.md: {len(report.splitlines())} lines")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]))
