//! Which format a file is, decided from its content; the name only breaks a tie the content
//! leaves open ([`format_by_path`]: a Copilot log whose first line is no known event).
//!
//! The engine calls [`sniff_line`] with the first non-blank line. A line that is a complete JSON
//! object decides the format by the keys it carries (docs/formats.md, "Sniff"). A line that opens
//! a JSON value but does not parse alone is the start of a multi-line document, decided by
//! [`sniff_document`] once the whole file is read.

use crate::model::Format;
use serde::Deserialize;
use serde::de::IgnoredAny;

/// The verdict on a first line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniffed {
    /// A line-oriented format (or a one-line JSON document, see [`is_document_format`]).
    Format(Format),
    /// Opens a JSON document that spans lines: buffer the file and call [`sniff_document`].
    Document,
    /// Not a log we read; the reason goes into the ingest report.
    Unknown(String),
}

/// Formats whose whole file is one JSON document.
pub fn is_document_format(f: Format) -> bool {
    matches!(f, Format::CodexG0 | Format::GeminiJson | Format::VscodeCopilot)
}

/// Presence of the keys that tell the formats apart.
#[derive(Deserialize, Default)]
struct Keys<'a> {
    #[serde(borrow, rename = "type")]
    kind: Option<&'a str>,
    payload: Option<IgnoredAny>,
    record_type: Option<IgnoredAny>,
    id: Option<IgnoredAny>,
    timestamp: Option<IgnoredAny>,
    session: Option<IgnoredAny>,
    items: Option<IgnoredAny>,
    #[serde(rename = "sessionId")]
    session_id: Option<IgnoredAny>,
    #[serde(rename = "projectHash")]
    project_hash: Option<IgnoredAny>,
    messages: Option<IgnoredAny>,
    uuid: Option<IgnoredAny>,
    #[serde(rename = "leafUuid")]
    leaf_uuid: Option<IgnoredAny>,
    #[serde(rename = "messageId")]
    message_id: Option<IgnoredAny>,
    tool: Option<IgnoredAny>,
    status: Option<IgnoredAny>,
    result_chars: Option<IgnoredAny>,
    user: Option<IgnoredAny>,
    install_id: Option<IgnoredAny>,
    pipeline: Option<IgnoredAny>,
    backend: Option<IgnoredAny>,
    #[serde(rename = "$set")]
    set: Option<IgnoredAny>,
    data: Option<IgnoredAny>,
    requests: Option<IgnoredAny>,
    #[serde(rename = "responderUsername")]
    responder_username: Option<IgnoredAny>,
    #[serde(rename = "requesterUsername")]
    requester_username: Option<IgnoredAny>,
    #[serde(rename = "initialLocation")]
    initial_location: Option<IgnoredAny>,
    #[serde(rename = "creationDate")]
    creation_date: Option<IgnoredAny>,
}

/// The namespaces of Copilot CLI event types (`session.start`, `tool.execution_complete`…).
const COPILOT_NAMESPACES: &[&str] = &[
    "session", "user", "assistant", "tool", "subagent", "hook", "system", "skill", "permission", "abort",
    "model", "command", "external_tool", "pending_messages", "user_input", "elicitation", "sampling", "mcp",
];

/// Claude Code line types that can open a transcript.
const CLAUDE_TYPES: &[&str] = &[
    "user", "assistant", "system", "summary", "file-history-snapshot", "queue-operation",
    "progress", "attachment", "custom-title", "ai-title", "last-prompt", "agent-name",
    "permission-mode", "mode", "pr-link", "worktree-state",
];

/// Decide a file's format from its first non-blank line (BOM and CR already removed).
pub fn sniff_line(line: &[u8]) -> Sniffed {
    if is_utf16(line) {
        return Sniffed::Unknown("UTF-16 text, not UTF-8 (save the log as UTF-8 to read it)".into());
    }
    let first = line.iter().copied().find(|b| !b.is_ascii_whitespace());
    match first {
        Some(0) => return Sniffed::Unknown("binary data (starts with NUL bytes), not a log".into()),
        Some(b'{') | Some(b'[') => {}
        Some(_) => return Sniffed::Unknown(not_json_reason(line)),
        None => return Sniffed::Unknown("empty file".into()),
    }
    match object_keys(line) {
        Ok(Some(k)) => classify(&k),
        Ok(None) => Sniffed::Unknown("a JSON array, not a log".into()),
        // A valid prefix that ends early is a document spread over lines (pretty-printed JSON).
        Err(e) if e.is_eof() => Sniffed::Document,
        Err(e) if line.first() == Some(&b'[') => Sniffed::Unknown(format!("a JSON array, not a log ({e})")),
        Err(e) => Sniffed::Unknown(format!("first line is not valid JSON: {e}")),
    }
}

