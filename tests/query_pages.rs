//! The query engine's dataset pages against the CSV downloads (held-out: `export::build_all`
//! over a pipeline put together in `common/query_cases.rs`, read back with the `csv` crate):
//! every record, in order and with its index; sorting; the text and exact-value filters; the
//! settings' filters and redaction; the downloads through the engine.

#[path = "common/query_cases.rs"]
mod cases;

use agent_ledger::export::{self, Filter, Redaction};
use agent_ledger::query::{PageQuery, Request, Response, Settings, Sort};
use cases::*;
use std::cmp::Ordering;

fn q(dataset: &str) -> PageQuery {
    PageQuery { dataset: dataset.into(), limit: 700, ..PageQuery::default() }
}

fn sorted(column: &str, descending: bool) -> Option<Sort> {
    Some(Sort { column: column.into(), descending })
}

/// Rows shown against the records expected, by index, with the first difference named.
fn same_rows(what: &str, got: &[(usize, Vec<String>)], csv: &Csv, want: &[usize]) {
    let got_idx: Vec<usize> = got.iter().map(|r| r.0).collect();
    assert_eq!(got_idx, want, "{what}: row indices");
    for (i, cells) in got {
        assert_eq!(cells, &csv.rows[*i], "{what}: row {i}");
    }
}

/// The CSV order by one column, worked out on the download's text: numbers as numbers when every
/// filled cell of the column is one, empty cells last either way, ties in CSV order.
fn csv_order(csv: &Csv, col: usize, descending: bool, keep: &dyn Fn(&[String]) -> bool) -> Vec<usize> {
    let numeric = csv.rows.iter().map(|r| &r[col]).filter(|s| !s.is_empty()).all(|s| s.parse::<f64>().is_ok());
    let mut idx: Vec<usize> = (0..csv.rows.len()).filter(|&i| keep(&csv.rows[i])).collect();
    idx.sort_by(|&a, &b| {
        let (x, y) = (&csv.rows[a][col], &csv.rows[b][col]);
        match (x.is_empty(), y.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            _ => {
                let o = if numeric { x.parse::<f64>().unwrap().total_cmp(&y.parse().unwrap()) } else { x.cmp(y) };
                if descending { o.reverse() } else { o }
            }
        }
    });
    idx
}

/// A record has a cell containing the text, ignoring case, as the page shows it.
fn has_text(row: &[String], text: &str) -> bool {
    let needle = text.trim().to_lowercase();
    needle.is_empty() || row.iter().any(|c| c.to_lowercase().contains(&needle))
}

#[test]
fn pages_reconstruct_every_download_exactly() {
    for (load, files) in corpora() {
        let mut e = engine(&files);
        let csv = csvs(&downloads(&files, ""));
        for name in export::CSV_NAMES {
            let want = &csv[name];
            let n = want.rows.len();
            for limit in [700, 7] {
                let (rows, matched, total) = all_pages(&mut e, &q(name), limit);
                assert_eq!((matched, total), (n, n), "{load} {name}");
                same_rows(&format!("{load} {name} limit {limit}"), &rows, want, &(0..n).collect::<Vec<_>>());
            }
            let past = page(&mut e, PageQuery { offset: n + 3, ..q(name) });
            assert_eq!((past.rows.len(), past.columns), (0, want.header.clone()), "{load} {name}");
        }
    }
}

