//! A5: reconciliation of each Codex session (DESIGN.md section 3; docs/formats.md §1.9
//! "Σ deltas == final total").
//!
//! For every Codex rollout session with usage (`final_cumulative` set, the last
//! `total_token_usage` of its file), the five logged counters (`row.raw`) of its usage rows are
//! summed and compared field by field with `final_cumulative` minus `replayed_prefix` (a fork's
//! replayed parent history, dropped from the usage table when the parent file was loaded too).
//! Rows belong to a session by (file, session id), so two copies of one session in two files
//! reconcile separately. Sums saturate instead of overflowing on hostile numbers.
//!
//! The rule is the contract's, strictly: a cumulative counter that falls back (a concatenated or
//! reset log, such as the agent-sessions coverage sample) leaves the rows summing to more than the
//! last total, so that session is a mismatch here, and A6 names the line where it fell.

use super::by_session::{PerSession, SessionKey, key, usage_in_line_order};
use super::check::Check;
use super::{CheckResult, Reconciliation, ReconciliationStatus};
use crate::model::{Format, RawUsage, Session, Tables, TokenCounts};
// FxHash: keyed by session ids once per row, where SipHash cost more than the rest of the work.
use rustc_hash::FxHashMap as HashMap;

pub fn codex_sessions(tables: &Tables) -> (CheckResult, Vec<Reconciliation>) {
    let tallies = tally_usage(tables);
    let mut check = Check::new(
        tables,
        "A5",
        "Codex session reconciliation",
        "For each Codex session with usage, the sum of its usage rows (as logged) equals its last \
         total_token_usage, field by field (minus a fork's replayed prefix when the parent file is \
         loaded; after a counter reset, each run of rows adds up to its own last total).",
    );
    let mut reconciliation = Vec::new();
    for session in tables.sessions.iter().filter(|s| s.format == Some(Format::CodexRollout)) {
        let key = (session.source.file, session.session_id.as_str());
        let tally = tallies.get(&key).copied().unwrap_or_default();
        let Some(expected) = expected(session) else { continue };
        check.checked();
        let actual = tally.sum;
        let ok = actual == expected;
        if !ok {
            check.flag(session.source, Some(&session.session_id), || mismatch_message(&expected, &actual));
        }
        reconciliation.push(Reconciliation {
            session_id: session.session_id.clone(),
            file: tables.file_name(session.source.file).to_string(),
            status: if ok { ReconciliationStatus::Ok } else { ReconciliationStatus::Mismatch },
            expected,
            actual,
        });
    }
    (check.finish(), reconciliation)
}

/// The last cumulative total, minus the replayed prefix.
fn expected(session: &Session) -> Option<TokenCounts> {
    let last = session.final_cumulative?;
    Some(match &session.replayed_prefix {
        Some(prefix) => saturating_sub(&last, prefix),
        None => last,
    })
}

/// What the usage rows of one (file, session) add up to.
#[derive(Default, Clone, Copy)]
struct Tally {
    /// The logged five counters of every row, summed.
    sum: TokenCounts,
}

/// Every usage row, in (file, line) order, tallied per (file, session id).
fn tally_usage(tables: &Tables) -> HashMap<SessionKey<'_>, Tally> {
    let mut tallies: PerSession<Tally> = PerSession::default();
    for row in usage_in_line_order(tables) {
        let tally = tallies.get(key(row));
        tally.sum = saturating_add(&tally.sum, &five(&row.raw));
    }
    tallies.into_map()
}

fn five(raw: &RawUsage) -> TokenCounts {
    TokenCounts {
        input_tokens: raw.input_tokens,
        cached_input_tokens: raw.cached_input_tokens,
        output_tokens: raw.output_tokens,
        reasoning_output_tokens: raw.reasoning_output_tokens,
        total_tokens: raw.total_tokens,
    }
}

fn zip(a: &TokenCounts, b: &TokenCounts, f: impl Fn(i64, i64) -> i64) -> TokenCounts {
    TokenCounts {
        input_tokens: f(a.input_tokens, b.input_tokens),
        cached_input_tokens: f(a.cached_input_tokens, b.cached_input_tokens),
        output_tokens: f(a.output_tokens, b.output_tokens),
        reasoning_output_tokens: f(a.reasoning_output_tokens, b.reasoning_output_tokens),
        total_tokens: f(a.total_tokens, b.total_tokens),
    }
}

fn saturating_add(a: &TokenCounts, b: &TokenCounts) -> TokenCounts {
    zip(a, b, i64::saturating_add)
}

fn saturating_sub(a: &TokenCounts, b: &TokenCounts) -> TokenCounts {
    zip(a, b, i64::saturating_sub)
}

/// The five fields by name, for messages.
pub(super) fn fields(c: &TokenCounts) -> [(&'static str, i64); 5] {
    [
        ("input_tokens", c.input_tokens),
        ("cached_input_tokens", c.cached_input_tokens),
        ("output_tokens", c.output_tokens),
        ("reasoning_output_tokens", c.reasoning_output_tokens),
        ("total_tokens", c.total_tokens),
    ]
}

fn mismatch_message(expected: &TokenCounts, actual: &TokenCounts) -> String {
    let differing: Vec<String> = fields(expected)
        .iter()
        .zip(fields(actual))
        .filter(|((_, e), (_, a))| e != a)
        .map(|((name, e), (_, a))| format!("{name} expected {e}, usage rows sum to {a}"))
        .collect();
    format!("usage rows do not add up to the last total_token_usage: {}", differing.join("; "))
}
