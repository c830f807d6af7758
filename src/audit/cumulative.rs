//! A6: cumulative totals never decrease (docs/formats.md §1.9: `total_token_usage` is the
//! thread's cumulative usage, "monotonic within a file").
//!
//! Usage rows that carry a `cumulative` are taken in line order per (file, session id); a row
//! whose cumulative is lower than the previous row's in any of the five fields is flagged at its
//! own line. The first row of each session has nothing to compare with and is not counted as
//! checked. Rows are walked in (file, line) order ([`super::by_session`]).

use super::CheckResult;
use super::by_session::{PerSession, key, usage_in_line_order};
use super::check::Check;
use super::reconcile::fields;
use crate::model::{Tables, TokenCounts};

pub fn never_decrease(tables: &Tables) -> CheckResult {
    let mut check = Check::new(
        tables,
        "A6",
        "Cumulative totals never decrease",
        "Within one file and session, each usage row's cumulative total_token_usage is at least the \
         previous row's in every field.",
    );
    // Per session: the line and cumulative of its previous row.
    let mut previous: PerSession<Option<(u32, TokenCounts)>> = PerSession::default();
    for row in usage_in_line_order(tables) {
        let Some(now) = row.cumulative else { continue };
        let Some((line, before)) = previous.get(key(row)).replace((row.source.line, now)) else { continue };
        check.checked();
        if decreased(&before, &now) {
            check.flag(row.source, Some(&row.session_id), || decrease_message(&before, &now, line));
        }
    }
    check.finish()
}

/// Some field went down.
fn decreased(before: &TokenCounts, now: &TokenCounts) -> bool {
    fields(before).iter().zip(fields(now)).any(|((_, b), (_, n))| n < *b)
}

fn decrease_message(before: &TokenCounts, now: &TokenCounts, previous_line: u32) -> String {
    let down: Vec<String> = fields(before)
        .iter()
        .zip(fields(now))
        .filter(|((_, b), (_, n))| n < b)
        .map(|((name, b), (_, n))| format!("{name} {b} -> {n}"))
        .collect();
    format!("cumulative total decreased since line {previous_line}: {}", down.join(", "))
}
