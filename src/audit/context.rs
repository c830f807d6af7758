//! A9: no request larger than the model's context window (docs/formats.md §1.9, a soft SHOULD:
//! `last.total_tokens <= model_context_window`).
//!
//! Only rows whose context window is known (`context_window`, from Codex's
//! `info.model_context_window`, positive) are checked. The request size is, for Codex (vendor
//! OpenAI), the logged `raw.total_tokens` of `last_token_usage`, i.e. prompt plus output, which is
//! what has to fit in the window and what §1.9 compares; for every other vendor it is the
//! normalized `input_tokens` (all prompt tokens, cache reads and writes included).

use super::CheckResult;
use super::check::Check;
use crate::model::{Tables, UsageRow, Vendor};

pub fn requests_fit_the_window(tables: &Tables) -> CheckResult {
    let mut check = Check::new(
        tables,
        "A9",
        "Request within the context window",
        "Each usage row with a known context window asks for at most that many tokens (Codex: the \
         request's logged total_tokens; other agents: its input_tokens).",
    );
    for row in &tables.usage {
        let Some(window) = row.context_window.filter(|w| *w > 0) else { continue };
        check.checked();
        let (size, field) = request_size(row);
        if size > window {
            check.flag(row.source, Some(&row.session_id), || {
                format!("request of {size} tokens ({field}) exceeds the context window of {window}")
            });
        }
    }
    check.finish()
}

fn request_size(row: &UsageRow) -> (i64, &'static str) {
    match row.vendor {
        Some(Vendor::OpenAi) => (row.raw.total_tokens, "total_tokens"),
        _ => (row.input_tokens, "input_tokens"),
    }
}
