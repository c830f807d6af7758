//! Small sums the exports show per session and per prompt (`sessions.csv`, `report.md`).
//!
//! Rules: token sums saturate instead of overflowing (hostile logs can hold any i64); a cost is
//! summed over priced rows only and the unpriced rows are counted apart, never as $0
//! (DESIGN.md section 2, last paragraph).

use crate::model::{ToolCall, UsageRow};

/// Token and cost sums of some usage rows.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TokenSum {
    pub rows: u64,
    pub input_tokens: i64,
    pub cached_input_tokens: i64,
    pub output_tokens: i64,
    pub reasoning_output_tokens: i64,
    pub total_tokens: i64,
    /// Sum of the priced rows' costs (`None` while no row is priced).
    pub cost_usd: Option<f64>,
    pub unpriced_rows: u64,
}

impl TokenSum {
    pub fn add(&mut self, row: &UsageRow, cost: Option<f64>) {
        self.rows = self.rows.saturating_add(1);
        self.input_tokens = self.input_tokens.saturating_add(row.input_tokens);
        self.cached_input_tokens = self
            .cached_input_tokens
            .saturating_add(row.cached_input_tokens);
        self.output_tokens = self.output_tokens.saturating_add(row.output_tokens);
        self.reasoning_output_tokens = self
            .reasoning_output_tokens
            .saturating_add(row.reasoning_output_tokens);
        self.total_tokens = self.total_tokens.saturating_add(row.total_tokens);
        match cost {
            Some(c) => self.cost_usd = Some(self.cost_usd.unwrap_or(0.0) + c),
            None => self.unpriced_rows = self.unpriced_rows.saturating_add(1),
        }
    }
}

/// The cost of usage row `i` (missing entries are unpriced).
pub fn cost_of(costs: &[Option<f64>], i: usize) -> Option<f64> {
    costs.get(i).copied().flatten()
}

/// An output line that matched no call is listed in `tool_calls.csv` but is not a call.
pub fn is_real_call(call: &ToolCall) -> bool {
    !call.is_output_without_call()
}
