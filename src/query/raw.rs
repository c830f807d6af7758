//! The raw line behind a row: found by reading the file again, slice by slice, when a person asks
//! for it (DESIGN.md section 8: long text stays in the user's files). Gzip files are inflated on
//! the way. Pure: the page's worker feeds it slices of a `File`, tests feed it bytes.

use serde::{Deserialize, Serialize};
use std::io::Write;

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

/// Inflating wrapper: gzip bytes in, the finder fed with what they inflate to.
impl Write for LineFinder {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.feed(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Finds a line in a file's bytes fed slice by slice, gzip or not.
pub enum Reader {
    Plain(LineFinder),
    Gzip(Box<flate2::write::MultiGzDecoder<LineFinder>>),
}

impl Reader {
    /// `head` is the file's first bytes (at least 2 when the file has them).
    pub fn new(target: u32, head: &[u8]) -> Self {
        let finder = LineFinder::new(target);
        if head.starts_with(&[0x1f, 0x8b]) {
            Reader::Gzip(Box::new(flate2::write::MultiGzDecoder::new(finder)))
        } else {
            Reader::Plain(finder)
        }
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        match self {
            Reader::Plain(f) => f.feed(chunk),
            // A corrupt stream stops here: whatever was found so far is the answer.
            Reader::Gzip(z) => {
                let _ = z.write_all(chunk);
            }
        }
    }

    pub fn done(&self) -> bool {
        match self {
            Reader::Plain(f) => f.done(),
            Reader::Gzip(z) => z.get_ref().done(),
        }
    }

    pub fn finish(self, file: &str) -> Option<RawLine> {
        match self {
            Reader::Plain(f) => f.finish(file),
            // The stream may be cut short on purpose (the line was found): take the finder out
            // rather than insist on a complete stream.
            Reader::Gzip(mut z) => {
                let _ = z.try_finish();
                std::mem::replace(z.get_mut(), LineFinder::new(1)).finish(file)
            }
        }
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
    fn gzip_lines_are_inflated() {
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
