//! The zip container around entries compressed beforehand, each on its own
//! ([`super::packer`]), written from the format's specification (PKWARE APPNOTE.TXT 6.3.10:
//! 4.3.7 local file header, 4.3.12 central directory header, 4.3.14–4.3.16 the end records,
//! 4.5.3 the Zip64 extra field).
//!
//! Why by hand: the `zip` crate compresses an entry itself, as its bytes arrive in order, and
//! can add an entry compressed ahead of time only if its own `ZipFileBuilder` compressed it
//! into one `Vec`. The export needs entries whose compressed stream is put together from pieces
//! compressed at different times: the database's first MiB (its page 1 is written last) is
//! compressed after the rest, and the rest as its pages are written, so the 346 MB file of the
//! real-world profile is never held whole (issue #18.1). What a container needs of that
//! (three record layouts and Zip64 past 4 GiB) is small; the `zip` crate reads every archive
//! back in the tests.
//!
//! The archive is handed over in parts, never joined: each entry's header, then its compressed
//! chunks as they are, then the central directory.

/// How an entry's bytes are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Stored,
    Deflated,
}

/// An entry compressed already: its name, how, the CRC-32 and length of its bytes, the length
/// of its compressed stream, and the stream in chunks (empty once handed elsewhere: the page's
/// worker copies an entry's chunks into a Blob when it ends, [`Part::Data`] says where it goes).
pub struct Packed {
    pub name: &'static str,
    pub method: Method,
    pub crc: u32,
    pub size: u64,
    pub compressed: u64,
    pub data: Vec<Vec<u8>>,
    /// Where in `data` the chunks taken out while it was written belong
    /// ([`super::packer::Packer::take_full`]; `compressed` counts them).
    pub taken_at: usize,
}

/// A size or offset at or past this is written as 0xFFFFFFFF with its value in a Zip64 field.
const LIMIT: u64 = 0xFFFF_FFFF;

/// A piece of the archive: the container's own bytes, or the compressed data of entry `n`.
pub enum Part {
    Bytes(Vec<u8>),
    Data(usize),
}

/// The archive of `entries` in their order, each stamped with `time`: its bytes in parts.
pub fn write(entries: Vec<Packed>, time: zip::DateTime) -> Vec<Vec<u8>> {
    write_with(entries, time, LIMIT)
}

/// [`write`] with the Zip64 threshold given (the tests lower it to write Zip64 records for
/// small entries).
fn write_with(entries: Vec<Packed>, time: zip::DateTime, limit: u64) -> Vec<Vec<u8>> {
    let parts = layout_with(&entries, time, limit);
    let mut data: Vec<Vec<Vec<u8>>> = entries.into_iter().map(|e| e.data).collect();
    let mut out = Vec::with_capacity(parts.len() + data.iter().map(Vec::len).sum::<usize>());
    for part in parts {
        match part {
            Part::Bytes(bytes) => out.push(bytes),
            Part::Data(n) => out.extend(std::mem::take(&mut data[n]).into_iter().filter(|c| !c.is_empty())),
        }
    }
    out
}

/// The archive of `entries` as a layout: each entry's header, where its data goes, then the
/// central directory. Reads only the entries' names, methods, CRCs and lengths.
pub fn layout(entries: &[Packed], time: zip::DateTime) -> Vec<Part> {
    layout_with(entries, time, LIMIT)
}

fn layout_with(entries: &[Packed], time: zip::DateTime, limit: u64) -> Vec<Part> {
    let stamp = Stamp { time: time.timepart(), date: time.datepart() };
    let mut parts = Vec::with_capacity(entries.len() * 2 + 1);
    let mut central = Vec::new();
    let mut offset = 0u64;
    for (n, entry) in entries.iter().enumerate() {
        let large = entry.size >= limit || entry.compressed >= limit;
        let local = local_header(entry, large, stamp);
        central_header(&mut central, entry, large, offset, limit, stamp);
        offset += local.len() as u64 + entry.compressed;
        parts.push(Part::Bytes(local));
        parts.push(Part::Data(n));
    }
    end_records(&mut central, entries.len() as u64, offset, limit);
    parts.push(Part::Bytes(central));
    parts
}

#[derive(Clone, Copy)]
struct Stamp {
    time: u16,
    date: u16,
}

