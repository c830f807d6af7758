//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The real sample corpus beside the clone (`../shared/corpus/real`), or `None` with a notice.
pub fn real_corpus(sub: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/real")).join(sub);
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: ../shared/corpus/real is absent ({} not found)", dir.display());
        None
    }
}

/// Every `*.jsonl` file of a folder, sorted by name, as (name, bytes).
pub fn read_jsonl_files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("readable corpus folder")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

/// Ingest (name, bytes) pairs together.
pub fn ingest(files: &[(String, Vec<u8>)]) -> agent_ledger::ingest::Ledger {
    agent_ledger::ingest::ingest_all(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())))
}

/// A fixture of this repository, under tests/fixtures.
pub fn fixture(path: &str) -> (String, Vec<u8>) {
    let full = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")).join(path);
    (path.to_string(), std::fs::read(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display())))
}
