//! Every input the fuzz targets stopped on (docs/fuzzing.md, "Findings"), kept with what it must
//! do now. The inputs are small files in `tests/fixtures/fuzz/`, made by hand from the fuzzer's
//! (none holds text of a real log). Each goes through the real ingest path, alone and between
//! two good files fed in small slices, and its report is checked to the bucket.

use agent_ledger::ingest::{FileReport, Ingest, ingest_all};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fuzz");

/// One input: its file, the format the report names, its buckets
/// `[lines, parsed, skipped, duplicates, malformed]`, and text its note or first issue holds.
struct Case {
    file: &'static str,
    /// Which target found it, and what it was.
    found: &'static str,
    format: &'static str,
    buckets: [u64; 5],
    says: &'static str,
}

const CASES: &[Case] = &[
    Case {
        file: "sniff-array-prefix.jsonl",
        found: "sniff: `[-` is the start of a JSON document for the sniffer (a valid prefix), \
                not for serde's IgnoredAny; the target's check was too strict, the core is right",
        format: "unknown",
        buckets: [1, 0, 1, 0, 0],
        says: "not valid JSON",
    },
    Case {
        file: "sniff-invalid-utf8-ignored.jsonl",
        found: "sniff: invalid UTF-8 inside a string the sniffer ignores still sniffs as Codex \
                (serde does not check ignored strings); the adapter then calls that line malformed",
        format: "codex",
        buckets: [2, 1, 0, 0, 1],
        says: "invalid JSON",
    },
];

fn buckets(f: &FileReport) -> [u64; 5] {
    assert!(f.balanced(), "{f:?}");
    [f.lines, f.parsed, f.skipped, f.duplicates, f.malformed]
}

fn says(f: &FileReport) -> String {
    let issue = f.issues.first().map(|i| i.reason.as_str()).unwrap_or("");
    format!("{} | {issue}", f.note)
}

#[test]
fn fuzz_findings_read_as_expected() {
    for case in CASES {
        let bytes = std::fs::read(format!("{DIR}/{}", case.file)).unwrap();
        let ledger = ingest_all([(case.file, bytes.as_slice())]);
        let f = &ledger.report.files[0];
        assert_eq!(f.format_label(), case.format, "{}: {}", case.file, case.found);
        assert_eq!(buckets(f), case.buckets, "{}: {f:?}", case.file);
        assert!(says(f).contains(case.says), "{}: {:?} lacks {:?}", case.file, says(f), case.says);
    }
}

/// Between two good files, in 7-byte slices: the same report for the finding, and the good files
/// read as they do alone.
#[test]
fn fuzz_findings_leave_their_neighbours_alone() {
    let good = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/relay/relay-calls.ndjson")).unwrap();
    let alone = ingest_all([("good.ndjson", good.as_slice())]).report.files[0].clone();
    for case in CASES {
        let bytes = std::fs::read(format!("{DIR}/{}", case.file)).unwrap();
        let mut ingest = Ingest::new();
        for (name, data) in [("a.ndjson", &good), (case.file, &bytes), ("b.ndjson", &good)] {
            let id = ingest.begin_file(name, data.len() as u64);
            data.chunks(7).for_each(|c| ingest.feed(id, c));
            ingest.end_file(id);
        }
        let ledger = ingest.finish();
        let files = &ledger.report.files;
        assert_eq!(buckets(&files[1]), case.buckets, "{}", case.file);
        for f in [&files[0], &files[2]] {
            assert_eq!(buckets(f), buckets(&alone), "{}: a neighbour changed", case.file);
        }
    }
}

/// A zstd block that decodes to more than RFC 8878's 128 KiB is corrupt, and is stopped before
/// it is decoded whole. Made by hand (docs/fuzzing.md): after an 8-byte raw block, a compressed
/// block of `n` sequences in RLE mode, each copying 65 539 bytes. The reference `zstd -d` calls it
/// "Data corruption detected"; `ruzstd` 0.8 decoded it whole (with 8 000 sequences, a 16 KB file,
/// 524 MB held and minutes spent before the ratio bound could stop the file); 0.9 holds each
/// block to the maximum as it decodes.
#[test]
fn a_zstd_block_past_the_block_maximum_is_corrupt() {
    use agent_ledger::ingest::inflate::{Codec, Inflate};
    let kept = std::fs::read(format!("{DIR}/zstd-block-past-128k.zst")).unwrap();
    assert_eq!(kept, zstd_block_of_long_matches(3), "the kept fixture is the 3-sequence block");
    for sequences in [3, 8_000] {
        let bytes = zstd_block_of_long_matches(sequences);
        let mut inflate = Inflate::new(Codec::Zstd);
        let mut out = 0usize;
        let res = inflate.push(&bytes, &mut |p| out += p.len());
        let res = res.and_then(|()| inflate.finish(&mut |p| out += p.len()));
        assert!(res.as_ref().is_err_and(|e| e.contains("corrupt")), "{sequences}: {res:?}, {out} bytes out");
        assert!(out <= 8 + (128 << 10), "{sequences}: {out} bytes out of one block");
    }
}

/// A zstd frame: an 8-byte raw block of `A`s, then one compressed block with no literals and
/// `n` sequences (all three codes in RLE mode: literal length 0, offset code 0, match length code
/// 52, that is 65 539 plus 16 extra bits, all zero), so each sequence repeats 65 539 bytes.
fn zstd_block_of_long_matches(n: usize) -> Vec<u8> {
    let mut out = vec![0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x68]; // magic, no content size, 8 MiB window
    out.extend([8 << 3, 0, 0]); // raw block, not last, 8 bytes
    out.extend(*b"AAAAAAAA");
    let count: Vec<u8> = if n < 128 { vec![n as u8] } else { vec![(n >> 8) as u8 + 128, n as u8] };
    let mut body = vec![0x00]; // literals: raw, none
    body.extend(count);
    body.extend([0x54, 0, 0, 52]); // the three RLE modes and their one code each
    body.extend(std::iter::repeat_n(0u8, 2 * n)); // 16 zero extra bits a sequence
    body.push(0x01); // the bit stream's end mark
    let header = (body.len() << 3) | (2 << 1) | 1; // compressed, last
    out.extend(&header.to_le_bytes()[..3]);
    out.extend(body);
    out
}
