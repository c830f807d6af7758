//! Hostile files, each loaded between two good ones (issue 16, item 4): decompression bombs, a
//! 100 MB line, a document past its cap, NUL bytes, UTF-16, deep nesting, numbers out of range.
//! Each must be reported with its reason, nothing may panic, and the good files around it must
//! read exactly as they do alone (the relay fixture's buckets are hand-checked in
//! `tests/other_formats.rs`). Every hostile file is made here, none is committed.

mod common;

use agent_ledger::ingest::{FileReport, Ingest, Ledger};
use std::io::Write;

/// The relay fixture: (lines, parsed, skipped, duplicates, malformed).
const RELAY_BUCKETS: [u64; 5] = [9, 5, 0, 0, 4];

fn buckets(f: &FileReport) -> [u64; 5] {
    assert!(f.balanced(), "{f:?}");
    [f.lines, f.parsed, f.skipped, f.duplicates, f.malformed]
}

/// Load `hostile` between two copies of the relay fixture, fed in the page's 4 MB slices, and
/// check that both copies are intact; answer the hostile file's report.
fn between_good_files(name: &str, hostile: &[u8]) -> (FileReport, Ledger) {
    let (_, relay) = common::fixture("relay/relay-calls.ndjson");
    let files: [(&str, &[u8]); 3] = [
        ("before.ndjson", &relay),
        (name, hostile),
        ("after.ndjson", &relay),
    ];
    let ledger = agent_ledger::ingest::ingest_all(files);
    for i in [0, 2] {
        let f = &ledger.report.files[i];
        assert_eq!(buckets(f), RELAY_BUCKETS, "{name}: {}", f.file);
        assert_eq!(f.note, "", "{name}: {}", f.file);
    }
    let good_calls = ledger
        .tables
        .api_calls
        .iter()
        .filter(|c| c.source.file != 1)
        .count();
    assert_eq!(good_calls, 10, "{name}: 5 calls in each good file");
    (ledger.report.files[1].clone(), ledger)
}

fn first_reason(f: &FileReport) -> &str {
    f.issues.first().map(|i| i.reason.as_str()).unwrap_or("")
}

/// The relay fixture, then 2,000 gzip members of 1 MiB of zeros each: about 2 MB that would
/// inflate to 2 GiB.
fn gzip_bomb(relay: &[u8]) -> Vec<u8> {
    let member = |bytes: &[u8]| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap()
    };
    [member(relay), member(&vec![0u8; 1 << 20]).repeat(2_000)].concat()
}

/// The relay fixture as one zstd frame, then a frame of 500,000 RLE blocks of 128 KiB of `x`
/// (4 bytes each): 2 MB that would inflate to 61 GiB. Window byte 0x50: 2^(10+10) = 1 MiB.
fn zstd_bomb(relay: &[u8]) -> Vec<u8> {
    let mut f =
        ruzstd::encoding::compress_to_vec(relay, ruzstd::encoding::CompressionLevel::Fastest);
    f.extend_from_slice(&[0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x50]);
    for i in 0..500_000 {
        let last = u32::from(i == 499_999);
        let header = (128u32 << 10) << 3 | 1 << 1 | last;
        f.extend_from_slice(&header.to_le_bytes()[..3]);
        f.push(b'x');
    }
    f
}

#[test]
fn decompression_bombs_stop_at_the_ratio_with_a_note() {
    let (_, relay) = common::fixture("relay/relay-calls.ndjson");
    for (codec, bomb) in [("gzip", gzip_bomb(&relay)), ("zstd", zstd_bomb(&relay))] {
        assert!(
            (1_900_000..2_200_000).contains(&bomb.len()),
            "{codec}: {} bytes",
            bomb.len()
        );
        let (f, _) = between_good_files(&format!("bomb.{codec}"), &bomb);
        // Past 64 MiB the ratio (about 1,000:1 and 32,768:1 here) breaks 200:1: the file stops
        // at 64 MiB. Its 9 relay lines are kept; the zeros (or `x`s) so far, just under 64 MiB
        // with no line end, are one more line, not a relay line.
        // It stops at the piece (64 KiB, or one block) that would pass 64 MiB.
        let stopped_at: f64 = f
            .note
            .strip_prefix(&format!("{codec} stopped at "))
            .and_then(|rest| rest.split(" MiB inflated from ").next())
            .and_then(|mib| mib.parse().ok())
            .unwrap_or_else(|| panic!("{}", f.note));
        assert!((63.5..=64.0).contains(&stopped_at), "{}", f.note);
        assert!(
            f.note.contains("more than 200:1, a decompression bomb?"),
            "{}",
            f.note
        );
        assert_eq!(buckets(&f), [10, 5, 0, 0, 5], "{codec}");
        assert_eq!(f.issues.last().map(|i| i.line), Some(10), "{codec}");
    }
}

#[test]
fn a_100_mb_line_is_one_malformed_line_and_the_next_lines_read() {
    let (_, relay) = common::fixture("relay/relay-calls.ndjson");
    let first_line = relay.split(|&b| b == b'\n').next().unwrap();
    let mut file = [first_line, b"\n"].concat();
    file.extend(std::iter::repeat_n(b'a', 100_000_000));
    file.push(b'\n');
    file.extend_from_slice(&relay);
    let (f, _) = between_good_files("long-line.ndjson", &file);
    // 1 good line, the long one, then the fixture's 9 lines (5 parsed, 4 malformed).
    assert_eq!(buckets(&f), [11, 6, 0, 0, 5]);
    assert_eq!(
        (f.issues[0].line, f.issues[0].reason.as_str()),
        (2, "line longer than 64 MiB")
    );
    assert_eq!(f.format_label(), "relay-calls");
}

