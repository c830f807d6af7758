//! Exports (DESIGN.md section 4): exact CSV text, formula neutralising, RFC 4180 round trips,
//! the catalog against the real CSVs, the zip, the Markdown report's escaping and layout,
//! filters and retention, the row cap, redaction.
//!
//! Every expected value is worked out by hand from the small tables built in [`world`] (their
//! numbers are chosen to be checked at a glance) or from the fixture under
//! `tests/fixtures/export/`, whose lines are quoted next to the expectations.

mod common;

use agent_ledger::audit::{AuditReport, CheckResult, CheckStatus, Finding};
use agent_ledger::export::csv_cell::Cell;
use agent_ledger::export::{self, ExportInput, ExportSettings, Filter, Redaction, ReportMeta};
use agent_ledger::ingest::{FileReport, IngestReport, LineIssue};
use agent_ledger::model::*;
use agent_ledger::rollup::{self, Summary, Zone};
use std::io::Read;

/// 2025-09-25T01:00:00Z.
const T0: Millis = 1_758_762_000_000;
const SEC: Millis = 1_000;
const DAY: Millis = 86_400_000;

/// Everything an export needs, owned, so a test can change one piece.
struct World {
    tables: Tables,
    costs: Vec<Option<f64>>,
    ingest: IngestReport,
    audit: AuditReport,
    filter: Filter,
    redaction: Redaction,
    /// `None`: the tables are as logged and the export redacts them.
    redaction_report: Option<agent_ledger::redact::Report>,
    settings: ExportSettings,
    meta: ReportMeta,
}

impl World {
    fn summary(&self) -> Summary {
        rollup::summarize(&self.tables, &self.costs, &Zone::utc())
    }

    fn files(&self) -> Vec<export::ExportFile> {
        let summary = self.summary();
        export::build_all(&self.input(&summary))
    }

    fn file(&self, name: &str) -> String {
        let summary = self.summary();
        let f = export::build_file(&self.input(&summary), name).unwrap_or_else(|| panic!("{name}"));
        String::from_utf8(f.bytes).expect("UTF-8")
    }

    fn input<'a>(&'a self, summary: &'a Summary) -> ExportInput<'a> {
        ExportInput {
            tables: &self.tables,
            usage_costs: &self.costs,
            ingest: &self.ingest,
            audit: &self.audit,
            summary,
            filter: &self.filter,
            redaction: &self.redaction,
            redaction_report: self.redaction_report.as_ref(),
            settings: &self.settings,
            meta: &self.meta,
        }
    }
}

fn src(file: FileId, line: u32) -> Source {
    Source { file, line }
}

fn s(text: &str) -> String {
    text.to_string()
}

