//! GitHub Copilot CLI `~/.copilot/session-state/<session id>/events.jsonl`: one event a line,
//! `{type, id, timestamp, parentId, data}`, the schema generated in `github/copilot-sdk`
//! (`nodejs/src/generated/session-events.ts`). docs/formats-copilot.md has the mapping.
//!
//! Rules:
//! - One [`Session`] per file: id = `session.start`'s `data.sessionId`, else the folder name of
//!   `session-state/<id>/events.jsonl`, else the file name; start = `data.startTime` (else the
//!   first event), end = the latest event; cwd, branch, head commit and repository from
//!   `data.context`; `copilotVersion` and `producer`.
//! - Models: `session.start`/`session.resume` with `selectedModel` and every
//!   `session.model_change` (`newModel`) are [`RoutingRow`]s.
//! - `user.message` with text is a [`Query`]; messages the runtime injected (`source` of a skill
//!   or another agent, autopilot continuations) are skipped.
//! - Tool calls: an `assistant.message`'s `toolRequests[]` make the [`ToolCall`]s (source = that
//!   line, model = its `model`); `tool.execution_start` marks when the call ran (or makes the
//!   call when no request was logged, as for user-requested tools); `tool.execution_complete`
//!   is its output: `success` → Ok / Error, the bytes of `result.content`, a shell's exit code,
//!   duration = complete − start timestamps. An output with no call is an orphan row.
//! - Tokens: only `session.shutdown` persists them (the per-call `assistant.usage` events are
//!   ephemeral, never written): one [`UsageRow`] per model of `modelMetrics`, already in the
//!   normalized convention (`inputTokens` holds the cache reads and writes: 8 + 54064 + 27594 =
//!   81666 in the real sample). A resumed session logs a shutdown per run; each covers its own
//!   run (the resume checkpoint restores credits, not token metrics), so the rows add up. A
//!   session with no shutdown (killed, or still running) has `usage_available = false`.
//! - Buckets: an event `id` seen before → Duplicate (as is a second start or completion of the
//!   same tool call); the events above → Parsed; turn markers, hooks, reasoning, replies without
//!   tool requests, sub-agent markers, ephemeral events and unknown types → Skipped; not JSON,
//!   not an object, no `type`, or a `data` of the wrong shape → Malformed.

