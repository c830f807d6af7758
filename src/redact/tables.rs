//! Redaction of the normalized tables, field by field ([`Field`] lists which and why), and the
//! user names that `{users}` stands for.

use super::engine::Redactor;
use super::field::{Field, Table};
use super::masks::{Memo, RowMasks};
use super::redactable::Redactable;
use super::report::Report;
use crate::model::{FileId, Row, Source, SourceFile, Tables};
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

/// Redact every redacted field of `t`; the counts and previews of what was masked.
pub fn tables(t: &mut Tables, r: &Redactor) -> Report {
    tables_with(t, r, None, false)
}

/// [`tables`], looking each row up in `known` (when given) instead of running the rules on it.
/// `t`'s rows must be rows of the ledger `known` was refreshed for; `whole` says they are all of
/// them, in the ledger's order (no filter), and then only the rows with a mask are visited. The
/// rows are shared with the ledger ([`Row`]): only a row that a rule or manual redaction changes
/// is copied (`make_mut`).
pub fn tables_with(t: &mut Tables, r: &Redactor, known: Option<&RowMasks>, whole: bool) -> Report {
    let mut report = r.empty_report();
    let targets = Targets::new(t, r);
    let Tables { files, sessions, routing, queries, replies, tool_calls, tool_audit, api_calls, .. } = t;
    for (i, f) in files.iter_mut().enumerate() {
        let s = Source { file: i as FileId, line: 0 };
        let rm = targets.row(Table::Files, s, 0, Field::FileName);
        r.apply(Field::FileName, &rm, &mut f.name, &mut report, &|| format!("file {}", i + 1));
    }
    let mut pass = Pass { r, targets: &targets, memo: Memo::default(), known, whole, files, report: &mut report };
    // The order the report's previews come in: keep it.
    pass.rows(sessions);
    pass.rows(routing);
    pass.rows(api_calls);
    pass.rows(queries);
    pass.rows(replies);
    pass.rows(tool_calls);
    pass.rows(tool_audit);
    report
}

/// One redaction of the tables, table by table.
struct Pass<'a> {
    r: &'a Redactor,
    targets: &'a Targets,
    memo: Memo,
    known: Option<&'a RowMasks>,
    /// The tables are the ledger's, whole and in order.
    whole: bool,
    files: &'a [SourceFile],
    report: &'a mut Report,
}

impl Pass<'_> {
    fn rows<T: Redactable>(&mut self, rows: &mut [Row<T>]) {
        // The ledger's rows with their masks known, and no manual redaction aimed at a row: only
        // the masked rows change, and visiting them alone, in order, records the same (a
        // redaction switch read every row's text pointers here: 30 ms natively for the
        // real-world profile's 700,000 rows, with none masked).
        // A rule set that masks no row of the ledger (the secret rules over logs without
        // secrets) masks none of a filter's rows either: none is visited.
        let places = match self.known {
            Some(k) if self.targets.0.is_empty() && k.masks_nothing() => Some(Vec::new()),
            Some(k) if self.whole && self.targets.0.is_empty() => k.in_order(T::TABLE, rows.len()),
            _ => None,
        };
        match places {
            Some(places) => {
                let mut last = None;
                for (index, _) in places {
                    if last.replace(index) != Some(index) {
                        let x = &mut rows[index as usize];
                        let s = x.source();
                        self.row(x, s, 0);
                    }
                }
            }
            None => walk(rows, |x| x.source(), |x, s, nth| self.row(x, s, nth)),
        }
    }

    /// Redact one row (from `s`, the `nth` row of its line).
    fn row<T: Redactable>(&mut self, x: &mut Row<T>, s: Source, nth: u32) {
        let Pass { r, targets, memo, known, files, report, .. } = self;
        let at = Row::as_ptr(x) as usize;
        let locate = || format!("{}:{}", files.get(s.file as usize).map_or("?", |f| f.name.as_str()), s.line);
        let mut changes = Vec::new();
        x.texts(&mut |field, text| {
            let Some(text) = text else { return };
            let rm = targets.row(T::TABLE, s, nth, field);
            let masked = match known {
                Some(k) if rm.is_empty() => k.get(at, field).cloned(),
                _ => memo.masked(r, field, &rm, text),
            };
            if let Some(m) = masked {
                r.record(field, &m, report, &locate);
                changes.push((field, m.out));
            }
        });
        if !changes.is_empty() {
            let x = Row::make_mut(x);
            changes.into_iter().for_each(|(field, text)| x.set(field, text));
        }
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
