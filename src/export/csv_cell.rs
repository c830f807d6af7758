//! CSV cells and tables: RFC 4180 text with formula cells neutralised (DESIGN.md section 4).
//!
//! Rules this module follows:
//! - **RFC 4180 via the `csv` crate**: UTF-8, one header row, comma separator, CRLF record
//!   terminator (RFC 4180 section 2.1; every spreadsheet reads it), a field is quoted only when it
//!   holds a comma, a double quote, CR or LF, and a quote inside is doubled.
//! - **Formula neutralising** (OWASP "CSV injection"): a *text* cell that starts with `=`, `+`,
//!   `-`, `@`, tab or CR gets a single quote `'` in front, so no spreadsheet evaluates it.
//! - **Numbers stay numbers**: a cell is typed ([`Cell`]). Numbers are written from Rust numeric
//!   values, never from log text, so they cannot carry a formula; they are written as they are
//!   (`-5` stays `-5`). Every cell that holds text (ids, names, log strings, labels) is a
//!   [`Cell::Text`] and is neutralised, even when the text happens to look like a number: a log
//!   string `"-5"` becomes `'-5`, because its origin is untrusted.
//! - **Empty means absent**: `None` and non-finite floats are written as an empty cell (an
//!   unpriced cost is empty, never `0`).

mod rows;
mod search;

pub use rows::{Rows, Shows};
use search::Search;
use crate::model::Millis;
use crate::timefmt::{format_iso, iso_digits};
use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula (DESIGN.md section 4).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// One typed CSV cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// Text from anywhere: always neutralised.
    Text(Cow<'a, str>),
    Int(i64),
    UInt(u64),
    /// Written in Rust's shortest round-trip form (`0.5`, `1234.25`); non-finite → empty.
    Float(f64),
    /// US dollars: at most 10 decimals, trailing zeros trimmed (hides float noise).
    Usd(f64),
    Bool(bool),
    /// A UTC time as the CSV writes it (`2025-09-25T01:22:20.084Z`), held in the cell: a
    /// million rows' times are written, sorted or searched without a `String` each.
    Time([u8; 24]),
    Empty,
}

impl<'a> Cell<'a> {
    pub fn text(s: &'a str) -> Self {
        Cell::Text(Cow::Borrowed(s))
    }

    pub fn owned(s: String) -> Self {
        Cell::Text(Cow::Owned(s))
    }

    pub fn opt_text(s: Option<&'a str>) -> Self {
        s.map_or(Cell::Empty, Cell::text)
    }

    pub fn opt_int(v: Option<i64>) -> Self {
        v.map_or(Cell::Empty, Cell::Int)
    }

    pub fn opt_float(v: Option<f64>) -> Self {
        v.map_or(Cell::Empty, Cell::Float)
    }

    pub fn opt_usd(v: Option<f64>) -> Self {
        v.map_or(Cell::Empty, Cell::Usd)
    }

    /// A time's cell: `timefmt::format_opt`'s text (empty for an unknown time), in the cell
    /// when it has the usual 24 bytes (years 1970 to 9998), as text otherwise.
    pub fn time(ms: Option<Millis>) -> Self {
        match ms {
            None => Cell::Empty,
            Some(ms) => match iso_digits(ms) {
                Some(iso) => Cell::Time(iso),
                None => Cell::owned(format_iso(ms)),
            },
        }
    }

    /// The text of a [`Cell::Time`] (only ASCII digits and separators).
    pub fn time_text(iso: &[u8; 24]) -> &str {
        std::str::from_utf8(iso).unwrap_or("")
    }

    /// The text written to the file for this cell.
    pub fn render(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(s) => neutralise(s),
            Cell::Bool(v) => Cow::Borrowed(if *v { "true" } else { "false" }),
            Cell::Time(iso) => Cow::Borrowed(Cell::time_text(iso)),
            // Every other cell's text is made in `scratch` (an empty one stays unallocated).
            _ => {
                let mut scratch = String::new();
                let _ = self.render_into(&mut scratch);
                Cow::Owned(scratch)
            }
        }
    }

    /// The text written to the file for this cell, in `scratch` when it must be made (a number,
    /// a neutralised formula) and borrowed otherwise: the CSV writers reuse one `scratch` for
    /// every cell instead of a new `String` each (issue #18.1).
    pub fn render_into<'c>(&'c self, scratch: &'c mut String) -> &'c str {
        use std::fmt::Write as _;
        scratch.clear();
        // Writing into a String cannot fail.
        match self {
            Cell::Text(s) if s.starts_with(FORMULA_STARTS) => {
                scratch.push('\'');
                scratch.push_str(s);
                scratch
            }
            Cell::Text(s) => s,
            // Starts with a digit: never a formula.
            Cell::Time(iso) => Cell::time_text(iso),
            // itoa: a few times faster than `write!`, for the most common cell of every CSV.
            Cell::Int(v) => {
                scratch.push_str(itoa::Buffer::new().format(*v));
                scratch
            }
            Cell::UInt(v) => {
                scratch.push_str(itoa::Buffer::new().format(*v));
                scratch
            }
            Cell::Float(v) if v.is_finite() => {
                let _ = write!(scratch, "{v}");
                scratch
            }
            Cell::Usd(v) if v.is_finite() => usd_into(scratch, *v),
            Cell::Bool(v) => {
                if *v {
                    "true"
                } else {
                    "false"
                }
            }
            Cell::Float(_) | Cell::Usd(_) | Cell::Empty => "",
        }
    }
}

