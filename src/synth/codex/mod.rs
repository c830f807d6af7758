//! Codex G2 rollout files (docs/formats.md §1.3–1.10) and their oracle (DESIGN.md section 2).
//!
//! A session is `session_meta`, injected context (`<environment_context>`, AGENTS.md, developer
//! messages), then turns: a `user_message` (with its `response_item` mirror), and per model request
//! a `turn_context`, often a re-emitted `token_count` (unchanged totals), reasoning, tool calls, a
//! fresh `token_count` and the tool outputs. The model may switch between turns; a full context
//! window is compacted (`compacted`, `context_compacted`, then a context-size marker). A fork child
//! starts by replaying its parent's `token_count` prefix with new timestamps.
//!
//! The oracle follows the rules as they read, line by line:
//! - `session_meta` (first), `turn_context`, `user_message` (a query), tool calls, their outputs
//!   and `exec_command_end` are parsed; reasoning, messages, task events, `compacted`, unknown
//!   line types are skipped; a line that is not JSON or has no `type` is malformed.
//! - `token_count`: `info: null` is skipped; a context-size marker (`last` 0 in every component but
//!   `total_tokens`) is skipped whatever its cumulative total does (it is not a re-emit: its `last`
//!   differs); otherwise a cumulative total equal to the previous one is a duplicate (a re-emit), and
//!   anything else is a usage row with the values of `last` (normalized total = input + output,
//!   whatever the line logged) and the model of the latest `turn_context`.
//! - A fork child's replayed rows are duplicates of its parent's (the parent is always generated
//!   in the same corpus, before the child).

mod quirks;
mod shapes;
mod tools;

use super::expect::{NormUsage, Outcome};
use super::file::{FileWriter, Style, TurnSizes, iso};
use super::rng::Rng;
use super::text;
use crate::model::Format;
use shapes::{Meta, TokenCount, TurnContext};
use tools::{Call, CallKind};

/// Which writer generation the lines look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Era {
    /// CLI 0.40 (Sept 2025).
    V040,
    /// CLI 0.10x (2026).
    V2026,
}

/// Codex `TokenUsage`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub input: i64,
    pub cached: i64,
    pub output: i64,
    pub reasoning: i64,
    pub total: i64,
    pub cache_write: i64,
}

impl Usage {
    fn add(&mut self, o: &Usage) {
        self.input += o.input;
        self.cached += o.cached;
        self.output += o.output;
        self.reasoning += o.reasoning;
        self.total += o.total;
        self.cache_write += o.cache_write;
    }

    fn is_context_marker(&self) -> bool {
        self.total != 0 && self.input == 0 && self.cached == 0 && self.output == 0 && self.reasoning == 0
    }
}

/// A `token_count` with `info`, as written (a fork child replays these).
#[derive(Debug, Clone, Copy)]
pub struct TokenEvent {
    pub total: Usage,
    pub last: Usage,
    pub window: i64,
}

/// The parent a fork child replays.
#[derive(Debug, Clone)]
pub struct ForkOf {
    pub parent_id: String,
    pub replay: Vec<TokenEvent>,
}

/// Corner cases a file can carry.
#[derive(Debug, Clone, Default)]
pub struct Quirks {
    /// Ends with a line cut off mid-JSON, no line end (a file still being written).
    pub torn_last_line: bool,
    /// Ends on a `function_call` that never got an output (an interrupted turn).
    pub unanswered_last_call: bool,
    /// Empty and whitespace-only lines, one of them before the first line.
    pub blank_lines: bool,
    /// `world_state`, `inter_agent_communication_metadata`, an invented top-level type and
    /// unknown event and item types.
    pub unknown_types: bool,
    /// A line whose start was overwritten with NUL bytes.
    pub nul_line: bool,
    /// A JSON object line without `type`.
    pub missing_type_line: bool,
    /// One `token_count` whose `last.total_tokens` is input + output + reasoning (audit A1).
    pub a1_violation: bool,
    /// Compact after the first turn even if the window is not full.
    pub force_compaction: bool,
}

/// One session file to write.
#[derive(Debug, Clone)]
pub struct CodexSpec {
    pub name: String,
    pub thread_id: String,
    pub start_ms: i64,
    pub cwd: String,
    pub era: Era,
    /// The first is the initial model; turns may switch among them.
    pub models: Vec<String>,
    pub target_bytes: usize,
    pub style: Style,
    pub fork_of: Option<ForkOf>,
    pub quirks: Quirks,
}

