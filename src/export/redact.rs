//! Redaction: what a person can hide before sharing an export (DESIGN.md section 4: "Exports
//! honour the active filters and the redaction rules").
//!
//! Rules this module follows:
//! - **Text** (prompts, tool arguments, tool results) is replaced by `[redacted N chars]`, N being
//!   the number of characters (not bytes) removed; an empty text stays empty.
//! - **Paths** keep their last component: `/home/ana/src/shop` → `shop`, `C:\Users\ana\shop` →
//!   `shop`, `git@github.com:ana/shop.git` → `shop.git`. They cover the files' names (everywhere
//!   they appear: tables, ingest report, findings, reconciliation), workspaces, routing `cwd` and
//!   git remotes. Two workspaces with the same last name then read alike; that is the price.
//! - **Idempotent**: redacting twice equals redacting once (an already redacted text is left as
//!   it is), so the export can apply the rules defensively to inputs that may already be redacted.
//! - Numbers, ids, models and timestamps are never redacted.

use crate::audit::AuditReport;
use crate::ingest::IngestReport;
use crate::model::Tables;
use serde::Serialize;

/// Which kinds of text to hide. `Default` hides nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Redaction {
    /// The text of every prompt (`query_messages.csv`, the report).
    pub prompts: bool,
    /// Tool-call arguments (tool calls and tool-audit rows).
    pub tool_args: bool,
    /// Tool results (`result_snippet` of tool-audit rows).
    pub tool_results: bool,
    /// File names, workspaces, `cwd` and git remotes keep only their last component.
    pub paths: bool,
}

impl Redaction {
    pub fn is_empty(&self) -> bool {
        !(self.prompts || self.tool_args || self.tool_results || self.paths)
    }

    /// What is redacted, for the report header (empty when nothing is).
    pub fn describe(&self) -> Vec<&'static str> {
        let named = [
            (self.prompts, "prompts"),
            (self.tool_args, "tool arguments"),
            (self.tool_results, "tool results"),
            (self.paths, "paths (last component kept)"),
        ];
        named
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, name)| *name)
            .collect()
    }
}

/// `[redacted N chars]`, or the text itself when it is empty or already redacted.
pub fn text(s: &str) -> String {
    if s.is_empty() || is_redacted(s) {
        return s.to_string();
    }
    format!("[redacted {} chars]", s.chars().count())
}

fn is_redacted(s: &str) -> bool {
    s.strip_prefix("[redacted ")
        .and_then(|rest| rest.strip_suffix(" chars]"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The last component of a path or remote (`/` `\` `:` separate components).
pub fn path(s: &str) -> &str {
    let trimmed = s.trim_end_matches(['/', '\\']);
    if trimmed.is_empty() {
        return s;
    }
    match trimmed.rfind(['/', '\\', ':']) {
        Some(i) => trimmed
            .get(i + 1..)
            .filter(|last| !last.is_empty())
            .unwrap_or(trimmed),
        None => trimmed,
    }
}

fn text_in_place(s: &mut String) {
    *s = text(s);
}

fn path_in_place(s: &mut String) {
    let last = path(s);
    if last.len() != s.len() {
        *s = last.to_string();
    }
}

/// Redact the tables in place.
pub fn tables(t: &mut Tables, r: &Redaction) {
    if r.prompts {
        t.queries
            .iter_mut()
            .for_each(|q| text_in_place(&mut q.text));
    }
    if r.tool_args {
        t.tool_calls
            .iter_mut()
            .for_each(|c| text_in_place(&mut c.args_snippet));
        t.tool_audit
            .iter_mut()
            .for_each(|a| text_in_place(&mut a.args_snippet));
    }
    if r.tool_results {
        t.tool_audit
            .iter_mut()
            .for_each(|a| text_in_place(&mut a.result_snippet));
    }
    if r.paths {
        t.files.iter_mut().for_each(|f| path_in_place(&mut f.name));
        for s in &mut t.sessions {
            s.workspace.iter_mut().for_each(path_in_place);
            s.git_remote.iter_mut().for_each(path_in_place);
        }
        t.routing
            .iter_mut()
            .for_each(|r| r.cwd.iter_mut().for_each(path_in_place));
    }
}

/// Redact the file names of the ingest report.
pub fn ingest_report(report: &mut IngestReport, r: &Redaction) {
    if r.paths {
        report
            .files
            .iter_mut()
            .for_each(|f| path_in_place(&mut f.file));
    }
}

/// Redact the file names of the findings and reconciliation rows.
pub fn audit(audit: &mut AuditReport, r: &Redaction) {
    if r.paths {
        for check in &mut audit.checks {
            check
                .findings
                .iter_mut()
                .for_each(|f| path_in_place(&mut f.file));
        }
        audit
            .reconciliation
            .iter_mut()
            .for_each(|x| path_in_place(&mut x.file));
    }
}

/// Redact the workspaces of a serialized `summary.json` (`by_workspace[].workspace`).
pub fn summary_value(summary: &mut serde_json::Value, r: &Redaction) {
    if !r.paths {
        return;
    }
    let Some(groups) = summary
        .get_mut("by_workspace")
        .and_then(|g| g.as_array_mut())
    else {
        return;
    };
    for group in groups {
        if let Some(serde_json::Value::String(w)) = group.get_mut("workspace") {
            path_in_place(w);
        }
    }
}
