//! Gemini CLI chats (docs/formats.md §3): the ≈v0.40 JSONL file (a header line, message lines,
//! `{"$set": {"lastUpdated": …}}` patch lines) and the older single JSON document
//! `{sessionId, projectHash, startTime, lastUpdated, messages[]}` (pretty-printed, one message per
//! line here).
//!
//! Oracle: every JSONL line is parsed (the header makes the session, a `user` message is a query,
//! a `gemini` message is a usage row with its `toolCalls`, a `$set` moves `lastUpdated`, so the
//! session's end, past every line before it) except `info` messages, which are skipped. A JSON document that parses counts
//! every line as parsed (the engine's rule for documents). Usage is normalized: Gemini's `thoughts`
//! are not inside `output`, so output = output + thoughts and reasoning = thoughts; `cached` is
//! inside `input`; `tool` (tool-use prompt tokens, inside Gemini's `total` beside `input`) is
//! prompt, so input = input + tool; total = input + output = Gemini's `total`.

use super::expect::{NormUsage, Outcome};
use super::file::{FileWriter, Style, iso};
use super::json::{self, Obj};
use super::rng::Rng;
use super::text;
use super::GeneratedFile;
use crate::model::Format;

#[derive(Debug, Clone)]
pub struct GeminiSpec {
    pub name: String,
    pub session_id: String,
    pub project_hash: String,
    pub start_ms: i64,
    pub model: String,
    pub target_bytes: usize,
    /// The older single-document `.json` chat instead of JSONL.
    pub document: bool,
}

/// `tokens` of a `gemini` message.
#[derive(Debug, Clone, Copy)]
struct Tokens {
    input: i64,
    output: i64,
    cached: i64,
    thoughts: i64,
    tool: i64,
}

/// One chat message, already rendered as a JSON object, with its outcome and what it counts.
struct Message {
    json: Vec<u8>,
    outcome: Outcome,
}

pub fn write(spec: &GeminiSpec, rng: &mut Rng) -> GeneratedFile {
    let format = if spec.document { Format::GeminiJson } else { Format::GeminiJsonl };
    let mut w = FileWriter::new(format, Style::default());
    let mut chat = Chat { spec, rng, now: spec.start_ms, ctx: 0, n: 0, messages: Vec::new() };
    chat.ctx = chat.rng.range(8_000, 14_000);
    let mut size = 0;
    while size < spec.target_bytes || chat.messages.is_empty() {
        chat.exchange(&mut w);
        size = chat.messages.iter().map(|m| m.json.len() + 1).sum();
    }
    let last = iso(chat.now);
    if spec.document {
        write_document(&mut w, spec, &last, &chat.messages);
    } else {
        w.line(Outcome::Parsed, |o| header(o, spec));
        for m in &chat.messages {
            w.raw_line(&m.json, m.outcome);
        }
    }
    w.finish(spec.name.clone())
}

/// The JSONL header is written when the chat starts: `lastUpdated` is the start time, later moved
/// on by `$set` patches (as in the real v0.40 sample).
fn header(o: &mut Obj, spec: &GeminiSpec) {
    let start = iso(spec.start_ms);
    o.str("sessionId", &spec.session_id).str("projectHash", &spec.project_hash);
    o.str("startTime", &start).str("lastUpdated", &start).str("kind", "main");
}

/// The document, one message per line; every line of a document that parses is parsed.
fn write_document(w: &mut FileWriter, spec: &GeminiSpec, last: &str, messages: &[Message]) {
    let field = |k: &str, v: &str| format!("  \"{k}\": {},", serde_json::to_string(v).unwrap_or_default());
    let lines = [
        "{".to_string(),
        "  \"kind\": \"chat\",".to_string(),
        field("sessionId", &spec.session_id),
        field("projectHash", &spec.project_hash),
        field("startTime", &iso(spec.start_ms)),
        field("lastUpdated", last),
        "  \"messages\": [".to_string(),
    ];
    for l in &lines {
        w.raw_line(l.as_bytes(), Outcome::Parsed);
    }
    let kept: Vec<&Message> = messages.iter().filter(|m| !m.json.starts_with(b"{\"$set\"")).collect();
    for (i, m) in kept.iter().enumerate() {
        let mut line = b"    ".to_vec();
        line.extend_from_slice(&m.json);
        if i + 1 < kept.len() {
            line.push(b',');
        }
        w.raw_line(&line, Outcome::Parsed);
    }
    w.raw_line(b"  ]", Outcome::Parsed);
    w.raw_line(b"}", Outcome::Parsed);
}

struct Chat<'a> {
    spec: &'a GeminiSpec,
    rng: &'a mut Rng,
    now: i64,
    ctx: i64,
    n: u32,
    messages: Vec<Message>,
}

