//! `agent-ledger.sqlite`: every CSV dataset as a typed table, plus `meta`, in one SQLite file
//! written byte by byte from the file-format document (https://www.sqlite.org/fileformat2.html).
//!
//! Why a writer of our own: the page must make this file in wasm32 with no C compiler, and
//! every SQLite crate either compiles the C library (`rusqlite`, `sqlite-wasm-rs` since 0.5),
//! links a prebuilt wasm32-only library (older `sqlite-wasm-rs` `precompiled`: a second engine
//! would be needed natively, and the whole C library ships in the wasm), or is a whole database
//! engine (`turso_core`).
//! Writing a read-only snapshot needs none of that: sorted rows go into b-trees bottom-up.
//!
//! The file:
//! - Tables named like their CSV without `.csv`, the CSV's columns in its order with the types
//!   of [`typed`](super::typed) (INTEGER, REAL, TEXT; booleans 0/1; times ISO-8601 UTC text),
//!   rowids 1..n in CSV order.
//! - A primary key where the data has one (`sessions.session_id`, `ingest_report.file`) and
//!   this export's values are distinct; otherwise the rowid alone (the key then gets a plain
//!   index). Indexes `<table>_session`, `<table>_model` and `<table>_day` (on
//!   `substr(<time>, 1, 10)`, the UTC day: `WHERE substr(ts_utc, 1, 10) = '2026-01-05'` uses
//!   it) where the table has those columns.
//! - `meta (key TEXT PRIMARY KEY, value TEXT)`: generation time, price snapshot, filters and
//!   redaction (text and JSON), the datasets' row counts ([`super::typed::meta`]).
//! - Legacy journal mode, UTF-8, schema format 4, no free pages; the same input gives the same
//!   bytes.

mod btree;
mod order;
pub mod record;
mod table;

use super::csv_cell::{CsvTable, Shape};
use super::typed::{self, Kind};
use btree::{IndexTree, PAGE, Pager, Root, TableTree};
pub use btree::FileBlocks;
use record::{Sql, put_record};
pub use table::TableWriter;

/// One row of `sqlite_schema`.
struct SchemaRow {
    kind: &'static str,
    name: String,
    table: String,
    root: u32,
    sql: Option<String>,
}

/// What an index holds: a column's value or its first ten characters (the day of a time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Column(usize),
    Day(usize),
}

