//! Filters and retention: which rows the views and every export see (DESIGN.md section 4:
//! "Exports honour the active filters").
//!
//! Rules this module follows:
//! - **Empty means everything**: an empty list or `None` does not filter. [`Filter::default`]
//!   keeps every row.
//! - **Session-level criteria** (`sessions`, `workspaces`, `formats`) pick sessions; a row that
//!   belongs to a session (routing, queries, usage, tool calls) follows its session. Rows that
//!   belong to no session (tool audit, API calls) have no session id and no workspace, so an active
//!   `sessions` or `workspaces` criterion drops them; their format is their file's
//!   ([`Format::ToolAudit`], [`Format::RelayCalls`]). Matching is exact (case-sensitive).
//! - **Models**: a row that names a model (routing, usage, a tool call or tool-audit row with a
//!   model, API calls) must name one of them; a session matches when one of its routing or usage
//!   rows does, and its rows without a model (queries, tool calls without one) follow it.
//! - **Time**: a row's time is its own timestamp, else its session's start. The window is
//!   `from_ms <= t < to_ms`; a row with no time at all is outside an explicit window (it cannot be
//!   shown to be inside).
//! - **Retention** (default off): `retention_days = Some(n)` drops rows whose time is before
//!   `now_ms - n days`; `now_ms` is passed in (the core has no clock). A row with no time is kept:
//!   its age is unknown, and retention only ever removes what is provably old.
//! - **Rows without a session record** (a session id no `Session` row has) pass on their own
//!   time and model while no session-level criterion is active, and are dropped otherwise.
//! - **Sessions follow their rows**: under a time criterion a session stays when one of its rows
//!   stays or its own start passes; otherwise the session criteria alone decide.
//! - **Machines** (the team view): every row and session belongs to the machine of its file
//!   ([`Tables::machine_of`]: an imported export's label, else this machine's name); under a
//!   machine criterion each row, sessionless or not, and each session record passes on its own
//!   file's machine (a row does not follow its session's: both count where they were exported).
//! - **Provenance is kept**: rows keep their [`Source`](crate::model::Source); `files` is kept
//!   whole so every `FileId` stays valid. Per-row side vectors (costs) are re-aligned with the
//!   kept indices ([`Filtered::kept_usage`], [`align`]).

mod keys;

pub use keys::Keys;
use keys::NO_MODEL;
use crate::model::{FileId, Format, Millis, Row, Session, Tables};
// Session ids of kept rows are hashed under a time criterion: FxHash is several times faster than
// SipHash here, and the keys are the logs' own ids, not chosen against this set.
use rustc_hash::FxHashSet as HashSet;

const DAY_MS: i64 = 86_400_000;

/// The active filters. `Default` filters nothing.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Filter {
    /// Inclusive lower bound, ms since the epoch (UTC).
    pub from_ms: Option<Millis>,
    /// Exclusive upper bound.
    pub to_ms: Option<Millis>,
    pub models: Vec<String>,
    pub workspaces: Vec<String>,
    pub sessions: Vec<String>,
    pub formats: Vec<Format>,
    /// Machines of the team view, by label. Left out of the serialized filter when empty, so
    /// the exports that describe the filter read as before the team view.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub machines: Vec<String>,
    /// This machine's label (empty = [`crate::model::THIS_MACHINE`]): what the rows read here are
    /// matched against. Not a criterion, so not serialized.
    #[serde(skip)]
    pub local_machine: String,
    /// Drop records older than this many days before `now_ms`. `None` = off (the default).
    pub retention_days: Option<u32>,
    /// "Now" for retention, ms since the epoch; the caller's clock.
    pub now_ms: Millis,
}

impl Filter {
    /// True when the filter keeps every row.
    pub fn is_empty(&self) -> bool {
        self.from_ms.is_none()
            && self.to_ms.is_none()
            && self.models.is_empty()
            && self.workspaces.is_empty()
            && self.sessions.is_empty()
            && self.formats.is_empty()
            && self.machines.is_empty()
            && self.retention_days.is_none()
    }

