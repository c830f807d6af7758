//! VS Code Copilot Chat sessions: `workspaceStorage/<hash>/chatSessions/<session id>.json`
//! (VS Code's `ISerializableChatData`, `version` 3) and the "Chat: Export Chat…" file
//! (`IExportableChatData`: the same `requests[]` without `sessionId` and dates). One JSON document.
//!
//! Rules (docs/formats-copilot.md):
//! - One [`Session`]: id = `sessionId`, else the file's name without `.json`; start =
//!   `creationDate` (epoch ms), else the first request's `timestamp`; end = the latest of
//!   `lastMessageDate` and the request timestamps; `session_source` = `initialLocation`
//!   (`panel`, `editor`…) when it is text.
//! - Each request with `message.text` is a [`Query`] at its `timestamp`; its `modelId`
//!   (`copilot/claude-sonnet-4` → `claude-sonnet-4`) a [`RoutingRow`] with turn id `requestId`.
//! - Each `toolInvocationSerialized` part of `response[]` is a [`ToolCall`]: call id
//!   `toolCallId`, tool `toolId`, args = `toolSpecificData.rawInput` (else
//!   `resultDetails.input`), status: confirmation denied or skipped (`isConfirmed` false or
//!   `{type: 0|5}`, VS Code's `ToolConfirmKind`) → Denied, complete with `resultDetails.isError`
//!   → Error, complete → Ok, else Unknown; output bytes = the `resultDetails.output[].value`
//!   text. No per-tool timing is logged, so no duration.
//! - Tokens: the real samples log none (usage unavailable, cost unknown). A request whose
//!   `result.metadata` carries `promptTokens`/`outputTokens` becomes a [`UsageRow`].
//! - The document is parsed whole (every line parsed, or every line malformed with serde's
//!   line and column); each record keeps the line its request starts on.

use super::bare_model;
use crate::formats::fields::{loose_time, raw_text};
use crate::formats::DocParser;
use crate::model::{
    push_row, snippet, FileId, Format, Millis, Query, RoutingRow, Session, Source, Tables, ToolCall, ToolStatus,
    UsageRow, Vendor, SNIPPET_CHARS,
};
use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Chat<'a> {
    session_id: Option<String>,
    #[serde(borrow)]
    creation_date: Option<&'a RawValue>,
    #[serde(borrow)]
    last_message_date: Option<&'a RawValue>,
    #[serde(borrow)]
    initial_location: Option<&'a RawValue>,
    #[serde(borrow)]
    requests: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Request<'a> {
    request_id: Option<String>,
    message: Option<Message>,
    #[serde(borrow)]
    response: Option<Vec<&'a RawValue>>,
    model_id: Option<String>,
    #[serde(borrow)]
    timestamp: Option<&'a RawValue>,
    result: Option<ChatResult>,
}

#[derive(Deserialize)]
struct Message {
    text: Option<String>,
}

#[derive(Deserialize)]
struct ChatResult {
    metadata: Option<ResultMetadata>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResultMetadata {
    prompt_tokens: Option<i64>,
    output_tokens: Option<i64>,
}

/// A `response[]` part; only `toolInvocationSerialized` parts are read.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Part<'a> {
    kind: Option<String>,
    tool_id: Option<String>,
    tool_call_id: Option<String>,
    is_complete: Option<bool>,
    #[serde(borrow)]
    is_confirmed: Option<&'a RawValue>,
    #[serde(borrow)]
    result_details: Option<&'a RawValue>,
    #[serde(borrow)]
    tool_specific_data: Option<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResultDetails<'a> {
    #[serde(borrow)]
    input: Option<&'a RawValue>,
    output: Option<Vec<OutputPart>>,
    is_error: Option<bool>,
}

