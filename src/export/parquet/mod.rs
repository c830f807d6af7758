//! `<dataset>.parquet`: each CSV dataset as an Apache Parquet file (DESIGN.md section 4), for
//! DuckDB, pandas, Spark and the like.
//!
//! Rules:
//! - The CSV's rows and columns, in its order, typed by [`typed`](super::typed): INT64 for
//!   tokens and counts, DOUBLE for costs, durations and percentages, BOOLEAN for flags,
//!   INT64 `TIMESTAMP(MILLIS, UTC)` for times, UTF-8 `STRING` for text (as logged, not
//!   neutralised). Every column is OPTIONAL: an empty CSV cell is a null.
//! - Dictionary encoding on (every column, falling back to plain per page when a dictionary
//!   outgrows 1 MiB), Snappy compression (pure Rust; zstd would need a C compiler in wasm32),
//!   Parquet 1.0 pages for the widest set of readers.
//! - Row groups of [`ROW_GROUP_ROWS`] rows, so readers can split big files.
//! - The file's key-value metadata holds the export's `meta` pairs
//!   ([`typed::meta`](super::typed::meta)), the same as the database's `meta` table.
//! - Written with the `parquet` crate's low-level column writers: no arrow, which would add
//!   several crates and their size to the page for no gain.

pub mod columns;

use super::csv_cell::{Cell, CsvTable};
use super::typed::{self, Kind};
use columns::{Column, Values};
use bytes::Bytes;
use parquet::basic::{Compression, LogicalType, Repetition, TimeUnit, Type as Physical};
use parquet::column::writer::ColumnWriter;
use parquet::data_type::ByteArray;
use parquet::errors::{ParquetError, Result};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use std::sync::Arc;

/// Rows per row group, and per piece of a dataset the page's zip builds at a time (its cells,
/// CSV text and Parquet columns, in both workers at once): 32,768. Halved from 65,536 in
/// session 17, it took the zip's peak on the real-world profile from +326–341 to +216–229 MB
/// over the load's and its time from 6.7–7.4 to 5.9–6.2 s, for Parquet files 0.8 MB (2 %)
/// larger; readers still split big files at row groups.
pub const ROW_GROUP_ROWS: usize = 32 * 1024;

