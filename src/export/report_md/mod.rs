//! `report.md`: the Markdown transparency report, the kind teams attach to release notes.
//!
//! Layout: a header (when, from which files, time zone, price snapshot, filters, redaction), the
//! totals, the checks, the files read, what was redacted and why ([`redaction`]), then one
//! section per session ([`sessions`]) with its prompts in time order, the events under each
//! prompt, and its findings.
//!
//! Rules:
//! - Every piece of text that comes from a log or a file name goes through
//!   [`escape`](super::markdown::escape); nothing from a log is put in a code span.
//! - Times are UTC ISO-8601; token counts have thousands separators; costs are `$` with four
//!   decimals, and a sum with no priced row reads "unpriced", never `$0.0000`.
//! - Long lists are cut with a pointer to the CSV that has them all (files: 100 rows; tool calls
//!   per prompt: [`ExportSettings::report_tool_calls_per_prompt`](super::ExportSettings); findings
//!   outside sessions: 100).

mod redaction;
mod sessions;

use super::markdown::{count, escape, plural, thousands};
use super::stats::{TokenSum, cost_of, is_real_call};
use super::{ExportInput, Redacted};
use crate::audit::CheckStatus;
use crate::timefmt::format_opt;
use std::fmt::Write;

const MAX_FILES_LISTED: usize = 100;
const MAX_LOOSE_FINDINGS: usize = 100;

/// The whole report.
pub fn build(input: &ExportInput, red: &Redacted) -> String {
    let mut md = String::new();
    header(&mut md, input, red);
    totals(&mut md, input, red);
    checks(&mut md, red);
    files(&mut md, red);
    redaction::write(&mut md, input, red);
    sessions::write(&mut md, input, red);
    md
}

