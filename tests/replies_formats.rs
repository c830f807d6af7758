//! Replies per adapter on small handmade lines, each worked out by hand: which line is an
//! answer, its preview, session and model, and that every line keeps the bucket it had before
//! replies were kept (Codex G2 and G1, Claude with its copies across files, Gemini rewrites).

use agent_ledger::ingest::ingest_all;
use agent_ledger::model::SNIPPET_CHARS;

/// A G2 rollout with every way Codex logs an answer: the `agent_message` event and the
/// `response_item` of the same answer, an image-only message, a user message, and a message
/// before any `session_meta` (its session id is patched when the file ends).
#[test]
fn codex_one_reply_per_answer_from_the_response_item() {
    let lines = [
        r#"{"timestamp":"2025-09-25T01:00:00.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"early"}]}}"#,
        r#"{"timestamp":"2025-09-25T01:00:01.000Z","type":"session_meta","payload":{"id":"th-1","cwd":"/p"}}"#,
        r#"{"timestamp":"2025-09-25T01:00:02.000Z","type":"turn_context","payload":{"cwd":"/p","model":"gpt-5-codex"}}"#,
        r#"{"timestamp":"2025-09-25T01:00:03.000Z","type":"event_msg","payload":{"type":"agent_message","message":"Done: two files."}}"#,
        r#"{"timestamp":"2025-09-25T01:00:03.500Z","type":"response_item","payload":{"type":"message","role":"assistant","phase":"final_answer","content":[{"type":"output_text","text":"Done:"},{"type":"output_text","text":"two files."}]}}"#,
        r#"{"timestamp":"2025-09-25T01:00:04.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"input_image","image_url":"x"}]}}"#,
        r#"{"timestamp":"2025-09-25T01:00:05.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}}"#,
        r#"{"timestamp":"2025-09-25T01:00:06.000Z","type":"event_msg","payload":{"type":"item_completed","item":{"type":"AgentMessage","text":"mirror"}}}"#,
    ];
    let file = lines.join("\n");
    let ledger = ingest_all([("r.jsonl", file.as_bytes())]);
    let got: Vec<(u32, &str, Option<&str>, &str)> = ledger
        .tables
        .replies
        .iter()
        .map(|r| (r.source.line, &*r.session_id, r.model.as_deref(), r.preview.as_str()))
        .collect();
    // Worked out by hand: lines 1 and 5 only; the model is the turn's; parts joined by "\n".
    assert_eq!(got, [(1, "th-1", None, "early"), (5, "th-1", Some("gpt-5-codex"), "Done:\ntwo files.")]);
    assert_eq!(ledger.tables.replies[1].ts_ms, Some(1_758_762_003_500));
    // The buckets are those of a log without replies: session_meta and turn_context parsed,
    // the rest skipped.
    let r = &ledger.report.files[0];
    assert_eq!((r.parsed, r.skipped, r.duplicates, r.malformed), (2, 6, 0, 0));
}

#[test]
fn codex_a_long_reply_keeps_a_capped_preview() {
    let long = "é".repeat(5_000);
    let line = format!(
        r#"{{"type":"response_item","payload":{{"type":"message","role":"assistant","content":[{{"type":"output_text","text":"{long}"}}]}}}}"#
    );
    let ledger = ingest_all([("r.jsonl", line.as_bytes())]);
    let preview = &ledger.tables.replies[0].preview;
    assert_eq!(preview.chars().count(), SNIPPET_CHARS + 1);
    assert!(preview.ends_with('…') && preview.len() < 500, "{}", preview.len());
}

/// Codex G1: bare items after a header; assistant messages are replies, their lines skipped.
#[test]
fn codex_g1_assistant_items_are_replies() {
    let lines = [
        r#"{"id":"g1-thread","timestamp":"2025-08-01T10:00:00Z","instructions":null}"#,
        r#"{"type":"message","role":"user","content":[{"type":"input_text","text":"list files"}]}"#,
        r#"{"record_type":"state"}"#,
        r#"{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Two files: a, b."}]}"#,
        r#"{"type":"message","role":"assistant","content":[]}"#,
    ];
    let bytes = lines.join("\n");
    let ledger = ingest_all([("rollout-g1.jsonl", bytes.as_bytes())]);
    let got: Vec<(u32, &str, Option<&str>, &str)> =
        ledger.tables.replies.iter().map(|r| (r.source.line, &*r.session_id, r.model.as_deref(), r.preview.as_str())).collect();
    assert_eq!(got, [(4, "g1-thread", None, "Two files: a, b.")]);
    let f = &ledger.report.files[0];
    // Header and the user query parsed; state and both assistant items skipped.
    assert_eq!((f.parsed, f.skipped, f.duplicates, f.malformed), (2, 3, 0, 0));
}

fn assistant(sid: &str, msg: &str, req: &str, content: &str, sidechain: bool) -> String {
    format!(
        r#"{{"type":"assistant","sessionId":"{sid}","isSidechain":{sidechain},"timestamp":"2025-10-01T10:00:00Z","requestId":"{req}","message":{{"id":"{msg}","model":"claude-sonnet-4-5","role":"assistant","content":{content},"usage":{{"input_tokens":10,"output_tokens":5}}}}}}"#
    )
}

