//! Typed cells and whole tables through the CSV writer. Checks:
//! - a text cell never renders starting with a formula character (`= + - @` tab CR), and renders
//!   as itself, or `'` and itself exactly when it would;
//! - numbers render as numbers that read back (floats exactly, dollars to 10 decimals);
//! - the table's bytes read back through the `csv` reader to the header and the rendered cells,
//!   whatever the text holds (quotes, commas, CR, LF, NUL), and the row cap and selection hold.
#![no_main]
use agent_ledger::export::csv_cell::{Cell, CsvTable, Rows, neutralise};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
const COLUMNS: [&[&str]; 4] = [&["a"], &["a", "b"], &["a", "b", "c"], &["id", "text", "n", "usd"]];

#[derive(Arbitrary, Debug)]
enum C {
    Text(String),
    Int(i64),
    UInt(u64),
    Float(f64),
    Usd(f64),
    Bool(bool),
    Empty,
}

#[derive(Arbitrary, Debug)]
struct Input {
    width: u8,
    cells: Vec<C>,
    cap: Option<u8>,
    only: Option<Vec<bool>>,
    column: Option<u8>,
    matching: Option<String>,
}

fn cell(c: &C) -> Cell<'_> {
    match c {
        C::Text(s) => Cell::text(s),
        C::Int(v) => Cell::Int(*v),
        C::UInt(v) => Cell::UInt(*v),
        C::Float(v) => Cell::Float(*v),
        C::Usd(v) => Cell::Usd(*v),
        C::Bool(v) => Cell::Bool(*v),
        C::Empty => Cell::Empty,
    }
}

fn check_cell(c: &C) {
    let cell = cell(c);
    let rendered = cell.render();
    match c {
        C::Text(s) => {
            let risky = s.starts_with(FORMULA_STARTS);
            assert!(!rendered.starts_with(FORMULA_STARTS), "{s:?} rendered as {rendered:?}");
            let want = if risky { format!("'{s}") } else { s.clone() };
            assert_eq!(rendered, want);
            assert_eq!(neutralise(s), want);
        }
        C::Float(v) if v.is_finite() => assert_eq!(rendered.parse::<f64>().ok(), Some(*v), "{v:?}"),
        C::Usd(v) if v.is_finite() => {
            let back: f64 = rendered.parse().unwrap_or_else(|e| panic!("{v:?} as {rendered:?}: {e}"));
            // Ten decimals, rounded: half of 1e-10, plus the float's own spacing for large values.
            assert!((back - v).abs() <= 5e-11 + v.abs() * 1e-15, "{v:?} as {rendered:?}");
        }
        C::Float(_) | C::Usd(_) | C::Empty => assert_eq!(rendered, ""),
        C::Int(_) | C::UInt(_) | C::Bool(_) => assert!(!rendered.is_empty()),
    }
}

fuzz_target!(|input: Input| {
    input.cells.iter().for_each(check_cell);
    let columns = COLUMNS[usize::from(input.width) % COLUMNS.len()];
    let rows = Rows {
        cap: input.cap.map(usize::from),
        only: input.only.clone(),
        column: input.column.map(|c| usize::from(c) % columns.len()),
        matching: input.matching.as_ref().map(|m| m.to_lowercase()),
    };
    let mut table = CsvTable::new("fuzz", columns, rows);
    let offered: Vec<&[C]> = input.cells.chunks(columns.len()).filter(|r| r.len() == columns.len()).collect();
    for row in &offered {
        table.push_with(|| row.iter().map(cell).collect());
    }
    assert_eq!(table.rows_before_cap, offered.len());
    if let Some(cap) = input.cap {
        assert!(table.rows.len() <= usize::from(cap));
    }
    let bytes = table.to_bytes();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes.as_slice());
    let read: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("the writer's bytes are valid CSV").iter().map(str::to_string).collect())
        .collect();
    let mut want: Vec<Vec<String>> = vec![columns.iter().map(|c| c.to_string()).collect()];
    want.extend(table.rows.iter().map(|r| r.iter().map(|c| c.render().into_owned()).collect()));
    assert_eq!(read, want);
});
