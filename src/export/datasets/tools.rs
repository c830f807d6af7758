//! `tool_calls.csv`, `tool_audit.csv`, `api_calls.csv`.
//!
//! `tool_calls.csv` lists every row of the tool-call table, outputs that matched no call
//! included (their `kind` is `output_without_call`); `file`/`line` is the call's line and
//! `output_file`/`output_line` the output's, when one was found. `tool_audit.csv` keeps the
//! logged `ts` text beside the parsed `ts_utc`, and `status` exactly as logged (an unknown status
//! is what the audit flags). `api_calls.csv` keeps `cost_usd` and `status` as logged.

use super::super::csv_cell::{Cell, CsvTable, Rows};
use crate::model::{DurationSource, Tables};

pub const TOOL_CALL_COLUMNS: &[&str] = &[
    "session_id",
    "ts_utc",
    "call_id",
    "tool",
    "kind",
    "status",
    "exit_code",
    "duration_ms",
    "duration_source",
    "args_bytes",
    "args_snippet",
    "output_bytes",
    "model",
    "output_file",
    "output_line",
    "file",
    "line",
];

pub const TOOL_AUDIT_COLUMNS: &[&str] = &[
    "ts_utc",
    "ts_logged",
    "user",
    "engine",
    "model",
    "tool",
    "status",
    "args_bytes",
    "args_snippet",
    "result_chars",
    "result_snippet",
    "file",
    "line",
];

pub const API_COLUMNS: &[&str] = &[
    "ts_utc",
    "install_id",
    "tier",
    "pipeline",
    "backend",
    "model",
    "status",
    "credit_charged",
    "duration_ms",
    "input_tokens",
    "output_tokens",
    "thinking_tokens",
    "cost_usd",
    "job_id",
    "error",
    "file",
    "line",
];

fn duration_source_label(d: DurationSource) -> &'static str {
    match d {
        DurationSource::EndEvent => "end_event",
        DurationSource::OutputMetadata => "output_metadata",
        DurationSource::Timestamps => "timestamps",
    }
}

pub fn tool_calls(t: &Tables, cap: impl Into<Rows>) -> CsvTable<'_> {
    let mut out = CsvTable::new(super::super::TOOL_CALLS_CSV, TOOL_CALL_COLUMNS, cap);
    for c in &t.tool_calls {
        out.push_with(|| {
            [
                Cell::text(&c.session_id),
                Cell::time(c.ts_ms),
                Cell::opt_text(c.call_id.as_deref()),
                Cell::text(&c.tool),
                Cell::text(&c.kind),
                Cell::text(c.status.label()),
                Cell::opt_int(c.exit_code),
                Cell::opt_float(c.duration_ms),
                Cell::opt_text(c.duration_source.map(duration_source_label)),
                Cell::UInt(c.args_bytes),
                Cell::text(&c.args_snippet),
                c.output_bytes.map_or(Cell::Empty, Cell::UInt),
                Cell::opt_text(c.model.as_deref()),
                Cell::opt_text(c.output_source.map(|s| t.file_name(s.file))),
                c.output_source
                    .map_or(Cell::Empty, |s| Cell::UInt(u64::from(s.line))),
                Cell::text(t.file_name(c.source.file)),
                Cell::UInt(u64::from(c.source.line)),
            ]
        });
    }
    out
}

pub fn tool_audit(t: &Tables, cap: impl Into<Rows>) -> CsvTable<'_> {
    let mut out = CsvTable::new(super::super::TOOL_AUDIT_CSV, TOOL_AUDIT_COLUMNS, cap);
    for a in &t.tool_audit {
        out.push_with(|| {
            [
                Cell::time(a.ts_ms),
                Cell::text(&a.ts),
                Cell::text(&a.user),
                Cell::opt_text(a.engine.as_deref()),
                Cell::opt_text(a.model.as_deref()),
                Cell::text(&a.tool),
                Cell::text(&a.status),
                Cell::UInt(a.args_bytes),
                Cell::text(&a.args_snippet),
                Cell::opt_int(a.result_chars),
                Cell::text(&a.result_snippet),
                Cell::text(t.file_name(a.source.file)),
                Cell::UInt(u64::from(a.source.line)),
            ]
        });
    }
    out
}

pub fn api_calls(t: &Tables, cap: impl Into<Rows>) -> CsvTable<'_> {
    let mut out = CsvTable::new(super::super::API_CALLS_CSV, API_COLUMNS, cap);
    for c in &t.api_calls {
        out.push_with(|| {
            [
                Cell::time(c.ts_ms),
                Cell::text(&c.install_id),
                Cell::text(&c.tier),
                Cell::text(&c.pipeline),
                Cell::text(&c.backend),
                Cell::text(&c.model),
                Cell::text(&c.status),
                Cell::opt_float(c.credit_charged),
                Cell::opt_float(c.duration_ms),
                Cell::Int(c.input_tokens),
                Cell::Int(c.output_tokens),
                Cell::Int(c.thinking_tokens),
                Cell::opt_usd(c.cost_usd),
                Cell::opt_text(c.job_id.as_deref()),
                Cell::opt_text(c.error.as_deref()),
                Cell::text(t.file_name(c.source.file)),
                Cell::UInt(u64::from(c.source.line)),
            ]
        });
    }
    out
}
