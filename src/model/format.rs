//! The log formats the engine recognises and the vendors whose token conventions they log in.

use serde::Serialize;

/// Every log format the ingest engine recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Codex TS CLI, one JSON document per session (`{session, items}`), no usage.
    CodexG0,
    /// Codex Rust CLI before Sept 2025: bare header line, bare items, no usage, no timestamps.
    CodexG1,
    /// Codex `{timestamp, type, payload}` lines (2025-09 onwards, all later additions).
    CodexRollout,
    ClaudeCode,
    /// Gemini CLI chat file, one JSON document.
    GeminiJson,
    /// Gemini CLI chat file, JSONL (header, messages, `$set` patches).
    GeminiJsonl,
    ToolAudit,
    RelayCalls,
    /// GitHub Copilot CLI `session-state/<id>/events.jsonl`: `{type, id, timestamp, parentId, data}`.
    CopilotCli,
    /// VS Code Copilot Chat `chatSessions/<id>.json` (or an exported chat): one JSON document.
    VscodeCopilot,
    /// Another machine's `agent-ledger-export.zip` (the team view): its CSV datasets read back.
    LedgerExport,
    /// Not a log this tool reads; the report says why.
    Unknown,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::CodexG0 => "codex-g0",
            Format::CodexG1 => "codex-g1",
            Format::CodexRollout => "codex",
            Format::ClaudeCode => "claude-code",
            Format::GeminiJson => "gemini-json",
            Format::GeminiJsonl => "gemini-jsonl",
            Format::ToolAudit => "tool-audit",
            Format::RelayCalls => "relay-calls",
            Format::CopilotCli => "copilot-cli",
            Format::VscodeCopilot => "vscode-copilot",
            Format::LedgerExport => "ledger-export",
            Format::Unknown => "unknown",
        }
    }

    /// The format a label names ([`Format::label`] read back, as the exports write it).
    pub fn from_label(label: &str) -> Option<Format> {
        const ALL: [Format; 12] = [
            Format::CodexG0,
            Format::CodexG1,
            Format::CodexRollout,
            Format::ClaudeCode,
            Format::GeminiJson,
            Format::GeminiJsonl,
            Format::ToolAudit,
            Format::RelayCalls,
            Format::CopilotCli,
            Format::VscodeCopilot,
            Format::LedgerExport,
            Format::Unknown,
        ];
        ALL.into_iter().find(|f| f.label() == label)
    }

    /// Which vendor's token convention the format logs in.
    pub fn vendor(self) -> Vendor {
        match self {
            Format::CodexG0 | Format::CodexG1 | Format::CodexRollout => Vendor::OpenAi,
            Format::ClaudeCode => Vendor::Anthropic,
            Format::GeminiJson | Format::GeminiJsonl => Vendor::Google,
            // Copilot serves OpenAI, Anthropic and Google models alike: each row's model decides.
            Format::ToolAudit | Format::RelayCalls | Format::CopilotCli | Format::VscodeCopilot | Format::LedgerExport
            | Format::Unknown => {
                Vendor::Other
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vendor {
    OpenAi,
    Anthropic,
    Google,
    Other,
}
