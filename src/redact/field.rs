//! Which text redaction reads, and how a manual redaction names a row.
//!
//! Every `String` of [`crate::model`] was looked at once; the decision for each is in [`Field`]
//! (redacted) or in the list below (left as logged). The rule for leaving a field alone: it is a
//! key, an id or a vocabulary word that joins tables, groups rollups, prices rows or decides an
//! audit check, and no person types free text into it. Masking such a value would change what the
//! numbers are grouped or priced by, so usage totals and costs could move; keeping it cannot leak
//! what a person wrote.
//! - `session_id`, `parent_session_id` (every table): the key that joins sessions, usage, prompts and
//!   tool calls, and the A5 reconciliation; a masked id would merge or split sessions.
//! - `model` (routing, usage, tool calls, tool audit, API calls): the price key and a rollup key;
//!   costs are computed from it.
//! - `turn_id`, `call_id`, `request_key`, `job_id`, `install_id`: ids used for linking, dedup and
//!   the `distinct_jobs` / `by_install` rollups.
//! - `tool`, `kind`, `status`, `engine`, `tier`, `pipeline`, `backend`: rollup keys and audit inputs
//!   (A12, A14 read the status words).
//! - `originator`, `cli_version`, `session_source`, `model_provider`, `effort`, `approval_policy`,
//!   `sandbox_policy`: the agent's own vocabulary.
//! - `git_commit`: a hex hash (and masking hashes is the classic false positive).
//! - `ts` of tool-audit rows: the time as logged.

use crate::model::{FileId, Source, Tables};
use serde::{Deserialize, Serialize};

/// The tables a manual redaction can point into (named like [`Tables`]' fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    Files,
    Sessions,
    Routing,
    Queries,
    Replies,
    ToolCalls,
    ToolAudit,
    ApiCalls,
}

impl Table {
    pub fn name(self) -> &'static str {
        match self {
            Table::Files => "files",
            Table::Sessions => "sessions",
            Table::Routing => "routing",
            Table::Queries => "queries",
            Table::Replies => "replies",
            Table::ToolCalls => "tool_calls",
            Table::ToolAudit => "tool_audit",
            Table::ApiCalls => "api_calls",
        }
    }
}

/// One redacted text field, named `table.column` (e.g. `queries.text`) in rule files and
/// previews. The last group is text the export derives (copies of table text, or notes the
/// ingest wrote); it is redacted there with the same rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// The path the user dropped: may hold home directories and user names.
    FileName,
    /// The working directory (`cwd`): paths.
    Workspace,
    /// Branch names are typed by people (`ana/fix-login`).
    GitBranch,
    /// Remotes carry tokens and passwords (`https://user:token@host/...`).
    GitRemote,
    RoutingCwd,
    /// Everything a person typed.
    QueryText,
    /// What the model answered: it quotes files, command output and the prompt, secrets included.
    ReplyPreview,
    /// Commands, file contents, tokens passed on the command line.
    ToolArgs,
    /// A user name as logged (personal data).
    AuditUser,
    AuditArgs,
    AuditResult,
    /// Error texts quote requests and keys.
    ApiError,
    /// `ingest_report.csv` `file`: a copy of [`Field::FileName`].
    IngestFile,
    /// `ingest_report.csv` `note`: may quote the file's bytes.
    IngestNote,
    /// Malformed-line reasons (rows of `audit_findings.csv` with check `INGEST`).
    IngestIssue,
    /// `audit_findings.csv` `file`: a copy of [`Field::FileName`].
    FindingFile,
    /// Finding messages quote table values.
    FindingMessage,
    /// `audit.json` reconciliation `file`: a copy of [`Field::FileName`].
    ReconciliationFile,
    /// `summary.json` `by_workspace[].workspace`: a copy of [`Field::Workspace`].
    SummaryWorkspace,
    /// `summary.json` `tool_audit.by_user[].key`: a copy of [`Field::AuditUser`].
    SummaryUser,
    /// A log line read back from its file to be shown (`query::raw`): the text the tables were
    /// made from, so masked like them, not counted again.
    RawLine,
}

impl Field {
    pub const ALL: [Field; 21] = [
        Field::FileName,
        Field::Workspace,
        Field::GitBranch,
        Field::GitRemote,
        Field::RoutingCwd,
        Field::QueryText,
        Field::ReplyPreview,
        Field::ToolArgs,
        Field::AuditUser,
        Field::AuditArgs,
        Field::AuditResult,
        Field::ApiError,
        Field::IngestFile,
        Field::IngestNote,
        Field::IngestIssue,
        Field::FindingFile,
        Field::FindingMessage,
        Field::ReconciliationFile,
        Field::SummaryWorkspace,
        Field::SummaryUser,
        Field::RawLine,
    ];