#[derive(Deserialize)]
struct OutputPart {
    value: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpecificData<'a> {
    #[serde(borrow)]
    raw_input: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Confirmed {
    #[serde(rename = "type")]
    kind: Option<i64>,
}

/// VS Code Copilot Chat session document.
pub struct VscodeChatParser;

impl DocParser for VscodeChatParser {
    fn parse(&mut self, doc: &[u8], file: FileId, out: &mut Tables) -> Result<(), String> {
        let chat: Chat = serde_json::from_slice(doc).map_err(|e| format!("invalid VS Code chat JSON: {e}"))?;
        let name = out.file_name(file);
        let stem = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let session_id = chat.session_id.clone().unwrap_or_else(|| stem.trim_end_matches(".json").to_string());
        let mut session = Session {
            session_id: session_id.clone(),
            format: Some(Format::VscodeCopilot),
            source: Source { file, line: 1 },
            start_ms: chat.creation_date.and_then(loose_time),
            end_ms: chat.last_message_date.and_then(loose_time),
            session_source: chat.initial_location.and_then(raw_text).filter(|l| !l.starts_with('{') && !l.starts_with('[')),
            ..Default::default()
        };
        for raw in chat.requests.iter().flatten() {
            // A request of an unexpected shape is left out; the rest of the chat still counts.
            let Ok(r) = serde_json::from_str::<Request>(raw.get()) else { continue };
            let src = Source { file, line: line_of(doc, raw) };
            let ts = r.timestamp.and_then(loose_time);
            session.start_ms = session.start_ms.or(ts);
            session.end_ms = session.end_ms.max(ts);
            request(&r, &session_id, src, ts, out, &mut session);
        }
        out.sessions.push(session.into());
        Ok(())
    }
}

fn request(r: &Request, session_id: &str, src: Source, ts: Option<Millis>, out: &mut Tables, session: &mut Session) {
    let model = r.model_id.as_deref().map(|m| bare_model(m).to_string());
    let sid = || session_id.to_string();
    if let Some(text) = r.message.as_ref().and_then(|m| m.text.clone()).filter(|t| !t.trim().is_empty()) {
        push_row(&mut out.queries, Query { session_id: sid(), source: src, ts_ms: ts, text });
    }
    if let Some(m) = &model {
        let turn_id = r.request_id.clone();
        push_row(&mut out.routing, RoutingRow { session_id: sid().into(), source: src, ts_ms: ts, turn_id, model: m.as_str().into(), ..Default::default() });
    }
    let meta = r.result.as_ref().and_then(|x| x.metadata.as_ref());
    if let Some(meta) = meta.filter(|m| m.prompt_tokens.is_some() || m.output_tokens.is_some()) {
        let (input, output) = (meta.prompt_tokens.unwrap_or(0).max(0), meta.output_tokens.unwrap_or(0).max(0));
        session.usage_available = true;
        push_row(&mut out.usage, UsageRow {
            session_id: sid().into(),
            source: src,
            ts_ms: ts,
            model: model.as_deref().unwrap_or("unknown").into(),
            vendor: Some(Vendor::Other),
            input_tokens: input,
            output_tokens: output,
            total_tokens: input.saturating_add(output),
            request_key: r.request_id.clone(),
            ..Default::default()
        });
    }
    for raw in r.response.iter().flatten() {
        let Ok(p) = serde_json::from_str::<Part>(raw.get()) else { continue };
        if p.kind.as_deref() == Some("toolInvocationSerialized") {
            let call = tool_call(&p, src, ts, model.clone());
            push_row(&mut out.tool_calls, ToolCall { session_id: sid().into(), ..call });
        }
    }
}

fn tool_call(p: &Part, src: Source, ts: Option<Millis>, model: Option<String>) -> ToolCall {
    let details = p.result_details.and_then(|d| serde_json::from_str::<ResultDetails>(d.get()).ok());
    let raw_input = p.tool_specific_data.and_then(|d| serde_json::from_str::<SpecificData>(d.get()).ok()).and_then(|d| d.raw_input);
    let args = raw_input.or(details.as_ref().and_then(|d| d.input)).map(|a| raw_text(a).unwrap_or_default()).unwrap_or_default();
    let denied = p.is_confirmed.is_some_and(|c| {
        c.get().trim() == "false" || serde_json::from_str::<Confirmed>(c.get()).is_ok_and(|c| matches!(c.kind, Some(0 | 5)))
    });
    let failed = details.as_ref().and_then(|d| d.is_error) == Some(true);
    let status = match (denied, p.is_complete == Some(true), failed) {
        (true, _, _) => ToolStatus::Denied,
        (false, true, true) => ToolStatus::Error,
        (false, true, false) => ToolStatus::Ok,
        _ => ToolStatus::Unknown,
    };
    let output: Option<u64> = details.as_ref().and_then(|d| d.output.as_ref()).map(|o| o.iter().filter_map(|x| x.value.as_ref()).map(|v| v.len() as u64).sum());
    ToolCall {
        source: src,
        output_source: (status != ToolStatus::Unknown).then_some(src),
        ts_ms: ts,
        call_id: p.tool_call_id.clone(),
        tool: p.tool_id.as_deref().unwrap_or("unknown").into(),
        kind: "function_call".into(),
        args_bytes: args.len() as u64,
        args_snippet: snippet(&args, SNIPPET_CHARS),
        status,
        output_bytes: output,
        model: model.map(Into::into),
        ..Default::default()
    }
}

/// The 1-based line on which `part` (a slice borrowed from `doc`) starts.
fn line_of(doc: &[u8], part: &RawValue) -> u32 {
    let offset = (part.get().as_ptr() as usize).saturating_sub(doc.as_ptr() as usize);
    let newlines = memchr::memchr_iter(b'\n', doc.get(..offset).unwrap_or_default()).count();
    u32::try_from(newlines).unwrap_or(u32::MAX).saturating_add(1)
}
