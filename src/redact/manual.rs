//! Manual redactions: a person picks text and hides it, and says who, when and why.

use super::field::{Field, RowRef, Table};
use crate::model::Millis;
use serde::{Deserialize, Serialize};

/// What a manual redaction covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Bytes `start..end` of one field of one row, counted in the field's text as logged (before
    /// any redaction), on character boundaries. Out of range or off a boundary: not applied, and
    /// its count stays 0.
    Occurrence { table: Table, row: RowRef, field: String, start: usize, end: usize },
    /// The whole text of one field of one row.
    Field { table: Table, row: RowRef, field: String },
    /// Every occurrence of `text` (exact, case-sensitive) in every redacted field.
    Everywhere { text: String },
}

/// One manual redaction with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manual {
    /// Given by [`super::Redaction::add_manual`] when empty (`manual-1`, `manual-2`, …).
    #[serde(default)]
    pub id: String,
    pub scope: Scope,
    pub replacement: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub actor: String,
    /// When it was made (the caller's clock; the core reads none).
    #[serde(default)]
    pub at_ms: Millis,
}

impl Manual {
    /// The field and row it targets (`None` for [`Scope::Everywhere`]); `Err` for a column that is
    /// not a redacted field of that table.
    pub fn target(&self) -> Result<Option<(Field, &RowRef)>, String> {
        let (table, row, column) = match &self.scope {
            Scope::Occurrence { table, row, field, .. } | Scope::Field { table, row, field } => (*table, row, field),
            Scope::Everywhere { .. } => return Ok(None),
        };
        Field::of(table, column)
            .map(|f| Some((f, row)))
            .ok_or_else(|| format!("manual redaction {}: {}.{column} is not a redacted field", self.id, table.name()))
    }

    pub fn validate(&self) -> Result<(), String> {
        self.target()?;
        match &self.scope {
            Scope::Occurrence { start, end, .. } if start >= end => {
                Err(format!("manual redaction {}: empty range {start}..{end}", self.id))
            }
            Scope::Everywhere { text } if text.is_empty() => Err(format!("manual redaction {}: no text", self.id)),
            _ => Ok(()),
        }
    }

    /// The byte range it masks in `text` (a field of its target row), if it applies.
    pub fn span_in(&self, text: &str) -> Option<(usize, usize)> {
        match &self.scope {
            Scope::Field { .. } => (!text.is_empty()).then_some((0, text.len())),
            Scope::Occurrence { start, end, .. } => {
                let ok = start < end && *end <= text.len() && text.is_char_boundary(*start) && text.is_char_boundary(*end);
                ok.then_some((*start, *end))
            }
            Scope::Everywhere { .. } => None,
        }
    }

    /// The scope as `redaction.json` shows it: never the masked text (an `everywhere` scope gives
    /// only its length in characters), and the row's file name passed through `mask` (it is a
    /// path as dropped and gets the same redaction as every other file name).
    pub fn public_scope(&self, mask: &dyn Fn(&str) -> String) -> serde_json::Value {
        let row = |r: &RowRef| RowRef { file: mask(&r.file), ..r.clone() };
        let scope = match &self.scope {
            Scope::Everywhere { text } => return serde_json::json!({ "everywhere": { "chars": text.chars().count() } }),
            Scope::Occurrence { table, row: r, field, start, end } => {
                Scope::Occurrence { table: *table, row: row(r), field: field.clone(), start: *start, end: *end }
            }
            Scope::Field { table, row: r, field } => Scope::Field { table: *table, row: row(r), field: field.clone() },
        };
        serde_json::to_value(scope).unwrap_or_default()
    }

    /// One line for `report.md` (the file name through `mask`, as in [`Manual::public_scope`]).
    pub fn describe_scope(&self, mask: &dyn Fn(&str) -> String) -> String {
        let at = |r: &RowRef| format!("{}:{} (row {})", mask(&r.file), r.line, r.nth);
        match &self.scope {
            Scope::Occurrence { table, row, field, start, end } => {
                format!("bytes {start}..{end} of {}.{field} at {}", table.name(), at(row))
            }
            Scope::Field { table, row, field } => format!("{}.{field} at {}", table.name(), at(row)),
            Scope::Everywhere { text } => format!("everywhere: a text of {} characters", text.chars().count()),
        }
    }
}