/// The written file and its `token_count` events (for forks of it).
pub struct CodexOutput {
    pub file: super::GeneratedFile,
    pub events: Vec<TokenEvent>,
}

pub fn write(spec: &CodexSpec, rng: &mut Rng) -> CodexOutput {
    let mut s = Session::new(spec, rng);
    s.header();
    if let Some(fork) = &spec.fork_of {
        s.replay(fork);
    }
    let mut turns = TurnSizes::default();
    loop {
        let before = s.w.len();
        s.turn(turns.count);
        turns.add(s.w.len() - before);
        if turns.count == 1 {
            s.quirk_lines();
        }
        if turns.enough(s.w.len(), spec.target_bytes) {
            break;
        }
    }
    s.ending();
    let Session { w, events, .. } = s;
    CodexOutput { file: w.finish(spec.name.clone()), events }
}

struct Session<'a> {
    spec: &'a CodexSpec,
    rng: &'a mut Rng,
    w: FileWriter,
    now: i64,
    model: String,
    turn_id: String,
    /// Oracle state: the cumulative total of the previous `token_count` with info (DESIGN.md §2).
    last_total: Option<Usage>,
    cum: Usage,
    /// Tokens in the context window now.
    ctx: i64,
    window: i64,
    events: Vec<TokenEvent>,
    prompts: Vec<String>,
    pct: (f64, f64),
    a1_pending: bool,
    max_output: usize,
}

impl<'a> Session<'a> {
    fn new(spec: &'a CodexSpec, rng: &'a mut Rng) -> Self {
        let mut w = FileWriter::new(Format::CodexRollout, spec.style);
        if spec.fork_of.is_some() {
            w.note("fork child replaying its parent's token_count prefix");
        }
        Session {
            spec,
            w,
            now: spec.start_ms,
            model: spec.models.first().cloned().unwrap_or_else(|| "gpt-5-codex".into()),
            turn_id: rng.uuid_v7(spec.start_ms),
            last_total: None,
            cum: Usage::default(),
            ctx: rng.range(6_000, 14_000),
            window: if spec.era == Era::V040 { 272_000 } else { 258_400 },
            events: Vec::new(),
            prompts: Vec::new(),
            pct: (rng.range(0, 30) as f64, rng.range(0, 20) as f64),
            a1_pending: spec.quirks.a1_violation,
            max_output: (spec.target_bytes / 40).clamp(400, 30_000),
            rng,
        }
    }

    fn ts(&self) -> String {
        iso(self.now)
    }

    fn tick(&mut self, lo: i64, hi: i64) {
        self.now += self.rng.range(lo, hi);
    }

    fn header(&mut self) {
        let (era, ts) = (self.spec.era, self.ts());
        if self.spec.quirks.blank_lines {
            self.w.blank("");
        }
        let instructions = if era == Era::V2026 { text::code_log(self.rng, 6_000, 13_000) } else { String::new() };
        let project = self.spec.cwd.rsplit('/').next().unwrap_or("repo").to_string();
        let meta = Meta {
            id: &self.spec.thread_id,
            ts: &ts,
            cwd: &self.spec.cwd,
            era,
            originator: self.rng.pick(&["codex_cli_rs", "codex_vscode", "Codex Desktop"]),
            source: self.rng.pick(&["cli", "vscode", "exec"]),
            forked_from: self.spec.fork_of.as_ref().map(|f| f.parent_id.as_str()),
            instructions: &instructions,
            commit: &self.rng.hex(40),
            branch: self.rng.pick(&["main", "fix/checkout", "feat/export"]),
            remote: &format!("git@github.com:acme/{project}.git"),
        };
        self.w.line(Outcome::Parsed, |o| shapes::session_meta(o, &meta));
        if era == Era::V2026 {
            let permissions = format!("<permissions instructions>{}</permissions instructions>", text::code(self.rng, 1500));
            self.w.line(Outcome::Skipped, |o| shapes::message(o, &ts, "developer", &permissions));
            let agents = format!("# AGENTS.md instructions for {}\n\n<INSTRUCTIONS>\n{}</INSTRUCTIONS>", self.spec.cwd, text::code(self.rng, 1200));
            self.w.line(Outcome::Skipped, |o| shapes::message(o, &ts, "user", &agents));
        }
        let env = shapes::environment_context(&self.spec.cwd, era);
        self.w.line(Outcome::Skipped, |o| shapes::message(o, &ts, "user", &env));
    }

