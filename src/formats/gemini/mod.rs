//! Gemini CLI chat files (`~/.gemini/tmp/<projectHash>/chats/`): the JSON document
//! `{sessionId, projectHash, startTime, lastUpdated, messages[]}` and the ≈v0.40 JSONL log
//! (header line, message lines, `{"$set":{…}}` patches, `{"$rewindTo":id}` markers).
//!
//! Shapes: docs/formats.md section 3 (Gemini row); upstream `chatRecordingService.ts` appends the
//! full message again every time its tokens or tool calls change, and reads the log back as
//! "last write of an `id` wins".
//!
//! Rules:
//! - One [`Session`] per file (format `GeminiJson`/`GeminiJsonl`, `usage_available = true`).
//!   Start = `startTime` (else the earliest message); end = the latest of `lastUpdated` (header and
//!   `$set`) and the message timestamps. Session id = `sessionId` (a `$set` may change it), else
//!   the file name. Workspace = the first of `directories`, when logged.
//! - A `user` message is a [`Query`]: its string `content`, or the `text` of its `[{text}]` parts
//!   joined. Empty text and injected `<session_context>` blocks are not queries.
//! - A `gemini` message with `tokens{input,output,cached,thoughts,tool,total}` is a [`UsageRow`],
//!   normalized to the OpenAI convention (DESIGN.md section 2): input = input + tool,
//!   cached = cached (inside input), output = output + thoughts (Gemini's output excludes
//!   thoughts), reasoning = thoughts, total = input + output (= Gemini's total when consistent).
//!   `raw` keeps Gemini's numbers (`input_tokens`, `cached_input_tokens`, `output_tokens`,
//!   `thoughts_tokens`, `tool_tokens`, `total_tokens`). Model = `model`, else `unknown`.
//! - Its text (`content`, as for queries), when not blank, is a reply (a preview; it never
//!   changes a bucket, and a rewrite of the message with other text replaces it).
//! - Its `toolCalls[]` are [`ToolCall`]s: call_id = `id`, tool = `name`, args = raw JSON of `args`,
//!   status success → Ok, error → Error, cancelled → Denied, anything else → Unknown; a call with a
//!   final status (or a `result`) has its output in the same record (`output_source` = that line).
//! - Rewrites: a message `id` seen again replaces the earlier message's records (query, usage row,
//!   tool calls), which then carry the later line. The later line is `Duplicate` when it changes
//!   nothing recorded (same tokens, model, text and tool calls), otherwise `Parsed`. The JSON
//!   document follows the same last-write rule for a repeated `id`.
//! - `$set` is `Parsed` when it changes the session (raises the end time, changes the session id)
//!   or adds a message, else `Skipped`. Its `messages` batch restates the context: only ids never
//!   seen are added, known ones are left as recorded.
//! - `$rewindTo` is `Skipped`: the rewound messages stay, their tokens were spent.
//! - Buckets otherwise: header → `Parsed`; user/gemini message that yields nothing (no tokens, no
//!   tool calls, empty text), other message types (`info`, `error`…) and unknown lines → `Skipped`;
//!   not JSON, not an object, wrong field types, a message without `type` → `Malformed`.
//! - The JSON document is parsed whole; an error carries serde's line and column. Each record
//!   keeps the line its message starts on. A "document" that is really the JSONL log (a header
//!   that happens to carry `messages`) is read as JSONL.

mod chat;

use super::fields::parse_object;
use super::{Bucket, DocParser, LineParser};
use crate::model::{FileId, Format, Source, Tables};
use chat::Chat;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// Any Gemini record: a JSONL line, a message, a `$set` patch or the whole JSON document.
#[derive(Deserialize, Default)]
struct Record<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    timestamp: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type")]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    content: Option<&'a RawValue>,
    #[serde(borrow)]
    model: Option<Cow<'a, str>>,
    tokens: Option<Tokens>,
    #[serde(borrow, rename = "toolCalls")]
    tool_calls: Option<Vec<ToolCallRecord<'a>>>,
    #[serde(borrow, rename = "sessionId")]
    session_id: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "startTime")]
    start_time: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "lastUpdated")]
    last_updated: Option<Cow<'a, str>>,
    #[serde(borrow)]
    directories: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow)]
    messages: Option<Vec<&'a RawValue>>,
    #[serde(borrow, rename = "$set")]
    set: Option<Box<Record<'a>>>,
    #[serde(borrow, rename = "$rewindTo")]
    rewind_to: Option<&'a RawValue>,
}

