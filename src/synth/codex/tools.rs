//! Codex tool calls and their outputs (docs/formats.md §1.6, §1.10): `function_call` (`shell` in
//! 0.40, `exec_command` in 2026, MCP `mcp__server__tool`, `update_plan`), `custom_tool_call`
//! (`apply_patch`), `local_shell_call` and `web_search_call` (no `call_id`, no output). Every call
//! but web search gets an output with the same `call_id`; 2026 `exec_command` calls may also get an
//! `exec_command_end` event with `duration{secs,nanos}`.

use super::super::json::{Obj, object_string};
use super::super::rng::Rng;
use super::super::text;
use super::Era;
use super::shapes::envelope;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    Shell,
    Exec,
    ApplyPatch,
    LocalShell,
    WebSearch,
    Mcp,
    UpdatePlan,
}

/// One tool call as written, with what its output will say.
pub struct Call {
    pub kind: CallKind,
    pub call_id: Option<String>,
    pub command: String,
    pub exit_code: i64,
    pub duration_ms: i64,
    pub output: String,
}

impl Call {
    pub fn new(rng: &mut Rng, era: Era, max_output: usize) -> Call {
        let kind = pick_kind(rng, era);
        let call_id = (kind != CallKind::WebSearch).then(|| format!("call_{}", rng.alnum(24)));
        let exit_code = if rng.chance(0.08) { rng.pick(&[1, 2, 127]) } else { 0 };
        let out_len = rng.log_range(40, max_output.max(60) as i64) as usize;
        Call {
            kind,
            call_id,
            command: text::command(rng),
            exit_code,
            duration_ms: rng.log_range(15, 40_000),
            output: text::code(rng, out_len),
        }
    }

    pub fn has_output(&self) -> bool {
        self.kind != CallKind::WebSearch
    }
}

fn pick_kind(rng: &mut Rng, era: Era) -> CallKind {
    let x = rng.f64();
    match era {
        Era::V040 => match x {
            x if x < 0.62 => CallKind::Shell,
            x if x < 0.74 => CallKind::UpdatePlan,
            x if x < 0.84 => CallKind::LocalShell,
            x if x < 0.92 => CallKind::Mcp,
            _ => CallKind::WebSearch,
        },
        Era::V2026 => match x {
            x if x < 0.6 => CallKind::Exec,
            x if x < 0.8 => CallKind::ApplyPatch,
            x if x < 0.9 => CallKind::Mcp,
            x if x < 0.95 => CallKind::WebSearch,
            _ => CallKind::LocalShell,
        },
    }
}

/// The `response_item` that makes the call.
pub fn call_line(o: &mut Obj, ts: &str, c: &Call, cwd: &str) {
    let id = c.call_id.as_deref().unwrap_or_default();
    envelope(o, ts, "response_item", |p| match c.kind {
        CallKind::Shell => {
            let args = object_string(|a| {
                a.strs("command", &["bash", "-lc", &c.command]).str("workdir", cwd);
            });
            p.str("type", "function_call").str("name", "shell").str("arguments", &args).str("call_id", id);
        }
        CallKind::Exec => {
            let args = object_string(|a| {
                a.str("cmd", &c.command).str("workdir", cwd).int("yield_time_ms", 10_000);
            });
            p.str("type", "function_call").str("name", "exec_command").str("arguments", &args).str("call_id", id);
        }
        CallKind::Mcp => {
            let args = object_string(|a| {
                a.str("owner", "acme").str("repo", "shop").int("issue_number", c.duration_ms % 900);
            });
            p.str("type", "function_call").str("name", "mcp__github__get_issue").str("arguments", &args);
            p.str("call_id", id);
        }
        CallKind::UpdatePlan => {
            let args = object_string(|a| {
                a.arr("plan", |steps| {
                    for (step, status) in [("Read the code", "completed"), ("Make the change", "in_progress")] {
                        steps.obj(|s| {
                            s.str("step", step).str("status", status);
                        });
                    }
                });
            });
            p.str("type", "function_call").str("name", "update_plan").str("arguments", &args).str("call_id", id);
        }
        CallKind::ApplyPatch => {
            let patch = format!(
                "*** Begin Patch\n*** Update File: {}\n@@\n-{}\n+{}\n*** End Patch",
                c.command,
                c.output.lines().next().unwrap_or(""),
                c.output.lines().nth(1).unwrap_or("")
            );
            p.str("type", "custom_tool_call").str("status", "completed").str("call_id", id);
            p.str("name", "apply_patch").str("input", &patch);
        }
        CallKind::LocalShell => {
            p.str("type", "local_shell_call").str("call_id", id).str("status", "completed");
            p.obj("action", |a| {
                a.str("type", "exec").strs("command", &["bash", "-lc", &c.command]);
                a.int("timeout_ms", 10_000).str("working_directory", cwd);
            });
        }
        CallKind::WebSearch => {
            p.str("type", "web_search_call").str("status", "completed");
            p.obj("action", |a| {
                a.str("type", "search").str("query", &c.command).strs("queries", &[&c.command]);
            });
        }
    });
}

