//! Codex legacy rollouts: G1 (Rust CLI, May→Sep 2025) and G0 (TS CLI, Apr–May 2025).
//!
//! Shapes (docs/formats.md sections 1.2 and 1.11):
//! - G1 JSONL: line 1 a bare header `{id, timestamp, instructions?, git?{commit_hash, branch,
//!   repository_url}, cwd?, originator?, cli_version?}`; then bare ResponseItems
//!   `{type: message|reasoning|function_call|function_call_output|local_shell_call, …}`
//!   interleaved with `{"record_type":"state", …}`. No per-line timestamps, no usage.
//! - G0 JSON document: `{session:{id, timestamp, instructions}, items:[ResponseItem…]}`.
//!
//! Rules (DESIGN.md section 2, Codex):
//! - One [`Session`] per file (format `CodexG1`/`CodexG0`), `usage_available = false`: these
//!   formats log no tokens, which is "unavailable", never zero. Start = the header timestamp; no
//!   end (nothing later is timed). Without a header the session id is the file name.
//! - A query is a role-`user` `message` whose text does not start with injected context
//!   (`<environment_context>`, `<user_instructions>`, `<permissions`, `# AGENTS.md`).
//! - A tool call is a `function_call` (tool = `name`, args = the `arguments` string) or a
//!   `local_shell_call` (tool `local_shell`, args = the raw `action` JSON). A
//!   `function_call_output` with the same `call_id` answers it: status `Ok`, its `metadata`
//!   (inside the JSON-string output) gives `exit_code` and `duration_seconds`
//!   ([`DurationSource::OutputMetadata`]). A call never answered stays `Unknown`.
//! - A reply is a role-`assistant` `message` with text (its preview, no model: none is logged);
//!   its line stays `Skipped`, as replies never change a bucket (`formats/mod.rs`).
//! - Nothing is timed, so `ts_ms` is `None` on queries, replies and tool calls. `Source.line` is the line in
//!   the file for G1 and 1 for G0 (one document).
//! - Buckets (G1): header → `Parsed` (a later header → `Skipped`, the first is canonical); user
//!   query, tool call, answering output → `Parsed`; state lines, reasoning, assistant/developer
//!   messages, injected context, outputs that answer no call, unknown item types → `Skipped`; not
//!   JSON, not an object, or an object with neither `type`, `record_type` nor header keys →
//!   `Malformed`. G0: the engine counts the whole document as one unit (parsed or malformed).

use crate::model::extend_rows;
use super::fields::parse_object;
use super::{Bucket, DocParser, LineParser};
use crate::model::{
    snippet, DurationSource, FileId, Format, Query, Reply, Session, Source, Tables, ToolCall, ToolStatus,
    SNIPPET_CHARS,
};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::HashMap;

/// Text that Codex injects as a user message; not something a person asked.
const INJECTED_PREFIXES: &[&str] = &["<environment_context>", "<user_instructions>", "<permissions", "# AGENTS.md"];

/// One G1 line, one G0 item or the G0 `session`: a header, a ResponseItem or a state record.
/// All fields are optional and unknown ones ignored (no `flatten`: it cannot borrow).
#[derive(Deserialize, Default)]
struct Record<'a> {
    #[serde(borrow, rename = "type")]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    record_type: Option<Cow<'a, str>>,
    // Header (G1 line 1, G0 `session`).
    #[serde(borrow)]
    id: Option<&'a RawValue>,
    #[serde(borrow)]
    timestamp: Option<Cow<'a, str>>,
    #[serde(borrow)]
    git: Option<Git<'a>>,
    #[serde(borrow)]
    cwd: Option<Cow<'a, str>>,
    #[serde(borrow)]
    originator: Option<Cow<'a, str>>,
    #[serde(borrow)]
    cli_version: Option<Cow<'a, str>>,
    // ResponseItem (docs/formats.md section 1.6).
    #[serde(borrow)]
    role: Option<Cow<'a, str>>,
    #[serde(borrow)]
    content: Option<&'a RawValue>,
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    arguments: Option<&'a RawValue>,
    #[serde(borrow)]
    call_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    output: Option<&'a RawValue>,
    #[serde(borrow)]
    action: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
struct Git<'a> {
    #[serde(borrow)]
    commit_hash: Option<Cow<'a, str>>,
    #[serde(borrow)]
    branch: Option<Cow<'a, str>>,
    #[serde(borrow)]
    repository_url: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct G0Doc<'a> {
    #[serde(borrow)]
    session: Option<Record<'a>>,
    #[serde(borrow, default)]
    items: Vec<&'a RawValue>,
}

