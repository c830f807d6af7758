//! Codex tool calls: `function_call`, `custom_tool_call`, `local_shell_call` and `web_search_call`
//! response items, linked by `call_id` to their `*_output` items, `*_end` events and (G2.3)
//! `item_completed` items (docs/formats.md §1.10).
//!
//! Duration, best first: an `*_end` event's `duration{secs,nanos}` (or an item's `duration_ms`);
//! `metadata.duration_seconds` in a JSON-string output (0.4x shell) or `Wall time: X seconds` in
//! 2026 exec output text; then the time between the call and its output.
//! Status: a non-zero exit code, an MCP `Err`/`isError` or a failed patch is an error; an output
//! saying the user rejected the command is a denial; a call with no output stays unknown.

use super::wire::{self, Duration, Payload, decode, int, text};
use crate::model::{Interner, Row, push_row};
use crate::scan;
use crate::formats::Bucket;
use crate::model::{DurationSource, OUTPUT_WITHOUT_CALL, Millis, SNIPPET_CHARS, Source, Tables, ToolCall, ToolStatus, snippet};
use rustc_hash::FxHashMap;


#[derive(Default)]
pub struct ToolLinker {
    /// `call_id` → index in `Tables::tool_calls`.
    by_call_id: FxHashMap<String, usize>,
    /// `web_search_call` items carry no id: their `web_search_end` links to the oldest open one.
    open_web_searches: Vec<usize>,
    /// Reused for the decoded text of outputs, so that no output allocates.
    text_buf: String,
    /// The texts the file's calls repeat (session id, tool, kind, model), held once.
    interned: Interner,
}

impl ToolLinker {
    #[allow(clippy::too_many_arguments)]
    pub fn response_item(
        &mut self,
        kind: &str,
        p: &Payload,
        ts: Option<Millis>,
        src: Source,
        session: &str,
        model: &str,
        out: &mut Tables,
    ) -> Bucket {
        let (tool, args) = match kind {
            "function_call" => (qualified_name(p), p.arguments),
            "custom_tool_call" => (text(p.name).map(Into::into).unwrap_or_default(), p.input),
            "local_shell_call" => ("local_shell".to_string(), p.action),
            "web_search_call" => ("web_search".to_string(), p.action),
            "function_call_output" | "custom_tool_call_output" => return self.output(p, ts, src, session, out),
            _ => return Bucket::Skipped,
        };
        let (args_bytes, args_snippet) = measure(args, &mut self.text_buf);
        let call_id = text(p.call_id).map(|c| c.into_owned());
        // Items that log their own completion carry a status instead of an output.
        let status = match (kind, text(p.status).as_deref()) {
            ("web_search_call" | "local_shell_call", Some("completed")) => ToolStatus::Ok,
            ("web_search_call" | "local_shell_call", Some("failed" | "incomplete")) => ToolStatus::Error,
            _ => ToolStatus::Unknown,
        };
        let index = out.tool_calls.len();
        let i = &mut self.interned;
        push_row(&mut out.tool_calls, ToolCall {
            session_id: i.get(session),
            source: src,
            ts_ms: ts,
            call_id: call_id.clone(),
            tool: i.get(&tool),
            kind: i.get(kind),
            args_bytes,
            args_snippet,
            status,
            model: Some(i.get(model)),
            ..Default::default()
        });
        match call_id {
            Some(id) => {
                self.by_call_id.insert(id, index);
            }
            None if kind == "web_search_call" => self.open_web_searches.push(index),
            None => {}
        }
        Bucket::Parsed
    }

    fn output(&mut self, p: &Payload, ts: Option<Millis>, src: Source, session: &str, out: &mut Tables) -> Bucket {
        let summary = OutputSummary::of(p.output, p.output_len, &mut self.text_buf);
        let call_id = text(p.call_id);
        let index = match call_id.as_deref().and_then(|id| self.by_call_id.get(id)) {
            Some(&i) => i,
            None => {
                push_row(&mut out.tool_calls, ToolCall {
                    session_id: self.interned.get(session),
                    source: src,
                    ts_ms: ts,
                    call_id: call_id.map(|c| c.into_owned()),
                    tool: self.interned.get("(no call)"),
                    kind: self.interned.get(OUTPUT_WITHOUT_CALL),
                    ..Default::default()
                });
                out.tool_calls.len() - 1
            }
        };
        let Some(call) = out.tool_calls.get_mut(index).map(Row::make_mut) else { return Bucket::Skipped };
        call.output_source = Some(src);
        call.output_bytes = Some(summary.bytes);
        if call.exit_code.is_none() {
            call.exit_code = summary.exit_code;
        }
        if call.status == ToolStatus::Unknown {
            call.status = summary.status();
        }
        if let Some(secs) = summary.duration_secs {
            set_duration(call, secs * 1000.0, DurationSource::OutputMetadata);
        }
        if let (Some(t0), Some(t1)) = (call.ts_ms, ts) {
            set_duration(call, (t1 - t0) as f64, DurationSource::Timestamps);
        }
        Bucket::Parsed
    }

