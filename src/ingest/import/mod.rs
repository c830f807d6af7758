//! The team view's reader: another machine's `agent-ledger-export.zip` read back into the tables
//! the log parsers fill (DESIGN.md section 4 names the files; `docs/team-view.md` the workflow).
//!
//! Rules this reader follows:
//! - **Recognised by content**: a file that starts with the zip magic `PK\x03\x04` is held
//!   whole (up to [`MAX_ZIP_BYTES`]; an export is a compressed summary of the logs, small beside
//!   them) and read when it ends; it is an export when one of its entries is a dataset CSV
//!   (`sessions.csv`, `usage_tokens.csv`, …), else the report says it is some other zip.
//! - **Labelled**: every row belongs to the machine the export names (`catalog.json`'s
//!   `machine`), or to its own `machine` cell where a dataset has one (an export of a merged
//!   view); an export made without a name is labelled by its file name.
//! - **Every CSV row lands in one bucket**, like a log line: the zip's row in the ingest report
//!   counts the data rows of its datasets as its lines. A row read back into a table is parsed
//!   (until the merge finds it already loaded: a duplicate, [`merge`]); a row that is not what
//!   the exporter writes is malformed, with `<dataset> row N: <reason>` (N counts from 1 after
//!   the header); the rows of
//!   `audit_findings.csv` are skipped (this page runs the audit itself on the merged rows);
//!   the rows of `ingest_report.csv` become the report rows of the files they describe, marked
//!   with their machine. Other entries (JSON, the database, Parquet, the report) repeat the CSVs
//!   and are not read.
//! - **Bounded**: an entry inflates to at most [`MAX_ENTRY_BYTES`]; a larger or corrupt one is
//!   named in the note and the rest of the zip still loads.

mod cells;
pub(super) mod merge;
mod rows;

use super::report::FileReport;
use crate::formats::Bucket;
use crate::model::{FileId, Format, SourceFile, Tables};
use cells::{Header, Row};
use std::collections::HashMap;
use std::io::Read;

/// The zip local-file-header magic an export starts with.
pub const ZIP_MAGIC: [u8; 4] = *b"PK\x03\x04";

/// The largest zip held to be read (the real-world profile's export is about 60 MB).
pub const MAX_ZIP_BYTES: usize = 512 << 20;

/// The most one entry may inflate to: a zip bomb stops here.
pub const MAX_ENTRY_BYTES: u64 = 1 << 30;

/// The datasets read back, in the order they are read (files first, then sessions before rows).
const DATASETS: [&str; 9] = [
    "ingest_report.csv",
    "sessions.csv",
    "routing_context.csv",
    "query_messages.csv",
    "usage_tokens.csv",
    "tool_calls.csv",
    "tool_audit.csv",
    "api_calls.csv",
    "audit_findings.csv",
];

/// What one export yields, its files numbered from 0 (the merge renumbers them).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Imported {
    /// The machine the export names (its rows may name others: [`SourceFile::machine`]).
    pub machine: String,
    pub tables: Tables,
    /// One report row per file of `tables.files`, as the exporting machine saw that file.
    pub reports: Vec<FileReport>,
}

/// Whether a file's first bytes are a zip's.
pub fn is_zip(head: &[u8]) -> bool {
    head.starts_with(&ZIP_MAGIC)
}

/// Read an export; `report` is the zip's own row of the ingest report, whose buckets count the
/// CSV rows. `None` (with the reason in `report`) when the zip is not an export or unreadable.
pub fn read(bytes: &[u8], report: &mut FileReport) -> Option<Imported> {
    let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => {
            report.format = Some(Format::Unknown);
            report.add_note(&format!("a zip archive that cannot be read: {e}"));
            return None;
        }
    };
    // Entries by their base name: an export re-zipped inside a folder reads the same.
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for i in 0..archive.len() {
        if let Some(Ok(name)) = archive.name_for_index(i) {
            let base = name.rsplit('/').next().unwrap_or(&name).to_string();
            by_name.entry(base).or_insert(i);
        }
    }
    if !DATASETS.iter().any(|d| by_name.contains_key(*d)) {
        report.format = Some(Format::Unknown);
        report.add_note("a zip archive, but not an agent-ledger export (no dataset CSV such as sessions.csv inside)");
        return None;
    }
    report.format = Some(Format::LedgerExport);
    let mut entry = |name: &str, report: &mut FileReport| -> Option<Vec<u8>> {
        let index = *by_name.get(name)?;
        match read_entry(&mut archive, index) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                report.add_note(&format!("{name}: {e}"));
                None
            }
        }
    };
    let machine = entry("catalog.json", report)
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v.get("machine")?.as_str().map(label))
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| label(&report.file));
    let mut reader = Reader { machine: machine.clone(), imported: Imported { machine, ..Imported::default() }, ids: HashMap::new() };
    for name in DATASETS {
        if let Some(bytes) = entry(name, report) {
            reader.dataset(name, &bytes, report);
        }
    }
    report.add_note(&format!("export of machine {:?}: {} files, {} sessions", reader.machine, reader.imported.tables.files.len(), reader.imported.tables.sessions.len()));
    Some(reader.imported)
}

/// The longest machine label kept, in characters.
pub const MAX_MACHINE_CHARS: usize = 64;

