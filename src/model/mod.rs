//! The normalized tables every format adapter fills and every view, check and export reads.
//!
//! One convention for tokens, the OpenAI one (DESIGN.md section 2):
//! `input_tokens` = every prompt token (for Claude: input + cache creation + cache read),
//! `cached_input_tokens` = cache reads (inside input), `cache_creation_input_tokens` = cache writes
//! (inside input), `output_tokens` includes reasoning/thinking, `total_tokens` = input + output.
//! The vendor's raw numbers stay on the row in [`RawUsage`], so nothing is lost and costs can use
//! the vendor's own formula.

mod format;
mod grow;
mod shared;
pub mod shared_serde;
mod text;

pub(crate) use grow::{extend_rows, push_row};
pub use format::{Format, Vendor};
pub use shared::{Interner, Shared};
pub use text::{SNIPPET_CHARS, shown, snippet};

use serde::{Deserialize, Serialize};

/// Index of a file in [`Tables::files`].
pub type FileId = u32;

/// Where a record came from: the file and its 1-based line number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub struct Source {
    pub file: FileId,
    pub line: u32,
}

/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

/// One input file as the engine saw it.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct SourceFile {
    /// The path the user dropped (relative inside a folder drop), as given.
    pub name: String,
    pub bytes: u64,
    pub gzip: bool,
    /// The machine the file was read on, for a file whose rows came from another machine's
    /// `agent-ledger-export.zip` (the name chosen at export); `None` = read here, on "this machine".
    pub machine: Option<String>,
}

/// The label of rows read on this machine when it has no name of its own.
pub const THIS_MACHINE: &str = "this machine";

/// A whole agent session (one Codex thread, one Claude session, one Gemini chat).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Session {
    pub session_id: String,
    pub format: Option<Format>,
    pub source: Source,
    pub start_ms: Option<Millis>,
    pub end_ms: Option<Millis>,
    /// The working directory the agent ran in (`cwd`), the workspace of the rollups.
    pub workspace: Option<String>,
    pub originator: Option<String>,
    pub cli_version: Option<String>,
    /// `cli`, `vscode`, `exec`, `subagent:review`, `subagent:thread_spawn`…
    pub session_source: Option<String>,
    pub parent_session_id: Option<String>,
    pub git_branch: Option<String>,
    pub git_commit: Option<String>,
    pub git_remote: Option<String>,
    pub model_provider: Option<String>,
    /// False for formats that log no token usage at all (Codex G0/G1): "unavailable", not zero.
    pub usage_available: bool,
    /// Codex: the thread's last cumulative `total_token_usage` (what A5 reconciles against).
    pub final_cumulative: Option<TokenCounts>,
    /// Codex fork/sub-agent: the cumulative usage of the parent's replayed prefix, which was not
    /// counted again because the parent file was loaded too.
    pub replayed_prefix: Option<TokenCounts>,
}

/// The routing record: which model, effort and policies served a request.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
/// One per model request, repeating its session's texts: those are [`Shared`].
pub struct RoutingRow {
    #[serde(with = "shared_serde")]
    pub session_id: Shared,
    pub source: Source,
    pub ts_ms: Option<Millis>,
    pub turn_id: Option<String>,
    #[serde(with = "shared_serde")]
    pub model: Shared,
    #[serde(with = "shared_serde::opt")]
    pub effort: Option<Shared>,
    #[serde(with = "shared_serde::opt")]
    pub approval_policy: Option<Shared>,
    #[serde(with = "shared_serde::opt")]
    pub sandbox_policy: Option<Shared>,
    #[serde(with = "shared_serde::opt")]
    pub cwd: Option<Shared>,
}

/// One thing a person asked (injected context excluded).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Query {
    pub session_id: String,
    pub source: Source,
    pub ts_ms: Option<Millis>,
    pub text: String,
}

