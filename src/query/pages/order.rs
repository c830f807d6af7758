//! The order of a table's rows by one column: numbers as numbers, text as text, blank cells last
//! in either direction, dataset order among equal cells (as a stable sort would leave them).
//!
//! A million rows must sort within the page's budget (issue #14.3), so a column is turned into
//! one integer key per row whenever its order allows, and the keys are sorted with the row's
//! index as the tie break (`sort_unstable` of pairs: 3 to 4 times faster than comparing cells):
//! - a column of numbers: each number's bits, ordered as `f64::total_cmp`;
//! - a column of texts of one fixed shape (the times `2025-09-01T10:00:00.000Z`: the same
//!   length, the same separators in the same places, digits elsewhere): the digits read as one
//!   number, whose order is the texts';
//! - any other column of texts: the rank of each distinct text among the column's distinct texts
//!   (a few thousand sessions or models for a million rows, and a run of rows with the same
//!   shared text is looked up once), the distinct texts sorted eight bytes at a time;
//! - unless the column's texts are mostly distinct (a request key a row): then the rows
//!   themselves are sorted by their texts, eight bytes at a time, with no map of distinct texts
//!   (over half the time of such a sort went to that map: a million lookups of texts that
//!   share most of their bytes).
//!
//! A column that mixes numbers and text is compared cell by cell ([`compare`]).

use super::shown;
use crate::export::csv_cell::Cell;
use rustc_hash::FxHashMap;
use std::cmp::Ordering;

fn number(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Int(v) => Some(*v as f64),
        Cell::UInt(v) => Some(*v as f64),
        Cell::Float(v) | Cell::Usd(v) => Some(*v),
        _ => None,
    }
}

/// A cell that shows nothing: absent, empty text, or a non-finite number.
fn blank(c: &Cell) -> bool {
    match c {
        Cell::Empty => true,
        Cell::Text(s) => s.is_empty(),
        Cell::Float(v) | Cell::Usd(v) => !v.is_finite(),
        _ => false,
    }
}

/// Blank cells last in either direction; numbers as numbers, text as text.
fn compare(a: &Cell, b: &Cell) -> Ordering {
    match (blank(a), blank(b)) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => match (number(a), number(b)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            _ => shown(a).cmp(&shown(b)),
        },
    }
}

/// The order of `values` (one cell per row) by their cells, as the module says.
pub(super) fn sort_order(values: &[Cell], descending: bool) -> Vec<u32> {
    let n = values.len() as u32;
    let keys = match number_keys(values) {
        Some(keys) => Some(keys),
        None => match texts(values) {
            Some(texts) => match digit_keys(&texts) {
                Some(keys) => Some(keys),
                None if mostly_distinct(&texts) => return text_order(&texts, descending),
                None => Some(rank_keys(&texts)),
            },
            None => None,
        },
    };
    if let Some(keys) = keys {
        // Blank cells (no key) above every key either way; a key ≤ u64::MAX - 1 (see each kind).
        let mut keyed: Vec<(u64, u32)> = keys
            .into_iter()
            .map(|k| match k {
                None => u64::MAX,
                Some(k) if descending => u64::MAX - 1 - k,
                Some(k) => k,
            })
            .zip(0..n)
            .collect();
        keyed.sort_unstable();
        return keyed.into_iter().map(|(_, i)| i).collect();
    }
    let mut perm: Vec<u32> = (0..n).collect();
    perm.sort_by(|&x, &y| {
        let (a, b) = (&values[x as usize], &values[y as usize]);
        match () {
            _ if blank(a) || blank(b) => compare(a, b),
            _ if descending => compare(b, a),
            _ => compare(a, b),
        }
    });
    perm
}

/// Keys whose order is [`compare`]'s for a column of numbers and blank cells (`None` for a
/// blank one); `None` when a cell is something else.
fn number_keys(values: &[Cell]) -> Option<Vec<Option<u64>>> {
    values
        .iter()
        .map(|c| match c {
            _ if blank(c) => Some(None),
            // Finite, so never u64::MAX (that is NaN's).
            _ => Some(Some(ordered_bits(number(c)?))),
        })
        .collect()
}

/// `f64::total_cmp`'s order as an unsigned integer's.
fn ordered_bits(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 { !b } else { b | (1 << 63) }
}

