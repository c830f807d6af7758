//! The ingest report: per file, what became of every line. The buckets add up to the lines read.

use crate::formats::Bucket;
use crate::model::Format;
use serde::{Deserialize, Serialize};

/// How many malformed lines per file keep their reason (all of them are counted).
pub const MAX_ISSUES_PER_FILE: usize = 200;

/// The note of a file the browser stopped handing over (see `Ingest::abandon_file`).
pub const READ_FAILED: &str = "could not be read to the end";

/// A malformed line: where and why.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LineIssue {
    pub line: u32,
    pub reason: String,
}

/// One row of `ingest_report.csv`.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct FileReport {
    pub file: String,
    pub format: Option<Format>,
    pub bytes: u64,
    pub lines: u64,
    pub parsed: u64,
    pub skipped: u64,
    pub duplicates: u64,
    pub malformed: u64,
    pub note: String,
    pub issues: Vec<LineIssue>,
}

impl FileReport {
    pub fn count(&mut self, line: u32, bucket: Bucket) {
        self.lines += 1;
        match bucket {
            Bucket::Parsed => self.parsed += 1,
            Bucket::Skipped => self.skipped += 1,
            Bucket::Duplicate => self.duplicates += 1,
            Bucket::Malformed(reason) => {
                self.malformed += 1;
                if self.issues.len() < MAX_ISSUES_PER_FILE {
                    self.issues.push(LineIssue { line, reason });
                }
            }
        }
    }

    /// A cross-file rule found that a parsed line repeats another file's record.
    pub fn parsed_to_duplicate(&mut self) {
        if self.parsed > 0 {
            self.parsed -= 1;
            self.duplicates += 1;
        }
    }

    pub fn add_note(&mut self, note: &str) {
        if !self.note.is_empty() {
            self.note.push_str("; ");
        }
        self.note.push_str(note);
    }

    /// The browser stopped handing over this file's bytes: what was read is counted, the rest not.
    pub fn read_failed(&self) -> bool {
        self.note.contains(READ_FAILED)
    }

    pub fn format_label(&self) -> &'static str {
        self.format.map(Format::label).unwrap_or("unknown")
    }

    /// The invariant of DESIGN.md section 1.
    pub fn balanced(&self) -> bool {
        self.parsed + self.skipped + self.duplicates + self.malformed == self.lines
    }
}

/// Every file's report, in the order the files were given.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct IngestReport {
    pub files: Vec<FileReport>,
}

impl IngestReport {
    pub fn totals(&self) -> FileReport {
        let mut t = FileReport { file: "(all files)".into(), ..Default::default() };
        for f in &self.files {
            t.bytes += f.bytes;
            t.lines += f.lines;
            t.parsed += f.parsed;
            t.skipped += f.skipped;
            t.duplicates += f.duplicates;
            t.malformed += f.malformed;
        }
        t
    }
}