/// A content part of a message: `{type: "input_text", text}`.
#[derive(Deserialize)]
struct Part<'a> {
    #[serde(borrow)]
    text: Option<Cow<'a, str>>,
}

/// A JSON-string shell output: `{"output": "…", "metadata": {"exit_code": 0, "duration_seconds": 0.3}}`.
#[derive(Deserialize)]
struct ShellOutput {
    metadata: Option<OutputMetadata>,
}

#[derive(Deserialize)]
struct OutputMetadata {
    exit_code: Option<i64>,
    duration_seconds: Option<f64>,
}

/// What one legacy session yields, held until the file ends (the session id may come late).
#[derive(Default)]
struct Legacy {
    file: FileId,
    session: Option<Session>,
    queries: Vec<Query>,
    replies: Vec<Reply>,
    calls: Vec<ToolCall>,
    /// `call_id` → index in `calls` of the call still waiting for its output.
    open: HashMap<String, usize>,
}

impl Legacy {
    fn header(&mut self, h: &Record, src: Source, format: Format) -> Bucket {
        if self.session.is_some() {
            return Bucket::Skipped;
        }
        let git = h.git.as_ref();
        let text = |v: Option<&Cow<str>>| v.map(|s| s.to_string());
        self.session = Some(Session {
            session_id: h.id.and_then(super::fields::raw_text).unwrap_or_default(),
            format: Some(format),
            source: src,
            start_ms: h.timestamp.as_deref().and_then(crate::timefmt::parse_iso),
            workspace: text(h.cwd.as_ref()),
            originator: text(h.originator.as_ref()),
            cli_version: text(h.cli_version.as_ref()),
            git_branch: text(git.and_then(|g| g.branch.as_ref())),
            git_commit: text(git.and_then(|g| g.commit_hash.as_ref())),
            git_remote: text(git.and_then(|g| g.repository_url.as_ref())),
            usage_available: false,
            ..Default::default()
        });
        Bucket::Parsed
    }

    fn item(&mut self, kind: &str, item: &Record, src: Source) -> Bucket {
        match kind {
            "message" if item.role.as_deref() == Some("user") => self.user_message(item, src),
            "message" if item.role.as_deref() == Some("assistant") => {
                let text = item.content.map(message_text).unwrap_or_default();
                if !text.trim().is_empty() {
                    self.replies.push(Reply { source: src, preview: snippet(&text, SNIPPET_CHARS), ..Default::default() });
                }
                Bucket::Skipped
            }
            "function_call" => {
                let tool = item.name.as_deref().unwrap_or("unknown");
                let args = item.arguments.map(string_or_raw).unwrap_or_default();
                self.call(item, "function_call", tool, &args, src)
            }
            "local_shell_call" => {
                let args = item.action.map(|a| a.get()).unwrap_or_default();
                self.call(item, "local_shell_call", "local_shell", args, src)
            }
            "function_call_output" => self.output(item, src),
            _ => Bucket::Skipped,
        }
    }

    fn user_message(&mut self, item: &Record, src: Source) -> Bucket {
        let text = item.content.map(message_text).unwrap_or_default();
        let injected = INJECTED_PREFIXES.iter().any(|p| text.trim_start().starts_with(p));
        if injected || text.trim().is_empty() {
            return Bucket::Skipped;
        }
        self.queries.push(Query { source: src, text, ..Default::default() });
        Bucket::Parsed
    }

    fn call(&mut self, item: &Record, kind: &str, tool: &str, args: &str, src: Source) -> Bucket {
        let call_id = item.call_id.as_deref().map(str::to_string);
        if let Some(id) = &call_id {
            self.open.insert(id.clone(), self.calls.len());
        }
        self.calls.push(ToolCall {
            source: src,
            call_id,
            tool: tool.into(),
            kind: kind.into(),
            args_bytes: args.len() as u64,
            args_snippet: snippet(args, SNIPPET_CHARS),
            status: ToolStatus::Unknown,
            ..Default::default()
        });
        Bucket::Parsed
    }

