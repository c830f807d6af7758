//! Codex CLI rollout files, `{timestamp, type, payload}` lines (G2 onwards, docs/formats.md §1.3–1.10).
//!
//! The rules (DESIGN.md section 2), in the order a line meets them:
//! - The first `session_meta` describes the session; later ones (resumes, forks) are skipped.
//! - Every `turn_context` is a routing row and sets the model for what follows (`unknown` before one).
//! - A usage row is a `token_count` event whose `info` is not null and whose cumulative
//!   `total_token_usage` differs from the previous one in the file; its values are
//!   `last_token_usage`. An unchanged total is a re-emit (duplicate); a `last_token_usage` that is 0
//!   in every component but `total_tokens` is a context-size marker (skipped).
//! - A query is a `user_message` event, or an `item_completed` `UserMessage` (G2.3), minus injected
//!   context (`<environment_context>`, `<user_instructions>`, `<permissions…`, `# AGENTS.md`).
//! - Tool calls and their outputs are linked by `call_id` (see [`tools`]).
//! - A reply is an assistant `message` response item (see [`replies`] for why not its events).
//! - Forks and sub-agents replay their parent's usage first; [`reconcile_forks`] drops the replayed
//!   prefix when the parent file is loaded too.

mod fast;
mod fast_fields;
mod forks;
mod replies;
mod tools;
mod wire;

pub use forks::reconcile_forks;

/// For the fuzz targets (cargo-fuzz builds with `--cfg fuzzing`): panics when the fast path reads
/// `line` otherwise than serde would; whether the fast path read it at all.
#[cfg(fuzzing)]
pub fn fast_path_agrees(line: &[u8]) -> bool {
    fast::differential::agrees(line)
}

use super::{Bucket, LineParser};
use crate::model::{Format, Millis, Query, RoutingRow, Session, Source, Tables, TokenCounts, UsageRow, Vendor};
use crate::model::{Interner, Row, Shared, push_row};
use super::stamp::Stamps;
use crate::timefmt::parse_iso;
use tools::ToolLinker;
use wire::{Info, Line, Payload, RateLimits, decode, text};

/// The model of rows logged before any `turn_context` named one.
const UNKNOWN_MODEL: &str = "unknown";

/// Injected context that Codex logs as user messages but nobody typed.
const INJECTED_PREFIXES: &[&str] =
    &["<environment_context>", "<user_instructions>", "<permissions", "# AGENTS.md", "<user_shell_command>"];

pub fn is_injected_context(text: &str) -> bool {
    let t = text.trim_start();
    INJECTED_PREFIXES.iter().any(|p| t.starts_with(p))
}

#[derive(Default)]
pub struct CodexParser {
    file: Option<u32>,
    session: Option<Session>,
    /// The session id rows get before (or without) a `session_meta`.
    provisional_id: String,
    model: Option<String>,
    last_total: Option<TokenCounts>,
    /// The last query and whether it came from an `item_completed` (its mirror is a duplicate).
    last_query: Option<(bool, String)>,
    first_ts: Option<Millis>,
    last_ts: Option<Millis>,
    tools: ToolLinker,
    /// Where this file's rows start in the tables, to patch session ids in `finish`.
    starts: [usize; 5],
    stamps: Stamps,
    /// Policies repeat on every `turn_context`: the last raw text of each and its label.
    policies: [PolicyMemo; 2],
    /// The texts the file's routing and usage rows and replies repeat (session id, model, effort,
    /// working directory), held once.
    interned: Interner,
}

/// The label of the last policy text seen (policies are often objects, costly to decode).
#[derive(Default)]
struct PolicyMemo {
    raw: String,
    label: Option<Shared>,
}

impl PolicyMemo {
    fn label(&mut self, raw: Option<&str>) -> Option<Shared> {
        let raw = raw?;
        if raw != self.raw {
            self.label = policy_label(Some(raw)).map(Shared::from);
            self.raw.clear();
            self.raw.push_str(raw);
        }
        self.label.clone()
    }
}

