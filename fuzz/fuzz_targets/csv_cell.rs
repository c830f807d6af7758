//! Typed cells and whole tables through the CSV writer. Checks:
//! - a text cell never renders starting with a formula character (`= + - @` tab CR), and renders
//!   as itself, or `'` and itself exactly when it would;
//! - numbers render as numbers that read back (floats exactly, dollars to 10 decimals);
//! - the table's bytes read back through `csv_core`'s reader (the `csv` crate's parser) to the
//!   header and the rendered cells, whatever the text holds (quotes, commas, CR, LF, NUL), and
//!   the row cap and selection hold;
//! - a row offered cell by cell (`push_cells`) is kept, picked and searched as the same row
//!   offered whole (`push_with`), and a time cell writes what `timefmt::format_iso` writes.
#![no_main]
use agent_ledger::export::csv_cell::{Cell, CsvTable, Rows, neutralise};
use arbitrary::Arbitrary;
use csv_core::ReadRecordResult;
use libfuzzer_sys::fuzz_target;
use std::cell::RefCell;

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
    Time(i64),
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
        C::Time(ms) => Cell::time(Some(*ms)),
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
        // A time writes what `format_iso` writes, neutralised like any text (a year before 0).
        C::Time(ms) => assert_eq!(rendered, neutralise(&agent_ledger::timefmt::format_iso(*ms)), "{ms}"),
        C::Float(_) | C::Usd(_) | C::Empty => assert_eq!(rendered, ""),
        C::Int(_) | C::UInt(_) | C::Bool(_) => assert!(!rendered.is_empty()),
    }
}

/// The records in `bytes`, read by `csv_core`'s reader: the parser the `csv` crate's reader
/// wraps, with the same defaults (comma, `"` quotes doubled inside, CR, LF or CRLF ending a
/// record, blank lines skipped; no headers, any number of fields per record, each field UTF-8).
/// Built once and reset per input: building one compiles its DFA, which was most of an input's
/// time when the target built a `csv::Reader` for each.
fn read_back(bytes: &[u8]) -> Vec<Vec<String>> {
    thread_local! {
        static READER: RefCell<csv_core::Reader> = RefCell::new(csv_core::Reader::new());
    }
    READER.with_borrow_mut(|reader| {
        reader.reset();
        // Unquoting only shortens: a record's fields and their count fit in the input's length.
        let (mut out, mut ends) = (vec![0u8; bytes.len() + 1], vec![0usize; bytes.len() + 2]);
        let (mut input, mut out_len, mut ends_len) = (bytes, 0, 0);
        let mut records = Vec::new();
        loop {
            // Once the input is used up, the next calls pass it empty: the end of the data.
            let (result, read, wrote, ended) = reader.read_record(input, &mut out[out_len..], &mut ends[ends_len..]);
            input = &input[read..];
            (out_len, ends_len) = (out_len + wrote, ends_len + ended);
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => unreachable!("a record longer than its input"),
                ReadRecordResult::Record => {
                    let mut start = 0;
                    let record = ends[..ends_len].iter().map(|&end| {
                        let field = std::str::from_utf8(&out[start..end]).expect("the writer's bytes are valid CSV");
                        start = end;
                        field.to_string()
                    });
                    records.push(record.collect());
                    (out_len, ends_len) = (0, 0);
                }
                ReadRecordResult::End => return records,
            }
        }
    })
}

fuzz_target!(|input: Input| {
    input.cells.iter().for_each(check_cell);
    let columns = COLUMNS[usize::from(input.width) % COLUMNS.len()];
    let rows = || Rows {
        cap: input.cap.map(usize::from),
        only: input.only.clone(),
        column: input.column.map(|c| usize::from(c) % columns.len()),
        matching: input.matching.as_ref().map(|m| m.to_lowercase()),
        // Pieces of rows (how the exports write a CSV) are checked against the whole table by
        // tests/csv_pieces.rs.
        range: None,
        shows: None,
        indices_only: false,
    };
    let (mut table, mut by_cells) = (CsvTable::new("fuzz", columns, rows()), CsvTable::new("fuzz", columns, rows()));
    let offered: Vec<&[C]> = input.cells.chunks(columns.len()).filter(|r| r.len() == columns.len()).collect();
    for row in &offered {
        table.push_with(|| row.iter().map(cell).collect::<Vec<_>>());
        by_cells.push_cells(|c| cell(&row[c]));
    }
    // A row offered cell by cell is kept, picked and searched exactly as the same row whole
    // (compared as written out: a NaN cell is not equal to itself).
    let shape = |t: &CsvTable| format!("{:?}", (&t.rows, &t.column, &t.picked, t.kept, t.rows_before_cap));
    assert_eq!(shape(&by_cells), shape(&table));
    assert_eq!(table.rows_before_cap, offered.len());
    if let Some(cap) = input.cap {
        assert!(table.rows.len() <= usize::from(cap));
    }
    let bytes = table.to_bytes();
    let read = read_back(&bytes);
    let mut want: Vec<Vec<String>> = vec![columns.iter().map(|c| c.to_string()).collect()];
    want.extend(table.rows.iter().map(|r| r.iter().map(|c| c.render().into_owned()).collect()));
    assert_eq!(read, want);
});
