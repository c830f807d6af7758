//! `agent-ledger.sqlite` opened by the C SQLite library through Python's `sqlite3`
//! (`scripts/oracle/sqlite_oracle.py`): `PRAGMA integrity_check` is `ok`, and every table equals
//! its CSV cell by cell, with the same row counts and token and cost sums, for the real samples,
//! the generator's small corpus, a big corpus (120,000 usage rows: three-level b-trees; prompts
//! up to 20 KB: overflow chains; an index key longer than an index cell) and an empty export.
//! The row counts and token sums the oracle reports are compared here with the CSVs read by the
//! `csv` crate, so two readers agree with the writer.
//! Also: every cell of every dataset has the type its column declares ([`typed::kind`]).

mod typed_export;

use agent_ledger::export::{self, Redaction, typed};
use agent_ledger::ingest::IngestReport;
use agent_ledger::model::Tables;
use std::path::Path;
use typed_export::*;

const TABLES: [&str; 9] = [
    "sessions",
    "routing_context",
    "query_messages",
    "usage_tokens",
    "tool_calls",
    "tool_audit",
    "api_calls",
    "audit_findings",
    "ingest_report",
];

/// Write the export to `target/tmp/<name>`, run the oracle, and check its counts and sums
/// against the CSVs as the `csv` crate reads them.
fn check(name: &str, files: &[export::ExportFile]) -> serde_json::Value {
    let dir = write_dir(name, files);
    let report = oracle(
        Path::new("python3"),
        "sqlite_oracle.py",
        &[&dir.join("agent-ledger.sqlite"), &dir],
    );
    assert_eq!(report["integrity_check"], "ok");
    for table in TABLES {
        let csv = files
            .iter()
            .find(|f| f.name == format!("{table}.csv"))
            .expect(table);
        let (rows, total_tokens) = csv_rows_and_sum(&csv.bytes, "total_tokens");
        let got = &report["tables"][table];
        assert_eq!(got["rows"], rows, "{name}: {table} rows");
        assert_eq!(got["bad_cells"], 0, "{name}: {table}");
        if let Some(sum) = got["sums"].get("total_tokens") {
            assert_eq!(
                sum.as_i64(),
                Some(total_tokens),
                "{name}: {table}.total_tokens"
            );
        }
    }
    let keys = report["meta_keys"].as_array().expect("meta keys");
    for key in [
        "generated_at",
        "price_snapshot",
        "filters",
        "redaction",
        "datasets_json",
    ] {
        assert!(keys.iter().any(|k| k == key), "meta has {key}");
    }
    report
}

fn assert_cells_typed(name: &str, tables: &Tables, costs: &[Option<f64>], ingest: &IngestReport) {
    with_input(tables, costs, ingest, Redaction::default(), |input| {
        let red = export::redacted(input);
        for csv in export::datasets::build_all(input, &red) {
            for (i, row) in csv.rows.iter().enumerate() {
                for (col, cell) in csv.columns.iter().zip(row) {
                    let kind = typed::kind(col);
                    assert!(
                        typed::fits(kind, cell),
                        "{name}: {}.{col} row {}: {cell:?} is not {kind:?}",
                        csv.name,
                        i + 1
                    );
                }
            }
        }
    });
}

#[test]
fn real_corpus_database_equals_its_csvs() {
    let Some(ledger) = real_ledger() else { return };
    let files = export(&ledger.tables, &ledger.report, Redaction::default());
    let report = check("sqlite-real", &files);
    assert!(
        report["tables"]["usage_tokens"]["rows"].as_u64() > Some(100),
        "the corpus was read"
    );
    assert_cells_typed(
        "real",
        &ledger.tables,
        &costs(&ledger.tables),
        &ledger.report,
    );
}

#[test]
fn generated_corpus_database_equals_its_csvs_and_honours_redaction() {
    let ledger = generated_ledger();
    let t = &ledger.tables;
    check(
        "sqlite-generated",
        &export(t, &ledger.report, Redaction::default()),
    );
    assert_cells_typed("generated", t, &costs(t), &ledger.report);
    // Redacted: the database equals the redacted CSVs, and no prompt's text is in the file.
    let mut redaction = Redaction::default();
    for rule in ["whole-prompt", "whole-tool-arguments", "whole-tool-results", "home-directory"] {
        assert!(redaction.set_enabled(rule, true), "rule {rule}");
    }
    let files = export(t, &ledger.report, redaction);
    check("sqlite-generated-redacted", &files);
    let db = &files
        .iter()
        .find(|f| f.name == "agent-ledger.sqlite")
        .expect("the database")
        .bytes;
    let prompts: Vec<&str> = t
        .queries
        .iter()
        .map(|q| q.text.as_str())
        .filter(|s| s.len() >= 24)
        .collect();
    assert!(prompts.len() > 10, "the corpus has prompts");
    for p in prompts {
        let needle = &p.as_bytes()[..24];
        assert!(
            !db.windows(24).any(|w| w == needle),
            "prompt text in the redacted database: {p:.40}"
        );
    }
}

