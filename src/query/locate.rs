//! Where a piece of a table cell comes from, for a manual redaction of "this field" or "this
//! occurrence": the view names a dataset row, a column and the text a person selected; the
//! answer names the row the way redactions do ([`RowRef`]: file, line, nth, stable across
//! filters and reloads) and where the text lies in the field as logged.

use super::analysis::Analysis;
use crate::export::{API_CALLS_CSV, QUERIES_CSV, ROUTING_CSV, SESSIONS_CSV, TOOL_AUDIT_CSV, TOOL_CALLS_CSV};
use crate::redact::{Field, RowRef, Table, sources, text_of};
pub use super::protocol::locate::Located;

/// The table whose rows a dataset lists one for one, in order (the datasets that are rollups
/// or reports have none).
fn table_of(dataset: &str) -> Option<Table> {
    Some(match dataset {
        SESSIONS_CSV => Table::Sessions,
        ROUTING_CSV => Table::Routing,
        QUERIES_CSV => Table::Queries,
        TOOL_CALLS_CSV => Table::ToolCalls,
        TOOL_AUDIT_CSV => Table::ToolAudit,
        API_CALLS_CSV => Table::ApiCalls,
        _ => return None,
    })
}

/// Row `row` of `dataset` (its index under the current filters), column `column`, and `text`
/// selected in it. The first place the text appears in the field as logged is the one meant
/// (the cell shows the field from its start).
pub fn locate(a: &Analysis, dataset: &str, row: usize, column: &str, text: &str) -> Result<Located, String> {
    let table = table_of(dataset).ok_or_else(|| format!("rows of {dataset} are not rows of the logs: redact the text everywhere instead"))?;
    let field = Field::of(table, column).ok_or_else(|| format!("{column} of {dataset} is not text that is redacted"))?;
    let files = &a.ledger.tables.files;
    let row_ref = RowRef::of(a.tables(), files, table, row).ok_or_else(|| format!("{dataset} has no row {row}"))?;
    // The same row in the ledger's own (unfiltered, unredacted) table: same file, line and nth.
    let all = sources(&a.ledger.tables, table);
    let index = all
        .iter()
        .enumerate()
        .filter(|(_, s)| s.line == row_ref.line && files.get(s.file as usize).is_some_and(|f| f.name == row_ref.file))
        .map(|(i, _)| i)
        .nth(row_ref.nth as usize)
        .ok_or_else(|| format!("{}:{} is no longer loaded", row_ref.file, row_ref.line))?;
    let logged = text_of(&a.ledger.tables, field, index).unwrap_or("");
    if text.is_empty() {
        return Ok(Located { table, row: row_ref, field: column.into(), start: 0, end: logged.len() });
    }
    let start = logged
        .find(text)
        .ok_or_else(|| "the selected text is not in this field as logged (is part of it already masked?)".to_string())?;
    Ok(Located { table, row: row_ref, field: column.into(), start, end: start + text.len() })
}
