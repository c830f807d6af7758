//! `sessions.csv`, `routing_context.csv`, `query_messages.csv`.
//!
//! `sessions.csv` carries the session record as logged plus sums over its rows, so a
//! spreadsheet can sort sessions without joining: `models` (distinct models of its routing and
//! usage rows, sorted, `; `-joined), `queries`, `tool_calls` (outputs without a call excluded),
//! the token sums of its usage rows, `cost_usd` (priced rows only; empty when none is priced) and
//! `unpriced_rows`. `final_cumulative_total_tokens` is Codex's last `total_token_usage.total_tokens`.

use super::super::csv_cell::{Cell, CsvTable, Rows};
use super::super::stats::{TokenSum, cost_of, is_real_call};
use super::Column;
use crate::model::{Query, RoutingRow, Session, Tables};
// FxHash: keyed by session ids once per row, where SipHash cost more than the rest of the work.
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeSet;

/// What a session's cells are made from: the session and its sums over the other tables.
struct SessionRow<'r, 't> {
    t: &'t Tables,
    s: &'t Session,
    sums: &'r SessionSums<'t>,
}

/// Each column of `sessions.csv`: its name and how its cell is made.
type SessionColumn = (&'static str, for<'r, 't> fn(&SessionRow<'r, 't>) -> Cell<'t>);

const SESSIONS: [SessionColumn; 29] = [
    ("session_id", |r| Cell::text(&r.s.session_id)),
    ("format", |r| Cell::opt_text(r.s.format.map(|f| f.label()))),
    ("start_utc", |r| Cell::time(r.s.start_ms)),
    ("end_utc", |r| Cell::time(r.s.end_ms)),
    ("workspace", |r| Cell::opt_text(r.s.workspace.as_deref())),
    ("originator", |r| Cell::opt_text(r.s.originator.as_deref())),
    ("cli_version", |r| Cell::opt_text(r.s.cli_version.as_deref())),
    ("session_source", |r| Cell::opt_text(r.s.session_source.as_deref())),
    ("parent_session_id", |r| Cell::opt_text(r.s.parent_session_id.as_deref())),
    ("git_branch", |r| Cell::opt_text(r.s.git_branch.as_deref())),
    ("git_commit", |r| Cell::opt_text(r.s.git_commit.as_deref())),
    ("git_remote", |r| Cell::opt_text(r.s.git_remote.as_deref())),
    ("model_provider", |r| Cell::opt_text(r.s.model_provider.as_deref())),
    ("usage_available", |r| Cell::Bool(r.s.usage_available)),
    ("models", |r| Cell::owned(r.sums.models.iter().copied().collect::<Vec<&str>>().join("; "))),
    ("queries", |r| Cell::UInt(r.sums.queries)),
    ("tool_calls", |r| Cell::UInt(r.sums.tool_calls)),
    ("usage_rows", |r| Cell::UInt(r.sums.usage.rows)),
    ("input_tokens", |r| Cell::Int(r.sums.usage.input_tokens)),
    ("cached_input_tokens", |r| Cell::Int(r.sums.usage.cached_input_tokens)),
    ("output_tokens", |r| Cell::Int(r.sums.usage.output_tokens)),
    ("reasoning_output_tokens", |r| Cell::Int(r.sums.usage.reasoning_output_tokens)),
    ("total_tokens", |r| Cell::Int(r.sums.usage.total_tokens)),
    ("cost_usd", |r| Cell::opt_usd(r.sums.usage.cost_usd)),
    ("unpriced_rows", |r| Cell::UInt(r.sums.usage.unpriced_rows)),
    ("final_cumulative_total_tokens", |r| Cell::opt_int(r.s.final_cumulative.map(|c| c.total_tokens))),
    ("file", |r| Cell::text(r.t.file_name(r.s.source.file))),
    ("line", |r| Cell::UInt(u64::from(r.s.source.line))),
    ("machine", |r| super::machine_cell(r.t, r.s.source.file)),
];

