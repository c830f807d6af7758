//! The per-session part of `report.md`: prompts in time order, the events under each prompt,
//! and the session's findings.
//!
//! Which prompt an event (tool call, usage row) belongs to: the last prompt of the same session
//! logged before it in the same file (log order is the truth inside a file, timestamps or not);
//! when the session has no prompt in that file, the last prompt at or before the event's time.
//! Events before the first prompt are listed under "Before the first prompt". Sessions appear by
//! start time (unknown last), then id; rows whose session has no record come last.

use super::super::markdown::{count, escape, escape_into, plural};
use super::super::stats::{TokenSum, cost_of, is_real_call};
use super::super::{ExportInput, Redacted};
use super::{MAX_LOOSE_FINDINGS, cost_text, tokens_text};
use crate::audit::Finding;
use crate::model::{FileId, Millis, Query, Rows, Session, Source, Tables, ToolCall};
use crate::timefmt::format_opt;
// FxHash: keyed by session ids once per row, where SipHash cost more than the rest of the work.
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;
use std::fmt::Write;

/// How much of a prompt the report quotes (the CSV has it whole).
const PROMPT_CHARS: usize = 500;

/// Everything one session contributes to the report.
#[derive(Default)]
struct SessionRows<'t> {
    queries: Vec<&'t Query>,
    calls: Vec<&'t ToolCall>,
    /// Indices into `tables.usage`.
    usage: Vec<usize>,
    /// Models of its routing rows.
    routing_models: Vec<&'t str>,
    findings: Vec<&'t Finding>,
}

/// The events under one prompt (or before the first one).
#[derive(Default)]
struct PromptGroup<'t> {
    calls: Vec<&'t ToolCall>,
    usage: TokenSum,
}

pub fn write(md: &mut String, input: &ExportInput, red: &Redacted) {
    let t = red.tables.as_ref();
    let (mut rows, loose) = group_by_session(t, red);
    let _ = writeln!(md, "## Sessions\n");
    if t.sessions.is_empty() && rows.is_empty() {
        let _ = writeln!(md, "No sessions.\n");
    }
    let mut ordered: Vec<&Session> = t.sessions.rows().collect();
    ordered.sort_by(|a, b| {
        (a.start_ms.is_none(), a.start_ms, &a.session_id).cmp(&(
            b.start_ms.is_none(),
            b.start_ms,
            &b.session_id,
        ))
    });
    for (n, s) in ordered.into_iter().enumerate() {
        let r = rows.remove(s.session_id.as_str()).unwrap_or_default();
        session(md, input, t, n + 1, s.session_id.as_str(), Some(s), r);
    }
    // Rows whose session has no record, in id order.
    let orphans: BTreeMap<&str, SessionRows> = rows.into_iter().collect();
    let first = t.sessions.len();
    for (n, (id, r)) in orphans.into_iter().enumerate() {
        session(md, input, t, first + n + 1, id, None, r);
    }
    loose_findings(md, &loose);
}

/// The rows of every session (with a record or not), and the findings that name none of them.
fn group_by_session<'t>(
    t: &'t Tables,
    red: &'t Redacted,
) -> (HashMap<&'t str, SessionRows<'t>>, Vec<&'t Finding>) {
    let mut by: HashMap<&str, SessionRows> = HashMap::default();
    for s in &t.sessions {
        by.entry(&s.session_id).or_default();
    }
    for r in &t.routing {
        by.entry(&r.session_id)
            .or_default()
            .routing_models
            .push(&r.model);
    }
    for q in &t.queries {
        by.entry(&q.session_id).or_default().queries.push(q);
    }
    for c in &t.tool_calls {
        by.entry(&c.session_id).or_default().calls.push(c);
    }
    for (i, u) in t.usage.iter().enumerate() {
        by.entry(&u.session_id).or_default().usage.push(i);
    }
    let mut loose = Vec::new();
    for f in red.audit.findings() {
        match f.session_id.as_deref().and_then(|sid| by.get_mut(sid)) {
            Some(rows) => rows.findings.push(f),
            None => loose.push(f),
        }
    }
    (by, loose)
}

