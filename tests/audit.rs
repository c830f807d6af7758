//! The audit checks (DESIGN.md section 3), one test per check over hand-built tables whose
//! offending rows are known by construction, then the synthetic Codex fixtures of
//! tests/fixtures/audit/, the real Codex samples, and the shape of `audit.json`.
//!
//! Expected numbers for the fixtures and the real samples were printed by
//! `scripts/oracle/audit_oracle.py` (an independent Python implementation of the rules), run as
//! `python3 scripts/oracle/audit_oracle.py tests/fixtures/audit/*.jsonl` and
//! `python3 scripts/oracle/audit_oracle.py ../shared/corpus/real/codex-rollout/*.jsonl`.

mod common;

use agent_ledger::audit::{self, AuditReport, CheckResult, CheckStatus, ReconciliationStatus};
use agent_ledger::model::{Row, 
    ApiCall, Format, RawUsage, Session, Source, SourceFile, Tables, TokenCounts, ToolAuditRow, ToolCall, ToolStatus,
    UsageRow, Vendor,
};
use agent_ledger::pricing::{ModelPrice, PriceBook};

// ---------------------------------------------------------------------------------------------
// Helpers: tables by hand, and one assertion per check.

const FILES: [&str; 3] = ["a.jsonl", "b.jsonl", "c.ndjson"];

fn tables() -> Tables {
    Tables {
        files: FILES.iter().map(|n| SourceFile { name: n.to_string(), ..Default::default() }).collect(),
        ..Default::default()
    }
}

fn at(file: u32, line: u32) -> Source {
    Source { file, line }
}

fn counts(
    [input_tokens, cached_input_tokens, output_tokens, reasoning_output_tokens, total_tokens]: [i64; 5],
) -> TokenCounts {
    TokenCounts { input_tokens, cached_input_tokens, output_tokens, reasoning_output_tokens, total_tokens }
}

/// A Codex usage row in session "s" with the five logged counters `[input, cached, output,
/// reasoning, total]` (normalized fields copied from them).
fn codex_row(src: Source, raw: [i64; 5]) -> UsageRow {
    let [input, cached, output, reasoning, total] = raw;
    UsageRow {
        session_id: "s".into(),
        source: src,
        model: "gpt-5-codex".into(),
        vendor: Some(Vendor::OpenAi),
        input_tokens: input,
        cached_input_tokens: cached,
        output_tokens: output,
        reasoning_output_tokens: reasoning,
        total_tokens: input.saturating_add(output),
        raw: RawUsage {
            input_tokens: input,
            cached_input_tokens: cached,
            output_tokens: output,
            reasoning_output_tokens: reasoning,
            total_tokens: total,
            ..Default::default()
        },
        ..Default::default()
    }
}

fn run(t: &Tables) -> AuditReport {
    audit::run(t, &PriceBook::builtin())
}

fn check<'r>(report: &'r AuditReport, id: &str) -> &'r CheckResult {
    report.checks.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no check {id}"))
}

/// The check's rows checked, violations, status, and every finding's (file, line), in order.
fn expect(report: &AuditReport, id: &str, rows_checked: u64, violations: u64, findings: &[(&str, u32)]) {
    let c = check(report, id);
    assert_eq!((c.rows_checked, c.violations), (rows_checked, violations), "{id}: (rows_checked, violations)");
    let want = if violations == 0 { CheckStatus::Pass } else { CheckStatus::Fail };
    assert_eq!(c.status, want, "{id}: status");
    let got: Vec<(&str, u32)> = c.findings.iter().map(|f| (f.file.as_str(), f.line)).collect();
    assert_eq!(got, findings, "{id}: findings (file, line)");
    assert!(c.findings.iter().all(|f| f.check_id == id && !f.message.is_empty()), "{id}: finding ids and messages");
}

// ---------------------------------------------------------------------------------------------
// One test per check.

