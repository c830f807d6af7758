//! Gemini CLI (JSON and JSONL), tool-call audit JSONL, API/relay NDJSON and Codex legacy G1/G0,
//! each read through the whole ingest (sniffer → engine → adapter) with `ingest_all`.
//!
//! Expected numbers were printed by `python3 scripts/oracle/other_formats_oracle.py`, an
//! independent Python re-implementation of the rules in the adapters' module docs, unless a
//! comment says "by hand".

use agent_ledger::formats::gemini::GeminiJsonParser;
use agent_ledger::formats::DocParser;
use agent_ledger::ingest::{ingest_all, Ledger};
use agent_ledger::model::{DurationSource, Format, Tables, ToolCall, UsageRow, Vendor};
use std::io::Write;
use std::path::Path;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const REAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/real");

const ALL_FIXTURES: &[&str] = &[
    "gemini/rewrite.jsonl",
    "gemini/chat.json",
    "gemini/header-with-messages.jsonl",
    "gemini/trailing.json",
    "tool_audit/2026-01-05.jsonl",
    "relay/relay-calls.ndjson",
    "codex_legacy/rollout-2025-06-01T10-00-00-g1.jsonl",
    "codex_legacy/rollout-g0.json",
];

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn ingest_dir(dir: &str, names: &[&str]) -> Ledger {
    let files: Vec<(String, Vec<u8>)> = names.iter().map(|n| (n.to_string(), read(&format!("{dir}/{n}")))).collect();
    ingest_all(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())))
}

fn fixture(name: &str) -> Ledger {
    ingest_dir(FIXTURES, &[name])
}

/// (format, lines, parsed, skipped, duplicates, malformed) of file `i`, checked to balance.
fn buckets(l: &Ledger, i: usize) -> (&'static str, u64, u64, u64, u64, u64) {
    let f = &l.report.files[i];
    assert!(f.balanced(), "{} does not balance: {f:?}", f.file);
    (f.format_label(), f.lines, f.parsed, f.skipped, f.duplicates, f.malformed)
}

fn malformed_lines(l: &Ledger, i: usize) -> Vec<u32> {
    l.report.files[i].issues.iter().map(|x| x.line).collect()
}

fn reason(l: &Ledger, i: usize, line: u32) -> String {
    let issue = l.report.files[i].issues.iter().find(|x| x.line == line);
    issue.map(|x| x.reason.clone()).unwrap_or_else(|| panic!("no issue on line {line}"))
}

/// (line, model, input, cached, output, reasoning, total, Gemini's own total)
type UsageLine<'a> = (u32, &'a str, i64, i64, i64, i64, i64, i64);

fn usage_rows(t: &Tables) -> Vec<UsageLine<'_>> {
    fn row(u: &UsageRow) -> UsageLine<'_> {
        assert_eq!(u.vendor, Some(Vendor::Google));
        // DESIGN.md section 2: total = input + output after normalization.
        assert_eq!(u.total_tokens, u.input_tokens + u.output_tokens);
        let (line, model) = (u.source.line, &*u.model);
        (line, model, u.input_tokens, u.cached_input_tokens, u.output_tokens, u.reasoning_output_tokens, u.total_tokens, u.raw.total_tokens)
    }
    t.usage.iter().map(|u| row(u)).collect()
}

/// Sums of (input, cached, output, reasoning, total).
fn usage_totals(t: &Tables) -> (i64, i64, i64, i64, i64) {
    t.usage.iter().fold((0, 0, 0, 0, 0), |a, u| {
        (a.0 + u.input_tokens, a.1 + u.cached_input_tokens, a.2 + u.output_tokens, a.3 + u.reasoning_output_tokens, a.4 + u.total_tokens)
    })
}

/// (line, call_id, tool, status, output line, args bytes, output bytes)
type ToolLine<'a> = (u32, &'a str, &'a str, &'static str, Option<u32>, u64, Option<u64>);

