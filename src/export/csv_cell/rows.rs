//! What a table builds of the rows offered to it, and what its columns can hold.

#[cfg(doc)]
use super::CsvTable;

/// What [`CsvTable::push_with`] and [`CsvTable::push_cells`] build of the rows offered to them.
/// The default is every row, capped as the export settings say; the page's queries ask for less
/// (DESIGN.md section 8: no view holds a whole table).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rows {
    pub cap: Option<usize>,
    /// Build only the rows whose offered index is marked.
    pub only: Option<Vec<bool>>,
    /// Keep only this column of each row (for sorting by it), in [`CsvTable::column`].
    pub column: Option<usize>,
    /// Keep only rows with a cell containing this text, compared in lower case (the needle
    /// must already be lower case).
    pub matching: Option<String>,
    /// Build only the kept rows whose offered index is in this range and count the others: a
    /// CSV is written in pieces this way, each built, written and dropped before the next
    /// (issue #18.1). Meant with the cap alone (then an offered index is a kept one).
    pub range: Option<std::ops::Range<usize>>,
    /// What each column's cells can be: the text search leaves out the columns whose cells
    /// cannot show its needle (numbers, for a word), without making their cells.
    pub shows: Option<Vec<Shows>>,
    /// Keep no cells at all, only [`CsvTable::picked`]: which rows a search or a selection
    /// keeps, without building them.
    pub indices_only: bool,
}

impl From<Option<usize>> for Rows {
    fn from(cap: Option<usize>) -> Self {
        Rows { cap, ..Rows::default() }
    }
}

/// What the cells of a column can be (a column's type, as the text search needs it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shows {
    /// Text: anything.
    Text,
    /// UTC times as the CSV writes them (`2025-09-25T01:22:20.084Z`), or nothing.
    Times,
    /// Numbers (or nothing): digits, `.` and a leading `-`.
    Numbers,
    /// `true` or `false` (or nothing).
    Flags,
}
