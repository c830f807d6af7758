//! Rollups: the numbers of `summary.json` and of the dashboard (DESIGN.md section 4).
//!
//! Usage is summed by model, workspace, session, day, hour of day (in the time zone the user picks,
//! UTC by default, and always also in UTC as `by_hour_utc`); tool calls by tool; API calls by tier,
//! pipeline, backend and install (top 20 by spend, with distinct jobs); tool-audit rows by date,
//! user, engine, model, tool and status. Costs come in per usage row (`None` = unpriced): unpriced
//! rows are counted apart and never add $0 to a total.

use rustc_hash::FxHashMap;
use crate::model::{ApiCall, Millis, Row, Tables, ToolAuditRow, ToolStatus, UsageRow};
use serde::Serialize;
use std::collections::BTreeMap;

/// How many API-call groups by install are kept (the rest are summed as "(others)").
pub const TOP_INSTALLS: usize = 20;

/// The token sums every usage group carries.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct UsageSums {
    pub usage_rows: u64,
    pub input_tokens: i64,
    pub cached_input_tokens: i64,
    pub cache_creation_input_tokens: i64,
    pub output_tokens: i64,
    pub reasoning_output_tokens: i64,
    pub total_tokens: i64,
    /// The cost of the priced rows.
    pub cost_usd: f64,
    /// Rows whose model has no known price: not in `cost_usd`, never counted as $0.
    pub unpriced_rows: u64,
    pub unpriced_tokens: i64,
}

impl UsageSums {
    fn add(&mut self, row: &UsageRow, cost: Option<f64>) {
        self.usage_rows += 1;
        self.input_tokens += row.input_tokens;
        self.cached_input_tokens += row.cached_input_tokens;
        self.cache_creation_input_tokens += row.cache_creation_input_tokens;
        self.output_tokens += row.output_tokens;
        self.reasoning_output_tokens += row.reasoning_output_tokens;
        self.total_tokens += row.total_tokens;
        match cost {
            Some(c) => self.cost_usd += c,
            None => {
                self.unpriced_rows += 1;
                self.unpriced_tokens += row.total_tokens;
            }
        }
    }
}

/// One group of usage rows: its key under the name DESIGN.md gives it, then the sums.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UsageGroup {
    #[serde(flatten)]
    pub key: Key,
    #[serde(flatten)]
    pub sums: UsageSums,
}

/// A group key, serialized as `{"model": …}`, `{"day": …}` and so on.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Key {
    Model(String),
    Workspace(String),
    SessionId(String),
    Day(String),
    Hour(u8),
}