impl LineParser for CodexParser {
    fn line(&mut self, line: &[u8], src: Source, out: &mut Tables) -> Bucket {
        // The scanner reads most lines; serde reads (and words the reason for) the rest.
        let mut parsed = Line::default();
        if fast::scan_line_into(line, &mut parsed).is_err() {
            parsed = match serde_json::from_slice(line) {
                Ok(l) => l,
                Err(e) => return Bucket::Malformed(format!("invalid JSON: {e}")),
            };
        }
        if self.file.is_none() {
            self.start(src, out);
        }
        let Some(kind) = parsed.kind.as_deref() else {
            return Bucket::Malformed("a rollout line without \"type\"".into());
        };
        let ts = parsed.timestamp.as_deref().and_then(|t| self.stamps.parse(t));
        if let Some(t) = ts {
            self.first_ts = Some(self.first_ts.map_or(t, |f| f.min(t)));
            self.last_ts = Some(self.last_ts.map_or(t, |l| l.max(t)));
        }
        // Borrowed, not moved: the payload is a few hundred bytes of spans.
        let empty;
        let payload = match &parsed.payload {
            Some(p) => p,
            None => {
                empty = Payload::default();
                &empty
            }
        };
        match kind {
            "session_meta" => self.session_meta(payload, ts, src),
            "turn_context" => self.turn_context(payload, ts, src, out),
            "event_msg" => self.event(payload, ts, src, out),
            "response_item" => self.response_item(payload, ts, src, out),
            // compacted, world_state, inter_agent_communication*, and tags we do not know yet.
            _ => Bucket::Skipped,
        }
    }

    fn finish(&mut self, out: &mut Tables) {
        let Some(file) = self.file else { return };
        self.tools.finish(out);
        let mut session = self.session.take().unwrap_or_else(|| Session {
            session_id: self.provisional_id.clone(),
            format: Some(Format::CodexRollout),
            source: Source { file, line: 1 },
            usage_available: true,
            ..Default::default()
        });
        session.start_ms = session.start_ms.or(self.first_ts);
        session.end_ms = self.last_ts.or(session.start_ms);
        session.final_cumulative = self.last_total;
        if session.session_id != self.provisional_id {
            self.patch_session_ids(&session.session_id, out);
        }
        out.sessions.push(session.into());
    }
}

impl CodexParser {
    fn start(&mut self, src: Source, out: &Tables) {
        self.file = Some(src.file);
        self.provisional_id = format!("file:{}", out.file_name(src.file));
        self.starts = [out.usage.len(), out.routing.len(), out.queries.len(), out.tool_calls.len(), out.replies.len()];
    }

    fn session_id(&self) -> String {
        match &self.session {
            Some(s) => s.session_id.clone(),
            None => self.provisional_id.clone(),
        }
    }

    /// The session id and model of the row being made, held once (borrowed, not cloned first:
    /// every routing and usage row asks).
    fn session_and_model(&mut self) -> (Shared, Shared) {
        let id = match &self.session {
            Some(s) => s.session_id.as_str(),
            None => self.provisional_id.as_str(),
        };
        let model = self.model.as_deref().unwrap_or(UNKNOWN_MODEL);
        (self.interned.get(id), self.interned.get(model))
    }

    fn session_meta(&mut self, p: &Payload, ts: Option<Millis>, src: Source) -> Bucket {
        if self.session.is_some() {
            return Bucket::Skipped;
        }
        let git: wire::Git = decode(p.git).unwrap_or_default();
        let (session_source, spawn_parent) = describe_source(p.source);
        let parent = text(p.forked_from_id).or(text(p.parent_thread_id)).map(|c| c.into_owned()).or(spawn_parent);
        self.session = Some(Session {
            session_id: text(p.id).map(|c| c.into_owned()).unwrap_or_else(|| self.provisional_id.clone()),
            format: Some(Format::CodexRollout),
            source: src,
            start_ms: text(p.timestamp).and_then(|t| parse_iso(&t)).or(ts),
            workspace: text(p.cwd).map(Into::into),
            originator: text(p.originator).map(Into::into),
            cli_version: text(p.cli_version).map(Into::into),
            session_source,
            parent_session_id: parent,
            git_branch: git.branch.map(Into::into),
            git_commit: git.commit_hash.map(Into::into),
            git_remote: git.repository_url.map(Into::into),
            model_provider: text(p.model_provider).map(Into::into),
            usage_available: true,
            ..Default::default()
        });
        Bucket::Parsed
    }

    fn turn_context(&mut self, p: &Payload, ts: Option<Millis>, src: Source, out: &mut Tables) -> Bucket {
        if let Some(m) = text(p.model)
            && self.model.as_deref() != Some(m.as_ref())
        {
            self.model = Some(m.into_owned());
        }
        let (session_id, model) = self.session_and_model();
        let (effort, cwd) = (text(p.effort), text(p.cwd));
        push_row(&mut out.routing, RoutingRow {
            session_id,
            source: src,
            ts_ms: ts,
            turn_id: text(p.turn_id).map(Into::into),
            model,
            effort: self.interned.opt(effort.as_deref()),
            approval_policy: self.policies[0].label(p.approval_policy),
            sandbox_policy: self.policies[1].label(p.sandbox_policy),
            cwd: self.interned.opt(cwd.as_deref()),
        });
        Bucket::Parsed
    }