fn tool_rows(t: &Tables) -> Vec<ToolLine<'_>> {
    fn row(c: &ToolCall) -> ToolLine<'_> {
        let id = c.call_id.as_deref().unwrap_or("");
        (c.source.line, id, &*c.tool, c.status.label(), c.output_source.map(|s| s.line), c.args_bytes, c.output_bytes)
    }
    t.tool_calls.iter().map(|c| row(c)).collect()
}

fn query_rows(t: &Tables) -> Vec<(u32, &str, Option<i64>)> {
    t.queries.iter().map(|q| (q.source.line, q.text.as_str(), q.ts_ms)).collect()
}

#[test]
fn real_gemini_files_match_the_oracle() {
    if !Path::new(REAL).exists() {
        println!("SKIPPED: ../shared/corpus/real is absent");
        return;
    }
    let l = ingest_dir(
        REAL,
        &["gemini-cli/agent-sessions__gemini__jsonl_v040.jsonl", "gemini-cli/agent-sessions__gemini__small.json"],
    );
    assert_eq!(buckets(&l, 0), ("gemini-jsonl", 5, 5, 0, 0, 0));
    assert_eq!(buckets(&l, 1), ("gemini-json", 25, 25, 0, 0, 0));
    let t = &l.tables;

    let sessions: Vec<_> = t.sessions.iter().map(|s| (s.session_id.as_str(), s.format, s.start_ms, s.end_ms, s.usage_available)).collect();
    assert_eq!(
        sessions,
        [
            // The last message (21:39:45.996) is later than the last `$set` lastUpdated.
            ("gemini_stage0_jsonl", Some(Format::GeminiJsonl), Some(1777498762319), Some(1777498785996), true),
            ("session-2026-01-16T18-34-3739ef95", Some(Format::GeminiJson), Some(1768588440000), Some(1768588450000), true),
        ]
    );
    assert_eq!(query_rows(t), [(2, "Say hello and list files.", Some(1777498773155)), (8, "Hello", Some(1768588441000))]);
    assert_eq!(
        usage_rows(t),
        [
            (4, "gemini-3-flash-preview", 11855, 0, 81, 0, 11936, 11936),
            (5, "gemini-3-flash-preview", 12069, 11502, 147, 0, 12216, 12216),
            (15, "gemini-3-flash-preview", 10, 0, 5, 0, 15, 15),
        ]
    );
    assert_eq!(usage_totals(t), (23934, 11502, 233, 0, 24167));
    assert_eq!(tool_rows(t), [(4, "run_shell_command_stage0", "run_shell_command", "ok", Some(4), 72, Some(168))]);
    assert_eq!(t.tool_calls[0].ts_ms, Some(1777498775364));
    assert!(t.usage.iter().take(2).all(|u| &*u.session_id == "gemini_stage0_jsonl"));
}

