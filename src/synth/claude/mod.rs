//! Claude Code transcripts (docs/formats.md §2) and their oracle (DESIGN.md section 2).
//!
//! A session is `summary` and `file-history-snapshot` lines, user prompts (some with `/clear`
//! command lines and `isMeta` caveats), and per API response one assistant line **per content
//! block** (thinking, text, tool_use), all repeating `message.id`, `requestId` and a usage
//! snapshot: growing `output_tokens` with `stop_reason: null` on all but the last (2.0.x), all
//! null (a cut stream), or the final usage on every line (2.1.x). Tool results come back as user
//! lines. Sub-agent files (`subagents/agent-….jsonl`) carry `isSidechain: true`; a resumed session
//! starts with copies of an earlier file's lines.
//!
//! The oracle: per (`message.id`, `requestId`) (`message.id` alone when `requestId` is absent)
//! one line is parsed (the largest token sum) and the others are duplicates, tool_use blocks
//! counted on every line that has them; a sidechain line replaying a main-chain `message.id` (new
//! `requestId`) and a resumed file's copied lines are duplicates (the original was written first);
//! user prompts are queries unless `isMeta` or a command (`<command-name>`, `<local-command-stdout>`,
//! `Caveat:`); tool results are parsed; `<synthetic>` messages, summaries, snapshots and system
//! lines are skipped. Usage is normalized: input = input + cache creation + cache read.

mod lines;

use super::expect::{NormUsage, Outcome};
use super::file::{FileWriter, Style, TurnSizes, iso};
use super::rng::Rng;
use super::text;
use super::GeneratedFile;
use crate::model::Format;

/// How the per-block lines of one response carry its usage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Streaming {
    /// 2.0.x: `output_tokens` grows block by block; `stop_reason` only on the last line.
    Growing,
    /// A stream cut short: growing, and `stop_reason: null` on every line ("possibly partial").
    Partial,
    /// 2.1.x: every line carries the final usage and `stop_reason`.
    Final,
}

/// Anthropic `message.usage`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClaudeUsage {
    pub input: i64,
    pub cache_creation: i64,
    pub cache_read: i64,
    pub output: i64,
    pub one_hour: bool,
}

impl ClaudeUsage {
    fn norm(&self) -> NormUsage {
        NormUsage {
            input_tokens: self.input + self.cache_creation + self.cache_read,
            cached_input_tokens: self.cache_read,
            cache_creation_input_tokens: self.cache_creation,
            output_tokens: self.output,
            reasoning_output_tokens: 0,
        }
    }
}

/// A kept text-only assistant line that a later file may copy (resume) or replay (sidechain).
#[derive(Debug, Clone)]
pub struct KeptLine {
    pub message_id: String,
    pub request_id: Option<String>,
    pub model: String,
    pub usage: ClaudeUsage,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct ClaudeQuirks {
    pub torn_last_line: bool,
    /// One `<synthetic>` API-error message.
    pub synthetic: bool,
    /// Summary lines before the conversation.
    pub summaries: bool,
}

#[derive(Debug, Clone)]
pub struct ClaudeSpec {
    pub name: String,
    pub session_id: String,
    pub start_ms: i64,
    pub cwd: String,
    pub version: &'static str,
    pub models: Vec<String>,
    pub streaming: Streaming,
    pub target_bytes: usize,
    pub style: Style,
    /// False for a third-party endpoint: no `requestId` (dedup on `message.id` alone).
    pub request_ids: bool,
    /// A sub-agent file: its agent id, and main-chain lines it replays first.
    pub sidechain: Option<(String, Vec<KeptLine>)>,
    /// A resumed session: lines of an earlier file copied first.
    pub copies: Vec<KeptLine>,
    pub quirks: ClaudeQuirks,
}

pub struct ClaudeOutput {
    pub file: GeneratedFile,
    pub kept: Vec<KeptLine>,
}

pub fn write(spec: &ClaudeSpec, rng: &mut Rng) -> ClaudeOutput {
    let mut s = Session {
        w: FileWriter::new(Format::ClaudeCode, spec.style),
        now: spec.start_ms,
        parent: None,
        ctx: rng.range(12_000, 20_000),
        kept: Vec::new(),
        spec,
        rng,
    };
    if spec.quirks.summaries {
        for _ in 0..s.rng.range(1, 4) {
            let (sum, leaf) = (text::sentence(s.rng), s.rng.uuid_v4());
            s.w.line(Outcome::Skipped, |o| {
                o.str("type", "summary").str("summary", &sum).str("leafUuid", &leaf);
            });
        }
    }
    let mut turns = TurnSizes::default();
    loop {
        let before = s.w.len();
        s.exchange(turns.count == 0);
        turns.add(s.w.len() - before);
        if turns.enough(s.w.len(), spec.target_bytes) {
            break;
        }
    }
    if spec.quirks.torn_last_line {
        s.torn();
    }
    let Session { w, kept, .. } = s;
    ClaudeOutput { file: w.finish(spec.name.clone()), kept }
}

struct Session<'a> {
    spec: &'a ClaudeSpec,
    rng: &'a mut Rng,
    w: FileWriter,
    now: i64,
    parent: Option<String>,
    ctx: i64,
    kept: Vec<KeptLine>,
}