    /// A fork child first replays the parent's usage within a second, with new timestamps.
    fn replay(&mut self, fork: &ForkOf) {
        self.turn_context();
        for ev in &fork.replay {
            self.now += 3;
            self.token_count(Some(*ev), true);
            self.cum = ev.total;
            self.ctx = ev.last.input.max(self.ctx);
        }
    }

    fn turn(&mut self, index: u32) {
        if index > 0 {
            self.tick(20_000, 900_000);
            if self.spec.models.len() > 1 && self.rng.chance(0.2) {
                self.model = self.rng.pick_ref(&self.spec.models).clone();
            }
        }
        self.turn_id = self.rng.uuid_v7(self.now);
        let (era, ts) = (self.spec.era, self.ts());
        if era == Era::V2026 {
            let (id, window) = (self.turn_id.clone(), self.window);
            self.w.line(Outcome::Skipped, |o| shapes::task_event(o, &ts, "task_started", &id, window, ""));
        }
        let prompt = text::prompt(self.rng);
        self.w.line(Outcome::Skipped, |o| shapes::message(o, &ts, "user", &prompt));
        self.w.line(Outcome::Parsed, |o| shapes::event_text(o, &ts, "user_message", "message", &prompt));
        self.w.expect.counts.queries += 1;
        self.prompts.push(prompt);
        let requests = self.rng.geometric(1, 0.78, 40);
        for r in 0..requests {
            self.request(r + 1 == requests);
        }
        if era == Era::V2026 {
            let (ts, id, last) = (self.ts(), self.turn_id.clone(), text::sentence(self.rng));
            self.w.line(Outcome::Skipped, |o| shapes::task_event(o, &ts, "task_complete", &id, 0, &last));
        } else if self.rng.chance(0.05) {
            let ts = self.ts();
            self.w.line(Outcome::Skipped, |o| shapes::bare_event(o, &ts, "turn_aborted"));
        }
        let full = self.ctx > self.window * 85 / 100;
        if full || (index == 0 && self.spec.quirks.force_compaction) {
            self.compact();
        }
    }

    fn turn_context(&mut self) {
        let (ts, id, model) = (self.ts(), self.turn_id.clone(), self.model.clone());
        let effort = self.rng.pick(&["medium", "high", "high", "low"]);
        let dev = if self.spec.era == Era::V2026 { text::code(self.rng, 700) } else { String::new() };
        let t = TurnContext { ts: &ts, era: self.spec.era, turn_id: &id, cwd: &self.spec.cwd, model: &model, effort, developer_instructions: &dev };
        self.w.line(Outcome::Parsed, |o| shapes::turn_context(o, &t));
    }

    /// One model request: routing, maybe a re-emit, reasoning, calls, fresh usage, outputs.
    fn request(&mut self, last_of_turn: bool) {
        self.turn_context();
        let reemit_p = if self.spec.era == Era::V2026 { 0.8 } else { 0.45 };
        match self.events.last().copied() {
            Some(prev) if self.rng.chance(reemit_p) => self.token_count(Some(prev), false),
            None if self.spec.era == Era::V2026 => self.token_count(None, false),
            _ => {}
        }
        self.tick(800, 9_000);
        if self.rng.chance(0.85) {
            let (ts, summary) = (self.ts(), text::sentence(self.rng));
            let blob = { let n = self.rng.range(600, 3_000) as usize; text::blob(self.rng, n) };
            self.w.line(Outcome::Skipped, |o| shapes::event_text(o, &ts, "agent_reasoning", "text", &summary));
            self.w.line(Outcome::Skipped, |o| shapes::reasoning(o, &ts, &summary, &blob));
        }
        if last_of_turn || self.rng.chance(0.4) {
            let (ts, msg) = (self.ts(), text::sentence(self.rng));
            self.w.line(Outcome::Skipped, |o| shapes::event_text(o, &ts, "agent_message", "message", &msg));
            self.w.line(Outcome::Skipped, |o| shapes::message(o, &ts, "assistant", &msg));
            self.w.expect.counts.replies += 1;
        }
        let n_calls = if last_of_turn { 0 } else { self.rng.geometric(1, 0.3, 4) };
        let calls: Vec<Call> = (0..n_calls).map(|_| Call::new(self.rng, self.spec.era, self.max_output)).collect();
        let ts = self.ts();
        for c in &calls {
            self.w.line(Outcome::Parsed, |o| tools::call_line(o, &ts, c, &self.spec.cwd));
            self.w.expect.counts.tool_calls += 1;
        }
        let tool_tokens: i64 = calls.iter().map(|c| c.output.len() as i64 / 4).sum();
        let ev = self.next_usage(tool_tokens);
        self.tick(10, 400);
        self.token_count(Some(ev), false);
        for c in calls.iter().filter(|c| c.has_output()) {
            self.now += c.duration_ms.min(5_000);
            let ts = self.ts();
            if c.kind == CallKind::Exec && self.rng.chance(0.6) {
                let id = self.turn_id.clone();
                self.w.line(Outcome::Parsed, |o| tools::exec_end_line(o, &ts, c, &id, &self.spec.cwd));
            }
            let rng = &mut *self.rng;
            self.w.line(Outcome::Parsed, |o| tools::output_line(o, &ts, c, rng));
        }
    }

