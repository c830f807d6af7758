//! GitHub Copilot (docs/formats-copilot.md): a Copilot CLI `session-state/<id>/events.jsonl` and
//! a VS Code Copilot Chat `chatSessions/<id>.json`, with the shapes of the real samples in
//! tests/fixtures/copilot (shapes only).
//!
//! Oracle, from what is written: CLI `session.start`, `session.model_change`, `user.message`,
//! an `assistant.message` with tool requests, each `tool.execution_start`/`_complete` and the
//! `session.shutdown` are parsed; turn markers, hooks and replies without tool requests are
//! skipped (their text still counted as a reply: a reply never decides a bucket). The
//! shutdown's `modelMetrics` hold, per model, the sums of the exchanges that model
//! served (input already holding cache reads and writes) and are the usage rows. Every line of
//! the VS Code document is parsed; each request is a query, each `toolInvocationSerialized` part a
//! tool call; it logs no tokens (as the real samples), so no usage row.

use super::expect::{NormUsage, Outcome};
use super::file::{FileWriter, Style, iso};
use super::json::{self, Obj};
use super::rng::Rng;
use super::text;
use super::GeneratedFile;
use crate::model::Format;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct CopilotSpec {
    pub name: String,
    pub session_id: String,
    pub start_ms: i64,
    pub cwd: String,
    /// The models in turn; a switch between exchanges is a `session.model_change`.
    pub models: Vec<String>,
    pub target_bytes: usize,
}

/// A Copilot CLI event log.
pub fn write_cli(spec: &CopilotSpec, rng: &mut Rng) -> GeneratedFile {
    let mut w = FileWriter::new(Format::CopilotCli, Style::default());
    let mut now = spec.start_ms;
    let mut n = 0u32;
    let mut parent = String::from("null");
    let mut event = |w: &mut FileWriter, outcome: Outcome, kind: &str, ts: i64, rng: &mut Rng, data: &mut dyn FnMut(&mut Obj)| {
        n += 1;
        let id = format!("{}-{n}", rng.uuid_v4());
        w.line(outcome, |o| {
            o.str("type", kind).obj("data", |d| data(d)).str("id", &id).str("timestamp", &iso(ts));
            if parent == "null" { o.null("parentId") } else { o.str("parentId", &parent) };
        });
        parent = id;
    };
    let model = spec.models.first().cloned().unwrap_or_else(|| "gpt-5.4".into());
    event(&mut w, Outcome::Parsed, "session.start", now, rng, &mut |d| {
        d.str("sessionId", &spec.session_id).int("version", 1).str("producer", "copilot-agent");
        d.str("copilotVersion", "1.0.55-1").str("startTime", &iso(spec.start_ms)).str("selectedModel", &model);
        d.obj("context", |c| {
            c.str("cwd", &spec.cwd);
        });
    });
    let mut sums: BTreeMap<String, NormUsage> = BTreeMap::new();
    let (mut turn, mut current) = (0usize, model);
    while w.len() < spec.target_bytes || turn == 0 {
        let next = spec.models[turn % spec.models.len()].clone();
        if next != current {
            now += 2_000;
            event(&mut w, Outcome::Parsed, "session.model_change", now, rng, &mut |d| {
                d.str("newModel", &next).str("previousModel", &current);
            });
            current = next;
        }
        now += rng.range(20_000, 300_000);
        let prompt = text::prompt(rng);
        event(&mut w, Outcome::Parsed, "user.message", now, rng, &mut |d| {
            d.str("content", &prompt).arr("attachments", |_| {});
        });
        w.expect.counts.queries += 1;
        let calls = rng.geometric(0, 0.5, 4);
        for step in 0..=calls {
            let tool = step < calls;
            now += rng.range(500, 5_000);
            event(&mut w, Outcome::Skipped, "assistant.turn_start", now, rng, &mut |d| {
                d.str("turnId", &step.to_string());
            });
            let u = exchange_tokens(rng);
            let total = sums.entry(current.clone()).or_default();
            total.input_tokens += u.input_tokens;
            total.cached_input_tokens += u.cached_input_tokens;
            total.cache_creation_input_tokens += u.cache_creation_input_tokens;
            total.output_tokens += u.output_tokens;
            let (call_id, command, reply) = (format!("toolu_{}", rng.alnum(24)), text::command(rng), text::sentence(rng));
            now += rng.range(1_000, 20_000);
            let model = current.clone();
            event(&mut w, if tool { Outcome::Parsed } else { Outcome::Skipped }, "assistant.message", now, rng, &mut |d| {
                d.str("messageId", &call_id).str("model", &model).str("content", if tool { "" } else { &reply });
                d.arr("toolRequests", |a| {
                    if tool {
                        a.obj(|r| {
                            r.str("toolCallId", &call_id).str("name", "bash").obj("arguments", |x| {
                                x.str("command", &command);
                            });
                            r.str("type", "function");
                        });
                    }
                });
                d.int("outputTokens", u.output_tokens);
            });
            // A message without tool requests carries the reply's text (kept as a preview).
            w.expect.counts.replies += u64::from(!tool && !reply.trim().is_empty());
            if tool {
                w.expect.counts.tool_calls += 1;
                let (ok, out) = (!rng.chance(0.1), text::code_log(rng, 20, 1_500));
                event(&mut w, Outcome::Parsed, "tool.execution_start", now + 2, rng, &mut |d| {
                    d.str("toolCallId", &call_id).str("toolName", "bash");
                });
                if rng.chance(0.3) {
                    event(&mut w, Outcome::Skipped, "hook.start", now + 3, rng, &mut |d| {
                        d.str("hookType", "postToolUse");
                    });
                }
                now += rng.range(10, 60_000);
                event(&mut w, Outcome::Parsed, "tool.execution_complete", now, rng, &mut |d| {
                    d.str("toolCallId", &call_id).str("model", &model).bool("success", ok).obj("result", |r| {
                        r.str("content", &out);
                    });
                });
            }
            event(&mut w, Outcome::Skipped, "assistant.turn_end", now + 1, rng, &mut |d| {
                d.str("turnId", &step.to_string());
            });
        }
        turn += 1;
    }
    now += 1_000;
    event(&mut w, Outcome::Parsed, "session.shutdown", now, rng, &mut |d| {
        d.str("shutdownType", "routine").obj("modelMetrics", |m| {
            for (model, u) in &sums {
                m.obj(model, |x| {
                    x.obj("usage", |k| {
                        k.int("inputTokens", u.input_tokens).int("outputTokens", u.output_tokens);
                        k.int("cacheReadTokens", u.cached_input_tokens).int("cacheWriteTokens", u.cache_creation_input_tokens);
                        k.int("reasoningTokens", 0);
                    });
                });
            }
        });
    });
    for (model, u) in &sums {
        w.expect.counts.usage_row(model, u);
    }
    w.finish(spec.name.clone())
}

