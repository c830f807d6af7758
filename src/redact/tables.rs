//! Redaction of the normalized tables, field by field ([`Field`] lists which and why), and the
//! user names that `{users}` stands for.

use super::engine::{Growth, Masked, Redactor};
use super::field::{Field, Table};
use super::report::Report;
use super::Redaction;
use crate::model::{ApiCall, FileId, Query, Reply, RoutingRow, Row, Session, Source, SourceFile, Tables, ToolAuditRow, ToolCall};
use rustc_hash::FxHashMap;
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
struct Memo {
    masked: HashMap<Field, HashMap<String, Option<Masked>>>,
    /// The last text of each repeating field asked whether switched rules touch it, and the
    /// answer ([`Growth::touches`]).
    touched: Vec<(Field, String, bool)>,
}

impl Memo {
    /// [`Redactor::masked`], through the memo for repeating fields of rows no manual redaction names.
    fn masked(&mut self, r: &Redactor, field: Field, rm: &[usize], text: &str) -> Option<Masked> {
        if !rm.is_empty() || !REPEATING.contains(&field) || text.is_empty() {
            return r.masked(field, rm, text);
        }
        remembered(&mut self.masked, field, text, || r.masked(field, rm, text))
    }

    /// `touch()`, which tells whether a text of `field` is touched by switched rules, kept for
    /// the next row when the field repeats: a session's working directory stands on each of its
    /// routing rows, one after the other (on the real-world profile, 226,583 routing rows took a
    /// quarter of a switch's masking). The answer depends on the text alone: a row that a manual
    /// redaction names is not looked up in the masks.
    fn touches(&mut self, field: Field, text: &str, touch: impl FnOnce() -> bool) -> bool {
        if !REPEATING.contains(&field) || text.is_empty() {
            return touch();
        }
        let last = self.touched.iter_mut().find(|(f, _, _)| *f == field);
        if let Some((_, seen, answer)) = &last
            && seen == text
        {
            return *answer;
        }
        let answer = touch();
        match last {
            Some((_, seen, kept)) => {
                seen.clear();
                seen.push_str(text);
                *kept = answer;
            }
            None => self.touched.push((field, text.to_string(), answer)),
        }
        answer
    }
}

/// `make()`'s answer for `text` of `field`, remembered (up to [`MEMO_LIMIT`] texts a field).
fn remembered<T: Clone>(memo: &mut HashMap<Field, HashMap<String, T>>, field: Field, text: &str, make: impl FnOnce() -> T) -> T {
    let seen = memo.entry(field).or_default();
    if let Some(m) = seen.get(text) {
        return m.clone();
    }
    let m = make();
    if seen.len() < MEMO_LIMIT {
        seen.insert(text.to_string(), m.clone());
    }
    m
}

/// A row type and the fields of it that redaction reads, in the order they are masked.
trait Redactable: Clone {
    const TABLE: Table;
    fn source(&self) -> Source;
    /// Each redacted field's text (`None`: the field is absent).
    fn texts(&self, each: &mut dyn FnMut(Field, Option<&str>));
    fn set(&mut self, field: Field, text: String);
}

macro_rules! redactable {
    ($row:ty, $table:expr, $( $field:expr => $get:expr, $put:expr );+ $(;)?) => {
        impl Redactable for $row {
            const TABLE: Table = $table;
            fn source(&self) -> Source {
                self.source
            }
            fn texts(&self, each: &mut dyn FnMut(Field, Option<&str>)) {
                $( {
                    let get: for<'a> fn(&'a $row) -> Option<&'a str> = $get;
                    each($field, get(self));
                } )+
            }
            fn set(&mut self, field: Field, text: String) {
                $( if field == $field { ($put)(self, text); return; } )+
            }
        }
    };
}

redactable!(Session, Table::Sessions,
    Field::Workspace => |x| x.workspace.as_deref(), |x: &mut Session, v| x.workspace = Some(v);
    Field::GitBranch => |x| x.git_branch.as_deref(), |x: &mut Session, v| x.git_branch = Some(v);
    Field::GitRemote => |x| x.git_remote.as_deref(), |x: &mut Session, v| x.git_remote = Some(v));
