//! Redaction of the normalized tables, field by field ([`Field`] lists which and why), and the
//! user names that `{users}` stands for.

use super::engine::{Masked, Redactor};
use super::field::{Field, Table};
use super::report::Report;
use crate::model::{FileId, Row, Source, Tables};
use std::collections::{BTreeSet, HashMap, HashSet};

/// A row: its table, file, line and `nth` (see [`super::RowRef`]).
type RowKey = (Table, FileId, u32, u32);

/// Manual redactions aimed at single rows: row → `(field, manual index)`.
struct Targets(HashMap<RowKey, Vec<(Field, usize)>>);

impl Targets {
    /// Resolve the rows' file names against `t.files` (before those names are redacted).
    fn new(t: &Tables, r: &Redactor) -> Targets {
        let mut map: HashMap<RowKey, Vec<(Field, usize)>> = HashMap::new();
        for (m, manual) in r.manual().iter().enumerate() {
            let Ok(Some((field, row))) = manual.target() else { continue };
            let Some(table) = field.table() else { continue };
            for (id, _) in t.files.iter().enumerate().filter(|(_, f)| f.name == row.file) {
                let (line, nth) = if table == Table::Files { (0, 0) } else { (row.line, row.nth) };
                map.entry((table, id as FileId, line, nth)).or_default().push((field, m));
            }
        }
        Targets(map)
    }

    fn row(&self, table: Table, s: Source, nth: u32, field: Field) -> Vec<usize> {
        if self.0.is_empty() {
            return Vec::new();
        }
        self.0.get(&(table, s.file, s.line, nth))
            .map(|v| v.iter().filter(|(f, _)| *f == field).map(|(_, m)| *m).collect())
            .unwrap_or_default()
    }
}

/// Call `each(row, source, nth)` for every row; `nth` counts the earlier rows of the same line.
fn walk<R>(rows: &mut [Row<R>], source: impl Fn(&R) -> Source, mut each: impl FnMut(&mut Row<R>, Source, u32)) {
    let mut previous: Option<Source> = None;
    let mut nth = 0;
    for row in rows {
        let s = source(row);
        nth = if previous == Some(s) { nth + 1 } else { 0 };
        previous = Some(s);
        each(row, s, nth);
    }
}

/// Values of the fields that repeat row after row (a session's working directory on each of its
/// routing rows, a user on each tool-audit row): masked once, counted every time.
const REPEATING: [Field; 5] = [Field::Workspace, Field::GitBranch, Field::GitRemote, Field::RoutingCwd, Field::AuditUser];
/// Distinct values remembered per field, so hostile logs cannot grow the memo without bound.
const MEMO_LIMIT: usize = 4096;

#[derive(Default)]
struct Memo(HashMap<Field, HashMap<String, Option<Masked>>>);

impl Memo {
    /// [`Redactor::masked`], through the memo for repeating fields of rows no manual redaction names.
    fn masked(&mut self, r: &Redactor, field: Field, rm: &[usize], text: &str) -> Option<Masked> {
        if !rm.is_empty() || !REPEATING.contains(&field) || text.is_empty() {
            return r.masked(field, rm, text);
        }
        let seen = self.0.entry(field).or_default();
        if let Some(m) = seen.get(text) {
            return m.clone();
        }
        let m = r.masked(field, rm, text);
        if seen.len() < MEMO_LIMIT {
            seen.insert(text.to_string(), m.clone());
        }
        m
    }
}

