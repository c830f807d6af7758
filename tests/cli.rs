//! The command-line twin (issue 17 item 5): the built `agent-ledger` binary against the page's own
//! path (one `Ingest` fed the files in name order, then `ui::state::analyze`'s steps and
//! `export::build_all`), byte for byte, on the real corpus and on a generated mixed folder; the
//! parallel ingest against one `Ingest`; filters, exit codes and bad input.
//!
//! The generation time is fixed with `--generated-at`, so every file, the zip included, must be
//! identical. Filter expectations are counted by hand from small logs written here.

mod common;

use agent_ledger::export::{self, ExportSettings, Filter, Redaction, ReportMeta};
use agent_ledger::ingest::{Ingest, Ledger};
use agent_ledger::model::Millis;
use agent_ledger::pricing::PriceBook;
use agent_ledger::rollup::{self, Zone};
use agent_ledger::synth::{self, Profile};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

const BIN: &str = env!("CARGO_BIN_EXE_agent-ledger");
const GENERATED_AT: &str = "2026-01-02T03:04:05Z";
const GENERATED_AT_MS: Millis = 1_767_323_045_000;
const DAY: Millis = 86_400_000;

/// A fresh folder under the target directory, of its own for each call (tests run in parallel).
fn scratch(tag: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{tag}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The real corpus, or `None` (with a note) when it is absent; under CI its absence fails.
fn real_corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/real"));
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(std::env::var_os("CI").is_none(), "CI is set but {} is absent", dir.display());
    eprintln!("SKIPPED: {} is absent", dir.display());
    None
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Every file under `dir`, named as the page names a dropped folder (`<folder>/<path inside>`),
/// sorted by name byte-wise as the page sorts them. Written here, not taken from the CLI.
fn dropped_folder(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn visit(dir: &Path, name: &str, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let child = format!("{name}/{}", e.file_name().to_str().unwrap());
            if e.file_type().unwrap().is_dir() {
                visit(&e.path(), &child, out);
            } else {
                out.push((child, std::fs::read(e.path()).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    visit(dir, dir.file_name().unwrap().to_str().unwrap(), &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// What the page does with these files: one `Ingest`, fed in order, then the analysis of
/// `ui::state::analyze` (built-in prices, filter, audit, rollups) and `export::build_all`.
fn page_downloads(files: &[(String, Vec<u8>)], filter: &Filter, zone: &Zone) -> Vec<export::ExportFile> {
    let ledger = common::ingest(files);
    let prices = PriceBook::builtin();
    let costs = prices.usage_costs(&ledger.tables.usage);
    let redaction = Redaction::default();
    // The page prepares a copy only when a filter or a redaction rule is set (the secret rules
    // are, by default).
    let (tables, costs, report) = if filter.is_empty() && redaction.is_empty() {
        (ledger.tables.clone(), costs, None)
    } else {
        let view = export::prepare(&ledger.tables, &costs, filter, &redaction);
        (view.tables, view.usage_costs, Some(view.redaction))
    };
    let audit = agent_ledger::audit::run(&tables, &prices);
    let summary = rollup::summarize(&tables, &costs, zone);
    let info = prices.snapshot_info();
    let meta = ReportMeta {
        generated_at_ms: Some(GENERATED_AT_MS),
        price_snapshot: format!("{} (snapshot {})", info.source, info.snapshot_date),
        machine: String::new(),
    };
    let input = export::ExportInput {
        tables: &tables,
        usage_costs: &costs,
        ingest: &ledger.report,
        audit: &audit,
        summary: &summary,
        filter,
        redaction: &redaction,
        redaction_report: report.as_ref(),
        settings: &ExportSettings::default(),
        meta: &meta,
    };
    export::build_all(&input)
}

/// Run the binary on `dir` and compare every file it wrote with the page's.
fn assert_same_as_page(dir: &Path, extra: &[&str], filter: &Filter, zone: &Zone) {
    let out = scratch(&format!("out-{}", dir.file_name().unwrap().to_str().unwrap()));
    let mut args = vec!["--out", out.to_str().unwrap(), "--generated-at", GENERATED_AT];
    args.extend_from_slice(extra);
    args.push(dir.to_str().unwrap());
    let res = run(&args);
    assert!(res.status.success(), "{}", text(&res.stderr));
    // Not a terminal: no progress, and nothing went wrong.
    assert_eq!(text(&res.stderr), "");
    let expected = page_downloads(&dropped_folder(dir), filter, zone);
    assert_eq!(expected.len(), export::ALL_NAMES.len());
    let mut written: Vec<String> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    written.sort();
    let mut names: Vec<String> = export::ALL_NAMES.iter().map(|s| s.to_string()).collect();
    names.sort();
    assert_eq!(written, names, "exactly the page's download names");
    for f in &expected {
        let got = std::fs::read(out.join(f.name)).unwrap();
        assert!(got == f.bytes, "{} differs ({} bytes written, {} expected)", f.name, got.len(), f.bytes.len());
    }
    std::fs::remove_dir_all(&out).unwrap();
}

/// The small generated profile (every format, gzip, forks, sub-agents, corner cases) written
/// under a folder named `mixed`.
fn generated_folder() -> PathBuf {
    let root = scratch("generated").join("mixed");
    for f in synth::generate_all(&Profile::small(), 7) {
        let path = root.join(&f.name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &f.bytes).unwrap();
    }
    root
}

#[test]
fn real_corpus_exports_equal_the_pages_downloads() {
    let Some(dir) = real_corpus() else { return };
    assert_same_as_page(&dir, &[], &Filter::default(), &Zone::utc());
}

#[test]
fn generated_folder_exports_equal_the_pages_downloads_with_and_without_filters() {
    let dir = generated_folder();
    assert_same_as_page(&dir, &["--threads", "3"], &Filter::default(), &Zone::utc());
    // The small profile spans 2026-11-16 to 2026-11-20: keep the middle three days, with the
    // rollups in Tokyo time.
    let from = agent_ledger::timefmt::parse_iso("2026-11-17T00:00:00Z").unwrap();
    let filter = Filter { from_ms: Some(from), to_ms: Some(from + 3 * DAY), ..Default::default() };
    let zone = Zone::named("Asia/Tokyo").unwrap();
    let flags = ["--since", "2026-11-17", "--until", "2026-11-19", "--tz", "Asia/Tokyo"];
    assert_same_as_page(&dir, &flags, &filter, &zone);
    std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
}

/// The parallel read (one `Ingest` per file, joined) against one `Ingest` fed every file in
/// order, on more threads than files share a core.
fn assert_parallel_equals_single(dir: &Path) {
    let (inputs, problems) = agent_ledger::cli::walk::walk(&[dir.to_path_buf()]).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
    let counters = agent_ledger::cli::progress::Counters::default();
    let parallel = pool.install(|| agent_ledger::cli::read::ingest(&inputs, &counters));
    let files = dropped_folder(dir);
    let mut one = Ingest::new();
    for (name, bytes) in &files {
        one.add_file(name.clone(), bytes);
    }
    let single: Ledger = one.finish();
    assert_eq!(parallel.report.files.len(), files.len());
    let json = |l: &Ledger| (serde_json::to_string(&l.tables).unwrap(), serde_json::to_string(&l.report).unwrap());
    let (pt, pr) = json(&parallel);
    let (st, sr) = json(&single);
    assert!(pt == st, "tables differ");
    assert!(pr == sr, "reports differ");
}

#[test]
fn parallel_ingest_equals_one_ingest_on_the_real_corpus() {
    let Some(dir) = real_corpus() else { return };
    assert_parallel_equals_single(&dir);
}

#[test]
fn parallel_ingest_equals_one_ingest_on_a_generated_folder() {
    let dir = generated_folder();
    assert_parallel_equals_single(&dir);
    std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
}

/// One Claude assistant message (`id`, tokens) at `ts`, in session `s1`.
fn claude_line(id: &str, ts: &str, input: u32, output: u32) -> String {
    format!(
        r#"{{"type":"assistant","sessionId":"s1","cwd":"/w","uuid":"u-{id}","timestamp":"{ts}","requestId":"r-{id}","message":{{"id":"{id}","model":"claude-sonnet-4-5","role":"assistant","stop_reason":"end_turn","content":[{{"type":"text","text":"ok"}}],"usage":{{"input_tokens":{input},"output_tokens":{output}}}}}}}"#
    )
}

/// Three days of one Claude session: 10+1 tokens on 2025-10-01 at 23:30 UTC, 20+2 on 10-02 at
/// noon, 40+4 on 10-03 at 00:30; and a tool-audit log with one row on each of those days.
fn three_days() -> PathBuf {
    let dir = scratch("days").join("logs");
    std::fs::create_dir_all(&dir).unwrap();
    let claude = [
        claude_line("m1", "2025-10-01T23:30:00Z", 10, 1),
        claude_line("m2", "2025-10-02T12:00:00Z", 20, 2),
        claude_line("m3", "2025-10-03T00:30:00Z", 40, 4),
    ];
    std::fs::write(dir.join("session.jsonl"), claude.join("\n")).unwrap();
    let audit: Vec<String> = ["2025-10-01T08:00:00Z", "2025-10-02T08:00:00Z", "2025-10-03T08:00:00Z"]
        .iter()
        .map(|ts| format!(r#"{{"ts":"{ts}","user":"ana","tool":"shell","args":"ls","status":"ok","result_chars":3,"result_snippet":"a b"}}"#))
        .collect();
    std::fs::write(dir.join("2025-10-01.jsonl"), audit.join("\n")).unwrap();
    dir
}

fn totals(args: &[&str]) -> serde_json::Value {
    let res = run(args);
    assert!(res.status.success(), "{}", text(&res.stderr));
    serde_json::from_slice(&res.stdout).expect("--json prints JSON")
}

#[test]
fn since_and_until_keep_the_utc_days_asked_for() {
    let dir = three_days();
    let d = dir.to_str().unwrap();
    let all = totals(&["--json", d]);
    assert_eq!((all["usage_rows"].as_u64(), all["tool_audit_rows"].as_u64()), (Some(3), Some(3)));
    assert_eq!(all["input_tokens"], 70);
    // From 2025-10-02: the rows of the 2nd and 3rd.
    let since = totals(&["--json", "--since", "2025-10-02", d]);
    assert_eq!((since["usage_rows"].as_u64(), since["input_tokens"].as_i64(), since["output_tokens"].as_i64()), (Some(2), Some(60), Some(6)));
    assert_eq!(since["tool_audit_rows"], 2);
    // Up to and including 2025-10-02: the 1st (23:30 UTC is still the 1st) and the 2nd.
    let until = totals(&["--json", "--until", "2025-10-02", d]);
    assert_eq!((until["usage_rows"].as_u64(), until["input_tokens"].as_i64()), (Some(2), Some(30)));
    // One day only.
    let one = totals(&["--json", "--since", "2025-10-02", "--until", "2025-10-02", d]);
    assert_eq!((one["usage_rows"].as_u64(), one["total_tokens"].as_i64(), one["tool_audit_rows"].as_u64()), (Some(1), Some(22), Some(1)));
    std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
}

#[test]
fn json_prints_summary_totals_and_tz_moves_days() {
    let dir = three_days();
    let out = scratch("tz-out");
    let res = run(&["--json", "--tz", "Europe/Berlin", "--out", out.to_str().unwrap(), dir.to_str().unwrap()]);
    assert!(res.status.success(), "{}", text(&res.stderr));
    let printed: serde_json::Value = serde_json::from_slice(&res.stdout).unwrap();
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(printed, summary["totals"]);
    // In Berlin (UTC+2 in October) 23:30 UTC on the 1st is 01:30 on the 2nd, and 00:30 UTC on
    // the 3rd is 02:30 on the 3rd: the 2nd has m1 and m2 (30 + 3 tokens), the 3rd has m3.
    let days: Vec<(String, i64)> = summary["by_day"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["day"].as_str().unwrap().to_string(), d["total_tokens"].as_i64().unwrap()))
        .collect();
    assert_eq!(days, [("2025-10-02".to_string(), 33), ("2025-10-03".to_string(), 44)]);
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
}

#[test]
fn fail_on_findings_exits_1_only_when_a_check_fails() {
    let dir = three_days();
    let d = dir.to_str().unwrap();
    // Clean logs: every check passes.
    assert_eq!(run(&["--json", "--fail-on-findings", d]).status.code(), Some(0));
    // A Codex usage row whose total is not input + output (A1): 100 + 10 != 999.
    let bad = r#"{"timestamp":"2025-10-02T10:00:00Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":100,"cached_input_tokens":0,"output_tokens":10,"reasoning_output_tokens":0,"total_tokens":999},"last_token_usage":{"input_tokens":100,"cached_input_tokens":0,"output_tokens":10,"reasoning_output_tokens":0,"total_tokens":999}}}}"#;
    std::fs::write(dir.join("rollout.jsonl"), bad).unwrap();
    let res = run(&["--json", "--fail-on-findings", d]);
    assert_eq!(res.status.code(), Some(1), "{}", text(&res.stderr));
    assert!(text(&res.stderr).contains("A1"), "{}", text(&res.stderr));
    // Without the flag the same logs are a success.
    assert_eq!(run(&["--json", d]).status.code(), Some(0));
    std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
}

#[test]
fn bad_input_is_named_and_never_stops_the_rest() {
    let dir = three_days();
    let d = dir.to_str().unwrap();
    // A corrupt gzip file, a file that is no log, and a broken link among good logs.
    std::fs::write(dir.join("broken.jsonl.gz"), [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff]).unwrap();
    std::fs::write(dir.join("notes.txt"), "just some notes\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("gone"), dir.join("dangling.jsonl")).unwrap();
    let out = scratch("bad-out");
    let res = run(&["--out", out.to_str().unwrap(), d]);
    assert_eq!(res.status.code(), Some(0), "{}", text(&res.stderr));
    #[cfg(unix)]
    assert!(text(&res.stderr).contains("dangling.jsonl"), "{}", text(&res.stderr));
    let report = text(&std::fs::read(out.join("ingest_report.csv")).unwrap());
    for name in ["logs/broken.jsonl.gz", "logs/notes.txt", "logs/session.jsonl"] {
        assert!(report.contains(name), "{name} in {report}");
    }
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["totals"]["usage_rows"], 3);

    // A path that does not exist: a clear message, status 2, nothing read.
    let missing = dir.join("no-such-folder");
    let res = run(&["--json", d, missing.to_str().unwrap()]);
    assert_eq!(res.status.code(), Some(2));
    assert!(text(&res.stderr).contains("no-such-folder: No such file or directory"), "{}", text(&res.stderr));
    assert!(res.stdout.is_empty());
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
}

#[test]
fn usage_errors_exit_2_with_a_message() {
    let cases: [(&[&str], &str); 4] = [
        (&["--json", "--since", "yesterday", "."], "YYYY-MM-DD"),
        (&["--out"], "--out"),
        (&["."], "nothing to do"),
        (&["--json", "--redaction-rules", "no-such-rules.json", "."], "--redaction-rules no-such-rules.json"),
    ];
    for (args, says) in cases {
        let res = run(args);
        assert_eq!(res.status.code(), Some(2), "{args:?}");
        assert!(text(&res.stderr).contains(says), "{args:?}: {}", text(&res.stderr));
    }
    let help = run(&["--help"]);
    assert!(help.status.success() && text(&help.stdout).contains("--fail-on-findings"));
}

#[test]
fn no_path_reads_the_agents_own_folders() {
    let home = scratch("home");
    let codex = home.join("codex");
    let claude = home.join("claude");
    for dir in [codex.join("sessions/2025/10/01"), codex.join("archived_sessions"), claude.join("projects/-w"), home.join(".gemini/tmp/h/chats"), home.join(".copilot/session-state/c1")] {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(home.join(".copilot/session-state/c1/events.jsonl"), "").unwrap();
    std::fs::write(claude.join("projects/-w/s1.jsonl"), claude_line("m1", "2025-10-01T10:00:00Z", 10, 1)).unwrap();
    std::fs::write(codex.join("archived_sessions/old.jsonl"), "").unwrap();
    // Not one of the agents' folders: never read.
    std::fs::write(home.join("stray.jsonl"), claude_line("m2", "2025-10-01T11:00:00Z", 20, 2)).unwrap();
    let out = home.join("out");
    let env = |c: &mut Command| {
        c.env("HOME", &home).env("CODEX_HOME", &codex).env("CLAUDE_CONFIG_DIR", &claude);
    };
    let mut c = Command::new(BIN);
    env(&mut c);
    let res = c.args(["--out", out.to_str().unwrap()]).output().unwrap();
    assert!(res.status.success(), "{}", text(&res.stderr));
    let report = text(&std::fs::read(out.join("ingest_report.csv")).unwrap());
    // Each folder is named like a dropped folder: its own name, then the path inside it.
    let files: Vec<&str> = report.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(files, ["archived_sessions/old.jsonl", "projects/-w/s1.jsonl", "session-state/c1/events.jsonl"]);

    // None of the folders exists: a clear message and status 2.
    let mut c = Command::new(BIN);
    c.env("HOME", home.join("nobody")).env("CODEX_HOME", home.join("nobody/.codex")).env("CLAUDE_CONFIG_DIR", home.join("nobody/.claude"));
    let res = c.arg("--json").output().unwrap();
    assert_eq!(res.status.code(), Some(2));
    assert!(text(&res.stderr).contains("log folders"), "{}", text(&res.stderr));
    std::fs::remove_dir_all(&home).unwrap();
}
