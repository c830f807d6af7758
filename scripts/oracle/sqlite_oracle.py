#!/usr/bin/env python3
"""Independent check of agent-ledger.sqlite against the CSVs of the same export, with Python's
own sqlite3 module (the C SQLite library) and csv module. Written from the file format and the
CSV rules of DESIGN.md section 4, not from the Rust code.

usage: python3 scripts/oracle/sqlite_oracle.py DB CSV_DIR

Checks, printing one JSON object and exiting 1 on any mismatch:
- PRAGMA integrity_check answers "ok" (b-trees, overflow chains, indexes against their rows).
- Each CSV of CSV_DIR is a table named like it without .csv, with the CSV's header as columns.
- Same row count; every cell equal in rowid order: NULL <-> empty cell; integers and reals
  equal as numbers (reals read from the CSV text must equal the stored double exactly); 0/1 <->
  false/true; text equal after the CSV's formula rule (a ' before = + - @ tab CR).
- Token and cost sums per table, from the CSV text and from SQL (total()).
- Declared types: *_tokens INTEGER, cost_usd REAL; the values stored there have that type.
- Each index answers a lookup with the row count the CSV gives, and the session, model and day
  indexes are the ones SQLite's planner picks.
- The b-tree depth of every table, read from the file's pages (the root's left-most path).
"""
import csv, json, os, sqlite3, struct, sys

FORMULA = ("=", "+", "-", "@", "\t", "\r")


def neutralise(s):
    return "'" + s if s.startswith(FORMULA) else s


def same(value, text):
    if value is None:
        return text == ""
    if isinstance(value, str):
        return neutralise(value) == text
    if isinstance(value, int):
        if text in ("true", "false"):
            return value == (text == "true")
        return text.lstrip("-").isdigit() and int(text) == value
    if isinstance(value, float):
        try:
            return float(text) == value
        except ValueError:
            return False
    return False


def depth(path, root):
    """Levels from the root page to the left-most leaf (1 = the root is a leaf)."""
    with open(path, "rb") as f:
        levels, page = 1, root
        while True:
            f.seek((page - 1) * 4096)
            data = f.read(4096)
            off = 100 if page == 1 else 0
            if data[off] in (0x0D, 0x0A):
                return levels
            first_cell = struct.unpack(">H", data[off + 12 : off + 14])[0]
            page = struct.unpack(">I", data[first_cell : first_cell + 4])[0]
            levels += 1


def main(db_path, csv_dir):
    errors, report = [], {"tables": {}}
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    check = db.execute("PRAGMA integrity_check").fetchall()
    report["integrity_check"] = check[0][0] if len(check) == 1 else [r[0] for r in check]
    if check != [("ok",)]:
        errors.append(f"integrity_check: {check[:5]}")
    schema = {name: (kind, tbl, root, sql) for kind, name, tbl, root, sql in
              db.execute("SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema")}
    for file in sorted(os.listdir(csv_dir)):
        if not file.endswith(".csv"):
            continue
        table = file[:-4]
        with open(os.path.join(csv_dir, file), newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        header, rows = rows[0], rows[1:]
        info = db.execute(f'PRAGMA table_info("{table}")').fetchall()
        columns = [c[1] for c in info]
        types = {c[1]: c[2] for c in info}
        if columns != header:
            errors.append(f"{table}: columns {columns} != CSV header {header}")
            continue
        got = db.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
        if len(got) != len(rows):
            errors.append(f"{table}: {len(got)} rows, CSV has {len(rows)}")
        bad = 0
        for i, (a, b) in enumerate(zip(got, rows)):
            for col, value, text in zip(header, a, b):
                if not same(value, text):
                    bad += 1
                    if bad <= 5:
                        errors.append(f"{table} row {i + 1} {col}: {value!r:.80} != CSV {text!r:.80}")
        sums = {}
        for at, col in enumerate(header):
            if not (col.endswith("_tokens") or col == "cost_usd"):
                continue
            want = "REAL" if col == "cost_usd" else "INTEGER"
            if types[col] != want:
                errors.append(f"{table}.{col}: declared {types[col]}, not {want}")
            csv_sum = sum((float if col == "cost_usd" else int)(r[at]) for r in rows if r[at] != "")
            sql_sum = db.execute(f'SELECT total("{col}") FROM "{table}"').fetchone()[0]
            stored = {t for (t,) in db.execute(f'SELECT DISTINCT typeof("{col}") FROM "{table}"')}
            if not stored <= {want.lower(), "null"}:
                errors.append(f"{table}.{col}: stored types {stored}")
            if abs(sql_sum - csv_sum) > 1e-6 * max(1.0, abs(csv_sum)):
                errors.append(f"{table}.{col}: SQL sum {sql_sum} != CSV sum {csv_sum}")
            sums[col] = csv_sum
        indexes = {}
        for name, (kind, tbl, root, sql) in schema.items():
            if kind != "index" or tbl != table:
                continue
            col = [c[2] for c in db.execute(f'PRAGMA index_xinfo("{name}")') if c[5] == 1]
            expr = sql and "substr(" in sql
            key_col = header.index("ts_utc" if "ts_utc" in header else "start_utc") if expr else header.index(col[0])
            # The rows' values (checked against the CSV above), the day being the first 10 chars.
            key = lambda r: r[key_col][:10] if expr and r[key_col] is not None else r[key_col]
            probe = next((key(r) for r in got if key(r) is not None), None)
            if probe is not None:
                where = f'substr("{header[key_col]}", 1, 10) = ?' if expr else f'"{header[key_col]}" = ?'
                n = db.execute(f'SELECT count(*) FROM "{table}" WHERE {where}', (probe,)).fetchone()[0]
                plan = " ".join(r[3] for r in db.execute(f'EXPLAIN QUERY PLAN SELECT count(*) FROM "{table}" WHERE {where}', (probe,)))
                want_n = sum(1 for r in got if key(r) == probe)
                if n != want_n:
                    errors.append(f"{name}: {n} rows for {probe!r:.60}, the table has {want_n}")
                if name not in plan:
                    errors.append(f"{name}: the planner does not use it ({plan})")
            indexes[name] = depth(db_path, root)
        report["tables"][table] = {"rows": len(got), "sums": sums, "depth": depth(db_path, schema[table][2]),
                                   "indexes": indexes, "bad_cells": bad}
    meta = dict(db.execute("SELECT key, value FROM meta"))
    report["meta_keys"] = sorted(meta)
    datasets = json.loads(meta.get("datasets_json") or "[]")
    for d in datasets:
        if report["tables"].get(d["table"], {}).get("rows") != d["rows"]:
            errors.append(f"meta datasets_json: {d}")
    report["errors"] = errors
    print(json.dumps(report, indent=1, sort_keys=True))
    return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
