//! A11: Claude usage that may be partial (docs/formats.md §2.5).
//!
//! Claude Code 2.0.x writes one line per content block, each with a usage snapshot taken
//! mid-stream (`stop_reason: null`, output 1–3 tokens). After the dedup on (`message.id`,
//! `requestId`) keeps the largest snapshot, a kept line that still has `stop_reason: null` is
//! flagged by the adapter as `possibly_partial`: its output may be under-reported. Every Claude
//! (vendor Anthropic) usage row is checked; each possibly partial one is a violation.

use super::CheckResult;
use super::check::Check;
use crate::model::{Tables, Vendor};

pub fn usage_not_partial(tables: &Tables) -> CheckResult {
    let mut check = Check::new(
        tables,
        "A11",
        "Claude usage complete",
        "Each Claude usage row comes from a finished response; a kept snapshot with stop_reason null \
         was logged mid-stream and may under-report output tokens.",
    );
    for row in tables.usage.iter().filter(|u| u.vendor == Some(Vendor::Anthropic)) {
        check.checked();
        if row.possibly_partial {
            check.flag(row.source, Some(&row.session_id), || {
                format!(
                    "stop_reason null: output_tokens {} may be a mid-stream snapshot ({})",
                    row.output_tokens,
                    row.request_key.as_deref().unwrap_or("no message id")
                )
            });
        }
    }
    check.finish()
}