    /// `exec_command_end`, `mcp_tool_call_end`, `patch_apply_end`, `web_search_end`.
    pub fn end_event(&mut self, p: &Payload, _ts: Option<Millis>, _src: Source, out: &mut Tables) -> Bucket {
        let kind = p.kind.as_deref().unwrap_or("");
        let by_id = text(p.call_id).and_then(|id| self.by_call_id.get(id.as_ref()).copied());
        let index = match by_id {
            Some(i) => i,
            None if kind == "web_search_end" && !self.open_web_searches.is_empty() => self.open_web_searches.remove(0),
            None => return Bucket::Skipped,
        };
        let Some(call) = out.tool_calls.get_mut(index).map(Row::make_mut) else { return Bucket::Skipped };
        let failed = match kind {
            "exec_command_end" => {
                let code = int(p.exit_code);
                call.exit_code = code.or(call.exit_code);
                code.map(|c| c != 0)
            }
            "mcp_tool_call_end" => Some(mcp_failed(p.result)),
            "patch_apply_end" => decode::<bool>(p.success).map(|ok| !ok),
            _ => Some(false),
        };
        if let Some(failed) = failed
            && call.status != ToolStatus::Denied
        {
            call.status = if failed { ToolStatus::Error } else { ToolStatus::Ok };
        }
        if let Some(d) = decode::<Duration>(p.duration) {
            set_duration(call, d.secs * 1000.0 + d.nanos / 1e6, DurationSource::EndEvent);
        }
        Bucket::Parsed
    }

    /// G2.3 `item_completed` items that complete a tool call (`CommandExecution`, `McpToolCall`…).
    pub fn item_completed(&mut self, item: &wire::Item, _ts: Option<Millis>, _src: Source, out: &mut Tables) -> Bucket {
        let Some(index) = item.id.as_deref().and_then(|id| self.by_call_id.get(id).copied()) else {
            return Bucket::Skipped;
        };
        let Some(call) = out.tool_calls.get_mut(index).map(Row::make_mut) else { return Bucket::Skipped };
        if let Some(code) = int(item.exit_code) {
            call.exit_code = Some(code);
            call.status = if code == 0 { ToolStatus::Ok } else { ToolStatus::Error };
        } else if let Some(status) = text(item.status) {
            call.status = match status.as_ref() {
                "failed" | "error" => ToolStatus::Error,
                "declined" | "rejected" => ToolStatus::Denied,
                _ => ToolStatus::Ok,
            };
        }
        if let Some(ms) = item.duration_ms {
            set_duration(call, ms, DurationSource::EndEvent);
        }
        Bucket::Parsed
    }

    pub fn finish(&mut self, _out: &mut Tables) {
        self.by_call_id.clear();
        self.open_web_searches.clear();
    }
}

/// MCP tools are `mcp__server__tool`; a `namespace` field qualifies other names.
fn qualified_name(p: &Payload) -> String {
    let name = text(p.name).map(|c| c.into_owned()).unwrap_or_default();
    match text(p.namespace) {
        Some(ns) if !ns.is_empty() && !name.starts_with(ns.as_ref()) => format!("{ns}.{name}"),
        _ => name,
    }
}

/// Size in bytes and a short snippet of arguments: a JSON string is measured by its content
/// (decoded into `buf`, not allocated).
fn measure(raw: Option<&str>, buf: &mut String) -> (u64, String) {
    match raw {
        None => (0, String::new()),
        Some(r) => match read_text(r, None, buf) {
            Some(len) => (len, snippet(buf, SNIPPET_CHARS)),
            None => (r.len() as u64, snippet(r, SNIPPET_CHARS)),
        },
    }
}

