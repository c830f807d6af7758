//! Redaction in the page: the rules in force (a switch each, `input[data-rule="<id>"]`, with
//! what each masked), custom rules, manual redactions with their provenance and an Undo, and the
//! rule file saved to or read from disk. Everything is one [`Redaction`], kept as JSON in the
//! settings (so in this browser, never any log content beyond what a person chose to mask) and
//! applied by the engine to every view and download.

mod manual;
mod rules;

pub use manual::RedactSelection;
pub use rules::RedactionPanel;

use super::state::AppState;
use crate::redact::Redaction;
use leptos::prelude::*;

/// The redaction in force: the saved rule file, else the built-in defaults.
pub fn current(settings: &crate::query::Settings) -> Redaction {
    match settings.redaction_rules.trim() {
        "" => Redaction::default(),
        text => Redaction::from_json(text).unwrap_or_default(),
    }
}

/// Change the redaction in force and have the engine apply it.
pub fn change(state: AppState, edit: impl FnOnce(&mut Redaction) -> Result<(), String>) -> Result<(), String> {
    let mut r = current(&state.settings.get_untracked());
    edit(&mut r)?;
    let json = r.to_json();
    state.configure(move |s| s.redaction_rules = json);
    Ok(())
}
