//! Generated corpora through the ingest engine, against the generator's oracle (`agent_ledger::synth`).
//!
//! The oracle is written by the generator from what it wrote and the rules of DESIGN.md section 2,
//! independently of the adapters; its Codex half is cross-checked by the lead's independent
//! `scripts/oracle/codex_oracle.py` (run it on `ledger-corpus --profile small` output). Per file we
//! pin the sniffed format and the five buckets; per format the usage rows (count, token sums,
//! rows per model), queries, replies, tool calls, tool-audit rows and API calls with their token sums.
//! Files are fed in odd-sized slices so that lines straddle slice boundaries.

use agent_ledger::ingest::{Ingest, Ledger, SLICE_BYTES};
use agent_ledger::model::{Format, FileId};
use agent_ledger::synth::{self, Buckets, Counts, GeneratedFile, Profile};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A prime slice size: lines and gzip members straddle slice boundaries everywhere.
const ODD_SLICE: usize = 65_521;

fn ingest(files: &[GeneratedFile], slice: usize) -> Ledger {
    let mut ingest = Ingest::new();
    for f in files {
        let id = ingest.begin_file(f.name.clone(), f.bytes.len() as u64);
        for chunk in f.bytes.chunks(slice) {
            ingest.feed(id, chunk);
        }
        ingest.end_file(id);
    }
    ingest.finish()
}

fn small() -> &'static (Vec<GeneratedFile>, Ledger) {
    static SMALL: OnceLock<(Vec<GeneratedFile>, Ledger)> = OnceLock::new();
    SMALL.get_or_init(|| {
        let files = synth::generate_all(&Profile::small(), 7);
        let ledger = ingest(&files, ODD_SLICE);
        (files, ledger)
    })
}

fn sample() -> &'static (Vec<GeneratedFile>, Ledger) {
    static SAMPLE: OnceLock<(Vec<GeneratedFile>, Ledger)> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let files = synth::sample();
        let ledger = ingest(&files, SLICE_BYTES);
        (files, ledger)
    })
}

/// What ingest produced, per file, in the oracle's terms.
fn actual_per_file(ledger: &Ledger) -> Vec<Counts> {
    let mut per: Vec<Counts> = ledger
        .report
        .files
        .iter()
        .map(|r| Counts {
            buckets: Buckets { lines: r.lines, parsed: r.parsed, skipped: r.skipped, duplicates: r.duplicates, malformed: r.malformed },
            ..Counts::default()
        })
        .collect();
    let t = &ledger.tables;
    fn at(per: &mut [Counts], file: FileId) -> Option<&mut Counts> {
        per.get_mut(file as usize)
    }
    for u in &t.usage {
        if let Some(c) = at(&mut per, u.source.file) {
            c.usage.rows += 1;
            c.usage.input_tokens += u.input_tokens;
            c.usage.cached_input_tokens += u.cached_input_tokens;
            c.usage.cache_creation_input_tokens += u.cache_creation_input_tokens;
            c.usage.output_tokens += u.output_tokens;
            c.usage.reasoning_output_tokens += u.reasoning_output_tokens;
            c.usage.total_tokens += u.total_tokens;
            *c.usage_rows_by_model.entry(u.model.to_string()).or_default() += 1;
        }
    }
    for q in &t.queries {
        if let Some(c) = at(&mut per, q.source.file) {
            c.queries += 1;
        }
    }
    for r in &t.replies {
        if let Some(c) = at(&mut per, r.source.file) {
            c.replies += 1;
        }
    }
    for call in &t.tool_calls {
        if let Some(c) = at(&mut per, call.source.file) {
            c.tool_calls += 1;
        }
    }
    for row in &t.tool_audit {
        if let Some(c) = at(&mut per, row.source.file) {
            c.tool_audit_rows += 1;
        }
    }
    for a in &t.api_calls {
        if let Some(c) = at(&mut per, a.source.file) {
            c.api.calls += 1;
            c.api.input_tokens += a.input_tokens;
            c.api.output_tokens += a.output_tokens;
            c.api.thinking_tokens += a.thinking_tokens;
        }
    }
    per
}

/// The fields of two `Counts` that differ, as `field: expected → actual`.
fn differences(want: &Counts, got: &Counts) -> Vec<String> {
    let w = serde_json::to_value(want).unwrap_or_default();
    let g = serde_json::to_value(got).unwrap_or_default();
    let mut out = Vec::new();
    diff_values("", &w, &g, &mut out);
    out
}