#[test]
fn gemini_jsonl_rewrites_replace_earlier_records() {
    let l = fixture("gemini/rewrite.jsonl");
    assert_eq!(buckets(&l, 0), ("gemini-jsonl", 18, 8, 6, 1, 3));
    // Line by line (by hand): 1 header P, 2 user P, 3 $set raises end P, 4 g1 (no tokens, call
    // executing) P, 5 g1 rewrite with tokens P, 6 same again D, 7 $set earlier S, 8 $rewindTo S,
    // 9 g2 P, 10 blank S, 11 info S, 12 truncated M, 13 array M, 14 <session_context> S,
    // 15 message without type M, 16 $set new id + end P, 17 $set batch with new u4 P,
    // 18 $set batch of known u1 S.
    assert_eq!(malformed_lines(&l, 0), [12, 13, 15]);
    assert!(reason(&l, 0, 12).contains("line 1 column"), "{}", reason(&l, 0, 12));
    assert_eq!(reason(&l, 0, 13), "valid JSON but not an object");
    assert_eq!(reason(&l, 0, 15), "message without `type`");

    let t = &l.tables;
    assert_eq!(t.sessions.len(), 1);
    let s = &t.sessions[0];
    assert_eq!(
        (s.session_id.as_str(), s.format, s.start_ms, s.end_ms, s.workspace.as_deref(), s.usage_available),
        ("gem-rewrite-2", Some(Format::GeminiJsonl), Some(1772445600000), Some(1772445620000), Some("/home/ann/proj"), true)
    );
    assert_eq!(
        query_rows(t),
        [(2, "Fix the build please", Some(1772445601000)), (17, "And the tests?", Some(1772445615000))]
    );
    assert_eq!(
        usage_rows(t),
        [
            // input 1000 + tool 10; output 50 + thoughts 30 (by hand as well).
            (5, "gemini-2.5-pro", 1010, 200, 80, 30, 1090, 1090),
            (9, "gemini-2.5-flash", 1500, 1000, 20, 0, 1520, 1520),
        ]
    );
    assert_eq!(usage_totals(t), (2510, 1200, 100, 30, 2610));
    let raw = t.usage[0].raw;
    assert_eq!(
        (raw.input_tokens, raw.cached_input_tokens, raw.output_tokens, raw.thoughts_tokens, raw.tool_tokens),
        (1000, 200, 50, 30, 10)
    );
    assert_eq!(t.usage[0].request_key.as_deref(), Some("g1"));
    assert_eq!(
        tool_rows(t),
        [
            (5, "c1", "run_shell_command", "ok", Some(5), 25, Some(94)),
            (9, "c2", "read_file", "error", Some(9), 22, None),
            (9, "c3", "write_file", "denied", Some(9), 12, None),
            (9, "c4", "glob", "unknown", None, 18, None),
        ]
    );
    assert_eq!(t.tool_calls.iter().map(|c| c.ts_ms).collect::<Vec<_>>(), [
        Some(1772445603500), Some(1772445608000), Some(1772445609000), Some(1772445610000)
    ]);
    assert!(t.queries.iter().all(|q| q.session_id == "gem-rewrite-2"));
    assert!(t.usage.iter().all(|u| &*u.session_id == "gem-rewrite-2"));
    assert!(t.tool_calls.iter().all(|c| &*c.session_id == "gem-rewrite-2" && c.model.is_some()));
}

#[test]
fn gemini_json_document_keeps_the_last_write_and_each_message_line() {
    let l = fixture("gemini/chat.json");
    assert_eq!(buckets(&l, 0), ("gemini-json", 83, 83, 0, 0, 0));
    let t = &l.tables;
    let s = &t.sessions[0];
    // The info message at 09:06 is later than lastUpdated (09:05).
    assert_eq!(
        (s.session_id.as_str(), s.format, s.start_ms, s.end_ms),
        ("gem-doc", Some(Format::GeminiJson), Some(1769936400000), Some(1769936760000))
    );
    assert_eq!(query_rows(t), [(7, "What does lib.rs export?", Some(1769936405000)), (76, "Thanks", Some(1769936640000))]);
    // m2 appears twice; the second write (line 35) wins: 420 + 8 tool, 30 + 12 thoughts.
    assert_eq!(usage_rows(t), [(35, "gemini-2.5-pro", 428, 100, 42, 12, 470, 470)]);
    assert_eq!(tool_rows(t), [(35, "t1", "read_file", "ok", Some(35), 46, Some(187))]);
}