/// A machine label as shown and filtered on: another machine's file chose it, so it is trimmed,
/// its invisible controls made visible like all log text ([`crate::model::shown`]: a bidi
/// override cannot reorder what the filter shows) and cut to [`MAX_MACHINE_CHARS`]. It is only
/// ever rendered as text.
pub fn label(name: &str) -> String {
    crate::model::shown(name.trim()).chars().take(MAX_MACHINE_CHARS).collect()
}

/// One entry's bytes, bounded.
fn read_entry(archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, index: usize) -> Result<Vec<u8>, String> {
    let file = archive.by_index(index).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    file.take(MAX_ENTRY_BYTES + 1).read_to_end(&mut out).map_err(|e| e.to_string())?;
    if out.len() as u64 > MAX_ENTRY_BYTES {
        return Err(format!("inflates past {} MiB; not read", MAX_ENTRY_BYTES >> 20));
    }
    Ok(out)
}

struct Reader {
    /// The export's own machine, for rows without a `machine` cell.
    machine: String,
    imported: Imported,
    /// (machine, file name) → the imported file's id.
    ids: HashMap<(String, String), FileId>,
}

impl Reader {
    /// The id of an original file on a machine, made on first sight.
    fn file_id(&mut self, machine: &str, name: &str) -> FileId {
        let key = (machine.to_string(), name.to_string());
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        let id = self.imported.tables.files.len() as FileId;
        self.imported.tables.files.push(SourceFile { name: name.to_string(), machine: Some(machine.to_string()), ..SourceFile::default() });
        let note = format!("read on {machine}; its rows come from an export");
        self.imported.reports.push(FileReport { file: name.to_string(), note, ..FileReport::default() });
        self.ids.insert(key, id);
        id
    }

    fn dataset(&mut self, name: &'static str, bytes: &[u8], report: &mut FileReport) {
        let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
        let mut records = csv.records();
        let header = match records.next() {
            Some(Ok(h)) => Header::new(&h),
            Some(Err(e)) => return report.add_note(&format!("{name}: no header row ({e})")),
            None => return,
        };
        // Rows are numbered from 1 after the header (a prompt may span lines inside its quotes,
        // so a row number says more than a line number would).
        for (n, record) in (1u32..).zip(records) {
            let bucket = match record {
                Err(e) => Bucket::Malformed(format!("{name} row {n}: not a CSV record ({e})")),
                Ok(record) => match self.row(name, &Row { header: &header, record: &record }) {
                    Ok(b) => b,
                    Err(reason) => Bucket::Malformed(format!("{name} row {n}: {reason}")),
                },
            };
            report.count(n, bucket);
        }
    }

    /// One record into its table.
    fn row(&mut self, name: &str, row: &Row) -> Result<Bucket, String> {
        let machine = row.maybe_text("machine").map(|m| label(&m)).filter(|m| !m.is_empty()).unwrap_or_else(|| self.machine.clone());
        let mut ids = |file: &str| self.file_id(&machine, file);
        let t = &mut Tables::default();
        match name {
            "sessions.csv" => t.sessions.push(rows::session(row, &mut ids)?.into()),
            "routing_context.csv" => t.routing.push(rows::routing(row, &mut ids)?.into()),
            "query_messages.csv" => t.queries.push(rows::query(row, &mut ids)?.into()),
            "usage_tokens.csv" => t.usage.push(rows::usage(row, &mut ids)?.into()),
            "tool_calls.csv" => t.tool_calls.push(rows::tool_call(row, &mut ids)?.into()),
            "tool_audit.csv" => t.tool_audit.push(rows::tool_audit(row, &mut ids)?.into()),
            "api_calls.csv" => t.api_calls.push(rows::api_call(row, &mut ids)?.into()),
            "ingest_report.csv" => return self.file_report(&machine, row).map(|()| Bucket::Parsed),
            _ => return Ok(Bucket::Skipped),
        }
        let own = &mut self.imported.tables;
        own.sessions.append(&mut t.sessions);
        own.routing.append(&mut t.routing);
        own.queries.append(&mut t.queries);
        own.usage.append(&mut t.usage);
        own.tool_calls.append(&mut t.tool_calls);
        own.tool_audit.append(&mut t.tool_audit);
        own.api_calls.append(&mut t.api_calls);
        Ok(Bucket::Parsed)
    }

    /// A row of `ingest_report.csv`: the report of one original file, as its machine saw it.
    fn file_report(&mut self, machine: &str, row: &Row) -> Result<(), String> {
        let name = row.text("file")?;
        let counts = [row.uint("bytes")?, row.uint("lines")?, row.uint("parsed")?, row.uint("skipped")?, row.uint("duplicates")?, row.uint("malformed")?];
        let format = row.opt_text("format")?.and_then(|f| Format::from_label(&f));
        let logged_note = row.text("note")?;
        let id = self.file_id(machine, &name) as usize;
        let [bytes, lines, parsed, skipped, duplicates, malformed] = counts;
        self.imported.tables.files[id].bytes = bytes;
        let r = &mut self.imported.reports[id];
        (r.format, r.bytes, r.lines, r.parsed, r.skipped, r.duplicates, r.malformed) = (format, bytes, lines, parsed, skipped, duplicates, malformed);
        r.note = format!("read on {machine}");
        if !logged_note.is_empty() {
            r.add_note(&logged_note);
        }
        Ok(())
    }
}