#[test]
fn a1_to_a4_check_each_codex_row_on_its_logged_values() {
    let mut t = tables();
    #[rustfmt::skip]
    let rows: &[(Source, [i64; 5])] = &[
        //         input  cached output reasoning total
        (at(0, 1), [100,  20,    10,    5,        110]), // fine
        (at(0, 2), [100,  0,     10,    0,        120]), // A1: 120 != 110
        (at(0, 3), [50,   60,    10,    0,        60]),  // A2: 60 cached > 50 input
        (at(0, 4), [50,   0,     10,    11,       60]),  // A3: 11 reasoning > 10 output
        (at(0, 5), [10,   0,     -5,    -5,       5]),   // A4 only: -5 output and reasoning
        (at(1, 7), [i64::MAX, 0, 1,     0,        0]),   // A1: the sum overflows (no panic)
    ];
    t.usage = rows.iter().map(|(src, raw)| codex_row(*src, *raw)).map(Row::new).collect();
    // An Anthropic row breaks every OpenAI rule but is not checked by A1–A4.
    let mut claude = codex_row(at(1, 3), [10, 50, 1, 9, 999]);
    claude.vendor = Some(Vendor::Anthropic);
    t.usage.push(claude.into());

    let r = run(&t);
    expect(&r, "A1", 6, 2, &[("a.jsonl", 2), ("b.jsonl", 7)]);
    expect(&r, "A2", 6, 1, &[("a.jsonl", 3)]);
    expect(&r, "A3", 6, 1, &[("a.jsonl", 4)]);
    expect(&r, "A4", 6, 1, &[("a.jsonl", 5)]);
    let a1 = &check(&r, "A1").findings[0];
    assert_eq!(a1.message, "total_tokens 120 != input_tokens 100 + output_tokens 10 = 110");
    assert_eq!(a1.session_id.as_deref(), Some("s"));
    assert_eq!(check(&r, "A4").findings[0].message, "negative: output_tokens -5, reasoning_output_tokens -5");
}

/// A Codex session of `file`, starting at `line`.
fn codex_session(id: &str, src: Source, last: Option<[i64; 5]>, prefix: Option<[i64; 5]>) -> Session {
    Session {
        session_id: id.into(),
        format: Some(Format::CodexRollout),
        source: src,
        usage_available: true,
        final_cumulative: last.map(counts),
        replayed_prefix: prefix.map(counts),
        ..Default::default()
    }
}

fn in_session(id: &str, mut row: UsageRow, cumulative: Option<[i64; 5]>) -> UsageRow {
    row.session_id = id.into();
    row.cumulative = cumulative.map(counts);
    row
}

#[test]
fn a5_reconciles_each_codex_session_per_file() {
    let mut t = tables();
    t.sessions = agent_ledger::model::rows_of([
        codex_session("ok", at(0, 1), Some([30, 3, 7, 1, 37]), None),
        codex_session("dup", at(0, 1), Some([5, 0, 1, 0, 6]), None), // same file, other id
        codex_session("dup", at(1, 2), Some([5, 0, 1, 0, 6]), None), // same id, other file: its own rows
        codex_session("fork", at(2, 1), Some([110, 0, 11, 0, 121]), Some([100, 0, 10, 0, 110])),
        codex_session("empty", at(2, 9), Some([1, 0, 0, 0, 1]), None), // usage total but no rows
        codex_session("no-usage", at(2, 20), None, None),              // not checked
        Session { format: Some(Format::ClaudeCode), final_cumulative: Some(counts([9; 5])), ..Default::default() },
    ]);
    t.usage = agent_ledger::model::rows_of([
        in_session("ok", codex_row(at(0, 3), [10, 1, 3, 1, 13]), None),
        in_session("ok", codex_row(at(0, 5), [20, 2, 4, 0, 24]), None),
        in_session("dup", codex_row(at(0, 6), [5, 0, 1, 0, 6]), None),
        in_session("dup", codex_row(at(1, 4), [4, 0, 1, 0, 5]), None), // 1 input and 1 total short
        in_session("fork", codex_row(at(2, 5), [10, 0, 1, 0, 11]), None),
    ]);
    let r = run(&t);
    expect(&r, "A5", 5, 2, &[("b.jsonl", 2), ("c.ndjson", 9)]);
    assert_eq!(
        check(&r, "A5").findings[0].message,
        "usage rows do not add up to the last total_token_usage: input_tokens expected 5, usage rows sum to 4; \
         total_tokens expected 6, usage rows sum to 5"
    );

    use ReconciliationStatus::{Mismatch, Ok};
    let got: Vec<(&str, &str, ReconciliationStatus, TokenCounts, TokenCounts)> = r
        .reconciliation
        .iter()
        .map(|x| (x.session_id.as_str(), x.file.as_str(), x.status, x.expected, x.actual))
        .collect();
    #[rustfmt::skip]
    let want = vec![
        ("ok",    "a.jsonl",  Ok,       counts([30, 3, 7, 1, 37]), counts([30, 3, 7, 1, 37])),
        ("dup",   "a.jsonl",  Ok,       counts([5, 0, 1, 0, 6]),   counts([5, 0, 1, 0, 6])),
        ("dup",   "b.jsonl",  Mismatch, counts([5, 0, 1, 0, 6]),   counts([4, 0, 1, 0, 5])),
        ("fork",  "c.ndjson", Ok,       counts([10, 0, 1, 0, 11]), counts([10, 0, 1, 0, 11])),
        ("empty", "c.ndjson", Mismatch, counts([1, 0, 0, 0, 1]),   counts([0; 5])),
    ];
    assert_eq!(got, want);
}

