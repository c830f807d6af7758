//! A row group's columns as its Parquet file stores them: per column a definition level per row
//! (1 present, 0 null) and the present values, typed by the column's [`Kind`]. Made from the
//! cells ([`of_rows`]) where the data is, and written ([`super::Writer::row_group`]) there or in
//! the page's second worker, which is sent them as bytes ([`encode`], [`decode`]): the file is
//! the same either way, since the writer gets the same values.

use super::super::csv_cell::Cell;
use super::super::typed::{self, Kind, Value};
use crate::timefmt;

/// One column of a row group.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub defs: Vec<i16>,
    pub values: Values,
}

/// The present values of a column.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Integers and times (milliseconds since the epoch, UTC).
    Int64(Vec<i64>),
    Double(Vec<f64>),
    Bool(Vec<bool>),
    /// Texts one after the other in `arena`; value `k` ends at `ends[k]`.
    Text { arena: Vec<u8>, ends: Vec<u32> },
}

/// The columns of `rows` (at most a row group), as [`typed::value`] types each cell: a cell
/// whose value is not of its column's type is a null.
pub fn of_rows(kinds: &[Kind], rows: &[Vec<Cell>]) -> Vec<Column> {
    kinds.iter().enumerate().map(|(at, kind)| column(*kind, rows, at)).collect()
}

fn column(kind: Kind, rows: &[Vec<Cell>], at: usize) -> Column {
    let mut defs: Vec<i16> = Vec::with_capacity(rows.len());
    let cells = rows.iter().map(|row| row.get(at));
    let values = match kind {
        Kind::Int | Kind::Time => Values::Int64(present(cells, &mut defs, |cell| match cell {
            // A time made by the export is its digits, read back without a parser.
            Cell::Time(iso) => timefmt::iso_digits_millis(iso),
            cell => match typed::value(kind, cell) {
                Value::Int(n) => Some(n),
                Value::Time(iso) => timefmt::parse_iso(iso),
                _ => None,
            },
        })),
        Kind::Real => Values::Double(present(cells, &mut defs, |cell| match typed::value(kind, cell) {
            Value::Real(r) => Some(r),
            _ => None,
        })),
        Kind::Bool => Values::Bool(present(cells, &mut defs, |cell| match typed::value(kind, cell) {
            Value::Bool(b) => Some(b),
            _ => None,
        })),
        Kind::Text => {
            let mut arena = Vec::new();
            let ends = present(cells, &mut defs, |cell| match typed::value(kind, cell) {
                Value::Text(s) => {
                    arena.extend_from_slice(s.as_bytes());
                    Some(arena.len() as u32)
                }
                _ => None,
            });
            Values::Text { arena, ends }
        }
    };
    Column { defs, values }
}

fn present<'c, T>(cells: impl Iterator<Item = Option<&'c Cell<'c>>>, defs: &mut Vec<i16>, mut pick: impl FnMut(&'c Cell<'c>) -> Option<T>) -> Vec<T> {
    cells
        .filter_map(|cell| {
            let x = cell.and_then(&mut pick);
            defs.push(i16::from(x.is_some()));
            x
        })
        .collect()
}

/// `columns` as bytes, appended to `out`: per column its tag, its rows' definition levels (a
/// byte each), then its values (little-endian; texts as their ends, then their bytes).
pub fn encode(columns: &[Column], out: &mut Vec<u8>) {
    let u32_le = |out: &mut Vec<u8>, n: usize| out.extend_from_slice(&(n as u32).to_le_bytes());
    u32_le(out, columns.len());
    for column in columns {
        let tag = match &column.values {
            Values::Int64(_) => 0,
            Values::Double(_) => 1,
            Values::Bool(_) => 2,
            Values::Text { .. } => 3,
        };
        out.push(tag);
        u32_le(out, column.defs.len());
        out.extend(column.defs.iter().map(|d| *d as u8));
        match &column.values {
            Values::Int64(v) => v.iter().for_each(|n| out.extend_from_slice(&n.to_le_bytes())),
            Values::Double(v) => v.iter().for_each(|r| out.extend_from_slice(&r.to_bits().to_le_bytes())),
            Values::Bool(v) => out.extend(v.iter().map(|b| u8::from(*b))),
            Values::Text { arena, ends } => {
                ends.iter().for_each(|e| out.extend_from_slice(&e.to_le_bytes()));
                u32_le(out, arena.len());
                out.extend_from_slice(arena);
            }
        }
    }
}

