//! Tool-call audit JSONL (`tool_audit/YYYY-MM-DD.jsonl`, one file per user per day) →
//! [`ToolAuditRow`]s.
//!
//! Shape (DESIGN.md section 1; docs/formats.md section 4 (a)): one object a line,
//! `{ts, user, engine?, model?, tool, args, status: ok|error|denied, result_chars, result_snippet}`.
//!
//! Rules:
//! - Every object with `tool` and `ts` is one row, `Parsed`. `status` is kept exactly as logged;
//!   a value other than `ok`/`error`/`denied` (or none at all, kept as "") is still a row, which
//!   the audit later flags ("tool audit rows with an unknown status").
//! - `ts` is kept as logged in `ts` (ISO text, or the raw JSON of an epoch number); `ts_ms` is its
//!   reading (ISO-8601, epoch seconds or milliseconds), `None` when it does not parse: the audit
//!   reports that too, the row is kept.
//! - `args_bytes` / `args_snippet` come from the raw JSON text of `args`, whatever its type (the
//!   audit checks that it is an object); absent `args` is 0 bytes and an empty snippet.
//! - `result_chars` accepts numbers and numeric strings; absent or null is `None`.
//! - Missing `tool` or `ts` (or null), not valid JSON, not an object, or a field of the wrong type
//!   (`tool: 5`) → `Malformed` with the reason.

use crate::model::push_row;
use super::fields::{field_i64, loose_time, parse_object, shown};
use super::{Bucket, LineParser};
use crate::model::{snippet, Source, Tables, ToolAuditRow, SNIPPET_CHARS};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

#[derive(Default)]
pub struct ToolAuditParser;

#[derive(Deserialize)]
struct AuditLine<'a> {
    #[serde(borrow)]
    ts: Option<&'a RawValue>,
    #[serde(borrow)]
    user: Option<Cow<'a, str>>,
    #[serde(borrow)]
    engine: Option<Cow<'a, str>>,
    #[serde(borrow)]
    model: Option<Cow<'a, str>>,
    #[serde(borrow)]
    tool: Option<Cow<'a, str>>,
    #[serde(borrow)]
    args: Option<&'a RawValue>,
    #[serde(borrow)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow)]
    result_chars: Option<&'a RawValue>,
    #[serde(borrow)]
    result_snippet: Option<Cow<'a, str>>,
}

impl LineParser for ToolAuditParser {
    fn line(&mut self, line: &[u8], src: Source, out: &mut Tables) -> Bucket {
        let parsed: AuditLine = match parse_object("tool-audit", line) {
            Ok(l) => l,
            Err(reason) => return Bucket::Malformed(reason),
        };
        match audit_row(parsed, src) {
            Ok(row) => {
                push_row(&mut out.tool_audit, row);
                Bucket::Parsed
            }
            Err(reason) => Bucket::Malformed(reason),
        }
    }

    fn finish(&mut self, _out: &mut Tables) {}
}

fn audit_row(l: AuditLine, source: Source) -> Result<ToolAuditRow, String> {
    let tool = l.tool.ok_or("tool-audit line without `tool`")?;
    let ts = l.ts.filter(|t| t.get().trim() != "null").ok_or("tool-audit line without `ts`")?;
    let result_chars = match l.result_chars {
        Some(r) if r.get().trim() != "null" => Some(field_i64("result_chars", Some(r))?),
        _ => None,
    };
    let args = l.args.map(|a| a.get()).unwrap_or_default();
    Ok(ToolAuditRow {
        source,
        ts_ms: loose_time(ts),
        ts: logged_text(ts),
        user: l.user.map(Cow::into_owned).unwrap_or_default(),
        engine: l.engine.map(Cow::into_owned),
        model: l.model.map(Cow::into_owned),
        tool: tool.into_owned(),
        args_bytes: args.len() as u64,
        args_snippet: snippet(args, SNIPPET_CHARS),
        status: l.status.map(Cow::into_owned).unwrap_or_default(),
        result_chars,
        result_snippet: snippet(l.result_snippet.as_deref().unwrap_or_default(), SNIPPET_CHARS),
    })
}

/// `ts` as logged: a string's text, anything else (an epoch number) its raw JSON, shortened.
fn logged_text(ts: &RawValue) -> String {
    match serde_json::from_str::<Cow<str>>(ts.get()) {
        Ok(s) => snippet(&s, SNIPPET_CHARS),
        Err(_) => shown(ts),
    }
}
