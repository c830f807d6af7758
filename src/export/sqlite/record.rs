//! SQLite's variable-length integers and records (https://www.sqlite.org/fileformat2.html,
//! sections 1.6 and 2.1).
//!
//! A record is a header (its own length as a varint, then one "serial type" varint per column)
//! followed by the column values. Integers take the fewest bytes their value needs, 0 and 1 none
//! at all (serial types 8 and 9, allowed by schema format 4, which the file header declares);
//! reals are 8 big-endian bytes; text is UTF-8 with type `13 + 2 * length`.

use std::cmp::Ordering;

/// A value as SQLite stores it (booleans are integers, times are text).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sql<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
}

impl<'a> From<super::super::typed::Value<'a>> for Sql<'a> {
    fn from(v: super::super::typed::Value<'a>) -> Self {
        use super::super::typed::Value;
        match v {
            Value::Null => Sql::Null,
            Value::Int(i) => Sql::Int(i),
            Value::Real(r) => Sql::Real(r),
            Value::Bool(b) => Sql::Int(i64::from(b)),
            Value::Text(s) | Value::Time(s) => Sql::Text(s),
        }
    }
}

/// Append `v` as an SQLite varint: big-endian groups of 7 bits with the high bit set on every
/// byte but the last; a 9th byte, when needed, carries 8 bits.
pub fn put_varint(out: &mut Vec<u8>, v: u64) {
    if v > 0x00ff_ffff_ffff_ffff {
        // 9 bytes: 8 groups of 7 bits, then the low 8 bits whole.
        let high = v >> 8;
        for i in (0..8).rev() {
            out.push(((high >> (7 * i)) & 0x7f) as u8 | 0x80);
        }
        out.push(v as u8);
        return;
    }
    let mut groups = [0u8; 8];
    let mut n = 0;
    let mut rest = v;
    loop {
        groups[n] = (rest & 0x7f) as u8;
        n += 1;
        rest >>= 7;
        if rest == 0 {
            break;
        }
    }
    for i in (0..n).rev() {
        out.push(groups[i] | if i > 0 { 0x80 } else { 0 });
    }
}

pub fn varint_len(v: u64) -> usize {
    match v {
        0..=0x7f => 1,
        0x80..=0x3fff => 2,
        0x4000..=0x1f_ffff => 3,
        0x20_0000..=0x0fff_ffff => 4,
        0x1000_0000..=0x07_ffff_ffff => 5,
        0x08_0000_0000..=0x03ff_ffff_ffff => 6,
        0x0400_0000_0000..=0x01_ffff_ffff_ffff => 7,
        0x02_0000_0000_0000..=0x00ff_ffff_ffff_ffff => 8,
        _ => 9,
    }
}

/// The serial type of a value and the number of body bytes it takes.
fn serial(v: &Sql) -> (u64, usize) {
    match *v {
        Sql::Null => (0, 0),
        Sql::Int(0) => (8, 0),
        Sql::Int(1) => (9, 0),
        Sql::Int(i) => match i {
            -0x80..=0x7f => (1, 1),
            -0x8000..=0x7fff => (2, 2),
            -0x80_0000..=0x7f_ffff => (3, 3),
            -0x8000_0000..=0x7fff_ffff => (4, 4),
            -0x8000_0000_0000..=0x7fff_ffff_ffff => (5, 6),
            _ => (6, 8),
        },
        Sql::Real(_) => (7, 8),
        Sql::Text(s) => (13 + 2 * s.len() as u64, s.len()),
    }
}

/// Append the record of `values`.
pub fn put_record(out: &mut Vec<u8>, values: &[Sql]) {
    let types: usize = values.iter().map(|v| varint_len(serial(v).0)).sum();
    // The header's length counts its own varint.
    let mut header = types + 1;
    while varint_len(header as u64) + types != header {
        header = varint_len(header as u64) + types;
    }
    put_varint(out, header as u64);
    for v in values {
        put_varint(out, serial(v).0);
    }
    for v in values {
        match *v {
            Sql::Null => {}
            Sql::Int(i) => {
                let len = serial(v).1;
                out.extend_from_slice(&i.to_be_bytes()[8 - len..]);
            }
            Sql::Real(r) => out.extend_from_slice(&r.to_bits().to_be_bytes()),
            Sql::Text(s) => out.extend_from_slice(s.as_bytes()),
        }
    }
}

