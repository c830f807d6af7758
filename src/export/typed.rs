//! The CSV datasets as typed tables, shared by `agent-ledger.sqlite`, the `.parquet` files and
//! `schema.sql`, so that the three agree on every column's type.
//!
//! Rules:
//! - **Same rows as the CSVs.** The typed downloads are written from [`CsvTable`]s built by the
//!   same functions as the CSVs' (filters, redaction and the row cap included); only the
//!   encoding differs.
//! - **One type per column, by its name** ([`kind`]): token and count columns are integers,
//!   costs, durations and percentages reals, flags booleans, `ts_utc`/`start_utc`/`end_utc` UTC
//!   times, everything else text. `tests/sqlite.rs` checks that every cell of every dataset has
//!   the type its column says, so a new column with a new meaning fails there, not silently.
//! - **Text is stored as logged**: the formula neutralising of the CSVs (`'` in front of `=`…)
//!   protects spreadsheets; a database column is never evaluated, so it gets the text itself.
//! - **Absent is NULL**: an empty cell (and an unknown time) is NULL; empty text stays `''`.
//! - **Costs equal the CSV's**: a `Usd` cell is stored as the number its CSV text reads (at most
//!   10 decimals), so a sum over the database equals the sum over the CSV.

use super::ExportInput;
use super::csv_cell::{Cell, Shape};

/// A column's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Int,
    Real,
    Bool,
    /// A UTC instant, written in the CSV as `2025-09-25T01:22:20.084Z`.
    Time,
}

/// Integer columns that do not end in `_tokens`.
const INT_COLUMNS: [&str; 17] = [
    "queries",
    "tool_calls",
    "usage_rows",
    "unpriced_rows",
    "line",
    "output_line",
    "exit_code",
    "args_bytes",
    "output_bytes",
    "result_chars",
    "context_window",
    "bytes",
    "lines",
    "parsed",
    "skipped",
    "duplicates",
    "malformed",
];

const REAL_COLUMNS: [&str; 5] = [
    "cost_usd",
    "duration_ms",
    "credit_charged",
    "rate_limit_primary_pct",
    "rate_limit_secondary_pct",
];

const BOOL_COLUMNS: [&str; 5] = [
    "usage_available",
    "priced",
    "possibly_partial",
    "fast",
    "sidechain",
];

/// The time columns (DESIGN.md: `ts_utc`, `start_utc`, `end_utc`).
const TIME_COLUMNS: [&str; 3] = ["ts_utc", "start_utc", "end_utc"];

/// The type of a dataset column, by its name (the names mean the same in every dataset).
pub fn kind(column: &str) -> Kind {
    if column.ends_with("_tokens") || INT_COLUMNS.contains(&column) {
        Kind::Int
    } else if REAL_COLUMNS.contains(&column) {
        Kind::Real
    } else if BOOL_COLUMNS.contains(&column) {
        Kind::Bool
    } else if TIME_COLUMNS.contains(&column) {
        Kind::Time
    } else {
        Kind::Text
    }
}

/// The table a CSV becomes: its file name without `.csv`.
pub fn table_name(csv: &str) -> &str {
    csv.strip_suffix(".csv").unwrap_or(csv)
}

/// The column whose day the `<table>_day` index holds: the first time column.
pub fn day_column(columns: &[&'static str]) -> Option<&'static str> {
    columns.iter().copied().find(|c| kind(c) == Kind::Time)
}

/// The column that names each row uniquely when the data has such a column: a session's id, an
/// ingested file's name. Which datasets have one is fixed; whether this export's values really
/// are unique (a session id can repeat when the same log was dropped twice) is checked when its
/// table is written (`sqlite::TableWriter`).
pub fn key_candidate(csv: &str) -> Option<&'static str> {
    match csv {
        super::SESSIONS_CSV => Some("session_id"),
        super::INGEST_CSV => Some("file"),
        _ => None,
    }
}

/// One typed cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'c> {
    Null,
    Int(i64),
    Real(f64),
    Bool(bool),
    Text(&'c str),
    /// A time column's ISO-8601 UTC text (never empty).
    Time(&'c str),
}

/// The value of `cell` in a column of type `kind`. A cell whose type disagrees with its column
/// (a bug `tests/sqlite.rs` looks for) becomes NULL rather than a wrongly typed value.
pub fn value<'c>(kind: Kind, cell: &'c Cell) -> Value<'c> {
    match (kind, cell) {
        (_, Cell::Empty) => Value::Null,
        (Kind::Text, Cell::Text(s)) => Value::Text(s),
        (Kind::Time, Cell::Text(s)) if s.is_empty() => Value::Null,
        (Kind::Time, Cell::Text(s)) => Value::Time(s),
        (Kind::Time, Cell::Time(iso)) => Value::Time(Cell::time_text(iso)),
        (Kind::Int, Cell::Int(v)) => Value::Int(*v),
        (Kind::Int, Cell::UInt(v)) => Value::Int(i64::try_from(*v).unwrap_or(i64::MAX)),
        (Kind::Real, Cell::Float(v)) if v.is_finite() => Value::Real(*v),
        // The CSV's own text, read back: the stored cost is the one the CSV shows.
        (Kind::Real, Cell::Usd(v)) if v.is_finite() => Value::Real(usd_shown(*v).unwrap_or_else(|| cell.render().parse().unwrap_or(*v))),
        (Kind::Bool, Cell::Bool(b)) => Value::Bool(*b),
        _ => Value::Null,
    }
}

