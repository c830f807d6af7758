//! Claude Code transcripts, `~/.claude/projects/<dir>/<session>.jsonl` (docs/formats.md §2).
//!
//! What each line becomes (bucket conventions of `formats/mod.rs`):
//! - Not a JSON object, no string `type`, or a `user`/`assistant` line without a `message`
//!   object: malformed.
//! - `assistant`: a `<synthetic>` model is locally generated text, not usage: skipped, nothing
//!   recorded. Otherwise the line makes a usage row when `message.usage` is an object (see
//!   `usage.rs`; every copy is kept at line time and the losers of the dedup on
//!   `message.id`+`requestId` become duplicates in [`dedupe_across_files`]), a routing row for the
//!   first line of each `message.id` in the file (model, `cwd`, `effort`, and as approval policy
//!   the latest `permissionMode` of a user line before it), and a tool call per `tool_use` block
//!   (`tools.rs`). Parsed when it made any of these, else skipped. Its `text` blocks are a reply
//!   (`replies.rs`), which never changes the bucket.
//! - `user`: a query when not `isMeta`, not `isCompactSummary`, and its content (a string, or the
//!   `text` blocks of a list joined by newlines) is not blank and does not start with
//!   `<command-name>`, `<local-command-stdout>` or `Caveat:` (§2.6); the text is kept as logged.
//!   Its `tool_result` blocks are the outputs of earlier calls. Parsed when it is a query or holds
//!   a result, else skipped.
//! - Every other type (`system`, `summary`, `file-history-snapshot`, `progress`, `attachment`,
//!   unknown ones…): skipped.
//!
//! Sessions: one per `sessionId` seen on a line of the file that is not malformed, emitted when
//! the file ends, in order of first appearance: its source is that first line, start/end the
//! min/max parseable `timestamp`, workspace/cli version/originator/git branch the first non-empty
//! `cwd`/`version`/`entrypoint`/`gitBranch`; session source `subagent` when a line has a
//! non-empty `agentId`, else `sidechain` when a line has `isSidechain: true`, else `cli`.

mod fast;
mod lenient;
mod replies;
mod tools;
mod usage;
mod wire;

pub use tools::OUTPUT_WITHOUT_CALL;
pub use replies::dedupe_across_files as dedupe_replies_across_files;
pub use usage::dedupe_across_files;

/// For the fuzz targets (cargo-fuzz builds with `--cfg fuzzing`): panics when the fast path reads
/// `line` otherwise than serde would; whether the fast path read it at all.
#[cfg(fuzzing)]
pub fn fast_path_agrees(line: &[u8]) -> bool {
    fast::differential::agrees(line)
}

use super::{Bucket, LineParser};
use crate::model::{Format, Millis, Query, RoutingRow, Session, Source, Tables};
use super::stamp::Stamps;
use crate::model::{Interner, Shared, extend_rows, push_row};
use lenient::Obj;
use serde::de::IgnoredAny;
use std::borrow::Cow;
use rustc_hash::{FxHashMap, FxHashSet};
use tools::{CallLine, ToolLinker};
use wire::{Content, Line, Message};

/// User text that Claude Code logs as a user line but nobody typed (slash commands, their output).
const NOT_A_QUERY_PREFIXES: &[&str] = &["<command-name>", "<local-command-stdout>", "Caveat:"];

/// The model Claude Code writes on locally generated messages (errors, limits).
const SYNTHETIC_MODEL: &str = "<synthetic>";

#[derive(Default)]
pub struct ClaudeParser {
    sessions: Vec<SessionFacts>,
    session_index: FxHashMap<String, usize>,
    /// `message.id`s that already have a routing row in this file.
    routed: FxHashSet<String>,
    /// The `message.id` routed last (also in `routed`).
    last_routed: String,
    /// The latest `permissionMode` of a user line.
    permission_mode: Option<Shared>,
    tools: ToolLinker,
    stamps: Stamps,
    /// The texts routing rows repeat (session id, model, effort, working directory), held once.
    interned: Interner,
}