#[test]
fn big_database_has_deep_trees_overflow_and_equals_its_csvs() {
    let (t, costs, ingest) = big();
    assert!(
        t.queries.iter().any(|q| q.text.len() > 3 * 4096),
        "text over several pages"
    );
    let report = check(
        "sqlite-big",
        &export_with_costs(&t, &costs, &ingest, Redaction::default()),
    );
    let usage = &report["tables"]["usage_tokens"];
    assert_eq!(usage["rows"], BIG_USAGE_ROWS);
    // 120,000 records of ~150 bytes fill ~4,500 leaves; ~400 child pointers fit an interior page.
    assert_eq!(usage["depth"], 3, "{usage}");
    assert!(
        usage["indexes"]["usage_tokens_session"].as_u64() >= Some(2),
        "{usage}"
    );
    // The sessions' key is unique here: a primary key with SQLite's own index behind it.
    assert!(report["tables"]["sessions"]["indexes"]["sqlite_autoindex_sessions_1"].is_number());
    // Hand-worked sums: input_tokens = sum of 1000 + n over n < 120,000
    // = 120,000 * 1,000 + 119,999 * 120,000 / 2 = 120,000,000 + 7,199,940,000.
    assert_eq!(usage["sums"]["input_tokens"], 7_319_940_000i64);
    assert_cells_typed("big", &t, &costs, &ingest);
}

#[test]
fn empty_export_is_a_valid_database_with_every_table() {
    let report = check(
        "sqlite-empty",
        &export(
            &Tables::default(),
            &IngestReport::default(),
            Redaction::default(),
        ),
    );
    for table in TABLES {
        assert_eq!(report["tables"][table]["rows"], 0, "{table}");
        assert_eq!(report["tables"][table]["depth"], 1, "{table}");
    }
}

#[test]
fn the_database_is_the_same_bytes_every_time_and_from_a_single_build() {
    let ledger = generated_ledger();
    let t = &ledger.tables;
    let costs = costs(t);
    let one = with_input(t, &costs, &ledger.report, Redaction::default(), |input| {
        export::build_file(input, export::SQLITE).expect("the database")
    });
    let all = export_with_costs(t, &costs, &ledger.report, Redaction::default());
    assert_eq!(all.iter().find(|f| f.name == export::SQLITE), Some(&one));
    assert_eq!(one.mime, "application/vnd.sqlite3");
    assert_eq!(one.bytes.len() % 4096, 0);
}

/// The export builds each dataset's cells a row group (32,768 rows) at a time for its CSV, its
/// table and its Parquet file together (`export::paced`); each file built alone takes the
/// dataset whole (the database too, from `sqlite::build`). With 120,000 usage rows (two
/// pieces), every file is the same bytes both ways,
/// and the zip's entries are those files (a table across pieces, its indexes gathered over
/// them, a CSV header written once, a Parquet file of two row groups).
#[test]
fn a_big_export_built_in_row_groups_equals_each_file_built_whole() {
    use std::io::Read;
    let (t, costs, ingest) = big();
    assert!(t.usage.len() > agent_ledger::export::parquet::ROW_GROUP_ROWS, "more rows than a piece");
    with_input(&t, &costs, &ingest, Redaction::default(), |input| {
        let all = export::build_all(input);
        let zip = all.last().expect("the zip");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&zip.bytes)).expect("a valid zip");
        for (at, file) in all[..all.len() - 1].iter().enumerate() {
            let alone = export::build_file(input, file.name).expect("a download");
            assert!(file.bytes == alone.bytes, "{}: {} bytes in pieces, {} whole", file.name, file.bytes.len(), alone.bytes.len());
            let mut entry = archive.by_index(at).expect("an entry");
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("the entry reads back (its CRC checks)");
            assert!(bytes == alone.bytes, "{} in the zip", file.name);
        }
        // The page's SQLite download: its blocks handed over as they are written, the rest after.
        let kept = agent_ledger::export::paced::run_now(agent_ledger::export::paced::database_kept(input, &mut agent_ledger::export::paced::Straight, |block| block.into_vec()))
            .expect("nothing stops it");
        assert!(kept.kept.len() > 2, "blocks handed over as written: {}", kept.kept.len());
        let file = [vec![kept.head], kept.kept, kept.rest].concat().concat();
        assert!(all.iter().any(|f| f.name == export::SQLITE && f.bytes == file), "the database handed over in blocks");
        // Both builds above take the tables in pieces; the database of whole tables is the same.
        let red = export::redacted(input);
        let whole = export::sqlite_file(input, &export::datasets::build_all(input, &red));
        assert!(all.iter().any(|f| f.name == export::SQLITE && f.bytes == whole.bytes), "the database of whole tables");
    });
}

#[test]
fn a_repeated_key_gets_a_plain_index_instead_of_a_primary_key() {
    use agent_ledger::ingest::FileReport;
    use agent_ledger::model::{Session, Source, SourceFile};
    // The same log dropped twice: two sessions "s1", two files named "a.jsonl".
    let mut t = Tables::default();
    t.files = vec![
        SourceFile {
            name: "a.jsonl".into(),
            bytes: 1,
            gzip: false,
            machine: None,
        };
        2
    ];
    t.sessions = (0..2)
        .map(|file| Session {
            session_id: "s1".into(),
            source: Source { file, line: 1 },
            ..Default::default()
        })
        .map(agent_ledger::model::Row::new).collect();
    let file = FileReport {
        file: "a.jsonl".into(),
        ..Default::default()
    };
    let ingest = IngestReport {
        files: vec![file.clone(), file],
    };
    let report = check(
        "sqlite-repeated-keys",
        &export(&t, &ingest, Redaction::default()),
    );
    let sessions = &report["tables"]["sessions"]["indexes"];
    assert!(
        sessions.get("sqlite_autoindex_sessions_1").is_none(),
        "{sessions}"
    );
    assert!(sessions["sessions_session"].is_number(), "{sessions}");
    let ingest = &report["tables"]["ingest_report"]["indexes"];
    assert!(ingest["ingest_report_file"].is_number(), "{ingest}");
    assert_eq!(report["tables"]["sessions"]["rows"], 2);
}