#[test]
fn gemini_jsonl_whose_header_carries_messages_is_read_as_jsonl() {
    // The sniffer takes a first line with `sessionId` + `messages` for a one-line JSON document;
    // the document reader sees more values after it and reads the lines as the JSONL log.
    let l = fixture("gemini/header-with-messages.jsonl");
    assert_eq!(buckets(&l, 0), ("gemini-json", 3, 3, 0, 0, 0));
    let t = &l.tables;
    assert_eq!(t.sessions[0].session_id, "gem-hdr");
    assert_eq!(t.sessions[0].format, Some(Format::GeminiJsonl));
    assert_eq!((t.sessions[0].start_ms, t.sessions[0].end_ms), (Some(1775030400000), Some(1775030402000)));
    assert_eq!(query_rows(t), [(2, "hi", Some(1775030401000))]);
    assert_eq!(usage_rows(t), [(3, "gemini-2.5-flash", 7, 0, 5, 2, 12, 12)]);
}

#[test]
fn gemini_document_errors_carry_line_and_column() {
    // One complete object on line 1, then a stray `}`: the oracle's JSON reader says
    // "Extra data: line 2 column 1".
    let l = fixture("gemini/trailing.json");
    assert_eq!(buckets(&l, 0), ("gemini-json", 2, 0, 0, 0, 2));
    assert_eq!(malformed_lines(&l, 0), [1]);
    assert!(reason(&l, 0, 1).contains("line 2 column 1"), "{}", reason(&l, 0, 1));
    assert!(l.tables.sessions.is_empty());

    // A pretty-printed document with a missing comma after `"user"`; Python's json.loads says
    // "Expecting ',' delimiter: line 4 column 33".
    let broken = b"{\n  \"sessionId\": \"s\",\n  \"messages\": [\n    {\"id\": \"m1\", \"type\": \"user\" \"content\": \"x\"}\n  ]\n}\n";
    let mut tables = Tables::default();
    let err = GeminiJsonParser.parse(broken, 0, &mut tables).unwrap_err();
    assert!(err.contains("line 4 column 33"), "{err}");
    assert!(tables.sessions.is_empty() && tables.queries.is_empty());
}