fn session(
    md: &mut String,
    input: &ExportInput,
    t: &Tables,
    n: usize,
    id: &str,
    s: Option<&Session>,
    mut r: SessionRows,
) {
    r.queries
        .sort_by_key(|q| (q.ts_ms.is_none(), q.ts_ms, q.source));
    let locator = PromptLocator::new(&r.queries);
    let mut before = PromptGroup::default();
    let mut groups: Vec<PromptGroup> = r.queries.iter().map(|_| PromptGroup::default()).collect();
    let mut total = TokenSum::default();
    for &c in &r.calls {
        let g = locator
            .find(c.source, c.ts_ms)
            .and_then(|i| groups.get_mut(i))
            .unwrap_or(&mut before);
        g.calls.push(c);
    }
    for &i in &r.usage {
        let Some(u) = t.usage.get(i) else { continue };
        let cost = cost_of(input.usage_costs, i);
        total.add(u, cost);
        let g = locator
            .find(u.source, u.ts_ms)
            .and_then(|i| groups.get_mut(i))
            .unwrap_or(&mut before);
        g.usage.add(u, cost);
    }

    let _ = writeln!(md, "### {n}. Session {}\n", escape(id));
    session_facts(md, t, s, &r, &total);
    let cap = input.settings.report_tool_calls_per_prompt;
    if !before.calls.is_empty() || before.usage.rows > 0 {
        let _ = writeln!(md, "#### Before the first prompt\n");
        events(md, &before, cap);
    }
    for (i, (q, g)) in r.queries.iter().zip(&groups).enumerate() {
        let _ = writeln!(md, "#### Prompt {} · {}\n", i + 1, time_or_unknown(q.ts_ms));
        let text = crate::model::snippet(&q.text, PROMPT_CHARS);
        let quoted = if text.trim().is_empty() {
            "(empty prompt)".to_string()
        } else {
            escape(&text)
        };
        let _ = writeln!(md, "> {quoted}\n");
        events(md, g, cap);
    }
    findings(md, &r.findings);
}