/// Two sessions (s1 Codex in /home/ana/shop, s2 Claude in /home/ana/blog ten days earlier), two
/// tool-audit rows (one without a time), two API calls (one 40 days old).
fn world() -> World {
    let files = [
        "/home/ana/logs/codex.jsonl",
        "/home/ana/logs/claude.jsonl",
        "tool_audit/2025-09-25.jsonl",
        "relay-calls.ndjson",
    ];
    let mut t = Tables {
        files: files
            .iter()
            .map(|n| SourceFile {
                name: s(n),
                bytes: 1000,
                gzip: false,
                machine: None,
            })
            .collect(),
        ..Default::default()
    };
    t.sessions = agent_ledger::model::rows_of([
        Session {
            session_id: s("s1"),
            format: Some(Format::CodexRollout),
            source: src(0, 1),
            start_ms: Some(T0),
            end_ms: Some(T0 + 60 * SEC),
            workspace: Some(s("/home/ana/shop")),
            usage_available: true,
            ..Default::default()
        },
        Session {
            session_id: s("s2"),
            format: Some(Format::ClaudeCode),
            source: src(1, 1),
            start_ms: Some(T0 - 10 * DAY),
            workspace: Some(s("/home/ana/blog")),
            git_remote: Some(s("git@github.com:ana/blog.git")),
            usage_available: true,
            ..Default::default()
        },
    ]);
    t.routing = agent_ledger::model::rows_of([RoutingRow {
        session_id: "s1".into(),
        source: src(0, 2),
        ts_ms: Some(T0 + SEC),
        model: "gpt-5-codex".into(),
        effort: Some("high".into()),
        cwd: Some("/home/ana/shop".into()),
        ..Default::default()
    }]);
    t.queries = agent_ledger::model::rows_of([
        Query {
            session_id: s("s1"),
            source: src(0, 3),
            ts_ms: Some(T0 + 2 * SEC),
            text: s("fix the bug"),
        },
        Query {
            session_id: s("s1"),
            source: src(0, 7),
            ts_ms: Some(T0 + 20 * SEC),
            text: s("=1+1, \"quoted\"\nnext"),
        },
        Query {
            session_id: s("s2"),
            source: src(1, 2),
            ts_ms: Some(T0 - 10 * DAY),
            text: s("<script>alert(1)</script> | `rm -rf /` # x"),
        },
    ]);
    t.usage = agent_ledger::model::rows_of([
        usage(
            "s1",
            src(0, 5),
            T0 + 5 * SEC,
            "gpt-5-codex",
            Vendor::OpenAi,
            [1000, 200, 0, 50, 10, 1050],
        ),
        usage(
            "s1",
            src(0, 9),
            T0 + 25 * SEC,
            "gpt-5-codex",
            Vendor::OpenAi,
            [-5, 0, 0, 5, 0, 0],
        ),
        usage(
            "s2",
            src(1, 3),
            T0 - 10 * DAY,
            "claude-sonnet-4-5",
            Vendor::Anthropic,
            [300, 100, 50, 20, 0, 320],
        ),
    ]);
    t.tool_calls = agent_ledger::model::rows_of([
        ToolCall {
            session_id: "s1".into(),
            source: src(0, 4),
            output_source: Some(src(0, 6)),
            ts_ms: Some(T0 + 3 * SEC),
            call_id: Some(s("call_1")),
            tool: "shell".into(),
            kind: "function_call".into(),
            args_bytes: 6,
            args_snippet: s("ls -la"),
            status: ToolStatus::Ok,
            exit_code: Some(0),
            duration_ms: Some(400.0),
            duration_source: Some(DurationSource::OutputMetadata),
            ..Default::default()
        },
        ToolCall {
            session_id: "s2".into(),
            source: src(1, 4),
            tool: "Read".into(),
            kind: "tool_use".into(),
            status: ToolStatus::Error,
            ..Default::default()
        },
    ]);
    t.tool_audit = agent_ledger::model::rows_of([
        ToolAuditRow {
            source: src(2, 1),
            ts_ms: Some(T0 + 30 * SEC),
            ts: s("2025-09-25T01:00:30Z"),
            user: s("ana"),
            model: Some(s("gpt-5")),
            tool: s("shell"),
            args_snippet: s("@SUM(A1)"),
            status: s("maybe"),
            result_snippet: s("secret result"),
            ..Default::default()
        },
        ToolAuditRow {
            source: src(2, 2),
            user: s("bo"),
            tool: s("read"),
            status: s("ok"),
            ..Default::default()
        },
    ]);
    t.api_calls = agent_ledger::model::rows_of([
        ApiCall {
            source: src(3, 1),
            ts_ms: Some(T0 + 40 * SEC),
            model: s("gpt-5-codex"),
            status: s("success"),
            cost_usd: Some(0.5),
            ..Default::default()
        },
        ApiCall {
            source: src(3, 2),
            ts_ms: Some(T0 - 40 * DAY),
            model: s("claude-sonnet-4-5"),
            status: s("error"),
            ..Default::default()
        },
    ]);
    World {
        costs: vec![Some(0.0125), Some(0.0), None],
        ingest: ingest_report(&t),
        audit: audit_report(),
        tables: t,
        filter: Filter::default(),
        redaction: Redaction::default(),
        redaction_report: None,
        settings: ExportSettings::default(),
        meta: ReportMeta {
            generated_at_ms: Some(T0 + DAY),
            price_snapshot: s("test prices"),
            machine: String::new(),
        },
    }
}

/// Tokens: [input, cached, cache creation, output, reasoning, total].
fn usage(sid: &str, at: Source, ts: Millis, model: &str, vendor: Vendor, n: [i64; 6]) -> UsageRow {
    UsageRow {
        session_id: sid.into(),
        source: at,
        ts_ms: Some(ts),
        model: model.into(),
        vendor: Some(vendor),
        input_tokens: n[0],
        cached_input_tokens: n[1],
        cache_creation_input_tokens: n[2],
        output_tokens: n[3],
        reasoning_output_tokens: n[4],
        total_tokens: n[5],
        raw: RawUsage {
            input_tokens: n[0],
            output_tokens: n[3],
            total_tokens: n[5],
            ..Default::default()
        },
        ..Default::default()
    }
}

fn ingest_report(t: &Tables) -> IngestReport {
    let formats = [
        Format::CodexRollout,
        Format::ClaudeCode,
        Format::ToolAudit,
        Format::RelayCalls,
    ];
    let files = t
        .files
        .iter()
        .zip(formats)
        .map(|(f, format)| FileReport {
            file: f.name.clone(),
            format: Some(format),
            bytes: 1000,
            lines: 4,
            parsed: 4,
            ..Default::default()
        })
        .collect::<Vec<_>>();
    let mut report = IngestReport { files };
    let codex = &mut report.files[0];
    codex.lines = 10;
    codex.parsed = 9;
    codex.malformed = 1;
    codex.issues = vec![LineIssue {
        line: 10,
        reason: s("not JSON"),
    }];
    report
}

