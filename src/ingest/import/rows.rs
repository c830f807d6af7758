//! One CSV record of each dataset back to the row of the table the log parsers fill.
//!
//! What comes back exactly: every key, time, count and text the dataset holds. What does not:
//! replies (no dataset holds them), Codex's full cumulative counters (only their
//! `total_tokens` is exported, so an imported row's `cumulative` carries that alone and an
//! imported session has no `final_cumulative`: the reconciliation check, which needs all five,
//! runs where the logs are), and the per-session sums of `sessions.csv` (recomputed here from
//! the rows). Costs are recomputed from the tokens with this page's prices, like every row's.

use super::cells::{Cell, Row};
use crate::model::{
    ApiCall, DurationSource, FileId, Format, Query, RawUsage, RoutingRow, Session, Source, TokenCounts, ToolAuditRow,
    ToolCall, ToolStatus, UsageRow, Vendor,
};

/// Turns a `file` cell into the id of the imported file of that name.
pub(super) type Files<'a> = dyn FnMut(&str) -> FileId + 'a;

fn source(row: &Row, files: &mut Files, file_col: &str, line_col: &str) -> Cell<Source> {
    let line = row.line(line_col)?;
    let name = row.text(file_col)?;
    Ok(Source { file: files(&name), line })
}

pub(super) fn session(row: &Row, files: &mut Files) -> Cell<Session> {
    let session_id = row.text("session_id")?;
    if session_id.is_empty() {
        return Err("session_id is empty".into());
    }
    let format = match row.opt_text("format")? {
        None => None,
        Some(label) => Some(Format::from_label(&label).ok_or_else(|| format!("format {label:?} is not one this tool reads"))?),
    };
    Ok(Session {
        session_id,
        format,
        source: source(row, files, "file", "line")?,
        start_ms: row.time("start_utc")?,
        end_ms: row.time("end_utc")?,
        workspace: row.opt_text("workspace")?,
        originator: row.opt_text("originator")?,
        cli_version: row.opt_text("cli_version")?,
        session_source: row.opt_text("session_source")?,
        parent_session_id: row.opt_text("parent_session_id")?,
        git_branch: row.opt_text("git_branch")?,
        git_commit: row.opt_text("git_commit")?,
        git_remote: row.opt_text("git_remote")?,
        model_provider: row.opt_text("model_provider")?,
        usage_available: row.boolean("usage_available")?,
        final_cumulative: None,
        replayed_prefix: None,
    })
}

pub(super) fn routing(row: &Row, files: &mut Files) -> Cell<RoutingRow> {
    Ok(RoutingRow {
        session_id: row.text("session_id")?.into(),
        source: source(row, files, "file", "line")?,
        ts_ms: row.time("ts_utc")?,
        turn_id: row.opt_text("turn_id")?,
        model: row.text("model")?.into(),
        effort: row.opt_text("effort")?.map(Into::into),
        approval_policy: row.opt_text("approval_policy")?.map(Into::into),
        sandbox_policy: row.opt_text("sandbox_policy")?.map(Into::into),
        cwd: row.opt_text("cwd")?.map(Into::into),
    })
}

pub(super) fn query(row: &Row, files: &mut Files) -> Cell<Query> {
    Ok(Query {
        session_id: row.text("session_id")?,
        source: source(row, files, "file", "line")?,
        ts_ms: row.time("ts_utc")?,
        text: row.text("text")?,
    })
}

fn vendor(label: Option<String>) -> Cell<Option<Vendor>> {
    Ok(match label.as_deref() {
        None => None,
        Some("openai") => Some(Vendor::OpenAi),
        Some("anthropic") => Some(Vendor::Anthropic),
        Some("google") => Some(Vendor::Google),
        Some("other") => Some(Vendor::Other),
        Some(v) => return Err(format!("vendor {v:?} is not openai, anthropic, google or other")),
    })
}