/// `tokens` of a `gemini` message, as the Gemini API reported them.
#[derive(Deserialize, Default, Clone, Copy)]
struct Tokens {
    input: Option<i64>,
    output: Option<i64>,
    cached: Option<i64>,
    thoughts: Option<i64>,
    tool: Option<i64>,
    total: Option<i64>,
}

#[derive(Deserialize)]
struct ToolCallRecord<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    args: Option<&'a RawValue>,
    #[serde(borrow)]
    result: Option<&'a RawValue>,
    #[serde(borrow)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow)]
    timestamp: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Part<'a> {
    #[serde(borrow)]
    text: Option<Cow<'a, str>>,
}

/// Gemini CLI JSONL chat log, line by line.
#[derive(Default)]
pub struct GeminiJsonlParser {
    chat: Option<Chat>,
}

impl LineParser for GeminiJsonlParser {
    fn line(&mut self, line: &[u8], src: Source, _out: &mut Tables) -> Bucket {
        let chat = self.chat.get_or_insert_with(|| Chat::new(src.file, Format::GeminiJsonl));
        let r: Record = match parse_object("Gemini", line) {
            Ok(r) => r,
            Err(reason) => return Bucket::Malformed(reason),
        };
        if r.rewind_to.is_some() {
            Bucket::Skipped
        } else if let Some(set) = &r.set {
            chat.patch(set, src)
        } else if r.id.is_some() {
            match r.kind {
                Some(_) => chat.message(&r, src),
                None => Bucket::Malformed("message without `type`".into()),
            }
        } else if r.session_id.is_some() {
            chat.add_batch(r.messages.as_deref(), src);
            chat.header(&r, src)
        } else {
            Bucket::Skipped
        }
    }

    fn finish(&mut self, out: &mut Tables) {
        if let Some(chat) = self.chat.take() {
            chat.flush(out);
        }
    }
}

/// Gemini CLI chat file as one JSON document.
pub struct GeminiJsonParser;

impl DocParser for GeminiJsonParser {
    fn parse(&mut self, doc: &[u8], file: FileId, out: &mut Tables) -> Result<(), String> {
        let r: Record = match serde_json::from_slice(doc) {
            Ok(r) => r,
            Err(_) if holds_several_values(doc) => {
                read_as_jsonl(doc, file, out);
                return Ok(());
            }
            Err(e) => return Err(format!("invalid Gemini chat JSON: {e}")),
        };
        let mut chat = Chat::new(file, Format::GeminiJson);
        chat.header(&r, Source { file, line: 1 });
        for raw in r.messages.iter().flatten() {
            // A message of an unexpected shape is left out; the rest of the chat still counts.
            if let Ok(m) = serde_json::from_str::<Record>(raw.get()) {
                chat.message(&m, Source { file, line: line_of(doc, raw) });
            }
        }
        chat.flush(out);
        Ok(())
    }
}

/// The 1-based line on which `part` (a slice borrowed from `doc`) starts.
fn line_of(doc: &[u8], part: &RawValue) -> u32 {
    let offset = (part.get().as_ptr() as usize).saturating_sub(doc.as_ptr() as usize);
    let before = doc.get(..offset).unwrap_or_default();
    let newlines = memchr::memchr_iter(b'\n', before).count();
    u32::try_from(newlines).unwrap_or(u32::MAX).saturating_add(1)
}

/// True when the bytes are a JSON value followed by more values (a JSONL log, not a document).
fn holds_several_values(doc: &[u8]) -> bool {
    let mut values = serde_json::Deserializer::from_slice(doc).into_iter::<&RawValue>();
    matches!((values.next(), values.next()), (Some(Ok(_)), Some(Ok(_))))
}

fn read_as_jsonl(doc: &[u8], file: FileId, out: &mut Tables) {
    let mut parser = GeminiJsonlParser::default();
    for (i, line) in doc.split(|&b| b == b'\n').enumerate() {
        if !line.iter().all(u8::is_ascii_whitespace) {
            let src = Source { file, line: u32::try_from(i + 1).unwrap_or(u32::MAX) };
            parser.line(line, src, out);
        }
    }
    parser.finish(out);
}
