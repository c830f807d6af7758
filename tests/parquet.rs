//! The `.parquet` files and `schema.sql` read by DuckDB (from PyPI, installed by
//! `scripts/setup-duckdb.sh` into `target/oracle-venv`; without it these tests say SKIPPED):
//! `scripts/oracle/parquet_oracle.py` checks every file against its CSV cell by cell, with the
//! same row counts and token and cost sums, the column types (INT64 tokens, TIMESTAMP UTC times,
//! DOUBLE costs, BOOLEAN flags), Snappy and dictionary-encoded text, and loads every CSV into the
//! tables of `schema.sql`. Row counts and token sums are compared here again with the CSVs read
//! by the `csv` crate.

mod typed_export;

use agent_ledger::export::{self, Redaction};
use agent_ledger::ingest::IngestReport;
use agent_ledger::model::Tables;
use typed_export::*;

fn check(name: &str, files: &[export::ExportFile]) -> Option<serde_json::Value> {
    let python = duckdb_python()?;
    let dir = write_dir(name, files);
    let report = oracle(&python, "parquet_oracle.py", &[&dir]);
    for csv_name in export::CSV_NAMES {
        let table = csv_name.trim_end_matches(".csv");
        let csv = files.iter().find(|f| f.name == csv_name).expect(csv_name);
        let (rows, total_tokens) = csv_rows_and_sum(&csv.bytes, "total_tokens");
        let got = &report["tables"][table];
        assert_eq!(got["rows"], rows, "{name}: {table}.parquet rows");
        assert_eq!(
            got["loaded_rows"], rows,
            "{name}: {table} loaded through schema.sql"
        );
        assert_eq!(got["bad_cells"], 0, "{name}: {table}");
        if let Some(sum) = got["sums"].get("total_tokens") {
            assert_eq!(
                sum.as_i64(),
                Some(total_tokens),
                "{name}: {table}.total_tokens"
            );
        }
    }
    Some(report)
}

#[test]
fn every_dataset_has_a_parquet_file_in_the_zip() {
    let ledger = generated_ledger();
    let files = export(&ledger.tables, &ledger.report, Redaction::default());
    let zip = files
        .iter()
        .find(|f| f.name == export::ZIP)
        .expect("the zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&zip.bytes)).expect("a zip");
    for (csv, name) in export::CSV_NAMES.iter().zip(export::PARQUET_NAMES) {
        assert_eq!(export::parquet::file_name(csv), name);
        let file = files.iter().find(|f| f.name == name).expect(name);
        assert_eq!(file.mime, "application/vnd.apache.parquet");
        // A Parquet file starts and ends with the magic "PAR1".
        assert_eq!(&file.bytes[..4], b"PAR1", "{name}");
        assert_eq!(&file.bytes[file.bytes.len() - 4..], b"PAR1", "{name}");
        let mut inside = Vec::new();
        std::io::Read::read_to_end(&mut archive.by_name(name).expect(name), &mut inside).unwrap();
        assert_eq!(inside, file.bytes, "{name} in the zip");
    }
    let schema = files
        .iter()
        .find(|f| f.name == export::SCHEMA_SQL)
        .expect("schema.sql");
    assert_eq!(
        schema.bytes,
        export::schema_sql::build(false).into_bytes(),
        "schema.sql depends on nothing in one machine's logs"
    );
}

#[test]
fn real_corpus_parquet_equals_its_csvs() {
    let Some(ledger) = real_ledger() else { return };
    check(
        "parquet-real",
        &export(&ledger.tables, &ledger.report, Redaction::default()),
    );
}

#[test]
fn generated_corpus_parquet_equals_its_csvs() {
    let ledger = generated_ledger();
    check(
        "parquet-generated",
        &export(&ledger.tables, &ledger.report, Redaction::default()),
    );
}

#[test]
fn big_parquet_has_row_groups_and_equals_its_csvs() {
    let (t, costs, ingest) = big();
    let Some(report) = check(
        "parquet-big",
        &export_with_costs(&t, &costs, &ingest, Redaction::default()),
    ) else {
        return;
    };
    // 120,000 rows in groups of 32,768: four.
    assert_eq!(agent_ledger::export::parquet::ROW_GROUP_ROWS, 32_768);
    assert_eq!(report["tables"]["usage_tokens"]["row_groups"], 4);
    // Hand-worked: input_tokens = sum of 1000 + n over n < 120,000 = 7,319,940,000.
    assert_eq!(
        report["tables"]["usage_tokens"]["sums"]["input_tokens"],
        7_319_940_000i64
    );
}

#[test]
fn empty_export_parquet_files_read_as_empty_tables() {
    let Some(report) = check(
        "parquet-empty",
        &export(
            &Tables::default(),
            &IngestReport::default(),
            Redaction::default(),
        ),
    ) else {
        return;
    };
    assert_eq!(report["tables"]["usage_tokens"]["rows"], 0);
}
