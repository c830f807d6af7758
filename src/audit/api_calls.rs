//! A12 and A13: API / relay call rows (docs/formats.md §4 (b), SHOULD: "`status=="success"` ⇒
//! empty `error`", "`cost_usd ≈ priced(tokens)`").
//!
//! A12, status, error and credit agree. A call breaks it (once, whatever the number of reasons)
//! when any of these holds:
//! - its status is none of `success`, `error`, `refused` (as logged, case included);
//! - it succeeded but carries an error text (non-blank);
//! - it failed (`error` or `refused`) but says nothing about why (no error, or a blank one);
//! - it failed but was charged credit (`credit_charged > 0`): a failed call should cost nothing.
//!
//! A13, logged cost matches the priced tokens: the logged `cost_usd` is compared with
//! [`PriceBook::api_call_cost`]. It breaks when they differ by more than 5% of the priced cost,
//! with an absolute floor of [`COST_FLOOR_USD`] so that a tiny call whose cost was logged rounded
//! to six decimals is not flagged. Calls whose model is unpriced, and calls that log no cost, are
//! not checked; the explanation says how many.

use super::CheckResult;
use super::check::Check;
use crate::model::{ApiCall, Tables, snippet};
use crate::pricing::PriceBook;

/// How far a logged cost may stray from the priced one, as a share of the priced cost.
pub const COST_TOLERANCE: f64 = 0.05;
/// The smallest difference in USD ever flagged (half a unit of a cost logged to six decimals is
/// 0.0000005).
pub const COST_FLOOR_USD: f64 = 0.000_001;

pub fn status_error_credit_agree(tables: &Tables) -> CheckResult {
    let mut check = Check::new(
        tables,
        "A12",
        "API call status, error and credit agree",
        "Each API call's status is success, error or refused; a success has no error text; an error or \
         refusal has an error text and charged no credit.",
    );
    for call in &tables.api_calls {
        check.checked();
        let reasons = disagreements(call);
        if !reasons.is_empty() {
            check.flag(call.source, None, || reasons.join("; "));
        }
    }
    check.finish()
}

fn disagreements(call: &ApiCall) -> Vec<String> {
    let error = call.error.as_deref().map(str::trim).filter(|e| !e.is_empty());
    let credit = call.credit_charged.unwrap_or(0.0);
    let mut reasons = Vec::new();
    match call.status.as_str() {
        "success" => {
            if let Some(e) = error {
                reasons.push(format!("status success with error {:?}", snippet(e, 60)));
            }
        }
        "error" | "refused" => {
            if error.is_none() {
                reasons.push(format!("status {} without an error text", call.status));
            }
            if credit > 0.0 {
                reasons.push(format!("status {} but credit_charged {credit}", call.status));
            }
        }
        other => reasons.push(format!("status {:?} is not success|error|refused", snippet(other, 40))),
    }
    reasons
}

pub fn cost_matches_prices(tables: &Tables, prices: &PriceBook) -> CheckResult {
    let mut check = Check::new(
        tables,
        "A13",
        "API call cost matches its priced tokens",
        "Each API call's logged cost_usd is within 5% of its tokens priced with the price book \
         (differences under $0.000001 are ignored).",
    );
    let (mut unpriced, mut no_cost) = (0u64, 0u64);
    for call in &tables.api_calls {
        let Some(logged) = call.cost_usd else {
            no_cost += 1;
            continue;
        };
        let Some(priced) = prices.api_call_cost(call) else {
            unpriced += 1;
            continue;
        };
        check.checked();
        if differs(logged, priced) {
            check.flag(call.source, None, || cost_message(call, logged, priced));
        }
    }
    check.explain(&format!("Not checked: {unpriced} calls of unpriced models, {no_cost} calls without cost_usd."));
    check.finish()
}

fn differs(logged: f64, priced: f64) -> bool {
    let gap = (logged - priced).abs();
    // NaN never compares greater: a non-finite number is a difference on its own.
    !gap.is_finite() || (gap > COST_TOLERANCE * priced.abs() && gap > COST_FLOOR_USD)
}

fn cost_message(call: &ApiCall, logged: f64, priced: f64) -> String {
    let share = if priced != 0.0 { format!(" ({:+.1}%)", (logged - priced) / priced * 100.0) } else { String::new() };
    format!(
        "cost_usd {logged} vs {priced:.6} priced for {} ({} in, {} out, {} thinking tokens){share}",
        snippet(&call.model, 60),
        call.input_tokens,
        call.output_tokens,
        call.thinking_tokens
    )
}
