//! The text search of a table's rows (the page's filter box): does any cell show the needle?

use super::{Cell, Shows};
use memchr::memmem;
use std::borrow::Cow;

/// A text search, ready to run on many rows: the needle (lower case), memchr's SIMD search for
/// it, and whether a number could show it, each worked out once per question.
#[derive(Debug, Clone)]
pub(super) struct Search {
    needle: Needle,
    /// Numbers are written with digits, `.` and a leading `-` only (no exponent, nothing for a
    /// non-finite value): a needle with any other byte (a word) or a `-` after its first byte (a
    /// date) cannot be in one, so numbers are not written out to be searched.
    numbers_may_match: bool,
    /// Whether `false` and `true` show the needle.
    flags_match: [bool; 2],
    /// Whether a time cell (`2025-09-25T01:22:20.084Z`) could show the needle: its shape, with
    /// any digit where a time has one, holds it somewhere.
    time_cells_may_match: bool,
    /// The columns worth looking in: those whose cells may show the needle (every column when
    /// the table's columns are not described).
    columns: Option<Vec<usize>>,
    /// Per column, the last text looked at (its address and length) and whether it held the
    /// needle. Rows in table order repeat the same session, model and file over and over, and
    /// those texts are borrowed from one shared copy each: the same address and length is the
    /// same text, searched once for its whole run of rows.
    last: Vec<Option<(usize, usize, bool)>>,
    lowered: Vec<u8>,
    written: String,
}

impl Search {
    /// A search for `needle` (lower case) in a table whose columns hold `shows` (when known).
    pub(super) fn new(needle: &str, shows: Option<&[Shows]>) -> Search {
        let numbers_may_match = needle.bytes().enumerate().all(|(i, b)| b.is_ascii_digit() || b == b'.' || (b == b'-' && i == 0));
        let flags_match = ["false", "true"].map(|flag| flag.contains(needle));
        // A time is written with digits, `-`, `:`, `T`, `.` and `Z` only (a year past 9999
        // cannot be written; one before year 0 starts with `-`).
        let times_may_match = needle.bytes().all(|b| b.is_ascii_digit() || b"-:t.z".contains(&b));
        let columns = shows.map(|shows| {
            (0..shows.len())
                .filter(|&c| match shows[c] {
                    Shows::Text => true,
                    Shows::Times => times_may_match,
                    Shows::Numbers => numbers_may_match,
                    Shows::Flags => flags_match.contains(&true),
                })
                .collect()
        });
        Search {
            needle: Needle {
                text: needle.to_string(),
                finder: memmem::Finder::new(needle.as_bytes()).into_owned(),
                has_letters: needle.bytes().any(|b| b.is_ascii_lowercase()),
            },
            numbers_may_match,
            flags_match,
            time_cells_may_match: fits_time_shape(needle),
            columns,
            last: Vec::new(),
            lowered: Vec::new(),
            written: String::new(),
        }
    }

    /// Whether a cell of `row` shows the needle.
    pub(super) fn row_matches(&mut self, row: &[Cell]) -> bool {
        self.any_column(row.len(), |search, c| search.cell_matches(c, &row[c]))
    }

    /// Whether a cell of a row offered cell by cell shows the needle: the cells are made one at
    /// a time, up to the first that does.
    pub(super) fn cells_match<'a>(&mut self, width: usize, cell: impl Fn(usize) -> Cell<'a>) -> bool {
        self.any_column(width, |search, c| search.cell_matches(c, &cell(c)))
    }

    /// Whether `matches` holds for a column worth looking in, of a row `width` cells wide.
    fn any_column(&mut self, width: usize, mut matches: impl FnMut(&mut Self, usize) -> bool) -> bool {
        match self.columns.take() {
            Some(columns) => {
                let found = columns.iter().any(|&c| c < width && matches(self, c));
                self.columns = Some(columns);
                found
            }
            None => (0..width).any(|c| matches(self, c)),
        }
    }

    /// Whether the cell (of `column`) shows the needle: text as logged (the page shows it so,
    /// without the formula guard), other cells as written.
    fn cell_matches(&mut self, column: usize, c: &Cell) -> bool {
        match c {
            // Only borrowed text: it lives as long as the table, so an address names one text;
            // a text made for this row alone (a time) may be dropped and its address reused.
            Cell::Text(Cow::Borrowed(s)) => {
                let key = (s.as_ptr() as usize, s.len());
                if let Some(Some((ptr, len, found))) = self.last.get(column)
                    && (*ptr, *len) == key
                {
                    return *found;
                }
                let found = self.needle.found_in(s, &mut self.lowered);
                if self.last.len() <= column {
                    self.last.resize(column + 1, None);
                }
                self.last[column] = Some((key.0, key.1, found));
                found
            }
            Cell::Text(Cow::Owned(s)) => self.needle.found_in(s, &mut self.lowered),
            Cell::Time(_) if !self.time_cells_may_match => false,
            Cell::Time(iso) => self.needle.found_in(Cell::time_text(iso), &mut self.lowered),
            Cell::Int(_) | Cell::UInt(_) | Cell::Float(_) | Cell::Usd(_) if !self.numbers_may_match => false,
            Cell::Bool(flag) => self.flags_match[usize::from(*flag)],
            Cell::Empty => self.needle.text.is_empty(),
            _ => {
                let mut written = std::mem::take(&mut self.written);
                let found = self.needle.found_in(c.render_into(&mut written), &mut self.lowered);
                self.written = written;
                found
            }
        }
    }
}

/// Whether `needle` (lower case) is in some time as a [`Cell::Time`] writes it: the shape
/// `0000-00-00t00:00:00.000z` with any digit for each `0` holds it at some offset. A word with
/// two `z`s, or letters a time never has, is in none.
fn fits_time_shape(needle: &str) -> bool {
    const SHAPE: &[u8; 24] = b"0000-00-00t00:00:00.000z";
    let n = needle.as_bytes();
    n.len() <= SHAPE.len()
        && (0..=SHAPE.len() - n.len()).any(|at| n.iter().zip(&SHAPE[at..]).all(|(&b, &s)| if s == b'0' { b.is_ascii_digit() } else { b == s }))
}

/// The needle (lower case), memchr's SIMD search for it, and whether it has letters.
#[derive(Debug, Clone)]
struct Needle {
    text: String,
    finder: memmem::Finder<'static>,
    has_letters: bool,
}

impl Needle {
    /// Case-insensitive `contains`: an ASCII text is lowered into `scratch` and searched with
    /// the finder.
    fn found_in(&self, hay: &str, scratch: &mut Vec<u8>) -> bool {
        if self.text.is_empty() {
            return true;
        }
        if !hay.is_ascii() {
            return hay.to_lowercase().contains(&self.text);
        }
        // Lowering ASCII text changes only `A`-`Z`: a needle without letters (a date, a number)
        // is found in the text as it is.
        if !self.has_letters {
            return self.finder.find(hay.as_bytes()).is_some();
        }
        scratch.clear();
        scratch.extend_from_slice(hay.as_bytes());
        scratch.make_ascii_lowercase();
        self.finder.find(scratch).is_some()
    }
}
