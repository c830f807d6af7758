//! `schema.sql`: a `CREATE TABLE` statement per CSV dataset, for PostgreSQL and DuckDB, so the
//! zip's CSVs load with `\copy … CSV HEADER` (PostgreSQL) or `COPY … (HEADER)` (DuckDB).
//!
//! Rules: one table per CSV, named like it without `.csv`, its columns in CSV order with the
//! types of [`typed`](super::typed) spelled the way both databases read them (BIGINT, DOUBLE
//! PRECISION, BOOLEAN, TIMESTAMPTZ, TEXT); every identifier double-quoted (`user` is reserved
//! in PostgreSQL). No keys or indexes: a team loads several machines' zips into one database,
//! and a session that appears on two machines must not stop the load. The file does not depend
//! on the data: every export writes the same `schema.sql`.

use super::typed::{self, Kind};

/// How to load the zip, for the README and the top of `schema.sql`.
pub const RECIPE: &str = "\
PostgreSQL, in the folder the zip was unpacked into:
  createdb ledger
  psql -d ledger -f schema.sql
  for t in sessions routing_context query_messages usage_tokens tool_calls tool_audit \\
           api_calls audit_findings ingest_report; do
    psql -d ledger -c \"\\copy $t FROM '$t.csv' CSV HEADER\"
  done
DuckDB:
  { cat schema.sql; for t in sessions routing_context query_messages usage_tokens tool_calls \\
      tool_audit api_calls audit_findings ingest_report; do
      echo \"COPY $t FROM '$t.csv' (HEADER);\"; done; } | duckdb ledger.duckdb
  or read the Parquet files directly: duckdb -c \"SELECT * FROM 'usage_tokens.parquet'\"
The CSVs put a ' before text that starts with = + - @ tab or CR (so spreadsheets do not run
it); the .parquet files and agent-ledger.sqlite hold the text as logged.
";

pub fn sql_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "TEXT",
        Kind::Int => "BIGINT",
        Kind::Real => "DOUBLE PRECISION",
        Kind::Bool => "BOOLEAN",
        Kind::Time => "TIMESTAMPTZ",
    }
}

/// The text of `schema.sql`.
pub fn build(merged: bool) -> String {
    let mut out = String::from(
        "-- Agent Ledger export: the tables of its CSV files, for PostgreSQL and DuckDB.\n",
    );
    for line in RECIPE.lines() {
        out.push_str("-- ");
        out.push_str(line);
        out.push('\n');
    }
    for csv in super::CSV_NAMES {
        let columns = super::datasets::columns_of(csv, merged).unwrap_or_default();
        let lines: Vec<String> = columns
            .iter()
            .map(|c| format!("  {} {}", super::sqlite::quote(c), sql_type(typed::kind(c))))
            .collect();
        out.push_str(&format!(
            "\nCREATE TABLE {} (\n{}\n);\n",
            super::sqlite::quote(typed::table_name(csv)),
            lines.join(",\n")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_dataset_has_a_table_and_user_is_quoted() {
        let sql = super::build(false);
        assert_eq!(sql.matches("CREATE TABLE ").count(), 9);
        assert!(sql.contains("CREATE TABLE \"tool_audit\" (\n  \"ts_utc\" TIMESTAMPTZ,\n  \"ts_logged\" TEXT,\n  \"user\" TEXT,\n"));
        assert!(sql.contains("  \"cost_usd\" DOUBLE PRECISION,\n  \"priced\" BOOLEAN,\n"));
        // Every statement line outside comments ends a column, opens or closes a table.
        assert!(
            sql.lines()
                .filter(|l| !l.starts_with("--") && !l.is_empty())
                .all(|l| { l.starts_with("CREATE TABLE ") || l == ");" || l.starts_with("  \"") })
        );
    }
}
