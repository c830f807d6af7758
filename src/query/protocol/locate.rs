//! The answer to `Request::Locate`: where selected text of a table cell lies in the logs.

use crate::redact::{RowRef, Table};
use serde::{Deserialize, Serialize};

/// A field of one row, and the selected text's bytes in it (as logged, before any redaction).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Located {
    pub table: Table,
    pub row: RowRef,
    /// The column (`text`, `args_snippet`, …).
    pub field: String,
    pub start: usize,
    pub end: usize,
}
