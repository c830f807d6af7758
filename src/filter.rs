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

use crate::model::{FileId, Format, Millis, Row, Session, Tables};
// Session ids are hashed once per row of every table: FxHash is several times faster than SipHash
// here, and the keys are the logs' own ids, not chosen against this map.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

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

    /// A session row whose session has no record: no session criterion can match it.
    fn orphan_passes(&self, model: Option<&str>, t: Option<Millis>) -> bool {
        self.sessions.is_empty()
            && self.workspaces.is_empty()
            && self.formats.is_empty()
            && self.model_passes(model)
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
pub fn apply<'t>(tables: &'t Tables, usage_costs: &[Option<f64>], filter: &Filter) -> Filtered {
    if filter.is_empty() {
        let all_usage: Vec<usize> = (0..tables.usage.len()).collect();
        return Filtered {
            tables: tables.clone(),
            usage_costs: align(usage_costs, &all_usage),
            kept_usage: all_usage,
            kept_api_calls: (0..tables.api_calls.len()).collect(),
        };
    }
    let chosen = chosen_sessions(tables, filter);
    let starts: HashMap<&str, Option<Millis>> = chosen
        .iter()
        .map(|s| (s.session_id.as_str(), s.start_ms))
        .collect();
    let known: HashSet<&str> = tables
        .sessions
        .iter()
        .map(|s| s.session_id.as_str())
        .collect();
    // A session row passes when its session was chosen, its time passes, and its model (if any).
    // A row whose session has no record at all passes on its own time and model alone.
    // Rows stand in runs of one session (a file's lines): the last session looked up is
    // remembered, so a run costs one string comparison a row instead of a hash and a lookup.
    let mut last: Option<(&'t str, Option<Option<Millis>>, bool)> = None;
    let mut passes = |sid: &'t str, file: FileId, ts: Option<Millis>, model: Option<&str>| -> bool {
        if !filter.machine_passes(tables, file) {
            return false;
        }
        let (start, is_known) = match last {
            Some((previous, start, is_known)) if previous == sid => (start, is_known),
            _ => {
                let start = starts.get(sid).copied();
                let is_known = start.is_some() || known.contains(sid);
                last = Some((sid, start, is_known));
                (start, is_known)
            }
        };
        match start {
            Some(start) => {
                filter.time_passes(ts.or(start)) && (model.is_none() || filter.model_passes(model))
            }
            None => !is_known && filter.orphan_passes(model, ts),
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
    t.routing = keep(&tables.routing, |r| {
        passes(&r.session_id, r.source.file, r.ts_ms, Some(&r.model))
    });
    t.queries = keep(&tables.queries, |q| passes(&q.session_id, q.source.file, q.ts_ms, None));
    // Like queries: a reply belongs to its session and time, not to a model criterion. Replies
    // do not keep a session in under a time criterion (`sessions_with_rows`): which sessions a
    // filter keeps, and so every download, stays what it was before replies were kept.
    t.replies = keep(&tables.replies, |r| passes(&r.session_id, r.source.file, r.ts_ms, None));
    t.tool_calls = keep(&tables.tool_calls, |c| {
        passes(&c.session_id, c.source.file, c.ts_ms, c.model.as_deref())
    });
    out.kept_usage = keep_indices(&tables.usage, |u| {
        passes(&u.session_id, u.source.file, u.ts_ms, Some(&u.model))
    });
    t.usage = out
        .kept_usage
        .iter()
        .filter_map(|&i| tables.usage.get(i).cloned())
        .collect();
    out.usage_costs = align(usage_costs, &out.kept_usage);
    t.tool_audit = keep(&tables.tool_audit, |r| {
        filter.machine_passes(tables, r.source.file) && filter.sessionless_passes(Format::ToolAudit, r.model.as_deref(), r.ts_ms)
    });
    out.kept_api_calls = keep_indices(&tables.api_calls, |c| {
        filter.machine_passes(tables, c.source.file) && filter.sessionless_passes(Format::RelayCalls, Some(&c.model), c.ts_ms)
    });
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

/// Sessions that pass the session criteria and, under a model criterion, used a chosen model.
fn chosen_sessions<'t>(tables: &'t Tables, filter: &Filter) -> Vec<&'t Row<Session>> {
    let used_model: HashSet<&str> = if filter.models.is_empty() {
        HashSet::default()
    } else {
        let routing = tables
            .routing
            .iter()
            .map(|r| (r.session_id.as_str(), r.model.as_str()));
        let usage = tables
            .usage
            .iter()
            .map(|u| (u.session_id.as_str(), u.model.as_str()));
        routing
            .chain(usage)
            .filter(|(_, m)| filter.model_passes(Some(m)))
            .map(|(s, _)| s)
            .collect()
    };
    tables
        .sessions
        .iter()
        .filter(|s| filter.session_criteria_pass(s))
        .filter(|s| filter.models.is_empty() || used_model.contains(s.session_id.as_str()))
        .collect()
}

/// Under a time criterion a session stays if its start passes or one of its rows stayed.
fn sessions_with_rows(chosen: &[&Row<Session>], kept: &Tables, filter: &Filter) -> Vec<Row<Session>> {
    if !filter.has_time_criterion() {
        return chosen.iter().map(|s| Row::clone(s)).collect();
    }
    let with_rows: HashSet<&str> = kept
        .routing
        .iter()
        .map(|r| r.session_id.as_str())
        .chain(kept.queries.iter().map(|q| q.session_id.as_str()))
        .chain(kept.usage.iter().map(|u| u.session_id.as_str()))
        .chain(kept.tool_calls.iter().map(|c| c.session_id.as_str()))
        .collect();
    chosen
        .iter()
        .filter(|s| with_rows.contains(s.session_id.as_str()) || filter.time_passes(s.start_ms))
        .map(|s| Row::clone(s))
        .collect()
}

fn keep<'t, T: Clone>(rows: &'t [T], mut pass: impl FnMut(&'t T) -> bool) -> Vec<T> {
    rows.iter().filter(|r| pass(r)).cloned().collect()
}

fn keep_indices<'t, T>(rows: &'t [T], mut pass: impl FnMut(&'t T) -> bool) -> Vec<usize> {
    rows.iter()
        .enumerate()
        .filter(|(_, r)| pass(r))
        .map(|(i, _)| i)
        .collect()
}
