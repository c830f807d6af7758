//! `usage_tokens.csv`: one row per billed request.
//!
//! Columns, in order: the row's session, time, model and vendor (`openai`, `anthropic`,
//! `google`, `other`); the six normalized token fields (OpenAI convention, DESIGN.md section 2);
//! every raw vendor field as logged, prefixed `raw_`; `cost_usd` (empty when unpriced) and
//! `priced`; the row's flags (`possibly_partial`, `fast`, `sidechain`); `context_window`; the rate
//! limits used in percent; Codex's cumulative `total_tokens` after the row; the key the row was
//! deduplicated on; provenance; in a merged export, the row's machine.

use super::super::csv_cell::{Cell, CsvTable, Rows};
use super::super::stats::cost_of;
use crate::model::{Tables, UsageRow, Vendor};

/// What a row's cells are made from.
struct Row<'t> {
    t: &'t Tables,
    u: &'t UsageRow,
    cost: Option<f64>,
}

/// Each column: its name and how its cell is made, side by side, so that a question about one
/// column makes only that column's cells (`CsvTable::push_cells`).
type Column = (&'static str, for<'t> fn(&Row<'t>) -> Cell<'t>);

const COLUMNS: [Column; 35] = [
    ("session_id", |r| Cell::text(&r.u.session_id)),
    ("ts_utc", |r| Cell::time(r.u.ts_ms)),
    ("model", |r| Cell::text(&r.u.model)),
    ("vendor", |r| Cell::opt_text(r.u.vendor.map(vendor_label))),
    ("input_tokens", |r| Cell::Int(r.u.input_tokens)),
    ("cached_input_tokens", |r| Cell::Int(r.u.cached_input_tokens)),
    ("cache_creation_input_tokens", |r| Cell::Int(r.u.cache_creation_input_tokens)),
    ("output_tokens", |r| Cell::Int(r.u.output_tokens)),
    ("reasoning_output_tokens", |r| Cell::Int(r.u.reasoning_output_tokens)),
    ("total_tokens", |r| Cell::Int(r.u.total_tokens)),
    ("raw_input_tokens", |r| Cell::Int(r.u.raw.input_tokens)),
    ("raw_cached_input_tokens", |r| Cell::Int(r.u.raw.cached_input_tokens)),
    ("raw_output_tokens", |r| Cell::Int(r.u.raw.output_tokens)),
    ("raw_reasoning_output_tokens", |r| Cell::Int(r.u.raw.reasoning_output_tokens)),
    ("raw_total_tokens", |r| Cell::Int(r.u.raw.total_tokens)),
    ("raw_cache_write_input_tokens", |r| Cell::Int(r.u.raw.cache_write_input_tokens)),
    ("raw_cache_creation_input_tokens", |r| Cell::Int(r.u.raw.cache_creation_input_tokens)),
    ("raw_cache_read_input_tokens", |r| Cell::Int(r.u.raw.cache_read_input_tokens)),
    ("raw_cache_creation_5m_tokens", |r| Cell::Int(r.u.raw.cache_creation_5m_tokens)),
    ("raw_cache_creation_1h_tokens", |r| Cell::Int(r.u.raw.cache_creation_1h_tokens)),
    ("raw_thoughts_tokens", |r| Cell::Int(r.u.raw.thoughts_tokens)),
    ("raw_tool_tokens", |r| Cell::Int(r.u.raw.tool_tokens)),
    ("cost_usd", |r| Cell::opt_usd(r.cost)),
    ("priced", |r| Cell::Bool(r.cost.is_some())),
    ("possibly_partial", |r| Cell::Bool(r.u.possibly_partial)),
    ("fast", |r| Cell::Bool(r.u.fast)),
    ("sidechain", |r| Cell::Bool(r.u.sidechain)),
    ("context_window", |r| Cell::opt_int(r.u.context_window)),
    ("rate_limit_primary_pct", |r| Cell::opt_float(r.u.rate_limit_primary_pct)),
    ("rate_limit_secondary_pct", |r| Cell::opt_float(r.u.rate_limit_secondary_pct)),
    ("cumulative_total_tokens", |r| Cell::opt_int(r.u.cumulative.map(|c| c.total_tokens))),
    ("request_key", |r| Cell::opt_text(r.u.request_key.as_deref())),
    ("file", |r| Cell::text(r.t.file_name(r.u.source.file))),
    ("line", |r| Cell::UInt(u64::from(r.u.source.line))),
    ("machine", |r| super::machine_cell(r.t, r.u.source.file)),
];

pub const USAGE_ALL: [&str; 35] = super::names(&COLUMNS);
pub const USAGE_COLUMNS: &[&str] = super::without_machine(&USAGE_ALL);

pub fn vendor_label(v: Vendor) -> &'static str {
    match v {
        Vendor::OpenAi => "openai",
        Vendor::Anthropic => "anthropic",
        Vendor::Google => "google",
        Vendor::Other => "other",
    }
}

pub fn usage<'t>(t: &'t Tables, costs: &[Option<f64>], cap: impl Into<Rows>) -> CsvTable<'t> {
    let mut out = CsvTable::new(super::super::USAGE_CSV, super::chosen(t, &USAGE_ALL), cap);
    for (i, u) in t.usage.iter().enumerate() {
        let row = Row { t, u, cost: cost_of(costs, i) };
        out.push_cells(|c| (COLUMNS[c].1)(&row));
    }
    out
}
