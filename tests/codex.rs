//! Codex rollouts: the accounting rules of DESIGN.md section 2 over the real samples.
//!
//! Every expected number below was printed by `scripts/oracle/codex_oracle.py`, an independent
//! implementation of the rules in Python, run as
//! `python3 scripts/oracle/codex_oracle.py ../shared/corpus/real/codex-rollout/*.jsonl`.

mod common;

use agent_ledger::model::{Format, ToolStatus};

/// file, [lines, parsed, skipped, duplicates, malformed],
/// [usage rows, Σinput, Σcached, Σoutput, Σreasoning, Σtotal (logged)],
/// [queries, tool calls, unanswered calls, outputs without a call]
type Expect = (&'static str, [u64; 5], [i64; 6], [usize; 4]);

#[rustfmt::skip]
const REAL: &[Expect] = &[
    ("CodexBar__live-fork-4d90-52bf__child.jsonl", [198, 18, 1, 179, 0], [16, 1802560, 1646080, 6959, 3004, 1809519], [0, 0, 0, 0]),
    ("CodexBar__live-fork-4d90-52bf__parent.jsonl", [182, 180, 1, 1, 0], [178, 24889714, 23737856, 102678, 47451, 24992392], [0, 0, 0, 0]),
    ("agent-sessions__codex__small.jsonl", [118, 36, 81, 1, 0], [2, 16341, 3584, 81, 63, 16422], [3, 5, 0, 1]),
    ("agentcmd__rollout-2025-09-24T19-22-20-01997e76-d124-7592-9cac-2ec05abbca08.jsonl", [823, 528, 295, 0, 0], [132, 7494343, 7290112, 99678, 72192, 7594021], [13, 123, 0, 0]),
    ("agentcmd__rollout-2025-09-25T15-12-14-019982b8-3422-79e0-8b3b-05abaf4f3c3e.jsonl", [209, 140, 69, 0, 0], [35, 536834, 472320, 6654, 4096, 543488], [1, 34, 0, 0]),
    ("localpush__rollout-2026-02-23T12-40-23-019c8a4c-ed82-79a1-aa28-7738fc5ab61a.jsonl", [702, 377, 245, 80, 0], [81, 7204025, 6836352, 36075, 17896, 7240100], [5, 105, 0, 0]),
    ("localpush__rollout-2026-02-23T12-54-34-019c8a59-e9dd-71f0-9ae3-4079fe9726a9.jsonl", [2722, 1348, 1090, 284, 0], [286, 33810485, 31621504, 133999, 42113, 33944484], [38, 372, 0, 0]),
    ("localpush__rollout-2026-02-23T13-19-38-019c8a70-dda7-7f33-98ea-f30553347322.jsonl", [19, 5, 14, 0, 0], [1, 34469, 3456, 431, 264, 34900], [1, 1, 1, 0]),
    ("localpush__rollout-2026-02-23T20-34-25-019c8bfe-ec25-79e0-97d7-bda6a9c575ff.jsonl", [63, 24, 34, 5, 0], [6, 298373, 238848, 1123, 483, 299496], [1, 5, 0, 0]),
];

#[test]
fn real_codex_samples_match_the_oracle_file_by_file() {
    let Some(dir) = common::real_corpus("codex-rollout") else { return };
    let files = common::read_jsonl_files(&dir);
    assert_eq!(files.len(), REAL.len(), "one expectation per sample file");
    let ledger = common::ingest(&files);
    let t = &ledger.tables;

    for (id, (name, buckets, usage, counts)) in REAL.iter().enumerate() {
        let report = &ledger.report.files[id];
        assert_eq!(report.file, *name);
        assert_eq!(report.format, Some(Format::CodexRollout), "{name}");
        let got = [report.lines, report.parsed, report.skipped, report.duplicates, report.malformed];
        assert_eq!(got, *buckets, "{name}: [lines, parsed, skipped, duplicates, malformed]");
        assert!(report.balanced(), "{name}");

        let rows: Vec<_> = t.usage.iter().filter(|u| u.source.file == id as u32).collect();
        let sum = |f: fn(&agent_ledger::model::UsageRow) -> i64| rows.iter().map(|u| f(u)).sum::<i64>();
        let got = [
            rows.len() as i64,
            sum(|u| u.input_tokens),
            sum(|u| u.cached_input_tokens),
            sum(|u| u.output_tokens),
            sum(|u| u.reasoning_output_tokens),
            sum(|u| u.raw.total_tokens),
        ];
        assert_eq!(got, *usage, "{name}: [rows, input, cached, output, reasoning, total]");

        let calls: Vec<_> = t.tool_calls.iter().filter(|c| c.source.file == id as u32).collect();
        let got = [
            t.queries.iter().filter(|q| q.source.file == id as u32).count(),
            calls.iter().filter(|c| &*c.kind != "output_without_call").count(),
            calls.iter().filter(|c| &*c.kind != "output_without_call" && c.output_source.is_none() && c.status == ToolStatus::Unknown).count(),
            calls.iter().filter(|c| &*c.kind == "output_without_call").count(),
        ];
        assert_eq!(got, *counts, "{name}: [queries, tool calls, unanswered, orphan outputs]");
    }
}

#[test]
fn a_fork_does_not_count_its_parents_replayed_prefix_twice() {
    let Some(dir) = common::real_corpus("codex-rollout") else { return };
    let pick = |n: &str| {
        let path = dir.join(format!("CodexBar__live-fork-4d90-52bf__{n}.jsonl"));
        (format!("{n}.jsonl"), std::fs::read(path).unwrap())
    };
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("CodexBar__live-fork-4d90-52bf__manifest.json")).unwrap()).unwrap();
    let oracle = &manifest["oracle"];
    // The manifest counts tokens as Σ last_token_usage.total_tokens over every event, re-emits
    // included; the two re-emits inside the copied prefix carry 19,666 + 117,225 = 136,891.
    let reemitted = 19_666 + 117_225;
    let child_total = oracle["dedupedLastTokens"].as_i64().unwrap() - reemitted;
    let parent_total = oracle["parentLastTokens"].as_i64().unwrap() - reemitted;

    for order in [["child", "parent"], ["parent", "child"]] {
        let files: Vec<_> = order.iter().map(|n| pick(n)).collect();
        let ledger = common::ingest(&files);
        let total: i64 = ledger.tables.usage.iter().map(|u| u.raw.total_tokens).sum();
        assert_eq!(total, child_total, "{order:?}: the union equals the child's final cumulative total");
        let child = ledger.tables.sessions.iter().find(|s| s.session_id == "child-session").unwrap();
        assert_eq!(child.final_cumulative.unwrap().total_tokens, child_total);
        assert_eq!(child.replayed_prefix.unwrap().total_tokens, parent_total);
        // The copied prefix is the parent's 180 events: 178 usage rows and 2 re-emits.
        let child_report = ledger.report.files.iter().find(|f| f.file == "child.jsonl").unwrap();
        assert_eq!(child_report.duplicates, oracle["copiedPrefixLength"].as_u64().unwrap() - 1, "178 replayed + 1 re-emit; the other is a context marker");
    }

    // Alone, the child's replayed prefix is the only record of that usage: it counts.
    let ledger = common::ingest(&[pick("child")]);
    let total: i64 = ledger.tables.usage.iter().map(|u| u.raw.total_tokens).sum();
    assert_eq!(total, child_total);
}

