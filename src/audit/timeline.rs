//! A10: timestamps in line order. An agent's session log is written by one process, appending,
//! so within one file a later line never carries an earlier time.
//!
//! Rows merged: routing, queries, usage and tool calls (a tool call stands at its call line, an
//! output without a call at its output line); every one of them is one line of a session log
//! with that line's timestamp. Rows without a timestamp are left out. Tool-audit and API-call logs
//! are not merged: several processes may append to them, and a call logged when it ends carries
//! the time it started, so their order proves nothing.
//!
//! The rows are put in (file, line) order (a stable sort: the one cost above linear). Rows of the
//! same line are one event: a row is flagged when its time is earlier than the latest time of the
//! previous line that has one. Only the break is flagged: after a jump back, the following lines
//! are compared with the line just before them, not with the earlier high point.

use super::CheckResult;
use super::check::Check;
use crate::model::{Millis, Source, Tables};

struct Stamp<'t> {
    source: Source,
    ts: Millis,
    session: &'t str,
}

pub fn in_line_order(tables: &Tables) -> CheckResult {
    let mut check = Check::new(
        tables,
        "A10",
        "Timestamps in line order",
        "Within one session log, no line's timestamp is earlier than the previous line's (routing, \
         query, usage and tool-call rows; tool-audit and API-call logs are not checked).",
    );
    let mut stamps = merged(tables);
    stamps.sort_by_key(|s| s.source);

    // (file, line) of the line being read, its latest time, and the latest time of the line before.
    let mut current: Option<(Source, Millis)> = None;
    let mut before: Option<(u32, Millis)> = None;
    for stamp in stamps {
        match current {
            Some((src, latest)) if src == stamp.source => current = Some((src, latest.max(stamp.ts))),
            Some((src, latest)) => {
                before = (src.file == stamp.source.file).then_some((src.line, latest));
                current = Some((stamp.source, stamp.ts));
            }
            None => current = Some((stamp.source, stamp.ts)),
        }
        check.checked();
        if let Some((line, previous)) = before
            && stamp.ts < previous
        {
            check.flag(stamp.source, Some(stamp.session), || {
                format!(
                    "timestamp {} ms is {} ms earlier than line {line}'s {previous} ms",
                    stamp.ts,
                    previous.saturating_sub(stamp.ts)
                )
            });
        }
    }
    check.finish()
}

fn merged(tables: &Tables) -> Vec<Stamp<'_>> {
    let routing = tables.routing.iter().map(|r| (r.source, r.ts_ms, &*r.session_id));
    let queries = tables.queries.iter().map(|q| (q.source, q.ts_ms, q.session_id.as_str()));
    let usage = tables.usage.iter().map(|u| (u.source, u.ts_ms, &*u.session_id));
    let calls = tables.tool_calls.iter().map(|c| (c.source, c.ts_ms, &*c.session_id));
    routing
        .chain(queries)
        .chain(usage)
        .chain(calls)
        .filter_map(|(source, ts, session)| Some(Stamp { source, ts: ts?, session }))
        .collect()
}