    /// The oldest time retention keeps, if retention is on.
    pub fn retention_cutoff(&self) -> Option<Millis> {
        let days = i64::from(self.retention_days?);
        Some(self.now_ms.saturating_sub(days.saturating_mul(DAY_MS)))
    }

    fn has_time_criterion(&self) -> bool {
        self.from_ms.is_some() || self.to_ms.is_some() || self.retention_days.is_some()
    }

    /// Whether a row with this time passes the window and retention.
    pub fn time_passes(&self, t: Option<Millis>) -> bool {
        let in_window = match t {
            Some(t) => self.from_ms.is_none_or(|f| t >= f) && self.to_ms.is_none_or(|e| t < e),
            None => self.from_ms.is_none() && self.to_ms.is_none(),
        };
        let retained = match (t, self.retention_cutoff()) {
            (Some(t), Some(cutoff)) => t >= cutoff,
            _ => true,
        };
        in_window && retained
    }

    /// Whether a row read from `file` is on one of the chosen machines.
    pub fn machine_passes(&self, tables: &Tables, file: FileId) -> bool {
        self.machines.is_empty() || {
            let machine = tables.machine_of(file, &self.local_machine);
            self.machines.iter().any(|m| m == machine)
        }
    }

    fn model_passes(&self, model: Option<&str>) -> bool {
        self.models.is_empty() || model.is_some_and(|m| self.models.iter().any(|x| x == m))
    }

    fn session_criteria_pass(&self, s: &Session) -> bool {
        (self.sessions.is_empty() || self.sessions.contains(&s.session_id))
            && (self.workspaces.is_empty()
                || s.workspace
                    .as_ref()
                    .is_some_and(|w| self.workspaces.contains(w)))
            && (self.formats.is_empty() || s.format.is_some_and(|f| self.formats.contains(&f)))
    }

    /// A session row whose session has no record: no session criterion can match it. Under a
    /// model criterion it must name a chosen model (`model_chosen`).
    fn orphan_passes(&self, model_chosen: bool, t: Option<Millis>) -> bool {
        self.sessions.is_empty()
            && self.workspaces.is_empty()
            && self.formats.is_empty()
            && (self.models.is_empty() || model_chosen)
            && self.time_passes(t)
    }

    /// Rows without a session (tool audit, API calls): only format, model and time apply.
    fn sessionless_passes(&self, format: Format, model: Option<&str>, t: Option<Millis>) -> bool {
        self.sessions.is_empty()
            && self.workspaces.is_empty()
            && (self.formats.is_empty() || self.formats.contains(&format))
            && self.model_passes(model)
            && self.time_passes(t)
    }

    /// One line per active criterion, for the report header ("none" when empty).
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        let iso = crate::timefmt::format_iso;
        if let Some(f) = self.from_ms {
            out.push(format!("from {}", iso(f)));
        }
        if let Some(t) = self.to_ms {
            out.push(format!("before {}", iso(t)));
        }
        let list = |name: &str, v: &[String], out: &mut Vec<String>| {
            if !v.is_empty() {
                out.push(format!("{name}: {}", v.join(", ")));
            }
        };
        list("models", &self.models, &mut out);
        list("workspaces", &self.workspaces, &mut out);
        list("sessions", &self.sessions, &mut out);
        list("machines", &self.machines, &mut out);
        let formats: Vec<String> = self.formats.iter().map(|f| f.label().to_string()).collect();
        list("formats", &formats, &mut out);
        if let (Some(days), Some(cutoff)) = (self.retention_days, self.retention_cutoff()) {
            out.push(format!(
                "retention: {days} days (records before {} dropped)",
                iso(cutoff)
            ));
        }
        out
    }
}

/// The filtered tables and the indices of the kept rows of the tables that have side vectors.
#[derive(Debug, Clone, Default)]
pub struct Filtered {
    pub tables: Tables,
    /// `usage_costs` re-aligned with `tables.usage`.
    pub usage_costs: Vec<Option<f64>>,
    /// For each kept usage row, its index in the input tables.
    pub kept_usage: Vec<usize>,
    /// For each kept API call, its index in the input tables.
    pub kept_api_calls: Vec<usize>,
}