impl Chat<'_> {
    fn id(&mut self) -> String {
        self.n += 1;
        format!("{}-{}", self.rng.hex(8), self.n)
    }

    fn push(&mut self, outcome: Outcome, body: impl FnOnce(&mut Obj)) {
        let mut bytes = Vec::new();
        json::object(&mut bytes, self.spec.document, body);
        self.messages.push(Message { json: bytes, outcome });
    }

    fn exchange(&mut self, w: &mut FileWriter) {
        self.now += self.rng.range(10_000, 600_000);
        let (id, ts, prompt) = (self.id(), iso(self.now), text::prompt(self.rng));
        self.push(Outcome::Parsed, |o| {
            o.str("id", &id).str("timestamp", &ts).str("type", "user").arr("content", |a| {
                a.obj(|t| {
                    t.str("text", &prompt);
                });
            });
        });
        w.expect.counts.queries += 1;
        if !self.spec.document {
            let ts = iso(self.now + 1);
            self.push(Outcome::Parsed, |o| {
                o.obj("$set", |s| {
                    s.str("lastUpdated", &ts);
                });
            });
        }
        let replies = self.rng.geometric(1, 0.5, 6);
        for r in 0..replies {
            self.reply(w, r + 1 == replies);
        }
        if self.rng.chance(0.1) {
            let (id, ts) = (self.id(), iso(self.now));
            self.push(Outcome::Skipped, |o| {
                o.str("id", &id).str("timestamp", &ts).str("type", "info").str("content", "Request cancelled.");
            });
        }
    }

    fn reply(&mut self, w: &mut FileWriter, last: bool) {
        self.now += self.rng.range(1_000, 30_000);
        let fresh = self.rng.log_range(100, 4_000);
        self.ctx += fresh;
        let t = Tokens {
            input: self.ctx,
            output: self.rng.log_range(5, 2_000),
            cached: (self.ctx - fresh - self.rng.range(0, 500)).max(0),
            thoughts: if self.rng.chance(0.7) { self.rng.log_range(20, 1_500) } else { 0 },
            tool: if self.rng.chance(0.3) { self.rng.log_range(10, 900) } else { 0 },
        };
        self.ctx += t.output;
        let calls = if last { 0 } else { self.rng.geometric(1, 0.3, 3) };
        let (id, ts, content) = (self.id(), iso(self.now), if last { text::sentence(self.rng) } else { String::new() });
        let outputs: Vec<(String, String, bool)> = (0..calls)
            .map(|_| (format!("run_shell_command_{}", self.rng.hex(8)), text::code_log(self.rng, 20, 3_000), self.rng.chance(0.07)))
            .collect();
        let model = self.spec.model.clone();
        self.push(Outcome::Parsed, |o| {
            o.str("id", &id).str("timestamp", &ts).str("type", "gemini").str("content", &content).arr("thoughts", |_| {});
            o.obj("tokens", |k| {
                k.int("input", t.input).int("output", t.output).int("cached", t.cached).int("thoughts", t.thoughts);
                k.int("tool", t.tool).int("total", t.input + t.output + t.thoughts + t.tool);
            });
            o.str("model", &model);
            if !outputs.is_empty() {
                o.arr("toolCalls", |a| {
                    for (call_id, out, failed) in &outputs {
                        a.obj(|c| tool_call(c, call_id, out, *failed, &ts));
                    }
                });
            }
        });
        let norm = NormUsage {
            input_tokens: t.input + t.tool,
            cached_input_tokens: t.cached,
            cache_creation_input_tokens: 0,
            output_tokens: t.output + t.thoughts,
            reasoning_output_tokens: t.thoughts,
        };
        w.expect.counts.usage_row(&self.spec.model, &norm);
        w.expect.counts.tool_calls += calls as u64;
        // Only the last message of an exchange has text (the others call tools and say "").
        w.expect.counts.replies += u64::from(!content.is_empty());
    }
}

fn tool_call(c: &mut Obj, id: &str, output: &str, failed: bool, ts: &str) {
    c.str("id", id).str("name", "run_shell_command").obj("args", |a| {
        a.str("command", "ls -F").str("description", "List files.");
    });
    c.arr("result", |r| {
        r.obj(|x| {
            x.obj("functionResponse", |f| {
                f.str("id", id).str("name", "run_shell_command").obj("response", |resp| {
                    resp.str("output", output);
                });
            });
        });
    });
    c.str("status", if failed { "error" } else { "success" }).str("timestamp", ts);
    c.str("displayName", "Shell").bool("renderOutputAsMarkdown", false);
}