#[test]
fn model_comes_from_the_latest_turn_context() {
    let lines = [
        r#"{"timestamp":"2026-01-01T00:00:00Z","type":"session_meta","payload":{"id":"s1","cwd":"/w"}}"#,
        r#"{"timestamp":"2026-01-01T00:00:01Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":10,"cached_input_tokens":0,"output_tokens":1,"reasoning_output_tokens":0,"total_tokens":11},"last_token_usage":{"input_tokens":10,"cached_input_tokens":0,"output_tokens":1,"reasoning_output_tokens":0,"total_tokens":11}}}}"#,
        r#"{"timestamp":"2026-01-01T00:00:02Z","type":"turn_context","payload":{"cwd":"/w","model":"gpt-5-codex","approval_policy":"on-request","sandbox_policy":{"mode":"read-only"}}}"#,
        r#"{"timestamp":"2026-01-01T00:00:03Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":30,"cached_input_tokens":5,"output_tokens":3,"reasoning_output_tokens":1,"total_tokens":33},"last_token_usage":{"input_tokens":20,"cached_input_tokens":5,"output_tokens":2,"reasoning_output_tokens":1,"total_tokens":22}}}}"#,
        r#"{"timestamp":"2026-01-01T00:00:04Z","type":"turn_context","payload":{"cwd":"/w","model":"gpt-5.2-codex","sandbox_policy":{"type":"workspace-write"}}}"#,
        r#"{"timestamp":"2026-01-01T00:00:05Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":30,"cached_input_tokens":5,"output_tokens":3,"reasoning_output_tokens":1,"total_tokens":33},"last_token_usage":{"input_tokens":20,"cached_input_tokens":5,"output_tokens":2,"reasoning_output_tokens":1,"total_tokens":22}}}}"#,
        r#"{"timestamp":"2026-01-01T00:00:06Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":70,"cached_input_tokens":25,"output_tokens":8,"reasoning_output_tokens":4,"total_tokens":78},"last_token_usage":{"input_tokens":40,"cached_input_tokens":20,"output_tokens":5,"reasoning_output_tokens":3,"total_tokens":45}}}}"#,
    ];
    let text = lines.join("\n");
    let ledger = common::ingest(&[("r.jsonl".to_string(), text.into_bytes())]);
    let models: Vec<&str> = ledger.tables.usage.iter().map(|u| &*u.model).collect();
    assert_eq!(models, ["unknown", "gpt-5-codex", "gpt-5.2-codex"]);
    let policies: Vec<_> = ledger.tables.routing.iter().map(|r| (r.approval_policy.as_deref(), r.sandbox_policy.as_deref())).collect();
    assert_eq!(policies, [(Some("on-request"), Some("read-only")), (None, Some("workspace-write"))]);
    let r = &ledger.report.files[0];
    assert_eq!([r.lines, r.parsed, r.skipped, r.duplicates, r.malformed], [7, 6, 0, 1, 0]);
    assert!(ledger.tables.usage.iter().all(|u| &*u.session_id == "s1"));
}

