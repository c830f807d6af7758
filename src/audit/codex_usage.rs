//! A1–A4: the per-request invariants of a Codex (OpenAI) usage row, on the values as logged
//! (`row.raw`, the `last_token_usage` of the `token_count` event).
//!
//! The Responses API defines them (docs/formats.md §1.9, "SHOULD per line"): `total = input +
//! output`, `cached ⊆ input`, `reasoning ⊆ output`, every counter `>= 0`. Only rows of vendor
//! OpenAI are checked: the other vendors log other conventions (Anthropic's input excludes cache
//! reads, Gemini's total adds thoughts), so the same rules would be false alarms there. Context
//! markers (all 0 but `total_tokens`) never become usage rows, so they are not checked.

use super::CheckResult;
use super::check::Check;
use crate::model::{RawUsage, Rows, Tables, UsageRow, Vendor};

fn codex_rows(tables: &Tables) -> impl Iterator<Item = &UsageRow> {
    tables.usage.rows().filter(|u| u.vendor == Some(Vendor::OpenAi))
}

/// One rule: its id, title and explanation, when a row breaks it, and what to say then.
struct Rule {
    id: &'static str,
    title: &'static str,
    explanation: &'static str,
    broken: fn(&RawUsage) -> bool,
    message: fn(&RawUsage) -> String,
}

/// Run one rule over every Codex usage row (messages are only written for stored findings).
fn per_row(tables: &Tables, rule: Rule) -> CheckResult {
    let mut check = Check::new(tables, rule.id, rule.title, rule.explanation);
    for row in codex_rows(tables) {
        check.checked();
        if (rule.broken)(&row.raw) {
            check.flag(row.source, Some(&row.session_id), || (rule.message)(&row.raw));
        }
    }
    check.finish()
}

pub fn total_is_input_plus_output(tables: &Tables) -> CheckResult {
    per_row(
        tables,
        Rule {
            id: "A1",
            title: "Codex total = input + output",
            explanation: "Each Codex usage row's logged total_tokens equals input_tokens + output_tokens \
                          (the Responses API's total).",
            broken: |r| r.input_tokens.checked_add(r.output_tokens) != Some(r.total_tokens),
            message: |r| match r.input_tokens.checked_add(r.output_tokens) {
                Some(sum) => format!(
                    "total_tokens {} != input_tokens {} + output_tokens {} = {sum}",
                    r.total_tokens, r.input_tokens, r.output_tokens
                ),
                None => format!(
                    "input_tokens {} + output_tokens {} overflows (total_tokens {})",
                    r.input_tokens, r.output_tokens, r.total_tokens
                ),
            },
        },
    )
}

pub fn cached_within_input(tables: &Tables) -> CheckResult {
    per_row(
        tables,
        Rule {
            id: "A2",
            title: "Codex cached input within input",
            explanation: "Each Codex usage row's cached_input_tokens is at most its input_tokens (cached \
                          tokens are part of the input).",
            broken: |r| r.cached_input_tokens > r.input_tokens,
            message: |r| format!("cached_input_tokens {} > input_tokens {}", r.cached_input_tokens, r.input_tokens),
        },
    )
}

pub fn reasoning_within_output(tables: &Tables) -> CheckResult {
    per_row(
        tables,
        Rule {
            id: "A3",
            title: "Codex reasoning within output",
            explanation: "Each Codex usage row's reasoning_output_tokens is at most its output_tokens \
                          (reasoning is part of the output).",
            broken: |r| r.reasoning_output_tokens > r.output_tokens,
            message: |r| {
                format!("reasoning_output_tokens {} > output_tokens {}", r.reasoning_output_tokens, r.output_tokens)
            },
        },
    )
}

pub fn no_negative_counts(tables: &Tables) -> CheckResult {
    per_row(
        tables,
        Rule {
            id: "A4",
            title: "Codex token counts not negative",
            explanation: "Every token counter of each Codex usage row (input, cached, output, reasoning, \
                          total, cache_write) is >= 0.",
            broken: |r| counters(r).iter().any(|(_, v)| *v < 0),
            message: |r| {
                let negative: Vec<String> =
                    counters(r).iter().filter(|(_, v)| *v < 0).map(|(name, v)| format!("{name} {v}")).collect();
                format!("negative: {}", negative.join(", "))
            },
        },
    )
}

/// Every counter a Codex row logs, by name.
fn counters(r: &RawUsage) -> [(&'static str, i64); 6] {
    [
        ("input_tokens", r.input_tokens),
        ("cached_input_tokens", r.cached_input_tokens),
        ("output_tokens", r.output_tokens),
        ("reasoning_output_tokens", r.reasoning_output_tokens),
        ("total_tokens", r.total_tokens),
        ("cache_write_input_tokens", r.cache_write_input_tokens),
    ]
}
