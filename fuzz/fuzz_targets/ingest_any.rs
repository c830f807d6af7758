//! Arbitrary bytes as one file through the real ingest path (compression magic, inflate, line
//! splitting, sniff, adapter, cross-file rules). The first byte picks the file name and a slice
//! size; the rest is the file. Checks:
//! - the accounting invariant: every line lands in exactly one bucket, and for a file that is
//!   not compressed the lines counted are the lines the bytes hold;
//! - slicing does not matter: the file fed whole and fed in small slices (a line, or a gzip or
//!   zstd block, cut anywhere) gives the same report and the same tables.
#![no_main]
use agent_ledger::ingest::{Ingest, Ledger, inflate::Codec};
use libfuzzer_sys::fuzz_target;

/// Names do not decide anything (content does); they are varied to make sure of it.
const NAMES: [&str; 5] = ["s.jsonl", "s.json", "s.jsonl.gz", "s.jsonl.zst", "s.log"];

fn ingest(name: &str, bytes: &[u8], slice: usize) -> Ledger {
    let mut ingest = Ingest::new();
    let id = ingest.begin_file(name, bytes.len() as u64);
    for chunk in bytes.chunks(slice) {
        ingest.feed(id, chunk);
    }
    ingest.end_file(id);
    ingest.finish()
}

fuzz_target!(|data: &[u8]| {
    let Some((&head, bytes)) = data.split_first() else { return };
    let name = NAMES[usize::from(head & 7) % NAMES.len()];
    let compressed = Codec::sniff(&bytes[..bytes.len().min(Codec::MAGIC_BYTES)]).is_some();
    let whole = ingest(name, bytes, bytes.len().max(1));
    let file = &whole.report.files[0];
    assert!(file.balanced(), "buckets do not add up: {file:?}");
    if !compressed {
        let ends = bytes.iter().filter(|b| **b == b'\n').count() as u64;
        let lines = ends + u64::from(bytes.last().is_some_and(|b| *b != b'\n'));
        assert_eq!(file.lines, lines, "every line is counted once: {file:?}");
    }
    let slice = 1 + usize::from(head >> 3) * 5;
    let sliced = ingest(name, bytes, slice);
    assert!(sliced.report.files[0].balanced(), "buckets do not add up in slices of {slice}");
    // A corrupt compressed stream keeps what was inflated before the error, and how much that is
    // depends on where the decoder's input was cut (flate2 drops the output of the write that
    // fails): the same file read in the same slices (the page and the CLI both read 4 MiB) gets
    // the same report, but small slices may keep a few more lines. Only intact streams compare.
    if compressed && !file.note.is_empty() {
        return;
    }
    let show = |l: &Ledger| (serde_json::to_string(&l.report).unwrap(), serde_json::to_string(&l.tables).unwrap());
    assert_eq!(show(&whole), show(&sliced), "fed in slices of {slice} bytes");
});