/// One reply of the agent's model to the person (assistant text, not reasoning or tool calls),
/// kept short: a preview and the line it came from. The full text stays in the user's file and is
/// read back on demand through the raw-line panel, so a long answer costs the tables at most
/// [`SNIPPET_CHARS`] characters (issue #14).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Reply {
    #[serde(with = "shared_serde")]
    pub session_id: Shared,
    pub source: Source,
    pub ts_ms: Option<Millis>,
    /// The model that wrote it, when the line (or, for Codex, the turn it belongs to) says.
    #[serde(with = "shared_serde::opt")]
    pub model: Option<Shared>,
    /// [`snippet`] of the text: at most [`SNIPPET_CHARS`] characters and `…` after a cut.
    pub preview: String,
    /// Claude: a hash of `message.id` and the whole text, what copies of the same reply in other
    /// files (resumed sessions, sidechain replays) are recognised by; `None` for other formats.
    /// Serialized like every field: a part kept on the device (`ingest::codec`) must still drop
    /// the copies when it is joined again.
    pub copy_key: Option<u64>,
}

/// The token numbers exactly as the vendor logged them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RawUsage {
    // OpenAI / Codex (`TokenUsage`).
    pub input_tokens: i64,
    pub cached_input_tokens: i64,
    pub output_tokens: i64,
    pub reasoning_output_tokens: i64,
    pub total_tokens: i64,
    pub cache_write_input_tokens: i64,
    // Anthropic (`message.usage`); `input_tokens` above holds the uncached input for Claude.
    pub cache_creation_input_tokens: i64,
    pub cache_read_input_tokens: i64,
    pub cache_creation_5m_tokens: i64,
    pub cache_creation_1h_tokens: i64,
    // Gemini (`tokens`).
    pub thoughts_tokens: i64,
    pub tool_tokens: i64,
}

/// The five Codex counters, used for cumulative totals and reconciliation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, Hash)]
pub struct TokenCounts {
    pub input_tokens: i64,
    pub cached_input_tokens: i64,
    pub output_tokens: i64,
    pub reasoning_output_tokens: i64,
    pub total_tokens: i64,
}

impl TokenCounts {
    pub fn add(&mut self, o: &TokenCounts) {
        self.input_tokens += o.input_tokens;
        self.cached_input_tokens += o.cached_input_tokens;
        self.output_tokens += o.output_tokens;
        self.reasoning_output_tokens += o.reasoning_output_tokens;
        self.total_tokens += o.total_tokens;
    }
    pub fn sub(&self, o: &TokenCounts) -> TokenCounts {
        TokenCounts {
            input_tokens: self.input_tokens - o.input_tokens,
            cached_input_tokens: self.cached_input_tokens - o.cached_input_tokens,
            output_tokens: self.output_tokens - o.output_tokens,
            reasoning_output_tokens: self.reasoning_output_tokens - o.reasoning_output_tokens,
            total_tokens: self.total_tokens - o.total_tokens,
        }
    }
}

/// One billed model request, normalized to the OpenAI convention.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
/// Its session id and model repeat on every row of a session: they are [`Shared`].
pub struct UsageRow {
    #[serde(with = "shared_serde")]
    pub session_id: Shared,
    pub source: Source,
    pub ts_ms: Option<Millis>,
    #[serde(with = "shared_serde")]
    pub model: Shared,
    pub vendor: Option<Vendor>,
    pub input_tokens: i64,
    pub cached_input_tokens: i64,
    pub cache_creation_input_tokens: i64,
    pub output_tokens: i64,
    pub reasoning_output_tokens: i64,
    pub total_tokens: i64,
    pub raw: RawUsage,
    /// Codex: the thread's cumulative `total_token_usage` after this request.
    pub cumulative: Option<TokenCounts>,
    pub context_window: Option<i64>,
    pub rate_limit_primary_pct: Option<f64>,
    pub rate_limit_secondary_pct: Option<f64>,
    /// Claude: the kept snapshot had `stop_reason: null` (mid-stream, maybe under-reported).
    pub possibly_partial: bool,
    /// Claude `speed: "fast"` / Codex fast tier: priced with the fast multiplier.
    pub fast: bool,
    /// Claude: logged by a sidechain (sub-agent or `/btw`), `isSidechain: true`.
    pub sidechain: bool,
    /// Claude `message.id` / Codex turn id: what the row was deduplicated on.
    pub request_key: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ToolStatus {
    Ok,
    Error,
    Denied,
    /// No output was ever logged (interrupted, or the file ends first).
    #[default]
    Unknown,
}

impl ToolStatus {
    pub fn label(self) -> &'static str {
        match self {
            ToolStatus::Ok => "ok",
            ToolStatus::Error => "error",
            ToolStatus::Denied => "denied",
            ToolStatus::Unknown => "unknown",
        }
    }
}