fn diff_values(path: &str, w: &serde_json::Value, g: &serde_json::Value, out: &mut Vec<String>) {
    match (w, g) {
        (serde_json::Value::Object(a), serde_json::Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                let null = serde_json::Value::Null;
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                diff_values(&p, a.get(k).unwrap_or(&null), b.get(k).unwrap_or(&null), out);
            }
        }
        _ if w != g => out.push(format!("{path}: {w} → {g}")),
        _ => {}
    }
}

/// Per file: the sniffed format and the buckets.
fn check_files(files: &[GeneratedFile], ledger: &Ledger) -> Vec<String> {
    assert_eq!(ledger.report.files.len(), files.len());
    let actual = actual_per_file(ledger);
    let mut problems = Vec::new();
    for ((f, report), got) in files.iter().zip(&ledger.report.files).zip(&actual) {
        let format = report.format.unwrap_or(Format::Unknown);
        if format != f.expect.format {
            problems.push(format!("{}: format {:?} → {:?}", f.name, f.expect.format, format));
        }
        if got.buckets != f.expect.counts.buckets {
            problems.push(format!(
                "{} [{}]: buckets {:?} → {:?} (issues {:?}, note {:?})",
                f.name, f.expect.note, f.expect.counts.buckets, got.buckets, report.issues, report.note
            ));
        }
    }
    problems
}

/// Per format: every count of the oracle; each difference lists the files that disagree.
fn check_formats(files: &[GeneratedFile], ledger: &Ledger) -> Vec<String> {
    let actual = actual_per_file(ledger);
    let mut want: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut got: BTreeMap<&str, Counts> = BTreeMap::new();
    for (f, a) in files.iter().zip(&actual) {
        want.entry(f.expect.format.label()).or_default().add(&f.expect.counts);
        got.entry(f.expect.format.label()).or_default().add(a);
    }
    let mut problems = Vec::new();
    for (format, w) in &want {
        let g = got.get(format).cloned().unwrap_or_default();
        let diff = differences(w, &g);
        if diff.is_empty() {
            continue;
        }
        problems.push(format!("{format}: {}", diff.join("; ")));
        for (f, a) in files.iter().zip(&actual).filter(|(f, _)| f.expect.format.label() == *format) {
            let d = differences(&f.expect.counts, a);
            if !d.is_empty() {
                problems.push(format!("    {} [{}]: {}", f.name, f.expect.note, d.join("; ")));
            }
        }
    }
    problems
}

fn assert_none(what: &str, problems: Vec<String>) {
    assert!(problems.is_empty(), "{what}: {} disagreement(s) with the oracle:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn small_profile_every_file_has_the_oracles_format_and_buckets() {
    let (files, ledger) = small();
    assert_none("small profile, per file", check_files(files, ledger));
}

#[test]
fn small_profile_every_format_has_the_oracles_rows_and_tokens() {
    let (files, ledger) = small();
    assert_none("small profile, per format", check_formats(files, ledger));
}

#[test]
fn sample_every_file_has_the_oracles_format_and_buckets() {
    let (files, ledger) = sample();
    assert_none("sample, per file", check_files(files, ledger));
}

#[test]
fn sample_every_format_has_the_oracles_rows_and_tokens() {
    let (files, ledger) = sample();
    assert_none("sample, per format", check_formats(files, ledger));
}

#[test]
fn every_line_lands_in_exactly_one_bucket() {
    for (files, ledger) in [small(), sample()] {
        for (f, r) in files.iter().zip(&ledger.report.files) {
            assert!(r.balanced(), "{}: {r:?}", f.name);
            assert_eq!(r.bytes, f.bytes.len() as u64, "{}", f.name);
        }
    }
}

#[test]
fn slice_size_does_not_change_the_outcome() {
    let (files, odd) = small();
    let whole = ingest(files, SLICE_BYTES);
    for (a, b) in odd.report.files.iter().zip(&whole.report.files) {
        assert_eq!((a.format, a.lines, a.parsed, a.skipped, a.duplicates, a.malformed), (b.format, b.lines, b.parsed, b.skipped, b.duplicates, b.malformed), "{}", a.file);
    }
    assert_eq!(odd.tables.usage.len(), whole.tables.usage.len());
}

/// The small profile carries every kind, every cross-file case and every corner case.
#[test]
fn small_profile_covers_every_case() {
    let (files, _) = small();
    let formats: std::collections::BTreeSet<Format> = files.iter().map(|f| f.expect.format).collect();
    for f in [Format::CodexRollout, Format::ClaudeCode, Format::GeminiJsonl, Format::GeminiJson, Format::ToolAudit, Format::RelayCalls, Format::Unknown] {
        assert!(formats.contains(&f), "no {f:?} file");
    }
    let notes: Vec<&str> = files.iter().map(|f| f.expect.note.as_str()).collect();
    let has = |needle: &str| notes.iter().any(|n| n.contains(needle));
    for case in [
        "fork child", "compaction with a context-size marker", "total_tokens != input + output", "torn last line",
        "NUL-corrupted", "without type", "blank and whitespace-only", "unknown line, event and item types",
        "gzip-compressed", "zstd-compressed", "not a log", "not a log (Markdown)", "ends on a tool call without output",
        "sidechain replaying", "resumed session", "<synthetic>", "no requestId", "spaced JSON with CRLF",
        "unknown status", "without tool", "cut short", "success call that logs an error",
    ] {
        assert!(has(case), "no file exercises {case:?}");
    }
    let bom = files.iter().find(|f| f.name.ends_with("bom.jsonl")).map(|f| f.bytes.starts_with(b"\xEF\xBB\xBF"));
    assert_eq!(bom, Some(true));
    let crlf = files.iter().find(|f| f.name.ends_with("/crlf.jsonl")).map(|f| f.bytes.windows(2).filter(|w| w == b"\r\n").count());
    assert_eq!(crlf, files.iter().find(|f| f.name.ends_with("/crlf.jsonl")).map(|f| f.expect.counts.buckets.lines as usize));
    let spaced = files.iter().find(|f| f.name.ends_with("spaced-json.jsonl")).map(|f| f.bytes.starts_with(b"{\"timestamp\": \""));
    assert_eq!(spaced, Some(true));
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    let a = synth::generate_all(&Profile::small(), 11);
    let b = synth::generate_all(&Profile::small(), 11);
    let c = synth::generate_all(&Profile::small(), 12);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!((&x.name, &x.bytes, &x.expect), (&y.name, &y.bytes, &y.expect));
    }
    assert_ne!(a.iter().map(|f| &f.bytes).collect::<Vec<_>>(), c.iter().map(|f| &f.bytes).collect::<Vec<_>>());
    assert_eq!(synth::sample_files(), synth::sample_files());
}

