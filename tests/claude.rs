//! The Claude Code adapter driven through the ingest engine (`ingest_all`), so the engine's
//! bucket accounting and the adapter's cross-file dedup are tested together.
//!
//! Real-corpus numbers were printed by `scripts/oracle/claude_oracle.py` (run on each file alone,
//! e.g. `python3 scripts/oracle/claude_oracle.py ../shared/corpus/real/claude-code/<file> --rows`),
//! which implements docs/formats.md §2 independently of the Rust code. The synthetic fixtures in
//! tests/fixtures/claude/ were worked out by hand (line by line in the comments below); the oracle
//! agrees with them (`claude_oracle.py main.jsonl sidechain.jsonl resumed.jsonl --rows`).

use agent_ledger::ingest::{Ledger, ingest_all};
use agent_ledger::model::{DurationSource, Format, Source, ToolStatus, UsageRow, Vendor};

const REAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/real");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/claude");

fn ingest(dir: &str, names: &[&str]) -> Ledger {
    let files: Vec<(&str, Vec<u8>)> = names
        .iter()
        .map(|n| (*n, std::fs::read(format!("{dir}/{n}")).unwrap_or_else(|e| panic!("{dir}/{n}: {e}"))))
        .collect();
    let ledger = ingest_all(files.iter().map(|(n, b)| (*n, b.as_slice())));
    for f in &ledger.report.files {
        assert!(f.balanced(), "{}: buckets do not add up: {f:?}", f.file);
        assert_eq!(f.format, Some(Format::ClaudeCode), "{}", f.file);
    }
    ledger
}

fn fixtures(names: &[&str]) -> Ledger {
    ingest(FIXTURES, names)
}

/// `None` (after printing the skip notice) when the shared real corpus is absent.
fn real(names: &[&str]) -> Option<Ledger> {
    if !std::path::Path::new(REAL).is_dir() {
        println!("SKIPPED: ../shared/corpus/real is absent");
        return None;
    }
    Some(ingest(&format!("{REAL}/claude-code"), names))
}

/// lines, parsed, skipped, duplicates, malformed.
fn buckets(l: &Ledger, file: usize) -> [u64; 5] {
    let f = &l.report.files[file];
    [f.lines, f.parsed, f.skipped, f.duplicates, f.malformed]
}

fn rows(l: &Ledger, file: u32) -> Vec<&UsageRow> {
    l.tables.usage.iter().map(|r| &**r).filter(|r| r.source.file == file).collect()
}

/// Kept usage rows of a file: rows, possibly_partial, fast, sidechain, then the normalized sums
/// input, cached input, cache creation, output, reasoning, total.
fn normalized(l: &Ledger, file: u32) -> [i64; 10] {
    let r = rows(l, file);
    let sum = |f: fn(&UsageRow) -> i64| r.iter().map(|x| f(x)).sum::<i64>();
    [
        r.len() as i64,
        r.iter().filter(|x| x.possibly_partial).count() as i64,
        r.iter().filter(|x| x.fast).count() as i64,
        r.iter().filter(|x| x.sidechain).count() as i64,
        sum(|x| x.input_tokens),
        sum(|x| x.cached_input_tokens),
        sum(|x| x.cache_creation_input_tokens),
        sum(|x| x.output_tokens),
        sum(|x| x.reasoning_output_tokens),
        sum(|x| x.total_tokens),
    ]
}

/// The vendor's own numbers: input (uncached), cache creation, cache read, 5m writes, 1h writes, output.
fn raw(l: &Ledger, file: u32) -> [i64; 6] {
    let r = rows(l, file);
    let sum = |f: fn(&UsageRow) -> i64| r.iter().map(|x| f(x)).sum::<i64>();
    [
        sum(|x| x.raw.input_tokens),
        sum(|x| x.raw.cache_creation_input_tokens),
        sum(|x| x.raw.cache_read_input_tokens),
        sum(|x| x.raw.cache_creation_5m_tokens),
        sum(|x| x.raw.cache_creation_1h_tokens),
        sum(|x| x.raw.output_tokens),
    ]
}