    fn output(&mut self, item: &Record, src: Source) -> Bucket {
        let Some(index) = item.call_id.as_deref().and_then(|id| self.open.remove(id)) else {
            return Bucket::Skipped;
        };
        let Some(call) = self.calls.get_mut(index) else { return Bucket::Skipped };
        let text = item.output.map(string_or_raw).unwrap_or_default();
        let meta = serde_json::from_str::<ShellOutput>(&text).ok().and_then(|o| o.metadata);
        call.output_source = Some(src);
        call.status = ToolStatus::Ok;
        call.output_bytes = Some(text.len() as u64);
        if let Some(m) = meta {
            call.exit_code = m.exit_code;
            if let Some(secs) = m.duration_seconds.filter(|s| s.is_finite() && *s >= 0.0) {
                call.duration_ms = Some(secs * 1000.0);
                call.duration_source = Some(DurationSource::OutputMetadata);
            }
        }
        Bucket::Parsed
    }

    /// The file ended: give every record the session id and hand them over.
    fn flush(self, format: Format, out: &mut Tables) {
        let mut session = self.session.unwrap_or_else(|| Session {
            format: Some(format),
            source: Source { file: self.file, line: 1 },
            ..Default::default()
        });
        if session.session_id.is_empty() {
            session.session_id = out.file_name(self.file).to_string();
        }
        let id = &session.session_id;
        extend_rows(&mut out.queries, self.queries.into_iter().map(|q| Query { session_id: id.clone(), ..q }));
        extend_rows(&mut out.replies, self.replies.into_iter().map(|r| Reply { session_id: id.as_str().into(), ..r }));
        extend_rows(&mut out.tool_calls, self.calls.into_iter().map(|c| ToolCall { session_id: id.as_str().into(), ..c }));
        out.sessions.push(session.into());
    }
}

/// A JSON string's text, or any other JSON value's raw text.
fn string_or_raw(raw: &RawValue) -> String {
    match serde_json::from_str::<Cow<str>>(raw.get()) {
        Ok(s) => s.into_owned(),
        Err(_) => raw.get().to_string(),
    }
}

/// The text of a message's `content`: a string, or the `text` of its parts joined by newlines.
fn message_text(content: &RawValue) -> String {
    if let Ok(parts) = serde_json::from_str::<Vec<Part>>(content.get()) {
        let texts: Vec<&str> = parts.iter().filter_map(|p| p.text.as_deref()).collect();
        return texts.join("\n");
    }
    serde_json::from_str::<Cow<str>>(content.get()).map(Cow::into_owned).unwrap_or_default()
}

/// Codex G1: a streaming line adapter.
#[derive(Default)]
pub struct G1Parser {
    state: Legacy,
    seen_line: bool,
}

impl LineParser for G1Parser {
    fn line(&mut self, line: &[u8], src: Source, _out: &mut Tables) -> Bucket {
        if !self.seen_line {
            self.seen_line = true;
            self.state.file = src.file;
        }
        let l: Record = match parse_object("Codex G1", line) {
            Ok(l) => l,
            Err(reason) => return Bucket::Malformed(reason),
        };
        match (&l.kind, &l.record_type) {
            (Some(kind), _) => self.state.item(kind, &l, src),
            (None, Some(_)) => Bucket::Skipped,
            (None, None) if l.id.is_some() && l.timestamp.is_some() => self.state.header(&l, src, Format::CodexG1),
            (None, None) => Bucket::Malformed("no `type`, `record_type` or header `id`+`timestamp`".into()),
        }
    }

    fn finish(&mut self, out: &mut Tables) {
        if self.seen_line {
            std::mem::take(&mut self.state).flush(Format::CodexG1, out);
        }
    }
}

/// Codex G0: one JSON document per session.
pub struct G0Parser;

impl DocParser for G0Parser {
    fn parse(&mut self, doc: &[u8], file: FileId, out: &mut Tables) -> Result<(), String> {
        let parsed: G0Doc = serde_json::from_slice(doc).map_err(|e| format!("invalid Codex G0 JSON: {e}"))?;
        let src = Source { file, line: 1 };
        let mut state = Legacy { file, ..Default::default() };
        state.header(&parsed.session.unwrap_or_default(), src, Format::CodexG0);
        for raw in parsed.items {
            // An item of an unexpected shape is skipped; the rest of the session still counts.
            if let Ok(item @ Record { kind: Some(_), .. }) = serde_json::from_str::<Record>(raw.get()) {
                let kind = item.kind.as_deref().unwrap_or_default();
                state.item(kind, &item, src);
            }
        }
        state.flush(Format::CodexG0, out);
        Ok(())
    }
}
