//! The SQL console's engine (`cargo test --features sql --test sql`): the engine's typed tables
//! (`Request::Tables`) loaded into GlueSQL, queried, and the answers checked against the
//! downloads built independently in `common/query_cases.rs` (summary.json's totals, the CSVs).

#[path = "common/query_cases.rs"]
mod cases;

use agent_ledger::query::{Engine, Request};
use agent_ledger::sql::console::Console;
use cases::*;
use serde_json::Value as Json;

fn console_of(e: &mut Engine) -> Console {
    let f = e.file(&Request::Tables).expect("a file").expect("the tables");
    let mut c = Console::default();
    c.load_json(&f.bytes).expect("loads");
    c
}

/// The one row of a query, as shown.
fn one_row(c: &mut Console, sql: &str) -> Vec<Option<String>> {
    let head = c.run(sql, 10).unwrap_or_else(|e| panic!("{sql}: {e}"));
    assert_eq!(head.total, 1, "{sql}");
    head.rows[0].clone()
}

fn int(v: &Json) -> String {
    v.as_i64().expect("an integer").to_string()
}

#[test]
fn totals_equal_summary_json() {
    for (name, files) in corpora() {
        let dl = downloads(&files, "");
        let summary: Json = serde_json::from_slice(&dl["summary.json"].bytes).unwrap();
        let t = &summary["totals"];
        let mut c = console_of(&mut engine(&files));
        let row = one_row(
            &mut c,
            "SELECT SUM(total_tokens), SUM(input_tokens), SUM(cached_input_tokens), SUM(output_tokens), \
             SUM(reasoning_output_tokens), COUNT(*) FROM usage_tokens",
        );
        let want: Vec<String> = ["total_tokens", "input_tokens", "cached_input_tokens", "output_tokens", "reasoning_output_tokens", "usage_rows"]
            .iter()
            .map(|k| int(&t[k]))
            .collect();
        assert_eq!(row.into_iter().map(Option::unwrap).collect::<Vec<_>>(), want, "{name}");
        // Every table has the rows of its CSV.
        let csvs = csvs(&dl);
        for table in ["sessions", "tool_calls", "query_messages", "audit_findings", "ingest_report"] {
            let n = one_row(&mut c, &format!("SELECT COUNT(*) FROM {table}"));
            assert_eq!(n[0], Some(csvs[format!("{table}.csv").as_str()].rows.len().to_string()), "{name}: {table}");
        }
        // Costs are REAL: the sum over the rows equals the total to float noise.
        let cost: f64 = one_row(&mut c, "SELECT SUM(cost_usd) FROM usage_tokens")[0].as_deref().unwrap().parse().unwrap();
        assert!((cost - t["cost_usd"].as_f64().unwrap()).abs() < 1e-6, "{name}: {cost} vs {}", t["cost_usd"]);
    }
}

#[test]
fn every_table_has_the_csv_rows_and_typed_columns() {
    let files = sample();
    let dl = downloads(&files, "");
    let csvs = csvs(&dl);
    let c = console_of(&mut engine(&files));
    assert_eq!(c.tables().len(), 9);
    for t in c.tables() {
        let csv = &csvs[format!("{}.csv", t.name).as_str()];
        assert_eq!(t.rows, csv.rows.len(), "{}", t.name);
        assert_eq!(t.columns.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(), csv.header, "{}", t.name);
    }
    let usage = c.tables().iter().find(|t| t.name == "usage_tokens").unwrap();
    let ty = |col: &str| usage.columns.iter().find(|(n, _)| n == col).map(|(_, t)| t.as_str());
    assert_eq!((ty("total_tokens"), ty("cost_usd"), ty("ts_utc"), ty("priced")), (Some("INT"), Some("FLOAT"), Some("TEXT"), Some("BOOLEAN")));
}

#[test]
fn group_by_model_and_day_equal_the_rollups() {
    let files = sample();
    let summary: Json = serde_json::from_slice(&downloads(&files, "")["summary.json"].bytes).unwrap();
    let mut c = console_of(&mut engine(&files));
    let head = c.run("SELECT model, SUM(total_tokens) AS tokens, COUNT(*) AS n FROM usage_tokens GROUP BY model ORDER BY model", 1000).unwrap();
    assert_eq!(head.columns, ["model", "tokens", "n"]);
    assert_eq!(head.numeric, [false, true, true]);
    let mut want: Vec<Vec<Option<String>>> = summary["by_model"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| vec![Some(m["model"].as_str().unwrap().to_string()), Some(int(&m["total_tokens"])), Some(int(&m["usage_rows"]))])
        .collect();
    want.sort();
    assert!(want.len() >= 2, "the sample has several models");
    assert_eq!(head.rows, want);
    // Times are ISO-8601 UTC text: the first 10 characters are the UTC day.
    let head = c.run("SELECT SUBSTR(ts_utc, 1, 10) AS day, SUM(total_tokens) FROM usage_tokens GROUP BY SUBSTR(ts_utc, 1, 10) ORDER BY day", 1000).unwrap();
    let mut want: Vec<Vec<Option<String>>> =
        summary["by_day"].as_array().unwrap().iter().map(|d| vec![Some(d["day"].as_str().unwrap().to_string()), Some(int(&d["total_tokens"]))]).collect();
    want.sort();
    assert_eq!(head.rows, want);
}

