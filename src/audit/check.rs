//! The shared bookkeeping of every check: rows looked at, rows that break the rule, and one
//! [`Finding`] per offending row, capped at [`MAX_FINDINGS`] stored per check (violations are
//! still all counted, and the explanation says when the list was cut).

use super::{CheckResult, CheckStatus, Finding};
use crate::model::{Source, Tables};

/// At most this many findings are stored per check; the rest are only counted.
pub const MAX_FINDINGS: usize = 10_000;

/// A check being run: counts rows and collects findings.
pub struct Check<'t> {
    tables: &'t Tables,
    id: &'static str,
    title: &'static str,
    explanation: String,
    rows_checked: u64,
    violations: u64,
    findings: Vec<Finding>,
}

impl<'t> Check<'t> {
    pub fn new(tables: &'t Tables, id: &'static str, title: &'static str, explanation: impl Into<String>) -> Self {
        Check {
            tables,
            id,
            title,
            explanation: explanation.into(),
            rows_checked: 0,
            violations: 0,
            findings: Vec::new(),
        }
    }

    /// One more row was looked at.
    pub fn checked(&mut self) {
        self.rows_checked = self.rows_checked.saturating_add(1);
    }

    /// The row at `source` breaks the rule. The message is only built while the list has room.
    pub fn flag(&mut self, source: Source, session_id: Option<&str>, message: impl FnOnce() -> String) {
        self.violations = self.violations.saturating_add(1);
        if self.findings.len() >= MAX_FINDINGS {
            return;
        }
        self.findings.push(Finding {
            check_id: self.id.to_string(),
            file: self.tables.file_name(source.file).to_string(),
            line: source.line,
            source,
            session_id: session_id.map(str::to_string),
            message: message(),
        });
    }

    /// Add a sentence to the explanation (what was skipped, and why).
    pub fn explain(&mut self, sentence: &str) {
        self.explanation.push(' ');
        self.explanation.push_str(sentence);
    }

    pub fn finish(mut self) -> CheckResult {
        if self.violations > self.findings.len() as u64 {
            let note = format!("Only the first {MAX_FINDINGS} of {} findings are listed.", self.violations);
            self.explain(&note);
        }
        CheckResult {
            id: self.id.to_string(),
            title: self.title.to_string(),
            explanation: self.explanation,
            rows_checked: self.rows_checked,
            violations: self.violations,
            status: if self.violations == 0 { CheckStatus::Pass } else { CheckStatus::Fail },
            findings: self.findings,
        }
    }
}