    fn event(&mut self, p: &Payload, ts: Option<Millis>, src: Source, out: &mut Tables) -> Bucket {
        match p.kind.as_deref() {
            Some("token_count") => self.token_count(p, ts, src, out),
            Some("user_message") => match text(p.message) {
                Some(msg) => self.query(msg.into_owned(), false, ts, src, out),
                None => Bucket::Skipped,
            },
            Some("item_completed") => self.item_completed(p, ts, src, out),
            Some("exec_command_end" | "mcp_tool_call_end" | "patch_apply_end" | "web_search_end") => {
                self.tools.end_event(p, ts, src, out)
            }
            _ => Bucket::Skipped,
        }
    }

    fn token_count(&mut self, p: &Payload, ts: Option<Millis>, src: Source, out: &mut Tables) -> Bucket {
        let info = match p.info_read {
            Some(read) => Some(read),
            None => fast_fields::info(p.info).unwrap_or_else(|_| decode::<Info>(p.info)),
        };
        let Some(info) = info else { return Bucket::Skipped };
        let Some(total) = info.total_token_usage else { return Bucket::Skipped };
        let cumulative = total.counts();
        let previous = self.last_total.replace(cumulative);
        if info.last_token_usage.is_some_and(|l| l.is_context_marker()) {
            return Bucket::Skipped;
        }
        if previous == Some(cumulative) {
            return Bucket::Duplicate;
        }
        let last = info.last_token_usage.unwrap_or_else(|| {
            // Older writers may omit `last`: the change of the cumulative total is the request.
            let d = cumulative.sub(&previous.unwrap_or_default());
            wire::Usage {
                input_tokens: d.input_tokens,
                cached_input_tokens: d.cached_input_tokens,
                output_tokens: d.output_tokens,
                reasoning_output_tokens: d.reasoning_output_tokens,
                total_tokens: d.total_tokens,
                cache_write_input_tokens: 0,
            }
        });
        let limits = match p.rate_limits_read {
            Some(read) => Some(read),
            None => fast_fields::rate_limits(p.rate_limits).unwrap_or_else(|_| decode::<RateLimits>(p.rate_limits)),
        };
        let limits = limits.unwrap_or_default();
        let (session_id, model) = self.session_and_model();
        push_row(&mut out.usage, UsageRow {
            session_id,
            source: src,
            ts_ms: ts,
            model,
            vendor: Some(Vendor::OpenAi),
            input_tokens: last.input_tokens,
            cached_input_tokens: last.cached_input_tokens,
            cache_creation_input_tokens: last.cache_write_input_tokens,
            output_tokens: last.output_tokens,
            reasoning_output_tokens: last.reasoning_output_tokens,
            total_tokens: last.input_tokens.saturating_add(last.output_tokens),
            raw: crate::model::RawUsage {
                input_tokens: last.input_tokens,
                cached_input_tokens: last.cached_input_tokens,
                output_tokens: last.output_tokens,
                reasoning_output_tokens: last.reasoning_output_tokens,
                total_tokens: last.total_tokens,
                cache_write_input_tokens: last.cache_write_input_tokens,
                ..Default::default()
            },
            cumulative: Some(cumulative),
            context_window: info.model_context_window,
            rate_limit_primary_pct: limits.primary.and_then(|w| w.used_percent).or(limits.primary_used_percent),
            rate_limit_secondary_pct: limits
                .secondary
                .and_then(|w| w.used_percent)
                .or(limits.secondary_used_percent),
            ..Default::default()
        });
        Bucket::Parsed
    }

    /// A query, unless it is injected context or the mirror of the query just recorded
    /// (G2.3 files may log a prompt both as `user_message` and as `item_completed`).
    fn query(&mut self, text: String, from_item: bool, ts: Option<Millis>, src: Source, out: &mut Tables) -> Bucket {
        if is_injected_context(&text) {
            return Bucket::Skipped;
        }
        if let Some((prev_from_item, prev)) = &self.last_query
            && *prev == text
            && *prev_from_item != from_item
        {
            return Bucket::Duplicate;
        }
        self.last_query = Some((from_item, text.clone()));
        push_row(&mut out.queries, Query { session_id: self.session_id(), source: src, ts_ms: ts, text });
        Bucket::Parsed
    }