fn header(md: &mut String, input: &ExportInput, red: &Redacted) {
    let meta = input.meta;
    let generated = meta
        .generated_at_ms
        .map(|ms| format_opt(Some(ms)))
        .unwrap_or_else(|| "unknown".into());
    let filters = input.filter.describe();
    let snapshot = if meta.price_snapshot.is_empty() {
        "unknown".to_string()
    } else {
        escape(&meta.price_snapshot)
    };
    let _ = writeln!(md, "# Agent Ledger transparency report\n");
    let _ = writeln!(
        md,
        "- Generated: {generated} by agent-ledger {}",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(
        md,
        "- Files read: {} (listed under Files)",
        red.ingest.files.len()
    );
    let _ = writeln!(
        md,
        "- Times: UTC; day and hour rollups in summary.json use {}",
        escape(&input.summary.time_zone)
    );
    let _ = writeln!(md, "- Prices: {snapshot}");
    let _ = writeln!(md, "- Filters: {}", list_or_none(&filters));
    let _ = writeln!(md, "- Redaction: {} (listed under Redaction)\n", input.redaction.describe());
}

fn list_or_none<S: AsRef<str>>(items: &[S]) -> String {
    if items.is_empty() {
        return "none".into();
    }
    items
        .iter()
        .map(|s| escape(s.as_ref()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// `$0.1235`, or `unpriced` when no row had a price, with the unpriced rows named.
pub(crate) fn cost_text(sum: &TokenSum) -> String {
    match (sum.cost_usd, sum.unpriced_rows) {
        (None, 0) => "$0.0000".into(),
        (None, n) => format!("unpriced ({})", plural(n, "row")),
        (Some(c), 0) => format!("${c:.4}"),
        (Some(c), n) => format!("${c:.4} + {} unpriced", plural(n, "row")),
    }
}

/// `input 1,000 (cached 800), output 50 (reasoning 20), total 1,050`.
pub(crate) fn tokens_text(sum: &TokenSum) -> String {
    format!(
        "input {} (cached {}), output {} (reasoning {}), total {}",
        thousands(sum.input_tokens),
        thousands(sum.cached_input_tokens),
        thousands(sum.output_tokens),
        thousands(sum.reasoning_output_tokens),
        thousands(sum.total_tokens)
    )
}

fn totals(md: &mut String, input: &ExportInput, red: &Redacted) {
    let t = red.tables.as_ref();
    let mut usage = TokenSum::default();
    for (i, u) in t.usage.iter().enumerate() {
        usage.add(u, cost_of(input.usage_costs, i));
    }
    let findings = red.audit.findings().count();
    let calls = t.tool_calls.iter().filter(|c| is_real_call(c)).count();
    let rows: [(&str, String); 13] = [
        ("Sessions", count(t.sessions.len() as u64)),
        ("Prompts", count(t.queries.len() as u64)),
        ("Tool calls", count(calls as u64)),
        ("Usage rows", count(usage.rows)),
        ("Input tokens", thousands(usage.input_tokens)),
        ("Cached input tokens", thousands(usage.cached_input_tokens)),
        ("Output tokens", thousands(usage.output_tokens)),
        ("Reasoning tokens", thousands(usage.reasoning_output_tokens)),
        ("Total tokens", thousands(usage.total_tokens)),
        ("Cost (USD)", cost_text(&usage)),
        ("API calls", api_text(t)),
        ("Tool audit rows", count(t.tool_audit.len() as u64)),
        ("Findings", count(findings as u64)),
    ];
    let _ = writeln!(md, "## Totals\n\n| Measure | Value |\n|---|---:|");
    for (name, value) in rows {
        let _ = writeln!(md, "| {name} | {value} |");
    }
    md.push('\n');
}

/// `2 (cost as logged $0.5000)`; the cost only when some call logged one.
fn api_text(t: &crate::model::Tables) -> String {
    let costs: Vec<f64> = t.api_calls.iter().filter_map(|c| c.cost_usd).collect();
    let n = count(t.api_calls.len() as u64);
    if costs.is_empty() {
        return n;
    }
    format!("{n} (cost as logged ${:.4})", costs.iter().sum::<f64>())
}

fn checks(md: &mut String, red: &Redacted) {
    let audit = red.audit.as_ref();
    let _ = writeln!(md, "## Checks\n");
    if audit.checks.is_empty() {
        let _ = writeln!(md, "No checks ran.\n");
        return;
    }
    let _ = writeln!(
        md,
        "| Check | Title | Rows checked | Violations | Status |\n|---|---|---:|---:|---|"
    );
    for c in &audit.checks {
        let status = if c.status == CheckStatus::Pass {
            "pass"
        } else {
            "fail"
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {status} |",
            escape(&c.id),
            escape(&c.title),
            count(c.rows_checked),
            count(c.violations)
        );
    }
    let mismatches = audit
        .reconciliation
        .iter()
        .filter(|r| r.status != crate::audit::ReconciliationStatus::Ok)
        .count();
    if !audit.reconciliation.is_empty() {
        let _ = writeln!(
            md,
            "\nReconciliation (A5): {} sessions, {} mismatched.",
            audit.reconciliation.len(),
            mismatches
        );
    }
    md.push('\n');
}

fn files(md: &mut String, red: &Redacted) {
    let files = &red.ingest.files;
    let _ = writeln!(md, "## Files\n");
    if files.is_empty() {
        let _ = writeln!(md, "No files were read.\n");
        return;
    }
    let _ = writeln!(
        md,
        "| File | Format | Lines | Parsed | Skipped | Duplicates | Malformed |\n|---|---|---:|---:|---:|---:|---:|"
    );
    for f in files.iter().take(MAX_FILES_LISTED) {
        let n = count;
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            escape(&f.file),
            f.format_label(),
            n(f.lines),
            n(f.parsed),
            n(f.skipped),
            n(f.duplicates),
            n(f.malformed)
        );
    }
    if files.len() > MAX_FILES_LISTED {
        let _ = writeln!(
            md,
            "\n… and {} more files (see ingest_report.csv).",
            files.len() - MAX_FILES_LISTED
        );
    }
    md.push('\n');
}
