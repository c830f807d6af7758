//! Formats that are one JSON document per file (Codex G0, Gemini JSON): the document is held
//! up to [`MAX_DOCUMENT_BYTES`] and parsed whole when the file ends; past the cap its lines are
//! only counted, so a hostile document cannot take the memory.

use super::{Ingest, LineIssue, MAX_DOCUMENT_BYTES, Stage};
use crate::formats::sniff::{self, Sniffed};
use crate::formats::{self, Adapter};
use crate::model::{FileId, Format};

/// Add a line to the document being held, or only count it once the document is too large.
pub(super) fn add_line(stage: &mut Stage, line: &[u8]) {
    match stage {
        Stage::Document { buf, lines } if buf.len() + line.len() < MAX_DOCUMENT_BYTES => {
            buf.extend_from_slice(line);
            buf.push(b'\n');
            *lines += 1;
        }
        // Past the cap: let the buffer go.
        Stage::Document { lines, .. } => *stage = Stage::DocumentTooLarge { lines: *lines + 1 },
        Stage::DocumentTooLarge { lines } => *lines += 1,
        _ => {}
    }
}

impl Ingest {
    pub(super) fn parse_document(&mut self, id: FileId, doc: &[u8], lines: u64) {
        let report = &mut self.report.files[id as usize];
        let format = match report.format {
            Some(f) => f,
            None => match sniff::sniff_document(doc) {
                Sniffed::Format(f) => f,
                // Named by its path (`chatSessions/<id>.json`): read it, so its error is reported.
                Sniffed::Unknown(_) if let Some(f) = sniff::format_by_path(&report.file) => f,
                other => {
                    let reason = match other {
                        Sniffed::Unknown(reason) => reason,
                        _ => "a JSON document that never ends".to_string(),
                    };
                    report.format = Some(Format::Unknown);
                    report.add_note(&reason);
                    report.lines += lines;
                    report.skipped += lines;
                    return;
                }
            },
        };
        report.format = Some(format);
        report.lines += lines;
        let result = match formats::adapter_for(format) {
            Some(Adapter::Doc(mut p)) => p.parse(doc, id, &mut self.tables),
            _ => Err("no document reader for this format".to_string()),
        };
        match result {
            Ok(()) => report.parsed += lines,
            Err(reason) => {
                report.malformed += lines;
                report.issues.push(LineIssue { line: 1, reason });
            }
        }
    }

    /// The document passed [`MAX_DOCUMENT_BYTES`]: malformed when its format was known from its
    /// first line, otherwise a file of unknown format whose lines are skipped.
    pub(super) fn document_too_large(&mut self, id: FileId, lines: u64) {
        let report = &mut self.report.files[id as usize];
        let reason = format!(
            "a JSON document larger than {} MiB",
            MAX_DOCUMENT_BYTES >> 20
        );
        report.lines += lines;
        match report.format {
            Some(f) if f != Format::Unknown => {
                report.malformed += lines;
                report.issues.push(LineIssue { line: 1, reason });
            }
            _ => {
                report.format = Some(Format::Unknown);
                report.add_note(&reason);
                report.skipped += lines;
            }
        }
    }
}
