//! One Gemini chat being read: the records each message yields, the last-write-by-`id` rule,
//! `$set` patches, and the session handed over when the file ends. The rules are stated in the
//! parent module's doc (`formats/gemini/mod.rs`).

use crate::model::{Row, push_row};
use super::{Part, Record, Tokens, ToolCallRecord};
use crate::formats::Bucket;
use crate::model::{
    snippet, FileId, Format, Millis, Query, RawUsage, Reply, Session, Source, Tables, ToolCall, ToolStatus,
    UsageRow, Vendor, SNIPPET_CHARS,
};
use crate::timefmt::parse_iso;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::HashMap;

/// What one message yields; replaced whole when its id is written again.
#[derive(Default)]
struct Recorded {
    query: Option<Query>,
    usage: Option<UsageRow>,
    tools: Vec<ToolCall>,
    /// The text of a `gemini` message. Left out of [`Recorded::is_empty`] and
    /// [`Recorded::same_as`]: replies never decide a bucket (`formats/mod.rs`).
    reply: Option<Reply>,
}

impl Recorded {
    fn is_empty(&self) -> bool {
        self.query.is_none() && self.usage.is_none() && self.tools.is_empty()
    }

    /// Whether a rewrite changes nothing the tables show (sources aside).
    fn same_as(&self, o: &Recorded) -> bool {
        let same_query = match (&self.query, &o.query) {
            (Some(a), Some(b)) => (&a.text, a.ts_ms) == (&b.text, b.ts_ms),
            (a, b) => a.is_none() && b.is_none(),
        };
        let same_usage = match (&self.usage, &o.usage) {
            (Some(a), Some(b)) => (&a.model, a.raw, a.ts_ms) == (&b.model, b.raw, b.ts_ms),
            (a, b) => a.is_none() && b.is_none(),
        };
        same_query
            && same_usage
            && self.tools.len() == o.tools.len()
            && self.tools.iter().zip(&o.tools).all(|(a, b)| same_tool(a, b))
    }
}

fn same_tool(a: &ToolCall, b: &ToolCall) -> bool {
    (&a.call_id, &a.tool, &a.args_snippet, a.args_bytes, a.status, a.ts_ms, a.output_bytes)
        == (&b.call_id, &b.tool, &b.args_snippet, b.args_bytes, b.status, b.ts_ms, b.output_bytes)
}

/// One chat session being read, held until the file ends.
pub(super) struct Chat {
    file: FileId,
    format: Format,
    session_id: Option<String>,
    header: Option<Source>,
    start_ms: Option<Millis>,
    end_ms: Option<Millis>,
    first_message_ms: Option<Millis>,
    workspace: Option<String>,
    messages: Vec<Recorded>,
    by_id: HashMap<String, usize>,
}

impl Chat {
    pub(super) fn new(file: FileId, format: Format) -> Self {
        Chat {
            file,
            format,
            session_id: None,
            header: None,
            start_ms: None,
            end_ms: None,
            first_message_ms: None,
            workspace: None,
            messages: Vec::new(),
            by_id: HashMap::new(),
        }
    }

    /// Raise the session end; true when it moved.
    fn raise_end(&mut self, ms: Option<Millis>) -> bool {
        match ms {
            Some(t) if self.end_ms.is_none_or(|e| t > e) => {
                self.end_ms = Some(t);
                true
            }
            _ => false,
        }
    }

    pub(super) fn header(&mut self, r: &Record, src: Source) -> Bucket {
        self.header.get_or_insert(src);
        if let Some(id) = &r.session_id {
            self.session_id = Some(id.to_string());
        }
        if let Some(start) = r.start_time.as_deref().and_then(parse_iso) {
            self.start_ms = Some(start);
        }
        self.raise_end(r.last_updated.as_deref().and_then(parse_iso));
        if let Some(dir) = r.directories.as_ref().and_then(|d| d.first()) {
            self.workspace = Some(dir.to_string());
        }
        Bucket::Parsed
    }

