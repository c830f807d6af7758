//! A7 and A8: tool calls and their outputs pair up (DESIGN.md section 2: `call_id` links a call
//! to its output; docs/formats.md §1.10 and §2.6).
//!
//! - A7, a call without an output: a tool call whose status is still `unknown` and that has no
//!   `output_source`: no output item, no `*_end` event and no completed status was ever logged
//!   (an interrupt, or the file ends first). Calls that finished through an `*_end` event or a
//!   status of their own have a known status and are fine.
//! - A8, an output without a call: the adapters record an output whose `call_id` matches no
//!   earlier call as a row of kind [`OUTPUT_WITHOUT_CALL`] at the output's line; every such row
//!   is a violation. Those rows are not calls, so A7 does not count them.
//!
//! [`OUTPUT_WITHOUT_CALL`]: crate::model::OUTPUT_WITHOUT_CALL

use super::CheckResult;
use super::check::Check;
use crate::model::{Tables, ToolStatus};

pub fn calls_without_output(tables: &Tables) -> CheckResult {
    let mut check = Check::new(
        tables,
        "A7",
        "Tool call without an output",
        "Each tool call has an output, an end event or a final status; a call with none of these was \
         interrupted or the log ends before it returned.",
    );
    for call in tables.tool_calls.iter().filter(|c| !c.is_output_without_call()) {
        check.checked();
        if call.status == ToolStatus::Unknown && call.output_source.is_none() {
            check.flag(call.source, Some(&call.session_id), || {
                format!(
                    "{} call {} ({}) has no output",
                    call.tool,
                    call.call_id.as_deref().unwrap_or("without id"),
                    call.kind
                )
            });
        }
    }
    check.finish()
}

pub fn outputs_without_call(tables: &Tables) -> CheckResult {
    let mut check = Check::new(
        tables,
        "A8",
        "Tool output without a call",
        "Each tool output answers a call logged before it in the same file (matched by call_id).",
    );
    for call in &tables.tool_calls {
        check.checked();
        if call.is_output_without_call() {
            check.flag(call.source, Some(&call.session_id), || {
                format!("output for call_id {} matches no earlier call", call.call_id.as_deref().unwrap_or("(none)"))
            });
        }
    }
    check.finish()
}
