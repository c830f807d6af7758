//! The one typed protocol between the views and the data (DESIGN.md section 8, in the manner of
//! Perfetto's UI and trace processor): a view sends a [`Request`], the engine that holds the
//! tables (in a Web Worker on the page, in-process natively) sends back a [`Response`]. Views
//! never hold a whole table: they ask for a page, a rollup, a chart series, a session, a raw
//! line or search hits.
//!
//! Everything here is plain data with serde, so the page can post it between threads as JSON and
//! native tests can drive the engine directly. Export bytes travel beside the JSON (transferred,
//! not copied) and are not part of these types.

pub mod locate;
pub mod overview;
pub mod search;
pub mod series;
pub mod session;

use serde::{Deserialize, Serialize};

/// What every answer depends on besides the loaded files: the shared filters, the time zone,
/// the price edits and the redaction switches. The page keeps it in the URL and in the browser.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// An IANA time zone for days and hours; empty or unknown = UTC.
    pub zone: String,
    /// One model, or empty for all.
    pub model: String,
    /// One workspace, or empty for all.
    pub workspace: String,
    /// One machine of the team view (an imported export's label, or this machine's), or empty
    /// for all. `serde(default)`: settings saved before the team view still load.
    #[serde(default)]
    pub machine: String,
    /// This machine's name, written into the exports (`catalog.json`, the database's `meta`) so
    /// that another machine's page can tell its rows apart; empty = unnamed ("this machine").
    #[serde(default)]
    pub machine_name: String,
    /// First day kept, `YYYY-MM-DD` (UTC), or empty.
    pub from: String,
    /// Last day kept, inclusive, `YYYY-MM-DD` (UTC), or empty.
    pub to: String,
    /// Keep only the last N days before `now_ms`.
    pub retention_days: Option<u32>,
    /// At most this many rows per CSV download.
    pub row_cap: Option<usize>,
    pub redact_prompts: bool,
    pub redact_tool_args: bool,
    pub redact_tool_results: bool,
    pub redact_paths: bool,
    /// The redaction rule file (`Redaction::to_json`: rules, switches, custom rules, manual
    /// redactions); empty = the built-in defaults.
    #[serde(default)]
    pub redaction_rules: String,
    /// The user's price edits, as `PriceBook::overrides_json` writes them (empty = none).
    pub price_overrides: String,
    /// The caller's clock, for retention.
    pub now_ms: i64,
}

/// A question a view asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Request {
    /// Replace the settings; the engine recomputes what they change.
    Configure { settings: Settings },
    /// Totals, rollups, checks and filter options: what the overview and most headers show.
    Overview,
    /// One page of a dataset (any CSV dataset by its file name), sorted and filtered.
    Page(PageQuery),
    /// The series of one chart.
    Chart { name: String },
    /// One session with its queries and their events in order.
    Session { id: String },
    /// Text search across prompts, tool arguments and outputs, routing and findings.
    Search { text: String, limit: usize },
    /// One download by its file name (DESIGN.md section 4), built where the data lives.
    Export { name: String, generated_at_ms: i64 },
    /// The rows a table shows (all of them, sorted and narrowed as asked) as a CSV download.
    PageCsv(PageQuery),
    /// The price list of the models seen, with where each price comes from.
    Prices,
    /// What the redaction in force masked: a count (and masked previews) per rule and per
    /// manual redaction.
    Redaction,
    /// Where `text`, selected in row `row` of `dataset`, column `column`, lies in the logs (an
    /// empty text names the whole field): for a manual redaction of one field or occurrence.
    Locate { dataset: String, row: usize, column: String, text: String },
    /// Every dataset as typed columns (`export::tables`), for the SQL console's worker.
    Tables,
}

/// A page of a dataset: sort by one column, keep rows with a cell containing `text`, then
/// `offset..offset + limit` of what is left.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PageQuery {
    /// The dataset's file name, e.g. `usage_tokens.csv`.
    pub dataset: String,
    pub sort: Option<Sort>,
    /// Case-insensitive text every kept row contains in one of its cells; empty keeps all.
    pub text: String,
    /// Keep only rows whose column equals a value (exact, as displayed), e.g. a session id; a
    /// value ending in `*` keeps the cells starting with what comes before it (a day of times).
    pub equals: Vec<(String, String)>,
    pub offset: usize,
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sort {
    /// The column's name.
    pub column: String,
    pub descending: bool,
}

/// An answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Response {
    Configured,
    Overview(Box<overview::Overview>),
    Page(Page),
    Chart(series::Series),
    Session(Box<session::SessionDetail>),
    Search { hits: Vec<search::Hit>, more: bool },
    /// The bytes travel beside this answer.
    Export { name: String, mime: String, bytes: usize },
    /// The download `name` was stopped (the page's Cancel) after `done` of its `total` files;
    /// what was built of it is dropped.
    Cancelled { name: String, done: usize, total: usize },
    Prices { rows: Vec<PriceLine>, source: String },
    Redaction(Box<crate::redact::Report>),
    Located(locate::Located),
    /// The request could not be answered (nothing loaded, unknown dataset, …), in words.
    Error { message: String },
}

/// One page of rows, every cell as the CSV download writes it (but not formula-neutralised:
/// the page renders text, never HTML, so the `'` prefix would only confuse).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub dataset: String,
    pub columns: Vec<String>,
    /// Per column: true when its cells are numbers (right-aligned, sorted as numbers).
    pub numeric: Vec<bool>,
    pub rows: Vec<PageRow>,
    /// Rows after `text` and `equals`, before offset and limit.
    pub matched: usize,
    /// Rows of the dataset under the active filters.
    pub total: usize,
    pub offset: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PageRow {
    /// The row's position in the dataset (its line in the CSV download, minus the header).
    pub index: usize,
    pub cells: Vec<String>,
}

/// One row of the price editor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PriceLine {
    pub model: String,
    pub input: Option<f64>,
    pub cache_read: Option<f64>,
    pub cache_write_5m: Option<f64>,
    pub cache_write_1h: Option<f64>,
    pub output: Option<f64>,
    /// Where the price comes from (snapshot, fallback, override, unpriced).
    pub origin: String,
}
