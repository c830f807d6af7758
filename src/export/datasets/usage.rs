//! `usage_tokens.csv`: one row per billed request.
//!
//! Columns, in order: the row's session, time, model and vendor (`openai`, `anthropic`,
//! `google`, `other`); the six normalized token fields (OpenAI convention, DESIGN.md section 2);
//! every raw vendor field as logged, prefixed `raw_`; `cost_usd` (empty when unpriced) and
//! `priced`; the row's flags (`possibly_partial`, `fast`, `sidechain`); `context_window`; the rate
//! limits used in percent; Codex's cumulative `total_tokens` after the row; the key the row was
//! deduplicated on; provenance.

use super::super::csv_cell::{Cell, CsvTable, Rows};
use super::super::stats::cost_of;
use crate::model::{Tables, UsageRow, Vendor};
use crate::timefmt::format_opt;

pub const USAGE_COLUMNS: &[&str] = &[
    "session_id",
    "ts_utc",
    "model",
    "vendor",
    "input_tokens",
    "cached_input_tokens",
    "cache_creation_input_tokens",
    "output_tokens",
    "reasoning_output_tokens",
    "total_tokens",
    "raw_input_tokens",
    "raw_cached_input_tokens",
    "raw_output_tokens",
    "raw_reasoning_output_tokens",
    "raw_total_tokens",
    "raw_cache_write_input_tokens",
    "raw_cache_creation_input_tokens",
    "raw_cache_read_input_tokens",
    "raw_cache_creation_5m_tokens",
    "raw_cache_creation_1h_tokens",
    "raw_thoughts_tokens",
    "raw_tool_tokens",
    "cost_usd",
    "priced",
    "possibly_partial",
    "fast",
    "sidechain",
    "context_window",
    "rate_limit_primary_pct",
    "rate_limit_secondary_pct",
    "cumulative_total_tokens",
    "request_key",
    "file",
    "line",
];

pub fn vendor_label(v: Vendor) -> &'static str {
    match v {
        Vendor::OpenAi => "openai",
        Vendor::Anthropic => "anthropic",
        Vendor::Google => "google",
        Vendor::Other => "other",
    }
}

pub fn usage<'t>(t: &'t Tables, costs: &[Option<f64>], cap: impl Into<Rows>) -> CsvTable<'t> {
    let mut out = CsvTable::new(super::super::USAGE_CSV, USAGE_COLUMNS, cap);
    for (i, u) in t.usage.iter().enumerate() {
        out.push_with(|| usage_row(t, u, cost_of(costs, i)));
    }
    out
}

fn usage_row<'t>(t: &'t Tables, u: &'t UsageRow, cost: Option<f64>) -> [Cell<'t>; USAGE_COLUMNS.len()] {
    let raw = &u.raw;
    [
        Cell::text(&u.session_id),
        Cell::owned(format_opt(u.ts_ms)),
        Cell::text(&u.model),
        Cell::opt_text(u.vendor.map(vendor_label)),
        Cell::Int(u.input_tokens),
        Cell::Int(u.cached_input_tokens),
        Cell::Int(u.cache_creation_input_tokens),
        Cell::Int(u.output_tokens),
        Cell::Int(u.reasoning_output_tokens),
        Cell::Int(u.total_tokens),
        Cell::Int(raw.input_tokens),
        Cell::Int(raw.cached_input_tokens),
        Cell::Int(raw.output_tokens),
        Cell::Int(raw.reasoning_output_tokens),
        Cell::Int(raw.total_tokens),
        Cell::Int(raw.cache_write_input_tokens),
        Cell::Int(raw.cache_creation_input_tokens),
        Cell::Int(raw.cache_read_input_tokens),
        Cell::Int(raw.cache_creation_5m_tokens),
        Cell::Int(raw.cache_creation_1h_tokens),
        Cell::Int(raw.thoughts_tokens),
        Cell::Int(raw.tool_tokens),
        Cell::opt_usd(cost),
        Cell::Bool(cost.is_some()),
        Cell::Bool(u.possibly_partial),
        Cell::Bool(u.fast),
        Cell::Bool(u.sidechain),
        Cell::opt_int(u.context_window),
        Cell::opt_float(u.rate_limit_primary_pct),
        Cell::opt_float(u.rate_limit_secondary_pct),
        Cell::opt_int(u.cumulative.map(|c| c.total_tokens)),
        Cell::opt_text(u.request_key.as_deref()),
        Cell::text(t.file_name(u.source.file)),
        Cell::UInt(u64::from(u.source.line)),
    ]
}
