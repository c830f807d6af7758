//! A validating JSON scanner for one log line: the fast path of the line adapters.
//!
//! Serde builds every field it is asked for and validates UTF-8 string by string; the adapters
//! need a handful of fields out of lines that are mostly tool output. This scanner walks a line
//! once, checks that it is valid JSON (the full grammar: strings, escapes, numbers, literals,
//! nesting, nothing after the value) and hands out borrowed spans of the fields an adapter asks
//! for; everything else is skipped while it is validated.
//!
//! It never decides that a line is malformed. Whenever it is not sure that serde would read the
//! line the same way, it answers [`Bail`]: the adapter then reads the line with its serde
//! structs, which decide (and word the reason) exactly as before. Bail cases: invalid UTF-8
//! anywhere (serde's `from_slice` tolerates it in ignored strings), any syntax error, a key that
//! holds an escape, a string with a `\u` surrogate escape that must be decoded, nesting deeper
//! than [`MAX_DEPTH`], and whatever an adapter finds unusual (a duplicate field, an unexpected
//! type). So a line the fast path accepts is a line serde accepts, with the same values.
//!
//! No `unsafe`: positions only ever stop on ASCII bytes, and every slice is taken with `get`
//! (the SIMD byte searches it uses live in [`super::find`]).

use super::find::{find_byte, find_special};
use std::borrow::Cow;

/// "Not sure: let serde read this line." Carries nothing; serde words the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bail;

pub type Scan<T> = Result<T, Bail>;

/// Deeper nesting is left to serde (which skips ignored values without a depth limit).
pub const MAX_DEPTH: u32 = 120;

/// A JSON string as it appears in the line, quotes excluded, validated.
#[derive(Debug, Clone, Copy)]
pub struct JsonStr<'a> {
    /// The text between the quotes, escapes not decoded.
    pub raw: &'a str,
    /// Holds at least one backslash escape.
    pub escaped: bool,
    /// Holds a `\u` escape in the surrogate range, which serde may reject when decoding.
    pub surrogate: bool,
    /// Holds a `\u` escape (of any code point).
    pub unicode: bool,
    /// The length in bytes of the decoded text (meaningless when `surrogate`).
    pub decoded_len: usize,
}

impl<'a> JsonStr<'a> {
    /// The decoded text; borrowed when there is no escape.
    pub fn cow(&self) -> Scan<Cow<'a, str>> {
        if !self.escaped {
            return Ok(Cow::Borrowed(self.raw));
        }
        let mut out = String::with_capacity(self.raw.len());
        self.decode_into(&mut out)?;
        Ok(Cow::Owned(out))
    }

    /// Append the decoded text to `out`. Surrogate escapes bail (serde rejects lone ones; pairs
    /// are rare enough to leave to it too).
    pub fn decode_into(&self, out: &mut String) -> Scan<()> {
        if self.surrogate {
            return Err(Bail);
        }
        decode_escapes(self.raw, out)
    }
}

/// Decode the escapes of a validated JSON string body without surrogate escapes.
fn decode_escapes(raw: &str, out: &mut String) -> Scan<()> {
    decode_prefix(raw, out, usize::MAX, usize::MAX).map(|_| ())
}

/// Append the decoded text of a validated JSON string body to `out`, stopping early (answer
/// `false`) once `out` holds at least `min_len` bytes and `min_newlines` line ends: the caller
/// then has a prefix of the text, ending anywhere. Surrogate escapes bail.
pub fn decode_prefix(raw: &str, out: &mut String, min_len: usize, min_newlines: usize) -> Scan<bool> {
    let b = raw.as_bytes();
    out.reserve(raw.len().min(min_len.saturating_add(256)));
    let mut newlines = 0usize;
    let mut i = 0;
    loop {
        let at = find_byte(b, i, b'\\');
        out.push_str(raw.get(i..at).ok_or(Bail)?);
        if at >= b.len() {
            return Ok(true);
        }
        if out.len() >= min_len && newlines >= min_newlines {
            return Ok(false);
        }
        let (ch, len) = match b.get(at + 1).copied().ok_or(Bail)? {
            b'"' => ('"', 2),
            b'\\' => ('\\', 2),
            b'/' => ('/', 2),
            b'b' => ('\u{8}', 2),
            b'f' => ('\u{c}', 2),
            b'n' => ('\n', 2),
            b'r' => ('\r', 2),
            b't' => ('\t', 2),
            b'u' => {
                let hex = raw.get(at + 2..at + 6).ok_or(Bail)?;
                if !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
                    return Err(Bail);
                }
                let code = u32::from_str_radix(hex, 16).map_err(|_| Bail)?;
                (char::from_u32(code).ok_or(Bail)?, 6)
            }
            _ => return Err(Bail),
        };
        newlines += usize::from(ch == '\n');
        out.push(ch);
        i = at + len;
    }
}