/// Tool rows of a file: all, `tool_use`, outputs without a call, ok, error, denied, unknown,
/// durations from the tool itself, durations from timestamps, Σ output bytes, Σ argument bytes,
/// Σ duration in µs.
fn tools(l: &Ledger, file: u32) -> [u64; 12] {
    let calls: Vec<_> = l.tables.tool_calls.iter().map(|c| &**c).filter(|c| c.source.file == file).collect();
    let count = |f: &dyn Fn(&&agent_ledger::model::ToolCall) -> bool| calls.iter().filter(|c| f(c)).count() as u64;
    [
        calls.len() as u64,
        count(&|c| &*c.kind == "tool_use"),
        count(&|c| &*c.kind == "output_without_call"),
        count(&|c| c.status == ToolStatus::Ok),
        count(&|c| c.status == ToolStatus::Error),
        count(&|c| c.status == ToolStatus::Denied),
        count(&|c| c.status == ToolStatus::Unknown),
        count(&|c| c.duration_source == Some(DurationSource::EndEvent)),
        count(&|c| c.duration_source == Some(DurationSource::Timestamps)),
        calls.iter().filter_map(|c| c.output_bytes).sum(),
        calls.iter().map(|c| c.args_bytes).sum(),
        (calls.iter().filter_map(|c| c.duration_ms).sum::<f64>() * 1000.0).round() as u64,
    ]
}

// ---------------------------------------------------------------------------------------------
// The real corpus (numbers from scripts/oracle/claude_oracle.py, each file ingested alone).

struct RealCase {
    file: &'static str,
    buckets: [u64; 5],
    normalized: [i64; 10],
    raw: [i64; 6],
    queries: usize,
    routing: usize,
    tools: [u64; 12],
}

const REAL_CASES: &[RealCase] = &[
    RealCase {
        // 49 assistant lines, 30 unique (message.id, requestId): 19 duplicates; all mid-stream.
        file: "agentcmd__full-session-four.jsonl",
        buckets: [89, 60, 10, 19, 0],
        normalized: [30, 30, 0, 0, 1_243_308, 1_178_761, 64_499, 228, 0, 1_243_536],
        raw: [48, 64_499, 1_178_761, 64_499, 0, 228],
        queries: 3,
        routing: 30,
        tools: [27, 27, 0, 26, 1, 0, 0, 3, 24, 42_844, 12_034, 5_750_000],
    },
    RealCase {
        file: "agentcmd__full-session-five.jsonl",
        buckets: [31, 9, 17, 5, 0],
        normalized: [3, 3, 0, 0, 59_628, 50_325, 9_289, 12, 0, 59_640],
        raw: [14, 9_289, 50_325, 9_289, 0, 12],
        queries: 1,
        routing: 3,
        tools: [5, 5, 0, 5, 0, 0, 0, 3, 2, 33_420, 477, 52_057_955],
    },
    RealCase {
        // Coverage fixture: trimmed ids make five assistant lines share one request key.
        file: "agent-sessions__claude__small.jsonl",
        buckets: [89, 12, 73, 4, 0],
        normalized: [2, 0, 0, 0, 10, 0, 0, 5, 0, 15],
        raw: [10, 0, 0, 0, 0, 5],
        queries: 6,
        routing: 2,
        tools: [5, 3, 2, 2, 0, 1, 2, 0, 1, 66, 34, 0],
    },
];

#[test]
fn real_files_match_the_oracle() {
    for case in REAL_CASES {
        let Some(l) = real(&[case.file]) else { return };
        let f = case.file;
        assert_eq!(buckets(&l, 0), case.buckets, "{f}: buckets");
        assert_eq!(normalized(&l, 0), case.normalized, "{f}: normalized usage");
        assert_eq!(raw(&l, 0), case.raw, "{f}: raw usage");
        assert_eq!(l.tables.queries.len(), case.queries, "{f}: queries");
        assert_eq!(l.tables.routing.len(), case.routing, "{f}: routing rows");
        assert_eq!(tools(&l, 0), case.tools, "{f}: tool calls");
        assert!(l.tables.usage.iter().all(|r| r.vendor == Some(Vendor::Anthropic) && r.request_key.is_some()));
    }
}

