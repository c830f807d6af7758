//! The page's built-in sample (`button#load-sample`, DESIGN.md section 5): a small corpus, well
//! under 1 MB, of every kind the page reads, with realistic names, several models (one with no
//! known price, so "unpriced" shows), workspaces and days, a few tool errors, and one planted case
//! for each audit finding the dashboard should demonstrate:
//! - a Codex `token_count` whose `total_tokens` is not input + output (A1);
//! - a Codex tool call that never got an output (the session ends on it);
//! - a relay call whose status says success while it logs an error;
//! - a tool-audit row with a status outside ok/error/denied.
//!
//! Pure computation from a fixed seed: no file system, clock or threads, fast in wasm.

use super::claude::{self, ClaudeQuirks, ClaudeSpec, Streaming};
use super::codex::{self, CodexSpec, Era, ForkOf, Quirks};
use super::copilot::{self, CopilotSpec};
use super::corners::{gzipped, zstd_compressed};
use super::file::{Style, codex_name, day_ms, file_stamp};
use super::gemini::{self, GeminiSpec};
use super::relay::{self, RelayQuirks, RelaySpec};
use super::rng::Rng;
use super::tool_audit::{self, AuditQuirks, AuditSpec};
use super::GeneratedFile;

/// The seed of the page's sample: it must never change without a reason (screenshots, docs).
pub const SAMPLE_SEED: u64 = 20_261_120;

/// The sample as `(path, bytes)` pairs, ready for ingest.
pub fn sample_files() -> Vec<(String, Vec<u8>)> {
    sample().into_iter().map(|f| (f.name, f.bytes)).collect()
}

/// The sample with its oracle.
pub fn sample() -> Vec<GeneratedFile> {
    let mut files = Vec::new();
    generate(SAMPLE_SEED, &mut |f| files.push(f));
    files
}

const H: i64 = 3_600_000;
const M: i64 = 60_000;

fn codex_spec(rng: &mut Rng, start: i64, cwd: &str, era: Era, models: &[&str], target: usize) -> CodexSpec {
    let id = rng.uuid_v7(start);
    CodexSpec {
        name: codex_name(start, &id, false),
        thread_id: id,
        start_ms: start,
        cwd: cwd.into(),
        era,
        models: models.iter().map(|m| m.to_string()).collect(),
        target_bytes: target,
        style: Style::default(),
        fork_of: None,
        quirks: Quirks::default(),
    }
}

fn claude_spec(rng: &mut Rng, start: i64, cwd: &str, model: &str, version: &'static str, target: usize) -> ClaudeSpec {
    let id = rng.uuid_v4();
    ClaudeSpec {
        name: format!("projects/{}/{id}.jsonl", cwd.replace(['/', '.'], "-")),
        session_id: id,
        start_ms: start,
        cwd: cwd.into(),
        version,
        models: vec![model.into()],
        streaming: if version.starts_with("2.1") { Streaming::Final } else { Streaming::Growing },
        target_bytes: target,
        style: Style::default(),
        request_ids: true,
        sidechain: None,
        copies: Vec::new(),
        quirks: ClaudeQuirks::default(),
    }
}

