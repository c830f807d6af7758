//! The overview answer, built from the analysis (its types are in [`super::protocol::overview`]).

use super::analysis::Analysis;
use crate::audit::CheckStatus;
use crate::rollup::{ApiGroup, AuditGroup, ToolGroup, UsageGroup};
pub use super::protocol::overview::*;

fn group(g: &UsageGroup) -> Group {
    let s = &g.sums;
    Group {
        key: g.key.label(),
        usage_rows: s.usage_rows,
        input_tokens: s.input_tokens,
        cached_input_tokens: s.cached_input_tokens,
        cache_creation_input_tokens: s.cache_creation_input_tokens,
        output_tokens: s.output_tokens,
        reasoning_output_tokens: s.reasoning_output_tokens,
        total_tokens: s.total_tokens,
        cost_usd: s.cost_usd,
        unpriced_rows: s.unpriced_rows,
    }
}

fn api(g: &ApiGroup) -> CountLine {
    CountLine { key: g.key.clone(), rows: g.calls, errors: g.errors, denied: g.refused, cost_usd: g.cost_usd }
}

fn audit_line(g: &AuditGroup) -> CountLine {
    CountLine { key: g.key.clone(), rows: g.rows, errors: g.errors, denied: g.denied, cost_usd: 0.0 }
}

fn tool(g: &ToolGroup) -> ToolLine {
    ToolLine {
        tool: g.tool.clone(),
        calls: g.calls,
        errors: g.errors,
        denied: g.denied,
        unanswered: g.unanswered,
        avg_duration_ms: g.avg_duration_ms,
    }
}

/// The distinct values, sorted. Borrowed until the end: this runs over every usage row on every
/// overview, and copying each row's value first was most of the overview's time.
fn sorted_unique<'a>(items: impl Iterator<Item = &'a str>) -> Vec<String> {
    let set: rustc_hash::FxHashSet<&str> = items.collect();
    let mut v: Vec<String> = set.into_iter().map(String::from).collect();
    v.sort_unstable();
    v
}

/// What the overview offers to filter by, from the whole ledger whatever the filters: the same for
/// every analysis of one load, so the engine works it out once (going over every usage row was
/// about a tenth of each filter change).
#[derive(Debug)]
pub struct Choices {
    models: Vec<String>,
    workspaces: Vec<String>,
}

impl Choices {
    pub fn of(all: &crate::model::Tables) -> Choices {
        Choices {
            models: sorted_unique(all.usage.iter().map(|u| &*u.model)),
            workspaces: sorted_unique(all.sessions.iter().filter_map(|s| s.workspace.as_deref())),
        }
    }
}

/// The overview of `a`; `choices` are [`Choices::of`] its ledger's tables.
pub fn build(a: &Analysis, choices: &Choices) -> Overview {
    let s = &a.summary;
    let t = &s.totals;
    let report = &a.ledger.report;
    let rt = report.totals();
    let mut by_format: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
    for f in &report.files {
        let e = by_format.entry(f.format_label().to_string()).or_default();
        e.0 += 1;
        e.1 += f.bytes;
    }
    let all = &a.ledger.tables;
    let tables = a.tables();
    let totals = group(&UsageGroup { key: crate::rollup::Key::Model("all".into()), sums: t.usage.clone() });
    Overview {
        time_zone: s.time_zone.clone(),
        price_label: a.price_label.clone(),
        files: FilesLine {
            files: report.files.len() as u64,
            bytes: report.files.iter().map(|f| f.bytes).sum(),
            lines: rt.lines,
            parsed: rt.parsed,
            skipped: rt.skipped,
            duplicates: rt.duplicates,
            malformed: rt.malformed,
            unreadable: report.files.iter().filter(|f| f.read_failed()).count() as u64,
            by_format: by_format.into_iter().map(|(k, (n, b))| (k, n, b)).collect(),
        },
        totals,
        sessions: t.sessions,
        queries: t.queries,
        tool_calls: t.tool_calls,
        api_calls: t.api_calls,
        api_cost_usd: t.api_cost_usd,
        tool_audit_rows: t.tool_audit_rows,
        by_model: s.by_model.iter().map(group).collect(),
        by_workspace: s.by_workspace.iter().map(group).collect(),
        by_day: s.by_day.iter().map(group).collect(),
        by_hour: s.by_hour.iter().map(group).collect(),
        by_tool: s.by_tool.iter().map(tool).collect(),
        api_by_tier: s.api_calls.by_tier.iter().map(api).collect(),
        api_by_pipeline: s.api_calls.by_pipeline.iter().map(api).collect(),
        api_by_backend: s.api_calls.by_backend.iter().map(api).collect(),
        api_by_install: s.api_calls.by_install.iter().map(api).collect(),
        api_by_model: crate::rollup::api_groups(&tables.api_calls, |c| c.model.as_str()).iter().map(api).collect(),
        api_by_hour: {
            let hour = |c: &crate::model::ApiCall| c.ts_ms.and_then(|ms| a.zone.day_hour(ms)).map_or_else(|| "(no time)".to_string(), |(_, h)| format!("{h:02}"));
            let mut v: Vec<CountLine> = crate::rollup::api_groups(&tables.api_calls, hour).iter().map(api).collect();
            v.sort_by_key(|l| (l.key.starts_with('('), l.key.clone()));
            v
        },
        audit_by_date: s.tool_audit.by_date.iter().map(audit_line).collect(),
        audit_by_user: s.tool_audit.by_user.iter().map(audit_line).collect(),
        audit_by_engine: s.tool_audit.by_engine.iter().map(audit_line).collect(),
        audit_by_model: s.tool_audit.by_model.iter().map(audit_line).collect(),
        audit_by_tool: s.tool_audit.by_tool.iter().map(audit_line).collect(),
        audit_by_status: s.tool_audit.by_status.iter().map(audit_line).collect(),
        checks: a
            .audit
            .checks
            .iter()
            .map(|c| CheckLine {
                id: c.id.clone(),
                title: c.title.clone(),
                explanation: c.explanation.clone(),
                rows_checked: c.rows_checked,
                violations: c.violations,
                pass: c.status == CheckStatus::Pass,
            })
            .collect(),
        models: choices.models.clone(),
        workspaces: choices.workspaces.clone(),
        machines: super::machines::choices(all, report, &a.filter.local_machine),
        by_machine: super::machines::lines(a),
    }
}