/// Pick the values of the kept rows from a vector aligned with the unfiltered table.
pub fn align<T: Clone + Default>(values: &[T], kept: &[usize]) -> Vec<T> {
    kept.iter()
        .map(|&i| values.get(i).cloned().unwrap_or_default())
        .collect()
}

/// Apply a filter. `usage_costs[i]` belongs to `tables.usage[i]` (missing entries = unpriced).
pub fn apply(tables: &Tables, usage_costs: &[Option<f64>], filter: &Filter) -> Filtered {
    apply_with(tables, usage_costs, filter, None)
}

/// [`apply`] with the rows' session and model numbers made earlier for these tables (the page's
/// engine keeps them for every filter of one load); `None`, or keys of other tables, and they are
/// made here.
pub fn apply_with(tables: &Tables, usage_costs: &[Option<f64>], filter: &Filter, keys: Option<&Keys>) -> Filtered {
    if filter.is_empty() {
        let all_usage: Vec<usize> = (0..tables.usage.len()).collect();
        return Filtered {
            tables: tables.clone(),
            usage_costs: align(usage_costs, &all_usage),
            kept_usage: all_usage,
            kept_api_calls: (0..tables.api_calls.len()).collect(),
        };
    }
    let made;
    let keys = match keys {
        Some(k) if k.fits(tables) => k,
        _ => {
            made = Keys::of(tables);
            &made
        }
    };
    // Which model numbers the filter names; which sessions it chose (with their start), by number.
    let chosen_models: Vec<bool> = keys.models.iter().map(|m| filter.model_passes(Some(m))).collect();
    let model_ok = |m: u32| filter.models.is_empty() || chosen_models.get(m as usize).copied().unwrap_or(false);
    let chosen = chosen_sessions(tables, filter, keys, &model_ok);
    let mut known = vec![false; keys.session_count];
    keys.sessions.iter().for_each(|&s| known[s as usize] = true);
    // `Some(start)` for a chosen session; the last record of a session id counts, as it always did.
    let mut start_of: Vec<Option<Option<Millis>>> = vec![None; keys.session_count];
    for &(s, session) in &chosen {
        start_of[s as usize] = Some(session.start_ms);
    }
    // A session row passes when its session was chosen, its time passes, and its model (if any).
    // A row whose session has no record at all passes on its own time and model alone.
    let passes = |session: u32, file: FileId, ts: Option<Millis>, model: u32| -> bool {
        if !filter.machine_passes(tables, file) {
            return false;
        }
        match start_of[session as usize] {
            Some(start) => filter.time_passes(ts.or(start)) && (model == NO_MODEL || model_ok(model)),
            None => !known[session as usize] && filter.orphan_passes(model != NO_MODEL && model_ok(model), ts),
        }
    };

    let mut out = Filtered {
        tables: Tables {
            files: tables.files.clone(),
            ..Tables::default()
        },
        ..Default::default()
    };
    let t = &mut out.tables;
    t.routing = keep(&tables.routing, &keys.routing, |r, &(s, m)| passes(s, r.source.file, r.ts_ms, m));
    t.queries = keep(&tables.queries, &keys.queries, |q, &s| passes(s, q.source.file, q.ts_ms, NO_MODEL));
    // Like queries: a reply belongs to its session and time, not to a model criterion. Replies
    // do not keep a session in under a time criterion (`sessions_with_rows`): which sessions a
    // filter keeps, and so every download, stays what it was before replies were kept.
    t.replies = keep(&tables.replies, &keys.replies, |r, &s| passes(s, r.source.file, r.ts_ms, NO_MODEL));
    t.tool_calls = keep(&tables.tool_calls, &keys.tool_calls, |c, &(s, m)| passes(s, c.source.file, c.ts_ms, m));
    out.kept_usage = keep_indices(&tables.usage, &keys.usage, |u, &(s, m)| passes(s, u.source.file, u.ts_ms, m));
    t.usage = out
        .kept_usage
        .iter()
        .filter_map(|&i| tables.usage.get(i).cloned())
        .collect();
    out.usage_costs = align(usage_costs, &out.kept_usage);
    t.tool_audit = tables
        .tool_audit
        .iter()
        .filter(|r| {
            filter.machine_passes(tables, r.source.file)
                && filter.sessionless_passes(Format::ToolAudit, r.model.as_deref(), r.ts_ms)
        })
        .cloned()
        .collect();
    out.kept_api_calls = (0..tables.api_calls.len())
        .filter(|&i| {
            let c = &tables.api_calls[i];
            filter.machine_passes(tables, c.source.file) && filter.sessionless_passes(Format::RelayCalls, Some(&c.model), c.ts_ms)
        })
        .collect();
    t.api_calls = out
        .kept_api_calls
        .iter()
        .filter_map(|&i| tables.api_calls.get(i).cloned())
        .collect();
    t.sessions = sessions_with_rows(&chosen, t, filter);
    // After the rows: a session's rows may come from another machine than its record (a log
    // exported again after it grew), and they follow their own machine, like the per-machine totals.
    t.sessions.retain(|s| filter.machine_passes(tables, s.source.file));
    out
}