pub fn generate(seed: u64, sink: &mut dyn FnMut(GeneratedFile)) {
    let mut rng = Rng::new(seed);
    let day = |d: u32| day_ms(2026, 11, d);

    // Codex: an archived 0.40 session, compressed.
    let spec = codex_spec(&mut rng, day(17) + 16 * H + 5 * M, "/home/ann/blog", Era::V040, &["gpt-5-codex"], 40_000);
    let mut old = codex::write(&spec, &mut rng).file;
    old.name = old.name.replace("sessions/2026/11/17/", "archived_sessions/");
    sink(gzipped(old));

    // Codex: a session that switches models and compacts, then a fork of it.
    let mut spec = codex_spec(&mut rng, day(19) + 10 * H + 2 * M, "/home/ann/infra", Era::V2026, &["gpt-5.2-codex", "gpt-5-codex"], 70_000);
    spec.quirks.force_compaction = true;
    let parent = codex::write(&spec, &mut rng);
    let prefix = parent.events.len().min(6);
    let replay = parent.events[..prefix].to_vec();
    sink(parent.file);
    let mut child = codex_spec(&mut rng, day(19) + 13 * H + 40 * M, "/home/ann/infra", Era::V2026, &["gpt-5-codex"], 30_000);
    child.fork_of = Some(ForkOf { parent_id: spec.thread_id.clone(), replay });
    sink(codex::write(&child, &mut rng).file);

    // Codex: the A1 violation, and a session that ends on an unanswered tool call.
    let mut spec = codex_spec(&mut rng, day(20) + 9 * H + 12 * M + 3_000, "/home/ann/shop", Era::V2026, &["gpt-5.2-codex"], 50_000);
    spec.quirks.a1_violation = true;
    spec.quirks.unanswered_last_call = true;
    sink(codex::write(&spec, &mut rng).file);

    // Claude Code: a main session and its sub-agent, an Opus session, and a local model behind a
    // proxy (no requestId, no known price).
    let mut spec = claude_spec(&mut rng, day(18) + 14 * H, "/home/ann/shop", "claude-sonnet-4-5-20250929", "2.0.28", 60_000);
    spec.quirks = ClaudeQuirks { summaries: true, synthetic: true, torn_last_line: false };
    let main = claude::write(&spec, &mut rng);
    let replay = main.kept.iter().take(1).cloned().collect();
    sink(main.file);
    let mut sub = claude_spec(&mut rng, day(18) + 14 * H + 20 * M, "/home/ann/shop", "claude-sonnet-4-5-20250929", "2.0.28", 25_000);
    let agent = rng.hex(8);
    sub.name = format!("projects/-home-ann-shop/{}/subagents/agent-{agent}.jsonl", spec.session_id);
    sub.session_id = spec.session_id.clone();
    sub.sidechain = Some((agent, replay));
    sink(claude::write(&sub, &mut rng).file);
    let spec = claude_spec(&mut rng, day(21) + 11 * H, "/home/ann/blog", "claude-opus-4-5", "2.1.233", 45_000);
    sink(claude::write(&spec, &mut rng).file);
    let mut spec = claude_spec(&mut rng, day(20) + 17 * H, "/home/ann/ml-lab", "qwen3-coder:30b", "2.1.233", 15_000);
    spec.request_ids = false;
    sink(claude::write(&spec, &mut rng).file);

    // Gemini CLI: a JSONL chat and an older JSON chat.
    for (d, document) in [(19, false), (21, true)] {
        let start = day(d) + 15 * H + 30 * M;
        let (hash, id) = (rng.hex(64), rng.uuid_v4());
        let ext = if document { "json" } else { "jsonl" };
        let spec = GeminiSpec {
            name: format!(".gemini/tmp/{hash}/chats/session-{}-{}.{ext}", &file_stamp(start)[..16], &id[..8]),
            session_id: id,
            project_hash: hash,
            start_ms: start,
            model: "gemini-2.5-pro".into(),
            target_bytes: 12_000,
            document,
        };
        sink(gemini::write(&spec, &mut rng));
    }

    // Tool audit: two days, one row with an unknown status.
    for (d, unknown_status) in [(19, false), (20, true)] {
        let spec = AuditSpec {
            name: format!("tool_audit/2026-11-{d}.jsonl"),
            user: "ann".into(),
            day_ms: day(d),
            target_bytes: 9_000,
            style: Style::default(),
            quirks: AuditQuirks { unknown_status, missing_tool: false },
        };
        sink(tool_audit::write(&spec, &mut rng));
    }

    // Relay calls, one whose status and error disagree.
    let spec = RelaySpec {
        name: "relay-calls.ndjson".into(),
        start_ms: day(19) + 8 * H,
        target_bytes: 14_000,
        style: Style::default(),
        quirks: RelayQuirks { status_error_disagree: true, cut_line: false },
    };
    sink(relay::write(&spec, &mut rng));

    // Codex: a session archived with zstd, as Codex 0.137 and later archive old rollouts (last,
    // so that the files above keep their bytes).
    let spec = codex_spec(&mut rng, day(16) + 11 * H + 40 * M, "/home/ann/shop", Era::V2026, &["gpt-5.2-codex"], 30_000);
    let mut old = codex::write(&spec, &mut rng).file;
    old.name = codex_name(spec.start_ms, &spec.thread_id, true);
    sink(zstd_compressed(old));

    // GitHub Copilot: a CLI session that switches models, and a VS Code chat (after the files
    // above, so that they keep their bytes).
    let id = rng.uuid_v4();
    let spec = CopilotSpec {
        name: format!(".copilot/session-state/{id}/events.jsonl"),
        session_id: id,
        start_ms: day(20) + 10 * H,
        cwd: "/home/ann/shop".into(),
        models: vec!["claude-sonnet-4.5".into(), "gpt-5.4".into()],
        target_bytes: 14_000,
    };
    sink(copilot::write_cli(&spec, &mut rng));
    let (hash, id) = (rng.hex(32), rng.uuid_v4());
    let spec = CopilotSpec {
        name: format!("Code/User/workspaceStorage/{hash}/chatSessions/{id}.json"),
        session_id: id,
        start_ms: day(21) + 16 * H,
        cwd: "/home/ann/blog".into(),
        models: vec!["gpt-4.1".into(), "claude-sonnet-4".into()],
        target_bytes: 8_000,
    };
    sink(copilot::write_vscode(&spec, &mut rng));
}
