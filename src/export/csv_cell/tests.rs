//! The text search and the column pick of `CsvTable::push_with`.

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