#[test]
fn a5_is_strict_so_a_counter_reset_is_a_mismatch() {
    let mut t = tables();
    t.sessions = agent_ledger::model::rows_of([codex_session("s", at(0, 1), Some([80, 0, 9, 0, 89]), None)]);
    // Cumulative 110 → 330, then the counter restarts: 55 → 89. Rows sum to 330 + 89 = 419.
    t.usage = agent_ledger::model::rows_of([
        in_session("s", codex_row(at(0, 3), [100, 0, 10, 0, 110]), Some([100, 0, 10, 0, 110])),
        in_session("s", codex_row(at(0, 4), [200, 0, 20, 0, 220]), Some([300, 0, 30, 0, 330])),
        in_session("s", codex_row(at(0, 5), [50, 0, 5, 0, 55]), Some([50, 0, 5, 0, 55])),
        in_session("s", codex_row(at(0, 6), [30, 0, 4, 0, 34]), Some([80, 0, 9, 0, 89])),
    ]);
    let r = run(&t);
    // DESIGN.md section 3: the rows must sum to the *last* cumulative total (89), not 419.
    expect(&r, "A5", 1, 1, &[("a.jsonl", 1)]);
    assert_eq!(r.reconciliation[0].expected, counts([80, 0, 9, 0, 89]));
    assert_eq!(r.reconciliation[0].actual, counts([380, 0, 39, 0, 419]));
    assert_eq!(r.reconciliation[0].status, ReconciliationStatus::Mismatch);
    expect(&r, "A6", 3, 1, &[("a.jsonl", 5)]);
}

#[rustfmt::skip]
#[test]
fn a6_flags_each_drop_of_a_cumulative_total_within_file_and_session() {
    let mut t = tables();
    t.usage = agent_ledger::model::rows_of([
        in_session("s", codex_row(at(0, 2), [1; 5]), Some([10, 1, 1, 1, 12])),
        in_session("s", codex_row(at(0, 8), [1; 5]), Some([16, 2, 2, 1, 21])),  // vs line 6: fine
        in_session("s", codex_row(at(0, 4), [1; 5]), Some([20, 2, 2, 1, 24])),
        in_session("s", codex_row(at(0, 6), [1; 5]), Some([15, 2, 2, 1, 20])),  // A6: input 20 -> 15
        in_session("s", codex_row(at(0, 7), [1; 5]), None),                     // no cumulative: skipped
        in_session("s", codex_row(at(1, 1), [1; 5]), Some([5, 5, 5, 5, 5])),   // other file: not vs a.jsonl
        in_session("s", codex_row(at(1, 3), [1; 5]), Some([6, 4, 6, 5, 6])),   // A6: cached 5 -> 4
        in_session("t", codex_row(at(1, 5), [1; 5]), Some([1, 1, 1, 1, 1])),   // other session: first row
    ]);
    let r = run(&t);
    expect(&r, "A6", 4, 2, &[("a.jsonl", 6), ("b.jsonl", 3)]);
    assert_eq!(
        check(&r, "A6").findings[0].message,
        "cumulative total decreased since line 4: input_tokens 20 -> 15, total_tokens 24 -> 20"
    );
}

fn call(src: Source, kind: &str, status: ToolStatus, output: Option<Source>) -> ToolCall {
    ToolCall {
        session_id: "s".into(),
        source: src,
        output_source: output,
        call_id: Some(format!("call-{}", src.line)),
        tool: "shell".into(),
        kind: kind.into(),
        status,
        ..Default::default()
    }
}

