//! Chart series: the numbers behind each chart of the page, computed where the data lives.
//! A view draws what it gets; it never walks rows itself.
//!
//! Every series says its axes and unit, so that a chart and its text alternative (a table under
//! each figure) come from the same numbers.

use super::analysis::Analysis;
pub use super::protocol::series::*;
use std::collections::BTreeMap;

/// The charts the page offers, by name (each a `figure[data-chart=name]`).
pub const CHARTS: [&str; 9] = [
    "tokens-per-day",
    "cost-per-day",
    "cost-by-model",
    "tool-calls",
    "tool-durations",
    "activity-heatmap",
    "rate-limits",
    "api-cost-duration",
    "tokens-per-hour",
];

/// The day of rows without a time, in the per-day charts.
pub const NO_TIME: &str = "(no time)";

/// At most this many models get their own colour; the rest are summed as "other".
const TOP_MODELS: usize = 6;

pub fn build(a: &Analysis, name: &str) -> Option<Series> {
    Some(match name {
        "tokens-per-day" => per_day_by_model(a, name, "Tokens per day by model", "tokens", false),
        "cost-per-day" => per_day_by_model(a, name, "Cost per day by model", "USD", true),
        "cost-by-model" => cost_by_model(a),
        "tool-calls" => tool_calls(a),
        "tool-durations" => tool_durations(a),
        "activity-heatmap" => heatmap(a),
        "rate-limits" => rate_limits(a),
        "api-cost-duration" => api_cost_duration(a),
        "tokens-per-hour" => tokens_per_hour(a),
        _ => return None,
    })
}

fn drill(dataset: &str, column: &str, keys: &[String]) -> Drill {
    Drill { dataset: dataset.into(), column: column.into(), keys: keys.to_vec(), ..Drill::default() }
}

/// A drill whose lines narrow too: line `k` by `line_keys[k]` in `line_column`.
fn drill_lines(d: Drill, line_column: &str, line_keys: Vec<Option<String>>) -> Drill {
    Drill { line_column: Some(line_column.into()), line_keys, ..d }
}

fn top_models(a: &Analysis) -> Vec<String> {
    let mut models: Vec<_> = a.summary.by_model.iter().map(|g| (g.sums.total_tokens, g.key.label())).collect();
    models.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    models.into_iter().take(TOP_MODELS).map(|(_, m)| m).collect()
}

/// Stacked bars per day (in the chosen zone), one layer per top model. For cost the value is
/// the row's price (unpriced rows add nothing and are said to in the caption of the view).
fn per_day_by_model(
    a: &Analysis,
    name: &str,
    title: &str,
    unit: &str,
    cost: bool,
) -> Series {
    let t = a.tables();
    let models = top_models(a);
    let mut by_day: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (i, u) in t.usage.iter().enumerate() {
        let day = u.ts_ms.and_then(|ms| a.zone.day(ms)).unwrap_or_else(|| NO_TIME.into());
        let layer = models.iter().position(|m| **m == *u.model).unwrap_or(models.len());
        let v = if cost { a.usage_costs.get(i).copied().flatten().unwrap_or(0.0) } else { u.total_tokens as f64 };
        by_day.entry(day).or_insert_with(|| vec![0.0; models.len() + 1])[layer] += v;
    }
    let mut names = models.clone();
    names.push("other".into());
    let categories: Vec<String> = by_day.keys().cloned().collect();
    let mut lines: Vec<Line> = names
        .iter()
        .enumerate()
        .map(|(k, n)| Line { name: n.clone(), values: by_day.values().map(|v| v[k]).collect(), points: vec![] })
        .collect();
    lines.retain(|l| l.values.iter().any(|v| *v != 0.0));
    // Each model's layer opens that model's rows of its day; "other" opens the whole day.
    let line_keys = lines.iter().map(|l| models.contains(&l.name).then(|| l.name.clone())).collect();
    Series {
        name: name.into(),
        title: title.into(),
        shape: Shape::StackedBars,
        x_label: format!("day ({})", a.zone.name),
        y_label: unit.into(),
        drill: Some(drill_lines(drill("usage_tokens.csv", "ts_utc@day", &categories), "model", line_keys)),
        categories,
        lines,
    }
}

