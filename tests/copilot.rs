//! GitHub Copilot CLI and VS Code Copilot Chat through the ingest engine, as a table of cases.
//!
//! The real fixtures (tests/fixtures/copilot/SOURCES.md) and the handmade cases below were counted
//! by hand, line by line, from the files themselves (the comments give the reading), never from
//! the adapters' output. The handmade VS Code storage document is built from VS Code's
//! `ISerializableChatData`, no real one being public (SOURCES.md).

mod common;

use agent_ledger::ingest::Ledger;
use agent_ledger::model::{Format, ToolStatus};

/// A tool call: tool, status, duration (ms), call line, output line.
type Tool = (&'static str, ToolStatus, Option<f64>, u32, Option<u32>);
/// A usage row: model, input, cached, cache writes, output, reasoning, line.
type Usage = (&'static str, i64, i64, i64, i64, i64, u32);

struct Case {
    name: &'static str,
    file: (String, Vec<u8>),
    format: Format,
    /// lines, parsed, skipped, duplicates, malformed.
    buckets: [u64; 5],
    session_id: &'static str,
    /// Query lines.
    queries: Vec<u32>,
    /// Routing rows: model, line.
    models: Vec<(&'static str, u32)>,
    tools: Vec<Tool>,
    usage: Vec<Usage>,
    usage_available: bool,
    /// Malformed lines and a part of their reason.
    malformed: Vec<(u32, &'static str)>,
}

const CLI_REAL: &str = "copilot/session-state/030f200c-c26f-4ef0-9099-6d1156c83631/events.jsonl";
const OPUS: &str = "claude-opus-4.7-1m-internal";
const HAIKU: &str = "claude-haiku-4.5";

fn cases() -> Vec<Case> {
    vec![
        // 34 events. Parsed: 1 start, 2 model_change, 4 user.message, 6/13/20 assistant messages
        // with tool requests, 7/14/15/21/22 starts, 10/18/23/24/29 completions, 34 shutdown = 17.
        // Skipped: system.message, turn markers, hooks, sub-agent markers, the replies 25 and 32.
        Case {
            name: "real Copilot CLI session (view, report_intent, a task sub-agent with two views)",
            file: common::fixture(CLI_REAL),
            format: Format::CopilotCli,
            buckets: [34, 17, 17, 0, 0],
            session_id: "030f200c-c26f-4ef0-9099-6d1156c83631",
            queries: vec![4],
            models: vec![(OPUS, 2)],
            // Durations: complete − start timestamps, e.g. task 16:14:46.065 − 40.526 = 5539 ms.
            tools: vec![
                ("view", ToolStatus::Ok, Some(31.0), 6, Some(10)),
                ("report_intent", ToolStatus::Ok, Some(4.0), 13, Some(18)),
                ("task", ToolStatus::Ok, Some(5539.0), 13, Some(29)),
                ("view", ToolStatus::Ok, Some(11.0), 20, Some(23)),
                ("view", ToolStatus::Ok, Some(15.0), 20, Some(24)),
            ],
            // session.shutdown modelMetrics, as logged.
            usage: vec![(HAIKU, 17050, 13964, 3069, 226, 0, 34), (OPUS, 81666, 54064, 27594, 521, 0, 34)],
            usage_available: true,
            malformed: vec![],
        },
        Case {
            name: "handmade Copilot CLI log: resume, failures, duplicates, broken lines",
            file: ("h/.copilot/session-state/hand-dir/events.jsonl".into(), HAND_CLI.as_bytes().to_vec()),
            format: Format::CopilotCli,
            buckets: [19, 11, 3, 1, 4],
            session_id: "hand-1",
            queries: vec![2],
            models: vec![("gpt-5.4", 1), ("claude-sonnet-4.5", 11), ("gpt-5-mini", 12)],
            tools: vec![
                ("bash", ToolStatus::Error, Some(1500.0), 3, Some(6)),
                ("unknown", ToolStatus::Ok, None, 9, Some(9)),
                ("bash", ToolStatus::Unknown, None, 13, None),
            ],
            usage: vec![("gpt-5-mini", 200, 0, 0, 30, 0, 17), ("gpt-5.4", 1000, 600, 0, 50, 20, 10)],
            usage_available: true,
            malformed: vec![
                (5, "not valid JSON"),
                (14, "`data` of a user.message event"),
                (15, "event without `type`"),
                (16, "valid JSON but not an object"),
            ],
        },
        // The first line is no known event: the path decides, the adapter reports the line.
        Case {
            name: "a Copilot CLI log told by its path",
            file: ("x/session-state/abc/events.jsonl".into(), PATH_ONLY.as_bytes().to_vec()),
            format: Format::CopilotCli,
            buckets: [2, 1, 0, 0, 1],
            session_id: "abc",
            queries: vec![2],
            models: vec![],
            tools: vec![],
            usage: vec![],
            usage_available: false,
            malformed: vec![(1, "event without `type`")],
        },
        // One request at line 16; its MCP tool failed (`resultDetails.isError`), 129 output bytes.
        Case {
            name: "real VS Code chat export, failed MCP tool",
            file: common::fixture("copilot/chatSessions/chat_error_mcp.json"),
            format: Format::VscodeCopilot,
            buckets: [170, 170, 0, 0, 0],
            session_id: "chat_error_mcp",
            queries: vec![16],
            models: vec![("claude-sonnet-4", 16)],
            tools: vec![("mcp_micmicai-mcp_update_entry_fields", ToolStatus::Error, None, 16, Some(16))],
            usage: vec![],
            usage_available: false,
            malformed: vec![],
        },
        Case {
            name: "real VS Code chat export, three MCP tools",
            file: common::fixture("copilot/chatSessions/chat_succes_mcp.json"),
            format: Format::VscodeCopilot,
            buckets: [333, 333, 0, 0, 0],
            session_id: "chat_succes_mcp",
            queries: vec![16],
            models: vec![("claude-sonnet-4", 16)],
            tools: vec![
                ("mcp_micmicai-mcp_get_documents", ToolStatus::Ok, None, 16, Some(16)),
                ("mcp_micmicai-mcp_get_entries", ToolStatus::Ok, None, 16, Some(16)),
                ("mcp_micmicai-mcp_update_entry_fields", ToolStatus::Ok, None, 16, Some(16)),
            ],
            usage: vec![],
            usage_available: false,
            malformed: vec![],
        },
        // Built from ISerializableChatData (no real storage file is public). Requests at lines 7
        // and 24; request 2 is cancelled with an empty message (no query).
        Case {
            name: "handmade VS Code chatSessions document: tokens, a denied and an unfinished tool",
            file: ("ws/ab12/chatSessions/vs-hand-1.json".into(), HAND_VSCODE.as_bytes().to_vec()),
            format: Format::VscodeCopilot,
            buckets: [34, 34, 0, 0, 0],
            session_id: "vs-hand-1",
            queries: vec![7],
            models: vec![("gpt-4.1", 7), ("claude-sonnet-4", 24)],
            tools: vec![
                ("copilot_readFile", ToolStatus::Ok, None, 7, Some(7)),
                ("copilot_runInTerminal", ToolStatus::Denied, None, 7, Some(7)),
                ("copilot_listDirectory", ToolStatus::Unknown, None, 24, None),
            ],
            usage: vec![("gpt-4.1", 1200, 0, 0, 80, 0, 7)],
            usage_available: true,
            malformed: vec![],
        },
        // Cut off mid-document: every line malformed, the reason at line 1 (the engine's rule).
        Case {
            name: "a torn chatSessions document told by its path",
            file: ("ws/ab12/chatSessions/torn.json".into(), b"{\n  \"version\": 3,\n  \"requests\": [\n".to_vec()),
            format: Format::VscodeCopilot,
            buckets: [3, 0, 0, 0, 3],
            session_id: "",
            queries: vec![],
            models: vec![],
            tools: vec![],
            usage: vec![],
            usage_available: false,
            malformed: vec![(1, "invalid VS Code chat JSON")],
        },
    ]
}

#[test]
fn every_case_matches_its_hand_count() {
    for case in cases() {
        let l: Ledger = common::ingest(std::slice::from_ref(&case.file));
        let (t, r) = (&l.tables, &l.report.files[0]);
        let name = case.name;
        assert_eq!(r.format, Some(case.format), "{name}: format");
        assert_eq!([r.lines, r.parsed, r.skipped, r.duplicates, r.malformed], case.buckets, "{name}: buckets");
        let issues: Vec<(u32, bool)> = r.issues.iter().map(|i| (i.line, true)).collect();
        let want: Vec<(u32, bool)> = case.malformed.iter().map(|(l, _)| (*l, true)).collect();
        assert_eq!(issues, want, "{name}: malformed lines {:?}", r.issues);
        for (issue, (_, part)) in r.issues.iter().zip(&case.malformed) {
            assert!(issue.reason.contains(part), "{name}: {} lacks {part}", issue.reason);
        }
        if case.session_id.is_empty() {
            assert!(t.sessions.is_empty(), "{name}: no session");
            continue;
        }
        assert_eq!(t.sessions.len(), 1, "{name}: sessions");
        let s = &t.sessions[0];
        assert_eq!((s.session_id.as_str(), s.usage_available), (case.session_id, case.usage_available), "{name}");
        assert!(t.queries.iter().all(|q| q.session_id == case.session_id), "{name}: query session ids");
        assert_eq!(t.queries.iter().map(|q| q.source.line).collect::<Vec<_>>(), case.queries, "{name}: queries");
        let models: Vec<(&str, u32)> = t.routing.iter().map(|r| (&*r.model, r.source.line)).collect();
        assert_eq!(models, case.models, "{name}: routing");
        let tools: Vec<Tool> = t
            .tool_calls
            .iter()
            .map(|c| (leak(&c.tool), c.status, c.duration_ms, c.source.line, c.output_source.map(|s| s.line)))
            .collect();
        assert_eq!(tools, case.tools, "{name}: tool calls");
        let mut usage: Vec<Usage> = t
            .usage
            .iter()
            .map(|u| {
                assert_eq!(u.total_tokens, u.input_tokens + u.output_tokens, "{name}: total");
                let (i, c, w, o, r) = (u.input_tokens, u.cached_input_tokens, u.cache_creation_input_tokens, u.output_tokens, u.reasoning_output_tokens);
                (leak(&u.model), i, c, w, o, r, u.source.line)
            })
            .collect();
        usage.sort_by_key(|u| (u.6, u.0));
        let mut want = case.usage.clone();
        want.sort_by_key(|u| (u.6, u.0));
        assert_eq!(usage, want, "{name}: usage rows");
    }
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

#[test]
fn real_cli_session_fields() {
    let l = common::ingest(&[common::fixture(CLI_REAL)]);
    let s = &l.tables.sessions[0];
    // session.start: startTime 16:14:28.083; the last event (shutdown) at 16:14:48.681.
    assert_eq!(s.start_ms, Some(1_779_812_068_083));
    assert_eq!(s.end_ms, Some(1_779_812_088_681));
    assert_eq!(s.workspace.as_deref(), Some("/Users/testuser/workspace/demo-project"));
    assert_eq!(s.cli_version.as_deref(), Some("1.0.55-1"));
    let t = &l.tables.tool_calls;
    // Request models: the main agent's opus, the sub-agent's haiku.
    let models: Vec<_> = t.iter().map(|c| c.model.as_deref().unwrap_or("")).collect();
    assert_eq!(models, [OPUS, OPUS, OPUS, HAIKU, HAIKU]);
    // `{"intent":"Delegating demo tasks to subagent"}` is 46 bytes; "Intent logged" 13.
    assert_eq!((t[1].args_bytes, t[1].output_bytes), (46, Some(13)));
    let q = &l.tables.queries[0];
    assert!(q.text.starts_with("Read .copilot/skills/demo-greeter/SKILL.md"), "{}", q.text);
    // Replies: the two assistant messages with text (lines 25 and 32, read by hand); the three
    // with only tool requests give none. Their lines stay counted as before (skipped).
    let r: Vec<(u32, &str)> = l.tables.replies.iter().map(|r| (r.source.line, r.preview.as_str())).collect();
    assert_eq!(r.len(), 2, "{r:?}");
    assert_eq!((r[0].0, r[1].0), (25, 32));
    assert!(r[0].1.starts_with("- Lines in hello.py: 6") && r[1].1.starts_with("Subagent findings:"), "{r:?}");
}

#[test]
fn handmade_details() {
    let l = common::ingest(&[("s/session-state/d/events.jsonl".into(), HAND_CLI.as_bytes().to_vec())]);
    let c = &l.tables.tool_calls;
    // "make: *** Error 2" is 17 bytes; the shell exited 2; the ghost output has no call.
    assert_eq!((c[0].exit_code, c[0].output_bytes), (Some(2), Some(17)));
    assert!(c[1].is_output_without_call());
    let s = &l.tables.sessions[0];
    assert_eq!((s.workspace.as_deref(), s.git_branch.as_deref()), (Some("/w"), Some("main")));
    assert_eq!(l.tables.routing[0].effort.as_deref(), Some("high"));
    // 2026-01-01T10:00:00Z to the last timestamped event, 2026-01-02T09:05:02Z.
    assert_eq!((s.start_ms, s.end_ms), (Some(1_767_261_600_000), Some(1_767_344_702_000)));

    let l = common::ingest(&[("ws/x/chatSessions/vs-hand-1.json".into(), HAND_VSCODE.as_bytes().to_vec())]);
    let (s, c) = (&l.tables.sessions[0], &l.tables.tool_calls);
    assert_eq!((s.start_ms, s.end_ms), (Some(1_767_261_600_000), Some(1_767_261_900_000)));
    assert_eq!(s.session_source.as_deref(), Some("panel"));
    // rawInput {"path":"main.rs"} is 18 bytes, the output "fn main() {}" 12.
    assert_eq!((c[0].args_bytes, c[0].output_bytes), (18, Some(12)));
}

const HAND_CLI: &str = r#"{"type":"session.start","data":{"sessionId":"hand-1","startTime":"2026-01-01T10:00:00.000Z","selectedModel":"gpt-5.4","reasoningEffort":"high","context":{"cwd":"/w","branch":"main"}},"id":"e1","timestamp":"2026-01-01T10:00:00.000Z","parentId":null}
{"type":"user.message","data":{"content":"fix the build"},"id":"e2","timestamp":"2026-01-01T10:00:01.000Z","parentId":"e1"}
{"type":"assistant.message","data":{"messageId":"m1","model":"gpt-5.4","content":"","toolRequests":[{"toolCallId":"c1","name":"bash","arguments":{"command":"make"},"type":"function"}],"outputTokens":10},"id":"e3","timestamp":"2026-01-01T10:00:02.000Z","parentId":"e2"}
{"type":"tool.execution_start","data":{"toolCallId":"c1","toolName":"bash","arguments":{"command":"make"}},"id":"e4","timestamp":"2026-01-01T10:00:02.500Z","parentId":"e3"}
not json {oops
{"type":"tool.execution_complete","data":{"toolCallId":"c1","success":false,"error":{"message":"exit 2"},"result":{"content":"make: *** Error 2","contents":[{"type":"shell_exit","exitCode":2,"shellId":"s"}]}},"id":"e5","timestamp":"2026-01-01T10:00:04.000Z","parentId":"e4"}
{"type":"tool.execution_complete","data":{"toolCallId":"c1","success":false,"error":{"message":"exit 2"},"result":{"content":"make: *** Error 2","contents":[{"type":"shell_exit","exitCode":2,"shellId":"s"}]}},"id":"e5","timestamp":"2026-01-01T10:00:04.000Z","parentId":"e4"}
{"type":"user.message","data":{"content":"<skill>read the pdf</skill>","source":"skill-pdf"},"id":"e6","timestamp":"2026-01-01T10:00:05.000Z","parentId":"e5"}
{"type":"tool.execution_complete","data":{"toolCallId":"ghost","success":true,"result":{"content":"ok"}},"id":"e7","timestamp":"2026-01-01T10:00:06.000Z","parentId":"e6"}
{"type":"session.shutdown","data":{"shutdownType":"routine","modelMetrics":{"gpt-5.4":{"requests":{"count":1},"usage":{"inputTokens":1000,"outputTokens":50,"cacheReadTokens":600,"cacheWriteTokens":0,"reasoningTokens":20}}}},"id":"e8","timestamp":"2026-01-01T10:00:10.000Z","parentId":"e7"}
{"type":"session.resume","data":{"resumeTime":"2026-01-02T09:00:00.000Z","selectedModel":"claude-sonnet-4.5"},"id":"e9","timestamp":"2026-01-02T09:00:00.000Z","parentId":"e8"}
{"type":"session.model_change","data":{"newModel":"gpt-5-mini","previousModel":"claude-sonnet-4.5"},"id":"e10","timestamp":"2026-01-02T09:01:00.000Z","parentId":"e9"}
{"type":"tool.execution_start","data":{"toolCallId":"u1","toolName":"bash","arguments":{"command":"ls"}},"id":"e11","timestamp":"2026-01-02T09:02:00.000Z","parentId":"e10"}
{"type":"user.message","data":{"content":42},"id":"e12","timestamp":"2026-01-02T09:03:00.000Z","parentId":"e11"}
{"data":{},"id":"e13"}
[1,2]
{"type":"session.shutdown","data":{"modelMetrics":{"gpt-5-mini":{"usage":{"inputTokens":200,"outputTokens":30,"cacheReadTokens":0,"cacheWriteTokens":0}}}},"id":"e14","timestamp":"2026-01-02T09:05:00.000Z","parentId":"e12"}
{"type":"assistant.usage","ephemeral":true,"data":{"model":"gpt-5-mini","inputTokens":5},"id":"e15","timestamp":"2026-01-02T09:05:01.000Z","parentId":"e14"}
{"type":"some.future_event","data":{},"id":"e16","timestamp":"2026-01-02T09:05:02.000Z","parentId":"e15"}
"#;

const PATH_ONLY: &str = r#"{"kind":"weird"}
{"type":"user.message","data":{"content":"hello"},"id":"p2","timestamp":"2026-01-03T00:00:00Z"}
"#;

const HAND_VSCODE: &str = r#"{
  "version": 3,
  "sessionId": "vs-hand-1",
  "creationDate": 1767261600000,
  "lastMessageDate": 1767261900000,
  "requests": [
    {
      "requestId": "request_1",
      "message": { "text": "explain main.rs", "parts": [] },
      "timestamp": 1767261610000,
      "modelId": "copilot/gpt-4.1",
      "response": [
        { "value": "Reading it." },
        { "kind": "toolInvocationSerialized", "toolId": "copilot_readFile", "toolCallId": "t1",
          "isConfirmed": { "type": 1 }, "isComplete": true,
          "toolSpecificData": { "kind": "input", "rawInput": {"path":"main.rs"} },
          "resultDetails": { "input": "{}", "output": [{ "type": "embed", "isText": true, "value": "fn main() {}" }], "isError": false } },
        { "kind": "toolInvocationSerialized", "toolId": "copilot_runInTerminal", "toolCallId": "t2",
          "isConfirmed": { "type": 0 }, "isComplete": true }
      ],
      "result": { "timings": { "firstProgress": 900, "totalElapsed": 4000 },
                  "metadata": { "promptTokens": 1200, "outputTokens": 80 } }
    },
    {
      "requestId": "request_2",
      "message": { "text": "" },
      "timestamp": 1767261700000,
      "modelId": "copilot/claude-sonnet-4",
      "isCanceled": true,
      "response": [{ "kind": "toolInvocationSerialized", "toolId": "copilot_listDirectory", "toolCallId": "t3", "isComplete": false }]
    }
  ],
  "initialLocation": "panel"
}
"#;