#[test]
fn a_file_that_is_only_an_over_long_line_says_why_it_has_no_format() {
    let (f, _) = between_good_files("blob.jsonl", &vec![b'{'; 70 << 20]);
    assert_eq!(buckets(&f), [1, 0, 0, 0, 1]);
    assert_eq!(f.format_label(), "unknown");
    assert_eq!(f.note, "no line shorter than 64 MiB to tell its format by");
}

#[test]
fn a_json_document_past_its_cap_is_not_held() {
    // A Gemini JSON chat (a whole-document format) of 65 MiB over 65 lines of 1 MiB.
    let mut doc = b"{\"sessionId\": \"s\", \"projectHash\": \"h\", \"messages\": [\n".to_vec();
    let text = "t".repeat((1 << 20) - 40);
    for _ in 0..65 {
        doc.extend_from_slice(
            format!("{{\"type\": \"user\", \"content\": \"{text}\"}},\n").as_bytes(),
        );
    }
    doc.extend_from_slice(b"{\"type\": \"user\", \"content\": \"end\"}]}\n");
    let (f, _) = between_good_files("chat.json", &doc);
    // 1 + 65 + 1 lines, all skipped: the format is only known once the document is parsed.
    assert_eq!(buckets(&f), [67, 0, 67, 0, 0]);
    assert_eq!(f.note, "a JSON document larger than 64 MiB");
}

#[test]
fn binary_utf16_deep_nesting_and_huge_numbers_are_reported_with_their_reason() {
    let (_, relay) = common::fixture("relay/relay-calls.ndjson");
    let first = std::str::from_utf8(relay.split(|&b| b == b'\n').next().unwrap()).unwrap();
    let utf16: Vec<u8> = "\u{feff}"
        .chars()
        .chain(first.chars())
        .chain("\n".chars())
        .flat_map(|c| (c as u16).to_le_bytes())
        .collect();
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep = format!("{first}\n{nested}\n");
    // A field kept as raw JSON text, nested as deep: valid, so read.
    let deep_field = format!(
        "{first}\n{}\n",
        first.replace("\"job_id\":\"j1\"", &format!("\"job_id\":{nested}"))
    );
    let huge = format!(
        "{first}\n{}\n",
        first.replace("\"input_tokens\":1000", "\"input_tokens\":1e400")
    );
    let huge_int = format!(
        "{first}\n{}\n",
        first.replace(
            "\"input_tokens\":1000",
            "\"input_tokens\":123456789012345678901234567890"
        )
    );
    // (name, bytes, buckets, format, note starts with, first malformed line's reason contains)
    type Case = (
        &'static str,
        Vec<u8>,
        [u64; 5],
        &'static str,
        &'static str,
        &'static str,
    );
    let table: Vec<Case> = vec![
        (
            "nul.jsonl",
            vec![0; 5_000],
            [1, 0, 1, 0, 0],
            "unknown",
            "binary data (starts with NUL bytes)",
            "",
        ),
        (
            "nul-lines.jsonl",
            [b"\0\0\0\0\n\n".as_slice(), first.as_bytes()].concat(),
            [3, 0, 3, 0, 0],
            "unknown",
            "binary data",
            "",
        ),
        (
            "utf16.jsonl",
            utf16,
            [2, 0, 2, 0, 0],
            "unknown",
            "UTF-16 text, not UTF-8",
            "",
        ),
        (
            "deep.ndjson",
            deep.into_bytes(),
            [2, 1, 0, 0, 1],
            "relay-calls",
            "",
            "valid JSON but not an object",
        ),
        (
            "deep-field.ndjson",
            deep_field.into_bytes(),
            [2, 2, 0, 0, 0],
            "relay-calls",
            "",
            "",
        ),
        (
            "huge-float.ndjson",
            huge.into_bytes(),
            [2, 1, 0, 0, 1],
            "relay-calls",
            "",
            "`input_tokens` is not a whole number: 1e400",
        ),
        (
            "huge-int.ndjson",
            huge_int.into_bytes(),
            [2, 1, 0, 0, 1],
            "relay-calls",
            "",
            "is not a whole number: 123456789012345678901234567890",
        ),
    ];
    for (name, bytes, want, format, note, reason) in table {
        let (f, _) = between_good_files(name, &bytes);
        assert_eq!(buckets(&f), want, "{name}: {f:?}");
        assert_eq!(f.format_label(), format, "{name}");
        assert!(f.note.starts_with(note), "{name}: {}", f.note);
        assert!(
            first_reason(&f).contains(reason),
            "{name}: {}",
            first_reason(&f)
        );
    }
}

#[test]
fn ten_thousand_tiny_files_each_have_their_row() {
    let (_, relay) = common::fixture("relay/relay-calls.ndjson");
    let first = relay.split(|&b| b == b'\n').next().unwrap();
    let mut ingest = Ingest::new();
    for i in 0..10_000 {
        ingest.add_file(format!("tiny/{i}.ndjson"), first);
    }
    let l = ingest.finish();
    assert_eq!(l.report.files.len(), 10_000);
    assert!(l.report.files.iter().all(|f| buckets(f) == [1, 1, 0, 0, 0]));
    assert_eq!(l.tables.api_calls.len(), 10_000);
}