fn audit_report() -> AuditReport {
    let finding = |check: &str, file: &str, at: Source, sid: Option<&str>, message: &str| Finding {
        check_id: s(check),
        file: s(file),
        line: at.line,
        source: at,
        session_id: sid.map(s),
        message: s(message),
    };
    let check = |id: &str, title: &str, findings: Vec<Finding>| CheckResult {
        id: s(id),
        title: s(title),
        explanation: String::new(),
        rows_checked: 3,
        violations: findings.len() as u64,
        status: if findings.is_empty() {
            CheckStatus::Pass
        } else {
            CheckStatus::Fail
        },
        findings,
    };
    AuditReport {
        checks: vec![
            check(
                "A1",
                "total = input + output",
                vec![finding(
                    "A1",
                    "/home/ana/logs/codex.jsonl",
                    src(0, 9),
                    Some("s1"),
                    "total 0 != -5 + 5",
                )],
            ),
            check(
                "T1",
                "Tool audit status",
                vec![finding(
                    "T1",
                    "tool_audit/2025-09-25.jsonl",
                    src(2, 1),
                    None,
                    "status maybe is unknown",
                )],
            ),
        ],
        reconciliation: vec![],
    }
}

fn read_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("record").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn column<'a>(header: &[String], row: &'a [String], name: &str) -> &'a str {
    let i = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    &row[i]
}

// ---------------------------------------------------------------- CSV text

#[test]
fn query_messages_csv_is_exact_rfc4180_text() {
    let expected = concat!(
        "session_id,ts_utc,text,file,line\r\n",
        "s1,2025-09-25T01:00:02.000Z,fix the bug,/home/ana/logs/codex.jsonl,3\r\n",
        "s1,2025-09-25T01:00:20.000Z,\"'=1+1, \"\"quoted\"\"\nnext\",/home/ana/logs/codex.jsonl,7\r\n",
        "s2,2025-09-15T01:00:00.000Z,<script>alert(1)</script> | `rm -rf /` # x,/home/ana/logs/claude.jsonl,2\r\n",
    );
    assert_eq!(world().file("query_messages.csv"), expected);
}

#[test]
fn routing_ingest_and_findings_csv_are_exact() {
    let w = world();
    assert_eq!(
        w.file("routing_context.csv"),
        concat!(
            "session_id,ts_utc,turn_id,model,effort,approval_policy,sandbox_policy,cwd,file,line\r\n",
            "s1,2025-09-25T01:00:01.000Z,,gpt-5-codex,high,,,/home/ana/shop,/home/ana/logs/codex.jsonl,2\r\n",
        )
    );
    assert_eq!(
        w.file("ingest_report.csv"),
        concat!(
            "file,format,bytes,lines,parsed,skipped,duplicates,malformed,note\r\n",
            "/home/ana/logs/codex.jsonl,codex,1000,10,9,0,0,1,malformed lines listed in audit_findings.csv (INGEST)\r\n",
            "/home/ana/logs/claude.jsonl,claude-code,1000,4,4,0,0,0,\r\n",
            "tool_audit/2025-09-25.jsonl,tool-audit,1000,4,4,0,0,0,\r\n",
            "relay-calls.ndjson,relay-calls,1000,4,4,0,0,0,\r\n",
        )
    );
    assert_eq!(
        w.file("audit_findings.csv"),
        concat!(
            "check_id,title,file,line,session_id,message\r\n",
            "A1,total = input + output,/home/ana/logs/codex.jsonl,9,s1,total 0 != -5 + 5\r\n",
            "T1,Tool audit status,tool_audit/2025-09-25.jsonl,1,,status maybe is unknown\r\n",
            "INGEST,Malformed line,/home/ana/logs/codex.jsonl,10,,not JSON\r\n",
        )
    );
}

#[test]
fn formula_cells_are_neutralised_and_numbers_stay_numbers() {
    #[rustfmt::skip]
    let cases: &[(Cell, &str)] = &[
        (Cell::text("=1+1"), "'=1+1"),
        (Cell::text("+x"), "'+x"),
        (Cell::text("-x"), "'-x"),
        (Cell::text("@x"), "'@x"),
        (Cell::text("\tx"), "'\tx"),
        (Cell::text("\rx"), "'\rx"),
        (Cell::text("-5"), "'-5"),          // text from a log, even if it looks numeric
        (Cell::text("a=1"), "a=1"),         // only the first character matters
        (Cell::text(" =1"), " =1"),
        (Cell::text(""), ""),
        (Cell::Int(-5), "-5"),              // a number we write stays a number
        (Cell::UInt(7), "7"),
        (Cell::Float(-0.25), "-0.25"),
        (Cell::Float(f64::NAN), ""),
        (Cell::Usd(0.1 + 0.2), "0.3"),     // 0.30000000000000004: float noise hidden
        (Cell::Usd(2.0), "2"),
        (Cell::opt_usd(None), ""),
        (Cell::Bool(true), "true"),
    ];
    for (cell, want) in cases {
        assert_eq!(cell.render(), *want, "{cell:?}");
    }
}