/// Prefix `'` to text a spreadsheet would evaluate as a formula.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some(c) if FORMULA_STARTS.contains(&c) => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// `0.0015425000000000001` → `0.0015425`; `2` → `2`: at most 10 decimals, written into
/// `scratch`.
fn usd_into(scratch: &mut String, v: f64) -> &str {
    use std::fmt::Write as _;
    let _ = write!(scratch, "{v:.10}");
    if scratch.contains('.') {
        let kept = scratch.trim_end_matches('0').trim_end_matches('.').len();
        scratch.truncate(kept);
    }
    if matches!(scratch.as_str(), "" | "-" | "-0") {
        scratch.clear();
        scratch.push('0');
    }
    scratch
}

/// A row as a dataset offers it: an array of cells (the datasets' rows, on the stack until kept)
/// or a `Vec` (rows of a width known only at run time).
pub trait RowCells<'a>: AsRef<[Cell<'a>]> {
    fn into_cells(self) -> Vec<Cell<'a>>;
    /// The cell at `at`, the others dropped.
    fn into_cell(self, at: usize) -> Option<Cell<'a>>;
}

impl<'a, const N: usize> RowCells<'a> for [Cell<'a>; N] {
    fn into_cells(self) -> Vec<Cell<'a>> {
        Vec::from(self)
    }

    fn into_cell(self, at: usize) -> Option<Cell<'a>> {
        self.into_iter().nth(at)
    }
}

impl<'a> RowCells<'a> for Vec<Cell<'a>> {
    fn into_cells(self) -> Vec<Cell<'a>> {
        self
    }

    fn into_cell(mut self, at: usize) -> Option<Cell<'a>> {
        (at < self.len()).then(|| self.swap_remove(at))
    }
}

/// One CSV dataset before it is written: its name, header and rows, with an optional row cap.
#[derive(Debug, Clone, Default)]
pub struct CsvTable<'a> {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<Cell<'a>>>,
    /// With [`Rows::column`]: that cell of each kept row (and no `rows`).
    pub column: Vec<Cell<'a>>,
    /// Data rows offered, kept or not (equal to `rows.len()` when nothing was cut).
    pub rows_before_cap: usize,
    /// Keep at most this many data rows.
    pub cap: Option<usize>,
    /// Which offered rows to build, and how (all of them by default): the page's queries use
    /// this to build one page, one column or the matching rows without building the rest.
    pub select: Rows,
    /// With [`Rows::only`] or [`Rows::matching`]: the offered index of each kept row.
    pub picked: Vec<usize>,
    /// Data rows the cap and the selection keep: `rows.len()`, plus, with [`Rows::range`], the
    /// kept rows outside the range, counted but not built.
    pub kept: usize,
    /// [`Rows::matching`]'s needle, ready to search with.
    search: Option<Search>,
}

/// What the catalog and the typed files' metadata say of a dataset: its counts, never a cell,
/// so the zip keeps these for every dataset instead of the tables (issue #18.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    /// Data rows written.
    pub rows: usize,
    /// Data rows offered, written or not.
    pub rows_before_cap: usize,
}

impl Shape {
    /// Whether the row cap cut the dataset.
    pub fn truncated(&self) -> bool {
        self.rows < self.rows_before_cap
    }
}

impl<'a> CsvTable<'a> {
    pub fn new(name: &'static str, columns: &'static [&'static str], rows: impl Into<Rows>) -> Self {
        let select: Rows = rows.into();
        CsvTable {
            name,
            columns,
            rows: Vec::new(),
            column: Vec::new(),
            rows_before_cap: 0,
            cap: select.cap,
            search: select.matching.as_deref().map(|needle| Search::new(needle, select.shows.as_deref())),
            select,
            picked: Vec::new(),
            kept: 0,
        }
    }

    /// Offer one row; it is built (and kept) only while the table is under its cap and the row
    /// is one [`Self::select`] asks for. A row is an array, on the stack until it is kept whole.
    pub fn push_with<R: RowCells<'a>>(&mut self, row: impl FnOnce() -> R) {
        let Some(index) = self.admit() else { return };
        let row = row();
        debug_assert_eq!(row.as_ref().len(), self.columns.len(), "{}: row width", self.name);
        if let Some(search) = &mut self.search
            && !search.row_matches(row.as_ref())
        {
            return;
        }
        self.keep(index);
        match self.select.column {
            Some(column) => self.column.push(row.into_cell(column.min(self.columns.len().saturating_sub(1))).unwrap_or(Cell::Empty)),
            None if self.select.indices_only => {}
            None => self.rows.push(row.into_cells()),
        }
    }

