//! The query engine's views against the downloads (`summary.json`, `audit.json`, the CSVs of
//! `export::build_all`, see `common/query_cases.rs`) and against the log bytes: the overview and
//! the settings that change it, sessions, search, chart series, raw lines.

#[path = "common/query_cases.rs"]
mod cases;

use agent_ledger::query::overview::Overview;
use agent_ledger::query::raw::Reader;
use agent_ledger::query::series::{CHARTS, Series};
use agent_ledger::query::session::SessionDetail;
use agent_ledger::query::{Engine, MAX_HITS, PageQuery, Request, Response, Settings};
use cases::*;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::io::{Read, Write};

fn overview(e: &mut Engine) -> Overview {
    match e.answer(Request::Overview) {
        Response::Overview(o) => *o,
        other => panic!("{other:?}"),
    }
}

fn chart(e: &mut Engine, name: &str) -> Series {
    match e.answer(Request::Chart { name: name.into() }) {
        Response::Chart(s) => s,
        other => panic!("{name}: {other:?}"),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn num(s: &str) -> f64 {
    if s.is_empty() { 0.0 } else { s.parse().unwrap_or_else(|_| panic!("not a number: {s:?}")) }
}

/// Σ of a usage_tokens.csv column over the rows kept.
fn sum(csv: &Csv, column: &str, keep: &dyn Fn(&[String]) -> bool) -> f64 {
    let c = csv.col(column);
    csv.rows.iter().filter(|r| keep(r)).map(|r| num(&r[c])).sum()
}

/// (key, usage rows, total tokens, cost) of an overview group, to compare with CSV sums.
fn usage_group_matches(what: &str, o: &Overview, usage: &Csv, keep: &dyn Fn(&[String]) -> bool) {
    let t = &o.totals;
    let rows = usage.rows.iter().filter(|r| keep(r)).count() as u64;
    let unpriced = usage.rows.iter().filter(|r| keep(r) && r[usage.col("priced")] == "false").count() as u64;
    assert_eq!((t.usage_rows, t.unpriced_rows), (rows, unpriced), "{what}");
    let ints = [
        ("input_tokens", t.input_tokens),
        ("cached_input_tokens", t.cached_input_tokens),
        ("cache_creation_input_tokens", t.cache_creation_input_tokens),
        ("output_tokens", t.output_tokens),
        ("reasoning_output_tokens", t.reasoning_output_tokens),
        ("total_tokens", t.total_tokens),
    ];
    for (column, got) in ints {
        assert_eq!(got as f64, sum(usage, column, keep), "{what}: {column}");
    }
    assert!(close(t.cost_usd, sum(usage, "cost_usd", keep)), "{what}: cost {} vs {}", t.cost_usd, sum(usage, "cost_usd", keep));
}

/// Total tokens by day in a zone, from the CSV's UTC times (`(no time)` when there is none).
fn tokens_by_day(usage: &Csv, zone: &str) -> BTreeMap<String, f64> {
    let tz = jiff::tz::TimeZone::get(zone).unwrap();
    let mut days = BTreeMap::new();
    for r in &usage.rows {
        let ts = &r[usage.col("ts_utc")];
        let day = if ts.is_empty() { "(no time)".into() } else { tz.to_datetime(ts.parse::<jiff::Timestamp>().unwrap()).date().to_string() };
        *days.entry(day).or_insert(0.0) += num(&r[usage.col("total_tokens")]);
    }
    days
}

#[test]
fn overview_totals_and_checks_equal_summary_and_audit_json() {
    for (load, files) in corpora() {
        let mut e = engine(&files);
        let d = downloads(&files, "");
        let summary: Value = serde_json::from_slice(&d["summary.json"].bytes).unwrap();
        let audit: Value = serde_json::from_slice(&d["audit.json"].bytes).unwrap();
        let o = overview(&mut e);
        let t = &summary["totals"];
        let got = [
            ("sessions", o.sessions as f64),
            ("queries", o.queries as f64),
            ("tool_calls", o.tool_calls as f64),
            ("api_calls", o.api_calls as f64),
            ("api_cost_usd", o.api_cost_usd),
            ("tool_audit_rows", o.tool_audit_rows as f64),
            ("usage_rows", o.totals.usage_rows as f64),
            ("unpriced_rows", o.totals.unpriced_rows as f64),
            ("input_tokens", o.totals.input_tokens as f64),
            ("output_tokens", o.totals.output_tokens as f64),
            ("total_tokens", o.totals.total_tokens as f64),
            ("cost_usd", o.totals.cost_usd),
        ];
        // (serde_json reads floats to within an ulp, hence `close`.)
        for (key, v) in got {
            assert!(close(v, t[key].as_f64().unwrap()), "{load}: totals.{key} {v} vs {}", t[key]);
        }
        for (list, groups, field) in [("by_model", &o.by_model, "model"), ("by_day", &o.by_day, "day"), ("by_workspace", &o.by_workspace, "workspace")] {
            let want: Vec<(String, f64, f64)> =
                summary[list].as_array().unwrap().iter().map(|g| (g[field].as_str().unwrap().to_string(), g["total_tokens"].as_f64().unwrap(), g["cost_usd"].as_f64().unwrap())).collect();
            let got: Vec<(String, f64, f64)> = groups.iter().map(|g| (g.key.clone(), g.total_tokens as f64, g.cost_usd)).collect();
            let same = got.len() == want.len() && got.iter().zip(&want).all(|(g, w)| g.0 == w.0 && g.1 == w.1 && close(g.2, w.2));
            assert!(same, "{load}: {list}: {got:?} vs {want:?}");
        }
        let want: Vec<(String, u64, bool)> = audit["checks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["id"].as_str().unwrap().into(), c["violations"].as_u64().unwrap(), c["status"] == "pass"))
            .collect();
        let got: Vec<(String, u64, bool)> = o.checks.iter().map(|c| (c.id.clone(), c.violations, c.pass)).collect();
        assert_eq!(got, want, "{load}: checks");
    }
}

#[test]
fn model_filter_sums_that_models_rows_and_zones_move_days_only() {
    for (load, files) in corpora() {
        let mut e = engine(&files);
        let usage = &csvs(&downloads(&files, ""))["usage_tokens.csv"];
        let all = overview(&mut e);
        usage_group_matches(&format!("{load} all"), &all, usage, &|_| true);
        let models: Vec<String> = usage.rows.iter().map(|r| r[usage.col("model")].clone()).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
        assert_eq!(all.models, models, "{load}: the model choices");
        for model in &models {
            e.answer(Request::Configure { settings: Settings { model: model.clone(), ..Settings::default() } });
            let o = overview(&mut e);
            let m = usage.col("model");
            usage_group_matches(&format!("{load} {model}"), &o, usage, &|r| r[m] == *model);
            assert_eq!(o.models, models, "{load}: choices stay those of the whole load");
        }
        e.answer(Request::Configure { settings: Settings::default() });
        assert_eq!(overview(&mut e), all, "{load}: switching back restores the overview");
        // (zone asked for, zone in force)
        for (zone, used) in [("Pacific/Kiritimati", "Pacific/Kiritimati"), ("America/Los_Angeles", "America/Los_Angeles"), ("Mars/Olympus", "UTC"), ("", "UTC")] {
            e.answer(Request::Configure { settings: Settings { zone: zone.into(), ..Settings::default() } });
            let o = overview(&mut e);
            assert_eq!((o.time_zone.as_str(), &o.totals), (used, &all.totals), "{load} {zone}");
            let days: BTreeMap<String, f64> = o.by_day.iter().map(|g| (g.key.clone(), g.total_tokens as f64)).collect();
            assert_eq!(days, tokens_by_day(usage, if used == "UTC" { "UTC" } else { zone }), "{load} {zone}: by_day");
        }
    }
}

fn events(s: &SessionDetail) -> Vec<&agent_ledger::query::session::Event> {
    s.preamble.iter().chain(s.queries.iter().flat_map(|q| &q.events)).collect()
}

#[test]
fn sessions_hold_their_rows_of_every_dataset() {
    for (load, files) in corpora() {
        let mut e = engine(&files);
        let csv = csvs(&downloads(&files, ""));
        let ids: HashSet<String> = csv["sessions.csv"].rows.iter().map(|r| r[0].clone()).collect();
        assert!(ids.len() >= 3, "{load}");
        for id in &ids {
            let s = match e.answer(Request::Session { id: id.clone() }) {
                Response::Session(s) => *s,
                other => panic!("{load} {id}: {other:?}"),
            };
            assert_eq!(&s.id, id);
            // (event kind, its dataset, the session column)
            for (kind, name) in [("usage", "usage_tokens.csv"), ("tool", "tool_calls.csv"), ("routing", "routing_context.csv"), ("finding", "audit_findings.csv")] {
                let t = &csv[name];
                let (f, l) = (t.col("file"), t.col("line"));
                let rows: HashSet<(String, String)> = t.rows_with("session_id", id).map(|r| (r[f].clone(), r[l].clone())).collect();
                let got: Vec<(String, String)> = events(&s).iter().filter(|ev| ev.kind == kind).map(|ev| (ev.file.clone(), ev.line.to_string())).collect();
                assert_eq!(got.len(), t.rows_with("session_id", id).count(), "{load} {id}: {kind} events");
                assert!(got.iter().all(|at| rows.contains(at)), "{load} {id}: a {kind} event with no row of {name}");
            }
            let usage = &csv["usage_tokens.csv"];
            let sid = usage.col("session_id");
            assert_eq!(s.total_tokens as f64, sum(usage, "total_tokens", &|r| r[sid] == *id), "{load} {id}");
            let qm = &csv["query_messages.csv"];
            let want: Vec<(String, String, String)> = qm.rows_with("session_id", id).map(|r| (r[qm.col("text")].clone(), r[qm.col("file")].clone(), r[qm.col("line")].clone())).collect();
            let got: Vec<(String, String, String)> = s.queries.iter().map(|q| (q.text.clone(), q.file.clone(), q.line.to_string())).collect();
            assert_eq!(got, want, "{load} {id}: queries in order");
            assert!(s.queries.iter().enumerate().all(|(i, q)| q.number as usize == i + 1));
        }
    }
}

#[test]
fn search_finds_prompts_and_counts_every_text_cell() {
    for (load, files) in corpora() {
        let mut e = engine(&files);
        let csv = csvs(&downloads(&files, ""));
        let qm = &csv["query_messages.csv"];
        // Replies are in no download: their previews are the session views' message events.
        let mut replies: Vec<String> = Vec::new();
        // A session id can head several rows (one per file): each session once.
        let ids: std::collections::BTreeSet<&String> = csv["sessions.csv"].rows.iter().map(|r| &r[0]).collect();
        for id in ids {
            let Response::Session(s) = e.answer(Request::Session { id: id.clone() }) else { panic!("{load} {id}") };
            replies.extend(events(&s).iter().filter(|ev| ev.kind == "message").map(|ev| ev.detail.to_lowercase()));
        }
        // (dataset, columns searched) as the search says: prompts, tool arguments, cwd,
        // tool-audit arguments and results, audit findings (not ingest issues), and replies.
        let searched = [
            ("query_messages.csv", vec!["text"]),
            ("tool_calls.csv", vec!["args_snippet"]),
            ("routing_context.csv", vec!["cwd"]),
            ("tool_audit.csv", vec!["args_snippet", "result_snippet"]),
            ("audit_findings.csv", vec!["message"]),
        ];
        for r in qm.rows.iter().step_by(3) {
            let text = &r[qm.col("text")];
            let Some(word) = text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| w.len() >= 4).max_by_key(|w| w.len()) else { continue };
            let word = word.to_uppercase();
            let mut count = 0;
            for (name, columns) in &searched {
                let t = &csv[name];
                for row in t.rows.iter().filter(|row| *name != "audit_findings.csv" || row[0] != agent_ledger::export::datasets::INGEST_CHECK_ID) {
                    count += columns.iter().filter(|c| row[t.col(c)].to_lowercase().contains(&word.to_lowercase())).count();
                }
            }
            count += replies.iter().filter(|r| r.contains(&word.to_lowercase())).count();
            let Response::Search { hits, more } = e.answer(Request::Search { text: word.clone(), limit: MAX_HITS }) else { panic!() };
            let at = (r[qm.col("file")].clone(), r[qm.col("line")].clone());
            assert!(hits.iter().any(|h| h.kind == "prompt" && (h.file.clone(), h.line.to_string()) == at), "{load} {word}: {at:?}");
            assert_eq!((hits.len(), more), (count.min(MAX_HITS), count > MAX_HITS), "{load} {word}");
            let k = hits.len() - 1;
            let Response::Search { hits: fewer, more } = e.answer(Request::Search { text: word.clone(), limit: k }) else { panic!() };
            assert_eq!((fewer.as_slice(), more), (&hits[..k], true), "{load} {word}: limit {k}");
        }
        for blank in ["", "   "] {
            assert_eq!(e.answer(Request::Search { text: blank.into(), limit: 10 }), Response::Search { hits: vec![], more: false });
        }
    }
}

#[test]
fn every_chart_answers_and_sums_to_the_overview() {
    for (load, files) in corpora() {
        let mut e = engine(&files);
        let d = downloads(&files, "");
        let summary: Value = serde_json::from_slice(&d["summary.json"].bytes).unwrap();
        let usage = &csvs(&d)["usage_tokens.csv"];
        let o = overview(&mut e);
        for name in CHARTS {
            assert_eq!(chart(&mut e, name).name, name);
        }
        let values = |s: &Series| s.lines.iter().flat_map(|l| &l.values).sum::<f64>();
        assert_eq!(values(&chart(&mut e, "tokens-per-day")), o.totals.total_tokens as f64, "{load}");
        assert!(close(values(&chart(&mut e, "cost-per-day")), o.totals.cost_usd), "{load}");
        let timed = usage.rows.iter().filter(|r| !r[usage.col("ts_utc")].is_empty()).count();
        assert_eq!(values(&chart(&mut e, "activity-heatmap")), timed as f64, "{load}: one per timed request");
        let ts = usage.col("ts_utc");
        let per_hour = chart(&mut e, "tokens-per-hour");
        assert_eq!(per_hour.lines[0].values.iter().sum::<f64>(), sum(usage, "input_tokens", &|r| !r[ts].is_empty()), "{load}");
        let costs = chart(&mut e, "cost-by-model");
        let got: BTreeMap<String, f64> = costs.categories.iter().map(|c| c.trim_end_matches(" (unpriced)").to_string()).zip(costs.lines[0].values.iter().copied()).collect();
        let want: BTreeMap<String, f64> = summary["by_model"].as_array().unwrap().iter().map(|g| (g["model"].as_str().unwrap().into(), g["cost_usd"].as_f64().unwrap())).collect();
        assert!(got.len() == want.len() && got.iter().zip(&want).all(|(g, w)| g.0 == w.0 && close(*g.1, *w.1)), "{load}: cost-by-model {got:?} vs {want:?}");
    }
}

/// Each bar of a chart with a drill opens exactly the rows it counts: the rows' own CSV cells,
/// summed here, give the bar's value, in UTC and in a zone a day away from it; so does each
/// segment of a bar (a model's share of a day) and each cell of the heatmap (an hour of a weekday).
#[test]
fn chart_bars_open_exactly_their_rows() {
    for (load, files) in corpora() {
        let mut e = engine(&files);
        for zone in ["", "Pacific/Kiritimati"] {
            e.answer(Request::Configure { settings: Settings { zone: zone.into(), ..Settings::default() } });
            // (chart, columns summed over the rows; empty = count the rows)
            let charts: [(&str, &[&str]); 7] = [
                ("tokens-per-day", &["total_tokens"]),
                ("cost-per-day", &["cost_usd"]),
                ("cost-by-model", &["cost_usd"]),
                ("tool-calls", &[]),
                ("tool-durations", &[]),
                ("tokens-per-hour", &["input_tokens", "output_tokens"]),
                ("activity-heatmap", &[]),
            ];
            for (name, summed) in charts {
                let s = chart(&mut e, name);
                let d = s.drill.clone().unwrap_or_else(|| panic!("{name}: no drill"));
                assert_eq!(d.keys.len(), s.categories.len(), "{load} {name}");
                assert!(!d.keys.is_empty(), "{load} {name}: nothing to open");
                let mut opened = 0;
                for i in 0..d.keys.len() {
                    // The whole bar, then each segment whose line names rows.
                    let bar = match name {
                        "tool-durations" => s.lines[0].values[i],
                        _ => s.lines.iter().map(|l| l.values[i]).sum::<f64>(),
                    };
                    let mut asks = vec![(d.pairs(i, None).unwrap(), bar)];
                    for (k, line) in s.lines.iter().enumerate() {
                        if d.line_keys.get(k).is_some_and(|key| key.is_some()) {
                            asks.push((d.pairs(i, Some(k)).unwrap(), line.values[i]));
                        }
                    }
                    for (pairs, want) in asks {
                        let q = PageQuery { dataset: d.dataset.clone(), equals: pairs.clone(), ..PageQuery::default() };
                        let (rows, matched, _) = all_pages(&mut e, &q, 500);
                        let columns = page(&mut e, PageQuery { limit: 0, ..q.clone() }).columns;
                        let col = |name: &str| columns.iter().position(|x| x == name).unwrap();
                        let got = match name {
                            // The bar is the median of the tool's durations (the lower middle one
                            // of an even count, rounding (n-1)/2 half up), in seconds.
                            "tool-durations" => {
                                let mut v: Vec<f64> = rows.iter().map(|(_, r)| &r[col("duration_ms")]).filter(|x| !x.is_empty()).map(|x| num(x) / 1000.0).collect();
                                v.sort_by(f64::total_cmp);
                                assert!(rows.iter().all(|(_, r)| r[col("tool")] == pairs[0].1), "{load} {name} {pairs:?}");
                                v[((v.len() - 1) as f64 * 0.5).round() as usize]
                            }
                            _ if summed.is_empty() => matched as f64,
                            _ => rows.iter().map(|(_, r)| summed.iter().map(|c| num(&r[col(c)])).sum::<f64>()).sum(),
                        };
                        assert!(close(got, want), "{load} {zone:?} {name} {pairs:?}: rows give {got}, the bar {want}");
                        opened += usize::from(matched > 0);
                        assert!(matched > 0 || want == 0.0, "{load} {zone:?} {name} {pairs:?}: nothing opened");
                    }
                }
                assert!(opened > 0, "{load} {name}: no bar opened a row");
            }
        }
    }
}

/// Line `n` (1-based) of a file as bytes split at `\n`, without a CR at its end.
fn nth_line(bytes: &[u8], n: usize) -> (u64, String) {
    let mut offset = 0;
    let mut lines = bytes.split(|&b| b == b'\n');
    for _ in 1..n {
        offset += lines.next().unwrap().len() as u64 + 1;
    }
    let line = lines.next().unwrap();
    (offset, String::from_utf8_lossy(line.strip_suffix(b"\r").unwrap_or(line)).into_owned())
}

/// Read line `n` through a Reader fed `slice` bytes at a time, stopping once it is done.
fn read(bytes: &[u8], n: u32, slice: usize) -> Option<agent_ledger::query::raw::RawLine> {
    let mut r = Reader::new(n, &bytes[..bytes.len().min(2)]);
    for chunk in bytes.chunks(slice) {
        r.feed(chunk);
        if r.done() {
            break;
        }
    }
    r.finish("f")
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(bytes).unwrap();
    z.finish().unwrap()
}

/// (file name, stored bytes, plain bytes): the sample (its gzip and zstd files too) and the real corpus.
fn raw_files() -> Vec<(String, Vec<u8>, Vec<u8>)> {
    let mut out = Vec::new();
    for (name, stored) in sample().into_iter().chain(real().unwrap_or_default()) {
        let plain = if stored.starts_with(&[0x1f, 0x8b]) {
            let mut v = Vec::new();
            flate2::read::MultiGzDecoder::new(stored.as_slice()).read_to_end(&mut v).unwrap();
            v
        } else if stored.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            let mut v = Vec::new();
            ruzstd::decoding::StreamingDecoder::new(stored.as_slice()).unwrap().read_to_end(&mut v).unwrap();
            v
        } else {
            stored.clone()
        };
        out.push((name, stored, plain));
    }
    out
}

fn check_lines(name: &str, stored: &[u8], plain: &[u8]) {
    assert!(!plain.starts_with(b"\xEF\xBB\xBF"), "{name}: a BOM would change line 1");
    let count = plain.split(|&b| b == b'\n').count() - usize::from(plain.ends_with(b"\n"));
    for n in [1, 2, count / 2 + 1, count.saturating_sub(1), count] {
        let (offset, text) = nth_line(plain, n.max(1));
        for slice in [1, 7, 4096] {
            let got = read(stored, n.max(1) as u32, slice).unwrap_or_else(|| panic!("{name}: line {n} at slices of {slice}"));
            assert_eq!((got.line as usize, got.offset, &got.text), (n.max(1), offset, &text), "{name}: line {n} at slices of {slice}");
        }
    }
    assert!(read(stored, count as u32 + 1, 4096).is_none(), "{name}: no line after the last");
}

#[test]
fn raw_lines_equal_the_lines_of_the_bytes() {
    let files = raw_files();
    assert!(files.iter().any(|f| f.1.starts_with(&[0x1f, 0x8b])), "the sample has a gzip file");
    for (name, stored, plain) in &files {
        check_lines(name, stored, plain);
    }
    // Gzip again (reading stops before the trailer), and a gzip file of two members.
    for (name, _, plain) in &files[..4] {
        check_lines(name, &gzip(plain), plain);
        assert!(plain.ends_with(b"\n"), "{name}");
        let mut two = gzip(plain);
        two.extend(gzip(b"after\r\n"));
        let lines = plain.split(|&b| b == b'\n').count();
        for slice in [1, 7, 4096] {
            assert_eq!(read(&two, lines as u32, slice).map(|l| l.text).as_deref(), Some("after"), "{name} slices of {slice}");
        }
    }
}