/// One content block of an assistant response.
enum Block {
    Thinking(String),
    Text(String),
    ToolUse { id: String, name: &'static str, arg_key: &'static str, arg: String },
}

impl<'a> Session<'a> {
    /// A prompt, maybe after a `/clear` command, then the agent's requests until it answers.
    fn exchange(&mut self, first: bool) {
        if !first {
            self.now += self.rng.range(20_000, 1_200_000);
        }
        if self.rng.chance(0.6) {
            let (id, ts) = (self.rng.uuid_v4(), iso(self.now));
            self.w.line(Outcome::Skipped, |o| {
                o.str("type", "file-history-snapshot").str("messageId", &id).obj("snapshot", |s| {
                    s.str("messageId", &id).obj("trackedFileBackups", |_| {}).str("timestamp", &ts);
                });
                o.bool("isSnapshotUpdate", false);
            });
        }
        if self.spec.sidechain.is_none() && self.rng.chance(0.1) {
            self.command_lines();
        }
        let prompt = text::prompt(self.rng);
        self.user_line(Outcome::Parsed, false, |m| {
            m.str("content", &prompt);
        });
        self.w.expect.counts.queries += 1;
        if first {
            self.copied_lines();
        }
        let requests = self.rng.geometric(1, 0.8, 40);
        for r in 0..requests {
            self.response(r + 1 == requests);
        }
        if self.spec.quirks.synthetic && first {
            self.synthetic();
        }
        if self.spec.version.starts_with("2.1") && self.rng.chance(0.5) {
            let (ts, uuid, ms) = (iso(self.now), self.rng.uuid_v4(), self.rng.range(2_000, 300_000));
            self.w.line(Outcome::Skipped, |o| {
                o.str("type", "system").str("subtype", "turn_duration").int("durationMs", ms);
                o.str("sessionId", &self.spec.session_id).str("uuid", &uuid).str("timestamp", &ts);
            });
        }
    }

    /// Lines another file already holds: a resumed session's copies (same ids) or a sub-agent's
    /// replay of main-chain messages (same `message.id`, new `requestId`). All duplicates.
    fn copied_lines(&mut self) {
        let replay = self.spec.sidechain.as_ref().map(|(_, r)| r.clone()).unwrap_or_default();
        let (lines, note) = if replay.is_empty() {
            (self.spec.copies.clone(), "resumed session copying an earlier file's lines")
        } else {
            (replay, "sidechain replaying main-chain messages")
        };
        for k in &lines {
            let request_id = if self.spec.sidechain.is_some() { Some(format!("req_{}", self.rng.alnum(24))) } else { k.request_id.clone() };
            let block = Block::Text(k.text.clone());
            self.assistant_line(&k.message_id, request_id.as_deref(), &k.model, &block, &k.usage, Some("end_turn"), Outcome::Duplicate);
        }
        if !lines.is_empty() {
            self.w.note(note);
        }
    }