#[rustfmt::skip]
#[test]
fn a7_and_a8_pair_tool_calls_with_outputs() {
    let mut t = tables();
    use ToolStatus::{Ok, Unknown};
    t.tool_calls = agent_ledger::model::rows_of([
        call(at(0, 3), "function_call",       Ok,      Some(at(0, 4))), // answered
        call(at(0, 5), "function_call",       Unknown, None),           // A7
        call(at(0, 6), "web_search_call",     Ok,      None),           // completed on its own
        call(at(0, 7), "function_call",       Unknown, Some(at(0, 9))), // output, status unreadable
        call(at(0, 8), "output_without_call", Unknown, Some(at(0, 8))), // A8 (not a call for A7)
        call(at(1, 2), "tool_use",            Unknown, None),           // A7 (Claude)
    ]);
    let r = run(&t);
    expect(&r, "A7", 5, 2, &[("a.jsonl", 5), ("b.jsonl", 2)]);
    expect(&r, "A8", 6, 1, &[("a.jsonl", 8)]);
    assert_eq!(check(&r, "A7").findings[0].message, "shell call call-5 (function_call) has no output");
}

#[rustfmt::skip]
#[test]
fn a9_flags_requests_above_a_known_context_window() {
    let mut t = tables();
    let with = |src, raw: [i64; 5], vendor, window| {
        let mut row = codex_row(src, raw);
        row.vendor = Some(vendor);
        row.context_window = window;
        row
    };
    use Vendor::{Anthropic, OpenAi};
    t.usage = agent_ledger::model::rows_of([
        with(at(0, 1), [900, 0, 100, 0, 1000],  OpenAi,    Some(1000)), // exactly the window
        with(at(0, 2), [900, 0, 101, 0, 1001],  OpenAi,    Some(1000)), // A9: total 1001
        with(at(0, 3), [9_999_999, 0, 0, 0, 9_999_999], OpenAi, None),  // window unknown
        with(at(0, 4), [5, 0, 0, 0, 5],         OpenAi,    Some(0)),    // 0 = unknown
        with(at(1, 1), [2000, 0, 0, 0, 0],      Anthropic, Some(1500)), // A9: input 2000
        with(at(1, 2), [1500, 0, 900, 0, 2400], Anthropic, Some(1500)), // input fits
    ]);
    let r = run(&t);
    expect(&r, "A9", 4, 2, &[("a.jsonl", 2), ("b.jsonl", 1)]);
    assert_eq!(
        check(&r, "A9").findings[0].message,
        "request of 1001 tokens (total_tokens) exceeds the context window of 1000"
    );
}

#[test]
fn a10_flags_a_line_stamped_earlier_than_the_line_before() {
    use agent_ledger::model::{Query, RoutingRow};
    let mut t = tables();
    let q = |src, ts| Query { session_id: "s".into(), source: src, ts_ms: ts, ..Default::default() };
    let u = |src, ts| UsageRow { session_id: "s".into(), source: src, ts_ms: ts, ..Default::default() };
    let c = |src, ts| ToolCall { session_id: "s".into(), source: src, ts_ms: ts, ..Default::default() };
    t.routing = agent_ledger::model::rows_of([RoutingRow { session_id: "s".into(), source: at(0, 1), ts_ms: Some(100), ..Default::default() }]);
    t.queries = agent_ledger::model::rows_of([q(at(0, 2), Some(200)), q(at(0, 9), Some(395)), q(at(1, 1), Some(10))]);
    t.usage = agent_ledger::model::rows_of([
        u(at(0, 3), Some(150)), // A10: before line 2's 200
        u(at(0, 5), None),      // no time: left out
        u(at(0, 7), Some(300)),
        u(at(0, 8), Some(400)),
        u(at(1, 2), Some(10)), // equal to line 1: fine
    ]);
    t.tool_calls = agent_ledger::model::rows_of([
        c(at(0, 4), Some(160)), // vs line 3 (150): fine
        c(at(0, 6), Some(155)), // A10: before line 4's 160
        c(at(0, 7), Some(300)),
        c(at(0, 8), Some(390)), // same line as 400: one event, vs line 7: fine
    ]);
    // b.jsonl line 1 (10) is not compared with a.jsonl; line 9 (395) is before line 8's latest (400).
    // API calls are not part of the timeline.
    t.api_calls = agent_ledger::model::rows_of([
        ApiCall { source: at(2, 1), ts_ms: Some(50), ..Default::default() },
        ApiCall { source: at(2, 2), ts_ms: Some(5), ..Default::default() },
    ]);
    let r = run(&t);
    expect(&r, "A10", 12, 3, &[("a.jsonl", 3), ("a.jsonl", 6), ("a.jsonl", 9)]);
    assert_eq!(check(&r, "A10").findings[0].message, "timestamp 150 ms is 50 ms earlier than line 2's 200 ms");
}

