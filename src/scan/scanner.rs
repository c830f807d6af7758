//! The cursor over one line and the values an adapter reads with it.

use super::find::find_special;
use super::string::JsonStr;
use super::{Bail, Scan};

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
    let digits = b
        .get(start..)?
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits == 0 || digits > 18 || (digits > 1 && b.get(start) == Some(&b'0')) {
        return None;
    }
    let end = start + digits;
    if matches!(b.get(end), Some(b'.' | b'e' | b'E' | b'0'..=b'9')) {
        return None;
    }
    let n = b
        .get(start..end)?
        .iter()
        .fold(0i64, |n, &c| n * 10 + i64::from(c - b'0'));
    if negative && n == 0 {
        return None;
    }
    Some((if negative { -n } else { n }, end))
}

/// A cursor over one line.
pub struct Scanner<'a> {
    // Seen by `value.rs`, which holds the rest of the grammar.
    pub(super) text: &'a str,
    pub(super) pos: usize,
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
    pub(super) fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    #[inline]
    pub(super) fn byte(&self, at: usize) -> Scan<u8> {
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

    pub(super) fn span(&self, start: usize) -> Scan<&'a str> {
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
    pub(super) fn key(&mut self) -> Scan<&'a [u8]> {
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
        if self.null()? {
            Ok(None)
        } else {
            self.string().map(Some)
        }
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
    pub fn raw_read<T>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Scan<T>,
    ) -> Scan<(&'a str, Option<T>)> {
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
        let Some((n, len)) = self.bytes().get(self.pos..).and_then(leading_int) else {
            return Ok(None);
        };
        self.pos += len;
        Ok(Some(n))
    }
}
