//! The shapes of Codex rollout lines (docs/formats.md §1.3–1.9) in two eras: 0.40 (Sept 2025:
//! `instructions: null`, `sandbox_policy{mode}`, flat `rate_limits`, shell outputs as JSON strings)
//! and 2026 (0.10x: `source`, `base_instructions{text}`, `turn_id`, `sandbox_policy{type}`, nested
//! `rate_limits`, task events, `exec_command` with `exec_command_end`). Shapes only; the values and
//! the buckets are decided in `mod.rs`.

use super::super::json::Obj;
use super::{Era, Usage};

/// What a `session_meta` line says.
pub struct Meta<'a> {
    pub id: &'a str,
    pub ts: &'a str,
    pub cwd: &'a str,
    pub era: Era,
    pub originator: &'a str,
    pub source: &'a str,
    pub forked_from: Option<&'a str>,
    pub instructions: &'a str,
    pub commit: &'a str,
    pub branch: &'a str,
    pub remote: &'a str,
}

pub fn envelope(o: &mut Obj, ts: &str, kind: &str, payload: impl FnOnce(&mut Obj)) {
    o.str("timestamp", ts).str("type", kind).obj("payload", payload);
}

pub fn session_meta(o: &mut Obj, m: &Meta) {
    envelope(o, m.ts, "session_meta", |p| {
        p.str("id", m.id);
        if let Some(parent) = m.forked_from {
            p.str("forked_from_id", parent);
        }
        p.str("timestamp", m.ts).str("cwd", m.cwd).str("originator", m.originator);
        match m.era {
            Era::V040 => {
                p.str("cli_version", "0.40.0").null("instructions");
            }
            Era::V2026 => {
                p.str("cli_version", "0.104.0").str("source", m.source).str("model_provider", "openai");
                p.obj("base_instructions", |b| {
                    b.str("text", m.instructions);
                });
            }
        }
        p.obj("git", |g| {
            g.str("commit_hash", m.commit).str("branch", m.branch).str("repository_url", m.remote);
        });
    });
}

/// A `response_item` `message` with one text part.
pub fn message(o: &mut Obj, ts: &str, role: &str, text: &str) {
    let part = if role == "assistant" { "output_text" } else { "input_text" };
    envelope(o, ts, "response_item", |p| {
        p.str("type", "message").str("role", role).arr("content", |a| {
            a.obj(|c| {
                c.str("type", part).str("text", text);
            });
        });
    });
}

pub fn environment_context(cwd: &str, era: Era) -> String {
    let sandbox = if era == Era::V040 { "read-only" } else { "workspace-write" };
    format!(
        "<environment_context>\n  <cwd>{cwd}</cwd>\n  <approval_policy>on-request</approval_policy>\n  \
         <sandbox_mode>{sandbox}</sandbox_mode>\n  <network_access>restricted</network_access>\n  \
         <shell>zsh</shell>\n</environment_context>"
    )
}

/// The routing record written before every model request.
pub struct TurnContext<'a> {
    pub ts: &'a str,
    pub era: Era,
    pub turn_id: &'a str,
    pub cwd: &'a str,
    pub model: &'a str,
    pub effort: &'a str,
    pub developer_instructions: &'a str,
}

pub fn turn_context(o: &mut Obj, t: &TurnContext) {
    envelope(o, t.ts, "turn_context", |p| match t.era {
        Era::V040 => {
            p.str("cwd", t.cwd).str("approval_policy", "on-request");
            p.obj("sandbox_policy", |s| {
                s.str("mode", "read-only");
            });
            p.str("model", t.model).str("effort", t.effort).str("summary", "auto");
        }
        Era::V2026 => {
            p.str("turn_id", t.turn_id).str("cwd", t.cwd).str("approval_policy", "on-request");
            p.obj("sandbox_policy", |s| {
                s.str("type", "workspace-write").strs("writable_roots", &[t.cwd]);
                s.bool("network_access", false).bool("exclude_tmpdir_env_var", false).bool("exclude_slash_tmp", false);
            });
            p.str("model", t.model).str("personality", "pragmatic");
            p.obj("collaboration_mode", |c| {
                c.str("mode", "default").obj("settings", |s| {
                    s.str("model", t.model).str("reasoning_effort", t.effort);
                    s.str("developer_instructions", t.developer_instructions);
                });
            });
            p.str("effort", t.effort).str("summary", "auto");
            p.obj("truncation_policy", |tp| {
                tp.str("mode", "bytes").int("limit", 10_000);
            });
        }
    });
}

