//! A14 and A15: tool-call audit rows (docs/formats.md §4 (a), SHOULD: "status in enum",
//! "`result_chars` ≥ len(`result_snippet`)").
//!
//! - A14: `status` is exactly `ok`, `error` or `denied` (as logged, case included; a missing
//!   status is kept as "" by the adapter and flagged here).
//! - A15: a row that logs `result_chars` has at least as many result characters as its snippet
//!   shows. The table keeps the snippet shortened to [`crate::model::SNIPPET_CHARS`] characters plus `…`; the
//!   stored snippet's length in chars is then still a lower bound of the logged one (a cut
//!   snippet was longer than what is kept), so a violation found here is a real one. Rows without
//!   `result_chars` are not checked.

use super::CheckResult;
use super::check::Check;
use crate::model::{Tables, snippet};

const KNOWN_STATUSES: [&str; 3] = ["ok", "error", "denied"];

pub fn known_status(tables: &Tables) -> CheckResult {
    let mut check =
        Check::new(tables, "A14", "Tool audit status known", "Each tool-audit row's status is ok, error or denied.");
    for row in &tables.tool_audit {
        check.checked();
        if !KNOWN_STATUSES.contains(&row.status.as_str()) {
            check.flag(row.source, None, || {
                format!("{} row has status {:?}, not ok|error|denied", row.tool, snippet(&row.status, 40))
            });
        }
    }
    check.finish()
}

pub fn result_chars_cover_snippet(tables: &Tables) -> CheckResult {
    let mut check = Check::new(
        tables,
        "A15",
        "Tool audit result size covers its snippet",
        "Each tool-audit row's result_chars is at least the length of its result_snippet in characters \
         (rows without result_chars are not checked).",
    );
    for row in &tables.tool_audit {
        let Some(result_chars) = row.result_chars else { continue };
        check.checked();
        let shown = row.result_snippet.chars().count();
        if result_chars < shown as i64 {
            let cut = if row.result_snippet.ends_with('…') { " at least" } else { "" };
            check.flag(row.source, None, || {
                format!("result_chars {result_chars} is below the snippet's{cut} {shown} characters")
            });
        }
    }
    check.finish()
}