/// Every column, both ways: a sort of the whole dataset, and a sort asked within a text filter
/// before the column was ever sorted whole (the engine then sorts the matching rows alone) and
/// again after it was (then the whole column's order is narrowed), give the download's rows in
/// its order.
#[test]
fn sorting_by_any_column_alone_or_within_a_filter_orders_the_download_rows() {
    let mut wrong = Vec::new();
    for (load, files) in corpora() {
        let mut e = engine(&files);
        let csv = csvs(&downloads(&files, ""));
        for name in export::CSV_NAMES {
            let want = &csv[name];
            for (col, column) in want.header.iter().enumerate() {
                for descending in [false, true] {
                    let within = |text: &str| PageQuery { text: text.into(), sort: sorted(column, descending), ..q(name) };
                    let texts = ["gpt", "a", "1"];
                    let before: Vec<_> = texts.iter().map(|t| all_pages(&mut e, &within(t), 5)).collect();
                    // The whole column sorted, then the same questions again.
                    let whole = all_pages(&mut e, &PageQuery { sort: sorted(column, descending), ..q(name) }, 700);
                    let after: Vec<_> = texts.iter().map(|t| all_pages(&mut e, &within(t), 700)).collect();
                    let got: Vec<usize> = whole.0.iter().map(|r| r.0).collect();
                    if got != csv_order(want, col, descending, &|_| true) {
                        wrong.push(format!("{load} {name} by {column} desc={descending}: {:?}…", &got[..got.len().min(6)]));
                    }
                    for (when, answers) in [("before", before), ("after", after)] {
                        for (text, (rows, matched, _)) in texts.iter().zip(answers) {
                            let expected = csv_order(want, col, descending, &|r: &[String]| has_text(r, text));
                            let got: Vec<usize> = rows.iter().map(|r| r.0).collect();
                            if got != expected || matched != expected.len() {
                                wrong.push(format!("{load} {name} {text:?} by {column} desc={descending} {when}: {:?}…", &got[..got.len().min(6)]));
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "misordered:\n{}", wrong.join("\n"));
}

#[test]
fn numeric_columns_are_the_same_on_every_page() {
    for (load, files) in corpora() {
        let mut e = engine(&files);
        let csv = csvs(&downloads(&files, ""));
        for name in export::CSV_NAMES {
            let want = &csv[name];
            // A column is numeric when it has filled cells and every one is a number.
            let numeric: Vec<bool> = (0..want.header.len())
                .map(|c| {
                    let mut filled = want.rows.iter().map(|r| &r[c]).filter(|s| !s.is_empty()).peekable();
                    filled.peek().is_some() && filled.all(|s| s.parse::<f64>().is_ok())
                })
                .collect();
            for offset in (0..want.rows.len()).step_by(5) {
                let p = page(&mut e, PageQuery { offset, limit: 5, ..q(name) });
                let differ: Vec<&String> = want.header.iter().zip(numeric.iter().zip(&p.numeric)).filter(|(_, (a, b))| a != b).map(|(h, _)| h).collect();
                assert!(differ.is_empty(), "{load} {name} rows {offset}..+5: numeric differs for {differ:?}");
            }
        }
    }
}

#[test]
fn sorting_named_columns_across_small_pages() {
    // (column, descending): a numeric column both ways, a text column both ways.
    let cases = [("total_tokens", true), ("total_tokens", false), ("model", false), ("model", true), ("cost_usd", true)];
    for (load, files) in corpora() {
        let mut e = engine(&files);
        let usage = &csvs(&downloads(&files, ""))["usage_tokens.csv"];
        for (column, descending) in cases {
            let query = PageQuery { sort: sorted(column, descending), ..q("usage_tokens.csv") };
            let (rows, matched, total) = all_pages(&mut e, &query, 11);
            assert_eq!((matched, total), (usage.rows.len(), usage.rows.len()));
            let want = csv_order(usage, usage.col(column), descending, &|_| true);
            same_rows(&format!("{load} by {column} desc={descending}"), &rows, usage, &want);
        }
    }
}

#[test]
fn text_and_session_filters_keep_exactly_the_matching_records() {
    for (load, files) in corpora() {
        let mut e = engine(&files);
        let csv = csvs(&downloads(&files, ""));
        let sessions = &csv["sessions.csv"];
        let mut ids: Vec<&str> = sessions.rows.iter().map(|r| r[sessions.col("session_id")].as_str()).collect();
        ids.push("");
        ids.push("no-such-session");
        for name in export::CSV_NAMES {
            let want = &csv[name];
            for text in ["gpt", "GpT", " Claude ", "=1+1", "-r", "zz-nowhere-zz"] {
                let (rows, matched, total) = all_pages(&mut e, &PageQuery { text: text.into(), ..q(name) }, 700);
                let keep: Vec<usize> = (0..want.rows.len()).filter(|&i| has_text(&want.rows[i], text)).collect();
                assert_eq!((matched, total), (keep.len(), want.rows.len()), "{load} {name} {text:?}");
                same_rows(&format!("{load} {name} text {text:?}"), &rows, want, &keep);
            }
            if !want.header.iter().any(|h| h == "session_id") {
                continue;
            }
            let sid = want.col("session_id");
            for id in &ids {
                for (text, sort) in [("", None), ("gpt", sorted("line", true)), ("", sorted(&want.header[0], false))] {
                    let query = PageQuery { text: text.into(), sort: sort.clone(), equals: vec![("session_id".into(), id.to_string())], ..q(name) };
                    let (rows, matched, _) = all_pages(&mut e, &query, 3);
                    let keep = |r: &[String]| r[sid] == *id && has_text(r, text);
                    let want_idx = match &sort {
                        None => (0..want.rows.len()).filter(|&i| keep(&want.rows[i])).collect(),
                        Some(s) => csv_order(want, want.col(&s.column), s.descending, &keep),
                    };
                    assert_eq!(matched, want_idx.len(), "{load} {name} {id:?}");
                    same_rows(&format!("{load} {name} session {id:?} text {text:?} {sort:?}"), &rows, want, &want_idx);
                }
            }
        }
    }
}

#[test]
fn text_filter_matches_the_shown_text_not_the_formula_guard() {
    let files = guarded();
    let mut e = engine(&files);
    let queries = &csvs(&downloads(&files, ""))["query_messages.csv"];
    assert!(queries.rows.iter().any(|r| r[queries.col("text")].starts_with("=1+1")), "the fixture is loaded");
    let p = page(&mut e, PageQuery { text: "'=1".into(), ..q("query_messages.csv") });
    assert_eq!(p.matched, 0, "no shown cell holds `'=1`: {:?}", p.rows);
}

#[test]
fn configured_filters_and_redaction_page_like_their_downloads() {
    let files = sample();
    let usage = &csvs(&downloads(&files, ""))["usage_tokens.csv"];
    let model = usage.rows[0][usage.col("model")].clone();
    // The four switches are rules of the default set switched on.
    let mut red = Redaction::default();
    for id in ["whole-prompt", "whole-tool-arguments", "whole-tool-results", "home-directory"] {
        assert!(red.set_enabled(id, true), "{id}");
    }
    // (settings, the same as a core filter and redaction)
    let cases = [
        (Settings { model: model.clone(), ..Settings::default() }, Filter { models: vec![model.clone()], ..Filter::default() }, Redaction::default()),
        (Settings { redact_prompts: true, redact_tool_args: true, redact_tool_results: true, redact_paths: true, ..Settings::default() }, Filter::default(), red),
        (Settings { from: "2026-11-20".into(), to: "2026-11-20".into(), ..Settings::default() }, Filter { from_ms: Some(1_795_132_800_000), to_ms: Some(1_795_219_200_000), ..Filter::default() }, Redaction::default()),
    ];
    let mut e = engine(&files);
    for (settings, filter, redaction) in cases {
        assert_eq!(e.answer(Request::Configure { settings: settings.clone() }), Response::Configured);
        let label = e.analysis().price_label.clone();
        let files_want = downloads_with(&files, &label, &filter, &redaction);
        let csv = csvs(&files_want);
        for name in export::CSV_NAMES {
            let (rows, matched, total) = all_pages(&mut e, &q(name), 700);
            let n = csv[name].rows.len();
            assert_eq!((matched, total), (n, n), "{settings:?} {name}");
            same_rows(&format!("{settings:?} {name}"), &rows, &csv[name], &(0..n).collect::<Vec<_>>());
        }
        for name in export::ALL_NAMES {
            let got = e.export(name, AT_MS).unwrap_or_else(|| panic!("{name}"));
            assert!(got.bytes == files_want[name].bytes, "{settings:?}: {name} differs from its download");
        }
    }
}

#[test]
fn exports_through_the_engine_equal_the_downloads() {
    for (load, files) in corpora() {
        let mut e = engine(&files);
        let want = downloads(&files, &e.analysis().price_label.clone());
        for name in export::ALL_NAMES {
            let got = e.export(name, AT_MS).unwrap_or_else(|| panic!("{load} {name}"));
            assert_eq!((got.name, got.mime), (want[name].name, want[name].mime), "{load}");
            assert!(got.bytes == want[name].bytes, "{load}: {name} differs from build_file");
            let answer = e.answer(Request::Export { name: name.into(), generated_at_ms: AT_MS });
            let expected = Response::Export { name: name.into(), mime: got.mime.into(), bytes: got.bytes.len() };
            assert_eq!(answer, expected, "{load} {name}");
        }
        assert!(e.export("nope.csv", AT_MS).is_none());
    }
}

#[test]
fn table_csv_downloads_hold_the_rows_shown() {
    for (load, files) in corpora() {
        let mut e = engine(&files);
        let d = downloads(&files, "");
        let csv = csvs(&d);
        for name in export::CSV_NAMES {
            // Unsorted and unfiltered: the dataset's own download, byte for byte.
            let all = e.file(&Request::PageCsv(q(name))).unwrap().unwrap();
            assert_eq!((all.name, all.mime), (name, export::MIME_CSV), "{load}");
            assert!(all.bytes == d[name].bytes, "{load} {name}: the table's CSV differs from the download");
            let want = &csv[name];
            let first = &want.header[0];
            for query in [
                PageQuery { sort: sorted(first, true), text: "a".into(), offset: 2, limit: 1, ..q(name) },
                PageQuery { sort: sorted("file", false), equals: vec![(first.clone(), "2026-11-19*".into())], ..q(name) },
            ] {
                let shown = all_pages(&mut e, &query, 700).0;
                let file = e.file(&Request::PageCsv(query.clone())).unwrap().unwrap();
                let got = Csv::parse(&file.bytes);
                assert_eq!(got.header, want.header, "{load} {query:?}");
                assert_eq!(got.rows, shown.into_iter().map(|r| r.1).collect::<Vec<_>>(), "{load} {query:?}");
                let answer = e.answer(Request::PageCsv(query.clone()));
                assert_eq!(answer, Response::Export { name: name.into(), mime: export::MIME_CSV.into(), bytes: file.bytes.len() });
            }
        }
    }
}

#[test]
fn table_csv_keeps_negative_numbers_as_numbers() {
    // A Codex request with a negative logged count (audit check A4) and a prompt `-5`.
    let log = concat!(
        r#"{"timestamp":"2026-11-20T09:00:00.000Z","type":"session_meta","payload":{"id":"neg-1","timestamp":"2026-11-20T09:00:00.000Z","cwd":"/w"}}"#, "\n",
        r#"{"timestamp":"2026-11-20T09:00:01.000Z","type":"turn_context","payload":{"cwd":"/w","model":"gpt-5"}}"#, "\n",
        r#"{"timestamp":"2026-11-20T09:00:02.000Z","type":"event_msg","payload":{"type":"user_message","message":"-5"}}"#, "\n",
        r#"{"timestamp":"2026-11-20T09:00:03.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":-5,"cached_input_tokens":0,"output_tokens":10,"reasoning_output_tokens":0,"total_tokens":5},"last_token_usage":{"input_tokens":-5,"cached_input_tokens":0,"output_tokens":10,"reasoning_output_tokens":0,"total_tokens":5}}}}"#, "\n",
    );
    let files: Files = vec![("rollout-2026-11-20T09-00-00-neg-1.jsonl".into(), log.as_bytes().to_vec())];
    let d = downloads(&files, "");
    let usage = String::from_utf8(d["usage_tokens.csv"].bytes.clone()).unwrap();
    assert!(usage.contains(",-5,") && !usage.contains("'-5"), "the download keeps -5 a number: {usage}");
    let mut e = engine(&files);
    for name in ["usage_tokens.csv", "query_messages.csv"] {
        let got = e.file(&Request::PageCsv(q(name))).unwrap().unwrap();
        assert_eq!(String::from_utf8(got.bytes).unwrap(), String::from_utf8(d[name].bytes.clone()).unwrap(), "{name}");
    }
}

#[test]
fn equals_with_a_star_keeps_the_cells_starting_with_it() {
    let files = sample();
    let mut e = engine(&files);
    let usage = &csvs(&downloads(&files, ""))["usage_tokens.csv"];
    let ts = usage.col("ts_utc");
    // (value, what a cell must be or start with)
    for (value, keep) in [("2026-11-19*", "2026-11-19"), ("2026-11-2*", "2026-11-2"), ("*", ""), ("2026-11-19", "=")] {
        let query = PageQuery { equals: vec![("ts_utc".into(), value.into())], ..q("usage_tokens.csv") };
        let (rows, matched, _) = all_pages(&mut e, &query, 700);
        let want: Vec<usize> = (0..usage.rows.len())
            .filter(|&i| match keep {
                "=" => usage.rows[i][ts] == value,
                prefix => usage.rows[i][ts].starts_with(prefix),
            })
            .collect();
        assert_eq!(matched, want.len(), "{value}");
        same_rows(value, &rows, usage, &want);
    }
}

#[test]
fn questions_that_cannot_be_answered_say_so() {
    let mut e = engine(&sample());
    let bad = [
        Request::Page(q("nope.csv")),
        Request::Page(PageQuery { sort: sorted("nope", false), ..q("usage_tokens.csv") }),
        Request::Page(PageQuery { equals: vec![("nope".into(), "x".into())], ..q("usage_tokens.csv") }),
        Request::Chart { name: "nope".into() },
        Request::Session { id: "no-such-session".into() },
        Request::Export { name: "nope.csv".into(), generated_at_ms: AT_MS },
        Request::PageCsv(q("nope.csv")),
    ];
    for request in bad {
        let answer = e.answer(request.clone());
        assert!(matches!(answer, Response::Error { .. }), "{request:?}: {answer:?}");
    }
}
