//! The nine CSV datasets of DESIGN.md section 4, one row per record.
//!
//! Rules every dataset follows:
//! - One row per record of its table, in table order (the ingest order: file by file, line by
//!   line), so a row is easy to find in its log.
//! - Every row-level dataset ends with the provenance columns `file` (the name as dropped) and
//!   `line` (1-based); `audit_findings.csv` has them as its third and fourth columns and
//!   `ingest_report.csv` is itself per file. In an export of a merged view (the team view),
//!   every dataset but the findings ends with one more, `machine` ([`MACHINE_COLUMN`]).
//! - Timestamps are UTC ISO-8601 with milliseconds (`timefmt::format_opt`), in columns named
//!   `ts_utc`, `start_utc`, `end_utc`; an unknown time is an empty cell.
//! - Absent values are empty cells; unpriced costs are empty and `priced` says `false`.
//! - Booleans are `true` / `false`. Lists inside one cell are joined with `; `.
//! - The row cap ([`super::ExportSettings::row_cap`]) keeps the first N rows; rows past it are
//!   counted (for the catalog) but not built.
//!
//! The columns of each dataset are a table in its module, each a name and how its cell is made
//! (documented there); `<NAME>_ALL` are their names, `<NAME>_COLUMNS` the same without
//! `machine`.

mod audit;
mod sessions;
mod tools;
mod usage;

use super::csv_cell::{Cell, CsvTable, Rows};
use crate::model::{FileId, Row, Tables};
use super::{ExportInput, Redacted};

pub use audit::{FINDINGS_COLUMNS, INGEST_CHECK_ID, INGEST_COLUMNS};
pub use sessions::{QUERY_COLUMNS, ROUTING_COLUMNS, SESSION_COLUMNS};
pub use tools::{API_COLUMNS, TOOL_AUDIT_COLUMNS, TOOL_CALL_COLUMNS};
pub use usage::USAGE_COLUMNS;

/// A column of a dataset with one row per `T`: its name and how its cell is made from the row
/// (and the tables, for a file's name). A dataset lists its columns so, side by side, and offers
/// its rows cell by cell ([`CsvTable::push_cells`]): a question about one column makes only
/// that column's cells, a million rows' worth within the page's budget (issue #14.3).
/// `sessions.csv`, `usage_tokens.csv` and `ingest_report.csv` need more than the row (sums,
/// costs, the file's machine) and have column tables of their own; `audit_findings.csv`, two
/// reports' rows in one, offers whole rows.
type Column<T> = (&'static str, for<'t> fn(&'t Tables, &'t T) -> Cell<'t>);

/// Dataset `name` of each of `rows`, offered cell by cell through `columns` (the machine's
/// last, made only when the tables are merged).
fn by_cells<'t, T, const N: usize>(
    name: &'static str,
    all: &'static [&'static str; N],
    columns: &'static [Column<T>; N],
    t: &'t Tables,
    rows: &'t [Row<T>],
    cap: impl Into<Rows>,
) -> CsvTable<'t> {
    let mut out = CsvTable::new(name, chosen(t, all), cap);
    for row in rows {
        out.push_cells(|c| (columns[c].1)(t, row));
    }
    out
}

/// The column a merged export (one holding rows of other machines' exports, the team view)
/// adds last to every dataset the team view reads back: the machine each row came from, empty
/// for a row of a log read here (the reader labels those with the export's own machine name).
/// An export of this machine's logs alone has no such column: its CSVs are byte for byte those
/// of an unnamed export.
pub const MACHINE_COLUMN: &str = "machine";

/// Whether the tables hold rows of another machine's export, so that their datasets carry
/// [`MACHINE_COLUMN`].
pub fn merged(t: &Tables) -> bool {
    t.files.iter().any(|f| f.machine.is_some())
}

/// A dataset's columns for these tables: all of them (`machine` last) when merged.
fn chosen(t: &Tables, all: &'static [&'static str]) -> &'static [&'static str] {
    if merged(t) { all } else { without_machine(all) }
}

/// `all` without its last column, [`MACHINE_COLUMN`].
const fn without_machine(all: &'static [&'static str]) -> &'static [&'static str] {
    match all.split_last() {
        Some((_, rest)) => rest,
        None => all,
    }
}

/// The machine cell of a row read from file `file` (see [`MACHINE_COLUMN`]).
fn machine_cell(t: &Tables, file: FileId) -> Cell<'_> {
    Cell::opt_text(t.files.get(file as usize).and_then(|f| f.machine.as_deref()))
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

/// The columns of a dataset by its file name, as merged exports write them (`machine` last,
/// but for the findings, which the team view does not read back) or not.
pub fn columns_of(name: &str, merged: bool) -> Option<&'static [&'static str]> {
    let all: &'static [&'static str] = match name {
        super::SESSIONS_CSV => &sessions::SESSION_ALL,
        super::ROUTING_CSV => &sessions::ROUTING_ALL,
        super::QUERIES_CSV => &sessions::QUERY_ALL,
        super::USAGE_CSV => &usage::USAGE_ALL,
        super::TOOL_CALLS_CSV => &tools::TOOL_CALL_ALL,
        super::TOOL_AUDIT_CSV => &tools::TOOL_AUDIT_ALL,
        super::API_CALLS_CSV => &tools::API_ALL,
        super::INGEST_CSV => &audit::INGEST_ALL,
        super::FINDINGS_CSV => return Some(FINDINGS_COLUMNS),
        _ => return None,
    };
    Some(if merged { all } else { without_machine(all) })
}

/// The columns of a dataset by its file name (an export of this machine's logs alone).
pub fn columns(name: &str) -> Option<&'static [&'static str]> {
    columns_of(name, false)
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
        super::INGEST_CSV => audit::ingest_report(red.ingest.as_ref(), t, cap),
        _ => return None,
    })
}