fn session_facts(
    md: &mut String,
    t: &Tables,
    s: Option<&Session>,
    r: &SessionRows,
    total: &TokenSum,
) {
    let mut models: Vec<&str> = r
        .usage
        .iter()
        .filter_map(|&i| t.usage.get(i))
        .map(|u| &*u.model)
        .collect();
    models.extend(&r.routing_models);
    models.sort_unstable();
    models.dedup();
    let opt = |v: Option<&String>| v.map_or_else(|| "unknown".to_string(), |v| escape(v));
    let facts = [
        ("Workspace", opt(s.and_then(|s| s.workspace.as_ref()))),
        (
            "Format",
            s.and_then(|s| s.format)
                .map_or("unknown", |f| f.label())
                .to_string(),
        ),
        (
            "Model(s)",
            if models.is_empty() {
                "none".into()
            } else {
                models
                    .iter()
                    .map(|m| escape(m))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        ("Start", time_or_unknown(s.and_then(|s| s.start_ms))),
        ("End", time_or_unknown(s.and_then(|s| s.end_ms))),
        ("Prompts", count(r.queries.len() as u64)),
        (
            "Tool calls",
            count(r.calls.iter().filter(|c| is_real_call(c)).count() as u64),
        ),
        (
            "Tokens",
            format!(
                "{} in {}",
                tokens_text(total),
                plural(total.rows, "request")
            ),
        ),
        ("Cost", cost_text(total)),
        (
            "Log",
            s.map_or_else(
                || "no session record".into(),
                |s| escape(&t.locate(s.source)),
            ),
        ),
    ];
    let _ = writeln!(md, "| | |\n|---|---|");
    for (name, value) in facts {
        let _ = writeln!(md, "| {name} | {value} |");
    }
    md.push('\n');
}

fn events(md: &mut String, g: &PromptGroup, cap: usize) {
    // Written straight into the report (a line per tool call, the report's most common line).
    for c in g.calls.iter().take(cap) {
        md.push_str(if is_real_call(c) { "- Tool call " } else { "- Output without a call " });
        escape_into(md, &c.tool);
        md.push_str(": ");
        md.push_str(c.status.label());
        if let Some(ms) = c.duration_ms {
            md.push_str(", ");
            md.push_str(&duration_text(ms));
        }
        if let Some(code) = c.exit_code {
            let _ = write!(md, ", exit {code}");
        }
        md.push('\n');
    }
    if g.calls.len() > cap {
        let _ = writeln!(
            md,
            "- … and {} more tool calls (see tool_calls.csv)",
            count((g.calls.len() - cap) as u64)
        );
    }
    if g.usage.rows > 0 {
        let _ = writeln!(
            md,
            "- Usage: {}, {}, cost {}",
            plural(g.usage.rows, "request"),
            tokens_text(&g.usage),
            cost_text(&g.usage)
        );
    }
    if g.calls.is_empty() && g.usage.rows == 0 {
        let _ = writeln!(md, "- No tool calls or usage logged.");
    }
    md.push('\n');
}

fn findings(md: &mut String, list: &[&Finding]) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(md, "#### Findings\n");
    for f in list {
        let _ = writeln!(md, "{}", finding_line(f));
    }
    md.push('\n');
}

fn finding_line(f: &Finding) -> String {
    format!(
        "- {} at {}:{}: {}",
        escape(&f.check_id),
        escape(&f.file),
        f.line,
        escape(&f.message)
    )
}

/// Findings that name no session of the report (tool audit, API calls, files).
fn loose_findings(md: &mut String, loose: &[&Finding]) {
    if loose.is_empty() {
        return;
    }
    let _ = writeln!(md, "## Other findings\n");
    for f in loose.iter().take(MAX_LOOSE_FINDINGS) {
        let _ = writeln!(md, "{}", finding_line(f));
    }
    if loose.len() > MAX_LOOSE_FINDINGS {
        let _ = writeln!(
            md,
            "- … and {} more (see audit_findings.csv)",
            count((loose.len() - MAX_LOOSE_FINDINGS) as u64)
        );
    }
    md.push('\n');
}

fn time_or_unknown(ms: Option<Millis>) -> String {
    let s = format_opt(ms);
    if s.is_empty() {
        "time unknown".into()
    } else {
        s
    }
}

/// `350 ms`, `1.2 s`.
fn duration_text(ms: f64) -> String {
    if !ms.is_finite() {
        return "duration unknown".into();
    }
    if ms.abs() < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.1} s", ms / 1000.0)
    }
}

/// Finds the prompt an event falls under (see the module doc).
struct PromptLocator {
    /// Per file: (line, prompt index), by line.
    by_file: HashMap<FileId, Vec<(u32, usize)>>,
    /// (time, prompt index), by time.
    by_time: Vec<(Millis, usize)>,
}

impl PromptLocator {
    fn new(queries: &[&Query]) -> Self {
        let mut by_file: HashMap<FileId, Vec<(u32, usize)>> = HashMap::default();
        let mut by_time = Vec::new();
        for (i, q) in queries.iter().enumerate() {
            by_file
                .entry(q.source.file)
                .or_default()
                .push((q.source.line, i));
            if let Some(ts) = q.ts_ms {
                by_time.push((ts, i));
            }
        }
        by_file.values_mut().for_each(|v| v.sort_unstable());
        by_time.sort_unstable();
        PromptLocator { by_file, by_time }
    }

    fn find(&self, at: Source, ts: Option<Millis>) -> Option<usize> {
        if let Some(lines) = self.by_file.get(&at.file) {
            let n = lines.partition_point(|&(line, _)| line < at.line);
            return n.checked_sub(1).and_then(|k| lines.get(k)).map(|&(_, i)| i);
        }
        let ts = ts?;
        let n = self.by_time.partition_point(|&(t, _)| t <= ts);
        n.checked_sub(1)
            .and_then(|k| self.by_time.get(k))
            .map(|&(_, i)| i)
    }
}
