//! Reading one CSV record of an export back: cells by column name, typed, with a reason when a
//! cell is not what the exporter writes.
//!
//! The exporter's rules, undone here (`export::csv_cell`, which this module may not import: the
//! ingest sits below the export): a text cell that starts with `=`, `+`, `-`, `@`, tab or CR was
//! written with a `'` in front, which is taken off again; an absent value is an empty cell;
//! booleans are `true` / `false`; times are UTC ISO-8601 with milliseconds. Columns are found by
//! their header name, so an export whose datasets gained columns still reads; a column the
//! reader needs and the header lacks makes each row malformed, with that reason.

use crate::model::Millis;
use std::collections::HashMap;

/// The characters the exporter neutralises (DESIGN.md section 4).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A CSV header: each column's position.
pub(super) struct Header {
    at: HashMap<String, usize>,
}

impl Header {
    pub(super) fn new(record: &csv::StringRecord) -> Header {
        // A UTF-8 byte-order mark before the first name (a spreadsheet's save) is not part of it.
        let at = record.iter().enumerate().map(|(i, name)| (name.trim_start_matches('\u{feff}').to_string(), i)).collect();
        Header { at }
    }
}

/// One record with its header.
pub(super) struct Row<'a> {
    pub header: &'a Header,
    pub record: &'a csv::StringRecord,
}

pub(super) type Cell<T> = Result<T, String>;

impl Row<'_> {
    /// The cell as written, or a reason when the column is missing.
    fn raw(&self, col: &str) -> Cell<&str> {
        let at = *self.header.at.get(col).ok_or_else(|| format!("no column {col}"))?;
        Ok(self.record.get(at).unwrap_or(""))
    }

    /// Text as logged: the exporter's formula guard taken off.
    pub(super) fn text(&self, col: &str) -> Cell<String> {
        Ok(unneutralise(self.raw(col)?).to_string())
    }

    /// Text, `None` when the cell is empty (the exporter's "absent").
    pub(super) fn opt_text(&self, col: &str) -> Cell<Option<String>> {
        let t = self.text(col)?;
        Ok((!t.is_empty()).then_some(t))
    }

    /// A cell read only when the header has its column (one an older export may lack).
    pub(super) fn maybe_text(&self, col: &str) -> Option<String> {
        self.opt_text(col).ok().flatten()
    }

    pub(super) fn int(&self, col: &str) -> Cell<i64> {
        self.opt_int(col)?.ok_or_else(|| format!("{col} is empty"))
    }

    pub(super) fn opt_int(&self, col: &str) -> Cell<Option<i64>> {
        parse_opt(self.raw(col)?, col, "a whole number")
    }

    pub(super) fn uint(&self, col: &str) -> Cell<u64> {
        parse_opt(self.raw(col)?, col, "a count")?.ok_or_else(|| format!("{col} is empty"))
    }

    pub(super) fn opt_uint(&self, col: &str) -> Cell<Option<u64>> {
        parse_opt(self.raw(col)?, col, "a count")
    }

    pub(super) fn opt_float(&self, col: &str) -> Cell<Option<f64>> {
        let v: Option<f64> = parse_opt(self.raw(col)?, col, "a number")?;
        match v {
            Some(x) if !x.is_finite() => Err(format!("{col} is not a finite number")),
            v => Ok(v),
        }
    }

    pub(super) fn boolean(&self, col: &str) -> Cell<bool> {
        match self.raw(col)? {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(format!("{col} is {:?}, not true or false", short(other))),
        }
    }

    /// A UTC time as the exports write it; empty = unknown.
    pub(super) fn time(&self, col: &str) -> Cell<Option<Millis>> {
        let t = unneutralise(self.raw(col)?);
        if t.is_empty() {
            return Ok(None);
        }
        crate::timefmt::parse_iso(t).map(Some).ok_or_else(|| format!("{col} {:?} is not an ISO-8601 time", short(t)))
    }

    /// A 1-based line number (`0` is not a line).
    pub(super) fn line(&self, col: &str) -> Cell<u32> {
        match parse_opt::<u32>(self.raw(col)?, col, "a line number")? {
            Some(n) if n > 0 => Ok(n),
            _ => Err(format!("{col} is not a line number")),
        }
    }
}

fn parse_opt<T: std::str::FromStr>(cell: &str, col: &str, what: &str) -> Cell<Option<T>> {
    if cell.is_empty() {
        return Ok(None);
    }
    cell.parse().map(Some).map_err(|_| format!("{col} {:?} is not {what}", short(cell)))
}

/// At most 40 characters of a bad cell, for a reason that stays one line long.
fn short(s: &str) -> String {
    let mut out: String = s.chars().take(40).filter(|c| !c.is_control()).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// Take off the `'` the exporter put before a formula-looking text.
pub(super) fn unneutralise(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_back_as_the_exporter_wrote_them() {
        let header = Header::new(&csv::StringRecord::from(vec!["\u{feff}a", "n", "t", "b"]));
        let record = csv::StringRecord::from(vec!["'-5", "-7", "2025-10-01T10:00:00.250Z", "maybe"]);
        let row = Row { header: &header, record: &record };
        assert_eq!(row.text("a").unwrap(), "-5");
        assert_eq!(row.int("n").unwrap(), -7);
        assert_eq!(row.time("t").unwrap(), Some(1_759_312_800_250));
        assert!(row.boolean("b").unwrap_err().contains("\"maybe\""));
        assert!(row.uint("n").unwrap_err().contains("not a count"));
        assert_eq!(row.text("zz").unwrap_err(), "no column zz");
        assert_eq!(unneutralise("'plain"), "'plain");
    }
}