impl LineParser for ClaudeParser {
    fn line(&mut self, line: &[u8], src: Source, out: &mut Tables) -> Bucket {
        // The scanner reads most lines; serde reads (and words the reason for) the rest.
        let mut parsed = Line::default();
        if fast::scan_line_into(line, &mut parsed).is_err() {
            parsed = match parse_line(line) {
                Ok(l) => l,
                Err(reason) => return Bucket::Malformed(reason),
            };
        }
        let ts = parsed.timestamp.as_deref().and_then(|t| self.stamps.parse(t));
        let bucket = match parsed.kind.as_deref() {
            None => return Bucket::Malformed("no `type` field".into()),
            Some("assistant") => self.assistant(&parsed, src, ts, out),
            Some("user") => self.user(&parsed, src, ts, out),
            Some(_) => Bucket::Skipped,
        };
        if !matches!(bucket, Bucket::Malformed(_)) {
            self.note_session(&parsed, src, ts);
        }
        bucket
    }

    fn finish(&mut self, out: &mut Tables) {
        extend_rows(&mut out.tool_calls, self.tools.finish().into_iter());
        out.sessions.extend(self.sessions.drain(..).map(|s| s.into_session().into()));
        self.session_index.clear();
        self.routed.clear();
        self.last_routed.clear();
    }
}

/// A JSON object line, or the reason it is malformed (serde's message carries the column).
fn parse_line(line: &[u8]) -> Result<Line<'_>, String> {
    let first = line.iter().copied().find(|b| !b.is_ascii_whitespace());
    if first != Some(b'{') {
        return Err(match serde_json::from_slice::<IgnoredAny>(line) {
            Err(e) => format!("invalid JSON: {e}"),
            Ok(_) => "not a JSON object".into(),
        });
    }
    serde_json::from_slice(line).map_err(|e| format!("invalid JSON: {e}"))
}

/// The `message` object of a user or assistant line.
fn message<'l, 'a>(line: &'l Line<'a>) -> Result<&'l Message<'a>, Bucket> {
    let kind = line.kind.as_deref().unwrap_or_default();
    match &line.message {
        Some(Obj::Object(m)) => Ok(m),
        Some(Obj::Other) => Err(Bucket::Malformed(format!("{kind} `message` is not a JSON object"))),
        None => Err(Bucket::Malformed(format!("{kind} line without `message`"))),
    }
}

impl ClaudeParser {
    fn assistant(&mut self, line: &Line, src: Source, ts: Option<Millis>, out: &mut Tables) -> Bucket {
        let msg = match message(line) {
            Ok(m) => m,
            Err(bucket) => return bucket,
        };
        if msg.model.as_deref() == Some(SYNTHETIC_MODEL) {
            return Bucket::Skipped;
        }
        let session_id = line.session_id.as_deref().unwrap_or_default();
        let model = usage::model_name(msg);
        let mut made = false;

        if let Some(u) = msg.usage.get() {
            push_row(&mut out.usage, usage::usage_row(line, msg, u, src, ts, &mut self.interned));
            made = true;
        }
        // A message's copies follow each other: the last id routed answers most lookups.
        let new_id = |id: &&str| !id.is_empty() && *id != self.last_routed && !self.routed.contains(*id);
        if let Some(id) = msg.id.as_deref().filter(new_id) {
            self.routed.insert(id.to_string());
            self.last_routed.clear();
            self.last_routed.push_str(id);
            push_row(&mut out.routing, RoutingRow {
                session_id: self.interned.get(session_id),
                source: src,
                ts_ms: ts,
                turn_id: Some(id.to_string()),
                model: self.interned.get(model),
                effort: self.interned.opt(line.effort.as_deref()),
                approval_policy: self.permission_mode.clone(),
                cwd: self.interned.opt(line.cwd.as_deref()),
                ..RoutingRow::default()
            });
            made = true;
        }
        if let Some(reply) = replies::reply(line, msg, src, ts, &mut self.interned) {
            push_row(&mut out.replies, reply);
        }
        let at = CallLine { session_id, src, ts, model };
        for block in msg.content.blocks().iter().filter(|b| b.is("tool_use")) {
            made |= self.tools.call(block, &at);
        }
        if made { Bucket::Parsed } else { Bucket::Skipped }
    }