    fn item_completed(&mut self, p: &Payload, ts: Option<Millis>, src: Source, out: &mut Tables) -> Bucket {
        let Some(item) = decode::<wire::Item>(p.item) else { return Bucket::Skipped };
        match item.kind.as_deref() {
            Some("UserMessage" | "userMessage") => match item_text(&item) {
                Some(t) => self.query(t, true, ts, src, out),
                None => Bucket::Skipped,
            },
            _ => self.tools.item_completed(&item, ts, src, out),
        }
    }

    fn response_item(&mut self, p: &Payload, ts: Option<Millis>, src: Source, out: &mut Tables) -> Bucket {
        let kind = p.kind.as_deref().unwrap_or("");
        // Borrowed, not cloned: most response items (reasoning, messages) make no row.
        let session = match &self.session {
            Some(s) => s.session_id.as_str(),
            None => self.provisional_id.as_str(),
        };
        if let Some(reply) = replies::reply(p, ts, src, session, self.model.as_deref(), &mut self.interned) {
            push_row(&mut out.replies, reply);
        }
        let model = self.model.as_deref().unwrap_or(UNKNOWN_MODEL);
        self.tools.response_item(kind, p, ts, src, session, model, out)
    }

    fn patch_session_ids(&self, id: &str, out: &mut Tables) {
        let Some(file) = self.file else { return };
        let [u, r, q, t, a] = self.starts;
        let fix = |sid: &mut String, s: Source| {
            if s.file == file && *sid == self.provisional_id {
                *sid = id.to_string();
            }
        };
        let shared_id = Shared::from(id);
        let fix_shared = |sid: &mut Shared, s: Source| {
            if s.file == file && **sid == *self.provisional_id {
                *sid = shared_id.clone();
            }
        };
        out.usage[u..].iter_mut().map(Row::make_mut).for_each(|x| fix_shared(&mut x.session_id, x.source));
        out.routing[r..].iter_mut().map(Row::make_mut).for_each(|x| fix_shared(&mut x.session_id, x.source));
        out.queries[q..].iter_mut().map(Row::make_mut).for_each(|x| fix(&mut x.session_id, x.source));
        out.tool_calls[t..].iter_mut().map(Row::make_mut).for_each(|x| fix_shared(&mut x.session_id, x.source));
        out.replies[a..].iter_mut().map(Row::make_mut).for_each(|x| fix_shared(&mut x.session_id, x.source));
    }
}

/// `source` is a string (`cli`, `vscode`, `exec`…) or `{subagent: …}`; returns the label and, for
/// spawned sub-agents, the parent thread id.
fn describe_source(raw: Option<&str>) -> (Option<String>, Option<String>) {
    if let Some(s) = text(raw) {
        return (Some(s.into_owned()), None);
    }
    let Some(v) = decode::<serde_json::Value>(raw) else { return (None, None) };
    let Some(sub) = v.get("subagent") else {
        return (v.as_object().and_then(|o| o.keys().next()).cloned(), None);
    };
    match sub {
        serde_json::Value::String(s) => (Some(format!("subagent:{s}")), None),
        serde_json::Value::Object(o) => {
            let kind = o.keys().next().cloned().unwrap_or_default();
            let parent = o
                .get("thread_spawn")
                .and_then(|t| t.get("parent_thread_id"))
                .and_then(|p| p.as_str())
                .map(str::to_string);
            (Some(format!("subagent:{kind}")), parent)
        }
        _ => (Some("subagent".into()), None),
    }
}

/// Policies are strings (`on-request`) or tagged objects (`{"mode": "read-only"}`, `{"type": …}`).
fn policy_label(raw: Option<&str>) -> Option<String> {
    if let Some(s) = text(raw) {
        return Some(s.into_owned());
    }
    let v = decode::<serde_json::Value>(raw)?;
    let o = v.as_object()?;
    ["type", "mode"]
        .iter()
        .find_map(|k| o.get(*k).and_then(|x| x.as_str()).map(str::to_string))
        .or_else(|| o.keys().next().cloned())
}

/// Text of a `UserMessage` item: `text`, or the text parts of `content`.
fn item_text(item: &wire::Item) -> Option<String> {
    if let Some(t) = text(item.text) {
        return Some(t.into_owned());
    }
    #[derive(serde::Deserialize)]
    struct Part {
        #[serde(default)]
        text: Option<String>,
    }
    let parts: Vec<Part> = decode(item.content)?;
    let joined: Vec<String> = parts.into_iter().filter_map(|p| p.text).collect();
    (!joined.is_empty()).then(|| joined.join("\n"))
}