/// Sessions (with their numbers) that pass the session criteria and, under a model criterion,
/// used a chosen model (`model_ok`) in a routing or usage row.
fn chosen_sessions<'t>(tables: &'t Tables, filter: &Filter, keys: &Keys, model_ok: &dyn Fn(u32) -> bool) -> Vec<(u32, &'t Row<Session>)> {
    let mut used_model = vec![filter.models.is_empty(); keys.session_count];
    if !filter.models.is_empty() {
        for &(s, m) in keys.routing.iter().chain(&keys.usage) {
            if model_ok(m) {
                used_model[s as usize] = true;
            }
        }
    }
    tables
        .sessions
        .iter()
        .zip(&keys.sessions)
        .filter(|&(s, &n)| filter.session_criteria_pass(s) && used_model[n as usize])
        .map(|(s, &n)| (n, s))
        .collect()
}

/// Under a time criterion a session stays if its start passes or one of its rows stayed.
fn sessions_with_rows(chosen: &[(u32, &Row<Session>)], kept: &Tables, filter: &Filter) -> Vec<Row<Session>> {
    if !filter.has_time_criterion() {
        return chosen.iter().map(|(_, s)| Row::clone(s)).collect();
    }
    let with_rows: HashSet<&str> = kept
        .routing
        .iter()
        .map(|r| &*r.session_id)
        .chain(kept.queries.iter().map(|q| q.session_id.as_str()))
        .chain(kept.usage.iter().map(|u| &*u.session_id))
        .chain(kept.tool_calls.iter().map(|c| &*c.session_id))
        .collect();
    chosen
        .iter()
        .filter(|(_, s)| with_rows.contains(s.session_id.as_str()) || filter.time_passes(s.start_ms))
        .map(|(_, s)| Row::clone(s))
        .collect()
}

/// The rows of `rows` that pass, each with its keys.
fn keep<T: Clone, K>(rows: &[T], keys: &[K], mut pass: impl FnMut(&T, &K) -> bool) -> Vec<T> {
    debug_assert_eq!(rows.len(), keys.len());
    rows.iter().zip(keys).filter(|(r, k)| pass(r, k)).map(|(r, _)| r.clone()).collect()
}

/// The indices of the rows of `rows` that pass, each with its keys.
fn keep_indices<T, K>(rows: &[T], keys: &[K], mut pass: impl FnMut(&T, &K) -> bool) -> Vec<usize> {
    debug_assert_eq!(rows.len(), keys.len());
    rows.iter().zip(keys).enumerate().filter(|(_, (r, k))| pass(r, k)).map(|(i, _)| i).collect()
}