/// The number a cost's CSV text (`{v:.10}`, [`Cell::Usd`]) reads back as, without writing and
/// parsing it, when that is sure: `v` scaled by 10^10 is then rounded as the text rounds it,
/// and an integer over 10^10 is the double nearest that decimal, as the parser makes it.
/// Sure means far from a tie (the product's own error is below a ten-thousandth for
/// |v| < 100); else `None`, and the text decides (rendering and parsing every cost cost the
/// database and the Parquet files a tenth of their time).
fn usd_shown(v: f64) -> Option<f64> {
    let scaled = v * 1e10;
    if scaled.abs() >= (1u64 << 40) as f64 {
        return None;
    }
    let whole = scaled.round();
    if ((scaled - scaled.trunc()).abs() - 0.5).abs() < 1e-3 {
        return None;
    }
    // "-0" is written "0".
    Some(if whole == 0.0 { 0.0 } else { whole / 1e10 })
}

/// Whether `cell` has the type of its column: empty cells fit every column, a time column
/// holds ISO-8601 text or nothing (an unknown time).
pub fn fits(kind: Kind, cell: &Cell) -> bool {
    match (kind, cell) {
        (_, Cell::Empty) => true,
        (Kind::Time, Cell::Text(s)) => s.is_empty() || crate::timefmt::parse_iso(s).is_some(),
        _ => value(kind, cell) != Value::Null,
    }
}

/// How the typed downloads were made, as (key, value) pairs: the `meta` table of the database
/// and the key-value metadata of every Parquet file. `None` = unknown (NULL). Only the datasets'
/// counts are read, not their cells.
pub fn meta(input: &ExportInput, csvs: &[Shape]) -> Vec<(&'static str, Option<String>)> {
    let text = |items: Vec<String>| {
        if items.is_empty() {
            "none".to_string()
        } else {
            items.join("; ")
        }
    };
    let json = |v: serde_json::Result<String>| v.ok();
    let datasets: Vec<serde_json::Value> = csvs
        .iter()
        .map(|c| {
            serde_json::json!({
                "table": table_name(c.name),
                "csv": c.name,
                "rows": c.rows,
                "truncated": c.truncated(),
                "rows_before_cap": c.rows_before_cap,
            })
        })
        .collect();
    let snapshot = &input.meta.price_snapshot;
    vec![
        (
            "generator",
            Some(format!("agent-ledger {}", env!("CARGO_PKG_VERSION"))),
        ),
        (
            "generated_at",
            input.meta.generated_at_ms.map(crate::timefmt::format_iso),
        ),
        (
            "price_snapshot",
            (!snapshot.is_empty()).then(|| snapshot.clone()),
        ),
        ("filters", Some(text(input.filter.describe()))),
        ("filters_json", filters_json(input.filter)),
        (
            "redaction",
            Some(text(vec![input.redaction.describe()])),
        ),
        (
            "redaction_json",
            json(serde_json::to_string(input.redaction)),
        ),
        (
            "times",
            Some("UTC; ISO-8601 text like 2025-09-25T01:22:20.084Z".into()),
        ),
        (
            "text",
            Some("as logged (the CSVs' formula neutralising is for spreadsheets only)".into()),
        ),
        ("datasets_json", json(serde_json::to_string(&datasets))),
    ]
    .into_iter()
    // The team view's label: a row only when the machine was named, so an unnamed export's
    // database and Parquet metadata stay what they were.
    .chain((!input.meta.machine.is_empty()).then(|| ("machine", Some(input.meta.machine.clone()))))
    .collect()
}