/// One model call's tokens: input holds the cache reads and writes, as Copilot logs them.
fn exchange_tokens(rng: &mut Rng) -> NormUsage {
    let uncached = rng.log_range(5, 3_000);
    let (read, write) = (rng.log_range(1_000, 60_000), rng.log_range(10, 8_000));
    NormUsage {
        input_tokens: uncached + read + write,
        cached_input_tokens: read,
        cache_creation_input_tokens: write,
        output_tokens: rng.log_range(10, 1_500),
        reasoning_output_tokens: 0,
    }
}

/// A VS Code Copilot Chat session document, one request per line; every line is parsed.
pub fn write_vscode(spec: &CopilotSpec, rng: &mut Rng) -> GeneratedFile {
    let mut w = FileWriter::new(Format::VscodeCopilot, Style::default());
    let mut requests = Vec::new();
    let mut now = spec.start_ms;
    while requests.iter().map(|r: &Vec<u8>| r.len()).sum::<usize>() < spec.target_bytes || requests.is_empty() {
        now += rng.range(30_000, 600_000);
        let model = spec.models[requests.len() % spec.models.len()].clone();
        let (prompt, reply, tools) = (text::prompt(rng), text::sentence(rng), rng.geometric(0, 0.5, 3));
        let parts: Vec<(String, &str, bool)> = (0..tools).map(|_| (rng.uuid_v4(), "copilot_readFile", rng.chance(0.1))).collect();
        w.expect.counts.queries += 1;
        w.expect.counts.tool_calls += tools as u64;
        let mut line = Vec::new();
        json::object(&mut line, false, |o| {
            o.str("requestId", &format!("request_{}", rng.uuid_v4())).obj("message", |m| {
                m.str("text", &prompt);
            });
            o.int("timestamp", now).str("modelId", &format!("copilot/{model}"));
            o.arr("response", |a| {
                for (id, tool, failed) in &parts {
                    a.obj(|p| {
                        p.str("kind", "toolInvocationSerialized").str("toolId", tool).str("toolCallId", id);
                        p.obj("isConfirmed", |c| {
                            c.int("type", 1);
                        });
                        p.bool("isComplete", true).obj("resultDetails", |r| {
                            r.bool("isError", *failed);
                        });
                    });
                }
                a.obj(|p| {
                    p.str("value", &reply);
                });
            });
        });
        requests.push(line);
    }
    let head = [
        "{".to_string(),
        "  \"version\": 3,".to_string(),
        format!("  \"sessionId\": \"{}\",", spec.session_id),
        format!("  \"creationDate\": {},", spec.start_ms),
        format!("  \"lastMessageDate\": {now},"),
        "  \"initialLocation\": \"panel\",".to_string(),
        "  \"requests\": [".to_string(),
    ];
    for l in &head {
        w.raw_line(l.as_bytes(), Outcome::Parsed);
    }
    let last = requests.len() - 1;
    for (i, mut r) in requests.into_iter().enumerate() {
        r.splice(0..0, *b"    ");
        if i < last {
            r.push(b',');
        }
        w.raw_line(&r, Outcome::Parsed);
    }
    w.raw_line(b"  ]", Outcome::Parsed);
    w.raw_line(b"}", Outcome::Parsed);
    w.finish(spec.name.clone())
}
