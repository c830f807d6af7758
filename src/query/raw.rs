//! The raw line behind a row: found by reading the file again, slice by slice, when a person asks
//! for it (DESIGN.md section 8: long text stays in the user's files). Gzip and zstd files are
//! inflated on the way. Pure: the page's worker feeds it slices of a `File`, tests feed it bytes.

use crate::ingest::inflate::{Codec, Inflate};
use serde::{Deserialize, Serialize};

/// At most this many bytes of one line are kept for display.
pub const MAX_LINE_BYTES: usize = 1 << 20;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawLine {
    pub file: String,
    /// 1-based, as in every table.
    pub line: u32,
    /// Byte offset of the line in the (decompressed) file.
    pub offset: u64,
    /// The line as logged (lossy UTF-8, without its line end), cut at [`MAX_LINE_BYTES`].
    pub text: String,
    /// The same, re-indented when it is JSON.
    pub pretty: String,
    pub truncated: bool,
}

/// Finds line `target` (1-based) in bytes fed in order.
pub struct LineFinder {
    target: u32,
    line_no: u32,
    offset: u64,
    /// Where the target line begins, once reached.
    target_start: Option<u64>,
    buf: Vec<u8>,
    truncated: bool,
    done: bool,
}

impl LineFinder {
    pub fn new(target: u32) -> Self {
        LineFinder { target: target.max(1), line_no: 1, offset: 0, target_start: None, buf: Vec::new(), truncated: false, done: false }
    }

    /// True once the line is complete; later bytes are ignored.
    pub fn done(&self) -> bool {
        self.done
    }

    pub fn feed(&mut self, mut chunk: &[u8]) {
        while !self.done && !chunk.is_empty() {
            let newline = memchr::memchr(b'\n', chunk);
            let end = newline.unwrap_or(chunk.len());
            if self.line_no == self.target {
                self.target_start.get_or_insert(self.offset);
                let room = MAX_LINE_BYTES.saturating_sub(self.buf.len());
                self.buf.extend_from_slice(&chunk[..end.min(room)]);
                self.truncated |= end > room;
            }
            self.offset += end as u64;
            match newline {
                Some(_) => {
                    self.offset += 1;
                    if self.line_no == self.target {
                        self.done = true;
                    }
                    self.line_no += 1;
                    chunk = &chunk[end + 1..];
                }
                None => chunk = &[],
            }
        }
    }

    /// The line, or `None` when the file has fewer lines.
    pub fn finish(mut self, file: &str) -> Option<RawLine> {
        let offset = self.target_start?;
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        let start = if self.buf.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
        let text = String::from_utf8_lossy(&self.buf[start..]).into_owned();
        Some(RawLine { file: file.to_string(), line: self.target, offset, pretty: pretty_json(&text), text, truncated: self.truncated })
    }
}

/// Finds a line in a file's bytes fed slice by slice, compressed or not: gzip and zstd are told
/// by their magic bytes, as ingest tells them, and inflated by ingest's own inflater, within its
/// bounds (a bomb stops there, and the line is looked for in what came out before).
pub struct Reader {
    finder: LineFinder,
    /// Bytes held until the compression magic can be checked; `None` once it was.
    head: Option<Vec<u8>>,
    inflate: Option<Inflate>,
    /// A corrupt or stopped stream: later bytes are ignored.
    dead: bool,
}