/// SQLite's order of index keys with the BINARY collation: NULL first, then numbers by value,
/// then text by its bytes (memcmp, shorter first on a tie).
pub fn compare(a: &Sql, b: &Sql) -> Ordering {
    fn class(v: &Sql) -> u8 {
        match v {
            Sql::Null => 0,
            Sql::Int(_) | Sql::Real(_) => 1,
            Sql::Text(_) => 2,
        }
    }
    match (a, b) {
        (Sql::Int(x), Sql::Int(y)) => x.cmp(y),
        (Sql::Text(x), Sql::Text(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Sql::Real(x), Sql::Real(y)) => x.total_cmp(y),
        (Sql::Int(x), Sql::Real(y)) => (*x as f64).total_cmp(y),
        (Sql::Real(x), Sql::Int(y)) => x.total_cmp(&(*y as f64)),
        _ => class(a).cmp(&class(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn varint(v: u64) -> Vec<u8> {
        let mut out = Vec::new();
        put_varint(&mut out, v);
        assert_eq!(out.len(), varint_len(v), "{v}");
        out
    }

    #[test]
    fn varints_by_hand() {
        assert_eq!(varint(0), [0x00]);
        assert_eq!(varint(127), [0x7f]);
        // 128 = 1 * 128 + 0.
        assert_eq!(varint(128), [0x81, 0x00]);
        // 300 = 2 * 128 + 44.
        assert_eq!(varint(300), [0x82, 0x2c]);
        // 2^56 needs the 9-byte form: eight 7-bit groups of 2^56 >> 8 = 2^48 (bit 48 is bit 6
        // of the second group: 0x40), then the low byte 0x00.
        assert_eq!(
            varint(1 << 56),
            [0x80, 0xc0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]
        );
        assert_eq!(varint(u64::MAX), [0xff; 9]);
    }

    #[test]
    fn record_by_hand() {
        let mut out = Vec::new();
        put_record(
            &mut out,
            &[
                Sql::Null,
                Sql::Int(1),
                Sql::Int(-2),
                Sql::Text("ab"),
                Sql::Int(300),
            ],
        );
        // Header: length 6, types 0, 9, 1, 13 + 2 * 2 = 17, 2; body: -2 in one byte, "ab", 300.
        assert_eq!(out, [6, 0, 9, 1, 17, 2, 0xfe, b'a', b'b', 0x01, 0x2c]);
        let mut real = Vec::new();
        put_record(&mut real, &[Sql::Real(1.5)]);
        assert_eq!(real, [2, 7, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn a_header_of_128_bytes_and_more_counts_its_own_two_byte_length() {
        // 126 one-byte types: 126 + 1 = 127 fits one byte; 127 types need 127 + 2 = 129.
        for (n, header) in [(126usize, 127u8), (127, 129)] {
            let mut out = Vec::new();
            put_record(&mut out, &vec![Sql::Null; n]);
            let len = if header < 128 {
                out[0] as usize
            } else {
                ((out[0] as usize & 0x7f) << 7) | out[1] as usize
            };
            assert_eq!(len, header as usize, "{n} columns");
            assert_eq!(out.len(), header as usize);
        }
    }

    #[test]
    fn index_order() {
        use Ordering::*;
        assert_eq!(compare(&Sql::Null, &Sql::Int(-5)), Less);
        assert_eq!(compare(&Sql::Int(2), &Sql::Real(1.5)), Greater);
        assert_eq!(compare(&Sql::Int(9), &Sql::Text("")), Less);
        assert_eq!(compare(&Sql::Text("ab"), &Sql::Text("abc")), Less);
        assert_eq!(compare(&Sql::Text("Z"), &Sql::Text("a")), Less);
        // Bytes, not characters: é (C3 A9) sorts after z (7A).
        assert_eq!(compare(&Sql::Text("é"), &Sql::Text("z")), Greater);
    }
}