    /// The next request's usage: the context grows by the new prompt, tool output and answer.
    fn next_usage(&mut self, tool_tokens: i64) -> TokenEvent {
        let fresh = self.rng.log_range(150, 5_000) + tool_tokens.min(60_000);
        self.ctx += fresh;
        let input = self.ctx;
        let cached = if self.events.is_empty() { 0 } else { (input - fresh - self.rng.range(0, 1_500)).max(0) / 256 * 256 };
        let output = self.rng.log_range(12, 3_500);
        let reasoning = if self.rng.chance(0.6) { self.rng.range(0, output * 4 / 5) } else { 0 };
        let mut last = Usage { input, cached, output, reasoning, total: input + output, cache_write: 0 };
        if self.a1_pending && !self.events.is_empty() {
            // The classic mistake (ccusage's own fixtures): reasoning added to the total again.
            last.total += reasoning.max(1);
            self.a1_pending = false;
            self.w.note("one token_count with total_tokens != input + output");
        }
        self.ctx += output;
        let mut total = self.cum;
        total.add(&last);
        TokenEvent { total, last, window: self.window }
    }

    /// Write a `token_count` and decide its bucket by the rules (see the module doc).
    fn token_count(&mut self, info: Option<TokenEvent>, replayed: bool) {
        let outcome = match &info {
            None => Outcome::Skipped,
            Some(ev) if ev.last.is_context_marker() => {
                self.last_total = Some(ev.total);
                Outcome::Skipped
            }
            Some(ev) if self.last_total == Some(ev.total) => Outcome::Duplicate,
            Some(ev) => {
                self.last_total = Some(ev.total);
                if replayed {
                    Outcome::Duplicate
                } else {
                    let l = ev.last;
                    let norm = NormUsage {
                        input_tokens: l.input,
                        cached_input_tokens: l.cached,
                        cache_creation_input_tokens: l.cache_write,
                        output_tokens: l.output,
                        reasoning_output_tokens: l.reasoning,
                    };
                    self.w.expect.counts.usage_row(&self.model, &norm);
                    Outcome::Parsed
                }
            }
        };
        if let Some(ev) = info {
            self.cum = ev.total;
            if !replayed {
                self.events.push(ev);
            }
        }
        self.pct.0 = (self.pct.0 + self.rng.range(0, 1) as f64).min(100.0);
        let ts = self.ts();
        let t = TokenCount {
            ts: &ts,
            era: self.spec.era,
            info: info.map(|e| (e.total, e.last, e.window)),
            primary_pct: self.pct.0,
            secondary_pct: self.pct.1,
            resets_at: self.now / 1000 + 9_000,
        };
        self.w.line(outcome, |o| shapes::token_count(o, &t));
    }

    /// The window is full: Codex compacts, then logs a context-size estimate with totals unchanged.
    fn compact(&mut self) {
        self.tick(1_000, 20_000);
        let (ts, summary) = (self.ts(), text::code(self.rng, 1_500));
        let prompts: Vec<String> = self.prompts.iter().rev().take(4).cloned().collect();
        self.w.line(Outcome::Skipped, |o| shapes::compacted(o, &ts, &summary, &prompts));
        self.w.line(Outcome::Skipped, |o| shapes::bare_event(o, &ts, "context_compacted"));
        self.turn_context();
        self.ctx = self.rng.range(12_000, 40_000);
        if self.events.is_empty() {
            return;
        }
        let marker = Usage { total: self.rng.range(200_000, 950_000), ..Usage::default() };
        self.token_count(Some(TokenEvent { total: self.cum, last: marker, window: self.window }), false);
        self.w.note("compaction with a context-size marker");
    }
}