    /// `table.column`.
    pub fn name(self) -> &'static str {
        match self {
            Field::FileName => "files.name",
            Field::Workspace => "sessions.workspace",
            Field::GitBranch => "sessions.git_branch",
            Field::GitRemote => "sessions.git_remote",
            Field::RoutingCwd => "routing.cwd",
            Field::QueryText => "queries.text",
            Field::ReplyPreview => "replies.preview",
            Field::ToolArgs => "tool_calls.args_snippet",
            Field::AuditUser => "tool_audit.user",
            Field::AuditArgs => "tool_audit.args_snippet",
            Field::AuditResult => "tool_audit.result_snippet",
            Field::ApiError => "api_calls.error",
            Field::IngestFile => "ingest_report.file",
            Field::IngestNote => "ingest_report.note",
            Field::IngestIssue => "ingest_report.issue",
            Field::FindingFile => "audit_findings.file",
            Field::FindingMessage => "audit_findings.message",
            Field::ReconciliationFile => "reconciliation.file",
            Field::SummaryWorkspace => "summary.workspace",
            Field::SummaryUser => "summary.user",
            Field::RawLine => "raw.line",
        }
    }

    pub fn parse(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The table and column a manual redaction of one row names.
    pub fn of(table: Table, column: &str) -> Option<Field> {
        Field::parse(&format!("{}.{column}", table.name())).filter(|f| f.table() == Some(table))
    }

    /// The table of a field of the tables (`None` for text the export derives).
    pub fn table(self) -> Option<Table> {
        Some(match self {
            Field::FileName => Table::Files,
            Field::Workspace | Field::GitBranch | Field::GitRemote => Table::Sessions,
            Field::RoutingCwd => Table::Routing,
            Field::QueryText => Table::Queries,
            Field::ReplyPreview => Table::Replies,
            Field::ToolArgs => Table::ToolCalls,
            Field::AuditUser | Field::AuditArgs | Field::AuditResult => Table::ToolAudit,
            Field::ApiError => Table::ApiCalls,
            _ => return None,
        })
    }

    /// The column name inside its table (`text` of `queries.text`).
    pub fn column(self) -> &'static str {
        let name = self.name();
        name.split_once('.').map_or(name, |(_, c)| c)
    }

    /// Whether hits here count towards a rule's `count`. Copies of text that is counted where it
    /// first appears (file names, workspaces, users, messages made from table values) are masked
    /// but not counted again, so a count is the number of masked places in the logs, the same
    /// whether the tables were redacted before the export or by it. Reply previews are masked
    /// wherever they are shown but not counted: no download holds them, so `redaction.json` keeps
    /// counting what the downloads hold.
    pub fn counted(self) -> bool {
        !matches!(
            self,
            Field::ReplyPreview
                | Field::IngestFile
                | Field::FindingFile
                | Field::FindingMessage
                | Field::ReconciliationFile
                | Field::SummaryWorkspace
                | Field::SummaryUser
                | Field::RawLine
        )
    }
}

/// A row that stays the same row when filters change and across reloads of the same files: the
/// file's name as dropped (unredacted), the 1-based line, and which of the rows made from that
/// line (`nth`, from 0; one Claude line can give several tool calls). Rows of the `files` table
/// use line 0.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RowRef {
    pub file: String,
    pub line: u32,
    #[serde(default)]
    pub nth: u32,
}

impl RowRef {
    /// The reference of row `index` of `table` in `tables` (what a view shows, filtered or not).
    /// `files` must be the unredacted file list (the ledger's `tables.files`): filters keep every
    /// file, so file ids agree.
    pub fn of(tables: &Tables, files: &[crate::model::SourceFile], table: Table, index: usize) -> Option<RowRef> {
        let name = |id: FileId| files.get(id as usize).map(|f| f.name.clone());
        if table == Table::Files {
            return Some(RowRef { file: name(index as FileId)?, line: 0, nth: 0 });
        }
        let sources = sources(tables, table);
        let source = *sources.get(index)?;
        let nth = sources[..index].iter().rev().take_while(|s| **s == source).count() as u32;
        Some(RowRef { file: name(source.file)?, line: source.line, nth })
    }
}

/// The `source` of every row of a table (in row order); empty for `files`.
pub fn sources(t: &Tables, table: Table) -> Vec<Source> {
    match table {
        Table::Files => Vec::new(),
        Table::Sessions => t.sessions.iter().map(|r| r.source).collect(),
        Table::Routing => t.routing.iter().map(|r| r.source).collect(),
        Table::Queries => t.queries.iter().map(|r| r.source).collect(),
        Table::Replies => t.replies.iter().map(|r| r.source).collect(),
        Table::ToolCalls => t.tool_calls.iter().map(|r| r.source).collect(),
        Table::ToolAudit => t.tool_audit.iter().map(|r| r.source).collect(),
        Table::ApiCalls => t.api_calls.iter().map(|r| r.source).collect(),
    }
}

/// The text of one field of one row, as the tables hold it (`None` when absent).
pub fn text_of(t: &Tables, field: Field, index: usize) -> Option<&str> {
    match field {
        Field::FileName => t.files.get(index).map(|f| f.name.as_str()),
        Field::Workspace => t.sessions.get(index)?.workspace.as_deref(),
        Field::GitBranch => t.sessions.get(index)?.git_branch.as_deref(),
        Field::GitRemote => t.sessions.get(index)?.git_remote.as_deref(),
        Field::RoutingCwd => t.routing.get(index)?.cwd.as_deref(),
        Field::QueryText => t.queries.get(index).map(|q| q.text.as_str()),
        Field::ReplyPreview => t.replies.get(index).map(|r| r.preview.as_str()),
        Field::ToolArgs => t.tool_calls.get(index).map(|c| c.args_snippet.as_str()),
        Field::AuditUser => t.tool_audit.get(index).map(|a| a.user.as_str()),
        Field::AuditArgs => t.tool_audit.get(index).map(|a| a.args_snippet.as_str()),
        Field::AuditResult => t.tool_audit.get(index).map(|a| a.result_snippet.as_str()),
        Field::ApiError => t.api_calls.get(index)?.error.as_deref(),
        _ => None,
    }
}
