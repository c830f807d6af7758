//! One file per corner case, each with its expected buckets (docs/formats.md §1.3: real files hold
//! NUL-corrupted lines and an unterminated last line; docs/toolchain.md: spaced JSON must parse like
//! compact JSON; DESIGN.md section 1: a file that is not a log is named in the report and never
//! stops the rest; gzip- and zstd-compressed logs read as the same logs).

use super::claude::{self, ClaudeQuirks, ClaudeSpec, Streaming};
use super::codex::{self, CodexSpec, Era, Quirks};
use super::expect::Outcome;
use super::file::{FileWriter, Style};
use super::relay::{self, RelayQuirks, RelaySpec};
use super::rng::Rng;
use super::tool_audit::{self, AuditQuirks, AuditSpec};
use super::GeneratedFile;
use crate::model::Format;
use std::io::Write;

/// Every corner-case file, its sessions starting on `day_ms`.
pub fn all(rng: &mut Rng, day_ms: i64) -> Vec<GeneratedFile> {
    let hour = 3_600_000;
    let codex_case = |rng: &mut Rng, name: &str, start: i64, style: Style, quirks: Quirks| {
        let id = rng.uuid_v7(start);
        let spec = CodexSpec {
            name: format!("edge-cases/{name}"),
            thread_id: id,
            start_ms: start,
            cwd: "/home/ann/shop".into(),
            era: Era::V2026,
            models: vec!["gpt-5.2-codex".into(), "gpt-5-codex".into()],
            target_bytes: 30_000,
            style,
            fork_of: None,
            quirks,
        };
        codex::write(&spec, rng).file
    };
    let q = Quirks::default;
    let mut files = vec![
        codex_case(rng, "spaced-json.jsonl", day_ms + 8 * hour, Style { spaced: true, ..Style::default() }, q()),
        codex_case(rng, "crlf.jsonl", day_ms + 9 * hour, Style { crlf: true, ..Style::default() }, q()),
        codex_case(rng, "bom.jsonl", day_ms + 10 * hour, Style { bom: true, ..Style::default() }, q()),
        codex_case(rng, "blank-lines.jsonl", day_ms + 11 * hour, Style::default(), Quirks { blank_lines: true, ..q() }),
        codex_case(rng, "torn-last-line.jsonl", day_ms + 12 * hour, Style::default(), Quirks { torn_last_line: true, ..q() }),
        codex_case(rng, "unknown-types.jsonl", day_ms + 13 * hour, Style::default(), Quirks { unknown_types: true, ..q() }),
        codex_case(rng, "nul-line.jsonl", day_ms + 14 * hour, Style::default(), Quirks { nul_line: true, ..q() }),
        codex_case(rng, "missing-type.jsonl", day_ms + 15 * hour, Style::default(), Quirks { missing_type_line: true, ..q() }),
        codex_case(rng, "unanswered-call.jsonl", day_ms + 16 * hour, Style::default(), Quirks { unanswered_last_call: true, ..q() }),
        codex_case(rng, "compacted.jsonl", day_ms + 17 * hour, Style::default(), Quirks { force_compaction: true, a1_violation: true, ..q() }),
    ];
    let gz = codex_case(rng, "archived.jsonl", day_ms + 18 * hour, Style { crlf: true, ..Style::default() }, q());
    files.push(gzipped(gz));
    files.push(claude_case(rng, day_ms + 19 * hour));
    files.push(claude_proxy(rng, day_ms + 20 * hour));
    files.push(audit_case(rng, day_ms));
    files.push(gzipped(relay_case(rng, "edge-cases/relay-calls.3.ndjson", day_ms + 7 * hour)));
    files.push(not_a_log());
    files.push(config_json());
    files.push(FileWriter::new(Format::Unknown, Style::default()).finish("edge-cases/empty.jsonl".into()));
    // Last, so that the files above keep their bytes: Codex 0.137+ archives rollouts with zstd.
    let zst = codex_case(rng, "archived-zstd.jsonl", day_ms + 21 * hour, Style::default(), q());
    files.push(zstd_compressed(zst));
    files.push(zstd_compressed(relay_case(rng, "edge-cases/relay-calls.4.ndjson", day_ms + 22 * hour)));
    files
}

/// The same log, gzip-compressed (`.gz` appended to the name).
pub fn gzipped(mut f: GeneratedFile) -> GeneratedFile {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(&f.bytes);
    f.bytes = enc.finish().unwrap_or_default();
    f.name.push_str(".gz");
    f.expect.gzip = true;
    if !f.expect.note.is_empty() {
        f.expect.note.push_str("; ");
    }
    f.expect.note.push_str("gzip-compressed");
    f
}