/// The Parquet file of one dataset. Writing to memory cannot fail but on a bug; then the file
/// is empty (and the tests fail) rather than the page panicking.
pub fn build(csv: &CsvTable, meta: &[(&'static str, Option<String>)]) -> Vec<u8> {
    let mut writer = Writer::new(csv.columns, meta);
    writer.rows(&csv.rows);
    writer.finish()
}

/// A Parquet file written from its rows in pieces (the page's zip builds a dataset's cells a
/// row group at a time). Pieces of a multiple of [`ROW_GROUP_ROWS`] rows (the last one
/// shorter) make the row groups, hence the bytes, of the file written whole ([`build`]).
pub struct Writer {
    /// `None` once writing failed (a bug): the file is then empty.
    inner: Option<SerializedFileWriter<Vec<u8>>>,
    kinds: Vec<Kind>,
}

impl Writer {
    pub fn new(columns: &[&str], meta: &[(&str, Option<String>)]) -> Self {
        let kinds: Vec<Kind> = columns.iter().map(|c| typed::kind(c)).collect();
        let inner = ok_or_bug(start(columns, &kinds, meta));
        Writer { inner, kinds }
    }

    /// The next rows, in row groups of at most [`ROW_GROUP_ROWS`].
    pub fn rows(&mut self, rows: &[Vec<Cell>]) {
        for rows in rows.chunks(ROW_GROUP_ROWS) {
            self.row_group(columns::of_rows(&self.kinds, rows));
        }
    }

    /// The next row group, its columns made already ([`columns::of_rows`]: the page's engine
    /// worker makes them, and the worker that compresses the zip writes them).
    pub fn row_group(&mut self, columns: Vec<Column>) {
        if let Some(writer) = self.inner.as_mut()
            && ok_or_bug(row_group(writer, columns)).is_none()
        {
            self.inner = None;
        }
    }

    /// The kind of each column.
    pub fn kinds(&self) -> &[Kind] {
        &self.kinds
    }

    /// The file's bytes written so far and not taken yet: after a row group, the page's second
    /// worker hands them on into the zip rather than holding every Parquet file whole until its
    /// turn (47 MB on the real-world profile). The pieces taken and then [`Self::finish`]'s
    /// bytes, in order, are the file.
    pub fn take_written(&mut self) -> Vec<u8> {
        let Some(writer) = self.inner.as_mut() else { return Vec::new() };
        // The writer counts the bytes it wrote itself: its offsets do not depend on what its
        // buffer still holds.
        if ok_or_bug(writer.flush().map_err(ParquetError::from)).is_none() {
            self.inner = None;
            return Vec::new();
        }
        std::mem::take(writer.inner_mut())
    }

    /// The file's bytes (those not taken by [`Self::take_written`]).
    pub fn finish(self) -> Vec<u8> {
        self.inner.and_then(|w| ok_or_bug(w.into_inner())).unwrap_or_default()
    }
}

fn ok_or_bug<T>(result: Result<T>) -> Option<T> {
    debug_assert!(result.is_ok(), "{:?}", result.as_ref().err());
    result.ok()
}

/// `usage_tokens.csv` → `usage_tokens.parquet`.
pub fn file_name(csv: &str) -> String {
    format!("{}.parquet", typed::table_name(csv))
}

fn start(columns: &[&str], kinds: &[Kind], meta: &[(&str, Option<String>)]) -> Result<SerializedFileWriter<Vec<u8>>> {
    let fields = columns
        .iter()
        .zip(kinds)
        .map(|(name, kind)| field(name, *kind).map(Arc::new))
        .collect::<Result<Vec<_>>>()?;
    let schema = Arc::new(
        Type::group_type_builder("schema")
            .with_fields(fields)
            .build()?,
    );
    let metadata = meta
        .iter()
        .map(|(k, v)| KeyValue::new(k.to_string(), v.clone()))
        .collect();
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_dictionary_enabled(true)
        .set_created_by(format!("agent-ledger {}", env!("CARGO_PKG_VERSION")))
        .set_key_value_metadata(Some(metadata))
        .build();
    SerializedFileWriter::new(Vec::new(), schema, Arc::new(props))
}

/// One row group of the columns given.
fn row_group(writer: &mut SerializedFileWriter<Vec<u8>>, columns: Vec<Column>) -> Result<()> {
    let mut group = writer.next_row_group()?;
    let mut at = 0;
    let mut columns = columns.into_iter();
    while let Some(mut writer) = group.next_column()? {
        let column = columns.next().ok_or_else(|| ParquetError::General(format!("no column {at}")))?;
        write_column(writer.untyped(), column, at)?;
        writer.close()?;
        at += 1;
    }
    group.close()?;
    Ok(())
}

fn field(name: &str, kind: Kind) -> Result<Type> {
    let (physical, logical) = match kind {
        Kind::Text => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
        Kind::Int => (Physical::INT64, None),
        Kind::Real => (Physical::DOUBLE, None),
        Kind::Bool => (Physical::BOOLEAN, None),
        Kind::Time => (
            Physical::INT64,
            Some(LogicalType::timestamp(true, TimeUnit::MILLIS)),
        ),
    };
    Type::primitive_type_builder(name, physical)
        .with_repetition(Repetition::OPTIONAL)
        .with_logical_type(logical)
        .build()
}

/// Write one column of a row group from its [`Column`].
fn write_column(writer: &mut ColumnWriter, column: Column, at: usize) -> Result<()> {
    let defs = &column.defs;
    match (writer, column.values) {
        (ColumnWriter::Int64ColumnWriter(w), Values::Int64(v)) => w.write_batch(&v, Some(defs), None)?,
        (ColumnWriter::DoubleColumnWriter(w), Values::Double(v)) => w.write_batch(&v, Some(defs), None)?,
        (ColumnWriter::BoolColumnWriter(w), Values::Bool(v)) => w.write_batch(&v, Some(defs), None)?,
        (ColumnWriter::ByteArrayColumnWriter(w), Values::Text { arena, ends }) => {
            // Every text of the column in one buffer, each value a slice of it: a `ByteArray`
            // of its own per cell was an allocation, a copy and a free per cell, half of this
            // file's time (perf, the real-world profile).
            let arena = Bytes::from(arena);
            let mut start = 0;
            let present: Vec<ByteArray> = ends
                .iter()
                .map(|&end| {
                    let span = start..end as usize;
                    start = end as usize;
                    ByteArray::from(arena.slice(span))
                })
                .collect();
            w.write_batch(&present, Some(defs), None)?
        }
        _ => return Err(ParquetError::General(format!("column {at}: unexpected physical type"))),
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pieces taken after each row group, then the rest, are the file written in one go
    /// (the page's second worker writes the zip's Parquet entries so).
    #[test]
    fn pieces_taken_as_written_make_the_whole_file() {
        let names = ["model", "input_tokens", "ts_utc"];
        let group = |n: i64| -> Vec<Vec<Cell<'static>>> {
            (0..50).map(|i| vec![Cell::owned(format!("model-{}", i % 3)), Cell::Int(n * 100 + i), Cell::time(Some(1_758_763_340_084 + i))]).collect()
        };
        let meta = [("generated_at", Some("2026-12-08T00:00:00Z".to_string()))];
        let mut whole = Writer::new(&names, &meta);
        let mut taken = Writer::new(&names, &meta);
        let mut pieces = Vec::new();
        for n in 0..3 {
            whole.row_group(columns::of_rows(whole.kinds(), &group(n)));
            taken.row_group(columns::of_rows(taken.kinds(), &group(n)));
            pieces.push(taken.take_written());
        }
        assert!(pieces.iter().all(|p| !p.is_empty()), "each row group's pages are taken as it is written");
        pieces.push(taken.finish());
        let whole = whole.finish();
        assert!(whole.starts_with(b"PAR1") && whole.ends_with(b"PAR1"));
        assert_eq!(pieces.concat(), whole);
    }
}