fn cost_by_model(a: &Analysis) -> Series {
    let mut groups: Vec<_> = a.summary.by_model.iter().collect();
    groups.sort_by(|x, y| y.sums.cost_usd.total_cmp(&x.sums.cost_usd));
    Series {
        name: "cost-by-model".into(),
        title: "Cost by model".into(),
        shape: Shape::Bars,
        x_label: "USD".into(),
        y_label: "model".into(),
        categories: groups
            .iter()
            .map(|g| {
                let unpriced = g.sums.unpriced_rows == g.sums.usage_rows && g.sums.usage_rows > 0;
                format!("{}{}", g.key.label(), if unpriced { " (unpriced)" } else { "" })
            })
            .collect(),
        lines: vec![Line { name: "cost".into(), values: groups.iter().map(|g| g.sums.cost_usd).collect(), points: vec![] }],
        drill: Some(drill("usage_tokens.csv", "model", &groups.iter().map(|g| g.key.label()).collect::<Vec<_>>())),
    }
}

fn tool_calls(a: &Analysis) -> Series {
    let mut tools: Vec<_> = a.summary.by_tool.iter().collect();
    tools.sort_by(|x, y| y.calls.cmp(&x.calls).then(x.tool.cmp(&y.tool)));
    tools.truncate(15);
    let line = |name: &str, f: &dyn Fn(&crate::rollup::ToolGroup) -> u64| Line {
        name: name.into(),
        values: tools.iter().map(|g| f(g) as f64).collect(),
        points: vec![],
    };
    Series {
        name: "tool-calls".into(),
        title: "Tool calls by tool, with errors".into(),
        shape: Shape::StackedBars,
        x_label: "tool".into(),
        y_label: "calls".into(),
        categories: tools.iter().map(|g| g.tool.clone()).collect(),
        lines: vec![
            line("ok", &|g| g.calls.saturating_sub(g.errors + g.denied)),
            line("error", &|g| g.errors),
            line("denied", &|g| g.denied),
        ],
        drill: Some(drill("tool_calls.csv", "tool", &tools.iter().map(|g| g.tool.clone()).collect::<Vec<_>>())),
    }
}

/// Median and 90th percentile of each tool's durations, in seconds.
fn tool_durations(a: &Analysis) -> Series {
    let mut by_tool: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for c in &a.tables().tool_calls {
        if let Some(d) = c.duration_ms.filter(|d| d.is_finite()) {
            by_tool.entry(&c.tool).or_default().push(d / 1000.0);
        }
    }
    let mut rows: Vec<(&str, f64, f64, usize)> = by_tool
        .into_iter()
        .map(|(tool, mut v)| {
            v.sort_by(f64::total_cmp);
            let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
            (tool, q(0.5), q(0.9), v.len())
        })
        .collect();
    rows.sort_by(|x, y| y.3.cmp(&x.3));
    rows.truncate(15);
    Series {
        name: "tool-durations".into(),
        title: "Tool durations (median and 90th percentile)".into(),
        shape: Shape::Bars,
        x_label: "seconds".into(),
        y_label: "tool".into(),
        categories: rows.iter().map(|r| r.0.to_string()).collect(),
        lines: vec![
            Line { name: "median".into(), values: rows.iter().map(|r| r.1).collect(), points: vec![] },
            Line { name: "p90".into(), values: rows.iter().map(|r| r.2).collect(), points: vec![] },
        ],
        drill: Some(drill("tool_calls.csv", "tool", &rows.iter().map(|r| r.0.to_string()).collect::<Vec<_>>())),
    }
}