/// The keys of a JSON object; `None` for any other JSON value. Serde's derive also fills a struct
/// from an array, field by field in order: a line of 27 strings once sniffed as Codex (fuzzing,
/// `sniff`), so only an object is asked for its keys.
fn object_keys(bytes: &[u8]) -> Result<Option<Keys<'_>>, serde_json::Error> {
    let keys = serde_json::from_slice::<Keys>(bytes)?;
    let object = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    Ok(object.then_some(keys))
}

/// Decide the format of a whole multi-line JSON document.
pub fn sniff_document(doc: &[u8]) -> Sniffed {
    match object_keys(doc) {
        Ok(None) => Sniffed::Unknown("a JSON array, not a log of a known format".into()),
        Ok(Some(k)) => match classify(&k) {
            Sniffed::Format(f) if is_document_format(f) => Sniffed::Format(f),
            _ => Sniffed::Unknown("a JSON document of no known log format".into()),
        },
        Err(e) => Sniffed::Unknown(format!("not valid JSON: {e}")),
    }
}

fn classify(k: &Keys) -> Sniffed {
    let has_type = k.kind.is_some();
    if k.session.is_some() && k.items.is_some() {
        return Sniffed::Format(Format::CodexG0);
    }
    if k.session_id.is_some() && k.messages.is_some() {
        return Sniffed::Format(Format::GeminiJson);
    }
    if k.session_id.is_some() && k.project_hash.is_some() || k.set.is_some() {
        return Sniffed::Format(Format::GeminiJsonl);
    }
    if has_type && k.payload.is_some() {
        return Sniffed::Format(Format::CodexRollout);
    }
    if k.record_type.is_some() || (k.id.is_some() && k.timestamp.is_some() && !has_type) {
        return Sniffed::Format(Format::CodexG1);
    }
    if k.install_id.is_some() || (k.pipeline.is_some() && k.backend.is_some()) {
        return Sniffed::Format(Format::RelayCalls);
    }
    if k.tool.is_some() && k.status.is_some() && (k.user.is_some() || k.result_chars.is_some()) {
        return Sniffed::Format(Format::ToolAudit);
    }
    let copilot_type = k.kind.is_some_and(|t| t.split_once('.').is_some_and(|(ns, _)| COPILOT_NAMESPACES.contains(&ns)));
    if copilot_type && (k.data.is_some() || k.id.is_some()) {
        return Sniffed::Format(Format::CopilotCli);
    }
    let chat_keys = k.responder_username.is_some()
        || k.requester_username.is_some()
        || k.initial_location.is_some()
        || k.creation_date.is_some()
        || k.session_id.is_some();
    if k.requests.is_some() && chat_keys {
        return Sniffed::Format(Format::VscodeCopilot);
    }
    let claude_type = k.kind.is_some_and(|t| CLAUDE_TYPES.contains(&t));
    if claude_type && (k.session_id.is_some() || k.uuid.is_some() || k.leaf_uuid.is_some() || k.message_id.is_some())
    {
        return Sniffed::Format(Format::ClaudeCode);
    }
    Sniffed::Unknown("JSON of no known log format (no Codex, Claude, Gemini, Copilot, tool-audit or relay keys)".into())
}

/// The format a file's path names when its content does not decide: `session-state/<id>/
/// events.jsonl` is a Copilot CLI log, `chatSessions/<id>.json` a VS Code chat. Its lines then go
/// to that adapter, which reports each one it cannot read (malformed, with the reason).
pub fn format_by_path(name: &str) -> Option<Format> {
    let mut parts = name.rsplit(['/', '\\']);
    let (file, parent) = (parts.next()?, parts.next());
    let grandparent = parts.next();
    match file {
        "events.jsonl" if grandparent == Some("session-state") => Some(Format::CopilotCli),
        f if f.ends_with(".json") && parent == Some("chatSessions") => Some(Format::VscodeCopilot),
        _ => None,
    }
}

/// Text saved as UTF-16 (Windows PowerShell's `>` does so): a UTF-16 byte-order mark, or the
/// NUL high bytes of ASCII characters (`{\0"\0` little-endian, `\0{\0"` big-endian).
fn is_utf16(line: &[u8]) -> bool {
    match line {
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => true,
        [a, 0, b, 0, ..] | [0, a, 0, b, ..] => a.is_ascii_graphic() && b.is_ascii_graphic(),
        _ => false,
    }
}

