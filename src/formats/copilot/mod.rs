//! GitHub Copilot: the Copilot CLI's event log ([`cli`]) and VS Code Copilot Chat's session
//! documents ([`vscode`]). Shapes, mapping and what is not logged: docs/formats-copilot.md.

pub mod cli;
pub mod vscode;

pub use cli::CopilotCliParser;
pub use vscode::VscodeChatParser;

/// Copilot names its models with a provider prefix in some places (`copilot/claude-sonnet-4`
/// in VS Code's `modelId`); the price list knows them by the bare name.
pub(crate) fn bare_model(id: &str) -> &str {
    id.strip_prefix("copilot/").unwrap_or(id)
}

/// The session id a Copilot CLI log's path carries: `…/session-state/<id>/events.jsonl`.
pub fn session_id_from_path(name: &str) -> Option<&str> {
    let mut parts = name.rsplit(['/', '\\']);
    let (file, id, parent) = (parts.next()?, parts.next()?, parts.next()?);
    (file == "events.jsonl" && parent == "session-state" && !id.is_empty()).then_some(id)
}