    fn user(&mut self, line: &Line, src: Source, ts: Option<Millis>, out: &mut Tables) -> Bucket {
        let msg = match message(line) {
            Ok(m) => m,
            Err(bucket) => return bucket,
        };
        if let Some(mode) = line.permission_mode.as_deref()
            && self.permission_mode.as_deref() != Some(mode)
        {
            self.permission_mode = Some(Shared::from(mode));
        }
        let mut made = false;
        if !line.is_meta
            && !line.is_compact_summary
            && let Some(text) = query_text(&msg.content)
        {
            push_row(&mut out.queries, Query {
                session_id: line.session_id.as_deref().unwrap_or_default().to_string(),
                source: src,
                ts_ms: ts,
                text,
            });
            made = true;
        }
        if self.tools.results(line, msg.content.blocks(), src, ts) > 0 {
            made = true;
        }
        if made { Bucket::Parsed } else { Bucket::Skipped }
    }

    fn note_session(&mut self, line: &Line, src: Source, ts: Option<Millis>) {
        let Some(id) = line.session_id.as_deref().filter(|id| !id.is_empty()) else { return };
        // Most lines of a file belong to the session of the line before: no hashing for those.
        let last = self.sessions.len().checked_sub(1).filter(|&i| self.sessions[i].session.session_id == id);
        let index = match last.or_else(|| self.session_index.get(id).copied()) {
            Some(i) => i,
            None => {
                self.session_index.insert(id.to_string(), self.sessions.len());
                self.sessions.push(SessionFacts::new(id, src));
                self.sessions.len() - 1
            }
        };
        if let Some(facts) = self.sessions.get_mut(index) {
            facts.note(line, ts);
        }
    }
}

/// The text a person typed, or `None` when the content is not a query (see the module doc).
fn query_text(content: &Content) -> Option<String> {
    let text = match content {
        Content::Text(t) => Cow::Borrowed(t.as_ref()),
        Content::Blocks(blocks) => {
            let texts: Vec<Cow<str>> = blocks.iter().filter(|b| b.is("text")).filter_map(|b| b.text.as_ref()).map(|t| t.get()).collect();
            Cow::Owned(texts.join("\n"))
        }
        Content::Empty => return None,
    };
    let head = text.trim_start();
    if head.is_empty() || NOT_A_QUERY_PREFIXES.iter().any(|p| head.starts_with(p)) {
        return None;
    }
    Some(text.into_owned())
}

/// What the lines of one session in one file say about it.
struct SessionFacts {
    session: Session,
    subagent: bool,
    sidechain: bool,
}

impl SessionFacts {
    fn new(id: &str, src: Source) -> Self {
        SessionFacts {
            session: Session {
                session_id: id.to_string(),
                format: Some(Format::ClaudeCode),
                source: src,
                usage_available: true,
                ..Session::default()
            },
            subagent: false,
            sidechain: false,
        }
    }

    fn note(&mut self, line: &Line, ts: Option<Millis>) {
        let s = &mut self.session;
        if let Some(t) = ts {
            s.start_ms = Some(s.start_ms.map_or(t, |v| v.min(t)));
            s.end_ms = Some(s.end_ms.map_or(t, |v| v.max(t)));
        }
        first_non_empty(&mut s.workspace, line.cwd.as_deref());
        first_non_empty(&mut s.cli_version, line.version.as_deref());
        first_non_empty(&mut s.originator, line.entrypoint.as_deref());
        first_non_empty(&mut s.git_branch, line.git_branch.as_deref());
        self.subagent |= line.agent_id.as_deref().is_some_and(|a| !a.is_empty());
        self.sidechain |= line.is_sidechain;
    }

    fn into_session(self) -> Session {
        let source = if self.subagent {
            "subagent"
        } else if self.sidechain {
            "sidechain"
        } else {
            "cli"
        };
        Session { session_source: Some(source.into()), ..self.session }
    }
}

fn first_non_empty(slot: &mut Option<String>, value: Option<&str>) {
    if slot.is_none()
        && let Some(v) = value.filter(|v| !v.is_empty())
    {
        *slot = Some(v.to_string());
    }
}
