//! JSON strings as the scanner finds them, and the decoding of their escapes.

use super::find::find_byte;
use super::{Bail, Scan};
use std::borrow::Cow;

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
pub fn decode_prefix(
    raw: &str,
    out: &mut String,
    min_len: usize,
    min_newlines: usize,
) -> Scan<bool> {
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
                if matches!(b.get(at + 2), Some(b'd' | b'D'))
                    && matches!(b.get(at + 3), Some(b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F'))
                {
                    return true;
                }
                i = at + 6;
            }
            _ => i = at + 2,
        }
    }
    false
}
