//! The overview answer: totals, rollups, checks and the filters' choices, as plain data the
//! views can hold (small: one entry per model, day, hour, tool, check, not per row).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub time_zone: String,
    pub price_label: String,
    pub files: FilesLine,
    pub totals: Group,
    pub sessions: u64,
    pub queries: u64,
    pub tool_calls: u64,
    pub api_calls: u64,
    pub api_cost_usd: f64,
    pub tool_audit_rows: u64,
    pub by_model: Vec<Group>,
    pub by_workspace: Vec<Group>,
    pub by_day: Vec<Group>,
    pub by_hour: Vec<Group>,
    pub by_tool: Vec<ToolLine>,
    pub api_by_tier: Vec<CountLine>,
    pub api_by_pipeline: Vec<CountLine>,
    pub api_by_backend: Vec<CountLine>,
    pub api_by_install: Vec<CountLine>,
    /// By model, most spent first.
    #[serde(default)]
    pub api_by_model: Vec<CountLine>,
    /// By hour of day in the chosen zone (`00`–`23`, in hour order; `(no time)` last).
    #[serde(default)]
    pub api_by_hour: Vec<CountLine>,
    pub audit_by_date: Vec<CountLine>,
    pub audit_by_user: Vec<CountLine>,
    pub audit_by_engine: Vec<CountLine>,
    pub audit_by_model: Vec<CountLine>,
    pub audit_by_tool: Vec<CountLine>,
    pub audit_by_status: Vec<CountLine>,
    pub checks: Vec<CheckLine>,
    /// The choices of the shared filters, from the whole load (not the filtered view).
    pub models: Vec<String>,
    pub workspaces: Vec<String>,
    /// The team view's machines (this one, and each imported export's), in name order.
    #[serde(default)]
    pub machines: Vec<String>,
    /// Per-machine totals under the current filters; they sum to the totals above.
    #[serde(default)]
    pub by_machine: Vec<MachineLine>,
}

/// What one machine's rows add up to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MachineLine {
    pub machine: String,
    pub sessions: u64,
    pub queries: u64,
    pub tool_calls: u64,
    pub usage_rows: u64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub total_tokens: i64,
    /// The priced rows' cost; `unpriced_rows` are not in it.
    pub cost_usd: f64,
    pub unpriced_rows: u64,
}

/// What became of the files and their lines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FilesLine {
    pub files: u64,
    pub bytes: u64,
    pub lines: u64,
    pub parsed: u64,
    pub skipped: u64,
    pub duplicates: u64,
    pub malformed: u64,
    pub unreadable: u64,
    /// `codex: 3 files, 1.2 MB · claude: …`
    pub by_format: Vec<(String, u64, u64)>,
}

/// Token sums of one key (a model, a day, …).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub key: String,
    pub usage_rows: u64,
    pub input_tokens: i64,
    pub cached_input_tokens: i64,
    pub cache_creation_input_tokens: i64,
    pub output_tokens: i64,
    pub reasoning_output_tokens: i64,
    pub total_tokens: i64,
    pub cost_usd: f64,
    pub unpriced_rows: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ToolLine {
    pub tool: String,
    pub calls: u64,
    pub errors: u64,
    pub denied: u64,
    pub unanswered: u64,
    pub avg_duration_ms: Option<f64>,
}

/// Calls of an API or tool-audit key, with errors and cost where they apply.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CountLine {
    pub key: String,
    pub rows: u64,
    pub errors: u64,
    pub denied: u64,
    pub cost_usd: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckLine {
    pub id: String,
    pub title: String,
    pub explanation: String,
    pub rows_checked: u64,
    pub violations: u64,
    pub pass: bool,
}
