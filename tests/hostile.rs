//! Hostile input through the whole pipeline: files of every kind, damaged at random (bytes flipped,
//! cut short, garbage and invalid UTF-8 inserted, lines repeated, swapped or taken from a file of
//! another kind), fed in random slice sizes, then priced, audited, rolled up and exported.
//!
//! What must hold for every damaged folder: nothing panics; every file's buckets add up to its
//! lines; and a file that is not compressed has exactly as many lines as it has line ends (plus a
//! last line without one), counted here independently of the engine.

use agent_ledger::audit;
use agent_ledger::export::{self, ExportInput, ExportSettings, Filter, Redaction, ReportMeta};
use agent_ledger::ingest::{Ingest, Ledger};
use agent_ledger::pricing::PriceBook;
use agent_ledger::rollup::{self, Zone};

/// xorshift64*: deterministic, so a failing seed can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

/// Bytes that break parsers: quotes, escapes, brackets, control characters, CR, invalid UTF-8.
const GARBAGE: &[&[u8]] = &[b"\"", b"\\", b"{", b"}]", b"\x00", b"\r", b"\n", b"\xff\xfe", b"\xc3", b"\\u12", b"\\ud800", b"nul", b"-", b"1e99999", b"\xef\xbb\xbf"];

fn line_spans(b: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' {
            spans.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < b.len() {
        spans.push((start, b.len()));
    }
    spans
}

/// One random kind of damage.
fn damage(bytes: &[u8], donor: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = bytes.to_vec();
    if b.is_empty() {
        return donor.to_vec();
    }
    match rng.below(7) {
        0 => {
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(b.len());
                b[at] = rng.next() as u8;
            }
        }
        1 => b.truncate(rng.below(b.len())),
        2 => {
            for _ in 0..1 + rng.below(6) {
                let at = rng.below(b.len() + 1);
                let junk = GARBAGE[rng.below(GARBAGE.len())];
                b.splice(at..at, junk.iter().copied());
            }
        }
        3 => {
            let spans = line_spans(&b);
            let (s, e) = spans[rng.below(spans.len())];
            let copy = b[s..e].to_vec();
            let at = spans[rng.below(spans.len())].0;
            b.splice(at..at, copy);
        }
        4 => {
            let spans = line_spans(&b);
            let (a, z) = (spans[rng.below(spans.len())], spans[rng.below(spans.len())]);
            let (first, second) = if a.0 <= z.0 { (a, z) } else { (z, a) };
            if first.1 <= second.0 {
                let mut out = b[..first.0].to_vec();
                out.extend_from_slice(&b[second.0..second.1]);
                out.extend_from_slice(&b[first.1..second.0]);
                out.extend_from_slice(&b[first.0..first.1]);
                out.extend_from_slice(&b[second.1..]);
                b = out;
            }
        }
        5 => {
            let spans = line_spans(donor);
            if let Some(&(s, e)) = spans.get(rng.below(spans.len().max(1))) {
                let at = line_spans(&b)[rng.below(line_spans(&b).len())].0;
                b.splice(at..at, donor[s..e].iter().copied());
            }
        }
        _ => {
            // A line cut in the middle of a string, then the rest of the file.
            let spans = line_spans(&b);
            let (s, e) = spans[rng.below(spans.len())];
            let cut = s + rng.below(e - s);
            b.drain(cut..e.saturating_sub(1).max(cut));
        }
    }
    b
}

/// The number of lines a file has: its line ends, plus a last line without one.
fn lines_in(b: &[u8]) -> u64 {
    line_spans(b).len() as u64
}

fn ingest_in_random_slices(files: &[(String, Vec<u8>)], rng: &mut Rng) -> Ledger {
    let mut ingest = Ingest::new();
    for (name, bytes) in files {
        let id = ingest.begin_file(name.clone(), bytes.len() as u64);
        let mut at = 0;
        while at < bytes.len() {
            // Mostly a few KB, sometimes a handful of bytes: lines and gzip headers straddle slices.
            let most = if rng.below(4) == 0 { 7 } else { 5000 };
            let n = 1 + rng.below(most);
            let end = (at + n).min(bytes.len());
            ingest.feed(id, &bytes[at..end]);
            at = end;
        }
        ingest.end_file(id);
    }
    ingest.finish()
}

