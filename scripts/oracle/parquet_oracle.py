#!/usr/bin/env python3
"""Independent check of the Parquet files and schema.sql of an export against its CSVs, with
DuckDB (from PyPI: scripts/setup-duckdb.sh) and Python's csv module. Written from DESIGN.md
section 4 and the Parquet format, not from the Rust code.

usage: target/oracle-venv/bin/python scripts/oracle/parquet_oracle.py EXPORT_DIR

For each X.csv of EXPORT_DIR, printing one JSON object and exiting 1 on any mismatch:
- X.parquet: DuckDB reads it; its columns are the CSV header; types by the column's meaning:
  *_tokens and counts BIGINT, costs and durations DOUBLE, flags BOOLEAN, ts_utc / start_utc /
  end_utc TIMESTAMP WITH TIME ZONE, the rest VARCHAR; same rows, every cell equal (NULL <->
  empty cell, times the instant of the CSV's ISO-8601 text, text after the CSV's formula rule);
  token and cost sums by SQL equal the CSV's; Snappy compression; text columns dictionary-encoded;
  the key-value metadata carries generated_at.
- schema.sql: DuckDB executes it, then COPY loads X.csv into table X with the same row count
  and token sums.
"""
import csv, json, os, sys
from datetime import datetime
import duckdb

FORMULA = ("=", "+", "-", "@", "\t", "\r")
INTS = {"queries", "tool_calls", "usage_rows", "unpriced_rows", "line", "output_line", "exit_code",
        "args_bytes", "output_bytes", "result_chars", "context_window", "bytes", "lines", "parsed",
        "skipped", "duplicates", "malformed"}
DOUBLES = {"cost_usd", "duration_ms", "credit_charged", "rate_limit_primary_pct", "rate_limit_secondary_pct"}
BOOLS = {"usage_available", "priced", "possibly_partial", "fast", "sidechain"}
TIMES = {"ts_utc", "start_utc", "end_utc"}


def expected_type(col):
    if col.endswith("_tokens") or col in INTS:
        return "BIGINT"
    if col in DOUBLES:
        return "DOUBLE"
    if col in BOOLS:
        return "BOOLEAN"
    if col in TIMES:
        return "TIMESTAMP WITH TIME ZONE"
    return "VARCHAR"


def render(v):
    """A DuckDB value as the CSV writes it."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return "'" + v if v.startswith(FORMULA) else v
    return v


def same(v, text):
    r = render(v)
    if isinstance(r, float):
        return text != "" and float(text) == r
    if isinstance(r, int):
        return text != "" and int(text) == r
    return r == text


def same_time(ms, text):
    """Epoch milliseconds against the CSV's ISO-8601 UTC text."""
    if ms is None or text == "":
        return ms is None and text == ""
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return round(t.timestamp() * 1000) == ms


def main(folder):
    errors, report = [], {"tables": {}}
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    loaded = duckdb.connect()
    loaded.execute(open(os.path.join(folder, "schema.sql"), encoding="utf-8").read())
    for file in sorted(os.listdir(folder)):
        if not file.endswith(".csv"):
            continue
        table = file[:-4]
        csv_path = os.path.join(folder, file)
        pq = os.path.join(folder, table + ".parquet")
        with open(csv_path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        header, rows = rows[0], rows[1:]
        described = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [pq]).fetchall()
        names = [d[0] for d in described]
        if names != header:
            errors.append(f"{table}.parquet: columns {names} != {header}")
            continue
        for name, typ, *_ in described:
            if typ != expected_type(name):
                errors.append(f"{table}.parquet: {name} is {typ}, not {expected_type(name)}")
        # Times as epoch milliseconds (DuckDB's Python conversion of TIMESTAMPTZ needs pytz).
        select = ", ".join(f'epoch_ms("{c}")' if c in TIMES else f'"{c}"' for c in header)
        got = con.execute(f"SELECT {select} FROM read_parquet(?)", [pq]).fetchall()
        if len(got) != len(rows):
            errors.append(f"{table}.parquet: {len(got)} rows, CSV has {len(rows)}")
        bad = 0
        for i, (a, b) in enumerate(zip(got, rows)):
            for col, v, text in zip(header, a, b):
                if not (same_time(v, text) if col in TIMES else same(v, text)):
                    bad += 1
                    if bad <= 5:
                        errors.append(f"{table}.parquet row {i + 1} {col}: {v!r:.80} != CSV {text!r:.80}")
        sums, loaded_sums = {}, {}
        summed = [c for c in header if c.endswith("_tokens") or c == "cost_usd"]
        for col in summed:
            at = header.index(col)
            sums[col] = sum((float if col == "cost_usd" else int)(r[at]) for r in rows if r[at] != "")
            sql = con.execute(f'SELECT coalesce(sum("{col}"), 0) FROM read_parquet(?)', [pq]).fetchone()[0]
            if abs(float(sql) - sums[col]) > 1e-6 * max(1.0, abs(sums[col])):
                errors.append(f"{table}.parquet {col}: sum {sql} != CSV {sums[col]}")
        chunks = con.execute("SELECT path_in_schema, encodings, compression FROM parquet_metadata(?)", [pq]).fetchall()
        for col, encodings, compression in chunks:
            if compression != "SNAPPY":
                errors.append(f"{table}.parquet {col}: compression {compression}")
            if expected_type(col) == "VARCHAR" and "DICTIONARY" not in encodings:
                errors.append(f"{table}.parquet {col}: encodings {encodings}, no dictionary")
        kv = {k.decode(): v for k, v in con.execute("SELECT key, value FROM parquet_kv_metadata(?)", [pq]).fetchall()}
        if "generated_at" not in kv:
            errors.append(f"{table}.parquet: no generated_at in its metadata ({sorted(kv)})")
        # schema.sql: the CSV loads into its table.
        # Exactly the statement of the recipe in schema.sql.
        loaded.execute(f"COPY {table} FROM '{csv_path}' (HEADER);")
        n = loaded.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        if n != len(rows):
            errors.append(f"schema.sql {table}: {n} rows loaded, CSV has {len(rows)}")
        for col in summed:
            s = loaded.execute(f'SELECT coalesce(sum("{col}"), 0) FROM "{table}"').fetchone()[0]
            loaded_sums[col] = float(s) if col == "cost_usd" else int(s)
            if abs(float(s) - sums[col]) > 1e-6 * max(1.0, abs(sums[col])):
                errors.append(f"schema.sql {table}.{col}: sum {s} != CSV {sums[col]}")
        groups = con.execute("SELECT count(DISTINCT row_group_id) FROM parquet_metadata(?)", [pq]).fetchone()[0]
        report["tables"][table] = {"rows": len(got), "loaded_rows": n, "sums": sums, "bad_cells": bad,
                                   "row_groups": groups}
    report["errors"] = errors
    print(json.dumps(report, indent=1, sort_keys=True, default=str))
    return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