redactable!(RoutingRow, Table::Routing,
    Field::RoutingCwd => |x| x.cwd.as_deref(), |x: &mut RoutingRow, v| x.cwd = Some(v));
redactable!(ApiCall, Table::ApiCalls,
    Field::ApiError => |x| x.error.as_deref(), |x: &mut ApiCall, v| x.error = Some(v));
redactable!(Query, Table::Queries,
    Field::QueryText => |x| Some(x.text.as_str()), |x: &mut Query, v| x.text = v);
redactable!(Reply, Table::Replies,
    Field::ReplyPreview => |x| Some(x.preview.as_str()), |x: &mut Reply, v| x.preview = v);
redactable!(ToolCall, Table::ToolCalls,
    Field::ToolArgs => |x| Some(x.args_snippet.as_str()), |x: &mut ToolCall, v| x.args_snippet = v);
redactable!(ToolAuditRow, Table::ToolAudit,
    Field::AuditUser => |x| Some(x.user.as_str()), |x: &mut ToolAuditRow, v| x.user = v;
    Field::AuditArgs => |x| Some(x.args_snippet.as_str()), |x: &mut ToolAuditRow, v| x.args_snippet = v;
    Field::AuditResult => |x| Some(x.result_snippet.as_str()), |x: &mut ToolAuditRow, v| x.result_snippet = v);

/// What one redactor masks in a ledger's rows, found once for all of them and kept while the
/// redactor stays the same: a filter change then redacts its rows by lookup, not by running every
/// rule over every text again (issue #18.2: that was half of a filter change's time). A rule
/// switched on or off masks again only the texts it matches or masked ([`Growth`]).
///
/// A row is known by the address of its shared [`Row`], which holds while the ledger lives; a row
/// of the ledger that is not in `masked` has nothing masked. Rows a manual redaction names by row
/// are not looked up (their masks depend on where they stand in the redacted table).
#[derive(Default)]
pub struct RowMasks {
    /// The ledger (its address), the rules and manual redactions, and the `{users}` they were for.
    key: Option<(usize, Redaction, Vec<String>)>,
    /// The rules compiled for `key`.
    redactor: Option<Redactor>,
    masked: FxHashMap<(usize, Field), Masked>,
}

impl RowMasks {
    /// Whether these masks were never worked out (for no ledger and no rules).
    pub fn is_empty(&self) -> bool {
        self.key.is_none()
    }

    /// Masks of every row of `all` under `r` (made from `redaction` and `users`), kept from the
    /// last call when that was for the same ledger and redactor, and brought up to date text by
    /// text when it was for the same ledger and users with other rules switched on or off.
    pub fn refresh(&mut self, ledger: usize, all: &Tables, redaction: &Redaction, users: &[String], r: &Redactor) {
        let key = (ledger, redaction.clone(), users.to_vec());
        if self.key.as_ref() == Some(&key) {
            return;
        }
        let same_rows = self.key.as_ref().is_some_and(|(l, _, u)| *l == ledger && u.as_slice() == users);
        match self.redactor.as_ref().and_then(|before| r.growth_from(before)).filter(|_| same_rows) {
            Some(growth) => {
                let mut changes = Vec::new();
                each_table(all, &mut |rows| changes.extend(rows.regrown(r, &growth, &self.masked)));
                for (at, m) in changes {
                    match m {
                        Some(m) => self.masked.insert(at, m),
                        None => self.masked.remove(&at),
                    };
                }
            }
            None => {
                let mut masked = FxHashMap::default();
                each_table(all, &mut |rows| masked.extend(rows.masks(r)));
                self.masked = masked;
            }
        }
        (self.key, self.redactor) = (Some(key), Some(r.clone()));
    }
}

type Found = Vec<((usize, Field), Option<Masked>)>;

/// One table's rows, whatever their type.
trait RedactedRows {
    /// What `r` masks in each row, by the row's address and field.
    fn masks(&self, r: &Redactor) -> Vec<((usize, Field), Masked)>;
    /// The masks that change from `known` when `r` grew out of the redactor `known` was for.
    fn regrown(&self, r: &Redactor, growth: &Growth, known: &FxHashMap<(usize, Field), Masked>) -> Found;
}

