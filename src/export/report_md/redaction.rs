//! The report's "Redaction" section: which rules ran and what each masked, and every manual
//! redaction with its reason, author and time. Like `redaction.json`, it never shows a masked
//! value (previews are left to `redaction.json`).

use super::super::markdown::{count, escape};
use super::super::{ExportInput, Redacted};
use crate::timefmt::format_iso;
use std::fmt::Write;

pub fn write(md: &mut String, input: &ExportInput, red: &Redacted) {
    let r = input.redaction;
    let _ = writeln!(md, "## Redaction\n");
    let _ = writeln!(
        md,
        "Rules run in order over prompts, tool arguments and results, paths, git branches and \
         remotes, tool-audit users, API errors, ingest notes and finding messages; ids, models \
         and numbers are never changed, so totals and costs are as logged. Masked counts places \
         in the logs; redaction.json has previews.\n"
    );
    let _ = writeln!(md, "| Rule | Title | Kind | On | Masked |\n|---|---|---|---|---:|");
    for rule in &r.rules {
        let hits = red.report.rule(&rule.id);
        let masked = hits.map_or(0, |h| h.count);
        let error = hits.and_then(|h| h.error.as_deref()).map(|e| format!(" ({})", escape(e))).unwrap_or_default();
        let _ = writeln!(
            md,
            "| {} | {}{error} | {} | {} | {} |",
            escape(&rule.id),
            escape(&rule.title),
            rule.kind.label(),
            if rule.enabled { "yes" } else { "no" },
            count(masked)
        );
    }
    md.push('\n');
    if r.manual.is_empty() {
        let _ = writeln!(md, "No manual redactions.\n");
        return;
    }
    let _ = writeln!(
        md,
        "Manual redactions (they take precedence over the rules):\n\n\
         | Id | Scope | Replacement | Reason | By | At (UTC) | Masked |\n|---|---|---|---|---|---|---:|"
    );
    let mask = |name: &str| red.file_name(name);
    for m in &r.manual {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            escape(&m.id),
            escape(&m.describe_scope(&mask)),
            escape(&m.replacement),
            escape(&m.reason),
            escape(&m.actor),
            format_iso(m.at_ms),
            count(red.report.manual_count(&m.id))
        );
    }
    md.push('\n');
}