#[test]
fn datasets_neutralise_log_text_but_not_negative_counts() {
    let w = world();
    let (h, rows) = read_csv(&w.file("usage_tokens.csv"));
    assert_eq!(rows.len(), 3);
    let cells = |i: usize, names: &[&str]| {
        names
            .iter()
            .map(|n| column(&h, &rows[i], n).to_string())
            .collect::<Vec<_>>()
    };
    let names = [
        "input_tokens",
        "raw_input_tokens",
        "total_tokens",
        "cost_usd",
        "priced",
        "vendor",
    ];
    assert_eq!(
        cells(0, &names),
        ["1000", "1000", "1050", "0.0125", "true", "openai"]
    );
    assert_eq!(cells(1, &names), ["-5", "-5", "0", "0", "true", "openai"]);
    assert_eq!(
        cells(2, &names),
        ["300", "300", "320", "", "false", "anthropic"]
    );

    let (h, rows) = read_csv(&w.file("tool_audit.csv"));
    assert_eq!(column(&h, &rows[0], "args_snippet"), "'@SUM(A1)");
}

#[test]
fn commas_quotes_and_newlines_round_trip_through_the_csv_crate() {
    let mut w = world();
    let hostile = [
        "a,b",
        "say \"hi\"",
        "line1\nline2",
        "cr\rlf\r\n",
        "plain",
        "ünï😀",
    ];
    w.tables.queries = hostile
        .iter()
        .enumerate()
        .map(|(i, text)| Query {
            session_id: s("s1"),
            source: src(0, i as u32 + 1),
            ts_ms: None,
            text: s(text),
        })
        .map(agent_ledger::model::Row::new).collect();
    let (header, rows) = read_csv(&w.file("query_messages.csv"));
    assert_eq!(header, ["session_id", "ts_utc", "text", "file", "line"]);
    let texts: Vec<&str> = rows.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(texts, hostile);
    assert!(
        rows.iter().all(|r| r[1].is_empty()),
        "unknown time is an empty cell"
    );
}

// ---------------------------------------------------------------- catalog and zip

#[test]
fn catalog_rows_and_bytes_equal_the_written_csvs() {
    let files = world().files();
    let catalog: serde_json::Value = serde_json::from_slice(
        &files
            .iter()
            .find(|f| f.name == "catalog.json")
            .unwrap()
            .bytes,
    )
    .unwrap();
    let entries = catalog["datasets"].as_array().expect("datasets");
    let names: Vec<&str> = entries
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, export::CSV_NAMES);
    // Rows per dataset, counted by hand from `world()`.
    let expected_rows = [2, 1, 3, 3, 2, 2, 2, 3, 4];
    for (entry, want_rows) in entries.iter().zip(expected_rows) {
        let name = entry["name"].as_str().unwrap();
        let csv = files.iter().find(|f| f.name == name).unwrap();
        let (header, rows) = read_csv(std::str::from_utf8(&csv.bytes).unwrap());
        assert_eq!(entry["bytes"], csv.bytes.len(), "{name}");
        assert_eq!(entry["rows"], rows.len(), "{name}");
        assert_eq!(rows.len(), want_rows, "{name}");
        assert_eq!(entry["columns"], serde_json::json!(header), "{name}");
        assert_eq!(entry["truncated"], false, "{name}");
        assert!(entry.get("rows_before_cap").is_none(), "{name}");
        assert!(
            rows.iter().all(|r| r.len() == header.len()),
            "{name}: every row as wide as the header"
        );
    }
}

