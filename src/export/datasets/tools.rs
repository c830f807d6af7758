//! `tool_calls.csv`, `tool_audit.csv`, `api_calls.csv`.
//!
//! `tool_calls.csv` lists every row of the tool-call table, outputs that matched no call
//! included (their `kind` is `output_without_call`); `file`/`line` is the call's line and
//! `output_file`/`output_line` the output's, when one was found. `tool_audit.csv` keeps the
//! logged `ts` text beside the parsed `ts_utc`, and `status` exactly as logged (an unknown status
//! is what the audit flags). `api_calls.csv` keeps `cost_usd` and `status` as logged.

use super::super::csv_cell::{Cell, CsvTable, Rows};
use super::Column;
use crate::model::{ApiCall, DurationSource, Tables, ToolAuditRow, ToolCall};

const TOOL_CALLS: [Column<ToolCall>; 18] = [
    ("session_id", |_, c| Cell::text(&c.session_id)),
    ("ts_utc", |_, c| Cell::time(c.ts_ms)),
    ("call_id", |_, c| Cell::opt_text(c.call_id.as_deref())),
    ("tool", |_, c| Cell::text(&c.tool)),
    ("kind", |_, c| Cell::text(&c.kind)),
    ("status", |_, c| Cell::text(c.status.label())),
    ("exit_code", |_, c| Cell::opt_int(c.exit_code)),
    ("duration_ms", |_, c| Cell::opt_float(c.duration_ms)),
    ("duration_source", |_, c| Cell::opt_text(c.duration_source.map(duration_source_label))),
    ("args_bytes", |_, c| Cell::UInt(c.args_bytes)),
    ("args_snippet", |_, c| Cell::text(&c.args_snippet)),
    ("output_bytes", |_, c| c.output_bytes.map_or(Cell::Empty, Cell::UInt)),
    ("model", |_, c| Cell::opt_text(c.model.as_deref())),
    ("output_file", |t, c| Cell::opt_text(c.output_source.map(|s| t.file_name(s.file)))),
    ("output_line", |_, c| c.output_source .map_or(Cell::Empty, |s| Cell::UInt(u64::from(s.line)))),
    ("file", |t, c| Cell::text(t.file_name(c.source.file))),
    ("line", |_, c| Cell::UInt(u64::from(c.source.line))),
    ("machine", |t, c| super::machine_cell(t, c.source.file)),
];

pub const TOOL_CALL_ALL: [&str; 18] = super::names(&TOOL_CALLS);
pub const TOOL_CALL_COLUMNS: &[&str] = super::without_machine(&TOOL_CALL_ALL);

const TOOL_AUDIT: [Column<ToolAuditRow>; 14] = [
    ("ts_utc", |_, a| Cell::time(a.ts_ms)),
    ("ts_logged", |_, a| Cell::text(&a.ts)),
    ("user", |_, a| Cell::text(&a.user)),
    ("engine", |_, a| Cell::opt_text(a.engine.as_deref())),
    ("model", |_, a| Cell::opt_text(a.model.as_deref())),
    ("tool", |_, a| Cell::text(&a.tool)),
    ("status", |_, a| Cell::text(&a.status)),
    ("args_bytes", |_, a| Cell::UInt(a.args_bytes)),
    ("args_snippet", |_, a| Cell::text(&a.args_snippet)),
    ("result_chars", |_, a| Cell::opt_int(a.result_chars)),
    ("result_snippet", |_, a| Cell::text(&a.result_snippet)),
    ("file", |t, a| Cell::text(t.file_name(a.source.file))),
    ("line", |_, a| Cell::UInt(u64::from(a.source.line))),
    ("machine", |t, a| super::machine_cell(t, a.source.file)),
];

pub const TOOL_AUDIT_ALL: [&str; 14] = super::names(&TOOL_AUDIT);
pub const TOOL_AUDIT_COLUMNS: &[&str] = super::without_machine(&TOOL_AUDIT_ALL);

const API_CALLS: [Column<ApiCall>; 18] = [
    ("ts_utc", |_, c| Cell::time(c.ts_ms)),
    ("install_id", |_, c| Cell::text(&c.install_id)),
    ("tier", |_, c| Cell::text(&c.tier)),
    ("pipeline", |_, c| Cell::text(&c.pipeline)),
    ("backend", |_, c| Cell::text(&c.backend)),
    ("model", |_, c| Cell::text(&c.model)),
    ("status", |_, c| Cell::text(&c.status)),
    ("credit_charged", |_, c| Cell::opt_float(c.credit_charged)),
    ("duration_ms", |_, c| Cell::opt_float(c.duration_ms)),
    ("input_tokens", |_, c| Cell::Int(c.input_tokens)),
    ("output_tokens", |_, c| Cell::Int(c.output_tokens)),
    ("thinking_tokens", |_, c| Cell::Int(c.thinking_tokens)),
    ("cost_usd", |_, c| Cell::opt_usd(c.cost_usd)),
    ("job_id", |_, c| Cell::opt_text(c.job_id.as_deref())),
    ("error", |_, c| Cell::opt_text(c.error.as_deref())),
    ("file", |t, c| Cell::text(t.file_name(c.source.file))),
    ("line", |_, c| Cell::UInt(u64::from(c.source.line))),
    ("machine", |t, c| super::machine_cell(t, c.source.file)),
];

pub const API_ALL: [&str; 18] = super::names(&API_CALLS);
pub const API_COLUMNS: &[&str] = super::without_machine(&API_ALL);

fn duration_source_label(d: DurationSource) -> &'static str {
    match d {
        DurationSource::EndEvent => "end_event",
        DurationSource::OutputMetadata => "output_metadata",
        DurationSource::Timestamps => "timestamps",
    }
}

pub fn tool_calls(t: &Tables, cap: impl Into<Rows>) -> CsvTable<'_> {
    super::by_cells(super::super::TOOL_CALLS_CSV, &TOOL_CALL_ALL, &TOOL_CALLS, t, &t.tool_calls, cap)
}

pub fn tool_audit(t: &Tables, cap: impl Into<Rows>) -> CsvTable<'_> {
    super::by_cells(super::super::TOOL_AUDIT_CSV, &TOOL_AUDIT_ALL, &TOOL_AUDIT, t, &t.tool_audit, cap)
}

pub fn api_calls(t: &Tables, cap: impl Into<Rows>) -> CsvTable<'_> {
    super::by_cells(super::super::API_CALLS_CSV, &API_ALL, &API_CALLS, t, &t.api_calls, cap)
}
