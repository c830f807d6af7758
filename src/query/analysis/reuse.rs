//! What an analysis leaves for the next one of the same ledger ([`super::analyze_with`]),
//! and when the next one may take it: the redaction's row masks, the costs, the rows' numbers,
//! and the audit and roll-ups when only the redaction changed and not what they read.

use super::Analysis;
use crate::filter::Keys;
use crate::model::{Row, Tables};
use crate::redact::RowMasks;
use std::sync::Arc;

#[derive(Default)]
pub struct Reuse {
    /// The redaction's row masks: used when the redaction is the same, and brought up to date
    /// when only rules were switched (`RowMasks::refresh`).
    pub masks: RowMasks,
    /// Every ledger usage row's cost: the caller gives them only under the same prices.
    pub all_costs: Option<Arc<Vec<Option<f64>>>>,
    /// The ledger rows' session and model numbers (checked against the ledger before use).
    pub keys: Option<Arc<Keys>>,
    /// The analysis being replaced, given only when it kept the same rows under the same zone
    /// and prices (the redaction alone changed): its audit and roll-ups are taken when the new
    /// redaction masks none of the text they read ([`checks_read_alike`]). A rule switched on for
    /// prompts or tool arguments then costs the masking, not the audit and roll-ups again
    /// (issue #18.2: those were over 40 % of a redaction switch).
    pub earlier: Option<Arc<Analysis>>,
}

impl Reuse {
    /// The same, but for other prices: the costs are computed again.
    pub fn other_prices(self) -> Reuse {
        Reuse { all_costs: None, earlier: None, ..self }
    }

    /// What `self` lacks of the masks and row numbers, taken from `other` (an older analysis of
    /// the same ledger, perhaps under other prices: its costs are not taken).
    pub fn or_masks_of(self, other: Reuse) -> Reuse {
        Reuse {
            masks: if self.masks.is_empty() { other.masks } else { self.masks },
            keys: self.keys.or(other.keys),
            ..self
        }
    }
}

/// Whether the audit and the roll-ups read the same from `a` as from `b`, two redactions of the
/// same kept rows (so they would give the same answers). They read no redacted text but this:
/// - the file names, which every finding cites (`audit::check`, `audit::reconcile`,
///   `audit::sessions`);
/// - a session's workspace, a roll-up key (`rollup::summarize`);
/// - a tool-audit row's user (a roll-up key) and its result snippet (A13 counts its characters);
/// - an API call's error (`audit::api_calls`).
///
/// Everything else redaction masks (prompts, replies, tool arguments, working directories,
/// branches, remotes) neither decides a check nor keys a roll-up. A row both tables share is the
/// same row; the test that a changed redaction answers as a fresh engine does is
/// `tests/query_incremental.rs`.
pub fn checks_read_alike(a: &Tables, b: &Tables) -> bool {
    fn alike<R>(a: &[Row<R>], b: &[Row<R>], same: impl Fn(&R, &R) -> bool) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Row::ptr_eq(x, y) || same(x, y))
    }
    let counts = |t: &Tables| [t.files.len(), t.sessions.len(), t.routing.len(), t.queries.len(), t.replies.len(), t.usage.len(), t.tool_calls.len(), t.tool_audit.len(), t.api_calls.len()];
    counts(a) == counts(b)
        && a.files.iter().zip(&b.files).all(|(x, y)| x.name == y.name)
        && alike(&a.sessions, &b.sessions, |x, y| x.workspace == y.workspace)
        && alike(&a.tool_audit, &b.tool_audit, |x, y| x.user == y.user && x.result_snippet == y.result_snippet)
        && alike(&a.api_calls, &b.api_calls, |x, y| x.error == y.error)
}
