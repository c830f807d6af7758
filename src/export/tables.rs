//! The datasets as typed columns, for the SQL console (`#/sql`): the engine's worker builds them
//! from the very [`CsvTable`]s the downloads are written from (filters, redaction and the row cap
//! included) and the page hands them to the SQL worker, which loads them into its tables.
//!
//! Why a form of its own rather than a download: the CSVs neutralise formula text and carry no
//! types, the SQLite file needs a reader the SQL engine lacks, and a Parquet reader would grow the
//! SQL worker. Columns, each typed by [`typed::kind`] like `agent-ledger.sqlite`, are JSON that
//! serde reads straight into vectors (no per-cell tag), and a cell holds what
//! [`typed::value`] gives the SQLite download: NULL for an empty cell, text as logged, a cost as
//! the number its CSV shows.

use super::csv_cell::CsvTable;
use super::typed::{self, Kind, Value};
use serde::{Deserialize, Serialize};

/// The name of the file the engine answers `Request::Tables` with (not a download).
pub const TABLES_JSON: &str = "agent-ledger-tables.json";

/// One dataset: its table name (the CSV's without `.csv`) and its columns in CSV order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    pub rows: usize,
    /// The row cap of the export settings cut this dataset (as `catalog.json` says).
    pub truncated: bool,
    pub columns: Vec<Column>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub values: Values,
}

/// A column's cells, one per row; `None` is NULL. Times are ISO-8601 UTC text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "cells", rename_all = "snake_case")]
pub enum Values {
    Int(Vec<Option<i64>>),
    Real(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
    Text(Vec<Option<String>>),
    Time(Vec<Option<String>>),
}

impl Values {
    pub fn kind(&self) -> Kind {
        match self {
            Values::Int(_) => Kind::Int,
            Values::Real(_) => Kind::Real,
            Values::Bool(_) => Kind::Bool,
            Values::Text(_) => Kind::Text,
            Values::Time(_) => Kind::Time,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Values::Int(v) => v.len(),
            Values::Real(v) => v.len(),
            Values::Bool(v) => v.len(),
            Values::Text(v) | Values::Time(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The typed columns of each dataset, in [`super::CSV_NAMES`] order.
pub fn build(csvs: &[CsvTable]) -> Vec<Table> {
    csvs.iter().map(table).collect()
}

fn table(csv: &CsvTable) -> Table {
    let columns = csv
        .columns
        .iter()
        .enumerate()
        .map(|(at, name)| {
            let kind = typed::kind(name);
            let cells = csv.rows.iter().map(move |row| row.get(at).map_or(Value::Null, |c| typed::value(kind, c)));
            // `typed::value` gives each cell its column's type or NULL, so the other arms are
            // NULL too.
            let values = match kind {
                Kind::Int => Values::Int(cells.map(|v| if let Value::Int(i) = v { Some(i) } else { None }).collect()),
                Kind::Real => Values::Real(cells.map(|v| if let Value::Real(r) = v { Some(r) } else { None }).collect()),
                Kind::Bool => Values::Bool(cells.map(|v| if let Value::Bool(b) = v { Some(b) } else { None }).collect()),
                Kind::Text => Values::Text(cells.map(|v| if let Value::Text(s) = v { Some(s.to_string()) } else { None }).collect()),
                Kind::Time => Values::Time(cells.map(|v| if let Value::Time(s) = v { Some(s.to_string()) } else { None }).collect()),
            };
            Column { name: name.to_string(), values }
        })
        .collect();
    Table { name: typed::table_name(csv.name).to_string(), rows: csv.rows.len(), truncated: csv.truncated(), columns }
}

/// The file the engine answers `Request::Tables` with: [`build`] as JSON.
pub fn file(input: &super::ExportInput) -> super::ExportFile {
    let red = super::redacted(input);
    let csvs = super::datasets::build_all(input, &red);
    super::ExportFile {
        name: TABLES_JSON,
        mime: super::MIME_JSON,
        bytes: serde_json::to_vec(&build(&csvs)).unwrap_or_else(|_| b"[]".to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::csv_cell::Cell;

    #[test]
    fn columns_take_their_types_and_nulls() {
        let mut csv = CsvTable::new("usage_tokens.csv", &["session_id", "total_tokens", "cost_usd", "ts_utc", "priced"], None);
        csv.push_with(|| [Cell::text("=s1"), Cell::UInt(7), Cell::Usd(0.1 + 0.2), Cell::text("2025-01-02T03:04:05.000Z"), Cell::Bool(true)]);
        csv.push_with(|| [Cell::text(""), Cell::Empty, Cell::Empty, Cell::text(""), Cell::Empty]);
        let t = table(&csv);
        assert_eq!(t.name, "usage_tokens");
        assert_eq!(t.rows, 2);
        let v: Vec<&Values> = t.columns.iter().map(|c| &c.values).collect();
        // Text as logged (no formula quote), empty text stays text, an unknown time is NULL.
        assert_eq!(v[0], &Values::Text(vec![Some("=s1".into()), Some(String::new())]));
        assert_eq!(v[1], &Values::Int(vec![Some(7), None]));
        assert_eq!(v[2], &Values::Real(vec![Some(0.3), None]));
        assert_eq!(v[3], &Values::Time(vec![Some("2025-01-02T03:04:05.000Z".into()), None]));
        assert_eq!(v[4], &Values::Bool(vec![Some(true), None]));
        let json = serde_json::to_string(&t).unwrap();
        assert!(json.contains(r#"{"name":"total_tokens","values":{"kind":"int","cells":[7,null]}}"#), "{json}");
        assert_eq!(serde_json::from_str::<Table>(&json).unwrap(), t);
    }
}
