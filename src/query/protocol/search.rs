//! A search hit: where a text was found.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// prompt, tool, tool-audit, routing, finding, reply
    pub kind: String,
    pub session_id: String,
    /// Up to 160 characters around the match.
    pub preview: String,
    pub file: String,
    pub line: u32,
}