/// Price, audit, roll up and export: none of it may panic on what ingest made of the damage.
fn analyze_and_export(ledger: &Ledger, prices: &PriceBook) -> usize {
    let costs: Vec<Option<f64>> = ledger.tables.usage.iter().map(|u| prices.usage_cost(u)).collect();
    let audit = audit::run(&ledger.tables, prices);
    let summary = rollup::summarize(&ledger.tables, &costs, &Zone::utc());
    let (filter, redaction, settings, meta) = (Filter::default(), Redaction::default(), ExportSettings::default(), ReportMeta::default());
    let input = ExportInput {
        tables: &ledger.tables,
        usage_costs: &costs,
        ingest: &ledger.report,
        audit: &audit,
        summary: &summary,
        filter: &filter,
        redaction: &redaction,
        redaction_report: None,
        settings: &settings,
        meta: &meta,
    };
    export::build_all(&input).len()
}

#[test]
fn damaged_files_of_every_kind_lose_no_line_and_panic_nowhere() {
    let sample = agent_ledger::synth::sample_files();
    assert!(sample.len() >= 8, "the sample holds every kind of file");
    let prices = PriceBook::builtin();
    let mut checked_lines = 0u64;
    let mut malformed = 0u64;
    for seed in 1..=60u64 {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ seed.wrapping_mul(0x1000_0001));
        let damaged: Vec<(String, Vec<u8>)> = sample
            .iter()
            .enumerate()
            .map(|(i, (name, bytes))| {
                let donor = &sample[(i + 1 + rng.below(sample.len() - 1)) % sample.len()].1;
                let mut b = bytes.clone();
                for _ in 0..1 + rng.below(3) {
                    b = damage(&b, donor, &mut rng);
                }
                (name.clone(), b)
            })
            .collect();
        let ledger = ingest_in_random_slices(&damaged, &mut rng);
        assert_eq!(ledger.report.files.len(), damaged.len(), "seed {seed}");
        for ((name, bytes), r) in damaged.iter().zip(&ledger.report.files) {
            assert!(r.balanced(), "seed {seed} {name}: {r:?}");
            let compressed = bytes.starts_with(&[0x1f, 0x8b]) || bytes.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]);
            if !compressed {
                assert_eq!(r.lines, lines_in(bytes), "seed {seed} {name}: lines");
                checked_lines += r.lines;
            }
            assert!(r.malformed as usize >= r.issues.len(), "seed {seed} {name}");
            for issue in &r.issues {
                assert!(issue.line >= 1 && u64::from(issue.line) <= r.lines, "seed {seed} {name}: {issue:?}");
                assert!(!issue.reason.is_empty(), "seed {seed} {name}: a malformed line says why");
            }
        }
        malformed += ledger.report.totals().malformed;
        assert_eq!(analyze_and_export(&ledger, &prices), export::ALL_NAMES.len(), "seed {seed}");
    }
    assert!(checked_lines > 10_000, "{checked_lines} lines checked");
    // The damage is real: many lines came out malformed (and each said why, above).
    eprintln!("{checked_lines} lines checked, {malformed} malformed");
    assert!(malformed > 500, "{malformed} malformed lines");
}

#[test]
fn the_line_count_of_this_test_is_the_engines_on_clean_files() {
    // The independent count above agrees with the engine on undamaged files, CR and BOM included.
    let files: Vec<(String, Vec<u8>)> = vec![
        ("crlf.jsonl".into(), b"{\"a\":1}\r\n\r\n{\"b\":2}\r\n".to_vec()),
        ("bom-torn.jsonl".into(), b"\xef\xbb\xbf{\"a\":1}\n{\"b\"".to_vec()),
        ("empty.jsonl".into(), Vec::new()),
        ("blank.jsonl".into(), b"\n\n\n".to_vec()),
    ];
    let ledger = agent_ledger::ingest::ingest_all(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())));
    let got: Vec<u64> = ledger.report.files.iter().map(|r| r.lines).collect();
    assert_eq!(got, vec![3, 2, 0, 3]);
    for ((_, b), n) in files.iter().zip(got) {
        assert_eq!(lines_in(b), n);
    }
}