#[test]
fn real_files_together_change_nothing() {
    let names: Vec<&str> = REAL_CASES.iter().map(|c| c.file).collect();
    let Some(l) = real(&names) else { return };
    for (i, case) in REAL_CASES.iter().enumerate() {
        assert_eq!(buckets(&l, i), case.buckets, "{}", case.file);
        assert_eq!(normalized(&l, i as u32), case.normalized, "{}", case.file);
    }
}

#[test]
fn real_sessions_match_the_oracle() {
    let Some(l) = real(&["agentcmd__full-session-four.jsonl", "agentcmd__full-session-five.jsonl"]) else { return };
    let got: Vec<_> = l
        .tables
        .sessions
        .iter()
        .map(|s| {
            (
                s.session_id.as_str(),
                s.source,
                s.start_ms,
                s.end_ms,
                s.session_source.as_deref(),
                s.cli_version.as_deref(),
                s.git_branch.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "2d984148-cddb-4605-aac1-13e720fe613c",
                Source { file: 0, line: 2 },
                Some(1_761_475_088_687),
                Some(1_761_475_758_328),
                Some("cli"),
                Some("2.0.27"),
                Some("feat/final-react-refactor-v2")
            ),
            (
                "10cd5911-8704-4996-9e33-32010589c357",
                Source { file: 1, line: 12 },
                Some(1_761_650_317_185),
                Some(1_761_650_365_762),
                Some("cli"),
                Some("2.0.28"),
                Some("feat/agent-cli-sdk-revamp-v2")
            ),
        ]
    );
    let workspace = "/Users/jnarowski/Dev/sourceborn/src/agent-workflows-monorepo-v2";
    assert!(l.tables.sessions.iter().all(|s| s.workspace.as_deref() == Some(workspace) && s.usage_available));
}