#[test]
fn a11_flags_possibly_partial_claude_usage() {
    let mut t = tables();
    let row = |src, vendor, partial| UsageRow {
        session_id: "c".into(),
        source: src,
        vendor: Some(vendor),
        possibly_partial: partial,
        output_tokens: 2,
        request_key: Some("msg_1".into()),
        ..Default::default()
    };
    use Vendor::{Anthropic, OpenAi};
    t.usage = agent_ledger::model::rows_of([
        row(at(0, 1), OpenAi, true), // not Claude: not checked
        row(at(1, 2), Anthropic, true),
        row(at(1, 3), Anthropic, false),
        row(at(1, 5), Anthropic, true),
    ]);
    let r = run(&t);
    expect(&r, "A11", 3, 2, &[("b.jsonl", 2), ("b.jsonl", 5)]);
    assert_eq!(
        check(&r, "A11").findings[0].message,
        "stop_reason null: output_tokens 2 may be a mid-stream snapshot (msg_1)"
    );
}

fn api(line: u32, status: &str, error: Option<&str>, credit: Option<f64>) -> ApiCall {
    ApiCall {
        source: at(2, line),
        status: status.into(),
        error: error.map(Into::into),
        credit_charged: credit,
        ..Default::default()
    }
}

#[rustfmt::skip]
#[test]
fn a12_flags_api_calls_whose_status_error_and_credit_disagree() {
    let mut t = tables();
    t.api_calls = agent_ledger::model::rows_of([
        api(1, "success", None,            Some(1.0)), // fine
        api(2, "success", Some("boom"),    None),      // A12: success with an error
        api(3, "success", Some("  "),      None),      // a blank error is no error
        api(4, "error",   Some("timeout"), Some(0.0)), // fine
        api(5, "error",   None,            None),      // A12: no error text
        api(6, "refused", Some("policy"),  Some(2.0)), // A12: refused but charged
        api(7, "refused", Some("policy"),  None),      // fine
        api(8, "SUCCESS", None,            None),      // A12: unknown status
        api(9, "error",   None,            Some(1.0)), // A12: two reasons, one violation
    ]);
    let r = run(&t);
    let f = "c.ndjson";
    expect(&r, "A12", 9, 5, &[(f, 2), (f, 5), (f, 6), (f, 8), (f, 9)]);
    let messages: Vec<&str> = check(&r, "A12").findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "status success with error \"boom\"",
            "status error without an error text",
            "status refused but credit_charged 2",
            "status \"SUCCESS\" is not success|error|refused",
            "status error without an error text; status error but credit_charged 1",
        ]
    );
}

#[rustfmt::skip]
#[test]
fn a13_compares_logged_cost_with_priced_tokens() {
    // An override fixes the price independently of the snapshot: $2 in, $8 out per million.
    let mut prices = PriceBook::builtin();
    prices.set_override("audit-test-model", ModelPrice { input: 2.0, output: 8.0, ..Default::default() }).unwrap();
    let mut t = tables();
    let priced = |line, model: &str, input, output, cost| ApiCall {
        source: at(2, line),
        model: model.into(),
        input_tokens: input,
        output_tokens: output,
        cost_usd: cost,
        status: "success".into(),
        ..Default::default()
    };
    let m = "audit-test-model";
    // 1,000,000 in × $2/M + 100,000 out × $8/M = $2.00 + $0.80 = $2.80; 5% of it is $0.14.
    t.api_calls = agent_ledger::model::rows_of([
        priced(1, m, 1_000_000, 100_000, Some(2.80)),      // exact
        priced(2, m, 1_000_000, 100_000, Some(2.93)),      // +4.6%: fine
        priced(3, m, 1_000_000, 100_000, Some(2.95)),      // A13: +5.4%
        priced(4, m, 1_000_000, 100_000, Some(2.65)),      // A13: -5.4%
        priced(5, m, 1_000_000, 100_000, None),            // no cost logged
        priced(6, "unpriced-model-for-audit-test", 10, 10, Some(1.0)), // unpriced
        priced(7, m, 1, 0, Some(0.000_002_5)),             // priced $0.000002: 25% off, but under $0.000001
        priced(8, m, 1, 0, Some(0.000_01)),                // A13: $0.000008 off
    ]);
    let r = audit::run(&t, &prices);
    let f = "c.ndjson";
    expect(&r, "A13", 6, 3, &[(f, 3), (f, 4), (f, 8)]);
    let c = check(&r, "A13");
    assert!(c.explanation.ends_with("Not checked: 1 calls of unpriced models, 1 calls without cost_usd."), "{}", c.explanation);
    assert_eq!(
        c.findings[0].message,
        "cost_usd 2.95 vs 2.800000 priced for audit-test-model (1000000 in, 100000 out, 0 thinking tokens) (+5.4%)"
    );
}