#[test]
fn joins_keywords_and_text_as_logged() {
    let files = guarded();
    let dl = downloads(&files, "");
    let csvs = csvs(&dl);
    let mut c = console_of(&mut engine(&files));
    // `user` is a keyword: quoted, it names tool_audit's column.
    let audit = &csvs["tool_audit.csv"];
    let users: std::collections::BTreeSet<&str> = audit.rows.iter().map(|r| r[audit.col("user")].as_str()).collect();
    let head = c.run(r#"SELECT DISTINCT "user" FROM tool_audit ORDER BY "user""#, 100).unwrap();
    assert_eq!(head.rows.iter().map(|r| r[0].clone().unwrap()).collect::<Vec<_>>(), users.into_iter().collect::<Vec<_>>());
    // The formula-like prompt is stored as logged, not with the CSV's guard.
    let prompt = &csvs["query_messages.csv"];
    let formulas = prompt.rows.iter().filter(|r| r[prompt.col("text")].starts_with('=')).count();
    assert!(formulas >= 1);
    // (Not `LIKE '=%'`: GlueSQL's `%` does not match across a line break, and prompts have them.)
    let n = one_row(&mut c, "SELECT COUNT(*) FROM query_messages WHERE SUBSTR(text, 1, 1) = '='");
    assert_eq!(n[0], Some(formulas.to_string()));
    // A join: each usage row meets every sessions row of its id (an id repeats when the same
    // log was given twice), counted here from the CSVs.
    let (usage, sessions) = (&csvs["usage_tokens.csv"], &csvs["sessions.csv"]);
    let want: usize = usage.rows.iter().map(|u| sessions.rows_with("session_id", &u[usage.col("session_id")]).count()).sum();
    let joined = one_row(&mut c, "SELECT COUNT(*) FROM usage_tokens u JOIN sessions s ON u.session_id = s.session_id");
    assert_eq!(joined[0], Some(want.to_string()));
}

#[test]
fn errors_are_plain_text() {
    let mut c = console_of(&mut engine(&sample()));
    assert_eq!(c.run("SELEC 1", 10).unwrap_err(), "SQL syntax: Expected: an SQL statement, found: SELEC at Line: 1, Column: 1");
    let e = c.run("SELECT * FROM nope", 10).unwrap_err();
    assert!(e.contains("nope"), "{e}");
    assert!(c.run("  ", 10).unwrap_err().starts_with("Nothing to run"));
}

#[test]
fn pages_csv_and_nulls() {
    let mut c = Console::default();
    c.load_json(br#"[{"name":"t","rows":3,"truncated":false,"columns":[
        {"name":"s","values":{"kind":"text","cells":["=1+1","a,b",null]}},
        {"name":"n","values":{"kind":"int","cells":[-5,2,null]}},
        {"name":"c","values":{"kind":"real","cells":[0.30000000000000004,1.5,null]}}]}]"#)
        .unwrap();
    let head = c.run("SELECT s, n, c FROM t ORDER BY n", 2).unwrap();
    assert_eq!(head.total, 3);
    assert_eq!(head.rows, [[Some("=1+1".into()), Some("-5".into()), Some("0.3".into())], [Some("a,b".into()), Some("2".into()), Some("1.5".into())]]);
    assert_eq!(c.page(2, 10), [[None, None, None]]);
    assert!(c.page(9, 10).is_empty());
    // Text is neutralised like the downloads; numbers are not; NULL is empty.
    assert_eq!(String::from_utf8(c.csv()).unwrap(), "s,n,c\r\n'=1+1,-5,0.3\r\n\"a,b\",2,1.5\r\n,,\r\n");
    let note = c.run("INSERT INTO t VALUES ('x', 1, 2.0)", 2).unwrap();
    assert!(note.columns.is_empty() && note.note.starts_with("1 rows inserted"), "{note:?}");
}