fn set_duration(call: &mut ToolCall, ms: f64, source: DurationSource) {
    let rank = |s: DurationSource| match s {
        DurationSource::EndEvent => 0,
        DurationSource::OutputMetadata => 1,
        DurationSource::Timestamps => 2,
    };
    if !ms.is_finite() || ms < 0.0 {
        return;
    }
    if call.duration_source.is_none_or(|have| rank(source) < rank(have)) {
        call.duration_ms = Some(ms);
        call.duration_source = Some(source);
    }
}

fn mcp_failed(result: Option<&str>) -> bool {
    #[derive(serde::Deserialize)]
    struct Ok {
        #[serde(rename = "isError", default)]
        is_error: Option<bool>,
    }
    #[derive(serde::Deserialize)]
    enum McpResult {
        Ok(Ok),
        Err(serde::de::IgnoredAny),
    }
    match decode::<McpResult>(result) {
        Some(McpResult::Ok(ok)) => ok.is_error.unwrap_or(false),
        Some(McpResult::Err(_)) => true,
        None => false,
    }
}

/// What an output says about its call.
#[derive(Default)]
struct OutputSummary {
    bytes: u64,
    exit_code: Option<i64>,
    duration_secs: Option<f64>,
    denied: bool,
}

/// The denial phrases are looked for in this many first bytes of an output.
const DENIAL_HEAD_BYTES: usize = 300;
/// The exec header is read from this many first lines of an output.
const EXEC_HEADER_LINES: usize = 8;

impl OutputSummary {
    fn of(raw: Option<&str>, decoded_len: Option<u64>, text_buf: &mut String) -> Self {
        let Some(raw) = raw else { return Self::default() };
        let Some(bytes) = read_text(raw, decoded_len, text_buf) else {
            return Self { bytes: raw.len() as u64, ..Self::default() };
        };
        let s = text_buf.as_str();
        let mut summary = Self { bytes, ..Self::default() };
        if s.starts_with('{') {
            let metadata = super::fast_fields::shell_metadata(s)
                .unwrap_or_else(|_| super::fast_fields::shell_metadata_by_serde(s));
            if let Some((exit_code, duration_secs)) = metadata {
                summary.exit_code = exit_code;
                summary.duration_secs = duration_secs;
            }
        } else {
            summary.read_exec_header(s);
        }
        let head = &s[..floor_boundary(s, DENIAL_HEAD_BYTES)];
        summary.denied = head.contains("rejected by user") || head.contains("declined by user");
        summary
    }

    /// 2026 exec output opens with `Exit code: N` / `Process exited with code N` and `Wall time: X seconds`.
    fn read_exec_header(&mut self, s: &str) {
        for line in s.lines().take(EXEC_HEADER_LINES) {
            let line = line.trim();
            let code = line.strip_prefix("Exit code:").or_else(|| line.strip_prefix("Process exited with code"));
            if let Some(c) = code {
                self.exit_code = c.trim().parse().ok();
            }
            if let Some(w) = line.strip_prefix("Wall time:") {
                self.duration_secs = w.trim().trim_end_matches("seconds").trim().parse().ok();
            }
        }
    }

    fn status(&self) -> ToolStatus {
        match self.exit_code {
            _ if self.denied => ToolStatus::Denied,
            Some(0) | None => ToolStatus::Ok,
            Some(_) => ToolStatus::Error,
        }
    }
}

/// Put an output's text into `buf` and answer its length in bytes; `None` when the output is not
/// a string. When the length is already known and the text does not open with `{` (a JSON
/// document, read whole), only a prefix long enough for the checks of [`OutputSummary::of`] is
/// decoded: more than [`DENIAL_HEAD_BYTES`] bytes and [`EXEC_HEADER_LINES`] whole lines.
fn read_text(raw: &str, decoded_len: Option<u64>, buf: &mut String) -> Option<u64> {
    buf.clear();
    let body = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"'))?;
    if let Some(len) = decoded_len
        && !body.starts_with(['{', '\\'])
        && scan::decode_prefix(body, buf, DENIAL_HEAD_BYTES + 1, EXEC_HEADER_LINES).is_ok()
    {
        return Some(len);
    }
    buf.clear();
    if scan::decode_prefix(body, buf, usize::MAX, usize::MAX).is_err() {
        // A surrogate escape: serde decides, as `text` does.
        buf.clear();
        buf.push_str(&text(Some(raw))?);
    }
    Some(buf.len() as u64)
}

fn floor_boundary(s: &str, max: usize) -> usize {
    let mut i = max.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
