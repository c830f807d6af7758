//! The export's side of redaction (the rules live in [`crate::redact`]): everything an export
//! writes goes through the same [`Redaction`](crate::redact::Redaction) as the tables, including
//! the text the export does not get from the tables (the ingest report) and what was derived
//! from them (findings, reconciliation, summary keys), so a caller that computed the audit or
//! the summary before redacting cannot leak through them.
//!
//! Two ways in, told apart by `ExportInput::redaction_report`:
//! - `Some(report)`: the tables came from [`prepare`](super::prepare) with this redaction and are
//!   already redacted; they are used as they are and `report` holds their counts.
//! - `None`: the tables are as logged; they are redacted here (a copy) and counted here.
//!
//! Either way the counts are those of the same places in the logs: copies of counted text are
//! masked but not counted again ([`Field::counted`]).

use super::ExportInput;
use crate::audit::AuditReport;
use crate::ingest::IngestReport;
use crate::model::Tables;
use crate::redact::{self, Field, Redactor, Report};
use crate::rollup::{Key, Summary};
use std::borrow::Cow;

/// The input with the redaction applied to everything it holds.
pub struct Redacted<'a> {
    pub tables: Cow<'a, Tables>,
    pub ingest: Cow<'a, IngestReport>,
    pub audit: Cow<'a, AuditReport>,
    pub summary: Cow<'a, Summary>,
    /// Counts and previews of everything masked (tables, ingest notes).
    pub report: Report,
    /// The compiled rules, for file names the export shows outside the tables.
    pub redactor: Redactor,
}

impl Redacted<'_> {
    /// A file name as every dataset shows it.
    pub fn file_name(&self, name: &str) -> String {
        self.redactor.mask_str(Field::FileName, name)
    }
}

/// The rules of `input.redaction` compiled for its tables (and the ingest report's file names).
pub fn redactor(input: &ExportInput) -> Redactor {
    let paths = input.ingest.files.iter().map(|f| f.file.as_str());
    input.redaction.redactor_for(input.tables, paths)
}

pub fn redacted<'a>(input: &ExportInput<'a>) -> Redacted<'a> {
    redacted_with(input, redactor(input))
}

/// [`redacted`] with rules compiled before (by [`redactor`], for the same input).
pub fn redacted_with<'a>(input: &ExportInput<'a>, redactor: Redactor) -> Redacted<'a> {
    let r = input.redaction;
    let mut report = redactor.empty_report();
    if let Some(prior) = input.redaction_report {
        report.merge(prior);
    }
    if r.is_empty() {
        return Redacted {
            tables: Cow::Borrowed(input.tables),
            ingest: Cow::Borrowed(input.ingest),
            audit: Cow::Borrowed(input.audit),
            summary: Cow::Borrowed(input.summary),
            report,
            redactor,
        };
    }
    let tables = match input.redaction_report {
        Some(_) => Cow::Borrowed(input.tables),
        None => {
            let mut t = input.tables.clone();
            report.merge(&redact::tables(&mut t, &redactor));
            Cow::Owned(t)
        }
    };
    let mut ingest = input.ingest.clone();
    report.merge(&ingest_report(&mut ingest, &redactor));
    let mut audit = input.audit.clone();
    audit_report(&mut audit, &redactor);
    let mut summary = input.summary.clone();
    summary_keys(&mut summary, &redactor);
    Redacted {
        tables,
        ingest: Cow::Owned(ingest),
        audit: Cow::Owned(audit),
        summary: Cow::Owned(summary),
        report,
        redactor,
    }
}

/// File names (copies), notes and malformed-line reasons (counted: they quote the files).
fn ingest_report(ingest: &mut IngestReport, r: &Redactor) -> Report {
    let mut report = r.empty_report();
    for f in &mut ingest.files {
        r.apply(Field::IngestFile, &[], &mut f.file, &mut report, &String::new);
        let file = f.file.clone();
        r.apply(Field::IngestNote, &[], &mut f.note, &mut report, &|| file.clone());
        for issue in &mut f.issues {
            let line = issue.line;
            r.apply(Field::IngestIssue, &[], &mut issue.reason, &mut report, &|| format!("{file}:{line}"));
        }
    }
    report
}

/// Findings and reconciliation rows: copies of table text, masked, not counted.
fn audit_report(audit: &mut AuditReport, r: &Redactor) {
    let mut scratch = r.empty_report();
    for check in &mut audit.checks {
        for f in &mut check.findings {
            r.apply(Field::FindingFile, &[], &mut f.file, &mut scratch, &String::new);
            r.apply(Field::FindingMessage, &[], &mut f.message, &mut scratch, &String::new);
        }
    }
    for x in &mut audit.reconciliation {
        r.apply(Field::ReconciliationFile, &[], &mut x.file, &mut scratch, &String::new);
    }
}

/// `summary.json` keys made of redacted text: workspaces and tool-audit users.
fn summary_keys(summary: &mut Summary, r: &Redactor) {
    let mut scratch = r.empty_report();
    for g in &mut summary.by_workspace {
        if let Key::Workspace(w) = &mut g.key {
            r.apply(Field::SummaryWorkspace, &[], w, &mut scratch, &String::new);
        }
    }
    for g in &mut summary.tool_audit.by_user {
        r.apply(Field::SummaryUser, &[], &mut g.key, &mut scratch, &String::new);
    }
}
