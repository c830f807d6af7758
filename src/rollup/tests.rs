//! The roll-ups summed by hand on small tables, in UTC and in other zones.

use super::*;
use crate::model::{Session, Source, ToolCall};

fn usage(session: &str, model: &str, ts: &str, input: i64, cached: i64, output: i64) -> UsageRow {
    UsageRow {
        session_id: session.into(),
        model: model.into(),
        ts_ms: crate::timefmt::parse_iso(ts),
        input_tokens: input,
        cached_input_tokens: cached,
        output_tokens: output,
        total_tokens: input + output,
        ..Default::default()
    }
}

fn tables() -> Tables {
    Tables {
        sessions: crate::model::rows_of([
            Session { session_id: "a".into(), workspace: Some("/w/shop".into()), ..Default::default() },
            Session { session_id: "b".into(), workspace: Some("/w/blog".into()), ..Default::default() },
        ]),
        usage: crate::model::rows_of([
            // 23:30 UTC on Nov 20 is 00:30 on Nov 21 in Berlin (UTC+1 in November).
            usage("a", "gpt-5-codex", "2026-11-20T23:30:00Z", 1000, 400, 100),
            usage("a", "gpt-5-codex", "2026-11-21T08:00:00Z", 2000, 1000, 200),
            usage("b", "mystery-model", "2026-11-21T09:15:00Z", 500, 0, 50),
        ]),
        tool_calls: crate::model::rows_of([
            ToolCall { tool: "shell".into(), status: ToolStatus::Ok, duration_ms: Some(100.0), ..Default::default() },
            ToolCall { tool: "shell".into(), status: ToolStatus::Error, duration_ms: Some(300.0), ..Default::default() },
            ToolCall { tool: "apply_patch".into(), status: ToolStatus::Unknown, source: Source { file: 0, line: 9 }, ..Default::default() },
            ToolCall { tool: "(no call)".into(), kind: "output_without_call".into(), ..Default::default() },
        ]),
        ..Default::default()
    }
}

#[test]
fn groups_sum_exactly_and_unpriced_rows_stay_apart() {
    let t = tables();
    // Prices worked by hand: row 0 costs 0.5, row 1 costs 1.25, row 2 is unpriced.
    let s = summarize(&t, &[Some(0.5), Some(1.25), None], &Zone::utc());
    assert_eq!(s.totals.usage.usage_rows, 3);
    assert_eq!(s.totals.usage.input_tokens, 3500);
    assert_eq!(s.totals.usage.cached_input_tokens, 1400);
    assert_eq!(s.totals.usage.output_tokens, 350);
    assert_eq!(s.totals.usage.total_tokens, 3850);
    assert_eq!(s.totals.usage.cost_usd, 1.75);
    assert_eq!((s.totals.usage.unpriced_rows, s.totals.usage.unpriced_tokens), (1, 550));
    let models: Vec<(String, u64, f64)> =
        s.by_model.iter().map(|g| (g.key.label(), g.sums.usage_rows, g.sums.cost_usd)).collect();
    assert_eq!(models, [("gpt-5-codex".into(), 2, 1.75), ("mystery-model".into(), 1, 0.0)]);
    let ws: Vec<String> = s.by_workspace.iter().map(|g| g.key.label()).collect();
    assert_eq!(ws, ["/w/shop", "/w/blog"]);
    assert_eq!(s.totals.tool_calls, 3, "an output without a call is not a call");
    let tools: Vec<(&str, u64, u64, u64, Option<f64>)> = s
        .by_tool
        .iter()
        .map(|g| (g.tool.as_str(), g.calls, g.errors, g.unanswered, g.avg_duration_ms))
        .collect();
    assert_eq!(tools, [("shell", 2, 1, 0, Some(200.0)), ("apply_patch", 1, 0, 1, None)]);
}

#[test]
fn day_and_hour_buckets_follow_the_chosen_time_zone() {
    let t = tables();
    let costs = [Some(0.5), Some(1.25), None];
    // zone → (day, usage rows) buckets, and the hours of the three rows
    type Row = (&'static str, &'static [(&'static str, u64)], &'static [u8]);
    let table: &[Row] = &[
        ("UTC", &[("2026-11-20", 1), ("2026-11-21", 2)], &[8, 9, 23]),
        ("Europe/Berlin", &[("2026-11-21", 3)], &[0, 9, 10]),
        ("America/New_York", &[("2026-11-20", 1), ("2026-11-21", 2)], &[3, 4, 18]),
    ];
    for (zone, days, hours) in table {
        let s = summarize(&t, &costs, &Zone::named(zone).unwrap());
        let mut moved = summarize(&t, &costs, &Zone::utc());
        rezone(&mut moved, &t, &costs, &Zone::named(zone).unwrap());
        assert_eq!(moved, s, "{zone}: moved from UTC as summed there");
        assert_eq!(s.time_zone, *zone);
        let got: Vec<(String, u64)> = s.by_day.iter().map(|g| (g.key.label(), g.sums.usage_rows)).collect();
        let want: Vec<(String, u64)> = days.iter().map(|(d, n)| (d.to_string(), *n)).collect();
        assert_eq!(got, want, "{zone}");
        let got: Vec<u8> = s.by_hour.iter().map(|g| if let Key::Hour(h) = g.key { h } else { 99 }).collect();
        assert_eq!(got, *hours, "{zone}");
        let utc: Vec<String> = s.by_hour_utc.iter().map(|g| g.key.label()).collect();
        assert_eq!(utc, ["08", "09", "23"], "{zone}: by_hour_utc stays UTC");
    }
    assert!(Zone::named("Mars/Olympus").is_err());
}

#[test]
fn summary_json_has_the_documented_keys() {
    let s = summarize(&tables(), &[Some(0.5), Some(1.25), None], &Zone::utc());
    let v = serde_json::to_value(&s).unwrap();
    for key in ["sessions", "queries", "tool_calls", "usage_rows", "input_tokens", "cached_input_tokens",
        "output_tokens", "reasoning_output_tokens", "total_tokens", "cost_usd"] {
        assert!(v["totals"].get(key).is_some(), "totals.{key}");
    }
    for (list, key) in [("by_model", "model"), ("by_workspace", "workspace"), ("by_session", "session_id"),
        ("by_day", "day"), ("by_hour_utc", "hour")] {
        let first = &v[list][0];
        assert!(first.get(key).is_some(), "{list}[0].{key} in {first}");
        assert!(first.get("usage_rows").is_some() && first.get("cost_usd").is_some() && first.get("total_tokens").is_some());
    }
    for key in ["tool", "calls", "errors", "avg_duration_ms"] {
        assert!(v["by_tool"][0].get(key).is_some(), "by_tool[0].{key}");
    }
}
