//! A CSV written in pieces (issue #18.1: each piece's cells built, written and dropped before the
//! next, never the whole table of cells) has the bytes of the whole table's `to_bytes`, whatever
//! the piece size (1 row, 7 rows, everything) and with or without a row cap; a piece holds only
//! its own rows and counts the whole dataset. On the small generated profile plus logs with
//! formula-like text (the neutralised cells go through the writers' scratch text).

use agent_ledger::export::paced::{self, Pieces};
use agent_ledger::export::{self, ExportSettings, ReportMeta, datasets};
use agent_ledger::query::{self, analysis};
use agent_ledger::synth::{self, Profile};
use std::sync::Arc;

fn files() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = synth::generate_all(&Profile::small(), 7)
        .into_iter()
        .map(|f| (format!("mixed/{}", f.name), f.bytes))
        .collect();
    for path in ["export/rollout-2026-11-20T09-00-00-export-s1.jsonl", "tool_audit/2026-01-05.jsonl"] {
        let full = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/").to_string() + path;
        files.push((path.to_string(), std::fs::read(&full).expect("a fixture")));
    }
    files
}

#[test]
fn csv_written_in_pieces_equals_the_whole_table() {
    let ledger = agent_ledger::ingest::ingest_all(files().iter().map(|(n, b)| (n.as_str(), b.as_slice())));
    let settings = query::Settings { now_ms: 1_767_323_045_000, ..query::Settings::default() };
    let prices = analysis::price_book(&settings);
    let a = analysis::analyze(Arc::new(ledger), &settings, &prices);
    let meta = ReportMeta { generated_at_ms: Some(1_767_323_045_000), price_snapshot: "test prices".into(), machine: String::new() };
    for row_cap in [None, Some(5)] {
        let capped = ExportSettings { row_cap, ..ExportSettings::default() };
        let mut input = a.export_input(&meta);
        input.settings = &capped;
        let red = export::redacted(&input);
        for name in export::CSV_NAMES {
            let whole = datasets::build_one(&input, &red, name).expect("a dataset");
            assert!(row_cap.is_some() || whole.rows.len() > 7, "{name}: too few rows to test pieces");
            let expected = whole.to_bytes();
            for rows in [1, 7, usize::MAX] {
                let pieces = Pieces { rows, bytes: usize::MAX };
                let written = paced::run_now(paced::csv_in_pieces(&input, &red, name, &mut paced::Straight, 0, pieces));
                let (file, shape) = written.expect("a dataset, nothing stops it");
                assert!(file.bytes == expected, "{name} in pieces of {rows} (cap {row_cap:?}): bytes differ");
                assert_eq!((file.name, file.mime), (name, export::MIME_CSV));
                assert_eq!(shape, whole.shape(), "{name} in pieces of {rows}: counts");
            }
            let piece = datasets::build_piece(&input, &red, name, 2..9).expect("a piece");
            assert_eq!(piece.rows.len(), whole.rows.len().saturating_sub(2).min(7), "{name}: only the piece's rows are built");
            assert_eq!(piece.rows[..], whole.rows[2.min(whole.rows.len())..9.min(whole.rows.len())], "{name}: the piece's rows");
            assert_eq!(piece.shape(), whole.shape(), "{name}: a piece counts the whole dataset");
            // The download alone is written in pieces too.
            assert!(export::build_file(&input, name).is_some_and(|f| f.bytes == expected), "{name} alone");
        }
    }
}