#[test]
fn zip_holds_exactly_the_fourteen_files_byte_for_byte() {
    let files = world().files();
    let names: Vec<&str> = files.iter().map(|f| f.name).collect();
    assert_eq!(names, export::ALL_NAMES);
    let zip = files
        .iter()
        .find(|f| f.name == "agent-ledger-export.zip")
        .unwrap();
    assert_eq!(zip.mime, "application/zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&zip.bytes)).expect("a valid zip");
    let inside: Vec<String> = archive
        .file_names()
        .map(|n| n.expect("UTF-8 name").into_owned())
        .collect();
    let mut sorted = inside.clone();
    sorted.sort();
    // Every download but the zip itself.
    let mut want: Vec<&str> = export::ALL_NAMES[..export::ALL_NAMES.len() - 1].to_vec();
    want.sort();
    assert_eq!(sorted, want);
    for f in files.iter().filter(|f| f.name != "agent-ledger-export.zip") {
        let mut entry = archive.by_name(f.name).expect(f.name);
        // Parquet files are Snappy-compressed already: stored; everything else deflated.
        let method = if f.name.ends_with(".parquet") {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        assert_eq!(entry.compression(), method, "{}", f.name);
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        assert_eq!(bytes, f.bytes, "{} inside the zip", f.name);
        // Generated at T0 + 1 day = 2025-09-26T01:00:00Z.
        let time = entry.last_modified().expect("a modification time");
        let got = (
            time.year(),
            time.month(),
            time.day(),
            time.hour(),
            time.minute(),
            time.second(),
        );
        assert_eq!(got, (2025, 9, 26, 1, 0, 0), "{}", f.name);
    }
}

#[test]
fn single_file_builds_equal_the_full_build() {
    let w = world();
    let all = w.files();
    let summary = w.summary();
    for f in &all {
        let one = export::build_file(&w.input(&summary), f.name).expect(f.name);
        assert_eq!(&one, f, "{}", f.name);
    }
    assert!(export::build_file(&w.input(&summary), "other.csv").is_none());
}

// ---------------------------------------------------------------- report.md

#[test]
fn markdown_escape_table() {
    use agent_ledger::export::markdown::escape;
    #[rustfmt::skip]
    let cases = [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("a | b", "a \\| b"),
        ("`code`", "\\`code\\`"),
        ("# heading", "\\# heading"),
        ("- item", "\\- item"),
        ("1. item", "1\\. item"),
        ("*bold* _it_ ~s~", "\\*bold\\* \\_it\\_ \\~s\\~"),
        ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
        ("![img](x)", "!\\[img\\](x)"),
        ("a & b", "a &amp; b"),
        ("&lt;", "&amp;lt;"),
        ("back\\slash", "back\\\\slash"),
        ("two\nlines\r\n\there", "two lines   here"),
        ("  padded  ", "padded"),
        ("@team $x$", "\\@team \\$x\\$"),
        ("rtl\u{202E}txt", "rtl\u{FFFD}txt"),
        ("bell\u{7}", "bell\u{FFFD}"),
        ("plain words, 3-4 ok.", "plain words, 3-4 ok."),
    ];
    for (input, want) in cases {
        assert_eq!(escape(input), want, "{input:?}");
    }
}

#[test]
fn report_numbers_read_with_thousands_separators() {
    use agent_ledger::export::markdown::{count, plural, thousands};
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(1_000), "1,000");
    assert_eq!(thousands(-1_234_567), "-1,234,567");
    assert_eq!(thousands(i64::MIN), "-9,223,372,036,854,775,808");
    assert_eq!(count(u64::MAX), "18,446,744,073,709,551,615");
    assert_eq!(
        (plural(1, "row"), plural(2, "row"), plural(1_000, "row")),
        (s("1 row"), s("2 rows"), s("1,000 rows"))
    );
}

#[test]
fn report_escapes_hostile_text_and_names_what_it_covers() {
    let md = world().file("report.md");
    assert!(!md.contains("<script>"), "raw HTML from a log");
    assert!(
        md.contains("> &lt;script&gt;alert(1)&lt;/script&gt; \\| \\`rm -rf /\\` \\# x\n"),
        "{md}"
    );
    assert!(
        md.contains("- Generated: 2025-09-26T01:00:00.000Z by agent-ledger "),
        "{md}"
    );
    assert!(
        md.contains("- Prices: test prices\n- Filters: none\n- Redaction: "),
        "{md}"
    );
    // Totals: 1,050 + 0 + 320 tokens; $0.0125 + $0 priced, one row unpriced.
    assert!(
        md.contains("| Total tokens | 1,370 |\n| Cost (USD) | $0.0125 + 1 row unpriced |\n"),
        "{md}"
    );
    assert!(
        md.contains("| A1 | total = input + output | 3 | 1 | fail |"),
        "{md}"
    );
    assert!(
        md.contains("| API calls | 2 (cost as logged $0.5000) |"),
        "{md}"
    );
    // The session-less finding goes under "Other findings".
    assert!(md.contains("## Other findings\n\n- T1 at tool\\_audit/2025-09-25.jsonl:1: status maybe is unknown\n"), "{md}");
}

#[test]
fn report_lists_each_session_with_prompts_events_and_findings() {
    let md = world().file("report.md");
    // s2 started ten days before s1, so it comes first.
    let s2 = md.find("### 1. Session s2").expect("s2 first");
    let s1 = md.find("### 2. Session s1").expect("s1 second");
    assert!(s2 < s1);
    let expected_s1 = "### 2. Session s1

| | |
|---|---|
| Workspace | /home/ana/shop |
| Format | codex |
| Model(s) | gpt-5-codex |
| Start | 2025-09-25T01:00:00.000Z |
| End | 2025-09-25T01:01:00.000Z |
| Prompts | 2 |
| Tool calls | 1 |
| Tokens | input 995 (cached 200), output 55 (reasoning 10), total 1,050 in 2 requests |
| Cost | $0.0125 |
| Log | /home/ana/logs/codex.jsonl:1 |

#### Prompt 1 · 2025-09-25T01:00:02.000Z

> fix the bug

- Tool call shell: ok, 400 ms, exit 0
- Usage: 1 request, input 1,000 (cached 200), output 50 (reasoning 10), total 1,050, cost $0.0125

#### Prompt 2 · 2025-09-25T01:00:20.000Z

> \\=1+1, \"quoted\" next

- Usage: 1 request, input -5 (cached 0), output 5 (reasoning 0), total 0, cost $0.0000

#### Findings

- A1 at /home/ana/logs/codex.jsonl:9: total 0 != -5 + 5

";
    assert!(md[s1..].starts_with(expected_s1), "{}", &md[s1..]);
    assert!(
        md[s2..s1].contains("| Cost | unpriced (1 row) |"),
        "{}",
        &md[s2..s1]
    );
    assert!(
        md[s2..s1].contains("- Tool call Read: error\n"),
        "{}",
        &md[s2..s1]
    );
}

#[test]
fn report_groups_a_real_rollout_fixture_by_prompt() {
    // tests/fixtures/export/rollout-…-export-s1.jsonl: line 3 prompt 1, lines 4–5 shell call
    // (0.4 s, exit 0), line 6 usage 1,000 tokens; line 7 prompt 2, lines 8–9 shell (2.5 s, exit 1),
    // line 10 usage 500 tokens; line 11 is not JSON.
    let (name, bytes) = common::fixture("export/rollout-2026-11-20T09-00-00-export-s1.jsonl");
    let ledger = agent_ledger::ingest::ingest_all([(name.as_str(), bytes.as_slice())]);
    let t = &ledger.tables;
    assert_eq!(
        (t.queries.len(), t.tool_calls.len(), t.usage.len()),
        (2, 2, 2)
    );
    let costs = vec![Some(0.01), None];
    let summary = rollup::summarize(t, &costs, &Zone::utc());
    let (filter, redaction, settings, meta) = (
        Filter::default(),
        Redaction::default(),
        ExportSettings::default(),
        ReportMeta::default(),
    );
    let audit = AuditReport::default();
    let input = ExportInput {
        tables: t,
        usage_costs: &costs,
        ingest: &ledger.report,
        audit: &audit,
        summary: &summary,
        filter: &filter,
        redaction: &redaction,
        redaction_report: None,
        settings: &settings,
        meta: &meta,
    };
    let md = String::from_utf8(export::build_file(&input, "report.md").unwrap().bytes).unwrap();
    let expected = "#### Prompt 1 · 2026-11-20T09:00:02.000Z

> Fix \\`&lt;script&gt;alert(1)&lt;/script&gt;\\` \\| \\# now

- Tool call shell: ok, 400 ms, exit 0
- Usage: 1 request, input 900 (cached 100), output 100 (reasoning 40), total 1,000, cost $0.0100

#### Prompt 2 · 2026-11-20T09:00:06.000Z

> \\=1+1, \"quoted\" second line

- Tool call shell: error, 2.5 s, exit 1
- Usage: 1 request, input 400 (cached 300), output 100 (reasoning 0), total 500, cost unpriced (1 row)

";
    assert!(md.contains(expected), "{md}");
    assert!(md.contains("- Generated: unknown"), "{md}");

    let ingest_csv = String::from_utf8(
        export::build_file(&input, "ingest_report.csv")
            .unwrap()
            .bytes,
    )
    .unwrap();
    let (_, rows) = read_csv(&ingest_csv);
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0][1..8],
        ["codex", "2454", "11", "10", "0", "0", "1"].map(String::from)
    );
    let (_, findings) = read_csv(
        &String::from_utf8(
            export::build_file(&input, "audit_findings.csv")
                .unwrap()
                .bytes,
        )
        .unwrap(),
    );
    assert_eq!(findings.len(), 1);
    assert_eq!(
        findings[0][..5],
        ["INGEST", "Malformed line", name.as_str(), "11", ""].map(String::from)
    );
}