/// The repository's own fixtures (so a fresh clone without ../shared tests the same cases).
/// Worked by hand, and confirmed by `scripts/oracle/codex_oracle.py tests/fixtures/codex/*.jsonl`.
#[rustfmt::skip]
const FIXTURES: &[Expect] = &[
    // The forked child replays its parent's 3 requests (new timestamps) and adds 2:
    // own rows 2500+3000 input, 1900+2400 cached, 80+90 output, 40+50 reasoning.
    ("codex/fork-child.jsonl", [7, 4, 0, 3, 0], [2, 5500, 4300, 170, 90, 5670], [0, 0, 0, 0]),
    ("codex/fork-parent.jsonl", [5, 5, 0, 0, 0], [3, 4500, 2400, 180, 60, 4680], [0, 0, 0, 0]),
    // 25 lines: 13 parsed (meta, 1 query, 3 turn contexts, 3 usage rows, 3 calls, 2 outputs),
    // 10 skipped (injected context x2, info:null, reasoning, blank, compacted, context_compacted,
    // the context marker, agent_message, task_complete), 1 re-emit, 1 torn last line.
    ("codex/rollout-2026-11-20T09-00-00-fixture-session-1.jsonl", [25, 13, 10, 1, 1], [3, 34500, 16000, 1250, 384, 35750], [1, 3, 1, 0]),
];

