//! Compressed logs: gzip and zstd files read as the same logs, told apart by their magic bytes
//! (never by name), in any slicing of their bytes; a damaged stream keeps what it inflated and
//! the report says why it stopped.
//!
//! Expected buckets come from elsewhere, never from the engine: the relay fixture's are
//! hand-checked in `tests/other_formats.rs`, the real Codex samples' were printed by
//! `scripts/oracle/codex_oracle.py` (as in `tests/codex.rs`), and the hand-made zstd frames
//! below are counted by hand.

mod common;

use agent_ledger::ingest::{Ingest, Ledger, SLICE_BYTES};
use std::io::Write;

const RELAY: &str = "relay/relay-calls.ndjson";
/// `zstd -19` (v1.5.4) of the relay fixture: one single-segment frame, 2-byte content size, checksum.
const RELAY_ZST: &str = "relay/relay-calls.ndjson.zst";
/// The relay fixture: (lines, parsed, skipped, duplicates, malformed), see `tests/other_formats.rs`.
const RELAY_BUCKETS: [u64; 5] = [9, 5, 0, 0, 4];

fn feed(files: &[(String, Vec<u8>)], slice: usize) -> Ledger {
    let mut ingest = Ingest::new();
    for (name, bytes) in files {
        let id = ingest.begin_file(name.clone(), bytes.len() as u64);
        for chunk in bytes.chunks(slice) {
            ingest.feed(id, chunk);
        }
        ingest.end_file(id);
    }
    ingest.finish()
}

fn buckets(l: &Ledger, i: usize) -> [u64; 5] {
    let f = &l.report.files[i];
    assert!(f.balanced(), "{f:?}");
    [f.lines, f.parsed, f.skipped, f.duplicates, f.malformed]
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(bytes, ruzstd::encoding::CompressionLevel::Fastest)
}

#[test]
fn a_file_from_the_zstd_tool_reads_like_the_plain_one_in_any_slicing() {
    let (_, packed) = common::fixture(RELAY_ZST);
    assert_eq!(&packed[..4], [0x28, 0xb5, 0x2f, 0xfd]);
    // Named like a plain file: the magic decides, not the name.
    let files = vec![("relay-calls.ndjson".to_string(), packed)];
    for slice in [1, 2, 3, 4, 5, 7, 64, 4096, SLICE_BYTES] {
        let l = feed(&files, slice);
        assert_eq!(buckets(&l, 0), RELAY_BUCKETS, "slice {slice}");
        assert_eq!(l.report.files[0].format_label(), "relay-calls");
        assert_eq!(l.report.files[0].note, "", "slice {slice}");
        assert_eq!(
            l.tables
                .api_calls
                .iter()
                .map(|c| c.input_tokens)
                .sum::<i64>(),
            4010,
            "slice {slice}"
        );
    }
}

#[test]
fn hand_made_zstd_frames_give_hand_counted_lines() {
    let (_, relay) = common::fixture(RELAY);
    let mut lines = relay.split(|&b| b == b'\n');
    let (first, second) = (lines.next().unwrap(), lines.next().unwrap());
    // A frame with a 1 KiB window (descriptor 0, window byte 0) and one last block.
    let frame = |block_type: u32, size: usize, content: &[u8]| {
        let header = (size as u32) << 3 | block_type << 1 | 1;
        let mut f = vec![0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x00];
        f.extend_from_slice(&header.to_le_bytes()[..3]);
        f.extend_from_slice(content);
        f
    };
    let mut file = frame(0, first.len() + 1, &[first, b"\n"].concat());
    // A skippable frame of 3 bytes, then five empty lines as one RLE block, then the second line
    // without a line end: 1 + 5 + 1 lines.
    file.extend_from_slice(&[0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, b'x', b'y', b'z']);
    file.extend(frame(1, 5, b"\n"));
    file.extend(frame(0, second.len(), second));
    for slice in [1, 3, 11, SLICE_BYTES] {
        let l = feed(&[("calls.bin".into(), file.clone())], slice);
        assert_eq!(buckets(&l, 0), [7, 2, 5, 0, 0], "slice {slice}");
        assert_eq!(l.report.files[0].note, "");
        assert_eq!(
            l.tables
                .api_calls
                .iter()
                .map(|c| c.input_tokens)
                .sum::<i64>(),
            1000 + 2000
        );
    }
}