// ---------------------------------------------------------------- filters, retention, cap

/// [sessions, routing, queries, usage, tool calls, tool audit, API calls] kept.
fn kept(t: &Tables) -> [usize; 7] {
    [
        t.sessions.len(),
        t.routing.len(),
        t.queries.len(),
        t.usage.len(),
        t.tool_calls.len(),
        t.tool_audit.len(),
        t.api_calls.len(),
    ]
}

/// (name, filter, rows kept as in [`kept`], the kept usage rows' costs).
type FilterCase = (&'static str, Filter, [usize; 7], Vec<Option<f64>>);

#[test]
fn filters_and_retention_drop_exactly_the_rows_they_should() {
    let w = world();
    let f = |edit: fn(&mut Filter)| {
        let mut f = Filter::default();
        edit(&mut f);
        f
    };
    #[rustfmt::skip]
    let cases: Vec<FilterCase> = vec![
        ("none", Filter::default(), [2, 1, 3, 3, 2, 2, 2], vec![Some(0.0125), Some(0.0), None]),
        // s1 used gpt-5-codex; its model-less rows follow it; the tool-audit rows name another
        // model or none; API call 1 names gpt-5-codex.
        ("model", f(|f| f.models = vec![s("gpt-5-codex")]), [1, 1, 2, 2, 1, 0, 1], vec![Some(0.0125), Some(0.0)]),
        ("model claude", f(|f| f.models = vec![s("claude-sonnet-4-5")]), [1, 0, 1, 1, 1, 0, 1], vec![None]),
        ("workspace", f(|f| f.workspaces = vec![s("/home/ana/blog")]), [1, 0, 1, 1, 1, 0, 0], vec![None]),
        ("session", f(|f| f.sessions = vec![s("s1")]), [1, 1, 2, 2, 1, 0, 0], vec![Some(0.0125), Some(0.0)]),
        ("format", f(|f| f.formats = vec![Format::ToolAudit]), [0, 0, 0, 0, 0, 2, 0], vec![]),
        // [T0+1s, T0+20s): routing at 1 s (inclusive bound), prompt at 2 s, call at 3 s, usage
        // at 5 s; the prompt at 20 s (exclusive bound), usage at 25 s, tool audit at 30 s (and
        // the one without a time), API calls at 40 s and -40 days, and all of s2 are out.
        ("window", f(|f| { f.from_ms = Some(T0 + SEC); f.to_ms = Some(T0 + 20 * SEC); }), [1, 1, 1, 1, 1, 0, 0], vec![Some(0.0125)]),
        // 7 days before T0+1 day: s2 (-10 days) and API call 2 (-40 days) go; the tool-audit row
        // without a time stays (its age is unknown).
        ("retention", f(|f| { f.retention_days = Some(7); f.now_ms = T0 + DAY; }), [1, 1, 2, 2, 1, 2, 1], vec![Some(0.0125), Some(0.0)]),
        ("retention 20", f(|f| { f.retention_days = Some(20); f.now_ms = T0 + DAY; }), [2, 1, 3, 3, 2, 2, 1], vec![Some(0.0125), Some(0.0), None]),
    ];
    for (name, filter, want, want_costs) in cases {
        let out = export::prepare(&w.tables, &w.costs, &filter, &Redaction::default());
        assert_eq!(kept(&out.tables), want, "{name}");
        assert_eq!(
            out.usage_costs, want_costs,
            "{name}: costs follow their rows"
        );
        assert_eq!(out.tables.files.len(), 4, "{name}: files are kept whole");
        assert!(
            out.tables
                .usage
                .iter()
                .zip(&out.kept_usage)
                .all(|(u, &i)| u.source == w.tables.usage[i].source),
            "{name}"
        );
    }
}

#[test]
fn filtered_exports_and_report_header_follow_the_filter() {
    let mut w = world();
    w.filter = Filter {
        sessions: vec![s("s2")],
        retention_days: Some(30),
        now_ms: T0,
        ..Default::default()
    };
    let out = export::prepare(&w.tables, &w.costs, &w.filter, &w.redaction);
    w.tables = out.tables;
    w.costs = out.usage_costs;
    let (_, rows) = read_csv(&w.file("usage_tokens.csv"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "s2");
    let md = w.file("report.md");
    assert!(md.contains("- Filters: sessions: s2; retention: 30 days (records before 2025-08-26T01:00:00.000Z dropped)\n"), "{md}");
    assert!(!md.contains("Session s1"), "{md}");
}

#[test]
fn row_cap_truncates_every_csv_and_the_catalog_says_so() {
    let mut w = world();
    w.settings.row_cap = Some(1);
    let files = w.files();
    let catalog: serde_json::Value = serde_json::from_slice(
        &files
            .iter()
            .find(|f| f.name == "catalog.json")
            .unwrap()
            .bytes,
    )
    .unwrap();
    // Rows before the cap, as in `catalog_rows_and_bytes_equal_the_written_csvs`.
    let before = [2, 1, 3, 3, 2, 2, 2, 3, 4];
    for (entry, before) in catalog["datasets"].as_array().unwrap().iter().zip(before) {
        let name = entry["name"].as_str().unwrap();
        let csv = files.iter().find(|f| f.name == name).unwrap();
        let (_, rows) = read_csv(std::str::from_utf8(&csv.bytes).unwrap());
        assert_eq!(rows.len(), 1, "{name}");
        assert_eq!(entry["rows"], 1, "{name}");
        assert_eq!(entry["bytes"], csv.bytes.len(), "{name}");
        assert_eq!(entry["truncated"], before > 1, "{name}");
        if before > 1 {
            assert_eq!(entry["rows_before_cap"], before, "{name}");
        } else {
            assert!(entry.get("rows_before_cap").is_none(), "{name}");
        }
    }
    w.settings.row_cap = Some(0);
    assert_eq!(w.file("usage_tokens.csv").lines().count(), 1, "header only");
}

// ---------------------------------------------------------------- redaction

#[test]
fn redaction_removes_the_text_from_every_file_and_the_zip() {
    // The four switches of round 1 (prompts, tool arguments, tool results, paths) are rules now;
    // a custom rule takes the remote's host, which "paths" used to drop with the rest.
    let mut w = world();
    for id in ["whole-prompt", "whole-tool-arguments", "whole-tool-results", "home-directory", "user-name"] {
        assert!(w.redaction.set_enabled(id, true), "{id}");
    }
    w.redaction.add_custom("hosts", r"[a-z0-9-]+\.com\b", "<host>").unwrap();
    let files = w.files();
    let zip = files
        .iter()
        .find(|f| f.name == "agent-ledger-export.zip")
        .unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&zip.bytes)).unwrap();
    let mut contents: Vec<(String, String)> = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        // The database and the Parquet files are binary: their ASCII survives a lossy read.
        let text = String::from_utf8_lossy(&bytes).into_owned();
        contents.push((entry.name().expect("UTF-8 name").into_owned(), text));
    }
    assert_eq!(contents.len(), export::ALL_NAMES.len() - 1);
    let secrets = [
        "fix the bug",
        "quoted",
        "script",
        "ls -la",
        "@SUM",
        "secret result",
        "/home/ana",
        "github.com",
    ];
    for (name, text) in &contents {
        for secret in secrets {
            assert!(
                !text.contains(secret),
                "{name} still holds {secret:?}:\n{text}"
            );
        }
    }
    let (h, rows) = read_csv(&w.file("query_messages.csv"));
    let texts: Vec<&str> = rows.iter().map(|r| column(&h, r, "text")).collect();
    assert_eq!(texts, ["[REDACTED:prompt]"; 3]);
    assert_eq!(
        rows.iter()
            .map(|r| column(&h, r, "file"))
            .collect::<Vec<_>>(),
        ["/home/<user>/logs/codex.jsonl", "/home/<user>/logs/codex.jsonl", "/home/<user>/logs/claude.jsonl"]
    );
    let (h, rows) = read_csv(&w.file("sessions.csv"));
    assert_eq!(column(&h, &rows[0], "workspace"), "/home/<user>/shop");
    // "ana" is a user (tool audit, home directories); "bo" is too short to be masked safely.
    assert_eq!(column(&h, &rows[1], "git_remote"), "git@<host>:<user>/blog.git");
    let summary: serde_json::Value = serde_json::from_str(&w.file("summary.json")).unwrap();
    let workspaces: Vec<&str> = summary["by_workspace"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["workspace"].as_str().unwrap())
        .collect();
    // In the summary's order (shop's 1,050 tokens before blog's 320).
    assert_eq!(workspaces, ["/home/<user>/shop", "/home/<user>/blog"]);
    let users: Vec<&str> = summary["tool_audit"]["by_user"].as_array().unwrap().iter().map(|g| g["key"].as_str().unwrap()).collect();
    assert_eq!(users, ["<user>", "bo"]);
    let md = w.file("report.md");
    assert!(md.contains("rules on, 0 manual redactions (listed under Redaction)\n"), "{md}");
    // Three prompts, two argument snippets (the empty one stays empty), one result.
    assert!(md.contains("| whole-prompt | Whole prompts | personal | yes | 3 |"), "{md}");
    assert!(md.contains("| whole-tool-arguments | Whole tool arguments | personal | yes | 2 |"), "{md}");
    assert!(md.contains("| whole-tool-results | Whole tool results | personal | yes | 1 |"), "{md}");
}