    pub(super) fn patch(&mut self, set: &Record, src: Source) -> Bucket {
        let mut changed = self.raise_end(set.last_updated.as_deref().and_then(parse_iso));
        if let Some(id) = set.session_id.as_deref().filter(|id| self.session_id.as_deref() != Some(*id)) {
            self.session_id = Some(id.to_string());
            changed = true;
        }
        changed |= self.add_batch(set.messages.as_deref(), src);
        if changed { Bucket::Parsed } else { Bucket::Skipped }
    }

    /// A `messages` batch (of `$set` or a JSONL header) restates the context: only messages whose
    /// id was never seen are added. True when one added a record.
    pub(super) fn add_batch(&mut self, batch: Option<&[&RawValue]>, src: Source) -> bool {
        let mut added = false;
        for raw in batch.unwrap_or_default() {
            let Ok(m) = serde_json::from_str::<Record>(raw.get()) else { continue };
            let known = m.id.as_deref().is_some_and(|id| self.by_id.contains_key(id));
            if !known && m.kind.is_some() {
                added |= self.message(&m, src) == Bucket::Parsed;
            }
        }
        added
    }

    /// A `user`/`gemini`/other message; a repeated `id` replaces the earlier records.
    pub(super) fn message(&mut self, m: &Record, src: Source) -> Bucket {
        let ts = m.timestamp.as_deref().and_then(parse_iso);
        self.raise_end(ts);
        if let Some(t) = ts {
            self.first_message_ms = Some(self.first_message_ms.map_or(t, |f| f.min(t)));
        }
        let rec = records(m, src, ts);
        let earlier = m.id.as_deref().and_then(|id| self.by_id.get(id).copied());
        match earlier.and_then(|i| self.messages.get_mut(i)) {
            Some(old) if old.same_as(&rec) => {
                // Last write wins for the text too; its source is then the line that says it.
                let bucket = if rec.is_empty() { Bucket::Skipped } else { Bucket::Duplicate };
                if old.reply.as_ref().map(|r| &r.preview) != rec.reply.as_ref().map(|r| &r.preview) {
                    old.reply = rec.reply;
                }
                bucket
            }
            Some(old) => {
                *old = rec;
                Bucket::Parsed
            }
            None => {
                let bucket = if rec.is_empty() { Bucket::Skipped } else { Bucket::Parsed };
                if let Some(id) = &m.id {
                    self.by_id.insert(id.to_string(), self.messages.len());
                }
                self.messages.push(rec);
                bucket
            }
        }
    }

    /// The file ended: every record gets the session id; the session goes last.
    pub(super) fn flush(self, out: &mut Tables) {
        let session_id = self.session_id.unwrap_or_else(|| out.file_name(self.file).to_string());
        // Through `push_row`, like every adapter: the big tables grow by a quarter, not double.
        for rec in self.messages {
            let id = || session_id.clone();
            if let Some(q) = rec.query {
                push_row(&mut out.queries, Query { session_id: id(), ..q });
            }
            if let Some(r) = rec.reply {
                push_row(&mut out.replies, Reply { session_id: id().into(), ..r });
            }
            if let Some(u) = rec.usage {
                push_row(&mut out.usage, UsageRow { session_id: id().into(), ..u });
            }
            for t in rec.tools {
                push_row(&mut out.tool_calls, ToolCall { session_id: id().into(), ..t });
            }
        }
        out.sessions.push(Row::new(Session {
            session_id,
            format: Some(self.format),
            source: self.header.unwrap_or(Source { file: self.file, line: 1 }),
            start_ms: self.start_ms.or(self.first_message_ms),
            end_ms: self.end_ms,
            workspace: self.workspace,
            usage_available: true,
            ..Default::default()
        }));
    }
}