pub(super) fn usage(row: &Row, files: &mut Files) -> Cell<UsageRow> {
    let raw = RawUsage {
        input_tokens: row.int("raw_input_tokens")?,
        cached_input_tokens: row.int("raw_cached_input_tokens")?,
        output_tokens: row.int("raw_output_tokens")?,
        reasoning_output_tokens: row.int("raw_reasoning_output_tokens")?,
        total_tokens: row.int("raw_total_tokens")?,
        cache_write_input_tokens: row.int("raw_cache_write_input_tokens")?,
        cache_creation_input_tokens: row.int("raw_cache_creation_input_tokens")?,
        cache_read_input_tokens: row.int("raw_cache_read_input_tokens")?,
        cache_creation_5m_tokens: row.int("raw_cache_creation_5m_tokens")?,
        cache_creation_1h_tokens: row.int("raw_cache_creation_1h_tokens")?,
        thoughts_tokens: row.int("raw_thoughts_tokens")?,
        tool_tokens: row.int("raw_tool_tokens")?,
    };
    let cumulative = row
        .opt_int("cumulative_total_tokens")?
        .map(|total_tokens| TokenCounts { total_tokens, ..TokenCounts::default() });
    Ok(UsageRow {
        session_id: row.text("session_id")?.into(),
        source: source(row, files, "file", "line")?,
        ts_ms: row.time("ts_utc")?,
        model: row.text("model")?.into(),
        vendor: vendor(row.opt_text("vendor")?)?,
        input_tokens: row.int("input_tokens")?,
        cached_input_tokens: row.int("cached_input_tokens")?,
        cache_creation_input_tokens: row.int("cache_creation_input_tokens")?,
        output_tokens: row.int("output_tokens")?,
        reasoning_output_tokens: row.int("reasoning_output_tokens")?,
        total_tokens: row.int("total_tokens")?,
        raw,
        cumulative,
        context_window: row.opt_int("context_window")?,
        rate_limit_primary_pct: row.opt_float("rate_limit_primary_pct")?,
        rate_limit_secondary_pct: row.opt_float("rate_limit_secondary_pct")?,
        possibly_partial: row.boolean("possibly_partial")?,
        fast: row.boolean("fast")?,
        sidechain: row.boolean("sidechain")?,
        request_key: row.opt_text("request_key")?,
    })
}

fn tool_status(label: &str) -> Cell<ToolStatus> {
    Ok(match label {
        "ok" => ToolStatus::Ok,
        "error" => ToolStatus::Error,
        "denied" => ToolStatus::Denied,
        "unknown" => ToolStatus::Unknown,
        other => return Err(format!("status {other:?} is not ok, error, denied or unknown")),
    })
}

fn duration_source(label: Option<String>) -> Cell<Option<DurationSource>> {
    Ok(match label.as_deref() {
        None => None,
        Some("end_event") => Some(DurationSource::EndEvent),
        Some("output_metadata") => Some(DurationSource::OutputMetadata),
        Some("timestamps") => Some(DurationSource::Timestamps),
        Some(other) => return Err(format!("duration_source {other:?} is not one the exports write")),
    })
}

pub(super) fn tool_call(row: &Row, files: &mut Files) -> Cell<ToolCall> {
    let output_source = match row.opt_text("output_file")? {
        None => None,
        Some(_) => Some(source(row, files, "output_file", "output_line")?),
    };
    Ok(ToolCall {
        session_id: row.text("session_id")?.into(),
        source: source(row, files, "file", "line")?,
        output_source,
        ts_ms: row.time("ts_utc")?,
        call_id: row.opt_text("call_id")?,
        tool: row.text("tool")?.into(),
        kind: row.text("kind")?.into(),
        args_bytes: row.uint("args_bytes")?,
        args_snippet: row.text("args_snippet")?,
        status: tool_status(&row.text("status")?)?,
        exit_code: row.opt_int("exit_code")?,
        duration_ms: row.opt_float("duration_ms")?,
        duration_source: duration_source(row.opt_text("duration_source")?)?,
        output_bytes: row.opt_uint("output_bytes")?,
        model: row.opt_text("model")?.map(Into::into),
    })
}

pub(super) fn tool_audit(row: &Row, files: &mut Files) -> Cell<ToolAuditRow> {
    Ok(ToolAuditRow {
        source: source(row, files, "file", "line")?,
        ts_ms: row.time("ts_utc")?,
        ts: row.text("ts_logged")?,
        user: row.text("user")?,
        engine: row.opt_text("engine")?,
        model: row.opt_text("model")?,
        tool: row.text("tool")?,
        args_bytes: row.uint("args_bytes")?,
        args_snippet: row.text("args_snippet")?,
        status: row.text("status")?,
        result_chars: row.opt_int("result_chars")?,
        result_snippet: row.text("result_snippet")?,
    })
}

pub(super) fn api_call(row: &Row, files: &mut Files) -> Cell<ApiCall> {
    Ok(ApiCall {
        source: source(row, files, "file", "line")?,
        ts_ms: row.time("ts_utc")?,
        install_id: row.text("install_id")?,
        tier: row.text("tier")?,
        pipeline: row.text("pipeline")?,
        backend: row.text("backend")?,
        model: row.text("model")?,
        status: row.text("status")?,
        credit_charged: row.opt_float("credit_charged")?,
        duration_ms: row.opt_float("duration_ms")?,
        input_tokens: row.int("input_tokens")?,
        output_tokens: row.int("output_tokens")?,
        thinking_tokens: row.int("thinking_tokens")?,
        cost_usd: row.opt_float("cost_usd")?,
        job_id: row.opt_text("job_id")?,
        error: row.opt_text("error")?,
    })
}