#[test]
fn real_coverage_fixture_sessions() {
    let Some(l) = real(&["agent-sessions__claude__small.jsonl"]) else { return };
    let got: Vec<_> = l
        .tables
        .sessions
        .iter()
        .map(|s| (s.session_id.as_str(), s.source.line, s.start_ms, s.end_ms, s.session_source.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("ses_stage0_small", 1, Some(1_765_843_200_000), Some(1_776_370_242_522), Some("sidechain")),
            ("stage0-session", 27, None, None, Some("cli")),
            ("[trimmed for fixture]", 42, None, None, Some("subagent")),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Synthetic fixtures, worked out by hand.
//
// main.jsonl (file 0), session s-main:
//  1 user isMeta "Caveat: …" (sets permissionMode default)  skipped
//  2 user "<command-name>/clear…"                           skipped
//  3 user "<local-command-stdout>…"                         skipped
//  4 user "Fix the <b>login</b> bug" (permissionMode acceptEdits)  query
//  5 msg_A|req_A thinking, out 2, stop null                 usage (loses), routing
//  6 msg_A|req_A text, out 40, stop null                    usage (loses)
//  7 msg_A|req_A tool_use toolu_1 Bash, out 120             usage (kept), call
//  8 tool_result toolu_1, durationMs 250                    ok, 11 bytes
//  9 truncated JSON                                         malformed
// 10 msg_B (no requestId) tool_use toolu_2 Read, out 30     usage (kept: tie, earliest), routing, call
// 11 msg_B text, same usage                                 usage (loses the tie)
// 12 tool_result toolu_2 is_error                           error, 20 bytes, 3 s by timestamps
// 13 msg_C|req_C 1h cache writes 4000, thinking 20, fast, tool_use toolu_3 Edit, out 50
// 14 tool_result toolu_3 "The user doesn't want to proceed…"  denied, 79 bytes, 5 s
// 15 msg_D|req_D tool_use toolu_4 Write, out 10
// 16 toolDenialKind, tool_result toolu_4                    denied, 25 bytes, 4 s
// 17 <synthetic> assistant                                  skipped
// 18 msg_F|req_F tool_use toolu_5, stop null, no result     usage (partial), call unknown
// 19 user isCompactSummary                                  skipped
// 20 user text + image + text                               query "Now add tests\nlike this one"
// 21 system turn_duration                                   skipped
// 22 tool_result toolu_404 (no such call)                   output_without_call, ok, 4 bytes
// 23 blank; 24 summary                                      skipped
// 25 [1,2]; 26 no `type`                                    malformed
// 27 unknown type "mystery-line"                            skipped (still ends the session at 10:00:50)
// sidechain.jsonl (file 1), isSidechain + agentId, session s-main:
//  1 user prompt (query); 2 msg_A|req_side_1 out 500 (replay of main's msg_A); 3 msg_S1|req_S1
// resumed.jsonl (file 2), session s-resumed:
//  1 user "Continue"; 2 copy of main:7 (tie: main:7 stays); 3 msg_C|req_C out 80 (beats main:13);
//  4 msg_R|req_R

const ALL: &[&str] = &["main.jsonl", "sidechain.jsonl", "resumed.jsonl"];

#[test]
fn fixture_buckets_alone_and_together() {
    let table: &[(&[&str], &[[u64; 5]])] = &[
        // main alone: 5, 6, 11 lose within the file.
        (&["main.jsonl"], &[[27, 12, 9, 3, 3]]),
        // the replay is kept when its parent is absent: nothing else counts it.
        (&["sidechain.jsonl"], &[[3, 3, 0, 0, 0]]),
        (&["resumed.jsonl"], &[[4, 4, 0, 0, 0]]),
        // together: main:13 loses to resumed:3, sidechain:2 is a replay, resumed:2 ties main:7.
        (ALL, &[[27, 11, 9, 4, 3], [3, 2, 0, 1, 0], [4, 3, 0, 1, 0]]),
    ];
    for (names, want) in table {
        let l = fixtures(names);
        let got: Vec<[u64; 5]> = (0..names.len()).map(|i| buckets(&l, i)).collect();
        assert_eq!(&got, want, "{names:?}");
    }
}

#[test]
fn fixture_token_totals() {
    let l = fixtures(ALL);
    // main: rows 7, 10, 15, 18 (18 partial).
    assert_eq!(normalized(&l, 0), [4, 1, 0, 0, 12_310, 11_300, 1_000, 165, 0, 12_475]);
    assert_eq!(raw(&l, 0), [10, 1_000, 11_300, 1_000, 0, 165]);
    // sidechain: row 3 only.
    assert_eq!(normalized(&l, 1), [1, 0, 0, 1, 310, 300, 0, 20, 0, 330]);
    assert_eq!(raw(&l, 1), [10, 0, 300, 0, 0, 20]);
    // resumed: rows 3 (1h writes, thinking, fast, partial) and 4.
    assert_eq!(normalized(&l, 2), [2, 1, 1, 0, 10_006, 6_000, 4_000, 87, 20, 10_093]);
    assert_eq!(raw(&l, 2), [6, 4_000, 6_000, 0, 4_000, 87]);
}

#[test]
fn per_block_copies_keep_the_largest_snapshot() {
    let l = fixtures(&["main.jsonl"]);
    let kept: Vec<(u32, Option<&str>, i64, bool)> = l
        .tables
        .usage
        .iter()
        .map(|r| (r.source.line, r.request_key.as_deref(), r.output_tokens, r.possibly_partial))
        .collect();
    assert_eq!(
        kept,
        [
            (7, Some("msg_A|req_A"), 120, false),
            (10, Some("msg_B"), 30, false),
            (13, Some("msg_C|req_C"), 50, false),
            (15, Some("msg_D|req_D"), 10, false),
            (18, Some("msg_F|req_F"), 5, true),
        ]
    );
}

#[test]
fn one_row_normalized_to_the_openai_convention() {
    let l = fixtures(ALL);
    let r = l.tables.usage.iter().find(|r| r.source == Source { file: 2, line: 3 }).expect("resumed:3 is kept");
    let got = (
        (
            r.input_tokens,
            r.cached_input_tokens,
            r.cache_creation_input_tokens,
            r.output_tokens,
            r.reasoning_output_tokens,
            r.total_tokens,
        ),
        (
            r.raw.input_tokens,
            r.raw.cache_creation_input_tokens,
            r.raw.cache_read_input_tokens,
            r.raw.cache_creation_5m_tokens,
            r.raw.cache_creation_1h_tokens,
            r.raw.output_tokens,
        ),
        (&*r.model, &*r.session_id, r.vendor, r.fast, r.possibly_partial, r.sidechain),
    );
    assert_eq!(
        got,
        (
            (10_002, 6_000, 4_000, 80, 20, 10_082),
            (2, 4_000, 6_000, 0, 4_000, 80),
            ("claude-opus-4-1-20250805", "s-resumed", Some(Vendor::Anthropic), true, true, false),
        )
    );
    assert_eq!(r.ts_ms, Some(1_761_991_210_000));
}

#[test]
fn synthetic_and_broken_lines_make_no_records() {
    let l = fixtures(&["main.jsonl"]);
    let lines_with_records: Vec<u32> = l
        .tables
        .usage
        .iter()
        .map(|r| r.source.line)
        .chain(l.tables.routing.iter().map(|r| r.source.line))
        .chain(l.tables.queries.iter().map(|q| q.source.line))
        .chain(l.tables.tool_calls.iter().map(|c| c.source.line))
        .collect();
    for line in [1, 2, 3, 9, 17, 19, 21, 24, 25, 26, 27] {
        assert!(!lines_with_records.contains(&line), "line {line} made a record");
    }
    let issues: Vec<(u32, &str)> = l.report.files[0].issues.iter().map(|i| (i.line, i.reason.as_str())).collect();
    assert_eq!(
        issues,
        [
            // Line 9 is 69 characters long and stops inside `message`.
            (9, "invalid JSON: EOF while parsing an object at line 1 column 69"),
            (25, "not a JSON object"),
            (26, "no `type` field"),
        ]
    );
}

#[test]
fn sidechain_replays_are_dropped_only_beside_their_parent() {
    let alone = fixtures(&["sidechain.jsonl"]);
    let keys = |l: &Ledger| -> Vec<(u32, u32, String)> {
        l.tables
            .usage
            .iter()
            .filter(|r| r.sidechain)
            .map(|r| (r.source.file, r.source.line, r.request_key.clone().unwrap_or_default()))
            .collect()
    };
    assert_eq!(keys(&alone), [(0, 2, "msg_A|req_side_1".into()), (0, 3, "msg_S1|req_S1".into())]);
    let together = fixtures(ALL);
    assert_eq!(keys(&together), [(1, 3, "msg_S1|req_S1".into())]);
    // The parent's own copy is the one that stays, though the replay logged more output.
    let msg_a: Vec<Source> = together
        .tables
        .usage
        .iter()
        .filter(|r| r.request_key.as_deref().is_some_and(|k| k.starts_with("msg_A")))
        .map(|r| r.source)
        .collect();
    assert_eq!(msg_a, [Source { file: 0, line: 7 }]);
}

#[test]
fn duplicates_across_files_keep_the_largest_then_the_earliest() {
    let l = fixtures(ALL);
    let kept: Vec<(u32, u32)> = l.tables.usage.iter().map(|r| (r.source.file, r.source.line)).collect();
    assert_eq!(kept, [(0, 7), (0, 10), (0, 15), (0, 18), (1, 3), (2, 3), (2, 4)]);
}

#[test]
fn tool_calls_link_to_their_results() {
    let l = fixtures(&["main.jsonl"]);
    type Row<'a> =
        (u32, &'a str, Option<&'a str>, ToolStatus, Option<u32>, Option<u64>, Option<f64>, Option<DurationSource>);
    let got: Vec<Row> = l
        .tables
        .tool_calls
        .iter()
        .map(|c| {
            (
                c.source.line,
                &*c.tool,
                c.call_id.as_deref(),
                c.status,
                c.output_source.map(|s| s.line),
                c.output_bytes,
                c.duration_ms,
                c.duration_source,
            )
        })
        .collect();
    use DurationSource::{EndEvent, Timestamps};
    let want: Vec<Row> = vec![
        (7, "Bash", Some("toolu_1"), ToolStatus::Ok, Some(8), Some(11), Some(250.0), Some(EndEvent)),
        (10, "Read", Some("toolu_2"), ToolStatus::Error, Some(12), Some(20), Some(3000.0), Some(Timestamps)),
        (13, "Edit", Some("toolu_3"), ToolStatus::Denied, Some(14), Some(79), Some(5000.0), Some(Timestamps)),
        (15, "Write", Some("toolu_4"), ToolStatus::Denied, Some(16), Some(25), Some(4000.0), Some(Timestamps)),
        (18, "Bash", Some("toolu_5"), ToolStatus::Unknown, None, None, None, None),
        (22, "(no call)", Some("toolu_404"), ToolStatus::Ok, Some(22), Some(4), None, None),
    ];
    assert_eq!(got, want);
    let first = &l.tables.tool_calls[0];
    assert_eq!(
        (
            &*first.kind,
            first.args_bytes,
            first.args_snippet.as_str(),
            first.model.as_deref(),
            &*first.session_id
        ),
        ("tool_use", 16, r#"{"command":"ls"}"#, Some("claude-sonnet-4-5-20250929"), "s-main")
    );
    assert_eq!(&*l.tables.tool_calls[5].kind, "output_without_call");
}

#[test]
fn queries_leave_out_commands_meta_and_summaries() {
    let l = fixtures(ALL);
    let got: Vec<(u32, u32, &str, &str)> = l
        .tables
        .queries
        .iter()
        .map(|q| (q.source.file, q.source.line, q.session_id.as_str(), q.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (0, 4, "s-main", "Fix the <b>login</b> bug"),
            (0, 20, "s-main", "Now add tests\nlike this one"),
            (1, 1, "s-main", "Find every caller of login()"),
            (2, 1, "s-resumed", "Continue"),
        ]
    );
    assert_eq!(l.tables.queries[0].ts_ms, Some(1_761_991_202_000));
}

#[test]
fn routing_rows_follow_message_ids_and_permission_mode() {
    let l = fixtures(ALL);
    type Row<'a> = (u32, u32, Option<&'a str>, &'a str, Option<&'a str>);
    let got: Vec<Row> = l
        .tables
        .routing
        .iter()
        .map(|r| (r.source.file, r.source.line, r.turn_id.as_deref(), &*r.model, r.approval_policy.as_deref()))
        .collect();
    let sonnet = "claude-sonnet-4-5-20250929";
    let opus = "claude-opus-4-1-20250805";
    let edits = Some("acceptEdits");
    assert_eq!(
        got,
        [
            (0, 5, Some("msg_A"), sonnet, edits),
            (0, 10, Some("msg_B"), sonnet, edits),
            (0, 13, Some("msg_C"), opus, edits),
            (0, 15, Some("msg_D"), sonnet, edits),
            (0, 18, Some("msg_F"), sonnet, edits),
            (1, 2, Some("msg_A"), sonnet, None),
            (1, 3, Some("msg_S1"), "claude-haiku-4-5-20251001", None),
            (2, 2, Some("msg_A"), sonnet, None),
            (2, 3, Some("msg_C"), opus, None),
            (2, 4, Some("msg_R"), sonnet, None),
        ]
    );
    assert!(l.tables.routing.iter().all(|r| r.cwd.as_deref() == Some("/work/app")));
}

#[test]
fn sessions_per_file() {
    let l = fixtures(ALL);
    type Row<'a> =
        (&'a str, Source, Option<i64>, Option<i64>, Option<&'a str>, Option<&'a str>, Option<&'a str>, Option<&'a str>);
    let got: Vec<Row> = l
        .tables
        .sessions
        .iter()
        .map(|s| {
            (
                s.session_id.as_str(),
                s.source,
                s.start_ms,
                s.end_ms,
                s.session_source.as_deref(),
                s.cli_version.as_deref(),
                s.originator.as_deref(),
                s.git_branch.as_deref(),
            )
        })
        .collect();
    let at = |file, line| Source { file, line };
    let want: Vec<Row> = vec![
        // 10:00:00 to 10:00:50 (the unknown line 27 still carries the session's time).
        (
            "s-main",
            at(0, 1),
            Some(1_761_991_200_000),
            Some(1_761_991_250_000),
            Some("cli"),
            Some("2.0.30"),
            Some("cli"),
            Some("main"),
        ),
        (
            "s-main",
            at(1, 1),
            Some(1_761_991_260_000),
            Some(1_761_991_265_000),
            Some("subagent"),
            Some("2.0.30"),
            None,
            Some("main"),
        ),
        // Copied lines keep their old timestamps: the session starts before its first line.
        (
            "s-resumed",
            at(2, 1),
            Some(1_761_991_204_000),
            Some(1_762_074_005_000),
            Some("cli"),
            Some("2.0.31"),
            None,
            Some("fix/login"),
        ),
    ];
    assert_eq!(got, want);
    assert!(l.tables.sessions.iter().all(|s| s.format == Some(Format::ClaudeCode) && s.usage_available));
    assert!(l.tables.sessions.iter().all(|s| s.workspace.as_deref() == Some("/work/app")));
}

#[test]
fn hostile_lines_never_panic_and_land_in_a_bucket() {
    let head = r#"{"type":"user","sessionId":"h","message":{"role":"user","content":"hi"}}"#;
    let table: &[(&str, &str)] = &[
        (r#"{"type":"assistant","message":"text"}"#, "malformed"),
        (r#"{"type":"assistant","message":[1,2]}"#, "malformed"),
        (r#"{"type":"user"}"#, "malformed"),
        (r#"{"type":7,"message":{}}"#, "malformed"),
        (r#"{"type":"assistant","message":{"id":5,"model":["x"],"usage":[1,2,3],"content":"plain"}}"#, "skipped"),
        (
            r#"{"type":"assistant","message":{"id":"m1","usage":{"input_tokens":"12","output_tokens":1e30,"cache_read_input_tokens":-4,"cache_creation_input_tokens":9223372036854775807},"content":[7,"x",{"type":"tool_use","input":{"k":"ü€𝄞"}}]}}"#,
            "parsed",
        ),
        (
            r#"{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":null,"content":[{"text":5}]}]},"toolUseResult":[{"durationMs":5}]}"#,
            "parsed",
        ),
        (r#"{"type":"user","message":{"content":[{"type":"text","text":"   "}]}}"#, "skipped"),
        ("{\"type\":\"user\",\"message\":{\"content\":\"\u{3000}Caveat: x\"}}", "skipped"),
        (
            r#"{"type":"assistant","timestamp":"not a time","message":{"id":"m2","content":[{"type":"tool_use","id":"t","name":"X","input":null}]}}"#,
            "parsed",
        ),
        (
            r#"{"type":"user","timestamp":"2025-01-01T00:00:00Z","message":{"content":[{"type":"tool_result","tool_use_id":"t","is_error":"yes"}]}}"#,
            "parsed",
        ),
        ("\u{feff}{}", "malformed"),
        ("\"just a string\"", "malformed"),
    ];
    let mut bytes = Vec::new();
    bytes.extend_from_slice(head.as_bytes());
    for (line, _) in table {
        bytes.push(b'\n');
        bytes.extend_from_slice(line.as_bytes());
    }
    bytes.extend_from_slice(b"\n{\"type\":\"user\",\"message\":{\"content\":\"\xff\xfe\"}}\n");
    let l = ingest_all([("hostile.jsonl", bytes.as_slice())]);
    let f = &l.report.files[0];
    assert!(f.balanced(), "{f:?}");
    let malformed = table.iter().filter(|(_, b)| *b == "malformed").count() as u64 + 1;
    let parsed = table.iter().filter(|(_, b)| *b == "parsed").count() as u64 + 1;
    assert_eq!([f.lines, f.parsed, f.malformed], [table.len() as u64 + 2, parsed, malformed], "{:?}", f.issues);

    let u = &l.tables.usage[0];
    let max = i64::MAX;
    assert_eq!((u.raw.input_tokens, u.raw.output_tokens, u.raw.cache_read_input_tokens), (12, max, -4));
    // 12 + MAX saturates, then the negative cache read takes 4 off.
    assert_eq!((u.input_tokens, u.total_tokens, &*u.model), (max - 4, max, "unknown"));
    let calls: Vec<_> =
        l.tables.tool_calls.iter().map(|c| (&*c.kind, c.status, c.args_bytes, c.duration_ms)).collect();
    assert_eq!(
        calls,
        [
            ("tool_use", ToolStatus::Unknown, 17, None),
            ("output_without_call", ToolStatus::Ok, 0, None),
            ("tool_use", ToolStatus::Ok, 0, None)
        ]
    );
}