/// Redact every redacted field of `t`; the counts and previews of what was masked. The rows are
/// shared with the ledger ([`Row`]): only a row that a rule or manual redaction changes is copied
/// (`make_mut`), every other row stays the ledger's own.
pub fn tables(t: &mut Tables, r: &Redactor) -> Report {
    let mut report = r.empty_report();
    let targets = Targets::new(t, r);
    let mut memo = Memo::default();
    let Tables { files, sessions, routing, queries, replies, tool_calls, tool_audit, api_calls, .. } = t;
    for (i, f) in files.iter_mut().enumerate() {
        let s = Source { file: i as FileId, line: 0 };
        let rm = targets.row(Table::Files, s, 0, Field::FileName);
        r.apply(Field::FileName, &rm, &mut f.name, &mut report, &|| format!("file {}", i + 1));
    }
    let files = &*files;
    // What one field's text becomes (recorded in the report), or `None` when it stays.
    let mut mask = |table: Table, field: Field, text: Option<&str>, s: Source, nth: u32| -> Option<String> {
        let rm = targets.row(table, s, nth, field);
        let m = memo.masked(r, field, &rm, text?)?;
        let at = || format!("{}:{}", files.get(s.file as usize).map_or("?", |f| f.name.as_str()), s.line);
        r.record(field, &m, &mut report, &at);
        Some(m.out)
    };
    walk(sessions, |x| x.source, |x, s, n| {
        let workspace = mask(Table::Sessions, Field::Workspace, x.workspace.as_deref(), s, n);
        let branch = mask(Table::Sessions, Field::GitBranch, x.git_branch.as_deref(), s, n);
        let remote = mask(Table::Sessions, Field::GitRemote, x.git_remote.as_deref(), s, n);
        if workspace.is_some() || branch.is_some() || remote.is_some() {
            let x = Row::make_mut(x);
            replace(&mut x.workspace, workspace);
            replace(&mut x.git_branch, branch);
            replace(&mut x.git_remote, remote);
        }
    });
    walk(routing, |x| x.source, |x, s, n| {
        if let Some(v) = mask(Table::Routing, Field::RoutingCwd, x.cwd.as_deref(), s, n) {
            Row::make_mut(x).cwd = Some(v);
        }
    });
    walk(api_calls, |x| x.source, |x, s, n| {
        if let Some(v) = mask(Table::ApiCalls, Field::ApiError, x.error.as_deref(), s, n) {
            Row::make_mut(x).error = Some(v);
        }
    });
    walk(queries, |x| x.source, |x, s, n| {
        if let Some(v) = mask(Table::Queries, Field::QueryText, Some(&x.text), s, n) {
            Row::make_mut(x).text = v;
        }
    });
    walk(replies, |x| x.source, |x, s, n| {
        if let Some(v) = mask(Table::Replies, Field::ReplyPreview, Some(&x.preview), s, n) {
            Row::make_mut(x).preview = v;
        }
    });
    walk(tool_calls, |x| x.source, |x, s, n| {
        if let Some(v) = mask(Table::ToolCalls, Field::ToolArgs, Some(&x.args_snippet), s, n) {
            Row::make_mut(x).args_snippet = v;
        }
    });
    walk(tool_audit, |x| x.source, |x, s, n| {
        let user = mask(Table::ToolAudit, Field::AuditUser, Some(&x.user), s, n);
        let args = mask(Table::ToolAudit, Field::AuditArgs, Some(&x.args_snippet), s, n);
        let result = mask(Table::ToolAudit, Field::AuditResult, Some(&x.result_snippet), s, n);
        if user.is_some() || args.is_some() || result.is_some() {
            let x = Row::make_mut(x);
            x.user = user.unwrap_or(std::mem::take(&mut x.user));
            x.args_snippet = args.unwrap_or(std::mem::take(&mut x.args_snippet));
            x.result_snippet = result.unwrap_or(std::mem::take(&mut x.result_snippet));
        }
    });
    report
}

/// Put a masked value in place of an optional field, when there is one.
fn replace(field: &mut Option<String>, masked: Option<String>) {
    if masked.is_some() {
        *field = masked;
    }
}

/// Folders whose name is no person's (`/Users/Shared`, `C:\Users\Public`).
const NOT_USERS: [&str; 4] = ["shared", "public", "default", "all users"];

/// The user names `{users}` stands for: the tool-audit users, and the `<user>` of every home
/// directory (`/home/<user>`, `/Users/<user>`, `C:\Users\<user>`) in file names, workspaces,
/// working directories and `paths` (for instance the ingest report's file names). Sorted, unique.
pub fn users<'a>(t: &'a Tables, paths: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut seen: HashSet<&str> = HashSet::new();
    let texts = t.files.iter().map(|f| f.name.as_str())
        .chain(t.sessions.iter().filter_map(|s| s.workspace.as_deref()))
        .chain(t.routing.iter().filter_map(|r| r.cwd.as_deref()));
    for text in texts.chain(paths) {
        if seen.insert(text) {
            names.extend(home_users(text));
        }
    }
    names.extend(t.tool_audit.iter().map(|a| a.user.trim()).filter(|u| plausible(u)).map(String::from));
    names.into_iter().collect()
}

fn home_users(path: &str) -> impl Iterator<Item = String> + '_ {
    ["/home/", "/Users/", "\\Users\\"].into_iter().flat_map(move |marker| {
        path.match_indices(marker).filter_map(move |(i, _)| {
            let rest = &path[i + marker.len()..];
            let end = rest.find(|c: char| matches!(c, '/' | '\\' | '"' | '\'' | '<' | '>' | ':' | '[' | ']') || c.is_whitespace()).unwrap_or(rest.len());
            let name = &rest[..end];
            plausible(name).then(|| name.to_string())
        })
    })
}

/// A name `\b…\b` can find: 3 to 64 characters, letters or digits at both ends, not a folder
/// every machine has.
fn plausible(name: &str) -> bool {
    let n = name.chars().count();
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    (3..=64).contains(&n) && edge(name.chars().next()) && edge(name.chars().last())
        && !NOT_USERS.contains(&name.to_ascii_lowercase().as_str())
}