pub const SESSION_ALL: [&str; 29] = super::names(&SESSIONS);
pub const SESSION_COLUMNS: &[&str] = super::without_machine(&SESSION_ALL);

const ROUTING: [Column<RoutingRow>; 11] = [
    ("session_id", |_, r| Cell::text(&r.session_id)),
    ("ts_utc", |_, r| Cell::time(r.ts_ms)),
    ("turn_id", |_, r| Cell::opt_text(r.turn_id.as_deref())),
    ("model", |_, r| Cell::text(&r.model)),
    ("effort", |_, r| Cell::opt_text(r.effort.as_deref())),
    ("approval_policy", |_, r| Cell::opt_text(r.approval_policy.as_deref())),
    ("sandbox_policy", |_, r| Cell::opt_text(r.sandbox_policy.as_deref())),
    ("cwd", |_, r| Cell::opt_text(r.cwd.as_deref())),
    ("file", |t, r| Cell::text(t.file_name(r.source.file))),
    ("line", |_, r| Cell::UInt(u64::from(r.source.line))),
    ("machine", |t, r| super::machine_cell(t, r.source.file)),
];

pub const ROUTING_ALL: [&str; 11] = super::names(&ROUTING);
pub const ROUTING_COLUMNS: &[&str] = super::without_machine(&ROUTING_ALL);

/// `text` is the whole prompt as logged, with what the redaction masked replaced.
const QUERIES: [Column<Query>; 6] = [
    ("session_id", |_, q| Cell::text(&q.session_id)),
    ("ts_utc", |_, q| Cell::time(q.ts_ms)),
    ("text", |_, q| Cell::text(&q.text)),
    ("file", |t, q| Cell::text(t.file_name(q.source.file))),
    ("line", |_, q| Cell::UInt(u64::from(q.source.line))),
    ("machine", |t, q| super::machine_cell(t, q.source.file)),
];

pub const QUERY_ALL: [&str; 6] = super::names(&QUERIES);
pub const QUERY_COLUMNS: &[&str] = super::without_machine(&QUERY_ALL);

/// Per-session sums over the other tables.
#[derive(Default)]
struct SessionSums<'t> {
    models: BTreeSet<&'t str>,
    queries: u64,
    tool_calls: u64,
    usage: TokenSum,
}

fn sums<'t>(t: &'t Tables, costs: &[Option<f64>]) -> HashMap<&'t str, SessionSums<'t>> {
    let mut by: HashMap<&str, SessionSums> = HashMap::default();
    for r in &t.routing {
        by.entry(&r.session_id).or_default().models.insert(&r.model);
    }
    for (i, u) in t.usage.iter().enumerate() {
        let s = by.entry(&u.session_id).or_default();
        s.models.insert(&u.model);
        s.usage.add(u, cost_of(costs, i));
    }
    for q in &t.queries {
        by.entry(&q.session_id).or_default().queries += 1;
    }
    for c in t.tool_calls.iter().filter(|c| is_real_call(c)) {
        by.entry(&c.session_id).or_default().tool_calls += 1;
    }
    by
}

pub fn sessions<'t>(t: &'t Tables, costs: &[Option<f64>], cap: impl Into<Rows>) -> CsvTable<'t> {
    let mut out = CsvTable::new(super::super::SESSIONS_CSV, super::chosen(t, &SESSION_ALL), cap);
    let by = sums(t, costs);
    let none = SessionSums::default();
    for s in &t.sessions {
        let row = SessionRow { t, s, sums: by.get(s.session_id.as_str()).unwrap_or(&none) };
        out.push_cells(|c| (SESSIONS[c].1)(&row));
    }
    out
}

pub fn routing(t: &Tables, cap: impl Into<Rows>) -> CsvTable<'_> {
    super::by_cells(super::super::ROUTING_CSV, &ROUTING_ALL, &ROUTING, t, &t.routing, cap)
}

pub fn queries(t: &Tables, cap: impl Into<Rows>) -> CsvTable<'_> {
    super::by_cells(super::super::QUERIES_CSV, &QUERY_ALL, &QUERIES, t, &t.queries, cap)
}