/// The filter as JSON. "Now" is the caller's clock, which matters only to retention: it is
/// left out (two exports of the same data and filter then agree), and with retention on, the
/// cutoff it gives is written instead.
fn filters_json(filter: &crate::filter::Filter) -> Option<String> {
    let mut value = serde_json::to_value(filter).ok()?;
    if let Some(map) = value.as_object_mut() {
        map.remove("now_ms");
        if let Some(cutoff) = filter.retention_cutoff() {
            let iso = crate::timefmt::format_iso(cutoff);
            map.insert("retention_cutoff_utc".into(), iso.into());
        }
    }
    serde_json::to_string(&value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_name() {
        assert_eq!(kind("cache_creation_input_tokens"), Kind::Int);
        assert_eq!(kind("line"), Kind::Int);
        assert_eq!(kind("cost_usd"), Kind::Real);
        assert_eq!(kind("priced"), Kind::Bool);
        assert_eq!(kind("start_utc"), Kind::Time);
        assert_eq!(kind("ts_logged"), Kind::Text);
        assert_eq!(kind("session_id"), Kind::Text);
        assert_eq!(table_name("usage_tokens.csv"), "usage_tokens");
    }

    /// A cost's value is the number its CSV text reads back as, bit for bit: at ties and next
    /// to them, at the sure range's edge, for tiny, negative and large costs, and at a million
    /// costs of the sizes logged.
    #[test]
    fn a_cost_is_the_number_its_text_reads_back_as() {
        let by_text = |v: f64| Cell::Usd(v).render().parse::<f64>().unwrap();
        let mut cases = vec![0.0, -0.0, 5e-11, -5e-11, 1.5e-10, 2.5e-10, 4.9999e-11, 5.0001e-11, 1e-12, 0.1, 0.3, 1.0 / 3.0,
            99.99999999995, 109.9511627776, 109.9511627777, 1e6, -2.5e-10, 0.000123456789049, 0.000123456789051, 12.34567890125];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for k in 0..1_000_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
            // Per-request costs (micro-dollars to dollars), then per-session ones.
            cases.push(unit * [1e-6, 1e-3, 1.0, 50.0, 1e4][k % 5]);
        }
        for v in cases {
            let Value::Real(got) = value(Kind::Real, &Cell::Usd(v)) else { panic!("{v}: not a number") };
            assert_eq!(got.to_bits(), by_text(v).to_bits(), "{v:e}");
        }
    }

    #[test]
    fn a_time_cell_has_the_value_its_text_had() {
        for ms in [None, Some(0), Some(1_758_763_340_084), Some(-1), Some(-62_167_219_200_001), Some(i64::MAX)] {
            let (cell, text) = (Cell::time(ms), Cell::owned(crate::timefmt::format_opt(ms)));
            assert_eq!(value(Kind::Time, &cell), value(Kind::Time, &text), "{ms:?}");
            assert!(fits(Kind::Time, &cell), "{ms:?}");
        }
        assert_eq!(value(Kind::Time, &Cell::time(Some(0))), Value::Time("1970-01-01T00:00:00.000Z"));
    }

    #[test]
    fn values_follow_the_csv_text() {
        // 0.1 + 0.2 = 0.30000000000000004; the CSV shows 0.3, the database stores 0.3.
        assert_eq!(value(Kind::Real, &Cell::Usd(0.1 + 0.2)), Value::Real(0.3));
        assert_eq!(value(Kind::Real, &Cell::Float(f64::NAN)), Value::Null);
        assert_eq!(
            value(Kind::Int, &Cell::UInt(u64::MAX)),
            Value::Int(i64::MAX)
        );
        assert_eq!(value(Kind::Time, &Cell::text("")), Value::Null);
        assert_eq!(value(Kind::Text, &Cell::text("")), Value::Text(""));
        // Neutralising is for spreadsheets only.
        assert_eq!(value(Kind::Text, &Cell::text("=1+1")), Value::Text("=1+1"));
        assert!(!fits(Kind::Int, &Cell::text("5")));
        assert!(fits(Kind::Time, &Cell::text("")));
        assert!(!fits(Kind::Time, &Cell::text("yesterday")));
        assert!(fits(Kind::Int, &Cell::Empty));
    }

    #[test]
    fn filters_json_leaves_the_clock_out_unless_retention_uses_it() {
        use crate::filter::Filter;
        let plain = Filter {
            now_ms: 123,
            ..Filter::default()
        };
        let json = filters_json(&plain).expect("JSON");
        assert!(!json.contains("now_ms") && !json.contains("123"), "{json}");
        // 2 days before 2026-01-05T00:00:00Z (1,767,571,200,000 ms) is 2026-01-03T00:00:00Z.
        let kept = Filter {
            now_ms: 1_767_571_200_000,
            retention_days: Some(2),
            ..Filter::default()
        };
        let json = filters_json(&kept).expect("JSON");
        assert!(
            json.contains(r#""retention_cutoff_utc":"2026-01-03T00:00:00.000Z""#),
            "{json}"
        );
    }
}