/// Each cell's text (`None` for a blank one) for a column of texts (and `true`/`false`);
/// `None` when a cell is a number.
fn texts<'a>(values: &'a [Cell<'a>]) -> Option<Vec<Option<&'a str>>> {
    values
        .iter()
        .map(|c| match c {
            _ if blank(c) => Some(None),
            Cell::Text(s) => Some(Some(&**s)),
            Cell::Time(iso) => Some(Some(Cell::time_text(iso))),
            Cell::Bool(b) => Some(Some(if *b { "true" } else { "false" })),
            _ => None,
        })
        .collect()
}

/// Keys whose order is [`compare`]'s for a column of texts (and `true`/`false`) and blank
/// cells; `None` when a cell is a number.
#[cfg(test)]
fn text_keys(values: &[Cell]) -> Option<Vec<Option<u64>>> {
    texts(values).map(|t| digit_keys(&t).unwrap_or_else(|| rank_keys(&t)))
}

/// Texts looked at to tell whether a column's texts are mostly distinct: its first ones.
const SAMPLE: usize = 4096;

/// Whether at least nine in ten of the column's first [`SAMPLE`] texts are distinct. A guess
/// from the first rows, and only a matter of speed: both ways give the same order.
fn mostly_distinct(texts: &[Option<&str>]) -> bool {
    let sample: Vec<&str> = texts.iter().flatten().take(SAMPLE).copied().collect();
    let distinct: rustc_hash::FxHashSet<&str> = sample.iter().copied().collect();
    sample.len() >= COMPARED && distinct.len() * 10 >= sample.len() * 9
}

/// The rows sorted by their texts themselves ([`sort_texts`]: equal texts in dataset order
/// either way), blank cells last.
fn text_order(texts: &[Option<&str>], descending: bool) -> Vec<u32> {
    let all: Vec<&str> = texts.iter().map(|t| t.unwrap_or_default()).collect();
    let mut order: Vec<u32> = (0..texts.len() as u32).filter(|&i| texts[i as usize].is_some()).collect();
    sort_texts(&all, &mut order, 0, descending);
    order.extend((0..texts.len() as u32).filter(|&i| texts[i as usize].is_none()));
    order
}

/// Texts of one shape can be read as numbers: this many digits fit in a u64 (19 nines).
const MAX_DIGITS: usize = 19;

/// When every text has the first one's length and its non-digit bytes in the same places (and
/// digits everywhere else, at most [`MAX_DIGITS`]), each text's digits read as one number: two
/// such texts compare as their digits do, which compare as those numbers.
fn digit_keys(texts: &[Option<&str>]) -> Option<Vec<Option<u64>>> {
    let shape = texts.iter().flatten().next()?.as_bytes();
    let digits = shape.iter().filter(|b| b.is_ascii_digit()).count();
    if digits > MAX_DIGITS {
        return None;
    }
    texts
        .iter()
        .map(|t| {
            let Some(t) = t else { return Some(None) };
            let bytes = t.as_bytes();
            if bytes.len() != shape.len() {
                return None;
            }
            let mut key = 0u64;
            for (&b, &s) in bytes.iter().zip(shape) {
                match (b.is_ascii_digit(), s.is_ascii_digit()) {
                    (true, true) => key = key * 10 + u64::from(b - b'0'),
                    (false, false) if b == s => {}
                    _ => return None,
                }
            }
            Some(Some(key))
        })
        .collect()
}

/// Each text's rank among the distinct texts: each distinct text looked up once in a map (for a
/// million rows with a hundred thousand texts, 4 times faster than sorting the rows by their
/// texts), and only those sorted. Texts in a run of rows are often the same shared text (one
/// session's rows, one model's): the same address and length is looked up once.
fn rank_keys(texts: &[Option<&str>]) -> Vec<Option<u64>> {
    let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
    let mut distinct: Vec<&str> = Vec::new();
    let mut last: Option<(*const u8, usize, u32)> = None;
    let row_ids: Vec<Option<u32>> = texts
        .iter()
        .map(|t| {
            let t = (*t)?;
            if let Some((ptr, len, id)) = last
                && (ptr, len) == (t.as_ptr(), t.len())
            {
                return Some(id);
            }
            let id = *ids.entry(t).or_insert_with(|| {
                distinct.push(t);
                distinct.len() as u32 - 1
            });
            last = Some((t.as_ptr(), t.len(), id));
            Some(id)
        })
        .collect();
    let mut by_text: Vec<u32> = (0..distinct.len() as u32).collect();
    sort_texts(&distinct, &mut by_text, 0, false);
    let mut rank = vec![0u64; distinct.len()];
    for (r, &d) in by_text.iter().enumerate() {
        rank[d as usize] = r as u64;
    }
    row_ids.into_iter().map(|id| id.map(|d| rank[d as usize])).collect()
}

/// Below this many texts, a run is sorted by comparing them.
const COMPARED: usize = 32;

/// `order` (indices of `texts` that agree on their first `depth` bytes) sorted as their texts
/// compare, byte-wise (the other way round with `descending`), equal texts by index either way. Eight bytes at a time: each text's next eight bytes
/// (zero-padded) and how many bytes it has left (up to 9, "more than eight") are one integer key;
/// a run of equal keys with more left sorts by the next eight. A million distinct texts (a
/// request key a row) sort in two or three passes of integer keys instead of twenty million
/// text comparisons (natively 141 ms against 218 ms for a million 26-byte texts).
fn sort_texts(texts: &[&str], order: &mut [u32], depth: usize, descending: bool) {
    let rest = |i: u32| texts[i as usize].as_bytes().get(depth..).unwrap_or_default();
    if order.len() < COMPARED {
        match descending {
            false => order.sort_unstable_by_key(|&i| (rest(i), i)),
            true => order.sort_unstable_by(|&a, &b| rest(b).cmp(rest(a)).then(a.cmp(&b))),
        }
        return;
    }
    let mut keyed: Vec<(u64, u8, u32)> = order
        .iter()
        .map(|&i| {
            let rest = rest(i);
            let mut chunk = [0u8; 8];
            let n = rest.len().min(8);
            chunk[..n].copy_from_slice(&rest[..n]);
            // A text that ends within these bytes is the prefix of any longer one with the same
            // bytes (the padding's zeros are all it has there): fewer bytes left sorts first.
            // Descending, both complemented: their order reversed, the index still ascending.
            let (key, left) = (u64::from_be_bytes(chunk), rest.len().min(9) as u8);
            if descending { (!key, !left, i) } else { (key, left, i) }
        })
        .collect();
    keyed.sort_unstable();
    for (slot, &(_, _, i)) in order.iter_mut().zip(&keyed) {
        *slot = i;
    }
    let mut start = 0;
    while start < keyed.len() {
        let key = (keyed[start].0, keyed[start].1);
        let end = start + keyed[start..].iter().take_while(|k| (k.0, k.1) == key).count();
        let left = if descending { !key.1 } else { key.1 };
        // Equal keys with at most eight bytes left are equal texts, already in index order.
        if end - start > 1 && left > 8 {
            sort_texts(texts, &mut order[start..end], depth + 8, descending);
        }
        start = end;
    }
}

#[cfg(test)]
mod tests;