use super::{bare_model, session_id_from_path};
use crate::formats::fields::parse_object;
use crate::formats::stamp::Stamps;
use crate::formats::{Bucket, LineParser};
use crate::model::{
    push_row, snippet, DurationSource, FileId, Format, Millis, Query, Reply, RoutingRow, Session, Source, Tables, ToolCall,
    ToolStatus, UsageRow, Vendor, OUTPUT_WITHOUT_CALL, SNIPPET_CHARS,
};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Deserialize)]
struct Event<'a> {
    #[serde(rename = "type")]
    kind: Option<String>,
    id: Option<String>,
    timestamp: Option<String>,
    #[serde(borrow)]
    data: Option<&'a RawValue>,
    ephemeral: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct StartData {
    session_id: Option<String>,
    start_time: Option<String>,
    resume_time: Option<String>,
    copilot_version: Option<String>,
    producer: Option<String>,
    selected_model: Option<String>,
    reasoning_effort: Option<String>,
    context: Option<Context>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Context {
    cwd: Option<String>,
    branch: Option<String>,
    head_commit: Option<String>,
    repository: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ModelChange {
    new_model: Option<String>,
    reasoning_effort: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct UserMessage {
    content: Option<String>,
    source: Option<String>,
    is_autopilot_continuation: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct AssistantMessage<'a> {
    model: Option<String>,
    /// The reply's text (kept as a preview; it never decides the line's bucket).
    content: Option<String>,
    #[serde(borrow)]
    tool_requests: Option<Vec<ToolRequest<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ToolRequest<'a> {
    tool_call_id: Option<String>,
    name: Option<String>,
    #[serde(borrow)]
    arguments: Option<&'a RawValue>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ToolStart<'a> {
    tool_call_id: Option<String>,
    tool_name: Option<String>,
    #[serde(borrow)]
    arguments: Option<&'a RawValue>,
    model: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ToolComplete {
    tool_call_id: Option<String>,
    success: Option<bool>,
    model: Option<String>,
    result: Option<ToolResult>,
}

#[derive(Deserialize, Default)]
struct ToolResult {
    content: Option<String>,
    contents: Option<Vec<ResultBlock>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResultBlock {
    #[serde(rename = "type")]
    kind: Option<String>,
    exit_code: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Shutdown {
    model_metrics: Option<BTreeMap<String, Metric>>,
}

#[derive(Deserialize)]
struct Metric {
    usage: Option<MetricUsage>,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "camelCase")]
struct MetricUsage {
    input_tokens: Option<i64>,
    output_tokens: Option<i64>,
    cache_read_tokens: Option<i64>,
    cache_write_tokens: Option<i64>,
    reasoning_tokens: Option<i64>,
}

/// Copilot CLI event log, line by line; the session is handed over when the file ends.
#[derive(Default)]
pub struct CopilotCliParser {
    log: Option<Log>,
    stamps: Stamps,
}

impl LineParser for CopilotCliParser {
    fn line(&mut self, line: &[u8], src: Source, _out: &mut Tables) -> Bucket {
        let log = self.log.get_or_insert_with(|| Log::new(src.file));
        let ev: Event = match parse_object("Copilot CLI", line) {
            Ok(ev) => ev,
            Err(reason) => return Bucket::Malformed(reason),
        };
        let Some(kind) = ev.kind.as_deref() else { return Bucket::Malformed("event without `type`".into()) };
        if let Some(id) = &ev.id
            && !log.seen.insert(id.clone())
        {
            return Bucket::Duplicate;
        }
        let ts = ev.timestamp.as_deref().and_then(|t| self.stamps.parse(t));
        log.end_ms = log.end_ms.max(ts);
        log.first_ms = log.first_ms.or(ts);
        let raw = ev.data.map_or("{}", RawValue::get);
        let result = match kind {
            // Ephemeral events are not meant to be persisted; one that is would count twice.
            _ if ev.ephemeral == Some(true) => Ok(Bucket::Skipped),
            "session.start" | "session.resume" => data(kind, raw).map(|d| log.start(&d, src, ts)),
            "session.model_change" => data(kind, raw).map(|d: ModelChange| log.route(d.new_model, d.reasoning_effort, src, ts)),
            "user.message" => data(kind, raw).map(|d| log.query(d, src, ts)),
            "assistant.message" => data(kind, raw).map(|d| log.requests(&d, src, ts)),
            "tool.execution_start" => data(kind, raw).map(|d| log.tool_start(&d, src, ts)),
            "tool.execution_complete" => data(kind, raw).map(|d| log.tool_complete(d, src, ts)),
            "session.shutdown" => data(kind, raw).map(|d| log.shutdown(d, ev.id.as_deref(), src, ts)),
            _ => Ok(Bucket::Skipped),
        };
        result.unwrap_or_else(Bucket::Malformed)
    }

    fn finish(&mut self, out: &mut Tables) {
        if let Some(log) = self.log.take() {
            log.flush(out);
        }
    }
}

fn data<'a, T: Deserialize<'a>>(kind: &str, raw: &'a str) -> Result<T, String> {
    serde_json::from_str(raw).map_err(|e| format!("`data` of a {kind} event: {e}"))
}

/// One event log being read, held until the file ends (the session id may come late).
#[derive(Default)]
struct Log {
    file: FileId,
    seen: HashSet<String>,
    session: Session,
    first_ms: Option<Millis>,
    end_ms: Option<Millis>,
    model: Option<String>,
    routing: Vec<RoutingRow>,
    queries: Vec<Query>,
    usage: Vec<UsageRow>,
    calls: Vec<ToolCall>,
    replies: Vec<Reply>,
    /// Index into `calls` by `toolCallId`, and when each call's execution started.
    by_id: HashMap<String, usize>,
    started: HashMap<usize, Option<Millis>>,
}

impl Log {
    fn new(file: FileId) -> Self {
        let session = Session { format: Some(Format::CopilotCli), source: Source { file, line: 1 }, ..Default::default() };
        Log { file, session, ..Default::default() }
    }

    fn start(&mut self, d: &StartData, src: Source, ts: Option<Millis>) -> Bucket {
        let s = &mut self.session;
        if d.start_time.is_some() || s.session_id.is_empty() {
            s.source = src;
        }
        if let Some(id) = d.session_id.as_ref().filter(|_| s.session_id.is_empty()) {
            s.session_id.clone_from(id);
        }
        let start = d.start_time.as_deref().or(d.resume_time.as_deref()).and_then(crate::timefmt::parse_iso);
        s.start_ms = s.start_ms.or(start).or(ts);
        s.cli_version = d.copilot_version.clone().or(s.cli_version.take());
        s.originator = d.producer.clone().or(s.originator.take());
        if let Some(c) = &d.context {
            s.workspace = c.cwd.clone().or(s.workspace.take());
            s.git_branch = c.branch.clone().or(s.git_branch.take());
            s.git_commit = c.head_commit.clone().or(s.git_commit.take());
            s.git_remote = c.repository.clone().or(s.git_remote.take());
        }
        self.route(d.selected_model.clone(), d.reasoning_effort.clone(), src, ts);
        Bucket::Parsed
    }

    /// A model selected (at start, on resume or by a switch) is a routing row.
    fn route(&mut self, model: Option<String>, effort: Option<String>, src: Source, ts: Option<Millis>) -> Bucket {
        let Some(model) = model.filter(|m| !m.is_empty()) else { return Bucket::Parsed };
        self.model = Some(model.clone());
        let cwd = self.session.workspace.clone();
        self.routing.push(RoutingRow { source: src, ts_ms: ts, model: model.into(), effort: effort.map(Into::into), cwd: cwd.map(Into::into), ..Default::default() });
        Bucket::Parsed
    }

    fn query(&mut self, d: UserMessage, src: Source, ts: Option<Millis>) -> Bucket {
        let injected = d.is_autopilot_continuation == Some(true) || d.source.as_deref().is_some_and(|s| s != "user");
        match d.content.filter(|t| !t.trim().is_empty() && !injected) {
            Some(text) => {
                self.queries.push(Query { source: src, ts_ms: ts, text, ..Default::default() });
                Bucket::Parsed
            }
            None => Bucket::Skipped,
        }
    }

    fn requests(&mut self, d: &AssistantMessage, src: Source, ts: Option<Millis>) -> Bucket {
        let model = d.model.clone().or_else(|| self.model.clone());
        let mut added = false;
        for r in d.tool_requests.iter().flatten() {
            if r.tool_call_id.as_ref().is_some_and(|id| self.by_id.contains_key(id)) {
                continue;
            }
            let kind = if r.kind.as_deref() == Some("custom") { "custom_tool_call" } else { "function_call" };
            self.add_call(r.tool_call_id.clone(), r.name.as_deref(), r.arguments, kind, model.clone(), src, ts);
            added = true;
        }
        if let Some(text) = d.content.as_deref().filter(|t| !t.trim().is_empty()) {
            let preview = snippet(text, SNIPPET_CHARS);
            self.replies.push(Reply { session_id: "".into(), source: src, ts_ms: ts, model: model.map(Into::into), preview, copy_key: None });
        }
        if added { Bucket::Parsed } else { Bucket::Skipped }
    }

    #[allow(clippy::too_many_arguments)] // one call per field of the row; a struct would only rename them
    fn add_call(
        &mut self, id: Option<String>, tool: Option<&str>, args: Option<&RawValue>, kind: &str, model: Option<String>,
        src: Source, ts: Option<Millis>,
    ) -> usize {
        let args = args.map_or("", RawValue::get);
        let i = self.calls.len();
        if let Some(id) = &id {
            self.by_id.insert(id.clone(), i);
        }
        self.calls.push(ToolCall {
            source: src,
            ts_ms: ts,
            call_id: id,
            tool: tool.unwrap_or("unknown").into(),
            kind: kind.into(),
            args_bytes: args.len() as u64,
            args_snippet: snippet(args, SNIPPET_CHARS),
            model: model.map(Into::into),
            ..Default::default()
        });
        i
    }

    fn tool_start(&mut self, d: &ToolStart, src: Source, ts: Option<Millis>) -> Bucket {
        let known = d.tool_call_id.as_ref().and_then(|id| self.by_id.get(id).copied());
        let i = match known {
            Some(i) if self.started.contains_key(&i) => return Bucket::Duplicate,
            Some(i) => i,
            // No request logged (a user-requested tool): the start is the call.
            None => {
                let model = d.model.clone().or_else(|| self.model.clone());
                self.add_call(d.tool_call_id.clone(), d.tool_name.as_deref(), d.arguments, "function_call", model, src, ts)
            }
        };
        self.started.insert(i, ts);
        Bucket::Parsed
    }

    fn tool_complete(&mut self, d: ToolComplete, src: Source, ts: Option<Millis>) -> Bucket {
        let i = match d.tool_call_id.as_ref().and_then(|id| self.by_id.get(id).copied()) {
            Some(i) if self.calls[i].output_source.is_some() => return Bucket::Duplicate,
            Some(i) => i,
            None => {
                let i = self.add_call(d.tool_call_id.clone(), None, None, OUTPUT_WITHOUT_CALL, d.model.clone(), src, ts);
                self.calls[i].source = src;
                i
            }
        };
        let started = self.started.get(&i).copied().flatten();
        let call = &mut self.calls[i];
        call.output_source = Some(src);
        call.status = if d.success == Some(true) { ToolStatus::Ok } else { ToolStatus::Error };
        let result = d.result.unwrap_or_default();
        call.output_bytes = result.content.as_ref().map(|c| c.len() as u64);
        call.exit_code = result.contents.iter().flatten().find(|b| b.kind.as_deref() == Some("shell_exit")).and_then(|b| b.exit_code);
        if let (Some(a), Some(b)) = (started, ts) {
            call.duration_ms = Some((b - a).max(0) as f64);
            call.duration_source = Some(DurationSource::Timestamps);
        }
        Bucket::Parsed
    }

    fn shutdown(&mut self, d: Shutdown, event_id: Option<&str>, src: Source, ts: Option<Millis>) -> Bucket {
        for (model, metric) in d.model_metrics.iter().flatten() {
            let Some(u) = metric.usage else { continue };
            let n = |v: Option<i64>| v.unwrap_or(0).max(0);
            let (input, output) = (n(u.input_tokens), n(u.output_tokens));
            self.usage.push(UsageRow {
                source: src,
                ts_ms: ts,
                model: bare_model(model).into(),
                vendor: Some(Vendor::Other),
                input_tokens: input,
                cached_input_tokens: n(u.cache_read_tokens),
                cache_creation_input_tokens: n(u.cache_write_tokens),
                output_tokens: output,
                reasoning_output_tokens: n(u.reasoning_tokens),
                total_tokens: input.saturating_add(output),
                request_key: Some(format!("{}:{model}", event_id.unwrap_or("shutdown"))),
                ..Default::default()
            });
            self.session.usage_available = true;
        }
        Bucket::Parsed
    }

    fn flush(mut self, out: &mut Tables) {
        let name = out.file_name(self.file);
        if self.session.session_id.is_empty() {
            self.session.session_id = session_id_from_path(name).unwrap_or(name).to_string();
        }
        let id = self.session.session_id.clone();
        let shared_id = crate::model::Shared::from(id.as_str());
        for r in self.routing {
            push_row(&mut out.routing, RoutingRow { session_id: shared_id.clone(), ..r });
        }
        for q in self.queries {
            push_row(&mut out.queries, Query { session_id: id.clone(), ..q });
        }
        for u in self.usage {
            push_row(&mut out.usage, UsageRow { session_id: shared_id.clone(), ..u });
        }
        for c in self.calls {
            push_row(&mut out.tool_calls, ToolCall { session_id: shared_id.clone(), ..c });
        }
        for r in self.replies {
            push_row(&mut out.replies, Reply { session_id: shared_id.clone(), ..r });
        }
        self.session.start_ms = self.session.start_ms.or(self.first_ms);
        self.session.end_ms = self.end_ms;
        out.sessions.push(self.session.into());
    }
}