/// The same log, zstd-compressed (`.zst` appended to the name), by `ruzstd`'s encoder.
pub fn zstd_compressed(mut f: GeneratedFile) -> GeneratedFile {
    f.bytes = ruzstd::encoding::compress_to_vec(f.bytes.as_slice(), ruzstd::encoding::CompressionLevel::Fastest);
    f.name.push_str(".zst");
    f.expect.zstd = true;
    if !f.expect.note.is_empty() {
        f.expect.note.push_str("; ");
    }
    f.expect.note.push_str("zstd-compressed");
    f
}

/// Spaced JSON with CRLF line ends, summaries, a `<synthetic>` message and a torn last line.
fn claude_case(rng: &mut Rng, start: i64) -> GeneratedFile {
    let spec = ClaudeSpec {
        name: format!("edge-cases/claude-spaced-crlf-{}.jsonl", rng.hex(6)),
        session_id: rng.uuid_v4(),
        start_ms: start,
        cwd: "/home/ann/shop".into(),
        version: "2.0.28",
        models: vec!["claude-sonnet-4-5-20250929".into()],
        streaming: Streaming::Partial,
        target_bytes: 25_000,
        style: Style { spaced: true, crlf: true, bom: false },
        request_ids: true,
        sidechain: None,
        copies: Vec::new(),
        quirks: ClaudeQuirks { torn_last_line: true, synthetic: true, summaries: true },
    };
    let mut out = claude::write(&spec, rng).file;
    out.expect.note.push_str("; spaced JSON with CRLF line ends");
    out
}

/// Claude Code behind a third-party endpoint: no `requestId`, a model with no known price.
fn claude_proxy(rng: &mut Rng, start: i64) -> GeneratedFile {
    let id = rng.uuid_v4();
    let spec = ClaudeSpec {
        name: format!("projects/-home-ann-ml-lab/{id}.jsonl"),
        session_id: id,
        start_ms: start,
        cwd: "/home/ann/ml-lab".into(),
        version: "2.1.233",
        models: vec!["qwen3-coder:30b".into()],
        streaming: Streaming::Growing,
        target_bytes: 20_000,
        style: Style::default(),
        request_ids: false,
        sidechain: None,
        copies: Vec::new(),
        quirks: ClaudeQuirks::default(),
    };
    let mut f = claude::write(&spec, rng).file;
    f.expect.note = "no requestId (dedup on message.id alone), unpriced model".into();
    f
}

fn audit_case(rng: &mut Rng, day_ms: i64) -> GeneratedFile {
    let spec = AuditSpec {
        name: "tool_audit/2026-11-16.jsonl".into(),
        user: "ann".into(),
        day_ms,
        target_bytes: 8_000,
        style: Style { spaced: true, ..Style::default() },
        quirks: AuditQuirks { unknown_status: true, missing_tool: true },
    };
    tool_audit::write(&spec, rng)
}

fn relay_case(rng: &mut Rng, name: &str, start: i64) -> GeneratedFile {
    let spec = RelaySpec {
        name: name.into(),
        start_ms: start,
        target_bytes: 8_000,
        style: Style::default(),
        quirks: RelayQuirks { status_error_disagree: true, cut_line: true },
    };
    relay::write(&spec, rng)
}

/// A Markdown file dropped with the logs: every line is skipped, the report says why.
fn not_a_log() -> GeneratedFile {
    let mut w = FileWriter::new(Format::Unknown, Style::default());
    for line in ["# Session logs", "", "Exported from the team laptop on 2026-11-16.", "Codex sessions are under `sessions/`."] {
        w.raw_line(line.as_bytes(), Outcome::Skipped);
    }
    w.note("not a log (Markdown)");
    w.finish("edge-cases/README.md".into())
}

/// A pretty-printed JSON document of no known log format: every line skipped.
fn config_json() -> GeneratedFile {
    let mut w = FileWriter::new(Format::Unknown, Style::default());
    for line in ["{", "  \"model\": \"gpt-5-codex\",", "  \"approval_policy\": \"on-request\",", "  \"history\": {\"persistence\": \"save-all\"}", "}"] {
        w.raw_line(line.as_bytes(), Outcome::Skipped);
    }
    w.note("a JSON document that is not a log");
    w.finish("edge-cases/config.json".into())
}
