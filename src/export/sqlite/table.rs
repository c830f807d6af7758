//! One dataset's table and its indexes, written from its rows in pieces: the page's zip builds a
//! dataset's cells a row group at a time for its CSV, its table and its Parquet file, never the
//! whole dataset's cells at once (201 MB for `usage_tokens` on the real-world profile).
//!
//! The rows go into the table's b-tree as each piece comes. What the indexes need outlives the
//! piece: each indexed column's value per row, with its texts interned (sessions, models and
//! days repeat). Whether the key candidate is unique, hence whether it is the primary key, is
//! known once every row is in, and so is the table's schema: both are written at the end, with
//! the indexes. Whole or in pieces, the table's pages are the same.

use super::btree::{IndexTree, Pager, Root, TableTree};
use super::record::{Sql, put_record};
use super::{Key, SchemaRow, create_table, index_plan, order};
use crate::export::csv_cell::CsvTable;
use crate::export::typed::{self, Kind, Value};
use rustc_hash::FxHashMap;

/// A table being written ([`super::Builder::start_table`]).
pub struct TableWriter {
    csv: &'static str,
    name: String,
    columns: &'static [&'static str],
    kinds: Vec<Kind>,
    tree: TableTree,
    rows: i64,
    keys: Vec<KeyColumn>,
    /// Reused between rows.
    buf: Vec<u8>,
}

impl TableWriter {
    /// A table for dataset `csv` with its `columns`.
    pub(super) fn new(csv: &'static str, columns: &'static [&'static str]) -> Self {
        let name = typed::table_name(csv).to_string();
        let kinds: Vec<Kind> = columns.iter().map(|c| typed::kind(c)).collect();
        // Every column an index may hold, each once: the key candidate, the session, the
        // model, the day (the plan is chosen at the end, when the key's uniqueness is known).
        let position = |col: &str| columns.iter().position(|c| *c == col);
        let columns_held = [typed::key_candidate(csv), Some("session_id"), Some("model")].into_iter().flatten().filter_map(|col| position(col).map(Key::Column));
        let day = typed::day_column(columns).and_then(position).map(Key::Day);
        let mut keys: Vec<KeyColumn> = Vec::new();
        for key in columns_held.chain(day) {
            if !keys.iter().any(|k| k.key == key) {
                keys.push(KeyColumn::new(key));
            }
        }
        TableWriter { csv, name, columns, kinds, tree: TableTree::new(Root::NewPage), rows: 0, keys, buf: Vec::new() }
    }

    /// Append the rows of `piece` (the next rows of the dataset) to the table.
    pub(super) fn rows(&mut self, pager: &mut Pager, piece: &CsvTable) {
        let mut values = Vec::with_capacity(self.kinds.len());
        for row in &piece.rows {
            values.clear();
            values.extend(row.iter().zip(&self.kinds).map(|(cell, k)| Sql::from(typed::value(*k, cell))));
            self.buf.clear();
            put_record(&mut self.buf, &values);
            self.rows += 1;
            self.tree.push(pager, self.rows, &self.buf);
            for key in &mut self.keys {
                key.push(row.get(key.at()).map_or(Value::Null, |cell| typed::value(self.kinds[key.at()], cell)));
            }
        }
    }

    /// Finish the table, write its indexes, and add their rows to `schema`.
    pub(super) fn finish(self, pager: &mut Pager, schema: &mut Vec<SchemaRow>) {
        let unique = |col: &&str| {
            let at = self.columns.iter().position(|c| c == col);
            self.keys.iter().any(|k| Some(k.key) == at.map(Key::Column) && k.unique())
        };
        let key = typed::key_candidate(self.csv).filter(unique);
        let root = self.tree.finish(pager);
        schema.push(SchemaRow {
            kind: "table",
            name: self.name.clone(),
            table: self.name.clone(),
            root,
            sql: Some(create_table(&self.name, self.columns, &self.kinds, key)),
        });
        for (index, sql, wanted) in index_plan(&self.name, self.csv, self.columns, key) {
            let Some(column) = self.keys.iter().find(|k| k.key == wanted) else { continue };
            let root = column.write_index(pager);
            schema.push(SchemaRow { kind: "index", name: index, table: self.name.clone(), root, sql });
        }
    }
}

/// An indexed column's value in each row so far; texts interned.
struct KeyColumn {
    key: Key,
    values: Vec<Held>,
    ids: FxHashMap<Box<str>, u32>,
}

/// A value kept past its row's cells.
#[derive(Clone, Copy)]
enum Held {
    Null,
    Int(i64),
    Real(f64),
    Text(u32),
}

impl KeyColumn {
    fn new(key: Key) -> Self {
        KeyColumn { key, values: Vec::new(), ids: FxHashMap::default() }
    }

    fn at(&self) -> usize {
        match self.key {
            Key::Column(at) | Key::Day(at) => at,
        }
    }

    fn push(&mut self, value: Value) {
        let held = match (self.key, Sql::from(value)) {
            (_, Sql::Null) => Held::Null,
            (_, Sql::Int(i)) => Held::Int(i),
            (_, Sql::Real(r)) => Held::Real(r),
            (Key::Day(_), Sql::Text(s)) => Held::Text(self.intern(first_chars(s, 10))),
            (Key::Column(_), Sql::Text(s)) => Held::Text(self.intern(s)),
        };
        self.values.push(held);
    }

    fn intern(&mut self, s: &str) -> u32 {
        if let Some(id) = self.ids.get(s) {
            return *id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(s.into(), id);
        id
    }

    /// Every row has a text of its own here: what a primary key needs.
    fn unique(&self) -> bool {
        self.ids.len() == self.values.len() && self.values.iter().all(|v| matches!(v, Held::Text(_)))
    }

    /// The index over this column: entries (value, rowid) in SQLite's order; its root page.
    fn write_index(&self, pager: &mut Pager) -> u32 {
        let mut texts: Vec<&str> = vec![""; self.ids.len()];
        for (text, id) in &self.ids {
            texts[*id as usize] = text;
        }
        let mut entries: Vec<(Sql, i64)> = self
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let sql = match *v {
                    Held::Null => Sql::Null,
                    Held::Int(n) => Sql::Int(n),
                    Held::Real(r) => Sql::Real(r),
                    Held::Text(id) => Sql::Text(texts[id as usize]),
                };
                (sql, i as i64 + 1)
            })
            .collect();
        // Equal keys in rowid order, as SQLite compares the whole entry.
        order::sort(&mut entries);
        let mut tree = IndexTree::new(pager);
        let mut buf = Vec::new();
        for (value, rowid) in entries {
            buf.clear();
            put_record(&mut buf, &[value, Sql::Int(rowid)]);
            tree.push(&buf);
        }
        tree.finish()
    }
}

/// `substr(s, 1, n)`: the first `n` characters (not bytes).
pub fn first_chars(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}
