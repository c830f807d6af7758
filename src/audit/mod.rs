//! Audit checks over the normalized tables (DESIGN.md section 3).
//!
//! Each check has an id, a title and a one-line explanation, counts the rows it looked at and the
//! rows that break it, and names every offending row by file and line. `audit.json` is
//! [`AuditReport`] serialized; `audit_findings.csv` is every [`Finding`].
//!
//! The checks, one concept per file, in the order they run (ids are stable):
//! - A1–A4 [`codex_usage`]: per Codex usage row, total = input + output, cached ⊆ input,
//!   reasoning ⊆ output, no negative counter (on the logged values; docs/formats.md §1.9).
//! - A5 [`reconcile`]: per Codex session, Σ usage rows == last cumulative total (minus a fork's
//!   replayed prefix; a counter reset starts a new run); also gives [`AuditReport::reconciliation`].
//! - A6 [`cumulative`]: cumulative totals never decrease within a file.
//! - A7, A8 [`tools`]: a tool call without an output, an output without a call.
//! - A9 [`context`]: a request larger than the context window.
//! - A10 [`timeline`]: timestamps out of line order within a session log.
//! - A11 [`claude`]: Claude usage that may be a partial (mid-stream) snapshot (§2.5).
//! - A12, A13 [`api_calls`]: API calls whose status, error and credit disagree; whose logged cost
//!   differs from the priced tokens by more than 5% (§4 (b)).
//! - A14, A15 [`tool_audit`]: tool-audit rows with an unknown status; with `result_chars` below
//!   their snippet's length (§4 (a)).
//! - A16 [`sessions`]: one session id in several files.
//!
//! Every check is linear in the rows it reads (hash maps keyed by session, at most one sort by
//! line), stores at most [`check::MAX_FINDINGS`] findings (all violations are counted) and never
//! panics: sums saturate, snippets are cut on char boundaries.

pub mod api_calls;
pub mod by_session;
pub mod check;
pub mod claude;
pub mod codex_usage;
pub mod context;
pub mod cumulative;
pub mod reconcile;
pub mod sessions;
pub mod timeline;
pub mod tool_audit;
pub mod tools;

use crate::model::{Source, Tables, TokenCounts};
use crate::pricing::PriceBook;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Pass,
    Fail,
}

/// One offending row.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Finding {
    pub check_id: String,
    /// The file name as dropped, and the 1-based line.
    pub file: String,
    pub line: u32,
    #[serde(skip)]
    pub source: Source,
    pub session_id: Option<String>,
    /// What is wrong, with the numbers involved.
    pub message: String,
}

/// One check and its outcome.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    pub id: String,
    pub title: String,
    pub explanation: String,
    pub rows_checked: u64,
    pub violations: u64,
    pub status: CheckStatus,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReconciliationStatus {
    Ok,
    Mismatch,
}

/// A5: a Codex session's usage rows against its last cumulative total.
#[derive(Debug, Clone, Serialize)]
pub struct Reconciliation {
    pub session_id: String,
    pub file: String,
    pub status: ReconciliationStatus,
    /// The last `total_token_usage` (minus a fork's replayed prefix, when that was not counted).
    pub expected: TokenCounts,
    /// The sum of the session's usage rows (logged values).
    pub actual: TokenCounts,
}

/// `audit.json`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct AuditReport {
    pub checks: Vec<CheckResult>,
    pub reconciliation: Vec<Reconciliation>,
}

impl AuditReport {
    /// Every finding of every check, in check order.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.checks.iter().flat_map(|c| c.findings.iter())
    }
}

/// Run every check, A1 to A16 in order.
pub fn run(tables: &Tables, prices: &PriceBook) -> AuditReport {
    let (a5, reconciliation) = reconcile::codex_sessions(tables);
    let checks = vec![
        codex_usage::total_is_input_plus_output(tables),
        codex_usage::cached_within_input(tables),
        codex_usage::reasoning_within_output(tables),
        codex_usage::no_negative_counts(tables),
        a5,
        cumulative::never_decrease(tables),
        tools::calls_without_output(tables),
        tools::outputs_without_call(tables),
        context::requests_fit_the_window(tables),
        timeline::in_line_order(tables),
        claude::usage_not_partial(tables),
        api_calls::status_error_credit_agree(tables),
        api_calls::cost_matches_prices(tables, prices),
        tool_audit::known_status(tables),
        tool_audit::result_chars_cover_snippet(tables),
        sessions::one_file_per_session(tables),
    ];
    AuditReport { checks, reconciliation }
}
