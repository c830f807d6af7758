//! One session as a story: its queries in order, and under each the events that followed it
//! (routing changes, the agent's replies, tool calls, model requests with their tokens,
//! findings), every one with the file and line it came from, so a view can open the raw line.
//! Events of one line keep that order (a Claude line's text comes before its tool call).

use super::analysis::Analysis;
use crate::model::{Source, Tables};
use crate::timefmt::format_opt;
pub use super::protocol::session::*;

fn at(t: &Tables, s: Source) -> (String, u32) {
    (t.file_name(s.file).to_string(), s.line)
}

fn event(t: &Tables, kind: &str, s: Source, ts: Option<i64>, title: String, detail: String, status: &str) -> (Source, Event) {
    let (file, line) = at(t, s);
    let ev = Event { kind: kind.into(), ts: format_opt(ts), title, detail, status: status.into(), file, line };
    (s, ev)
}

fn opt(label: &str, v: &Option<impl std::fmt::Display>) -> Option<String> {
    v.as_ref().map(|v| format!("{label} {v}"))
}

pub fn build(a: &Analysis, id: &str) -> Option<SessionDetail> {
    let t = a.tables();
    let session = t.sessions.iter().find(|s| s.session_id == id)?;
    let mut events: Vec<(Source, Event)> = Vec::new();
    for r in t.routing.iter().filter(|r| &*r.session_id == id) {
        let parts: Vec<String> = [Some(format!("model {}", r.model)), opt("effort", &r.effort), opt("sandbox", &r.sandbox_policy), opt("approval", &r.approval_policy), opt("cwd", &r.cwd)]
            .into_iter()
            .flatten()
            .collect();
        events.push(event(t, "routing", r.source, r.ts_ms, format!("Routing: {}", r.model), parts.join(" · "), ""));
    }
    for r in t.replies.iter().filter(|r| &*r.session_id == id) {
        // The preview is all the tables hold; the raw line has the whole text.
        let title = match &r.model {
            Some(m) => format!("Reply · {m}"),
            None => "Reply".to_string(),
        };
        events.push(event(t, "message", r.source, r.ts_ms, title, r.preview.clone(), ""));
    }
    for c in t.tool_calls.iter().filter(|c| &*c.session_id == id) {
        let duration = c.duration_ms.map(|d| format!(" · {:.1} s", d / 1000.0)).unwrap_or_default();
        let exit = c.exit_code.map(|e| format!(" · exit {e}")).unwrap_or_default();
        let title = format!("{}{duration}{exit}", c.tool);
        events.push(event(t, "tool", c.source, c.ts_ms, title, c.args_snippet.clone(), c.status.label()));
    }
    let mut usage = (0u64, 0i64, 0i64, 0i64, 0.0f64, 0u64);
    let mut context = Vec::new();
    let mut models: Vec<String> = Vec::new();
    for (i, u) in t.usage.iter().enumerate().filter(|(_, u)| &*u.session_id == id) {
        let cost = a.usage_costs.get(i).copied().flatten();
        usage.0 += 1;
        usage.1 += u.input_tokens;
        usage.2 += u.output_tokens;
        usage.3 += u.total_tokens;
        match cost {
            Some(c) => usage.4 += c,
            None => usage.5 += 1,
        }
        if !models.iter().any(|m| **m == *u.model) {
            models.push(u.model.to_string());
        }
        let window = u.context_window.filter(|w| *w > 0);
        if let Some(w) = window {
            context.push((usage.0 as u32, u.input_tokens as f64 * 100.0 / w as f64, u.input_tokens));
        }
        let cost_text = cost.map(|c| format!("${c:.4}")).unwrap_or_else(|| "unpriced".into());
        let window_text = window.map(|w| format!(" · {:.0}% of {w} context", u.input_tokens as f64 * 100.0 / w as f64)).unwrap_or_default();
        let title = format!("{} · {} in ({} cached) · {} out · {cost_text}{window_text}", u.model, u.input_tokens, u.cached_input_tokens, u.output_tokens);
        events.push(event(t, "usage", u.source, u.ts_ms, title, String::new(), ""));
    }
    let mut findings = 0;
    for f in a.audit.findings().filter(|f| f.session_id.as_deref() == Some(id)) {
        findings += 1;
        events.push(event(t, "finding", f.source, None, format!("Finding {}", f.check_id), f.message.clone(), "fail"));
    }
    events.sort_by_key(|(s, _)| (s.file, s.line));
    let mut queries: Vec<(Source, QueryBlock)> = t
        .queries
        .iter()
        .filter(|q| q.session_id == id)
        .enumerate()
        .map(|(n, q)| {
            let (file, line) = at(t, q.source);
            (q.source, QueryBlock { number: n as u32 + 1, ts: format_opt(q.ts_ms), text: q.text.clone(), file, line, events: vec![] })
        })
        .collect();
    queries.sort_by_key(|(s, _)| (s.file, s.line));
    let mut preamble = Vec::new();
    for (source, ev) in events {
        // An event belongs to the last query at or before it in its file.
        match queries.iter_mut().rev().find(|(q, _)| (q.file, q.line) <= (source.file, source.line)) {
            Some((_, block)) => block.events.push(ev),
            None => preamble.push(ev),
        }
    }
    Some(SessionDetail {
        id: id.to_string(),
        agent: session.format.map(|f| f.label().to_string()).unwrap_or_default(),
        file: t.file_name(session.source.file).to_string(),
        start: format_opt(session.start_ms),
        end: format_opt(session.end_ms),
        workspace: session.workspace.clone().unwrap_or_default(),
        git_branch: session.git_branch.clone().unwrap_or_default(),
        models,
        usage_rows: usage.0,
        input_tokens: usage.1,
        output_tokens: usage.2,
        total_tokens: usage.3,
        cost_usd: usage.4,
        unpriced_rows: usage.5,
        findings,
        preamble,
        queries: queries.into_iter().map(|(_, q)| q).collect(),
        context,
    })
}