fn audit_row(line: u32, status: &str, result_chars: Option<i64>, snippet: &str) -> ToolAuditRow {
    ToolAuditRow {
        source: at(2, line),
        tool: "read_file".into(),
        status: status.into(),
        result_chars,
        result_snippet: snippet.into(),
        ..Default::default()
    }
}

#[test]
fn a14_flags_tool_audit_statuses_outside_ok_error_denied() {
    let mut t = tables();
    t.tool_audit = ["ok", "error", "denied", "OK", "", "timeout"]
        .iter()
        .enumerate()
        .map(|(i, s)| audit_row(i as u32 + 1, s, None, ""))
        .map(Row::new).collect();
    let r = run(&t);
    let f = "c.ndjson";
    expect(&r, "A14", 6, 3, &[(f, 4), (f, 5), (f, 6)]);
    assert_eq!(check(&r, "A14").findings[0].message, "read_file row has status \"OK\", not ok|error|denied");
}

#[rustfmt::skip]
#[test]
fn a15_flags_result_chars_below_the_snippet_length_in_chars() {
    let mut t = tables();
    let cut = format!("{}…", "x".repeat(200)); // a snippet the adapter cut: 201 chars
    t.tool_audit = agent_ledger::model::rows_of([
        audit_row(1, "ok", Some(5),    "hello"),
        audit_row(2, "ok", Some(4),    "hello"), // A15
        audit_row(3, "ok", None,       "hello"), // not checked
        audit_row(4, "ok", Some(3),    "héé"),   // 3 chars, 5 bytes: fine
        audit_row(5, "ok", Some(2),    "héé"),   // A15
        audit_row(6, "ok", Some(-1),   ""),      // A15
        audit_row(7, "ok", Some(0),    ""),
        audit_row(8, "ok", Some(200),  &cut),    // A15: at least 201 chars were logged
        audit_row(9, "ok", Some(5000), &cut),
    ]);
    let r = run(&t);
    let f = "c.ndjson";
    expect(&r, "A15", 8, 4, &[(f, 2), (f, 5), (f, 6), (f, 8)]);
    let messages: Vec<&str> = check(&r, "A15").findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(messages[0], "result_chars 4 is below the snippet's 5 characters");
    assert_eq!(messages[3], "result_chars 200 is below the snippet's at least 201 characters");
}

#[test]
fn a16_flags_every_extra_file_holding_a_session_id() {
    let mut t = tables();
    let s = |id: &str, src, source: Option<&str>| Session {
        session_id: id.into(),
        source: src,
        session_source: source.map(Into::into),
        ..Default::default()
    };
    t.sessions = agent_ledger::model::rows_of([
        s("s3", at(2, 3), None), // listed first, but file 0 holds the original
        s("s1", at(0, 1), None),
        s("s1", at(1, 1), None), // A16
        s("s1", at(2, 4), None), // A16
        s("s1", at(1, 7), None), // same file again: no second violation
        s("s2", at(0, 2), None),
        s("s2", at(1, 9), Some("subagent")), // a Claude sub-agent shares its parent's id
        s("s3", at(0, 5), None),
    ]);
    let r = run(&t);
    expect(&r, "A16", 8, 3, &[("b.jsonl", 1), ("c.ndjson", 3), ("c.ndjson", 4)]);
    assert_eq!(check(&r, "A16").findings[0].message, "session s1 is also in a.jsonl");
}

// ---------------------------------------------------------------------------------------------
// Every check, its order, the cap, hostile numbers.

#[test]
fn run_gives_sixteen_checks_in_order_all_passing_on_empty_tables() {
    let r = run(&tables());
    let ids: Vec<&str> = r.checks.iter().map(|c| c.id.as_str()).collect();
    let want: Vec<String> = (1..=16).map(|i| format!("A{i}")).collect();
    assert_eq!(ids, want);
    for c in &r.checks {
        assert_eq!((c.rows_checked, c.violations, c.status), (0, 0, CheckStatus::Pass), "{}", c.id);
        assert!(!c.title.is_empty() && !c.explanation.is_empty(), "{}", c.id);
    }
    assert!(r.reconciliation.is_empty());
}