/// [`encode`]'s columns back; `None` when the bytes are not such (a bug on one side).
pub fn decode(mut bytes: &[u8]) -> Option<Vec<Column>> {
    fn take<'b>(bytes: &mut &'b [u8], n: usize) -> Option<&'b [u8]> {
        let (head, rest) = bytes.split_at_checked(n)?;
        *bytes = rest;
        Some(head)
    }
    fn u32_of(bytes: &mut &[u8]) -> Option<usize> {
        Some(u32::from_le_bytes(take(bytes, 4)?.try_into().ok()?) as usize)
    }
    let n = u32_of(&mut bytes)?;
    let mut columns = Vec::with_capacity(n.min(256));
    for _ in 0..n {
        let tag = *take(&mut bytes, 1)?.first()?;
        let rows = u32_of(&mut bytes)?;
        let defs: Vec<i16> = take(&mut bytes, rows)?.iter().map(|d| i16::from(*d)).collect();
        let present = defs.iter().filter(|d| **d == 1).count();
        let eight = |bytes: &mut &[u8]| -> Option<Vec<[u8; 8]>> {
            Some(take(bytes, present.checked_mul(8)?)?.chunks_exact(8).map(|c| c.try_into().unwrap_or_default()).collect())
        };
        let values = match tag {
            0 => Values::Int64(eight(&mut bytes)?.into_iter().map(i64::from_le_bytes).collect()),
            1 => Values::Double(eight(&mut bytes)?.into_iter().map(|b| f64::from_bits(u64::from_le_bytes(b))).collect()),
            2 => Values::Bool(take(&mut bytes, present)?.iter().map(|b| *b != 0).collect()),
            3 => {
                let ends: Vec<u32> = take(&mut bytes, present.checked_mul(4)?)?.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().unwrap_or_default())).collect();
                let len = u32_of(&mut bytes)?;
                let arena = take(&mut bytes, len)?.to_vec();
                if ends.windows(2).any(|w| w[0] > w[1]) || ends.last().is_some_and(|e| *e as usize > arena.len()) {
                    return None;
                }
                Values::Text { arena, ends }
            }
            _ => return None,
        };
        columns.push(Column { defs, values });
    }
    bytes.is_empty().then_some(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of column, with nulls and cells of the wrong type, comes back from its bytes
    /// as it was; cut or stretched bytes are refused.
    #[test]
    fn columns_come_back_from_their_bytes() {
        let kinds = [Kind::Int, Kind::Time, Kind::Real, Kind::Bool, Kind::Text];
        let rows: Vec<Vec<Cell>> = vec![
            vec![Cell::Int(-7), Cell::time(Some(1_758_763_340_084)), Cell::Usd(0.125), Cell::Bool(true), Cell::owned("=cmd|x".to_string())],
            vec![Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty],
            vec![Cell::UInt(u64::MAX), Cell::owned("2025-09-25T03:22:20.084+02:00".to_string()), Cell::Float(f64::NAN), Cell::Int(1), Cell::Int(5)],
            vec![Cell::Int(3), Cell::time(Some(-62_167_219_200_001)), Cell::Float(-0.5), Cell::Bool(false), Cell::owned("é".to_string())],
        ];
        let columns = of_rows(&kinds, &rows);
        assert_eq!(columns[0].values, Values::Int64(vec![-7, i64::MAX, 3]));
        assert_eq!(columns[1].values, Values::Int64(vec![1_758_763_340_084, 1_758_763_340_084, -62_167_219_200_001]));
        assert_eq!(columns[2].values, Values::Double(vec![0.125, -0.5]));
        assert_eq!(columns[3].values, Values::Bool(vec![true, false]));
        assert_eq!(columns[4].values, Values::Text { arena: "=cmd|xé".as_bytes().to_vec(), ends: vec![6, 8] });
        assert_eq!(columns[4].defs, [1, 0, 0, 1], "a number in a text column is a null, as typed::value says");
        let mut bytes = Vec::new();
        encode(&columns, &mut bytes);
        assert_eq!(decode(&bytes), Some(columns));
        assert_eq!(decode(&bytes[..bytes.len() - 1]), None);
        bytes.push(0);
        assert_eq!(decode(&bytes), None);
    }
}