/// Where a tool call's duration came from, best first (DESIGN.md section 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationSource {
    /// `duration{secs,nanos}` of an `*_end` event, or the tool's own `durationMs`.
    EndEvent,
    /// `metadata.duration_seconds` inside the output.
    OutputMetadata,
    /// The time between the call line and the output line.
    Timestamps,
}

/// One tool invocation by the agent, linked to its output by `call_id`. Its session id, tool,
/// kind and model repeat on many rows: they are [`Shared`].
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct ToolCall {
    #[serde(with = "shared_serde")]
    pub session_id: Shared,
    pub source: Source,
    /// The line of the output, when one was found.
    pub output_source: Option<Source>,
    pub ts_ms: Option<Millis>,
    pub call_id: Option<String>,
    #[serde(with = "shared_serde")]
    pub tool: Shared,
    /// `function_call`, `custom_tool_call`, `local_shell_call`, `web_search_call`, `tool_use`…
    #[serde(with = "shared_serde")]
    pub kind: Shared,
    pub args_bytes: u64,
    pub args_snippet: String,
    pub status: ToolStatus,
    pub exit_code: Option<i64>,
    pub duration_ms: Option<f64>,
    pub duration_source: Option<DurationSource>,
    pub output_bytes: Option<u64>,
    #[serde(with = "shared_serde::opt")]
    pub model: Option<Shared>,
}

/// The `kind` of the row an adapter makes for a tool output whose call was never logged, so the
/// audit can report it (DESIGN.md section 3: "an output without a call").
pub const OUTPUT_WITHOUT_CALL: &str = "output_without_call";

impl ToolCall {
    /// A placeholder for an orphan output, not a call.
    pub fn is_output_without_call(&self) -> bool {
        *self.kind == *OUTPUT_WITHOUT_CALL
    }
}

/// One line of a tool-call audit log (`tool_audit/YYYY-MM-DD.jsonl`).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct ToolAuditRow {
    pub source: Source,
    pub ts_ms: Option<Millis>,
    pub ts: String,
    pub user: String,
    pub engine: Option<String>,
    pub model: Option<String>,
    pub tool: String,
    pub args_bytes: u64,
    pub args_snippet: String,
    /// As logged: `ok`, `error`, `denied`, or anything else (flagged by the audit).
    pub status: String,
    pub result_chars: Option<i64>,
    pub result_snippet: String,
}

/// One line of an API / relay call log (`relay-calls.ndjson`).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct ApiCall {
    pub source: Source,
    pub ts_ms: Option<Millis>,
    pub install_id: String,
    pub tier: String,
    pub pipeline: String,
    pub backend: String,
    pub model: String,
    /// As logged: `success`, `error`, `refused`, or anything else.
    pub status: String,
    pub credit_charged: Option<f64>,
    pub duration_ms: Option<f64>,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub thinking_tokens: i64,
    pub cost_usd: Option<f64>,
    pub job_id: Option<String>,
    pub error: Option<String>,
}

/// Everything the files yielded, normalized. Rows keep their [`Source`].
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Tables {
    pub files: Vec<SourceFile>,
    pub sessions: Vec<Row<Session>>,
    pub routing: Vec<Row<RoutingRow>>,
    pub queries: Vec<Row<Query>>,
    /// The agent's replies, for the session view and search only (no download holds them).
    pub replies: Vec<Row<Reply>>,
    pub usage: Vec<Row<UsageRow>>,
    pub tool_calls: Vec<Row<ToolCall>>,
    pub tool_audit: Vec<Row<ToolAuditRow>>,
    pub api_calls: Vec<Row<ApiCall>>,
}