#[test]
fn findings_are_capped_at_ten_thousand_but_all_violations_counted() {
    let mut t = tables();
    t.tool_audit = (1..=10_005).map(|line| audit_row(line, "bad", None, "")).map(Row::new).collect();
    let r = run(&t);
    let c = check(&r, "A14");
    assert_eq!((c.rows_checked, c.violations, c.findings.len()), (10_005, 10_005, 10_000));
    assert_eq!(c.findings.last().map(|f| f.line), Some(10_000));
    assert!(c.explanation.ends_with("Only the first 10000 of 10005 findings are listed."), "{}", c.explanation);
}

#[test]
fn extreme_numbers_are_reported_not_panicked_on() {
    let mut t = tables();
    t.sessions = agent_ledger::model::rows_of([codex_session("s", at(0, 1), Some([i64::MIN; 5]), Some([i64::MAX; 5]))]);
    let mut row = in_session("s", codex_row(at(0, 2), [i64::MAX; 5]), Some([i64::MAX; 5]));
    row.context_window = Some(i64::MAX);
    row.ts_ms = Some(i64::MAX);
    let mut second = in_session("s", codex_row(at(0, 3), [i64::MIN; 5]), Some([i64::MIN; 5]));
    second.ts_ms = Some(i64::MIN);
    t.usage = agent_ledger::model::rows_of([row, second]);
    let r = run(&t);
    // A1: MAX + MAX overflows; MIN + MIN overflows too.
    expect(&r, "A1", 2, 2, &[("a.jsonl", 2), ("a.jsonl", 3)]);
    expect(&r, "A4", 2, 1, &[("a.jsonl", 3)]);
    expect(&r, "A5", 1, 1, &[("a.jsonl", 1)]);
    expect(&r, "A6", 1, 1, &[("a.jsonl", 3)]);
    expect(&r, "A10", 2, 1, &[("a.jsonl", 3)]);
}

// ---------------------------------------------------------------------------------------------
// Synthetic Codex fixtures, through the real ingest (numbers from scripts/oracle/audit_oracle.py).

fn fixture_report(names: &[&str]) -> AuditReport {
    let files: Vec<(String, Vec<u8>)> = names.iter().map(|n| common::fixture(&format!("audit/{n}"))).collect();
    let ledger = common::ingest(&files);
    run(&ledger.tables)
}

#[test]
fn fixture_unanswered_call_and_orphan_output_are_found_at_their_lines() {
    let r = fixture_report(&["codex_unanswered.jsonl"]);
    let f = "audit/codex_unanswered.jsonl";
    for id in ["A1", "A2", "A3", "A4"] {
        expect(&r, id, 2, 0, &[]);
    }
    expect(&r, "A5", 1, 0, &[]);
    expect(&r, "A7", 2, 1, &[(f, 12)]);
    expect(&r, "A8", 3, 1, &[(f, 9)]);
    expect(&r, "A9", 2, 0, &[]);
    assert_eq!(r.reconciliation[0].expected, counts([250, 60, 25, 5, 275]));
}

#[test]
fn fixture_counter_reset_breaks_a5_and_is_located_by_a6() {
    let r = fixture_report(&["codex_reset.jsonl"]);
    expect(&r, "A5", 1, 1, &[("audit/codex_reset.jsonl", 1)]);
    expect(&r, "A6", 3, 1, &[("audit/codex_reset.jsonl", 5)]);
}

#[test]
fn fixture_mismatch_breaks_a1_a5_a9_a10_at_their_lines() {
    let r = fixture_report(&["codex_mismatch.jsonl"]);
    let f = "audit/codex_mismatch.jsonl";
    expect(&r, "A1", 2, 1, &[(f, 3)]);
    expect(&r, "A5", 1, 1, &[(f, 1)]);
    expect(&r, "A9", 2, 1, &[(f, 3)]);
    expect(&r, "A10", 3, 1, &[(f, 4)]);
    let x = &r.reconciliation[0];
    assert_eq!((x.session_id.as_str(), x.status), ("aud-3", ReconciliationStatus::Mismatch));
    assert_eq!((x.expected, x.actual), (counts([300, 0, 20, 0, 320]), counts([290, 0, 20, 0, 305])));
}

#[test]
fn fixture_loaded_twice_under_two_names_is_a_duplicate_session() {
    let (name, bytes) = common::fixture("audit/codex_reset.jsonl");
    let files = vec![(name, bytes.clone()), ("archived/copy.jsonl".to_string(), bytes)];
    let r = run(&common::ingest(&files).tables);
    expect(&r, "A16", 2, 1, &[("archived/copy.jsonl", 1)]);
    // Each copy is reconciled on its own rows (and each breaks A5 on the same reset).
    expect(&r, "A5", 2, 2, &[("audit/codex_reset.jsonl", 1), ("archived/copy.jsonl", 1)]);
}