fn usage(o: &mut Obj, u: &Usage, era: Era) {
    o.int("input_tokens", u.input).int("cached_input_tokens", u.cached);
    if era == Era::V2026 && u.cache_write != 0 {
        o.int("cache_write_input_tokens", u.cache_write);
    }
    o.int("output_tokens", u.output).int("reasoning_output_tokens", u.reasoning).int("total_tokens", u.total);
}

/// What one `token_count` event carries.
pub struct TokenCount<'a> {
    pub ts: &'a str,
    pub era: Era,
    /// `(total_token_usage, last_token_usage, model_context_window)`, or `None` for `info: null`.
    pub info: Option<(Usage, Usage, i64)>,
    pub primary_pct: f64,
    pub secondary_pct: f64,
    pub resets_at: i64,
}

pub fn token_count(o: &mut Obj, t: &TokenCount) {
    envelope(o, t.ts, "event_msg", |p| {
        p.str("type", "token_count");
        match &t.info {
            None => {
                p.null("info");
            }
            Some((total, last, window)) => {
                p.obj("info", |i| {
                    i.obj("total_token_usage", |u| usage(u, total, t.era));
                    i.obj("last_token_usage", |u| usage(u, last, t.era));
                    i.int("model_context_window", *window);
                });
            }
        }
        p.obj("rate_limits", |r| match t.era {
            Era::V040 => {
                r.float("primary_used_percent", t.primary_pct).float("secondary_used_percent", t.secondary_pct);
                r.float("primary_to_secondary_ratio_percent", 0.0);
                r.int("primary_window_minutes", 299).int("secondary_window_minutes", 10079);
            }
            Era::V2026 => {
                r.str("limit_id", "codex").null("limit_name");
                r.obj("primary", |w| {
                    w.float("used_percent", t.primary_pct).int("window_minutes", 300).int("resets_at", t.resets_at);
                });
                r.obj("secondary", |w| {
                    w.float("used_percent", t.secondary_pct).int("window_minutes", 10080);
                    w.int("resets_at", t.resets_at + 400_000);
                });
                r.obj("credits", |c| {
                    c.bool("has_credits", false).bool("unlimited", false).null("balance");
                });
                r.null("plan_type");
            }
        });
    });
}

/// An `event_msg` with a `type` and one text field (`user_message`, `agent_message`, `agent_reasoning`).
pub fn event_text(o: &mut Obj, ts: &str, kind: &str, field: &str, text: &str) {
    envelope(o, ts, "event_msg", |p| {
        p.str("type", kind).str(field, text);
        if kind == "user_message" {
            p.arr("images", |_| {});
        }
    });
}

pub fn reasoning(o: &mut Obj, ts: &str, summary: &str, encrypted: &str) {
    envelope(o, ts, "response_item", |p| {
        p.str("type", "reasoning").arr("summary", |a| {
            a.obj(|s| {
                s.str("type", "summary_text").str("text", summary);
            });
        });
        p.null("content").str("encrypted_content", encrypted);
    });
}

/// `task_started` / `task_complete` (2026).
pub fn task_event(o: &mut Obj, ts: &str, kind: &str, turn_id: &str, window: i64, last_message: &str) {
    envelope(o, ts, "event_msg", |p| {
        p.str("type", kind).str("turn_id", turn_id);
        if kind == "task_started" {
            p.int("model_context_window", window).str("collaboration_mode_kind", "default");
        } else {
            p.str("last_agent_message", last_message);
        }
    });
}

/// `compacted` with its replacement history, as written when the context window fills up.
pub fn compacted(o: &mut Obj, ts: &str, summary: &str, prompts: &[String]) {
    envelope(o, ts, "compacted", |p| {
        p.str("message", "").arr("replacement_history", |a| {
            for text in prompts {
                a.obj(|m| {
                    m.str("type", "message").str("role", "user").arr("content", |c| {
                        c.obj(|t| {
                            t.str("type", "input_text").str("text", text);
                        });
                    });
                });
            }
            a.obj(|m| {
                m.str("type", "message").str("role", "assistant").arr("content", |c| {
                    c.obj(|t| {
                        t.str("type", "output_text").str("text", summary);
                    });
                });
            });
        });
    });
}

pub fn bare_event(o: &mut Obj, ts: &str, kind: &str) {
    envelope(o, ts, "event_msg", |p| {
        p.str("type", kind);
    });
}
