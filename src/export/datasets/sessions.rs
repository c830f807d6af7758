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

pub const SESSION_COLUMNS: &[&str] = &[
    "session_id",
    "format",
    "start_utc",
    "end_utc",
    "workspace",
    "originator",
    "cli_version",
    "session_source",
    "parent_session_id",
    "git_branch",
    "git_commit",
    "git_remote",
    "model_provider",
    "usage_available",
    "models",
    "queries",
    "tool_calls",
    "usage_rows",
    "input_tokens",
    "cached_input_tokens",
    "output_tokens",
    "reasoning_output_tokens",
    "total_tokens",
    "cost_usd",
    "unpriced_rows",
    "final_cumulative_total_tokens",
    "file",
    "line",
];

const ROUTING: [Column<RoutingRow>; 10] = [
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
];

pub const ROUTING_COLUMNS: &[&str] = &super::names(&ROUTING);

/// `text` is the whole prompt as logged, with what the redaction masked replaced.
const QUERIES: [Column<Query>; 5] = [
    ("session_id", |_, q| Cell::text(&q.session_id)),
    ("ts_utc", |_, q| Cell::time(q.ts_ms)),
    ("text", |_, q| Cell::text(&q.text)),
    ("file", |t, q| Cell::text(t.file_name(q.source.file))),
    ("line", |_, q| Cell::UInt(u64::from(q.source.line))),
];

pub const QUERY_COLUMNS: &[&str] = &super::names(&QUERIES);

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
    let mut out = CsvTable::new(super::super::SESSIONS_CSV, SESSION_COLUMNS, cap);
    let by = sums(t, costs);
    let none = SessionSums::default();
    for s in &t.sessions {
        let sums = by.get(s.session_id.as_str()).unwrap_or(&none);
        out.push_with(|| session_row(t, s, sums));
    }
    out
}

fn session_row<'t>(t: &'t Tables, s: &'t Session, sums: &SessionSums<'t>) -> [Cell<'t>; SESSION_COLUMNS.len()] {
    let u = &sums.usage;
    let models: Vec<&str> = sums.models.iter().copied().collect();
    [
        Cell::text(&s.session_id),
        Cell::opt_text(s.format.map(|f| f.label())),
        Cell::time(s.start_ms),
        Cell::time(s.end_ms),
        Cell::opt_text(s.workspace.as_deref()),
        Cell::opt_text(s.originator.as_deref()),
        Cell::opt_text(s.cli_version.as_deref()),
        Cell::opt_text(s.session_source.as_deref()),
        Cell::opt_text(s.parent_session_id.as_deref()),
        Cell::opt_text(s.git_branch.as_deref()),
        Cell::opt_text(s.git_commit.as_deref()),
        Cell::opt_text(s.git_remote.as_deref()),
        Cell::opt_text(s.model_provider.as_deref()),
        Cell::Bool(s.usage_available),
        Cell::owned(models.join("; ")),
        Cell::UInt(sums.queries),
        Cell::UInt(sums.tool_calls),
        Cell::UInt(u.rows),
        Cell::Int(u.input_tokens),
        Cell::Int(u.cached_input_tokens),
        Cell::Int(u.output_tokens),
        Cell::Int(u.reasoning_output_tokens),
        Cell::Int(u.total_tokens),
        Cell::opt_usd(u.cost_usd),
        Cell::UInt(u.unpriced_rows),
        Cell::opt_int(s.final_cumulative.map(|c| c.total_tokens)),
        Cell::text(t.file_name(s.source.file)),
        Cell::UInt(u64::from(s.source.line)),
    ]
}

pub fn routing(t: &Tables, cap: impl Into<Rows>) -> CsvTable<'_> {
    super::by_cells(CsvTable::new(super::super::ROUTING_CSV, ROUTING_COLUMNS, cap), t, &t.routing, &ROUTING)
}

pub fn queries(t: &Tables, cap: impl Into<Rows>) -> CsvTable<'_> {
    super::by_cells(CsvTable::new(super::super::QUERIES_CSV, QUERY_COLUMNS, cap), t, &t.queries, &QUERIES)
}
