//! What the page asks the SQL worker and what it answers: plain data, shared by both sides.
//! Messages in: `{id, cmd: <SqlCommand JSON>, bytes?: ArrayBuffer}`; out: `{id, res: <SqlAnswer
//! JSON>, bytes?: ArrayBuffer}`, like the engine's worker (`crate::worker`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SqlCommand {
    /// Replace every table with the typed datasets posted beside (`export::tables` JSON).
    Load,
    /// Run one or more statements; the last one's result is kept for [`SqlCommand::Rows`] and
    /// [`SqlCommand::Csv`].
    Run { sql: String },
    /// Rows `offset..offset + limit` of the kept result.
    Rows { offset: usize, limit: usize },
    /// The kept result as CSV (the bytes travel beside the answer).
    Csv,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SqlAnswer {
    Loaded { tables: Vec<TableInfo> },
    Result(ResultHead),
    Rows { offset: usize, rows: Vec<Vec<Option<String>>> },
    Csv { name: String, bytes: usize },
    Error { message: String },
}

/// A loaded table, for the console's list of tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableInfo {
    pub name: String,
    pub rows: usize,
    pub truncated: bool,
    /// Each column's name and SQL type (`INT`, `FLOAT`, `BOOLEAN`, `TEXT`).
    pub columns: Vec<(String, String)>,
}

/// The outcome of a run: its columns and row count, and its first rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResultHead {
    pub columns: Vec<String>,
    /// Whether each column holds numbers only (drawn right-aligned).
    pub numeric: Vec<bool>,
    pub total: usize,
    /// The first rows; a cell `None` is NULL.
    pub rows: Vec<Vec<Option<String>>>,
    /// What a statement without rows did ("3 rows inserted"), else empty.
    pub note: String,
    pub elapsed_ms: f64,
}