/// The page's sample: small, every kind, realistic names, several models, the planted findings.
#[test]
fn sample_is_small_complete_and_realistic() {
    let files = synth::sample();
    let total: usize = files.iter().map(|f| f.bytes.len()).sum();
    assert!(total < 700_000, "sample is {total} bytes");
    let formats: std::collections::BTreeSet<Format> = files.iter().map(|f| f.expect.format).collect();
    for f in [Format::CodexRollout, Format::ClaudeCode, Format::GeminiJsonl, Format::GeminiJson, Format::ToolAudit, Format::RelayCalls] {
        assert!(formats.contains(&f), "no {f:?} file in the sample");
    }
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    let named = |pred: &dyn Fn(&str) -> bool| names.iter().any(|n| pred(n));
    assert!(named(&|n| n.starts_with("sessions/2026/11/20/rollout-2026-11-20T09-12-03-") && n.ends_with(".jsonl")), "{names:?}");
    assert!(named(&|n| n.starts_with("projects/-home-ann-shop/") && n.ends_with(".jsonl")));
    assert!(named(&|n| n.contains("/subagents/agent-")));
    assert!(named(&|n| n == "tool_audit/2026-11-20.jsonl"));
    assert!(named(&|n| n == "relay-calls.ndjson"));
    assert!(named(&|n| n.ends_with(".jsonl.gz")));
    assert!(named(&|n| n.starts_with("archived_sessions/rollout-2026-11-16T11-40-") && n.ends_with(".jsonl.zst")), "{names:?}");
    assert!(named(&|n| n.starts_with(".gemini/tmp/") && n.contains("/chats/")));
    let models: std::collections::BTreeSet<&String> = files.iter().flat_map(|f| f.expect.counts.usage_rows_by_model.keys()).collect();
    for m in ["gpt-5-codex", "gpt-5.2-codex", "claude-sonnet-4-5-20250929", "claude-opus-4-5", "gemini-2.5-pro", "qwen3-coder:30b"] {
        assert!(models.iter().any(|x| x.as_str() == m), "no usage of {m} in {models:?}");
    }
    let notes: Vec<&str> = files.iter().map(|f| f.expect.note.as_str()).collect();
    for planted in ["total_tokens != input + output", "ends on a tool call without output", "success call that logs an error", "unknown status"] {
        assert_eq!(notes.iter().filter(|n| n.contains(planted)).count(), 1, "{planted}");
    }
    let days: std::collections::BTreeSet<&str> = names.iter().filter_map(|n| n.strip_prefix("sessions/")).map(|n| &n[..10]).collect();
    assert!(days.len() >= 2, "{days:?}");
}