impl<R: Redactable + Send + Sync> RedactedRows for Vec<Row<R>> {
    fn masks(&self, r: &Redactor) -> Vec<((usize, Field), Masked)> {
        each_text(self, |at, field, text, memo| memo.masked(r, field, &[], text).map(|m| ((at, field), m)))
    }

    fn regrown(&self, r: &Redactor, growth: &Growth, known: &FxHashMap<(usize, Field), Masked>) -> Found {
        if growth.is_empty() {
            return Vec::new();
        }
        each_text(self, |at, field, text, memo| {
            let touched = memo.touches(field, text, || growth.touches(r, field, text, || known.get(&(at, field))));
            touched.then(|| ((at, field), memo.masked(r, field, &[], text)))
        })
    }
}

fn each_table(all: &Tables, each: &mut dyn FnMut(&dyn RedactedRows)) {
    each(&all.sessions);
    each(&all.routing);
    each(&all.api_calls);
    each(&all.queries);
    each(&all.replies);
    each(&all.tool_calls);
    each(&all.tool_audit);
}

/// `found(row address, field, text, memo)` for every present text of `rows`, the `Some`s kept.
fn each_text<R: Redactable + Send + Sync, T: Send>(rows: &[Row<R>], found: impl Fn(usize, Field, &str, &mut Memo) -> Option<T> + Sync) -> Vec<T> {
    // On the command line the pieces run on every core; each has a memo of its own (the
    // repeating fields repeat within a session's rows, which stand together).
    let pieces = crate::par::map_chunks(rows, crate::par::piece_size(rows.len()), |chunk| {
        let mut memo = Memo::default();
        let mut out = Vec::new();
        for x in chunk {
            let at = Row::as_ptr(x) as usize;
            x.texts(&mut |field, text| {
                if let Some(t) = text.and_then(|text| found(at, field, text, &mut memo)) {
                    out.push(t);
                }
            });
        }
        out
    });
    pieces.into_iter().flatten().collect()
}

/// Redact every redacted field of `t`; the counts and previews of what was masked.
pub fn tables(t: &mut Tables, r: &Redactor) -> Report {
    tables_with(t, r, None)
}

/// [`tables`], looking each row up in `known` (when given) instead of running the rules on it.
/// `t`'s rows must be rows of the ledger `known` was refreshed for. The rows are shared with the
/// ledger ([`Row`]): only a row that a rule or manual redaction changes is copied (`make_mut`).
pub fn tables_with(t: &mut Tables, r: &Redactor, known: Option<&RowMasks>) -> Report {
    let mut report = r.empty_report();
    let targets = Targets::new(t, r);
    let Tables { files, sessions, routing, queries, replies, tool_calls, tool_audit, api_calls, .. } = t;
    for (i, f) in files.iter_mut().enumerate() {
        let s = Source { file: i as FileId, line: 0 };
        let rm = targets.row(Table::Files, s, 0, Field::FileName);
        r.apply(Field::FileName, &rm, &mut f.name, &mut report, &|| format!("file {}", i + 1));
    }
    let mut pass = Pass { r, targets: &targets, memo: Memo::default(), known, files, report: &mut report };
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
    files: &'a [SourceFile],
    report: &'a mut Report,
}

impl Pass<'_> {
    fn rows<T: Redactable>(&mut self, rows: &mut [Row<T>]) {
        let Pass { r, targets, memo, known, files, report } = self;
        walk(rows, |x| x.source(), |x, s, nth| {
            let at = Row::as_ptr(x) as usize;
            let locate = || format!("{}:{}", files.get(s.file as usize).map_or("?", |f| f.name.as_str()), s.line);
            let mut changes = Vec::new();
            x.texts(&mut |field, text| {
                let Some(text) = text else { return };
                let rm = targets.row(T::TABLE, s, nth, field);
                let masked = match known {
                    Some(k) if rm.is_empty() => k.masked.get(&(at, field)).cloned(),
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
        });
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
