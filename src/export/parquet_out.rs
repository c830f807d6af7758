//! Where a dataset's Parquet file is written: here, or, when the zip's entries are relayed
//! (the page's engine worker, [`super::relay`]), by whoever replays them (the second worker),
//! sent each row group's columns ([`super::parquet::columns`]). Writing the files was about a
//! sixth of the engine's share of the zip in wasm (0.5 s of 3.1–3.4 s, `scripts/bench-engine-wasm.sh
//! --zip`); made of the same columns, they are the same bytes.

use super::csv_cell::Cell;
use super::parquet::{self, ROW_GROUP_ROWS, columns};
use super::relay::{Op, Relay};
use super::typed::{self, Kind};
use super::{ExportFile, MIME_PARQUET, PARQUET_NAMES};

/// A Parquet file being written.
pub enum ParquetOut {
    Here { name: &'static str, writer: parquet::Writer },
    There { file: u32, relay: Relay, kinds: Vec<Kind>, bytes: Vec<u8> },
}

/// A Parquet file written, waiting for its place in the export.
pub enum Written {
    Here(ExportFile),
    /// Complete where the ops are replayed; [`Written::place`] tells it to take its place.
    There { file: u32, relay: Relay },
}

impl ParquetOut {
    /// Parquet file `name` (of [`PARQUET_NAMES`]) of `columns`, with the key-value `meta`; sent
    /// on to `relay` when there is one.
    pub fn start(relay: Option<&Relay>, name: &'static str, columns: &[&str], meta: &[(&str, Option<String>)]) -> Self {
        let file = PARQUET_NAMES.iter().position(|n| *n == name);
        match (relay, file) {
            (Some(relay), Some(file)) => {
                let file = file as u32;
                (relay.borrow_mut())(Op::ParquetBegin { file, head: &head(columns, meta) });
                let kinds = columns.iter().map(|c| typed::kind(c)).collect();
                ParquetOut::There { file, relay: relay.clone(), kinds, bytes: Vec::new() }
            }
            _ => ParquetOut::Here { name, writer: parquet::Writer::new(columns, meta) },
        }
    }

    /// The next rows, in row groups of at most [`ROW_GROUP_ROWS`].
    pub fn rows(&mut self, rows: &[Vec<Cell>]) {
        match self {
            ParquetOut::Here { writer, .. } => writer.rows(rows),
            ParquetOut::There { file, relay, kinds, bytes } => {
                for rows in rows.chunks(ROW_GROUP_ROWS) {
                    bytes.clear();
                    columns::encode(&columns::of_rows(kinds, rows), bytes);
                    (relay.borrow_mut())(Op::ParquetRows { file: *file, bytes });
                }
            }
        }
    }

    pub fn finish(self) -> Written {
        match self {
            ParquetOut::Here { name, writer } => Written::Here(ExportFile { name, mime: MIME_PARQUET, bytes: writer.finish() }),
            ParquetOut::There { file, relay, .. } => {
                (relay.borrow_mut())(Op::ParquetEnd { file });
                Written::There { file, relay }
            }
        }
    }
}

impl Written {
    /// A file sent on takes its place in the archive now; a file written here is handed back.
    pub fn place(self) -> Option<ExportFile> {
        match self {
            Written::Here(file) => Some(file),
            Written::There { file, relay } => {
                (relay.borrow_mut())(Op::ParquetEntry { file });
                None
            }
        }
    }
}

/// What [`Op::ParquetBegin`] carries: the file's columns and metadata, as JSON.
pub fn head(columns: &[&str], meta: &[(&str, Option<String>)]) -> Vec<u8> {
    serde_json::to_vec(&(columns, meta)).unwrap_or_default()
}

/// [`head`] read back; `None` when it is not one.
pub fn read_head(head: &[u8]) -> Option<(Vec<String>, Vec<(String, Option<String>)>)> {
    serde_json::from_slice(head).ok()
}
