//! One adapter per log format: bytes in, normalized records out.
//!
//! The ingest engine sniffs each file from its first non-blank line ([`sniff`]), then hands every
//! line to that format's [`LineParser`] (or, for formats that are one JSON document, the whole
//! document to a [`DocParser`]). An adapter decides each line's [`Bucket`]; the engine tallies them.
//! Rules that need every file at once (Claude dedup across files, Codex fork prefixes) run in
//! each adapter's `reconcile` after the last file.
//!
//! Bucket conventions every adapter follows (the generator's oracle relies on them):
//! - `Malformed`: not valid JSON, not a JSON object, or missing what the format requires
//!   (a Codex line without `type`, a tool-audit line without `tool`…). The reason names the problem
//!   and, for JSON errors, the column.
//! - `Parsed`: the line created or updated a record (session, routing row, query, usage row, tool
//!   call or its output, tool-audit row, API call).
//! - `Duplicate`: the line repeats a record already counted: a Codex `token_count` whose cumulative
//!   total did not change, a fork's replayed prefix (moved at reconcile), a Claude assistant line
//!   whose usage lost the dedup on (`message.id`, `requestId`) (moved at reconcile; its `tool_use`
//!   blocks are still recorded).
//! - `Skipped`: everything else that is valid: blank lines, known line types that carry nothing we
//!   show (reasoning, agent messages, summaries, snapshots, rate-limit-only `token_count`s, context
//!   markers, injected context, `<synthetic>` messages), and unknown line types.
//!
//! Replies (the agent's answers, [`crate::model::Reply`]) are kept as a preview for the session
//! view and search, but never decide a bucket: a line is counted exactly as it was before replies
//! were kept (an assistant message that made no other record stays `Skipped`), so the ingest
//! report, the generator's oracle and every download keep their numbers.

pub mod claude;
pub mod codex;
pub mod codex_legacy;
pub mod copilot;
pub mod fields;
pub mod gemini;
pub mod relay;
pub mod sniff;
pub(crate) mod stamp;
pub mod tool_audit;

use crate::model::{Format, Source, Tables};

/// What became of one line. Every line of every file ends in exactly one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bucket {
    /// Became (or updated) a record.
    Parsed,
    /// A known line that carries nothing we show (reasoning text, rate-limit refresh, blank line).
    Skipped,
    /// Repeats something already counted (re-emitted `token_count`, Claude per-block copies).
    Duplicate,
    /// Not valid for its format; the reason is reported with file and line.
    Malformed(String),
}

/// A streaming adapter for a line-oriented format.
pub trait LineParser {
    /// One line, without its line end, BOM or trailing CR; never blank (the engine skips those).
    fn line(&mut self, line: &[u8], src: Source, out: &mut Tables) -> Bucket;
    /// The file ended: emit what was held back (sessions, unanswered tool calls).
    fn finish(&mut self, out: &mut Tables);
}

/// An adapter for a format that is one JSON document per file.
pub trait DocParser {
    /// Parse the whole document; `Err` carries the reason it is malformed.
    fn parse(&mut self, doc: &[u8], file: crate::model::FileId, out: &mut Tables) -> Result<(), String>;
}

/// The adapter that reads a file, once its format is known.
pub enum Adapter {
    Lines(Box<dyn LineParser>),
    Doc(Box<dyn DocParser>),
}

/// Build the adapter for a sniffed format; `None` for [`Format::Unknown`].
pub fn adapter_for(format: Format) -> Option<Adapter> {
    Some(match format {
        Format::CodexRollout => Adapter::Lines(Box::new(codex::CodexParser::default())),
        Format::CodexG1 => Adapter::Lines(Box::new(codex_legacy::G1Parser::default())),
        Format::CodexG0 => Adapter::Doc(Box::new(codex_legacy::G0Parser)),
        Format::ClaudeCode => Adapter::Lines(Box::new(claude::ClaudeParser::default())),
        Format::GeminiJsonl => Adapter::Lines(Box::new(gemini::GeminiJsonlParser::default())),
        Format::GeminiJson => Adapter::Doc(Box::new(gemini::GeminiJsonParser)),
        Format::ToolAudit => Adapter::Lines(Box::new(tool_audit::ToolAuditParser)),
        Format::RelayCalls => Adapter::Lines(Box::new(relay::RelayParser)),
        Format::CopilotCli => Adapter::Lines(Box::new(copilot::CopilotCliParser::default())),
        Format::VscodeCopilot => Adapter::Doc(Box::new(copilot::VscodeChatParser)),
        Format::Unknown | Format::LedgerExport => return None,
    })
}

/// Cross-file rules, run once after every file was read. Each may move lines from
/// `parsed` to `duplicates` through `moved`, which the engine applies to the report.
pub fn reconcile(tables: &mut Tables, moved: &mut Vec<Source>) {
    codex::reconcile_forks(tables, moved);
    claude::dedupe_across_files(tables, moved);
    claude::dedupe_replies_across_files(tables);
}
