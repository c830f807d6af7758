//! The text search and the column pick of `CsvTable::push_with` and `CsvTable::push_cells`.

use super::*;

fn matching(needle: &str, cells: Vec<Cell<'static>>) -> bool {
    let mut t = CsvTable::new("t.csv", &["a", "b"], Rows { matching: Some(needle.to_string()), ..Rows::default() });
    let [a, b]: [Cell; 2] = cells.try_into().expect("two cells");
    t.push_with(|| [a, b]);
    t.rows.len() == 1
}

#[test]
fn a_text_search_finds_what_each_cell_shows() {
    let cases: &[(&str, Vec<Cell<'static>>, bool)] = &[
        ("cached", vec![Cell::text("Cache: CACHED read"), Cell::Int(1)], true),
        ("cached", vec![Cell::text("cache"), Cell::Int(1)], false),
        ("true", vec![Cell::Bool(true), Cell::Empty], true),
        ("fals", vec![Cell::Bool(false), Cell::Empty], true),
        ("23", vec![Cell::Int(-1234), Cell::Empty], true),
        ("-12", vec![Cell::Int(-1234), Cell::Empty], true),
        ("0.25", vec![Cell::Usd(0.25000000001), Cell::Empty], true),
        ("4.5", vec![Cell::Float(1234.5), Cell::Empty], true),
        ("12a", vec![Cell::Int(12), Cell::UInt(12)], false),
        // A `-` past the needle's start is a date's, never a number's.
        ("2025-", vec![Cell::Int(2025), Cell::Float(2025.5)], false),
        ("2025-", vec![Cell::text("2025-09-01T00:00:00.000Z"), Cell::Empty], true),
        ("ue", vec![Cell::Bool(true), Cell::Empty], true),
        ("ue", vec![Cell::Bool(false), Cell::Empty], false),
        ("1", vec![Cell::Empty, Cell::text("")], false),
        ("e", vec![Cell::Float(1e21), Cell::Empty], false),
        ("ü", vec![Cell::text("GRÜN"), Cell::Empty], true),
        ("grü", vec![Cell::text("GRÜN"), Cell::Empty], true),
        // Text is matched as logged, not with the formula guard's quote.
        ("'=", vec![Cell::text("=1+1"), Cell::Empty], false),
        ("=1", vec![Cell::text("=1+1"), Cell::Empty], true),
    ];
    for (needle, cells, want) in cases {
        assert_eq!(matching(needle, cells.clone()), *want, "{needle:?} in {cells:?}");
    }
}

#[test]
fn one_column_keeps_that_cell_of_each_row() {
    let mut t = CsvTable::new("t.csv", &["a", "b", "c"], Rows { column: Some(1), ..Rows::default() });
    t.push_with(|| [Cell::Int(1), Cell::text("x"), Cell::Empty]);
    t.push_with(|| [Cell::Int(2), Cell::Bool(true), Cell::Empty]);
    t.push_with(|| vec![Cell::Int(3), Cell::Usd(0.5), Cell::Empty]);
    assert_eq!(t.column, vec![Cell::text("x"), Cell::Bool(true), Cell::Usd(0.5)]);
    assert!(t.rows.is_empty());
}

#[test]
fn a_row_offered_cell_by_cell_makes_only_the_cells_asked_for() {
    use std::cell::RefCell;
    let made = RefCell::new(Vec::new());
    let rows: [[&'static str; 3]; 3] = [["a", "xy", "b"], ["c", "d", "xy"], ["e", "f", "g"]];
    let offer = |t: &mut CsvTable<'static>| {
        for row in &rows {
            t.push_cells(|c| {
                made.borrow_mut().push(row[c]);
                Cell::text(row[c])
            });
        }
    };
    // A column: that cell of each row, nothing else.
    let mut t = CsvTable::new("t.csv", &["a", "b", "c"], Rows { column: Some(1), ..Rows::default() });
    offer(&mut t);
    assert_eq!(t.column, vec![Cell::text("xy"), Cell::text("d"), Cell::text("f")]);
    assert_eq!(made.take(), ["xy", "d", "f"]);
    // A search for the indices alone: each row's cells up to the first match, no row kept.
    let search = Rows { matching: Some("x".into()), indices_only: true, ..Rows::default() };
    let mut t = CsvTable::new("t.csv", &["a", "b", "c"], search);
    offer(&mut t);
    assert_eq!((t.picked.clone(), t.rows.len(), t.kept), (vec![0, 1], 0, 2));
    assert_eq!(made.take(), ["a", "xy", "c", "d", "xy", "e", "f", "g"]);
    // Whole rows, the selection and the cap as with `push_with`.
    let only = Rows { only: Some(vec![false, true, true]), cap: Some(1), ..Rows::default() };
    let mut t = CsvTable::new("t.csv", &["a", "b", "c"], only);
    offer(&mut t);
    assert_eq!(t.rows, vec![vec![Cell::text("c"), Cell::text("d"), Cell::text("xy")]]);
    assert_eq!((t.picked.clone(), t.rows_before_cap), (vec![1], 3));
}

#[test]
fn a_search_skips_the_columns_that_cannot_show_its_needle() {
    // Cells that disagree with their column's type show which columns are skipped: a word is
    // never looked for among numbers, nor a date among flags.
    let shows = vec![Shows::Text, Shows::Times, Shows::Numbers, Shows::Flags];
    let (e, t) = (|| Cell::Empty, Cell::text);
    let cases: Vec<(&str, [Cell<'static>; 4], bool)> = vec![
        ("x2025", [t("x2025"), e(), e(), e()], true),
        ("x2025", [e(), t("x2025"), e(), e()], false),
        ("2025-", [e(), t("2025-09-01T00:00:00.000Z"), e(), e()], true),
        ("t00:", [e(), t("2025-09-01T00:00:00.000Z"), e(), e()], true),
        ("abc", [e(), e(), t("abc"), e()], false),
        ("12", [e(), e(), Cell::Int(-123), e()], true),
        ("-12", [e(), e(), Cell::Int(-123), e()], true),
        ("12", [e(), e(), e(), t("12")], false),
        ("ue", [e(), e(), e(), Cell::Bool(true)], true),
        ("ue", [e(), e(), e(), t("blue")], true),
    ];
    for (needle, row, want) in cases {
        let rows = Rows { matching: Some(needle.into()), shows: Some(shows.clone()), indices_only: true, ..Rows::default() };
        let mut table = CsvTable::new("t.csv", &["a", "b", "c", "d"], rows);
        table.push_cells(|c| row[c].clone());
        assert_eq!(table.picked.len() == 1, want, "{needle:?} in {row:?}");
    }
}

#[test]
fn a_time_cell_is_written_and_searched_as_its_text_was() {
    // The instants of every path: unknown, the epoch, today, the last four-digit year, before
    // 1970 and before year 0 (written by jiff, a formula start), past jiff's range (no text).
    let times = [None, Some(0), Some(1_758_763_340_084), Some(253_370_764_799_999), Some(-1), Some(-62_167_219_200_001), Some(i64::MAX)];
    for ms in times {
        let (cell, text) = (Cell::time(ms), Cell::owned(crate::timefmt::format_opt(ms)));
        assert_eq!(cell.render(), text.render(), "{ms:?}");
        for needle in ["2025-09", "t01:22", "-00", ".084z", "x", "zz", "z2", "22.084z", "1", "0000-00-00t00:00:00.000z0"] {
            assert_eq!(matching(needle, vec![cell.clone(), Cell::Empty]), matching(needle, vec![text.clone(), Cell::Empty]), "{needle:?} in {ms:?}");
        }
    }
    assert!(matches!(Cell::time(Some(0)), Cell::Time(_)), "a usual time is held in the cell");
}