    /// Offer one row cell by cell: `cell(c)` makes the cell of column `c`, and only the cells
    /// a question needs are made. A sort by one column of a million rows makes that column's
    /// cell of each row and nothing else; a text search makes a row's cells up to the first
    /// that shows the needle.
    pub fn push_cells(&mut self, cell: impl Fn(usize) -> Cell<'a>) {
        let Some(index) = self.admit() else { return };
        let width = self.columns.len();
        if let Some(search) = &mut self.search
            && !search.cells_match(width, &cell)
        {
            return;
        }
        self.keep(index);
        match self.select.column {
            Some(column) => self.column.push(cell(column.min(width.saturating_sub(1)))),
            None if self.select.indices_only => {}
            None => self.rows.push((0..width).map(cell).collect()),
        }
    }

    /// Count an offered row, and say whether it is to be built: its offered index, or `None`
    /// when the cap, [`Rows::only`] or [`Rows::range`] leave it out (a row outside the range
    /// is counted as kept).
    fn admit(&mut self) -> Option<usize> {
        let index = self.rows_before_cap;
        self.rows_before_cap = self.rows_before_cap.saturating_add(1);
        if self.cap.is_some_and(|cap| self.kept >= cap) {
            return None;
        }
        if let Some(only) = &self.select.only
            && !only.get(index).copied().unwrap_or(false)
        {
            return None;
        }
        if let Some(range) = &self.select.range
            && !range.contains(&index)
        {
            self.kept = self.kept.saturating_add(1);
            return None;
        }
        Some(index)
    }

    /// Count an admitted row that passed the search as kept, and note its index when asked to.
    fn keep(&mut self, index: usize) {
        if self.select.only.is_some() || self.select.matching.is_some() {
            self.picked.push(index);
        }
        self.kept = self.kept.saturating_add(1);
    }

    pub fn truncated(&self) -> bool {
        self.shape().truncated()
    }

    /// The counts of the whole dataset (with [`Rows::range`], of every piece, not only this one).
    pub fn shape(&self) -> Shape {
        Shape { name: self.name, columns: self.columns, rows: self.kept, rows_before_cap: self.rows_before_cap }
    }

    /// The RFC 4180 bytes: header, then one record per row, each ending in CRLF.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut writer = self.writer();
        self.write_rows(&mut writer, 0..self.rows.len());
        finish(writer)
    }

    /// A writer holding the header, for [`Self::write_rows`] in as many pieces as the caller
    /// likes (the page's zip pauses between them; the bytes are those of [`Self::to_bytes`]).
    pub fn writer(&self) -> csv::Writer<Vec<u8>> {
        writer(self.columns)
    }

    /// The bytes of the rows `range`, after the header when `header`: the pieces of
    /// [`Self::to_bytes`] (the page's zip compresses each as it is written, never the whole file).
    pub fn piece(&self, range: std::ops::Range<usize>, header: bool) -> Vec<u8> {
        let mut writer = if header { self.writer() } else { rows_writer() };
        self.write_rows(&mut writer, range);
        finish(writer)
    }

    /// Append the rows `range` (clamped to the table) as records, each cell's text written
    /// straight from the cell (one scratch `String` for the cells that need one, not one per
    /// cell).
    pub fn write_rows(&self, writer: &mut csv::Writer<Vec<u8>>, range: std::ops::Range<usize>) {
        let end = range.end.min(self.rows.len());
        let mut scratch = String::new();
        for row in &self.rows[range.start.min(end)..end] {
            for cell in row {
                // Writing to a Vec cannot fail; a failed record would only be missing.
                let _ = writer.write_field(cell.render_into(&mut scratch).as_bytes());
            }
            let _ = writer.write_record(None::<&[u8]>);
        }
    }
}

/// A writer holding the header `columns` (RFC 4180, CRLF, quoted only when needed).
pub fn writer(columns: &[&str]) -> csv::Writer<Vec<u8>> {
    let mut writer = rows_writer();
    // Writing to a Vec cannot fail; a failed record would only be missing, never a panic.
    let _ = writer.write_record(columns);
    writer
}

/// A writer as [`writer`]'s, without the header: for the rows after a first piece (records are
/// written each on its own, so the pieces joined are the whole file).
fn rows_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .flexible(true)
        .from_writer(Vec::new())
}

/// The bytes a [`CsvTable::writer`] holds.
pub fn finish(writer: csv::Writer<Vec<u8>>) -> Vec<u8> {
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests;