/// Per-block lines of one message, a copy of a text line in a resumed file, a sidechain
/// replay in a sub-agent file, a `<synthetic>` line and a line without `message.id`.
#[test]
fn claude_one_reply_per_text_block_and_copies_dropped() {
    let a = [
        assistant("s1", "m1", "r1", r#"[{"type":"thinking","thinking":"hmm"}]"#, false),
        assistant("s1", "m1", "r1", r#"[{"type":"text","text":"Looking at it."}]"#, false),
        assistant("s1", "m1", "r1", r#"[{"type":"tool_use","id":"t1","name":"Bash","input":{}}]"#, false),
        assistant("s1", "m2", "r2", r#"[{"type":"text","text":"Done."},{"type":"text","text":"Bye."}]"#, false),
        assistant("s1", "m3", "r3", r#"[{"type":"text","text":"   "}]"#, false),
        r#"{"type":"assistant","sessionId":"s1","message":{"model":"<synthetic>","content":[{"type":"text","text":"API Error"}]}}"#.to_string(),
        r#"{"type":"assistant","sessionId":"s1","message":{"content":"plain string reply"}}"#.to_string(),
    ]
    .join("\n");
    // b.jsonl resumes s1 (copies m1's text line); agent-x.jsonl replays m2 under a new request.
    let b = assistant("s2", "m1", "r1", r#"[{"type":"text","text":"Looking at it."}]"#, false);
    let side = assistant("s1", "m2", "r-side", r#"[{"type":"text","text":"Done."},{"type":"text","text":"Bye."}]"#, true);
    // Given out of name order: which copy stays must not depend on it.
    let ledger = ingest_all([("b.jsonl", b.as_bytes()), ("agent-x.jsonl", side.as_bytes()), ("a.jsonl", a.as_bytes())]);
    let t = &ledger.tables;
    let got: Vec<(&str, u32, &str, Option<&str>, &str)> = t
        .replies
        .iter()
        .map(|r| (t.file_name(r.source.file), r.source.line, &*r.session_id, r.model.as_deref(), r.preview.as_str()))
        .collect();
    // By hand: a.jsonl lines 2, 4 and 7; the resumed copy in b.jsonl goes ("a.jsonl" sorts
    // first), and so does the sidechain replay ("a.jsonl" < "agent-x.jsonl": '.' < 'g').
    assert_eq!(
        got,
        [
            ("a.jsonl", 2, "s1", Some("claude-sonnet-4-5"), "Looking at it."),
            ("a.jsonl", 4, "s1", Some("claude-sonnet-4-5"), "Done.\nBye."),
            ("a.jsonl", 7, "s1", None, "plain string reply"),
        ]
    );
    // Buckets as without replies: per file (parsed, skipped, duplicates).
    let buckets: Vec<(u64, u64, u64)> = ledger.report.files.iter().map(|f| (f.parsed, f.skipped, f.duplicates)).collect();
    // b: its usage copy of m1|r1 loses to a's (tie, a.jsonl first); agent-x: a sidechain
    // replay of m2. a: m1 kept once (lines 2, 3 duplicates of line 1, equal sums), m2, m3
    // parsed, the synthetic and id-less lines skipped (no usage, no id).
    assert_eq!(buckets, [(0, 0, 1), (0, 0, 1), (3, 2, 2)]);
}

/// Gemini appends a message again when it changes: the text of the last write is the reply, and
/// the line's bucket is what it was without replies (same tokens: a duplicate).
#[test]
fn gemini_a_rewritten_message_keeps_its_last_text() {
    let lines = [
        r#"{"sessionId":"g1","projectHash":"h","startTime":"2026-04-29T21:39:22.319Z"}"#,
        r#"{"id":"m1","timestamp":"2026-04-29T21:39:35.125Z","type":"gemini","content":"","tokens":{"input":10,"output":5},"model":"gemini-3-flash-preview"}"#,
        r#"{"id":"m1","timestamp":"2026-04-29T21:39:35.125Z","type":"gemini","content":"Hello there.","tokens":{"input":10,"output":5},"model":"gemini-3-flash-preview"}"#,
        r#"{"id":"m2","timestamp":"2026-04-29T21:39:36.000Z","type":"gemini","content":[{"text":"Part one. "},{"text":"Part two."}],"model":"gemini-3-flash-preview"}"#,
    ];
    let bytes = lines.join("\n");
    let ledger = ingest_all([("chat.jsonl", bytes.as_bytes())]);
    let got: Vec<(u32, &str)> = ledger.tables.replies.iter().map(|r| (r.source.line, r.preview.as_str())).collect();
    assert_eq!(got, [(3, "Hello there."), (4, "Part one. Part two.")]);
    let f = &ledger.report.files[0];
    // Header and line 2 parsed; line 3 the same tokens again (duplicate); line 4 no tokens and
    // no tool calls (skipped, reply or not).
    assert_eq!((f.parsed, f.duplicates, f.skipped), (2, 1, 1));
}