/// One row of a table, shared: a filtered or redacted view of the tables copies pointers, not
/// rows (issue #18.2: copying every kept row's strings was most of a filter change's time), and
/// redaction copies only the rows it changes ([`Arc::make_mut`]). Field access reads through it.
pub type Row<T> = std::sync::Arc<T>;

/// Rows made elsewhere (tests, fixtures), shared as a table holds them.
pub fn rows_of<T>(rows: impl IntoIterator<Item = T>) -> Vec<Row<T>> {
    rows.into_iter().map(Row::new).collect()
}

/// The rows of a table as plain references, for code that collects or passes `&T`.
pub trait Rows<T> {
    fn rows(&self) -> std::iter::Map<std::slice::Iter<'_, Row<T>>, fn(&Row<T>) -> &T>;
}

impl<T> Rows<T> for [Row<T>] {
    fn rows(&self) -> std::iter::Map<std::slice::Iter<'_, Row<T>>, fn(&Row<T>) -> &T> {
        self.iter().map(|r| &**r)
    }
}

impl Tables {
    /// `name:line` of a record, for findings and messages.
    pub fn locate(&self, s: Source) -> String {
        let name = self.files.get(s.file as usize).map(|f| f.name.as_str()).unwrap_or("?");
        format!("{name}:{}", s.line)
    }

    /// Give back the room the tables grew into but did not fill, and what dropped duplicates left
    /// (a third of the usage table's capacity on the real-world profile). Smallest tables first:
    /// each move copies one table while the others stay put.
    pub fn shrink_to_fit(&mut self) {
        self.files.shrink_to_fit();
        self.sessions.shrink_to_fit();
        self.api_calls.shrink_to_fit();
        self.queries.shrink_to_fit();
        self.replies.shrink_to_fit();
        self.tool_audit.shrink_to_fit();
        self.routing.shrink_to_fit();
        self.tool_calls.shrink_to_fit();
        self.usage.shrink_to_fit();
    }

    /// The machine a file's rows come from: its import label, else `local` (this machine's name,
    /// or [`THIS_MACHINE`] when it has none).
    pub fn machine_of<'a>(&'a self, id: FileId, local: &'a str) -> &'a str {
        let named = self.files.get(id as usize).and_then(|f| f.machine.as_deref());
        match named {
            Some(m) => m,
            None if local.is_empty() => THIS_MACHINE,
            None => local,
        }
    }

    /// Shift every [`Source`] by `offset` files: these tables' files are put after `offset`
    /// others (ingest in parts, imported exports).
    pub fn shift_files(&mut self, offset: FileId) {
        // The rows are this part's own (not yet shared), so `make_mut` copies nothing.
        let shift = |s: &mut Source| s.file += offset;
        self.sessions.iter_mut().for_each(|r| shift(&mut Row::make_mut(r).source));
        self.routing.iter_mut().for_each(|r| shift(&mut Row::make_mut(r).source));
        self.queries.iter_mut().for_each(|r| shift(&mut Row::make_mut(r).source));
        self.replies.iter_mut().for_each(|r| shift(&mut Row::make_mut(r).source));
        self.usage.iter_mut().for_each(|r| shift(&mut Row::make_mut(r).source));
        self.tool_audit.iter_mut().for_each(|r| shift(&mut Row::make_mut(r).source));
        self.api_calls.iter_mut().for_each(|r| shift(&mut Row::make_mut(r).source));
        for call in &mut self.tool_calls {
            let call = Row::make_mut(call);
            shift(&mut call.source);
            if let Some(out) = call.output_source.as_mut() {
                shift(out);
            }
        }
    }

    pub fn file_name(&self, id: FileId) -> &str {
        self.files.get(id as usize).map(|f| f.name.as_str()).unwrap_or("?")
    }
}