/// The heatmap's rows, and the keys of `@weekday` filters.
pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Usage rows by weekday (lines) and hour (categories), in the chosen zone.
fn heatmap(a: &Analysis) -> Series {
    let mut grid = [[0.0f64; 24]; 7];
    for u in &a.tables().usage {
        let Some((day, hour)) = u.ts_ms.and_then(|ms| a.zone.day_hour(ms)) else { continue };
        let Ok(date) = day.parse::<jiff::civil::Date>() else { continue };
        let wd = date.weekday().to_monday_zero_offset() as usize;
        grid[wd][usize::from(hour).min(23)] += 1.0;
    }
    let hours: Vec<String> = (0..24).map(|h| format!("{h:02}")).collect();
    Series {
        name: "activity-heatmap".into(),
        title: "Activity by weekday and hour (model requests)".into(),
        shape: Shape::Heatmap,
        x_label: format!("hour ({})", a.zone.name),
        y_label: "weekday".into(),
        categories: hours.clone(),
        lines: WEEKDAYS.iter().zip(grid).map(|(d, row)| Line { name: d.to_string(), values: row.to_vec(), points: vec![] }).collect(),
        // A cell opens the rows of its hour on its weekday.
        drill: Some(drill_lines(drill("usage_tokens.csv", "ts_utc@hour", &hours), "ts_utc@weekday", WEEKDAYS.iter().map(|d| Some(d.to_string())).collect())),
    }
}

/// Codex's 5-hour (primary) and weekly (secondary) rate-limit use over time, in percent.
fn rate_limits(a: &Analysis) -> Series {
    let mut primary = Vec::new();
    let mut secondary = Vec::new();
    for u in &a.tables().usage {
        let Some(ms) = u.ts_ms else { continue };
        let x = ms as f64;
        if let Some(p) = u.rate_limit_primary_pct {
            primary.push((x, p));
        }
        if let Some(p) = u.rate_limit_secondary_pct {
            secondary.push((x, p));
        }
    }
    primary.sort_by(|a, b| a.0.total_cmp(&b.0));
    secondary.sort_by(|a, b| a.0.total_cmp(&b.0));
    Series {
        name: "rate-limits".into(),
        title: "Codex rate-limit use over time".into(),
        shape: Shape::Lines,
        x_label: "time (UTC)".into(),
        y_label: "% of the window used".into(),
        categories: vec![],
        lines: vec![
            Line { name: "5-hour window".into(), values: vec![], points: primary },
            Line { name: "weekly window".into(), values: vec![], points: secondary },
        ],
        drill: None,
    }
}

/// Each API call's cost against its duration, one colour per model.
fn api_cost_duration(a: &Analysis) -> Series {
    let mut by_model: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
    for c in &a.tables().api_calls {
        if let (Some(d), Some(cost)) = (c.duration_ms, c.cost_usd) {
            by_model.entry(&c.model).or_default().push((d / 1000.0, cost));
        }
    }
    Series {
        name: "api-cost-duration".into(),
        title: "API calls: cost against duration".into(),
        shape: Shape::Scatter,
        x_label: "duration (s)".into(),
        y_label: "USD".into(),
        categories: vec![],
        lines: by_model.into_iter().map(|(m, points)| Line { name: m.to_string(), values: vec![], points }).collect(),
        drill: None,
    }
}

fn tokens_per_hour(a: &Analysis) -> Series {
    let hours: Vec<String> = a.summary.by_hour.iter().map(|g| g.key.label()).collect();
    Series {
        name: "tokens-per-hour".into(),
        title: "Tokens by hour of day".into(),
        shape: Shape::StackedBars,
        x_label: format!("hour ({})", a.zone.name),
        y_label: "tokens".into(),
        drill: Some(drill("usage_tokens.csv", "ts_utc@hour", &hours)),
        categories: hours,
        lines: vec![
            Line { name: "input".into(), values: a.summary.by_hour.iter().map(|g| g.sums.input_tokens as f64).collect(), points: vec![] },
            Line { name: "output".into(), values: a.summary.by_hour.iter().map(|g| g.sums.output_tokens as f64).collect(), points: vec![] },
        ],
    }
}
