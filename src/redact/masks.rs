//! What one redactor masks in every row of a ledger, worked out once and kept while only the
//! filters change, and brought up to date text by text when rules are switched.

use super::engine::{Growth, Masked, Redactor};
use super::field::{Field, Table};
use super::redactable::Redactable;
use super::Redaction;
use crate::model::{Row, Tables};
use rustc_hash::FxHashMap;
use std::collections::HashMap;

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
    /// By the row's address and field: the row's place in its ledger table, and its mask.
    masked: FxHashMap<(usize, Field), (u32, Masked)>,
    /// Each table's rows in the ledger, to tell that a table is the ledger's whole.
    rows: Vec<(Table, usize)>,
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
                for (at, index, m) in changes {
                    match m {
                        Some(m) => self.masked.insert(at, (index, m)),
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
        self.rows = vec![
            (Table::Sessions, all.sessions.len()),
            (Table::Routing, all.routing.len()),
            (Table::ApiCalls, all.api_calls.len()),
            (Table::Queries, all.queries.len()),
            (Table::Replies, all.replies.len()),
            (Table::ToolCalls, all.tool_calls.len()),
            (Table::ToolAudit, all.tool_audit.len()),
        ];
    }

    /// Whether no row of the ledger has a mask.
    pub(super) fn masks_nothing(&self) -> bool {
        self.masked.is_empty()
    }

    /// The mask of a ledger row's field (by the row's address), if it has one.
    pub(super) fn get(&self, at: usize, field: Field) -> Option<&Masked> {
        self.masked.get(&(at, field)).map(|(_, m)| m)
    }

    /// Every masked field of `table`'s rows as (place in the table, field), in table order and
    /// in each row in the order its fields are masked, when `rows` is the length of the ledger's
    /// table (then a table that holds the ledger's rows in order, unfiltered, can be redacted by
    /// visiting only these); `None` otherwise.
    pub(super) fn in_order(&self, table: Table, rows: usize) -> Option<Vec<(u32, Field)>> {
        if !self.rows.contains(&(table, rows)) {
            return None;
        }
        let mut list: Vec<(u32, Field)> = self.masked.iter().filter(|((_, f), _)| f.table() == Some(table)).map(|((_, f), (i, _))| (*i, *f)).collect();
        list.sort_unstable();
        Some(list)
    }
}

type Found = Vec<((usize, Field), u32, Option<Masked>)>;

/// One table's rows, whatever their type.
trait RedactedRows {
    /// What `r` masks in each row, by the row's address and field, with the row's place.
    fn masks(&self, r: &Redactor) -> Vec<((usize, Field), (u32, Masked))>;
    /// The masks that change from `known` when `r` grew out of the redactor `known` was for.
    fn regrown(&self, r: &Redactor, growth: &Growth, known: &FxHashMap<(usize, Field), (u32, Masked)>) -> Found;
}

impl<R: Redactable + Send + Sync> RedactedRows for Vec<Row<R>> {
    fn masks(&self, r: &Redactor) -> Vec<((usize, Field), (u32, Masked))> {
        each_text(self, |at, index, field, text, memo| memo.masked(r, field, &[], text).map(|m| ((at, field), (index, m))))
    }

    fn regrown(&self, r: &Redactor, growth: &Growth, known: &FxHashMap<(usize, Field), (u32, Masked)>) -> Found {
        if growth.is_empty() {
            return Vec::new();
        }
        each_text(self, |at, index, field, text, memo| {
            let touched = memo.touches(field, text, || growth.touches(r, field, text, || known.get(&(at, field)).map(|(_, m)| m)));
            touched.then(|| ((at, field), index, memo.masked(r, field, &[], text)))
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

/// `found(row address, row's place, field, text, memo)` for every present text of `rows`, the
/// `Some`s kept.
fn each_text<R: Redactable + Send + Sync, T: Send>(rows: &[Row<R>], found: impl Fn(usize, u32, Field, &str, &mut Memo) -> Option<T> + Sync) -> Vec<T> {
    // A row's place, from where it stands in `rows` (the pieces are slices of it).
    let start = rows.as_ptr() as usize;
    let place = |x: &Row<R>| ((std::ptr::from_ref(x) as usize - start) / std::mem::size_of::<Row<R>>()) as u32;
    // On the command line the pieces run on every core; each has a memo of its own (the
    // repeating fields repeat within a session's rows, which stand together).
    let pieces = crate::par::map_chunks(rows, crate::par::piece_size(rows.len()), |chunk| {
        let mut memo = Memo::default();
        let mut out = Vec::new();
        for x in chunk {
            let (at, index) = (Row::as_ptr(x) as usize, place(x));
            x.texts(&mut |field, text| {
                if let Some(t) = text.and_then(|text| found(at, index, field, text, &mut memo)) {
                    out.push(t);
                }
            });
        }
        out
    });
    pieces.into_iter().flatten().collect()
}

/// Values of the fields that repeat row after row (a session's working directory on each of its
/// routing rows, a user on each tool-audit row): masked once, counted every time.
const REPEATING: [Field; 5] = [Field::Workspace, Field::GitBranch, Field::GitRemote, Field::RoutingCwd, Field::AuditUser];
/// Distinct values remembered per field, so hostile logs cannot grow the memo without bound.
const MEMO_LIMIT: usize = 4096;

#[derive(Default)]
pub(super) struct Memo {
    masked: HashMap<Field, HashMap<String, Option<Masked>>>,
    /// The last text of each repeating field asked whether switched rules touch it, and the
    /// answer ([`Growth::touches`]).
    touched: Vec<(Field, String, bool)>,
}

impl Memo {
    /// [`Redactor::masked`], through the memo for repeating fields of rows no manual redaction names.
    pub(super) fn masked(&mut self, r: &Redactor, field: Field, rm: &[usize], text: &str) -> Option<Masked> {
        if !rm.is_empty() || !REPEATING.contains(&field) || text.is_empty() {
            return r.masked(field, rm, text);
        }
        let seen = self.masked.entry(field).or_default();
        if let Some(m) = seen.get(text) {
            return m.clone();
        }
        let m = r.masked(field, rm, text);
        if seen.len() < MEMO_LIMIT {
            seen.insert(text.to_string(), m.clone());
        }
        m
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