// ---------------------------------------------------------------- real corpus

#[test]
fn real_corpus_exports_are_consistent() {
    let Some(dir) = common::real_corpus("") else {
        return;
    };
    let mut logs = Vec::new();
    for sub in ["codex-rollout", "claude-code", "gemini-cli"] {
        logs.extend(common::read_jsonl_files(&dir.join(sub)));
    }
    let ledger = common::ingest(&logs);
    let t = &ledger.tables;
    let prices = agent_ledger::pricing::PriceBook::builtin();
    let costs: Vec<Option<f64>> = t.usage.iter().map(|u| prices.usage_cost(u)).collect();
    let audit = agent_ledger::audit::run(t, &prices);
    let issues: usize = ledger.report.files.iter().map(|f| f.issues.len()).sum();
    // One row per record: the tables' lengths, findings plus malformed lines, files.
    let table_rows = [
        t.sessions.len(),
        t.routing.len(),
        t.queries.len(),
        t.usage.len(),
        t.tool_calls.len(),
        t.tool_audit.len(),
        t.api_calls.len(),
        audit.findings().count() + issues,
        ledger.report.files.len(),
    ];
    let mut w = World {
        tables: t.clone(),
        costs,
        ingest: ledger.report.clone(),
        audit,
        filter: Filter::default(),
        redaction: Redaction::default(),
        redaction_report: None,
        settings: ExportSettings::default(),
        meta: ReportMeta::default(),
    };
    let files = w.files();
    assert!(t.usage.len() > 100 && t.queries.len() > 10, "the corpus was read");
    let catalog: serde_json::Value = serde_json::from_slice(&files[11].bytes).unwrap();
    for (i, entry) in catalog["datasets"].as_array().unwrap().iter().enumerate() {
        let csv = &files[i];
        let (header, rows) = read_csv(std::str::from_utf8(&csv.bytes).unwrap());
        assert_eq!(entry["rows"], rows.len(), "{}", csv.name);
        assert_eq!(entry["bytes"], csv.bytes.len(), "{}", csv.name);
        assert!(rows.iter().all(|r| r.len() == header.len()), "{}", csv.name);
        assert_eq!(rows.len(), table_rows[i], "{}: one row per record", csv.name);
    }
    let md = std::str::from_utf8(&files[12].bytes).unwrap();
    assert_eq!(md.matches("\n### ").count(), t.sessions.len(), "one section per session");
    // A redacted export of the same corpus holds none of the prompts.
    w.redaction.set_enabled("whole-prompt", true);
    let queries = w.file("query_messages.csv");
    let (h, rows) = read_csv(&queries);
    assert_eq!(rows.len(), t.queries.len());
    assert!(rows.iter().all(|r| column(&h, r, "text") == "[REDACTED:prompt]" || column(&h, r, "text").is_empty()));
}
