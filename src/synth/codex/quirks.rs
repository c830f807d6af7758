//! Corner cases inside a Codex file (docs/formats.md §1.3: real files hold NUL-corrupted lines and
//! an unterminated last line while being written; unknown tags must be kept and skipped), and the
//! two ways a session can end early: on an unanswered tool call, or on a torn line.

use super::super::expect::Outcome;
use super::super::json;
use super::tools::{self, Call, CallKind};
use super::{Era, Session, shapes};

impl Session<'_> {
    /// Corner-case lines, written after the first turn.
    pub(super) fn quirk_lines(&mut self) {
        let q = &self.spec.quirks;
        let ts = self.ts();
        if q.blank_lines {
            self.w.blank("");
            self.w.blank("   \t");
            self.w.note("blank and whitespace-only lines, one before the first line");
        }
        if q.unknown_types {
            self.w.line(Outcome::Skipped, |o| {
                shapes::envelope(o, &ts, "world_state", |p| {
                    p.bool("full", true).obj("state", |s| {
                        s.str("model", "gpt-5.5").null("permissions");
                    });
                });
            });
            self.w.line(Outcome::Skipped, |o| {
                shapes::envelope(o, &ts, "inter_agent_communication_metadata", |p| {
                    p.bool("trigger_turn", false);
                });
            });
            self.w.line(Outcome::Skipped, |o| {
                shapes::envelope(o, &ts, "telemetry_snapshot", |p| {
                    p.int("rss_bytes", 81_920_000);
                });
            });
            self.w.line(Outcome::Skipped, |o| shapes::bare_event(o, &ts, "thread_name_updated"));
            self.w.line(Outcome::Skipped, |o| {
                shapes::envelope(o, &ts, "response_item", |p| {
                    p.str("type", "ghost_snapshot").obj("ghost_commit", |g| {
                        g.str("id", "4b825dc6").null("parent");
                    });
                });
            });
            self.w.note("unknown line, event and item types");
        }
        if q.nul_line {
            let mut line = vec![0u8; 64];
            json::object(&mut line, false, |o| shapes::event_text(o, &ts, "agent_reasoning", "text", "after a crash"));
            self.w.raw_line(&line, Outcome::Malformed);
            self.w.note("a NUL-corrupted line");
        }
        if q.missing_type_line {
            self.w.line(Outcome::Malformed, |o| {
                o.str("timestamp", &ts).obj("payload", |p| {
                    p.str("type", "agent_message").str("message", "no envelope type");
                });
            });
            self.w.note("a line without type");
        }
    }

    pub(super) fn ending(&mut self) {
        let q = &self.spec.quirks;
        if q.unanswered_last_call {
            self.turn_context();
            let mut c = Call::new(self.rng, Era::V040, 200);
            if c.call_id.is_none() {
                c.call_id = Some(format!("call_{}", self.rng.alnum(24)));
            }
            let c = Call { kind: CallKind::Shell, ..c };
            let ts = self.ts();
            self.w.line(Outcome::Parsed, |o| tools::call_line(o, &ts, &c, &self.spec.cwd));
            self.w.expect.counts.tool_calls += 1;
            self.w.note("ends on a tool call without output");
        }
        if q.torn_last_line {
            let c = Call::new(self.rng, Era::V040, 4_000);
            let c = Call { kind: CallKind::Shell, call_id: Some(format!("call_{}", self.rng.alnum(24))), ..c };
            let ts = self.ts();
            let keep = self.rng.range(40, 200) as usize;
            let rng = &mut *self.rng;
            self.w.torn_line(keep, |o| tools::output_line(o, &ts, &c, rng));
            self.w.note("torn last line");
        }
    }
}