#[test]
fn tool_audit_rows_keep_the_status_as_logged() {
    let l = fixture("tool_audit/2026-01-05.jsonl");
    assert_eq!(buckets(&l, 0), ("tool-audit", 12, 6, 1, 0, 5));
    assert_eq!(malformed_lines(&l, 0), [5, 6, 7, 8, 12]);
    let reasons: Vec<String> = [5, 6, 7, 8].iter().map(|&n| reason(&l, 0, n)).collect();
    assert_eq!(reasons[0], "tool-audit line without `tool`");
    assert_eq!(reasons[1], "tool-audit line without `ts`");
    assert!(reasons[2].starts_with("not valid JSON"), "{}", reasons[2]);
    assert_eq!(reasons[3], "valid JSON but not an object");
    assert!(reason(&l, 0, 12).contains("invalid type: integer"), "{}", reason(&l, 0, 12));

    let rows: Vec<_> = l
        .tables
        .tool_audit
        .iter()
        .map(|r| (r.source.line, r.ts.as_str(), r.ts_ms, r.user.as_str(), r.tool.as_str(), r.status.as_str(), r.result_chars, r.args_bytes, r.engine.as_deref()))
        .collect();
    assert_eq!(
        rows,
        [
            (1, "2026-01-05T09:00:00Z", Some(1767603600000), "ann", "bash", "ok", Some(120), 16, Some("openai")),
            (2, "2026-01-05T09:01:00Z", Some(1767603660000), "ann", "read_file", "error", Some(45), 21, Some("openai")),
            (3, "2026-01-05T09:02:00Z", Some(1767603720000), "bob", "rm", "denied", Some(0), 12, None),
            (4, "2026-01-05T09:03:00Z", Some(1767603780000), "bob", "web_fetch", "timeout", None, 29, None),
            (10, "1767604500", Some(1767604500000), "cy", "grep", "ok", Some(3), 13, None),
            (11, "yesterday", None, "cy", "grep", "ok", None, 4, None),
        ]
    );
    let first = &l.tables.tool_audit[0];
    assert_eq!((first.args_snippet.as_str(), first.result_snippet.as_str(), first.model.as_deref()), (r#"{"cmd":"ls -la"}"#, "total 8", Some("gpt-5")));
}

#[test]
fn relay_calls_accept_numeric_strings() {
    let l = fixture("relay/relay-calls.ndjson");
    assert_eq!(buckets(&l, 0), ("relay-calls", 9, 5, 0, 0, 4));
    assert_eq!(malformed_lines(&l, 0), [5, 6, 7, 8]);
    assert_eq!(reason(&l, 0, 5), "relay line without `ts`");
    assert_eq!(reason(&l, 0, 6), "`ts` is not a time: \"never\"");
    assert_eq!(reason(&l, 0, 7), "`input_tokens` is not a whole number: \"many\"");
    assert!(reason(&l, 0, 8).contains("EOF while parsing"), "{}", reason(&l, 0, 8));

    type Row<'a> = (u32, Option<i64>, &'a str, &'a str, i64, i64, i64, Option<f64>, Option<f64>, Option<f64>, Option<&'a str>, Option<&'a str>);
    let rows: Vec<Row> = l
        .tables
        .api_calls
        .iter()
        .map(|c| (c.source.line, c.ts_ms, c.model.as_str(), c.status.as_str(), c.input_tokens, c.output_tokens, c.thinking_tokens, c.duration_ms, c.cost_usd, c.credit_charged, c.job_id.as_deref(), c.error.as_deref()))
        .collect();
    assert_eq!(
        rows,
        [
            (1, Some(1767225600000), "claude-sonnet-4-5", "success", 1000, 200, 50, Some(1200.0), Some(0.006), Some(1.0), Some("j1"), None),
            (2, Some(1767225660000), "gpt-5", "error", 2000, 300, 0, Some(850.5), Some(0.0105), Some(0.0), Some("42"), Some("upstream timeout")),
            (3, Some(1767225720000), "gemini-2.5-flash", "refused", 0, 0, 0, Some(5.0), Some(0.0), Some(0.0), None, Some(r#"{"code":"quota"}"#)),
            (4, Some(1767225780000), "gemini-2.5-flash", "weird", 10, 5, 0, None, None, None, None, None),
            (9, Some(1767225900000), "claude-haiku-4-5", "success", 1000, 7, 3, Some(300.0), Some(0.001), Some(2.5), Some("j9"), Some("")),
        ]
    );
    let sums = l.tables.api_calls.iter().fold((0, 0, 0), |a, c| (a.0 + c.input_tokens, a.1 + c.output_tokens, a.2 + c.thinking_tokens));
    assert_eq!(sums, (4010, 512, 53));
    let c = &l.tables.api_calls[0];
    assert_eq!((c.install_id.as_str(), c.tier.as_str(), c.pipeline.as_str(), c.backend.as_str()), ("i-1", "pro", "chat", "anthropic"));
}

#[test]
fn codex_g1_links_outputs_and_skips_state_lines() {
    let l = fixture("codex_legacy/rollout-2025-06-01T10-00-00-g1.jsonl");
    assert_eq!(buckets(&l, 0), ("codex-g1", 21, 8, 11, 0, 2));
    assert_eq!(malformed_lines(&l, 0), [19, 20]);
    assert_eq!(reason(&l, 0, 20), "no `type`, `record_type` or header `id`+`timestamp`");
    let t = &l.tables;
    let s = &t.sessions[0];
    assert_eq!(
        (s.session_id.as_str(), s.format, s.start_ms, s.end_ms, s.usage_available),
        ("0197a0b0-0000-7000-8000-00000000g1", Some(Format::CodexG1), Some(1748772000000), None, false)
    );
    assert_eq!(
        (s.git_branch.as_deref(), s.git_commit.as_deref(), s.git_remote.as_deref()),
        (Some("main"), Some("abc123"), Some("https://example.com/r.git"))
    );
    assert_eq!(query_rows(t), [(5, "List the files", None), (16, "Now run the tests", None)]);
    assert_eq!(
        tool_rows(t),
        [
            (7, "call_1", "shell", "ok", Some(8), 18, Some(70)),
            (11, "call_2", "local_shell", "ok", Some(12), 61, Some(63)),
            (17, "call_3", "update_plan", "unknown", None, 11, None),
        ]
    );
    let timing: Vec<_> = t.tool_calls.iter().map(|c| (&*c.kind, c.exit_code, c.duration_ms, c.duration_source)).collect();
    assert_eq!(
        timing,
        [
            ("function_call", Some(0), Some(250.0), Some(DurationSource::OutputMetadata)),
            ("local_shell_call", Some(2), Some(1500.0), Some(DurationSource::OutputMetadata)),
            ("function_call", None, None, None),
        ]
    );
    assert!(t.usage.is_empty(), "G1 logs no usage");
    assert!(t.tool_calls.iter().all(|c| *c.session_id == *s.session_id && c.ts_ms.is_none()));
}

#[test]
fn codex_g0_document_yields_the_same_records() {
    let l = fixture("codex_legacy/rollout-g0.json");
    assert_eq!(buckets(&l, 0), ("codex-g0", 57, 57, 0, 0, 0));
    let t = &l.tables;
    let s = &t.sessions[0];
    assert_eq!((s.session_id.as_str(), s.format, s.start_ms, s.usage_available), ("g0-session-1", Some(Format::CodexG0), Some(1745136000000), false));
    assert_eq!(query_rows(t), [(1, "Explain main.rs", None)]);
    assert_eq!(
        tool_rows(t),
        [(1, "call_a", "shell", "ok", Some(1), 29, Some(74)), (1, "call_b", "shell", "unknown", None, 20, None)]
    );
    assert_eq!((t.tool_calls[0].exit_code, t.tool_calls[0].duration_ms), (Some(1), Some(500.0)));
    assert!(t.usage.is_empty());
}

#[test]
fn every_fixture_balances_when_read_together() {
    let l = ingest_dir(FIXTURES, ALL_FIXTURES);
    assert_eq!(l.report.files.len(), ALL_FIXTURES.len());
    for f in &l.report.files {
        assert!(f.balanced(), "{} does not balance: {f:?}", f.file);
    }
    // The sum over the files read one by one (oracle, per file above).
    let t = l.report.totals();
    assert_eq!((t.lines, t.parsed, t.skipped, t.duplicates, t.malformed), (205, 170, 18, 1, 16));
    assert_eq!((l.tables.sessions.len(), l.tables.usage.len(), l.tables.tool_audit.len(), l.tables.api_calls.len()), (5, 4, 6, 5));
}

#[test]
fn gzipped_fixtures_read_the_same() {
    for name in ["gemini/rewrite.jsonl", "codex_legacy/rollout-g0.json", "relay/relay-calls.ndjson"] {
        let plain = read(&format!("{FIXTURES}/{name}"));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&plain).unwrap();
        let packed = gz.finish().unwrap();
        let a = ingest_all([(name, plain.as_slice())]);
        let b = ingest_all([(name, packed.as_slice())]);
        assert_eq!(buckets(&a, 0), buckets(&b, 0), "{name}");
        assert_eq!(
            (a.tables.usage.len(), a.tables.tool_calls.len(), a.tables.api_calls.len()),
            (b.tables.usage.len(), b.tables.tool_calls.len(), b.tables.api_calls.len())
        );
    }
}

#[test]
fn any_truncation_of_a_fixture_still_balances() {
    // Files cut anywhere (an interrupted write, a partial copy) never panic and every line still
    // lands in exactly one bucket.
    for name in ALL_FIXTURES {
        let bytes = read(&format!("{FIXTURES}/{name}"));
        for end in (0..bytes.len()).step_by(7) {
            let l = ingest_all([(*name, &bytes[..end])]);
            assert!(l.report.files[0].balanced(), "{name} cut at {end}");
        }
    }
}