/// Decode a JSON string body (quotes excluded) that the scanner or serde already validated.
/// `None` when it holds a surrogate escape: then ask serde.
pub fn decode_validated(raw: &str) -> Option<Cow<'_, str>> {
    if !raw.contains('\\') {
        return Some(Cow::Borrowed(raw));
    }
    if has_surrogate_escape(raw) {
        return None;
    }
    let mut out = String::with_capacity(raw.len());
    decode_escapes(raw, &mut out).ok()?;
    Some(Cow::Owned(out))
}

fn has_surrogate_escape(raw: &str) -> bool {
    let b = raw.as_bytes();
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'\\', b.get(i..).unwrap_or_default()) {
        let at = i + at;
        match b.get(at + 1) {
            Some(b'u') => {
                if matches!(b.get(at + 2), Some(b'd' | b'D')) && matches!(b.get(at + 3), Some(b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F')) {
                    return true;
                }
                i = at + 6;
            }
            _ => i = at + 2,
        }
    }
    false
}

#[inline]
fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\n' | b'\t' | b'\r')
}

/// The plain integer at the start of `b` and its length in bytes, when what follows cannot
/// continue a JSON number (no fraction, no exponent, no more digits). At most 18 digits, so the
/// value is exact; no leading zeros (not JSON); not `-0`.
#[inline]
fn leading_int(b: &[u8]) -> Option<(i64, usize)> {
    let negative = b.first() == Some(&b'-');
    let start = usize::from(negative);
    let digits = b.get(start..)?.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 18 || (digits > 1 && b.get(start) == Some(&b'0')) {
        return None;
    }
    let end = start + digits;
    if matches!(b.get(end), Some(b'.' | b'e' | b'E' | b'0'..=b'9')) {
        return None;
    }
    let n = b.get(start..end)?.iter().fold(0i64, |n, &c| n * 10 + i64::from(c - b'0'));
    if negative && n == 0 {
        return None;
    }
    Some((if negative { -n } else { n }, end))
}

/// The known fields of one object an adapter has read so far: a second sighting of one bails,
/// as serde rejects a duplicate field. Field `k` (below 32) is bit `k`.
#[derive(Default)]
pub struct Seen(u32);

impl Seen {
    #[inline]
    pub fn once(&mut self, field: u32) -> Scan<()> {
        let bit = 1 << field;
        if self.0 & bit != 0 {
            return Err(Bail);
        }
        self.0 |= bit;
        Ok(())
    }
}