fn not_json_reason(line: &[u8]) -> String {
    let head: String = String::from_utf8_lossy(&line[..line.len().min(24)])
        .chars()
        .map(|c| if c.is_control() { '·' } else { c })
        .collect();
    format!("not a JSON log (starts with \"{head}\")")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_lines_decide_the_format() {
        let table: &[(&str, Sniffed)] = &[
            (r#"{"timestamp":"2025-09-25T01:22:20Z","type":"session_meta","payload":{"id":"x"}}"#, Sniffed::Format(Format::CodexRollout)),
            (r#"{ "type" : "session_meta" , "payload" : { } , "timestamp" : "t" }"#, Sniffed::Format(Format::CodexRollout)),
            (r#"{"id":"0197","timestamp":"2025-06-01T10:00:00Z","instructions":null}"#, Sniffed::Format(Format::CodexG1)),
            (r#"{"record_type":"state"}"#, Sniffed::Format(Format::CodexG1)),
            (r#"{"session":{"id":"a"},"items":[]}"#, Sniffed::Format(Format::CodexG0)),
            (r#"{"type":"summary","summary":"s","leafUuid":"u"}"#, Sniffed::Format(Format::ClaudeCode)),
            (r#"{"type":"file-history-snapshot","messageId":"m","snapshot":{}}"#, Sniffed::Format(Format::ClaudeCode)),
            (r#"{"parentUuid":null,"sessionId":"s","type":"user","uuid":"u"}"#, Sniffed::Format(Format::ClaudeCode)),
            (r#"{"sessionId":"g","projectHash":"h","startTime":"t"}"#, Sniffed::Format(Format::GeminiJsonl)),
            (r#"{"sessionId":"g","projectHash":"h","messages":[]}"#, Sniffed::Format(Format::GeminiJson)),
            (r#"{"ts":"2026-01-01T00:00:00Z","user":"ann","tool":"bash","args":{},"status":"ok","result_chars":3,"result_snippet":"abc"}"#, Sniffed::Format(Format::ToolAudit)),
            (r#"{"ts":1767225600000,"install_id":"i","tier":"pro","pipeline":"p","backend":"b","model":"m","status":"success"}"#, Sniffed::Format(Format::RelayCalls)),
            (r#"{"type":"session.start","data":{"sessionId":"s"},"id":"e","timestamp":"t","parentId":null}"#, Sniffed::Format(Format::CopilotCli)),
            (r#"{"type":"hook.start","data":{},"id":"e"}"#, Sniffed::Format(Format::CopilotCli)),
            (r#"{"type":"user","data":{}}"#, Sniffed::Unknown("JSON of no known log format (no Codex, Claude, Gemini, Copilot, tool-audit or relay keys)".into())),
            (r#"{"version":3,"sessionId":"v","creationDate":1,"requests":[]}"#, Sniffed::Format(Format::VscodeCopilot)),
            (r#"{"requesterUsername":"u","responderUsername":"GitHub Copilot","requests":[]}"#, Sniffed::Format(Format::VscodeCopilot)),
            ("{\n", Sniffed::Document),
            (r#"{"session": {"id": "a","#, Sniffed::Document),
        ];
        for (line, want) in table {
            assert_eq!(&sniff_line(line.as_bytes()), want, "{line}");
        }
        assert!(matches!(sniff_line(b"hello world"), Sniffed::Unknown(r) if r.contains("not a JSON log")));
        for utf16 in [&b"\xFF\xFE{\0\"\0a\0"[..], b"{\0\"\0a\0\"\0", b"\0{\0\"\0a"] {
            assert!(matches!(sniff_line(utf16), Sniffed::Unknown(r) if r.starts_with("UTF-16 text")), "{utf16:?}");
        }
        assert!(matches!(sniff_line(b"\0\0\0{}"), Sniffed::Unknown(r) if r.starts_with("binary data")));
        // Fuzzing found an array of strings sniffed as Codex G0 (serde fills a struct from an
        // array by position): an array is never a format, as a line or as a document.
        let array = format!("[{}]", vec!["\"x\""; 27].join(", "));
        assert_eq!(sniff_line(array.as_bytes()), Sniffed::Unknown("a JSON array, not a log".into()));
        assert!(matches!(sniff_document(array.as_bytes()), Sniffed::Unknown(r) if r.starts_with("a JSON array")));
        assert!(matches!(sniff_line(br#"{"a":1}"#), Sniffed::Unknown(_)));
        assert!(matches!(sniff_line(br#"{"a":1,"#), Sniffed::Document));
        assert_eq!(sniff_document(b"{\n\"sessionId\": \"s\",\n\"messages\": []\n}"), Sniffed::Format(Format::GeminiJson));
        assert!(matches!(sniff_document(b"{\n\"a\": 1\n}"), Sniffed::Unknown(_)));
        assert_eq!(sniff_document(b"{\n\"requests\": [],\n\"initialLocation\": \"panel\"\n}"), Sniffed::Format(Format::VscodeCopilot));
        let paths = [
            ("h/.copilot/session-state/0a1b/events.jsonl", Some(Format::CopilotCli)),
            ("session-state\\0a1b\\events.jsonl", Some(Format::CopilotCli)),
            ("ws/9f/chatSessions/0a1b.json", Some(Format::VscodeCopilot)),
            ("events.jsonl", None),
            ("ws/chatSessions/0a1b.jsonl", None),
        ];
        for (path, want) in paths {
            assert_eq!(format_by_path(path), want, "{path}");
        }
    }
}
