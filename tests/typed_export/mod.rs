//! Helpers of `tests/sqlite.rs` and `tests/parquet.rs`: exports of three corpora written to a
//! folder, and the Python oracles run over them.
//!
//! The corpora: the real samples (`../shared/corpus/real`), the generator's small profile, and
//! "big": tables made here with 120,000 usage rows (multi-level b-trees), prompts from a few
//! bytes to 20 KB (overflow chains of every length), a session id and a model name longer than an
//! index cell holds (index overflow), and text that the CSVs neutralise.
#![allow(dead_code)]

use agent_ledger::export::{
    self, ExportFile, ExportInput, ExportSettings, Filter, Redaction, ReportMeta,
};
use agent_ledger::ingest::{FileReport, IngestReport, Ledger};
use agent_ledger::model::*;
use agent_ledger::rollup::{self, Zone};
use std::path::{Path, PathBuf};
use std::process::Command;

/// 2026-01-05T00:00:00Z.
pub const T0: Millis = 1_767_571_200_000;

/// Every download of an export of `tables`, with the built-in prices and a real audit.
pub fn export(tables: &Tables, ingest: &IngestReport, redaction: Redaction) -> Vec<ExportFile> {
    export_with_costs(tables, &costs(tables), ingest, redaction)
}

pub fn export_with_costs(
    tables: &Tables,
    costs: &[Option<f64>],
    ingest: &IngestReport,
    redaction: Redaction,
) -> Vec<ExportFile> {
    with_input(tables, costs, ingest, redaction, export::build_all)
}

/// Call `f` with the export input of `tables` (built-in prices, a real audit, no filter).
pub fn with_input<R>(
    tables: &Tables,
    costs: &[Option<f64>],
    ingest: &IngestReport,
    redaction: Redaction,
    f: impl FnOnce(&ExportInput) -> R,
) -> R {
    let prices = agent_ledger::pricing::PriceBook::builtin();
    let audit = agent_ledger::audit::run(tables, &prices);
    let summary = rollup::summarize(tables, costs, &Zone::utc());
    let meta = ReportMeta {
        generated_at_ms: Some(T0 + 86_400_000),
        price_snapshot: "builtin test prices".into(),
        machine: String::new(),
    };
    let input = ExportInput {
        tables,
        usage_costs: costs,
        ingest,
        audit: &audit,
        summary: &summary,
        filter: &Filter::default(),
        redaction: &redaction,
        redaction_report: None,
        settings: &ExportSettings::default(),
        meta: &meta,
    };
    f(&input)
}

/// The built-in prices' cost of every usage row.
pub fn costs(tables: &Tables) -> Vec<Option<f64>> {
    let prices = agent_ledger::pricing::PriceBook::builtin();
    tables.usage.iter().map(|u| prices.usage_cost(u)).collect()
}

/// The folder `target/tmp/<name>` with every file of `files` in it (emptied first).
pub fn write_dir(name: &str, files: &[ExportFile]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    for f in files {
        std::fs::write(dir.join(f.name), &f.bytes).expect("written");
    }
    dir
}

pub fn real_ledger() -> Option<Ledger> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/real"
    ));
    if !dir.is_dir() {
        eprintln!("SKIPPED: ../shared/corpus/real is absent");
        return None;
    }
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for sub in ["codex-rollout", "claude-code", "gemini-cli"] {
        let mut names: Vec<PathBuf> = std::fs::read_dir(dir.join(sub))
            .expect("a corpus folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl" || x == "json"))
            .collect();
        names.sort();
        for p in names {
            let name = format!("{sub}/{}", p.file_name().unwrap().to_string_lossy());
            files.push((name, std::fs::read(&p).expect("readable")));
        }
    }
    Some(agent_ledger::ingest::ingest_all(
        files.iter().map(|(n, b)| (n.as_str(), b.as_slice())),
    ))
}

pub fn generated_ledger() -> Ledger {
    let files = agent_ledger::synth::generate_all(&agent_ledger::synth::Profile::small(), 7);
    agent_ledger::ingest::ingest_all(files.iter().map(|f| (f.name.as_str(), f.bytes.as_slice())))
}

pub const BIG_USAGE_ROWS: usize = 120_000;