/// The database of `csvs` (the export's datasets) and the `meta` rows.
pub fn build(csvs: &[CsvTable], meta: &[(&'static str, Option<String>)]) -> Vec<u8> {
    let mut builder = Builder::new();
    for csv in csvs {
        builder.table(csv);
    }
    builder.finish(meta)
}

/// The database written one table at a time (the page's zip pauses between them), with the
/// bytes of [`build`].
pub struct Builder {
    pager: Pager,
    schema: Vec<SchemaRow>,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    pub fn new() -> Self {
        Builder { pager: Pager::new(), schema: Vec::new() }
    }

    /// Write one dataset's table and its indexes.
    pub fn table(&mut self, csv: &CsvTable) {
        let mut table = self.start_table(&csv.shape());
        self.table_rows(&mut table, csv);
        self.end_table(table);
    }

    /// Start the table of the dataset `shape` describes ([`TableWriter`]): its rows come with
    /// [`Self::table_rows`], piece after piece, then [`Self::end_table`]. No other table may be
    /// written meanwhile. Whole or in pieces, the file is the same.
    pub fn start_table(&self, shape: &Shape) -> TableWriter {
        TableWriter::new(shape.name, shape.columns)
    }

    /// The next rows of `table`: all the rows of `piece`.
    pub fn table_rows(&mut self, table: &mut TableWriter, piece: &CsvTable) {
        table.rows(&mut self.pager, piece);
    }

    /// Finish `table`: its root, its schema row and its indexes.
    pub fn end_table(&mut self, table: TableWriter) {
        table.finish(&mut self.pager, &mut self.schema);
    }

    /// The file's blocks after the first that are written for good (`btree::Pager::take_written`),
    /// taken away: the page's zip compresses them as the tables are written. The file of
    /// [`Self::finish_blocks`] then lacks them.
    pub fn take_written(&mut self) -> Vec<Box<[u8]>> {
        self.pager.take_written()
    }

    /// Write `meta` and the schema; the file's bytes.
    pub fn finish(self, meta: &[(&'static str, Option<String>)]) -> Vec<u8> {
        self.finish_blocks(meta).into_vec()
    }

    /// [`Self::finish`] as the pager's blocks, not joined into one copy.
    pub fn finish_blocks(self, meta: &[(&'static str, Option<String>)]) -> FileBlocks {
        let Builder { mut pager, mut schema } = self;
        write_meta(&mut pager, &mut schema, meta);
        let mut tree = TableTree::new(Root::PageOne);
        let mut buf = Vec::new();
        for (i, row) in schema.iter().enumerate() {
            buf.clear();
            let sql = row.sql.as_deref().map_or(Sql::Null, Sql::Text);
            put_record(
                &mut buf,
                &[
                    Sql::Text(row.kind),
                    Sql::Text(&row.name),
                    Sql::Text(&row.table),
                    Sql::Int(i64::from(row.root)),
                    sql,
                ],
            );
            tree.push(&mut pager, i as i64 + 1, &buf);
        }
        let root = tree.finish(&mut pager);
        debug_assert_eq!(root, 1);
        let pages = pager.pages();
        pager.page(1)[..100].copy_from_slice(&file_header(pages));
        pager.into_blocks()
    }
}

/// Quote an identifier (`user` is reserved in PostgreSQL; quoting is harmless everywhere).
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn create_table(name: &str, columns: &[&str], kinds: &[Kind], key: Option<&str>) -> String {
    let lines: Vec<String> = columns
        .iter()
        .zip(kinds)
        .map(|(c, k)| {
            let pk = if key == Some(*c) { " PRIMARY KEY" } else { "" };
            format!("  {} {}{pk}", quote(c), sqlite_type(*k))
        })
        .collect();
    format!("CREATE TABLE {} (\n{}\n)", quote(name), lines.join(",\n"))
}

/// The indexes of a table: (name, SQL, what it holds). The primary key's, then a plain index
/// on a key candidate whose values repeat, then session, model and day.
fn index_plan(
    table: &str,
    csv: &str,
    columns: &[&'static str],
    key: Option<&str>,
) -> Vec<(String, Option<String>, Key)> {
    let position = |col: &str| columns.iter().position(|c| *c == col);
    let plain = |suffix: &str, expr: String, key: Key| {
        let index = format!("{table}_{suffix}");
        let sql = format!(
            "CREATE INDEX {} ON {} ({expr})",
            quote(&index),
            quote(table)
        );
        (index, Some(sql), key)
    };
    let mut plan = Vec::new();
    let candidate = typed::key_candidate(csv).and_then(|c| Some((c, position(c)?)));
    match (key, candidate) {
        // SQLite names the index behind a PRIMARY KEY itself and stores no SQL for it.
        (Some(_), Some((_, at))) => {
            plan.push((format!("sqlite_autoindex_{table}_1"), None, Key::Column(at)))
        }
        // A repeated session id is indexed below like every session id.
        (None, Some((col, at))) if col != "session_id" => {
            plan.push(plain(col, quote(col), Key::Column(at)))
        }
        _ => {}
    }
    for (col, suffix) in [("session_id", "session"), ("model", "model")] {
        if let Some(at) = position(col).filter(|_| key != Some(col)) {
            plan.push(plain(suffix, quote(col), Key::Column(at)));
        }
    }
    if let Some((col, at)) = typed::day_column(columns).and_then(|c| Some((c, position(c)?))) {
        plan.push(plain(
            "day",
            format!("substr({}, 1, 10)", quote(col)),
            Key::Day(at),
        ));
    }
    plan
}

fn write_meta(
    pager: &mut Pager,
    schema: &mut Vec<SchemaRow>,
    meta: &[(&'static str, Option<String>)],
) {
    let mut tree = TableTree::new(Root::NewPage);
    let mut buf = Vec::new();
    for (i, (key, value)) in meta.iter().enumerate() {
        buf.clear();
        put_record(
            &mut buf,
            &[
                Sql::Text(key),
                value.as_deref().map_or(Sql::Null, Sql::Text),
            ],
        );
        tree.push(pager, i as i64 + 1, &buf);
    }
    let root = tree.finish(pager);
    let sql = "CREATE TABLE \"meta\" (\n  \"key\" TEXT PRIMARY KEY,\n  \"value\" TEXT\n)";
    schema.push(SchemaRow {
        kind: "table",
        name: "meta".into(),
        table: "meta".into(),
        root,
        sql: Some(sql.into()),
    });
    let mut keys: Vec<(&str, i64)> = meta
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (*k, i as i64 + 1))
        .collect();
    keys.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut index = IndexTree::new(pager);
    for (key, rowid) in keys {
        buf.clear();
        put_record(&mut buf, &[Sql::Text(key), Sql::Int(rowid)]);
        index.push(&buf);
    }
    let root = index.finish();
    schema.push(SchemaRow {
        kind: "index",
        name: "sqlite_autoindex_meta_1".into(),
        table: "meta".into(),
        root,
        sql: None,
    });
}

pub fn sqlite_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Int | Kind::Bool => "INTEGER",
        Kind::Real => "REAL",
        Kind::Text | Kind::Time => "TEXT",
    }
}

/// The 100-byte database header (fileformat2 section 1.3).
fn file_header(pages: u32) -> [u8; 100] {
    let mut h = [0u8; 100];
    h[..16].copy_from_slice(b"SQLite format 3\0");
    h[16..18].copy_from_slice(&(PAGE as u16).to_be_bytes());
    // Read and write versions 1 (legacy journal, not WAL), no reserved bytes, payload fractions
    // 64/32/32 (fixed by the format).
    h[18..24].copy_from_slice(&[1, 1, 0, 64, 32, 32]);
    // File change counter 1; the page count is valid because "version-valid-for" (92) equals it.
    h[24..28].copy_from_slice(&1u32.to_be_bytes());
    h[28..32].copy_from_slice(&pages.to_be_bytes());
    // No free pages (32..40); schema cookie 1; schema format 4 (serial types 8 and 9 in records).
    h[40..44].copy_from_slice(&1u32.to_be_bytes());
    h[44..48].copy_from_slice(&4u32.to_be_bytes());
    // Text encoding 1: UTF-8.
    h[56..60].copy_from_slice(&1u32.to_be_bytes());
    h[92..96].copy_from_slice(&1u32.to_be_bytes());
    // The SQLite version the format follows (3.45.0); readers only display it.
    h[96..100].copy_from_slice(&3_045_000u32.to_be_bytes());
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_chars_counts_characters() {
        use table::first_chars;
        assert_eq!(first_chars("2026-01-05T10:00:00.000Z", 10), "2026-01-05");
        assert_eq!(first_chars("é", 10), "é");
        assert_eq!(first_chars("ééééééééééé", 10).chars().count(), 10);
    }

    #[test]
    fn an_empty_database_is_three_pages_and_starts_with_the_magic() {
        let file = build(&[], &[]);
        // Page 1 (schema), page 2 (meta's empty leaf), page 3 (its empty key index).
        assert_eq!(file.len(), 3 * PAGE);
        assert_eq!(&file[..16], b"SQLite format 3\0");
        assert_eq!(&file[28..32], &3u32.to_be_bytes());
        // The schema's root: a table leaf with two cells (meta and its autoindex).
        assert_eq!(file[100], 0x0d);
        assert_eq!(&file[103..105], &2u16.to_be_bytes());
    }
}
