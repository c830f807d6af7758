//! `audit_findings.csv` and `ingest_report.csv`.
//!
//! - `audit_findings.csv`: one row per offending row of every check, in check order, with the
//!   check's title. After them come the malformed lines of the ingest report, one row each, under
//!   the pseudo-check [`INGEST_CHECK_ID`]: a malformed line is a finding about the logs like any
//!   other, with a file, a line and a reason, and this keeps `ingest_report.csv` one short row per
//!   file. (The ingest report keeps the reasons of the first
//!   [`MAX_ISSUES_PER_FILE`](crate::ingest::report::MAX_ISSUES_PER_FILE) malformed lines per file;
//!   all are counted.) These rows are not in `audit.json`, which is the checks' own report.
//! - `ingest_report.csv`: exactly the columns of DESIGN.md section 1 (and, merged, the file's
//!   machine: [`super::MACHINE_COLUMN`]). `note` is the file's note
//!   (why a file is not a log, and so on), then, when lines were malformed, a pointer to their
//!   rows in `audit_findings.csv`.

use super::super::csv_cell::{Cell, CsvTable, Rows};
use crate::audit::AuditReport;
use crate::ingest::{FileReport, IngestReport};
use crate::model::Tables;

pub const FINDINGS_COLUMNS: &[&str] =
    &["check_id", "title", "file", "line", "session_id", "message"];

/// What a file's report row is made from: the report and the machine its rows came from.
struct IngestRow<'t> {
    f: &'t FileReport,
    machine: Option<&'t str>,
}

/// Each column of `ingest_report.csv`: its name and how its cell is made.
type IngestColumn = (&'static str, for<'t> fn(&IngestRow<'t>) -> Cell<'t>);

const INGEST: [IngestColumn; 10] = [
    ("file", |r| Cell::text(&r.f.file)),
    ("format", |r| Cell::text(r.f.format_label())),
    ("bytes", |r| Cell::UInt(r.f.bytes)),
    ("lines", |r| Cell::UInt(r.f.lines)),
    ("parsed", |r| Cell::UInt(r.f.parsed)),
    ("skipped", |r| Cell::UInt(r.f.skipped)),
    ("duplicates", |r| Cell::UInt(r.f.duplicates)),
    ("malformed", |r| Cell::UInt(r.f.malformed)),
    ("note", |r| Cell::owned(note(r.f))),
    ("machine", |r| Cell::opt_text(r.machine)),
];

pub const INGEST_ALL: [&str; 10] = super::names(&INGEST);
pub const INGEST_COLUMNS: &[&str] = super::without_machine(&INGEST_ALL);

/// The check id of malformed-line rows in `audit_findings.csv`.
pub const INGEST_CHECK_ID: &str = "INGEST";
const INGEST_TITLE: &str = "Malformed line";

pub fn findings<'r>(
    audit: &'r AuditReport,
    ingest: &'r IngestReport,
    cap: impl Into<Rows>,
) -> CsvTable<'r> {
    let mut out = CsvTable::new(super::super::FINDINGS_CSV, FINDINGS_COLUMNS, cap);
    for check in &audit.checks {
        for f in &check.findings {
            out.push_with(|| {
                [
                    Cell::text(&f.check_id),
                    Cell::text(&check.title),
                    Cell::text(&f.file),
                    Cell::UInt(u64::from(f.line)),
                    Cell::opt_text(f.session_id.as_deref()),
                    Cell::text(&f.message),
                ]
            });
        }
    }
    for file in &ingest.files {
        for issue in &file.issues {
            out.push_with(|| {
                [
                    Cell::text(INGEST_CHECK_ID),
                    Cell::text(INGEST_TITLE),
                    Cell::text(&file.file),
                    Cell::UInt(u64::from(issue.line)),
                    Cell::Empty,
                    Cell::text(&issue.reason),
                ]
            });
        }
    }
    out
}

/// The report of every file; `t` holds the files in the same order (each file's report is made
/// with it, `ingest::Ingest::add_file` and the import's `Reader::file_id`), for their machines.
pub fn ingest_report<'t>(ingest: &'t IngestReport, t: &'t Tables, cap: impl Into<Rows>) -> CsvTable<'t> {
    let mut out = CsvTable::new(super::super::INGEST_CSV, super::chosen(t, &INGEST_ALL), cap);
    for (i, f) in ingest.files.iter().enumerate() {
        let row = IngestRow { f, machine: t.files.get(i).and_then(|file| file.machine.as_deref()) };
        out.push_cells(|c| (INGEST[c].1)(&row));
    }
    out
}

/// The file's own note, then where its malformed lines are listed.
pub fn note(f: &FileReport) -> String {
    let mut note = f.note.clone();
    if f.malformed > 0 {
        if !note.is_empty() {
            note.push_str("; ");
        }
        let listed = f.issues.len() as u64;
        let which = if listed < f.malformed {
            format!("first {listed} ")
        } else {
            String::new()
        };
        note.push_str(&format!(
            "{which}malformed lines listed in audit_findings.csv ({INGEST_CHECK_ID})"
        ));
    }
    note
}