/// The records one message yields (session id filled in at the end).
fn records(m: &Record, src: Source, ts: Option<Millis>) -> Recorded {
    match m.kind.as_deref() {
        Some("user") => Recorded { query: query(m, src, ts), ..Default::default() },
        Some("gemini") => Recorded {
            query: None,
            usage: m.tokens.map(|t| usage_row(m, t, src, ts)),
            tools: m.tool_calls.iter().flatten().map(|c| tool_call(m, c, src, ts)).collect(),
            reply: reply(m, src, ts),
        },
        _ => Recorded::default(),
    }
}

fn query(m: &Record, src: Source, ts: Option<Millis>) -> Option<Query> {
    let text = m.content.map(content_text).unwrap_or_default();
    let injected = text.trim_start().starts_with("<session_context>");
    (!injected && !text.trim().is_empty()).then(|| Query { source: src, ts_ms: ts, text, ..Default::default() })
}

/// The model's answer: a `gemini` message's text, when not blank (most tool-calling turns log "").
fn reply(m: &Record, src: Source, ts: Option<Millis>) -> Option<Reply> {
    let text = m.content.map(content_text).unwrap_or_default();
    (!text.trim().is_empty()).then(|| Reply {
        source: src,
        ts_ms: ts,
        model: m.model.as_deref().map(Into::into),
        preview: snippet(&text, SNIPPET_CHARS),
        ..Default::default()
    })
}

/// A string `content`, or the `text` of its `[{text}]` parts joined (as Gemini CLI joins them).
fn content_text(content: &RawValue) -> String {
    if let Ok(parts) = serde_json::from_str::<Vec<Part>>(content.get()) {
        return parts.iter().filter_map(|p| p.text.as_deref()).collect();
    }
    serde_json::from_str::<Cow<str>>(content.get()).map(Cow::into_owned).unwrap_or_default()
}

fn usage_row(m: &Record, t: Tokens, src: Source, ts: Option<Millis>) -> UsageRow {
    let n = |v: Option<i64>| v.unwrap_or(0);
    let (input, output, thoughts, tool) = (n(t.input), n(t.output), n(t.thoughts), n(t.tool));
    let input_tokens = input.saturating_add(tool);
    let output_tokens = output.saturating_add(thoughts);
    UsageRow {
        source: src,
        ts_ms: ts,
        model: m.model.as_deref().unwrap_or("unknown").into(),
        vendor: Some(Vendor::Google),
        input_tokens,
        cached_input_tokens: n(t.cached),
        output_tokens,
        reasoning_output_tokens: thoughts,
        total_tokens: input_tokens.saturating_add(output_tokens),
        raw: RawUsage {
            input_tokens: input,
            cached_input_tokens: n(t.cached),
            output_tokens: output,
            thoughts_tokens: thoughts,
            tool_tokens: tool,
            total_tokens: n(t.total),
            ..Default::default()
        },
        request_key: m.id.as_deref().map(str::to_string),
        ..Default::default()
    }
}

fn tool_call(m: &Record, c: &ToolCallRecord, src: Source, msg_ts: Option<Millis>) -> ToolCall {
    let status = match c.status.as_deref() {
        Some("success") => ToolStatus::Ok,
        Some("error") => ToolStatus::Error,
        Some("cancelled") => ToolStatus::Denied,
        _ => ToolStatus::Unknown,
    };
    let result = c.result.map(|r| r.get()).filter(|r| r.trim() != "null");
    let answered = status != ToolStatus::Unknown || result.is_some();
    let args = c.args.map(|a| a.get()).unwrap_or_default();
    ToolCall {
        source: src,
        output_source: answered.then_some(src),
        ts_ms: c.timestamp.as_deref().and_then(parse_iso).or(msg_ts),
        call_id: c.id.as_deref().map(str::to_string),
        tool: c.name.as_deref().unwrap_or("unknown").into(),
        kind: "function_call".into(),
        args_bytes: args.len() as u64,
        args_snippet: snippet(args, SNIPPET_CHARS),
        status,
        output_bytes: result.map(|r| r.len() as u64),
        model: m.model.as_deref().map(Into::into),
        ..Default::default()
    }
}

