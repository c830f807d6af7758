//! The nine CSV datasets of DESIGN.md section 4, one row per record.
//!
//! Rules every dataset follows:
//! - One row per record of its table, in table order (the ingest order: file by file, line by
//!   line), so a row is easy to find in its log.
//! - Every row-level dataset ends with the provenance columns `file` (the name as dropped) and
//!   `line` (1-based); `audit_findings.csv` has them as its third and fourth columns and
//!   `ingest_report.csv` is itself per file.
//! - Timestamps are UTC ISO-8601 with milliseconds (`timefmt::format_opt`), in columns named
//!   `ts_utc`, `start_utc`, `end_utc`; an unknown time is an empty cell.
//! - Absent values are empty cells; unpriced costs are empty and `priced` says `false`.
//! - Booleans are `true` / `false`. Lists inside one cell are joined with `; `.
//! - The row cap ([`super::ExportSettings::row_cap`]) keeps the first N rows; rows past it are
//!   counted (for the catalog) but not built.
//!
//! The columns of each dataset are the `COLUMNS` constant of its module, documented there.

mod audit;
mod sessions;
mod tools;
mod usage;

use super::csv_cell::{Cell, CsvTable, Rows};
use crate::model::{Row, Tables};
use super::{ExportInput, Redacted};

pub use audit::{FINDINGS_COLUMNS, INGEST_CHECK_ID, INGEST_COLUMNS};
pub use sessions::{QUERY_COLUMNS, ROUTING_COLUMNS, SESSION_COLUMNS};
pub use tools::{API_COLUMNS, TOOL_AUDIT_COLUMNS, TOOL_CALL_COLUMNS};
pub use usage::USAGE_COLUMNS;

/// A column of a dataset with one row per `T`: its name and how its cell is made from the row
/// (and the tables, for a file's name). A dataset lists its columns so, side by side, and offers
/// its rows cell by cell ([`CsvTable::push_cells`]): a question about one column makes only
/// that column's cells, a million rows' worth within the page's budget (issue #14.3). Small
/// datasets whose rows share sums worked out per row (`sessions.csv`) offer whole rows.
type Column<T> = (&'static str, for<'t> fn(&'t Tables, &'t T) -> Cell<'t>);

/// `out` with each of `rows` offered cell by cell through `columns`.
fn by_cells<'t, T>(mut out: CsvTable<'t>, t: &'t Tables, rows: &'t [Row<T>], columns: &[Column<T>]) -> CsvTable<'t> {
    for row in rows {
        out.push_cells(|c| (columns[c].1)(t, row));
    }
    out
}

/// The names of a dataset's columns, from its table of columns (a name and how its cell is
/// made, side by side): the header can never disagree with the cells.
const fn names<T, const N: usize>(columns: &[(&'static str, T); N]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = columns[i].0;
        i += 1;
    }
    out
}

/// The columns of a dataset by its file name.
pub fn columns(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        super::SESSIONS_CSV => SESSION_COLUMNS,
        super::ROUTING_CSV => ROUTING_COLUMNS,
        super::QUERIES_CSV => QUERY_COLUMNS,
        super::USAGE_CSV => USAGE_COLUMNS,
        super::TOOL_CALLS_CSV => TOOL_CALL_COLUMNS,
        super::TOOL_AUDIT_CSV => TOOL_AUDIT_COLUMNS,
        super::API_CALLS_CSV => API_COLUMNS,
        super::FINDINGS_CSV => FINDINGS_COLUMNS,
        super::INGEST_CSV => INGEST_COLUMNS,
        _ => return None,
    })
}

/// All nine, in [`super::CSV_NAMES`] order, each capped.
pub fn build_all<'r>(input: &ExportInput<'_>, red: &'r Redacted<'_>) -> Vec<CsvTable<'r>> {
    super::CSV_NAMES
        .iter()
        .filter_map(|name| build_one(input, red, name))
        .collect()
}

/// One dataset by its file name, capped; `None` for a name that is not a dataset.
pub fn build_one<'r>(
    input: &ExportInput<'_>,
    red: &'r Redacted<'_>,
    name: &str,
) -> Option<CsvTable<'r>> {
    build_selected(input, red, name, Rows::from(input.settings.row_cap))
}

/// The kept rows `range` of one dataset (a piece of its CSV), the others counted but not built:
/// the table's [`CsvTable::shape`] is the whole dataset's. `None` for a name that is not a
/// dataset.
pub fn build_piece<'r>(
    input: &ExportInput<'_>,
    red: &'r Redacted<'_>,
    name: &str,
    range: std::ops::Range<usize>,
) -> Option<CsvTable<'r>> {
    let rows = Rows { cap: input.settings.row_cap, range: Some(range), ..Rows::default() };
    build_selected(input, red, name, rows)
}

/// One dataset by its file name, building only the rows `cap` selects (see [`Rows`]): the
/// page's queries build one page, one column or the matching rows this way.
pub fn build_selected<'r>(
    input: &ExportInput<'_>,
    red: &'r Redacted<'_>,
    name: &str,
    cap: Rows,
) -> Option<CsvTable<'r>> {
    let t = red.tables.as_ref();
    let costs = input.usage_costs;
    Some(match name {
        super::SESSIONS_CSV => sessions::sessions(t, costs, cap),
        super::ROUTING_CSV => sessions::routing(t, cap),
        super::QUERIES_CSV => sessions::queries(t, cap),
        super::USAGE_CSV => usage::usage(t, costs, cap),
        super::TOOL_CALLS_CSV => tools::tool_calls(t, cap),
        super::TOOL_AUDIT_CSV => tools::tool_audit(t, cap),
        super::API_CALLS_CSV => tools::api_calls(t, cap),
        super::FINDINGS_CSV => audit::findings(red.audit.as_ref(), red.ingest.as_ref(), cap),
        super::INGEST_CSV => audit::ingest_report(red.ingest.as_ref(), cap),
        _ => return None,
    })
}
