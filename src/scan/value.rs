//! Validating and skipping any JSON value: the grammar, iterative so hostile nesting cannot
//! overflow the stack.

use super::find::find_special;
use super::string::JsonStr;
use super::{Bail, MAX_DEPTH, Scan, Scanner};

impl<'a> Scanner<'a> {
    pub(super) fn literal(&mut self, word: &[u8]) -> Scan<()> {
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
    pub(super) fn number(&mut self) -> Scan<()> {
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
    pub(super) fn skip_string_body(&mut self) -> Scan<()> {
        let end = find_special(self.bytes(), self.pos);
        if self.bytes().get(end) == Some(&b'"') {
            self.pos = end + 1;
            return Ok(());
        }
        self.string_body().map(|_| ())
    }

    /// The body of a string whose opening quote was consumed; consumes the closing quote.
    #[inline]
    pub(super) fn string_body(&mut self) -> Scan<JsonStr<'a>> {
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
                    return Ok(JsonStr {
                        raw,
                        escaped,
                        surrogate,
                        unicode,
                        decoded_len,
                    });
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
