//! Tool-call audit logs (DESIGN.md section 1; docs/formats.md §4a): one file per user per day,
//! `tool_audit/YYYY-MM-DD.jsonl`, one line per tool call:
//! `{ts, user, engine?, model?, tool, args{}, status: ok|error|denied, result_chars, result_snippet}`.
//!
//! Oracle: every line with a `tool` is a parsed tool-audit row, whatever its status (an unknown
//! status is the audit's business, not the parser's); a line without `tool` is malformed.

use super::expect::Outcome;
use super::file::{FileWriter, Style, iso};
use super::rng::Rng;
use super::text;
use super::GeneratedFile;
use crate::model::Format;

#[derive(Debug, Clone, Default)]
pub struct AuditQuirks {
    /// One row with a status outside ok/error/denied.
    pub unknown_status: bool,
    /// One line without `tool` (malformed).
    pub missing_tool: bool,
}

#[derive(Debug, Clone)]
pub struct AuditSpec {
    pub name: String,
    pub user: String,
    /// Midnight UTC of the file's day.
    pub day_ms: i64,
    pub target_bytes: usize,
    pub style: Style,
    pub quirks: AuditQuirks,
}

const TOOLS: &[(&str, &str)] = &[("bash", "command"), ("read_file", "path"), ("edit_file", "path"), ("web_fetch", "url"), ("grep", "pattern")];
const ENGINES: &[(&str, &str)] = &[("codex", "gpt-5-codex"), ("claude", "claude-sonnet-4-5-20250929"), ("gemini", "gemini-2.5-pro")];

pub fn write(spec: &AuditSpec, rng: &mut Rng) -> GeneratedFile {
    let mut w = FileWriter::new(Format::ToolAudit, spec.style);
    let mut now = spec.day_ms + rng.range(7, 10) * 3_600_000;
    let mut n = 0u32;
    while w.len() < spec.target_bytes || n < 3 {
        now += rng.range(500, 120_000);
        let status = match rng.f64() {
            x if x < 0.86 => "ok",
            x if x < 0.96 => "error",
            _ => "denied",
        };
        let status = if spec.quirks.unknown_status && n == 1 { "timeout" } else { status };
        let with_tool = !(spec.quirks.missing_tool && n == 2);
        row(&mut w, rng, spec, now, status, with_tool);
        n += 1;
    }
    if spec.quirks.unknown_status {
        w.note("a row with an unknown status");
    }
    if spec.quirks.missing_tool {
        w.note("a line without tool");
    }
    w.finish(spec.name.clone())
}

fn row(w: &mut FileWriter, rng: &mut Rng, spec: &AuditSpec, now: i64, status: &str, with_tool: bool) {
    let (tool, arg) = rng.pick(TOOLS);
    let (engine, model) = rng.pick(ENGINES);
    let value = match arg {
        "command" => text::command(rng),
        "url" => "https://docs.rs/serde_json".to_string(),
        "pattern" => "TODO".to_string(),
        _ => text::file_path(rng).to_string(),
    };
    let result = if status == "ok" { text::code_log(rng, 10, 4_000) } else { format!("{status}: permission or runtime failure") };
    let snippet: String = result.chars().take(120).collect();
    let with_engine = rng.chance(0.9);
    let outcome = if with_tool { Outcome::Parsed } else { Outcome::Malformed };
    w.line(outcome, |o| {
        o.str("ts", &iso(now)).str("user", &spec.user);
        if with_engine {
            o.str("engine", engine).str("model", model);
        }
        if with_tool {
            o.str("tool", tool);
        }
        o.obj("args", |a| {
            a.str(arg, &value);
        });
        o.str("status", status).int("result_chars", result.chars().count() as i64).str("result_snippet", &snippet);
    });
    if with_tool {
        w.expect.counts.tool_audit_rows += 1;
    }
}
