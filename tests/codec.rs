//! The per-file result codec (`ingest::codec`): every file's part comes back exactly, and a load
//! merged from decoded parts (the page's "remember" path) gives byte-identical downloads to one
//! parsed directly (the page's first load). Corpora: the built-in sample, the generated `small`
//! profile (every format, gzip and zstd files, Claude copies across files, Codex forks) and the
//! real corpus when `../shared` is there.

#[path = "common/query_cases.rs"]
mod cases;

use agent_ledger::export::{Filter, Redaction};
use agent_ledger::ingest::{Ingest, Part, codec};
use agent_ledger::synth::{self, Profile};
use cases::*;

fn generated_small() -> Files {
    let mut files: Files = synth::generate_all(&Profile::by_name("small").unwrap(), 7).into_iter().map(|f| (f.name, f.bytes)).collect();
    files.sort();
    files
}

/// The key the page stores a file under: its path, size and modification time.
fn key(name: &str, bytes: &[u8]) -> String {
    format!("{name}\n{}\n1767323045000", bytes.len())
}

fn part_of(name: &str, bytes: &[u8]) -> Part {
    let mut one = Ingest::new();
    one.add_file(name, bytes);
    one.into_part()
}

/// How many allocations the `Shared` texts of a part's rows point to, and how many distinct texts
/// they hold.
fn shared_texts(part: &Part) -> (usize, usize) {
    let t = part.tables();
    let mut all: Vec<&std::sync::Arc<str>> = Vec::new();
    for r in t.routing.iter() {
        all.extend([&r.session_id, &r.model]);
        all.extend([&r.effort, &r.approval_policy, &r.sandbox_policy, &r.cwd].into_iter().flatten());
    }
    for u in t.usage.iter() {
        all.extend([&u.session_id, &u.model]);
    }
    for c in t.tool_calls.iter() {
        all.extend([&c.session_id, &c.tool, &c.kind]);
        all.extend(c.model.as_ref());
    }
    for r in t.replies.iter() {
        all.push(&r.session_id);
        all.extend(r.model.as_ref());
    }
    let held: std::collections::HashSet<*const u8> = all.iter().map(|a| a.as_ptr()).collect();
    let texts: std::collections::HashSet<&str> = all.iter().map(|a| &***a).collect();
    (held.len(), texts.len())
}

/// Encode and decode every file on its own, check each comes back equal (same JSON, same bytes
/// when encoded again), then merge the decoded parts and compare every download with a direct
/// ingest of the same files.
fn round_trip(label: &str, files: &Files) {
    let mut decoded = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let part = part_of(name, bytes);
        let k = key(name, bytes);
        let stored = codec::encode(&k, &part);
        let back = codec::decode(&k, &stored).unwrap_or_else(|| panic!("{label}: {name} does not decode"));
        assert_eq!(serde_json::to_string(&back).unwrap(), serde_json::to_string(&part).unwrap(), "{label}: {name}");
        assert_eq!(codec::encode(&k, &back), stored, "{label}: {name} encodes again to the same bytes");
        let (held, texts) = shared_texts(&back);
        assert_eq!(held, texts, "{label}: {name}: each repeated text is one allocation, as the parse held it");
        decoded.push(back);
    }
    let merged = Part::concat(decoded).finish();
    let direct = ingest(files);
    let (filter, redaction) = (Filter::default(), Redaction::default());
    let want = downloads_of(&direct, "test", &filter, &redaction);
    let got = downloads_of(&merged, "test", &filter, &redaction);
    assert_eq!(got.len(), want.len());
    for (name, file) in &want {
        assert!(got[name].bytes == file.bytes, "{label}: {name} differs after the round trip");
    }
    // The totals the page shows, for the record.
    let t = merged.report.totals();
    eprintln!("{label}: {} files, {} lines, {} parsed, {} duplicates: identical", files.len(), t.lines, t.parsed, t.duplicates);
}

#[test]
fn the_sample_round_trips_and_merges_exactly() {
    round_trip("sample", &sample());
}

#[test]
fn the_generated_small_corpus_round_trips_and_merges_exactly() {
    let files = generated_small();
    assert!(files.iter().any(|(n, _)| n.ends_with(".zst")), "the corpus has a zstd file");
    round_trip("small", &files);
}

#[test]
fn the_real_corpus_round_trips_and_merges_exactly() {
    if let Some(files) = real() {
        round_trip("real", &files);
    }
}

/// A part stored for one version of a file is not taken for another.
#[test]
fn a_changed_file_is_not_taken_from_storage() {
    let (name, bytes) = &sample()[0];
    let stored = codec::encode(&key(name, bytes), &part_of(name, bytes));
    assert!(codec::decode(&format!("{name}\n{}\n1767323045001", bytes.len()), &stored).is_none());
    assert!(codec::decode(&format!("{name}x\n{}\n1767323045000", bytes.len()), &stored).is_none());
}
