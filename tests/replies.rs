//! The agent's replies (`Tables::replies`): counts and previews per file on the real samples in
//! `../shared/corpus/real`, worked out by hand from the files (which line holds an assistant
//! answer, what its first 200 characters are), their message events in the session view, search
//! hits of kind `reply`, the preview cap, and the redaction of a preview. The expectations were
//! read off the JSON lines, not off the code.

#[path = "common/query_cases.rs"]
mod cases;

use agent_ledger::model::{Reply, SNIPPET_CHARS, Source, Tables};
use agent_ledger::query::{Request, Response};
use agent_ledger::redact::{self, Redaction};
use cases::*;
use std::collections::BTreeMap;

const FOUR: &str = "claude-code/agentcmd__full-session-four.jsonl";
const CODEX_0_40: &str = "codex-rollout/agentcmd__rollout-2025-09-24T19-22-20-01997e76-d124-7592-9cac-2ec05abbca08.jsonl";

fn find<'t>(t: &'t Tables, file: &str, line: u32) -> Option<&'t Reply> {
    t.replies.iter().map(|r| &**r).find(|r| t.file_name(r.source.file) == file && r.source.line == line)
}

#[test]
fn real_samples_give_each_answer_once() {
    let Some(files) = real() else { return };
    let ledger = ingest(&files);
    let t = &ledger.tables;
    let mut per_file: BTreeMap<&str, u32> = BTreeMap::new();
    for r in &t.replies {
        *per_file.entry(t.file_name(r.source.file)).or_default() += 1;
    }
    // Codex: one per `response_item` assistant message (each follows an `agent_message` with the
    // same text, which is not counted again); the CodexBar fork files log no messages. Claude:
    // the assistant lines with a `text` block, `<synthetic>` line 47 of the small fixture left
    // out. Gemini: the `gemini` messages whose content is not empty.
    let want: BTreeMap<&str, u32> = [
        ("claude-code/agent-sessions__claude__small.jsonl", 5),
        ("claude-code/agentcmd__full-session-five.jsonl", 3),
        (FOUR, 22),
        ("codex-rollout/agent-sessions__codex__small.jsonl", 1),
        (CODEX_0_40, 9),
        ("codex-rollout/agentcmd__rollout-2025-09-25T15-12-14-019982b8-3422-79e0-8b3b-05abaf4f3c3e.jsonl", 1),
        ("codex-rollout/localpush__rollout-2026-02-23T12-40-23-019c8a4c-ed82-79a1-aa28-7738fc5ab61a.jsonl", 43),
        ("codex-rollout/localpush__rollout-2026-02-23T12-54-34-019c8a59-e9dd-71f0-9ae3-4079fe9726a9.jsonl", 255),
        ("codex-rollout/localpush__rollout-2026-02-23T13-19-38-019c8a70-dda7-7f33-98ea-f30553347322.jsonl", 1),
        ("codex-rollout/localpush__rollout-2026-02-23T20-34-25-019c8bfe-ec25-79e0-97d7-bda6a9c575ff.jsonl", 6),
        ("gemini-cli/agent-sessions__gemini__jsonl_v040.jsonl", 1),
        ("gemini-cli/agent-sessions__gemini__small.json", 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(per_file, want);
    assert_eq!(t.replies.len(), 348);

    // Previews at file:line, with the model the line (or the Codex turn) names.
    let at = |file: &str, line: u32| find(t, file, line).unwrap_or_else(|| panic!("no reply at {file}:{line}"));
    let first = at(FOUR, 7);
    assert_eq!(first.preview, "I'll help you add the first two initials of the actual logged-in user to the NavUser component. Let me first find and read the NavUser component to understand its current implementation.");
    assert_eq!(first.model.as_deref(), Some("claude-sonnet-4-5-20250929"));
    // 1,106 characters in the file: the first 200 and the cut mark.
    let long = at(FOUR, 38);
    assert_eq!(long.preview, "Perfect! I've successfully completed the task. Here's what I did:\n\n## Summary\n\nI've updated the `NavUser` component to display the actual user's initials instead of the hardcoded \"CN\". \n\n### Changes m…");
    let codex = at(CODEX_0_40, 181);
    assert_eq!(codex.preview, "TeamSheet still renders a summary section that reads `currentTeam.stats.totalMembers`, `contributors`, and `viewers` (see `apps/spectora-labs/src/app/(protected)/settings/teams/components/TeamSheet.ts…");
    assert_eq!((&*codex.session_id, codex.model.as_deref()), ("01997e76-d124-7592-9cac-2ec05abbca08", Some("gpt-5-codex")));
    // Line 178 is the `agent_message` of the same answer: not a reply of its own.
    assert!(find(t, CODEX_0_40, 178).is_none());
    let g2_3 = at("codex-rollout/agent-sessions__codex__small.jsonl", 23);
    assert_eq!(g2_3.preview, "Found 2 files.");
    let gemini = at("gemini-cli/agent-sessions__gemini__jsonl_v040.jsonl", 5);
    assert_eq!((gemini.preview.as_str(), gemini.model.as_deref()), ("Hello! I listed the files.", Some("gemini-3-flash-preview")));
    // The JSON document: the message object starts on line 15.
    assert_eq!(at("gemini-cli/agent-sessions__gemini__small.json", 15).preview, "Hi!");
    // A sidechain line without model or message id (small fixture, line 18).
    let side = at("claude-code/agent-sessions__claude__small.jsonl", 18);
    assert_eq!((side.preview.as_str(), side.model.as_deref()), ("Done.", None));

    // Memory: no preview holds more than the cap (and its `…`), however long the answer (the
    // localpush final answers run to 7,665 characters).
    assert!(t.replies.iter().all(|r| r.preview.chars().count() <= SNIPPET_CHARS + 1));
    let held: usize = t.replies.iter().map(|r| r.preview.len()).sum();
    assert!(held < 348 * 4 * (SNIPPET_CHARS + 1), "{held} bytes of previews");
}

#[test]
fn a_session_shows_its_replies_as_message_events_in_line_order() {
    let Some(files) = real() else { return };
    let mut e = engine(&files);
    // The Claude session of full-session-four.
    let ledger = ingest(&files);
    let t = &ledger.tables;
    let id = t.sessions.iter().find(|s| t.file_name(s.source.file) == FOUR).map(|s| s.session_id.clone()).unwrap();
    let Response::Session(s) = e.answer(Request::Session { id: id.clone() }) else { panic!("no session {id}") };
    let events: Vec<_> = s.preamble.iter().chain(s.queries.iter().flat_map(|q| &q.events)).collect();
    let messages: Vec<(u32, &str)> = events.iter().filter(|ev| ev.kind == "message").map(|ev| (ev.line, ev.detail.as_str())).collect();
    // The 22 assistant text lines of the file, by hand: their line numbers in order.
    let lines: Vec<u32> = messages.iter().map(|m| m.0).collect();
    assert_eq!(lines, [7, 12, 17, 22, 26, 31, 34, 38, 41, 44, 47, 52, 56, 61, 64, 67, 72, 75, 78, 83, 86, 89]);
    assert!(events.iter().filter(|ev| ev.kind == "message").all(|ev| ev.file == FOUR && ev.title == "Reply · claude-sonnet-4-5-20250929"));
    assert!(messages[0].1.starts_with("I'll help you add the first two initials"));
    // Every event sits under the last query at or before its line, so a query's events are in
    // line order and the message of line 7 belongs to the first query.
    for q in &s.queries {
        assert!(q.events.windows(2).all(|w| w[0].line <= w[1].line), "query {}", q.number);
        assert!(q.events.iter().all(|ev| ev.line >= q.line));
    }
    assert!(s.queries[0].line < 7 && s.queries[0].events.iter().any(|ev| ev.kind == "message" && ev.line == 7));
}

#[test]
fn search_finds_text_in_replies() {
    let Some(files) = real() else { return };
    let mut e = engine(&files);
    // Only in the reply at line 38 of full-session-four (no prompt, argument or other reply
    // says it).
    let Response::Search { hits, more } = e.answer(Request::Search { text: "successfully completed the TASK".into(), limit: 50 }) else { panic!() };
    let got: Vec<(&str, &str, u32)> = hits.iter().map(|h| (h.kind.as_str(), h.file.as_str(), h.line)).collect();
    assert_eq!((got, more), (vec![("reply", FOUR, 38)], false));
    assert!(hits[0].preview.contains("successfully completed the task"), "{}", hits[0].preview);
    // Past the preview nothing is held: words from the end of that 1,106-character answer are
    // not found in the replies (the raw line has them).
    let Response::Search { hits, .. } = e.answer(Request::Search { text: "\"Jane Smith\" → \"JS\"".into(), limit: 50 }) else { panic!() };
    assert!(hits.iter().all(|h| h.kind != "reply"), "{hits:?}");
}

#[test]
fn a_reply_preview_is_masked_but_not_counted() {
    let mut t = Tables::default();
    t.files.push(agent_ledger::model::SourceFile { name: "a.jsonl".into(), ..Default::default() });
    t.replies.push(agent_ledger::model::Row::new(Reply {
        session_id: "s1".into(),
        source: Source { file: 0, line: 3 },
        preview: "Pushed with ghp_0123456789abcdefghijABCDEFGHIJ012345 as asked.".into(),
        ..Default::default()
    }));
    let r = Redaction::default();
    let redactor = r.redactor_for(&t, []);
    let report = redact::tables(&mut t, &redactor);
    assert_eq!(t.replies[0].preview, "Pushed with [REDACTED:github-token] as asked.");
    // No download holds replies, so `redaction.json` counts do not move.
    assert_eq!(report.rule("github-token").map_or(0, |h| h.count), 0);
}