// ---------------------------------------------------------------------------------------------
// The real Codex samples, all loaded together.

const UNANSWERED: &str = "localpush__rollout-2026-02-23T13-19-38-019c8a70-dda7-7f33-98ea-f30553347322.jsonl";
const SMALL: &str = "agent-sessions__codex__small.jsonl";

#[test]
fn real_codex_samples_reconcile_and_show_their_known_findings() {
    let Some(dir) = common::real_corpus("codex-rollout") else { return };
    let ledger = common::ingest(&common::read_jsonl_files(&dir));
    let r = run(&ledger.tables);

    // 915 rows by the oracle, minus the CodexBar child's 178 replayed rows (its parent is loaded):
    // 737, as tests/codex.rs pins file by file.
    for id in ["A1", "A2", "A3", "A4"] {
        expect(&r, id, 737, 0, &[]);
    }
    // The coverage sample concatenates sessions: its cumulative total falls back to 0, so its rows
    // (16,422 tokens) do not sum to its last total (0). Every other session reconciles.
    expect(&r, "A5", 9, 1, &[(SMALL, 1)]);
    assert_eq!(r.reconciliation.len(), 9);
    let mismatched: Vec<&str> = r.reconciliation.iter().filter(|x| x.status != ReconciliationStatus::Ok).map(|x| x.file.as_str()).collect();
    assert_eq!(mismatched, [SMALL]);
    // 645 tool calls and 1 orphan output (tests/codex.rs, from scripts/oracle/codex_oracle.py).
    // The unanswered exec_command at the end of the localpush sample (grep: line 18).
    expect(&r, "A7", 645, 1, &[(UNANSWERED, 18)]);
    // The custom_tool_call_output whose call_id no earlier call has (grep: line 28).
    expect(&r, "A8", 646, 1, &[(SMALL, 28)]);
    // The small sample's cumulative total drops from 16422 to 0 at line 87 (a counter reset).
    expect(&r, "A6", 737 - 9, 1, &[(SMALL, 87)]);
    // 542 rows know their window (the CodexBar files log none); no request exceeds it.
    expect(&r, "A9", 542, 0, &[]);
    let a10 = check(&r, "A10");
    assert_eq!((a10.violations, a10.status), (0, CheckStatus::Pass));
    expect(&r, "A16", 9, 0, &[]);
}

// ---------------------------------------------------------------------------------------------
// audit.json (DESIGN.md section 4).

#[test]
fn audit_json_has_the_documented_shape() {
    let r = fixture_report(&["codex_mismatch.jsonl", "codex_unanswered.jsonl"]);
    let json: serde_json::Value = serde_json::to_value(&r).expect("serializable");
    let checks = json["checks"].as_array().expect("checks is a list");
    assert_eq!(checks.len(), 16);
    for c in checks {
        assert!(c["id"].is_string() && c["title"].is_string(), "{c}");
        assert!(c["rows_checked"].is_u64() && c["violations"].is_u64(), "{c}");
        let status = c["status"].as_str().expect("status is text");
        let want = if c["violations"] == 0 { "pass" } else { "fail" };
        assert_eq!(status, want, "{c}");
    }
    let a5 = &checks[4];
    assert_eq!(
        (a5["id"].as_str(), a5["rows_checked"].as_u64(), a5["violations"].as_u64()),
        (Some("A5"), Some(2), Some(1))
    );
    let finding = &a5["findings"][0];
    assert_eq!(finding["file"], "audit/codex_mismatch.jsonl");
    assert_eq!(finding["line"], 1);
    assert_eq!(finding["session_id"], "aud-3");

    let rec = json["reconciliation"].as_array().expect("reconciliation is a list");
    let statuses: Vec<(&str, &str, &str)> = rec
        .iter()
        .map(|x| (x["session_id"].as_str().unwrap(), x["file"].as_str().unwrap(), x["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [("aud-3", "audit/codex_mismatch.jsonl", "mismatch"), ("aud-1", "audit/codex_unanswered.jsonl", "ok")]
    );
    let expected = &rec[0]["expected"];
    let actual = &rec[0]["actual"];
    for (field, e, a) in [("input_tokens", 300, 290), ("cached_input_tokens", 0, 0), ("total_tokens", 320, 305)] {
        assert_eq!((expected[field].as_i64(), actual[field].as_i64()), (Some(e), Some(a)), "{field}");
    }
    assert!(expected["output_tokens"].is_i64() && expected["reasoning_output_tokens"].is_i64());
}