/// The 0.4x shell output: a JSON *string* holding `{output, metadata{exit_code, duration_seconds}}`.
fn shell_output(c: &Call) -> String {
    object_string(|o| {
        o.str("output", &c.output).obj("metadata", |m| {
            m.int("exit_code", c.exit_code).float("duration_seconds", c.duration_ms as f64 / 1000.0);
        });
    })
}

/// The 2026 `exec_command` output text with its header.
fn exec_output(rng: &mut Rng, c: &Call) -> String {
    format!(
        "Chunk ID: {}\nWall time: {:.4} seconds\nProcess exited with code {}\nOriginal token count: {}\nOutput:\n{}",
        rng.hex(6),
        c.duration_ms as f64 / 1000.0,
        c.exit_code,
        c.output.len() / 4,
        c.output
    )
}

/// The output line for a call (callers skip calls without output).
pub fn output_line(o: &mut Obj, ts: &str, c: &Call, rng: &mut Rng) {
    let id = c.call_id.as_deref().unwrap_or_default();
    let (kind, output) = match c.kind {
        CallKind::Shell | CallKind::LocalShell => ("function_call_output", shell_output(c)),
        CallKind::Exec => ("function_call_output", exec_output(rng, c)),
        CallKind::Mcp => {
            let text = object_string(|t| {
                t.str("title", "Checkout fails").str("body", &c.output);
            });
            ("function_call_output", text)
        }
        CallKind::UpdatePlan => ("function_call_output", "Plan updated".to_string()),
        CallKind::ApplyPatch => {
            let text = object_string(|t| {
                t.str("output", &format!("Success. Updated the following files:\nM {}\n", c.command));
                t.obj("metadata", |m| {
                    m.int("exit_code", 0).float("duration_seconds", 0.0);
                });
            });
            ("custom_tool_call_output", text)
        }
        CallKind::WebSearch => return,
    };
    envelope(o, ts, "response_item", |p| {
        p.str("type", kind).str("call_id", id).str("output", &output);
    });
}

/// The `exec_command_end` event of a 2026 `exec_command` call (extended persistence).
pub fn exec_end_line(o: &mut Obj, ts: &str, c: &Call, turn_id: &str, cwd: &str) {
    let id = c.call_id.as_deref().unwrap_or_default();
    let aggregated = &c.output[..floor(&c.output, 10_000)];
    envelope(o, ts, "event_msg", |p| {
        p.str("type", "exec_command_end").str("call_id", id).str("turn_id", turn_id);
        p.strs("command", &["bash", "-lc", &c.command]).str("cwd", cwd);
        p.arr("parsed_cmd", |a| {
            a.obj(|x| {
                x.str("type", "unknown").str("cmd", &c.command);
            });
        });
        p.str("source", "agent").str("stdout", "").str("stderr", "").str("aggregated_output", aggregated);
        p.int("exit_code", c.exit_code);
        p.obj("duration", |d| {
            d.int("secs", c.duration_ms / 1000).int("nanos", c.duration_ms % 1000 * 1_000_000);
        });
        p.str("formatted_output", "").str("status", if c.exit_code == 0 { "completed" } else { "failed" });
    });
}

fn floor(s: &str, max: usize) -> usize {
    let mut i = max.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