    /// One API response, written as one line per content block.
    fn response(&mut self, last: bool) {
        self.now += self.rng.range(1_500, 20_000);
        let first = self.spec.models.first().cloned().unwrap_or_else(|| "claude-sonnet-4-5-20250929".into());
        let model = if self.spec.models.len() < 2 || self.rng.chance(0.9) { first } else { self.rng.pick_ref(&self.spec.models).clone() };
        let mut blocks = Vec::new();
        // Real 2.0.x sessions average ≈1.6 lines (blocks) per request (docs/formats.md §2.5).
        if self.rng.chance(0.2) {
            blocks.push(Block::Thinking(text::sentence(self.rng)));
        }
        if last || self.rng.chance(0.4) {
            blocks.push(Block::Text(text::sentence(self.rng)));
        }
        let n_tools = if last { 0 } else { self.rng.geometric(1, 0.25, 3) };
        for _ in 0..n_tools {
            let name = self.rng.pick(&["Read", "Bash", "Edit", "Grep", "Glob", "WebSearch", "Task"]);
            let (arg_key, arg) = match name {
                "Bash" => ("command", text::command(self.rng)),
                "WebSearch" => ("query", text::search_query(self.rng).to_string()),
                "Task" => ("prompt", text::prompt(self.rng)),
                _ => ("file_path", text::file_path(self.rng).to_string()),
            };
            blocks.push(Block::ToolUse { id: format!("toolu_{}", self.rng.alnum(24)), name, arg_key, arg });
        }
        let usage = self.next_usage(blocks.len());
        let message_id = format!("msg_{}", self.rng.alnum(24));
        let request_id = self.spec.request_ids.then(|| format!("req_{}", self.rng.alnum(24)));
        let n = blocks.len() as i64;
        let stop = if n_tools > 0 { "tool_use" } else { "end_turn" };
        for (j, block) in blocks.iter().enumerate() {
            let is_last = j as i64 + 1 == n;
            let (snapshot, stop_reason) = match self.spec.streaming {
                Streaming::Final => (usage, Some(stop)),
                Streaming::Growing | Streaming::Partial => {
                    let u = ClaudeUsage { output: usage.output * (j as i64 + 1) / n, ..usage };
                    (u, (is_last && self.spec.streaming == Streaming::Growing).then_some(stop))
                }
            };
            // One line per (message.id, requestId) is kept: the largest (the last; any of equals).
            let outcome = if is_last { Outcome::Parsed } else { Outcome::Duplicate };
            self.assistant_line(&message_id, request_id.as_deref(), &model, block, &snapshot, stop_reason, outcome);
            self.now += self.rng.range(50, 900);
        }
        self.w.expect.counts.usage_row(&model, &usage.norm());
        // Each text block is a reply; copies written later (`copied_lines`) are not counted again.
        self.w.expect.counts.replies += blocks.iter().filter(|b| matches!(b, Block::Text(_))).count() as u64;
        if let (Some(Block::Text(t)), 1) = (blocks.last(), blocks.len()) {
            let kept = KeptLine { message_id: message_id.clone(), request_id: request_id.clone(), model, usage, text: t.clone() };
            self.kept.push(kept);
        }
        for block in &blocks {
            if let Block::ToolUse { id, .. } = block {
                self.tool_result(id);
            }
        }
    }

    /// Usage of the next request; the final output is at least 2 per block so snapshots grow strictly.
    fn next_usage(&mut self, blocks: usize) -> ClaudeUsage {
        let cache_creation = self.rng.log_range(40, 6_000);
        let usage = ClaudeUsage {
            input: self.rng.range(0, 12),
            cache_creation,
            cache_read: self.ctx,
            output: self.rng.log_range(2 * blocks as i64 + 2, 2_500),
            one_hour: self.rng.chance(0.2),
        };
        self.ctx += cache_creation + usage.output;
        if self.ctx > 180_000 {
            self.ctx = self.rng.range(15_000, 30_000);
        }
        usage
    }
}