#[test]
fn repository_fixtures_match_hand_worked_numbers() {
    let files: Vec<_> = FIXTURES.iter().map(|(name, ..)| common::fixture(name)).collect();
    let ledger = common::ingest(&files);
    let t = &ledger.tables;
    for (id, (name, buckets, usage, counts)) in FIXTURES.iter().enumerate() {
        let r = &ledger.report.files[id];
        assert_eq!([r.lines, r.parsed, r.skipped, r.duplicates, r.malformed], *buckets, "{name}");
        let rows: Vec<_> = t.usage.iter().filter(|u| u.source.file == id as u32).collect();
        let got = [
            rows.len() as i64,
            rows.iter().map(|u| u.input_tokens).sum(),
            rows.iter().map(|u| u.cached_input_tokens).sum(),
            rows.iter().map(|u| u.output_tokens).sum(),
            rows.iter().map(|u| u.reasoning_output_tokens).sum(),
            rows.iter().map(|u| u.raw.total_tokens).sum(),
        ];
        assert_eq!(got, *usage, "{name}");
        let calls: Vec<_> = t.tool_calls.iter().filter(|c| c.source.file == id as u32).collect();
        let got = [
            t.queries.iter().filter(|q| q.source.file == id as u32).count(),
            calls.len(),
            calls.iter().filter(|c| c.status == ToolStatus::Unknown).count(),
            0,
        ];
        assert_eq!(got, *counts, "{name}");
    }
    // The torn last line is reported with its line number.
    let session = &ledger.report.files[2];
    assert_eq!(session.issues.len(), 1);
    assert_eq!(session.issues[0].line, 25);
    assert!(session.issues[0].reason.contains("invalid JSON"), "{}", session.issues[0].reason);
    // Durations: from the output's metadata (0.4 s); the apply_patch exited 1, so it failed.
    let shell = t.tool_calls.iter().find(|c| c.call_id.as_deref() == Some("call_1")).unwrap();
    assert_eq!((shell.status, shell.duration_ms, shell.exit_code), (ToolStatus::Ok, Some(400.0), Some(0)));
    let patch = t.tool_calls.iter().find(|c| c.call_id.as_deref() == Some("call_2")).unwrap();
    assert_eq!((patch.status, patch.exit_code), (ToolStatus::Error, Some(1)));
    // The model switch after compaction is attributed.
    let models: Vec<&str> = t.usage.iter().filter(|u| u.source.file == 2).map(|u| &*u.model).collect();
    assert_eq!(models, ["gpt-5-codex", "gpt-5-codex", "gpt-5.2-codex"]);
}

#[test]
fn a_file_the_browser_stops_reading_keeps_its_lines_and_says_why() {
    // fork-parent.jsonl has 5 lines, 3 of them usage rows (lines 3 to 5). The browser hands over
    // the first three lines, then refuses the next slice.
    let (name, bytes) = common::fixture("codex/fork-parent.jsonl");
    let three_lines = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(2).unwrap().0 + 1;
    let mut ingest = agent_ledger::ingest::Ingest::new();
    let id = ingest.begin_file(name, bytes.len() as u64);
    ingest.feed(id, &bytes[..three_lines]);
    ingest.abandon_file(id, "NotReadableError");
    // Slices that still arrive afterwards change nothing.
    ingest.feed(id, &bytes[three_lines..]);
    ingest.end_file(id);
    let ledger = ingest.finish();
    let r = &ledger.report.files[0];
    assert_eq!([r.lines, r.parsed, r.skipped, r.duplicates, r.malformed], [3, 3, 0, 0, 0]);
    assert_eq!(r.note, "could not be read to the end: NotReadableError");
    assert_eq!(ledger.tables.usage.len(), 1);
    assert_eq!(ledger.tables.usage[0].input_tokens, 1000);
}