#[test]
fn a_damaged_zstd_file_keeps_what_it_inflated_and_says_why() {
    let (_, plain) = common::fixture(RELAY);
    let (_, packed) = common::fixture(RELAY_ZST);
    let mut bad_sum = packed.clone();
    let n = bad_sum.len();
    bad_sum[n - 1] ^= 0xff;
    let table: Vec<(&str, Vec<u8>, [u64; 5], &str)> = vec![
        // The checksum is read after the last block: every line was handed on already.
        (
            "bad checksum",
            bad_sum,
            RELAY_BUCKETS,
            "zstd stream corrupt: checksum mismatch",
        ),
        // Cut inside its only block: nothing was inflated.
        (
            "cut short",
            packed[..n / 2].to_vec(),
            [0, 0, 0, 0, 0],
            "zstd stream ends early: the last frame is incomplete",
        ),
        (
            "trailing garbage",
            [&packed[..], b"garbage!"].concat(),
            RELAY_BUCKETS,
            "zstd stream corrupt: no frame starts at magic 0x62726167",
        ),
    ];
    for (what, bytes, want, note) in table {
        let files = vec![
            (format!("{what}.zst"), bytes),
            ("plain.ndjson".into(), plain.clone()),
        ];
        let l = feed(&files, 100);
        assert_eq!(buckets(&l, 0), want, "{what}");
        assert!(
            l.report.files[0].note.starts_with(note),
            "{what}: {}",
            l.report.files[0].note
        );
        // The file after it is untouched.
        assert_eq!(buckets(&l, 1), RELAY_BUCKETS, "{what}");
    }
}

/// The real Codex samples' buckets, as `scripts/oracle/codex_oracle.py` printed them (tests/codex.rs).
#[rustfmt::skip]
const REAL: &[(&str, [u64; 5])] = &[
    ("CodexBar__live-fork-4d90-52bf__child.jsonl", [198, 18, 1, 179, 0]),
    ("CodexBar__live-fork-4d90-52bf__parent.jsonl", [182, 180, 1, 1, 0]),
    ("agent-sessions__codex__small.jsonl", [118, 36, 81, 1, 0]),
    ("agentcmd__rollout-2025-09-24T19-22-20-01997e76-d124-7592-9cac-2ec05abbca08.jsonl", [823, 528, 295, 0, 0]),
    ("agentcmd__rollout-2025-09-25T15-12-14-019982b8-3422-79e0-8b3b-05abaf4f3c3e.jsonl", [209, 140, 69, 0, 0]),
    ("localpush__rollout-2026-02-23T12-40-23-019c8a4c-ed82-79a1-aa28-7738fc5ab61a.jsonl", [702, 377, 245, 80, 0]),
    ("localpush__rollout-2026-02-23T12-54-34-019c8a59-e9dd-71f0-9ae3-4079fe9726a9.jsonl", [2722, 1348, 1090, 284, 0]),
    ("localpush__rollout-2026-02-23T13-19-38-019c8a70-dda7-7f33-98ea-f30553347322.jsonl", [19, 5, 14, 0, 0]),
    ("localpush__rollout-2026-02-23T20-34-25-019c8bfe-ec25-79e0-97d7-bda6a9c575ff.jsonl", [63, 24, 34, 5, 0]),
];

#[test]
fn real_codex_samples_read_the_same_compressed_every_way() {
    let Some(dir) = common::real_corpus("codex-rollout") else {
        return;
    };
    let plain = common::read_jsonl_files(&dir);
    assert_eq!(plain.len(), REAL.len());
    // Two zstd frames cut at an odd byte with a skippable frame between them: still one stream.
    let two_frames = |b: &[u8]| {
        let cut = b.len() / 3 + 1;
        let skip = [0x5f, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 0xde, 0xad];
        [zstd(&b[..cut]), skip.to_vec(), zstd(&b[cut..])].concat()
    };
    type Pack<'a> = &'a dyn Fn(&[u8]) -> Vec<u8>;
    let ways: [(&str, Pack); 3] = [
        ("gzip", &gzip),
        ("zstd", &zstd),
        ("zstd, two frames", &two_frames),
    ];
    for (way, pack) in ways {
        let files: Vec<(String, Vec<u8>)> =
            plain.iter().map(|(n, b)| (n.clone(), pack(b))).collect();
        // A prime slice size: blocks and members straddle slices everywhere.
        let l = feed(&files, 65_521);
        for (i, (name, want)) in REAL.iter().enumerate() {
            assert_eq!(l.report.files[i].file, *name);
            assert_eq!(buckets(&l, i), *want, "{way}: {name}");
            assert_eq!(l.report.files[i].note, "", "{way}: {name}");
        }
    }
}

#[test]
fn a_zstd_window_past_the_cap_is_refused_with_a_note() {
    // Window byte 0x88: 2^(10 + 17) = 128 MiB, as `zstd --long=27` writes; one empty last raw block.
    let file = vec![0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x88, 0x01, 0x00, 0x00];
    let l = feed(&[("long.zst".into(), file)], SLICE_BYTES);
    assert_eq!(buckets(&l, 0), [0, 0, 0, 0, 0]);
    assert_eq!(
        l.report.files[0].note,
        "zstd frame asks for a 128 MiB window; at most 64 MiB are read; empty file"
    );
}