/// Version needed to extract: 1.0 stored, 2.0 deflated, 4.5 with Zip64 fields.
fn version(method: Method, zip64: bool) -> u16 {
    match (zip64, method) {
        (true, _) => 45,
        (false, Method::Deflated) => 20,
        (false, Method::Stored) => 10,
    }
}

fn flags(name: &str) -> u16 {
    // Bit 11: the name is UTF-8 (ours are ASCII, but say so if one ever is not).
    if name.is_ascii() { 0 } else { 1 << 11 }
}

fn method_code(method: Method) -> u16 {
    match method {
        Method::Stored => 0,
        Method::Deflated => 8,
    }
}

fn u16le(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u32le(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u64le(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// A 32-bit field: the value, or 0xFFFFFFFF when it is in a Zip64 field.
fn field32(v: u64, in_zip64: bool) -> u32 {
    if in_zip64 { u32::MAX } else { v as u32 }
}

/// The Zip64 extended information extra field (header 0x0001) holding `values` in order.
fn zip64_extra(values: &[u64]) -> Vec<u8> {
    let mut extra = Vec::new();
    if !values.is_empty() {
        u16le(&mut extra, 0x0001);
        u16le(&mut extra, (values.len() * 8) as u16);
        values.iter().for_each(|v| u64le(&mut extra, *v));
    }
    extra
}

/// The local file header: a large entry keeps both sizes in its Zip64 field (4.5.3: the local
/// header's field, when present, holds both).
fn local_header(entry: &Packed, large: bool, stamp: Stamp) -> Vec<u8> {
    let compressed = entry.compressed;
    let extra = if large { zip64_extra(&[entry.size, compressed]) } else { Vec::new() };
    let mut out = Vec::with_capacity(30 + entry.name.len() + extra.len());
    u32le(&mut out, 0x0403_4b50);
    u16le(&mut out, version(entry.method, large));
    u16le(&mut out, flags(entry.name));
    u16le(&mut out, method_code(entry.method));
    u16le(&mut out, stamp.time);
    u16le(&mut out, stamp.date);
    u32le(&mut out, entry.crc);
    u32le(&mut out, field32(compressed, large));
    u32le(&mut out, field32(entry.size, large));
    u16le(&mut out, entry.name.len() as u16);
    u16le(&mut out, extra.len() as u16);
    out.extend_from_slice(entry.name.as_bytes());
    out.extend_from_slice(&extra);
    out
}

/// The entry's central directory header: its Zip64 field holds only the values that do not
/// fit, in the order the format gives (size, compressed size, offset).
fn central_header(out: &mut Vec<u8>, entry: &Packed, large: bool, offset: u64, limit: u64, stamp: Stamp) {
    let compressed = entry.compressed;
    let far = offset >= limit;
    let mut values = Vec::new();
    if large {
        values.extend([entry.size, compressed]);
    }
    if far {
        values.push(offset);
    }
    let extra = zip64_extra(&values);
    let needed = version(entry.method, large || far);
    u32le(out, 0x0201_4b50);
    // Made by: Unix (3), so that the external attributes below are read as a mode.
    u16le(out, (3 << 8) | needed);
    u16le(out, needed);
    u16le(out, flags(entry.name));
    u16le(out, method_code(entry.method));
    u16le(out, stamp.time);
    u16le(out, stamp.date);
    u32le(out, entry.crc);
    u32le(out, field32(compressed, large));
    u32le(out, field32(entry.size, large));
    u16le(out, entry.name.len() as u16);
    u16le(out, extra.len() as u16);
    // No comment, disk 0, no internal attributes; a regular file, rw-r--r--.
    u16le(out, 0);
    u16le(out, 0);
    u16le(out, 0);
    u32le(out, 0o100_644 << 16);
    u32le(out, field32(offset, far));
    out.extend_from_slice(entry.name.as_bytes());
    out.extend_from_slice(&extra);
}

/// The end of central directory record, after the Zip64 one and its locator when a count,
/// size or offset does not fit its field. `central` holds the directory, which starts at `start`.
fn end_records(central: &mut Vec<u8>, count: u64, start: u64, limit: u64) {
    let size = central.len() as u64;
    let zip64 = count >= 0xFFFF || size >= limit || start >= limit;
    if zip64 {
        let at = start + size;
        u32le(central, 0x0606_4b50);
        // The record's size after this field: 44 bytes, no extensible data.
        u64le(central, 44);
        u16le(central, (3 << 8) | 45);
        u16le(central, 45);
        u32le(central, 0);
        u32le(central, 0);
        u64le(central, count);
        u64le(central, count);
        u64le(central, size);
        u64le(central, start);
        u32le(central, 0x0706_4b50);
        u32le(central, 0);
        u64le(central, at);
        u32le(central, 1);
    }
    let count16 = if zip64 { u16::MAX } else { count as u16 };
    u32le(central, 0x0605_4b50);
    u16le(central, 0);
    u16le(central, 0);
    u16le(central, count16);
    u16le(central, count16);
    u32le(central, field32(size, zip64));
    u32le(central, field32(start, zip64));
    u16le(central, 0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};

    fn entry(name: &'static str, bytes: &[u8], method: Method) -> Packed {
        let data = match method {
            Method::Stored => bytes.to_vec(),
            Method::Deflated => {
                let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(1));
                std::io::Write::write_all(&mut enc, bytes).unwrap();
                enc.finish().unwrap()
            }
        };
        // Cut into uneven chunks: the container must not care where.
        let compressed = data.len() as u64;
        let data = data.chunks(7).map(<[u8]>::to_vec).collect();
        Packed { name, method, crc: crc32fast::hash(bytes), size: bytes.len() as u64, compressed, data, taken_at: 0 }
    }

    fn read_back(parts: Vec<Vec<u8>>) -> Vec<(String, Vec<u8>, u32)> {
        let mut archive = zip::ZipArchive::new(Cursor::new(parts.concat())).expect("a readable archive");
        (0..archive.len())
            .map(|i| {
                let mut file = archive.by_index(i).unwrap();
                let mut bytes = Vec::new();
                file.read_to_end(&mut bytes).expect("its bytes match its CRC");
                (file.name().expect("a UTF-8 name").to_string(), bytes, file.unix_mode().unwrap_or(0))
            })
            .collect()
    }

    /// The `zip` crate (an independent reader) finds every entry, with its bytes (checked
    /// against the CRC as it reads), in order, as 32-bit records and as Zip64 ones.
    #[test]
    fn the_zip_crate_reads_every_entry_back() {
        let text = "session_id,model\r\ns-1,gpt-5\r\n".repeat(300);
        let time = zip::DateTime::from_date_and_time(2026, 12, 7, 3, 14, 16).unwrap();
        for limit in [LIMIT, 0, 1000] {
            let entries = vec![
                entry("sessions.csv", text.as_bytes(), Method::Deflated),
                entry("empty.json", b"", Method::Deflated),
                entry("usage_tokens.parquet", b"PAR1 not really PAR1", Method::Stored),
                entry("naïve.md", "é".repeat(10).as_bytes(), Method::Stored),
            ];
            let back = read_back(write_with(entries, time, limit));
            let names: Vec<&str> = back.iter().map(|(n, _, _)| n.as_str()).collect();
            assert_eq!(names, ["sessions.csv", "empty.json", "usage_tokens.parquet", "naïve.md"], "limit {limit}");
            assert_eq!(back[0].1, text.as_bytes());
            assert!(back[1].1.is_empty());
            assert_eq!(back[2].1, b"PAR1 not really PAR1");
            assert_eq!(back[3].1, "é".repeat(10).as_bytes());
            assert!(back.iter().all(|(_, _, mode)| mode & 0o777 == 0o644), "rw-r--r--");
        }
        let empty = read_back(write(Vec::new(), time));
        assert!(empty.is_empty());
    }

    #[test]
    fn zip64_records_appear_only_past_the_limit() {
        let time = zip::DateTime::default();
        let small = write(vec![entry("a.csv", b"x,y\r\n", Method::Deflated)], time).concat();
        assert!(!small.windows(4).any(|w| w == 0x0606_4b50u32.to_le_bytes()), "no Zip64 end record");
        let forced = write_with(vec![entry("a.csv", b"x,y\r\n", Method::Deflated)], time, 0).concat();
        assert!(forced.windows(4).any(|w| w == 0x0606_4b50u32.to_le_bytes()));
        assert_eq!(&forced[18..26], &[0xff; 8], "sizes in the local header's Zip64 field");
    }
}
