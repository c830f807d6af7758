//! Merging imported exports into the tables read from logs, without counting anything twice.
//!
//! Rules (`docs/team-view.md` says the same for users):
//! - **Order**: the logs read here come first (the cross-file rules have run on them), then each
//!   export in the order its file was given. What is already in is never replaced.
//! - **What a row is**: a session is its `session_id`; a usage row is its dedup key, the session,
//!   time, model, `request_key`, the six normalized token counts and Codex's cumulative total; the
//!   other rows are their session (if any), time and identifying fields, never a text an export
//!   may have redacted (a prompt is its session, time and line in its log: [`Keys`]). A row of an
//!   export whose key is already in (from the logs or an earlier export) is a duplicate: it is
//!   not added, and the zip's report row counts it under `duplicates`. Rows of one export are not
//!   compared with each other: the exporting machine already counted them once.
//! - Keys are 64-bit SipHash digests of those fields (a false match needs about 4 billion rows).

use super::Imported;
use crate::ingest::report::{FileReport, IngestReport};
use crate::model::{ApiCall, FileId, Query, RoutingRow, Session, Tables, ToolAuditRow, ToolCall, UsageRow};
use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

fn digest(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// What makes each kind of row the same row on two machines.
pub trait Keyed {
    fn key(&self) -> u64;
}

/// A shared row has its row's key.
impl<T: Keyed> Keyed for crate::model::Row<T> {
    fn key(&self) -> u64 {
        (**self).key()
    }
}

impl Keyed for Session {
    fn key(&self) -> u64 {
        digest(&self.session_id)
    }
}

impl Keyed for RoutingRow {
    fn key(&self) -> u64 {
        digest((&self.session_id, self.ts_ms, &self.turn_id, &self.model))
    }
}

impl Keyed for Query {
    fn key(&self) -> u64 {
        // The line, not the text: an export may carry the prompt redacted.
        digest((&self.session_id, self.ts_ms, self.source.line))
    }
}

impl Keyed for UsageRow {
    fn key(&self) -> u64 {
        let tokens = [
            self.input_tokens,
            self.cached_input_tokens,
            self.cache_creation_input_tokens,
            self.output_tokens,
            self.reasoning_output_tokens,
            self.total_tokens,
        ];
        digest((&self.session_id, self.ts_ms, &self.model, &self.request_key, tokens, self.cumulative.map(|c| c.total_tokens)))
    }
}

impl Keyed for ToolCall {
    fn key(&self) -> u64 {
        digest((&self.session_id, self.ts_ms, &self.call_id, &self.tool, &self.kind))
    }
}

impl Keyed for ToolAuditRow {
    fn key(&self) -> u64 {
        digest((self.ts_ms, &self.ts, &self.user, &self.tool, &self.status, self.args_bytes, self.source.line))
    }
}

impl Keyed for ApiCall {
    fn key(&self) -> u64 {
        let tokens = [self.input_tokens, self.output_tokens, self.thinking_tokens];
        digest((self.ts_ms, &self.install_id, &self.job_id, &self.model, &self.status, tokens))
    }
}

/// The keys of every row already in, one set per table.
#[derive(Default)]
struct Keys {
    sessions: HashSet<u64>,
    routing: HashSet<u64>,
    queries: HashSet<u64>,
    usage: HashSet<u64>,
    tool_calls: HashSet<u64>,
    tool_audit: HashSet<u64>,
    api_calls: HashSet<u64>,
}

fn keys_of<T: Keyed>(rows: &[T]) -> HashSet<u64> {
    rows.iter().map(Keyed::key).collect()
}

impl Keys {
    fn of(t: &Tables) -> Keys {
        Keys {
            sessions: keys_of(&t.sessions),
            routing: keys_of(&t.routing),
            queries: keys_of(&t.queries),
            usage: keys_of(&t.usage),
            tool_calls: keys_of(&t.tool_calls),
            tool_audit: keys_of(&t.tool_audit),
            api_calls: keys_of(&t.api_calls),
        }
    }
}

/// Move the rows of `new` whose key `seen` lacks onto `into`; count the others on `zip`. The
/// new keys join `seen` only after the whole table, so one export's rows never drop each other.
fn take_new<T: Keyed>(into: &mut Vec<T>, new: Vec<T>, seen: &mut HashSet<u64>, zip: &mut FileReport) {
    let mut added = Vec::new();
    for row in new {
        let key = row.key();
        if seen.contains(&key) {
            zip.parsed_to_duplicate();
        } else {
            added.push(key);
            into.push(row);
        }
    }
    seen.extend(added);
}

/// Merge each export, in order, into `tables` and `report`; `zip` is the id of the export's own
/// file (its report row counts what was duplicate).
pub fn merge(tables: &mut Tables, report: &mut IngestReport, imports: Vec<(FileId, Imported)>) {
    if imports.is_empty() {
        return;
    }
    let mut seen = Keys::of(tables);
    for (zip, imported) in imports {
        let Imported { tables: mut t, reports, .. } = imported;
        let offset = tables.files.len() as FileId;
        t.shift_files(offset);
        tables.files.append(&mut t.files);
        report.files.extend(reports);
        let mut zip_report = std::mem::take(&mut report.files[zip as usize]);
        take_new(&mut tables.sessions, t.sessions, &mut seen.sessions, &mut zip_report);
        take_new(&mut tables.routing, t.routing, &mut seen.routing, &mut zip_report);
        take_new(&mut tables.queries, t.queries, &mut seen.queries, &mut zip_report);
        take_new(&mut tables.usage, t.usage, &mut seen.usage, &mut zip_report);
        take_new(&mut tables.tool_calls, t.tool_calls, &mut seen.tool_calls, &mut zip_report);
        take_new(&mut tables.tool_audit, t.tool_audit, &mut seen.tool_audit, &mut zip_report);
        take_new(&mut tables.api_calls, t.api_calls, &mut seen.api_calls, &mut zip_report);
        report.files[zip as usize] = zip_report;
    }
}