/// The big corpus: (tables, costs, ingest report). Costs: every 10th row unpriced, the others
/// a third of a cent plus a little (numbers with long decimals).
pub fn big() -> (Tables, Vec<Option<f64>>, IngestReport) {
    let long_session = format!("long-{}", "séance".repeat(400));
    let long_model = format!("model-{}", "m".repeat(1500));
    let models = [
        "gpt-5-codex",
        "claude-sonnet-4-5",
        "gemini-2.5-pro",
        "-5 formula",
    ];
    // A key longer than an index cell holds spills to an overflow page per entry: a few suffice.
    let model = |i: usize| {
        if i % 1000 == 500 {
            long_model.clone()
        } else {
            models[i % models.len()].to_string()
        }
    };
    let session = |i: usize| {
        if i % 1000 == 999 {
            long_session.clone()
        } else {
            format!("s{:04}", i % 1000)
        }
    };
    let mut t = Tables {
        files: vec![SourceFile {
            name: "big/rollout.jsonl".into(),
            bytes: 1,
            gzip: false,
            machine: None,
        }],
        ..Default::default()
    };
    t.sessions = (0..1000)
        .map(|i| Session {
            session_id: session(i),
            format: Some(Format::CodexRollout),
            source: Source {
                file: 0,
                line: i as u32 + 1,
            },
            start_ms: Some(T0 + i as i64 * 3_600_000),
            workspace: Some(format!("/home/ana/project-{}", i % 7)),
            usage_available: true,
            ..Default::default()
        })
        .map(agent_ledger::model::Row::new).collect();
    t.usage = (0..BIG_USAGE_ROWS)
        .map(|i| {
            let n = i as i64;
            UsageRow {
                session_id: session(i).into(),
                source: Source {
                    file: 0,
                    line: 2000 + i as u32,
                },
                ts_ms: (i % 97 != 0).then_some(T0 + n * 37_000),
                model: model(i).into(),
                vendor: Some(Vendor::OpenAi),
                input_tokens: 1000 + n,
                cached_input_tokens: n % 1000,
                output_tokens: n % 333,
                reasoning_output_tokens: n % 77,
                total_tokens: 1000 + n + n % 333,
                // Beyond 32 bits: 6-byte integers in the records.
                raw: RawUsage {
                    input_tokens: 1000 + n,
                    total_tokens: 5_000_000_000 + n,
                    ..Default::default()
                },
                possibly_partial: i % 5 == 0,
                context_window: (i % 3 == 0).then_some(272_000),
                rate_limit_primary_pct: (i % 4 == 0).then_some(n as f64 / 7.0),
                ..Default::default()
            }
        })
        .map(agent_ledger::model::Row::new).collect();
    let costs = (0..BIG_USAGE_ROWS)
        .map(|i| (i % 10 != 0).then_some(i as f64 * 1e-7 + 1.0 / 300.0))
        .collect();
    let texts = ["=SUM(A1)", "plain", "naïve — ünïcödé ✓ ", "x"];
    t.queries = (0..1000)
        .map(|i| {
            // Lengths from 0 to 20 KB in steps that hit both spill formulas of the format.
            let len = (i * 7919) % 20_000;
            let base = texts[i % texts.len()];
            let text: String = base.chars().cycle().take(len).collect();
            Query {
                session_id: session(i),
                source: Source {
                    file: 0,
                    line: 200_000 + i as u32,
                },
                ts_ms: Some(T0 + i as i64 * 1000),
                text,
            }
        })
        .map(agent_ledger::model::Row::new).collect();
    let report = IngestReport {
        files: vec![FileReport {
            file: "big/rollout.jsonl".into(),
            format: Some(Format::CodexRollout),
            bytes: 1,
            lines: 1,
            parsed: 1,
            ..Default::default()
        }],
    };
    (t, costs, report)
}

/// The Python of `target/oracle-venv` (made by `scripts/setup-duckdb.sh`), if it has DuckDB.
pub fn duckdb_python() -> Option<PathBuf> {
    let venv = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/target/oracle-venv/bin/python"
    ));
    let ok = Command::new(&venv)
        .args(["-c", "import duckdb"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        Some(venv)
    } else {
        eprintln!("SKIPPED: DuckDB is not installed: run `bash scripts/setup-duckdb.sh`");
        None
    }
}

/// Run an oracle script of `scripts/oracle/` with `python`; its JSON report. Panics with the
/// script's output when it exits non-zero.
pub fn oracle(python: &Path, script: &str, args: &[&Path]) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scripts/oracle")
        .join(script);
    let out = Command::new(python)
        .arg(&path)
        .args(args)
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{script} {args:?} failed:\n{}\n{}",
        stdout.chars().take(20_000).collect::<String>(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout).expect("the oracle prints JSON")
}

/// The rows of a CSV file and the sum of one integer column, read with the `csv` crate.
pub fn csv_rows_and_sum(bytes: &[u8], column: &str) -> (usize, i64) {
    let mut reader = csv::Reader::from_reader(bytes);
    let at = reader
        .headers()
        .expect("a header")
        .iter()
        .position(|h| h == column);
    let mut rows = 0;
    let mut sum = 0i64;
    for record in reader.records() {
        let record = record.expect("a record");
        rows += 1;
        if let Some(v) = at
            .and_then(|at| record.get(at))
            .and_then(|v| v.parse::<i64>().ok())
        {
            sum += v;
        }
    }
    (rows, sum)
}