/// A cursor over one line.
pub struct Scanner<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Scanner<'a> {
    /// A scanner over `line`; bails when the line is not UTF-8.
    pub fn new(line: &'a [u8]) -> Scan<Self> {
        // SIMD validation (AVX2 or SSE4.2 natively, simd128 in the page): the whole line is
        // checked once up front, about a tenth of the ingest time with `std::str::from_utf8`.
        let text = simdutf8::basic::from_utf8(line).map_err(|_| Bail)?;
        Ok(Scanner { text, pos: 0 })
    }

    /// A scanner over text already known to be UTF-8.
    pub fn of_str(text: &'a str) -> Self {
        Scanner { text, pos: 0 }
    }

    #[inline]
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    #[inline]
    fn byte(&self, at: usize) -> Scan<u8> {
        self.bytes().get(at).copied().ok_or(Bail)
    }

    /// The next byte after whitespace, not consumed.
    #[inline]
    pub fn peek(&mut self) -> Scan<u8> {
        let b = self.bytes();
        while let Some(&c) = b.get(self.pos) {
            if !is_ws(c) {
                return Ok(c);
            }
            self.pos += 1;
        }
        Err(Bail)
    }

    /// Only whitespace may follow the value.
    pub fn end(&mut self) -> Scan<()> {
        match self.peek() {
            Err(Bail) => Ok(()),
            Ok(_) => Err(Bail),
        }
    }

    fn span(&self, start: usize) -> Scan<&'a str> {
        self.text.get(start..self.pos).ok_or(Bail)
    }

    /// Read an object, calling `field` with each key (raw bytes, no escapes); `field` must
    /// consume the value. Bails when the next value is not an object.
    #[inline]
    pub fn object(&mut self, mut field: impl FnMut(&mut Self, &'a [u8]) -> Scan<()>) -> Scan<()> {
        if self.peek()? != b'{' {
            return Err(Bail);
        }
        self.pos += 1;
        if self.peek()? == b'}' {
            self.pos += 1;
            return Ok(());
        }
        loop {
            let key = self.key()?;
            field(self, key)?;
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(Bail),
            }
        }
    }

    /// Read an array, calling `element` for each (which must consume it). Bails when the next
    /// value is not an array.
    pub fn array(&mut self, mut element: impl FnMut(&mut Self) -> Scan<()>) -> Scan<()> {
        if self.peek()? != b'[' {
            return Err(Bail);
        }
        self.pos += 1;
        if self.peek()? == b']' {
            self.pos += 1;
            return Ok(());
        }
        loop {
            element(self)?;
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(Bail),
            }
        }
    }

    /// A key and its colon; keys with escapes bail (serde compares them decoded).
    #[inline]
    fn key(&mut self) -> Scan<&'a [u8]> {
        if self.peek()? != b'"' {
            return Err(Bail);
        }
        // A key ends at its first special byte, which must be the closing quote: keys with
        // escapes bail, so they need none of the escape handling of `string_body`.
        let b = self.bytes();
        let start = self.pos + 1;
        let end = find_special(b, start);
        if b.get(end) != Some(&b'"') {
            return Err(Bail);
        }
        let key = b.get(start..end).ok_or(Bail)?;
        self.pos = end + 1;
        if self.peek()? != b':' {
            return Err(Bail);
        }
        self.pos += 1;
        Ok(key)
    }

    /// `null` is consumed and answers `true`; anything else is left in place.
    #[inline]
    pub fn null(&mut self) -> Scan<bool> {
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            return Ok(true);
        }
        Ok(false)
    }

    /// The next value, which must be a string.
    #[inline]
    pub fn string(&mut self) -> Scan<JsonStr<'a>> {
        if self.peek()? != b'"' {
            return Err(Bail);
        }
        self.pos += 1;
        self.string_body()
    }

    /// A string or `null`; any other value bails.
    #[inline]
    pub fn string_or_null(&mut self) -> Scan<Option<JsonStr<'a>>> {
        if self.null()? { Ok(None) } else { self.string().map(Some) }
    }

    /// The text of the next value, whatever it is, validated (what serde's `RawValue` holds).
    pub fn raw(&mut self) -> Scan<&'a str> {
        self.peek()?;
        let start = self.pos;
        self.skip()?;
        self.span(start)
    }

    /// Read the next value with `read`, and answer its raw text too. When `read` bails, the value
    /// is skipped instead (and validated): `None`, and the caller asks serde about the text.
    pub fn raw_read<T>(&mut self, read: impl FnOnce(&mut Self) -> Scan<T>) -> Scan<(&'a str, Option<T>)> {
        self.peek()?;
        let start = self.pos;
        match read(self) {
            Ok(value) => Ok((self.span(start)?, Some(value))),
            Err(Bail) => {
                self.pos = start;
                Ok((self.raw()?, None))
            }
        }
    }

    /// Like [`Scanner::raw`]; when the value is a string, also its decoded length in bytes
    /// (`None` when it holds a surrogate escape).
    pub fn raw_measured(&mut self) -> Scan<(&'a str, Option<usize>)> {
        if self.peek()? != b'"' {
            return Ok((self.raw()?, None));
        }
        let start = self.pos;
        self.pos += 1;
        let s = self.string_body()?;
        Ok((self.span(start)?, (!s.surrogate).then_some(s.decoded_len)))
    }

    /// Skip a value that serde reads with `deserialize_any` (a lenient field reader that ignores
    /// it): serde decodes a string (a surrogate escape may fail it) and parses a number (a huge
    /// one fails), while it drains containers without decoding anything. So strings with a
    /// surrogate escape and numbers other than plain small integers bail.
    pub fn skip_any(&mut self) -> Scan<()> {
        match self.peek()? {
            b'"' => {
                if self.string()?.surrogate {
                    return Err(Bail);
                }
                Ok(())
            }
            b'-' | b'0'..=b'9' => self.small_int().map(|_| ()),
            _ => self.skip(),
        }
    }

    /// An integer written plainly ([`plain_int`]); other numbers bail.
    pub fn small_int(&mut self) -> Scan<i64> {
        self.plain_int()?.ok_or(Bail)
    }

    /// The next value when it is a plain integer (consumed); `None` (nothing consumed) when it
    /// is anything else, another number included.
    #[inline]
    pub fn plain_int(&mut self) -> Scan<Option<i64>> {
        self.peek()?;
        let Some((n, len)) = self.bytes().get(self.pos..).and_then(leading_int) else { return Ok(None) };
        self.pos += len;
        Ok(Some(n))
    }

    fn literal(&mut self, word: &[u8]) -> Scan<()> {
        if self.bytes().get(self.pos..self.pos + word.len()) != Some(word) {
            return Err(Bail);
        }
        self.pos += word.len();
        Ok(())
    }

    fn digits(&mut self) -> usize {
        let b = self.bytes();
        let start = self.pos;
        while b.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    fn number(&mut self) -> Scan<()> {
        if self.byte(self.pos)? == b'-' {
            self.pos += 1;
        }
        match self.byte(self.pos)? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return Err(Bail),
        }
        if self.bytes().get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(Bail);
            }
        }
        if matches!(self.bytes().get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.bytes().get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(Bail);
            }
        }
        Ok(())
    }

    /// Skip one value of any kind, validating it. Iterative, so hostile nesting cannot overflow
    /// the stack; deeper than [`MAX_DEPTH`] bails.
    pub fn skip(&mut self) -> Scan<()> {
        // One bit per open container: 1 = object, 0 = array.
        let mut stack: u128 = 0;
        let mut depth = 0u32;
        loop {
            // A value starts here.
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    self.skip_string_body()?;
                }
                open @ (b'{' | b'[') => {
                    self.pos += 1;
                    let close = if open == b'{' { b'}' } else { b']' };
                    if self.peek()? == close {
                        self.pos += 1;
                    } else {
                        depth += 1;
                        if depth > MAX_DEPTH {
                            return Err(Bail);
                        }
                        stack = (stack << 1) | u128::from(open == b'{');
                        if open == b'{' {
                            self.key()?;
                        }
                        continue;
                    }
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => self.number()?,
                _ => return Err(Bail),
            }
            // A value ended: close containers until one continues.
            loop {
                if depth == 0 {
                    return Ok(());
                }
                let in_object = stack & 1 == 1;
                match self.peek()? {
                    b',' => {
                        self.pos += 1;
                        if in_object {
                            self.key()?;
                        }
                        break;
                    }
                    b'}' if in_object => {}
                    b']' if !in_object => {}
                    _ => return Err(Bail),
                }
                self.pos += 1;
                depth -= 1;
                stack >>= 1;
            }
        }
    }

    /// [`Scanner::string_body`] when only validity matters: most strings hold no escape, and
    /// those end at their first special byte.
    #[inline]
    fn skip_string_body(&mut self) -> Scan<()> {
        let end = find_special(self.bytes(), self.pos);
        if self.bytes().get(end) == Some(&b'"') {
            self.pos = end + 1;
            return Ok(());
        }
        self.string_body().map(|_| ())
    }

    /// The body of a string whose opening quote was consumed; consumes the closing quote.
    #[inline]
    fn string_body(&mut self) -> Scan<JsonStr<'a>> {
        let b = self.bytes();
        let start = self.pos;
        // Kept in a local: the loop runs once per escape, which tool output is full of.
        let mut pos = start;
        let mut escaped = false;
        let mut surrogate = false;
        let mut unicode = false;
        // Bytes the escapes save once decoded.
        let mut saved = 0usize;
        loop {
            pos = find_special(b, pos);
            match b.get(pos) {
                Some(b'"') => {
                    let raw = self.text.get(start..pos).ok_or(Bail)?;
                    self.pos = pos + 1;
                    let decoded_len = raw.len().saturating_sub(saved);
                    return Ok(JsonStr { raw, escaped, surrogate, unicode, decoded_len });
                }
                Some(b'\\') => {}
                // A control character (invalid inside a JSON string), or the end of the line.
                _ => return Err(Bail),
            }
            escaped = true;
            match b.get(pos + 1) {
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                    pos += 2;
                    saved += 1;
                }
                Some(b'u') => {
                    let hex = self.text.get(pos + 2..pos + 6).ok_or(Bail)?;
                    if !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
                        return Err(Bail);
                    }
                    let code = u32::from_str_radix(hex, 16).map_err(|_| Bail)?;
                    unicode = true;
                    match char::from_u32(code) {
                        Some(c) => saved += 6 - c.len_utf8(),
                        None => surrogate = true,
                    }
                    pos += 6;
                }
                _ => return Err(Bail),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::IgnoredAny;

    fn accepts(line: &str) -> bool {
        let Ok(mut s) = Scanner::new(line.as_bytes()) else { return false };
        s.skip().and_then(|_| s.end()).is_ok()
    }

    #[test]
    fn accepts_only_what_serde_accepts() {
        let table = [
            r#"{"a":1,"b":[true,false,null,-0.5e+3,"x\"y\\\u00e9"],"c":{}}"#,
            r#"  { "a" : [ ] , "b" : { "c" : [ { } ] } }  "#,
            "\"\\ud83d\\ude00\"",
            "[1,2",
            "{\"a\":1,}",
            "[1,]",
            "{\"a\" 1}",
            "01",
            "-",
            "1.",
            "1e",
            ".5",
            "tru",
            "nul",
            "\"\\x\"",
            "\"\\u12g4\"",
            "\"tab\there\"",
            "{\"a\":1}}",
            "{\"a\":1} x",
            "",
            "   ",
            "{'a':1}",
            "[[[[[]]]]]",
            "{\"a\":[{\"b\":[{}]}],\"c\":\"\\/\"}",
        ];
        for line in table {
            let serde = serde_json::from_str::<IgnoredAny>(line).is_ok();
            // The scanner may bail where serde accepts, never the other way round; on this
            // table it agrees exactly.
            assert_eq!(accepts(line), serde, "{line}");
        }
    }

    #[test]
    fn deep_nesting_bails_without_overflow() {
        let deep = "[".repeat(100_000);
        assert!(!accepts(&deep));
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(accepts(&ok));
    }

    #[test]
    fn strings_decode_like_serde() {
        let table = [r#""plain""#, r#""a\nb\t\"q\" \\ \/ \b\f\r""#, r#""\u00e9\u4e2d\u0000""#, r#""héllo wörld ✓""#];
        for json in table {
            let mut s = Scanner::new(json.as_bytes()).unwrap();
            let js = s.string().unwrap();
            let got = js.cow().unwrap();
            let want: String = serde_json::from_str(json).unwrap();
            assert_eq!(got, want, "{json}");
            assert_eq!(js.decoded_len, want.len(), "{json}");
            assert_eq!(decode_validated(&json[1..json.len() - 1]).unwrap(), want);
        }
        let mut s = Scanner::new(br#""\ud83d\ude00""#).unwrap();
        assert_eq!(s.string().unwrap().cow(), Err(Bail));
        assert_eq!(decode_validated(r"\ud83d\ude00"), None);
    }

    #[test]
    fn prefixes_stop_after_enough_text_and_lines() {
        let raw = r"ab\ncd\nef\u00e9\ngh";
        // (min_len, min_newlines) → (prefix, complete)
        type Row = ((usize, usize), (&'static str, bool));
        let table: &[Row] = &[
            ((0, 0), ("ab", false)),
            ((3, 0), ("ab\ncd", false)),
            ((0, 2), ("ab\ncd\nef", false)),
            ((0, 3), ("ab\ncd\nef\u{e9}\ngh", true)),
            ((usize::MAX, usize::MAX), ("ab\ncd\nef\u{e9}\ngh", true)),
        ];
        for ((len, lines), want) in table {
            let mut out = String::new();
            let complete = decode_prefix(raw, &mut out, *len, *lines).unwrap();
            assert_eq!((out.as_str(), complete), *want, "{len} {lines}");
        }
    }

    #[test]
    fn raw_spans_match_serde_raw_values() {
        let line = r#"{"a": {"x": [1, 2]} , "b":"s\n", "c" :-1.5e3,"d":null}"#;
        let mut got = Vec::new();
        let mut s = Scanner::new(line.as_bytes()).unwrap();
        s.object(|s, _| s.raw().map(|r| got.push(r))).unwrap();
        s.end().unwrap();
        let want: std::collections::BTreeMap<&str, &serde_json::value::RawValue> = serde_json::from_str(line).unwrap();
        let want: Vec<&str> = want.values().map(|r| r.get()).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn small_ints_are_exact_and_others_bail() {
        let table: &[(&str, Scan<i64>)] =
            &[("0", Ok(0)), ("-42", Ok(-42)), ("123456789012345678", Ok(123_456_789_012_345_678)), ("1.0", Err(Bail)), ("1e3", Err(Bail)), ("1234567890123456789", Err(Bail)), ("-0", Err(Bail))];
        for (json, want) in table {
            let mut s = Scanner::new(json.as_bytes()).unwrap();
            assert_eq!(s.small_int(), *want, "{json}");
        }
    }
}

/// Deterministic mutations of log lines, for the adapters' tests that compare the fast path with
/// serde on lines that are almost right.
#[cfg(test)]
pub(crate) mod mutate {
    /// The non-empty lines of the `*.jsonl` files in `tests/fixtures/<fixtures>` and, when
    /// `../shared` is beside the clone, in `../shared/corpus/real/<real>`.
    pub fn sample_lines(fixtures: &str, real: &str) -> Vec<Vec<u8>> {
        let root = env!("CARGO_MANIFEST_DIR");
        let dirs = [format!("{root}/tests/fixtures/{fixtures}"), format!("{root}/../shared/corpus/real/{real}")];
        let mut lines = Vec::new();
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for e in entries.flatten().filter(|e| e.path().extension().is_some_and(|x| x == "jsonl")) {
                let bytes = std::fs::read(e.path()).unwrap_or_default();
                lines.extend(bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()).map(<[u8]>::to_vec));
            }
        }
        lines
    }

    /// `count` variants of `line`, each with one to three small edits.
    pub fn variants(line: &[u8], seed: u64, count: usize) -> Vec<Vec<u8>> {
        let mut rng = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = move |n: usize| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % n.max(1) as u64) as usize
        };
        const PIECES: &[&str] = &[
            "\"", "\\", "{", "}", "[", "]", ",", ":", "1", "-", "e", ".", " ", "\u{1}", "é", "null", "true", "0",
            "\\ud800", "\\ud83d\\ude00", "\\u00e9", "\\n", "1e999", "-0", "12.5", "\"x\"", "[]", "{}", "99999999999999999999",
        ];
        (0..count)
            .map(|_| {
                let mut v = line.to_vec();
                for _ in 0..=next(3) {
                    let at = next(v.len() + 1);
                    match next(6) {
                        0 => {
                            if at < v.len() {
                                v.remove(at);
                            }
                        }
                        1 | 2 => {
                            let piece = PIECES[next(PIECES.len())].as_bytes();
                            v.splice(at..at, piece.iter().copied());
                        }
                        3 => {
                            // Repeat a stretch (a duplicate key, often).
                            let len = next(60);
                            let end = (at + len).min(v.len());
                            let copy = v[at..end].to_vec();
                            v.splice(end..end, copy);
                        }
                        4 => {
                            // Replace a stretch by a piece (a value of another type, often).
                            let end = (at + next(12)).min(v.len());
                            let piece = PIECES[next(PIECES.len())].as_bytes();
                            v.splice(at..end, piece.iter().copied());
                        }
                        _ => v.truncate(at),
                    }
                }
                v
            })
            .collect()
    }
}
