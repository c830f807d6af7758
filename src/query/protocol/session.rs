//! One session as a story: its queries in order and, under each, the events that followed it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionDetail {
    pub id: String,
    pub agent: String,
    pub file: String,
    pub start: String,
    pub end: String,
    pub workspace: String,
    pub git_branch: String,
    pub models: Vec<String>,
    pub usage_rows: u64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub total_tokens: i64,
    pub cost_usd: f64,
    pub unpriced_rows: u64,
    pub findings: u64,
    /// Events before the first query (session start, first routing).
    pub preamble: Vec<Event>,
    pub queries: Vec<QueryBlock>,
    /// Context-window use per model request: (request number, percent of the window, tokens).
    pub context: Vec<(u32, f64, i64)>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QueryBlock {
    pub number: u32,
    pub ts: String,
    pub text: String,
    pub file: String,
    pub line: u32,
    pub events: Vec<Event>,
}

/// One event; `kind` is what `data-event` says: routing, tool, usage, message or finding.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub kind: String,
    pub ts: String,
    pub title: String,
    pub detail: String,
    /// ok, error, denied, unknown (tools); pass/fail words for findings.
    pub status: String,
    pub file: String,
    pub line: u32,
}
