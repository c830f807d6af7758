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

use super::expect::{NormUsage, Outcome};
use super::file::{FileWriter, Style, TurnSizes, iso};
use super::json::Obj;
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
    /// The fields every user/assistant/system line carries, in Claude Code's order.
    fn common(&mut self, o: &mut Obj) -> String {
        let uuid = self.rng.uuid_v4();
        o.opt_str("parentUuid", self.parent.as_deref());
        o.bool("isSidechain", self.spec.sidechain.is_some()).str("userType", "external").str("cwd", &self.spec.cwd);
        o.str("sessionId", &self.spec.session_id).str("version", self.spec.version).str("gitBranch", "main");
        if let Some((agent, _)) = &self.spec.sidechain {
            o.str("agentId", agent);
        }
        uuid
    }

    fn user_line(&mut self, outcome: Outcome, meta: bool, content: impl FnOnce(&mut Obj)) {
        let ts = iso(self.now);
        let mut uuid = String::new();
        let mut bytes = Vec::new();
        super::json::object(&mut bytes, self.spec.style.spaced, |o| {
            uuid = self.common(o);
            o.str("type", "user").obj("message", |m| {
                m.str("role", "user");
                content(m);
            });
            if meta {
                o.bool("isMeta", true);
            }
            o.str("uuid", &uuid).str("timestamp", &ts);
        });
        self.w.raw_line(&bytes, outcome);
        self.parent = Some(uuid);
    }

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

    /// `/clear`: the caveat, the command and its (empty) output; none of them is a query.
    fn command_lines(&mut self) {
        let caveat = "Caveat: The messages below were generated by the user while running local commands.";
        self.user_line(Outcome::Skipped, true, |m| {
            m.str("content", caveat);
        });
        self.user_line(Outcome::Skipped, false, |m| {
            m.str("content", "<command-name>/clear</command-name>\n<command-message>clear</command-message>\n<command-args></command-args>");
        });
        self.user_line(Outcome::Skipped, false, |m| {
            m.str("content", "<local-command-stdout></local-command-stdout>");
        });
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
        if self.rng.chance(0.35) {
            blocks.push(Block::Thinking(text::sentence(self.rng)));
        }
        if last || self.rng.chance(0.6) {
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

    #[allow(clippy::too_many_arguments)]
    fn assistant_line(&mut self, message_id: &str, request_id: Option<&str>, model: &str, block: &Block, u: &ClaudeUsage, stop: Option<&str>, outcome: Outcome) {
        let ts = iso(self.now);
        let mut bytes = Vec::new();
        let mut uuid = String::new();
        super::json::object(&mut bytes, self.spec.style.spaced, |o| {
            uuid = self.common(o);
            o.obj("message", |m| {
                m.str("model", model).str("id", message_id).str("type", "message").str("role", "assistant");
                m.arr("content", |a| {
                    a.obj(|b| write_block(b, block));
                });
                m.opt_str("stop_reason", stop).null("stop_sequence");
                m.obj("usage", |x| write_usage(x, u));
            });
            if let Some(r) = request_id {
                o.str("requestId", r);
            }
            o.str("type", "assistant").str("uuid", &uuid).str("timestamp", &ts);
        });
        self.w.raw_line(&bytes, outcome);
        self.parent = Some(uuid);
        if matches!(block, Block::ToolUse { .. }) {
            self.w.expect.counts.tool_calls += 1;
        }
    }

    fn tool_result(&mut self, tool_use_id: &str) {
        self.now += self.rng.range(30, 8_000);
        let is_error = self.rng.chance(0.06);
        let content = text::code_log(self.rng, 30, 6_000);
        let duration = self.rng.range(5, 4_000);
        let ts = iso(self.now);
        let mut bytes = Vec::new();
        let mut uuid = String::new();
        super::json::object(&mut bytes, self.spec.style.spaced, |o| {
            uuid = self.common(o);
            o.str("type", "user").obj("message", |m| {
                m.str("role", "user").arr("content", |a| {
                    a.obj(|r| {
                        r.str("tool_use_id", tool_use_id).str("type", "tool_result").str("content", &content);
                        if is_error {
                            r.bool("is_error", true);
                        }
                    });
                });
            });
            o.str("uuid", &uuid).str("timestamp", &ts);
            o.obj("toolUseResult", |t| {
                t.int("durationMs", duration).bool("truncated", false);
            });
        });
        self.w.raw_line(&bytes, Outcome::Parsed);
        self.parent = Some(uuid);
    }

    /// A locally generated API error: `model: "<synthetic>"`, not usage.
    fn synthetic(&mut self) {
        let id = self.rng.uuid_v4();
        let block = Block::Text("API Error: 529 {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}".into());
        self.assistant_line(&id, None, "<synthetic>", &block, &ClaudeUsage::default(), Some("stop_sequence"), Outcome::Skipped);
        self.w.note("a <synthetic> message");
    }

    fn torn(&mut self) {
        let keep = self.rng.range(30, 150) as usize;
        let (ts, sid) = (iso(self.now), self.spec.session_id.clone());
        self.w.torn_line(keep, |o| {
            o.null("parentUuid").bool("isSidechain", false).str("sessionId", &sid).str("type", "assistant");
            o.str("timestamp", &ts);
        });
        self.w.note("torn last line");
    }
}

fn write_block(b: &mut Obj, block: &Block) {
    match block {
        Block::Thinking(t) => {
            b.str("type", "thinking").str("thinking", t).str("signature", "EqQBCkYIBxgCKkB");
        }
        Block::Text(t) => {
            b.str("type", "text").str("text", t);
        }
        Block::ToolUse { id, name, arg_key, arg } => {
            b.str("type", "tool_use").str("id", id).str("name", name);
            b.obj("input", |i| {
                i.str(arg_key, arg);
            });
        }
    }
}

fn write_usage(x: &mut Obj, u: &ClaudeUsage) {
    x.int("input_tokens", u.input).int("cache_creation_input_tokens", u.cache_creation);
    x.int("cache_read_input_tokens", u.cache_read);
    let (five, hour) = if u.one_hour { (0, u.cache_creation) } else { (u.cache_creation, 0) };
    x.obj("cache_creation", |c| {
        c.int("ephemeral_5m_input_tokens", five).int("ephemeral_1h_input_tokens", hour);
    });
    x.int("output_tokens", u.output).str("service_tier", "standard");
}