impl Reader {
    /// `head` is the file's first bytes, as callers pass them; the bytes fed decide instead
    /// (zstd needs 4 bytes to be told, callers pass 2).
    pub fn new(target: u32, _head: &[u8]) -> Self {
        Reader { finder: LineFinder::new(target), head: Some(Vec::new()), inflate: None, dead: false }
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        match self.head.take() {
            None => self.push(chunk),
            // The usual case: the first slice shows the magic by itself, no copy needed.
            Some(head) if head.is_empty() && chunk.len() >= Codec::MAGIC_BYTES => {
                self.inflate = Codec::sniff(chunk).map(Inflate::new);
                self.push(chunk);
            }
            Some(mut head) => {
                head.extend_from_slice(chunk);
                if head.len() >= Codec::MAGIC_BYTES {
                    self.inflate = Codec::sniff(&head).map(Inflate::new);
                    self.push(&head);
                } else {
                    self.head = Some(head);
                }
            }
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        let finder = &mut self.finder;
        match &mut self.inflate {
            _ if self.dead => {}
            None => finder.feed(bytes),
            // A corrupt stream stops here: whatever was found so far is the answer.
            Some(inflate) => self.dead = inflate.push(bytes, &mut |piece| finder.feed(piece)).is_err(),
        }
    }

    pub fn done(&self) -> bool {
        self.finder.done()
    }

    pub fn finish(mut self, file: &str) -> Option<RawLine> {
        if let Some(head) = self.head.take() {
            self.inflate = Codec::sniff(&head).map(Inflate::new);
            self.push(&head);
        }
        // The stream may be cut short on purpose (the line was found): what it held back is
        // handed on, and an incomplete end is no error here.
        let finder = &mut self.finder;
        if let Some(mut inflate) = self.inflate.take()
            && !self.dead
        {
            let _ = inflate.finish(&mut |piece| finder.feed(piece));
        }
        self.finder.finish(file)
    }
}

/// JSON re-indented by two spaces, keys in their logged order; anything else as it is.
pub fn pretty_json(text: &str) -> String {
    let t = text.trim();
    if !(t.starts_with('{') || t.starts_with('[')) || serde_json::from_str::<serde::de::IgnoredAny>(t).is_err() {
        return text.to_string();
    }
    let mut out = String::with_capacity(t.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                // Empty containers stay on one line.
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                if matches!(chars.peek(), Some('}') | Some(']')) {
                    out.push(chars.next().unwrap_or(']'));
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(bytes: &[u8], line: u32, slice: usize) -> Option<RawLine> {
        let mut r = Reader::new(line, &bytes[..bytes.len().min(2)]);
        for chunk in bytes.chunks(slice.max(1)) {
            r.feed(chunk);
            if r.done() {
                break;
            }
        }
        r.finish("f.jsonl")
    }

    #[test]
    fn finds_each_line_with_its_offset_at_every_slice_size() {
        let bytes = b"{\"a\":1}\r\nsecond\n\nfourth";
        // (line, text, offset) worked out by hand from the bytes above.
        let cases = [(1, "{\"a\":1}", 0), (2, "second", 9), (3, "", 16), (4, "fourth", 17)];
        for slice in [1, 2, 3, 5, 64] {
            for (line, text, offset) in cases {
                let got = find(bytes, line, slice);
                if line == 3 {
                    // An empty line in the middle exists (it is line 3), with no text.
                    assert_eq!(got.as_ref().map(|g| g.text.as_str()), Some(""), "slice {slice}");
                    continue;
                }
                let got = got.unwrap_or_else(|| panic!("line {line} at slice {slice}"));
                assert_eq!((got.text.as_str(), got.offset), (text, offset), "line {line} slice {slice}");
            }
            assert_eq!(find(bytes, 5, slice), None);
        }
    }

    #[test]
    fn zstd_lines_are_inflated_whatever_the_slices() {
        let zst = ruzstd::encoding::compress_to_vec(&b"one\ntwo\nthree\n"[..], ruzstd::encoding::CompressionLevel::Fastest);
        for slice in [1, 2, 3, 7, 64] {
            assert_eq!(find(&zst, 2, slice).map(|l| (l.text, l.offset)), Some(("two".into(), 4)), "slice {slice}");
        }
        // Shorter than the magic: read as it is.
        assert_eq!(find(b"a\nb", 2, 1).map(|l| l.text), Some("b".into()));
    }

    #[test]
    fn gzip_lines_are_inflated() {
        use std::io::Write;
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(b"one\ntwo\nthree\n").unwrap();
        let gz = z.finish().unwrap();
        assert_eq!(find(&gz, 2, 7).map(|l| l.text), Some("two".into()));
    }

    #[test]
    fn pretty_keeps_key_order_and_strings() {
        let got = pretty_json(r#"{"b":1,"a":[],"s":"x,{y}:\"z\""}"#);
        assert_eq!(got, "{\n  \"b\": 1,\n  \"a\": [],\n  \"s\": \"x,{y}:\\\"z\\\"\"\n}");
        assert_eq!(pretty_json("not json {"), "not json {");
    }
}