impl Key {
    pub fn label(&self) -> String {
        match self {
            Key::Model(s) | Key::Workspace(s) | Key::SessionId(s) | Key::Day(s) => s.clone(),
            Key::Hour(h) => format!("{h:02}"),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Totals {
    pub sessions: u64,
    pub queries: u64,
    pub tool_calls: u64,
    #[serde(flatten)]
    pub usage: UsageSums,
    pub api_calls: u64,
    pub api_cost_usd: f64,
    pub tool_audit_rows: u64,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ToolGroup {
    pub tool: String,
    pub calls: u64,
    pub errors: u64,
    pub denied: u64,
    pub unanswered: u64,
    pub avg_duration_ms: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ApiGroup {
    pub key: String,
    pub calls: u64,
    pub errors: u64,
    pub refused: u64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub thinking_tokens: i64,
    pub cost_usd: f64,
    pub credit_charged: f64,
    pub distinct_jobs: u64,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ApiRollups {
    pub by_tier: Vec<ApiGroup>,
    pub by_pipeline: Vec<ApiGroup>,
    pub by_backend: Vec<ApiGroup>,
    /// The top installs by spend; the rest, if any, summed under `(others)`.
    pub by_install: Vec<ApiGroup>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct AuditGroup {
    pub key: String,
    pub rows: u64,
    pub errors: u64,
    pub denied: u64,
    pub result_chars: i64,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ToolAuditRollups {
    pub by_date: Vec<AuditGroup>,
    pub by_user: Vec<AuditGroup>,
    pub by_engine: Vec<AuditGroup>,
    pub by_model: Vec<AuditGroup>,
    pub by_tool: Vec<AuditGroup>,
    pub by_status: Vec<AuditGroup>,
}

/// `summary.json`.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Summary {
    /// The IANA name (or `UTC`) that `by_day` and `by_hour` follow.
    pub time_zone: String,
    pub totals: Totals,
    pub by_model: Vec<UsageGroup>,
    pub by_workspace: Vec<UsageGroup>,
    pub by_session: Vec<UsageGroup>,
    pub by_day: Vec<UsageGroup>,
    /// Hour of day in `time_zone`.
    pub by_hour: Vec<UsageGroup>,
    /// Hour of day in UTC, whatever the chosen zone.
    pub by_hour_utc: Vec<UsageGroup>,
    pub by_tool: Vec<ToolGroup>,
    pub api_calls: ApiRollups,
    pub tool_audit: ToolAuditRollups,
}

/// A time zone for day and hour buckets.
#[derive(Debug, Clone)]
pub struct Zone {
    pub name: String,
    tz: jiff::tz::TimeZone,
}

impl Zone {
    pub fn utc() -> Self {
        Zone { name: "UTC".into(), tz: jiff::tz::TimeZone::UTC }
    }

    /// An IANA name (`Europe/Berlin`) or `UTC`; `Err` names what is unknown.
    pub fn named(name: &str) -> Result<Self, String> {
        if name.eq_ignore_ascii_case("utc") || name.is_empty() {
            return Ok(Self::utc());
        }
        jiff::tz::TimeZone::get(name)
            .map(|tz| Zone { name: name.to_string(), tz })
            .map_err(|_| format!("unknown time zone {name:?}"))
    }

    /// `(YYYY-MM-DD, hour)` of an instant in this zone.
    pub fn day_hour(&self, ms: Millis) -> Option<(String, u8)> {
        self.date_hour(ms).map(|(date, hour)| (date.to_string(), hour))
    }

    /// [`Zone::day_hour`] with the date unformatted.
    fn date_hour(&self, ms: Millis) -> Option<(jiff::civil::Date, u8)> {
        let ts = jiff::Timestamp::from_millisecond(ms).ok()?;
        let dt = self.tz.to_datetime(ts);
        Some((dt.date(), dt.hour() as u8))
    }

    /// The day (`YYYY-MM-DD`) of an instant in this zone.
    pub fn day(&self, ms: Millis) -> Option<String> {
        self.day_hour(ms).map(|(d, _)| d)
    }
}

/// Sum everything. `usage_costs[i]` is the cost of `tables.usage[i]` (`None` = unpriced) and
/// `api_costs[i]` the cost of `tables.api_calls[i]` as logged or priced.
pub fn summarize(tables: &Tables, usage_costs: &[Option<f64>], zone: &Zone) -> Summary {
    let cost = |i: usize| usage_costs.get(i).copied().flatten();
    let mut totals = Totals {
        // Distinct ids: a Claude sub-agent transcript shares its parent's session id.
        sessions: tables.sessions.iter().map(|s| s.session_id.as_str()).collect::<std::collections::HashSet<_>>().len() as u64,
        queries: tables.queries.len() as u64,
        tool_calls: tables.tool_calls.iter().filter(|c| !c.is_output_without_call()).count() as u64,
        api_calls: tables.api_calls.len() as u64,
        api_cost_usd: tables.api_calls.iter().filter_map(|c| c.cost_usd).sum(),
        tool_audit_rows: tables.tool_audit.len() as u64,
        ..Default::default()
    };
    let workspaces: FxHashMap<&str, &str> = tables
        .sessions
        .iter()
        .filter_map(|s| Some((s.session_id.as_str(), s.workspace.as_deref()?)))
        .collect();

    // Summed under borrowed keys and unformatted dates (nothing allocated per row), named at the
    // end. Each group adds its rows in table order, as before, so the float sums are the same.
    let mut by_model: FxHashMap<&str, UsageSums> = FxHashMap::default();
    let mut by_workspace: FxHashMap<&str, UsageSums> = FxHashMap::default();
    let mut by_session: FxHashMap<&str, UsageSums> = FxHashMap::default();
    let mut by_hour_utc: [Option<UsageSums>; 24] = Default::default();
    let utc = Zone::utc();
    for (i, row) in tables.usage.iter().enumerate() {
        let c = cost(i);
        totals.usage.add(row, c);
        let workspace = workspaces.get(&*row.session_id).copied().unwrap_or("(unknown)");
        let hour_utc = row.ts_ms.and_then(|t| utc.date_hour(t)).map(|(_, h)| h);
        by_model.entry(&*row.model).or_default().add(row, c);
        by_workspace.entry(workspace).or_default().add(row, c);
        by_session.entry(&*row.session_id).or_default().add(row, c);
        if let Some(sums) = hour_utc.and_then(|h| by_hour_utc.get_mut(usize::from(h))) {
            sums.get_or_insert_default().add(row, c);
        }
    }
    let named = |map: FxHashMap<&str, UsageSums>, key: fn(String) -> Key| -> BTreeMap<Key, UsageSums> {
        map.into_iter().map(|(k, sums)| (key(k.to_string()), sums)).collect()
    };
    let (by_model, by_workspace, by_session) =
        (named(by_model, Key::Model), named(by_workspace, Key::Workspace), named(by_session, Key::SessionId));
    let (by_day, by_hour) = zoned_usage(tables, usage_costs, zone);
    Summary {
        time_zone: zone.name.clone(),
        totals,
        by_model: by_spend(by_model),
        by_workspace: by_spend(by_workspace),
        by_session: by_spend(by_session),
        by_day,
        by_hour,
        by_hour_utc: in_key_order(hour_groups(by_hour_utc)),
        by_tool: by_tool(tables),
        api_calls: api_rollups(&tables.api_calls),
        tool_audit: tool_audit_rollups(&tables.tool_audit, zone),
    }
}

/// `summary` (of these tables and costs) moved to another time zone: only what the zone shapes
/// (usage by day and by hour of day, the tool audit by date) is summed again. The result is
/// [`summarize`]'s in that zone (a zone change on a big load, without the rest of the pass).
pub fn rezone(summary: &mut Summary, tables: &Tables, usage_costs: &[Option<f64>], zone: &Zone) {
    (summary.by_day, summary.by_hour) = zoned_usage(tables, usage_costs, zone);
    summary.tool_audit = tool_audit_rollups(&tables.tool_audit, zone);
    summary.time_zone = zone.name.clone();
}

/// Usage by day and by hour of day in `zone`, each group summed in table order.
fn zoned_usage(tables: &Tables, usage_costs: &[Option<f64>], zone: &Zone) -> (Vec<UsageGroup>, Vec<UsageGroup>) {
    let mut by_day: FxHashMap<Option<jiff::civil::Date>, UsageSums> = FxHashMap::default();
    let mut by_hour: [Option<UsageSums>; 24] = Default::default();
    for (i, row) in tables.usage.iter().enumerate() {
        let c = usage_costs.get(i).copied().flatten();
        let local = row.ts_ms.and_then(|t| zone.date_hour(t));
        by_day.entry(local.map(|(date, _)| date)).or_default().add(row, c);
        if let Some(sums) = local.and_then(|(_, h)| by_hour.get_mut(usize::from(h))) {
            sums.get_or_insert_default().add(row, c);
        }
    }
    let days: BTreeMap<Key, UsageSums> = by_day
        .into_iter()
        .map(|(date, sums)| (Key::Day(date.map_or_else(|| "(no time)".to_string(), |d| d.to_string())), sums))
        .collect();
    (in_key_order(days), in_key_order(hour_groups(by_hour)))
}

fn hour_groups(hours: [Option<UsageSums>; 24]) -> BTreeMap<Key, UsageSums> {
    (0u8..).zip(hours).filter_map(|(h, sums)| Some((Key::Hour(h), sums?))).collect()
}

fn in_key_order(map: BTreeMap<Key, UsageSums>) -> Vec<UsageGroup> {
    map.into_iter().map(|(key, sums)| UsageGroup { key, sums }).collect()
}

/// Largest first: by cost, then tokens, then key (stable for equal spend).
fn by_spend(map: BTreeMap<Key, UsageSums>) -> Vec<UsageGroup> {
    let mut v = in_key_order(map);
    v.sort_by(|a, b| {
        b.sums.cost_usd.total_cmp(&a.sums.cost_usd).then(b.sums.total_tokens.cmp(&a.sums.total_tokens))
    });
    v
}

fn by_tool(tables: &Tables) -> Vec<ToolGroup> {
    // Hashed, not ordered: the groups are sorted below, and a load has hundreds of thousands of calls.
    let mut map: FxHashMap<&str, (ToolGroup, f64, u64)> = FxHashMap::default();
    for call in tables.tool_calls.iter().filter(|c| !c.is_output_without_call()) {
        let (g, dur_sum, dur_n) = map.entry(&*call.tool).or_default();
        g.calls += 1;
        match call.status {
            ToolStatus::Error => g.errors += 1,
            ToolStatus::Denied => g.denied += 1,
            ToolStatus::Unknown if call.output_source.is_none() => g.unanswered += 1,
            _ => {}
        }
        if let Some(d) = call.duration_ms {
            *dur_sum += d;
            *dur_n += 1;
        }
    }
    let mut v: Vec<ToolGroup> = map
        .into_iter()
        .map(|(tool, (g, sum, n))| ToolGroup {
            tool: tool.to_string(),
            avg_duration_ms: (n > 0).then(|| sum / n as f64),
            ..g
        })
        .collect();
    v.sort_by(|a, b| b.calls.cmp(&a.calls).then(a.tool.cmp(&b.tool)));
    v
}

/// API calls grouped by a key, most spent first (then by key): calls, errors, refusals, tokens,
/// cost, credits and distinct jobs per group.
pub fn api_groups<'a, K: Ord + ToString>(calls: &'a [Row<ApiCall>], key: impl Fn(&'a ApiCall) -> K) -> Vec<ApiGroup> {
    let mut map: BTreeMap<K, (ApiGroup, std::collections::HashSet<&str>)> = BTreeMap::new();
    for c in calls {
        let (g, jobs) = map.entry(key(c)).or_default();
        g.calls += 1;
        match c.status.as_str() {
            "error" => g.errors += 1,
            "refused" => g.refused += 1,
            _ => {}
        }
        g.input_tokens += c.input_tokens;
        g.output_tokens += c.output_tokens;
        g.thinking_tokens += c.thinking_tokens;
        g.cost_usd += c.cost_usd.unwrap_or(0.0);
        g.credit_charged += c.credit_charged.unwrap_or(0.0);
        if let Some(j) = c.job_id.as_deref().filter(|j| !j.is_empty()) {
            jobs.insert(j);
        }
    }
    let mut v: Vec<ApiGroup> = map
        .into_iter()
        .map(|(k, (g, jobs))| ApiGroup { key: k.to_string(), distinct_jobs: jobs.len() as u64, ..g })
        .collect();
    v.sort_by(|a, b| b.cost_usd.total_cmp(&a.cost_usd).then(a.key.cmp(&b.key)));
    v
}

fn api_rollups(calls: &[Row<ApiCall>]) -> ApiRollups {
    let group = |key: fn(&ApiCall) -> &str| api_groups(calls, key);
    let mut by_install = group(|c| c.install_id.as_str());
    if by_install.len() > TOP_INSTALLS {
        let rest = by_install.split_off(TOP_INSTALLS);
        let mut others = ApiGroup { key: "(others)".into(), ..Default::default() };
        for g in rest {
            others.calls += g.calls;
            others.errors += g.errors;
            others.refused += g.refused;
            others.input_tokens += g.input_tokens;
            others.output_tokens += g.output_tokens;
            others.thinking_tokens += g.thinking_tokens;
            others.cost_usd += g.cost_usd;
            others.credit_charged += g.credit_charged;
            // Job ids are per install here, so the sum is the distinct count of the rest.
            others.distinct_jobs += g.distinct_jobs;
        }
        by_install.push(others);
    }
    ApiRollups {
        by_tier: group(|c| c.tier.as_str()),
        by_pipeline: group(|c| c.pipeline.as_str()),
        by_backend: group(|c| c.backend.as_str()),
        by_install,
    }
}

fn tool_audit_rollups(rows: &[Row<ToolAuditRow>], zone: &Zone) -> ToolAuditRollups {
    let group = |key: &dyn Fn(&ToolAuditRow) -> String| {
        let mut map: BTreeMap<String, AuditGroup> = BTreeMap::new();
        for r in rows {
            let g = map.entry(key(r)).or_default();
            g.rows += 1;
            match r.status.as_str() {
                "error" => g.errors += 1,
                "denied" => g.denied += 1,
                _ => {}
            }
            g.result_chars += r.result_chars.unwrap_or(0);
        }
        map.into_iter().map(|(key, g)| AuditGroup { key, ..g }).collect::<Vec<_>>()
    };
    let or_none = |s: &Option<String>| s.clone().unwrap_or_else(|| "(none)".into());
    ToolAuditRollups {
        by_date: group(&|r| r.ts_ms.and_then(|t| zone.day(t)).unwrap_or_else(|| "(no time)".into())),
        by_user: group(&|r| r.user.clone()),
        by_engine: group(&|r| or_none(&r.engine)),
        by_model: group(&|r| or_none(&r.model)),
        by_tool: group(&|r| r.tool.clone()),
        by_status: group(&|r| r.status.clone()),
    }
}

#[cfg(test)]
mod tests;
