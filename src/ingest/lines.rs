//! Splitting a byte stream that arrives in slices into lines, a line possibly spanning slices.
//!
//! A line is held only while it is at most [`MAX_LINE_BYTES`] long: a longer one (a hostile file,
//! a binary without line ends) is dropped as it grows and skipped to its line end, and reported
//! as [`Line::TooLong`]. So the carry never holds more than the cap, whatever the file.

/// The longest line handed on. Real log lines are far shorter (a tool output of a few MB at most).
pub const MAX_LINE_BYTES: usize = 64 << 20;

/// What the splitter hands on.
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    /// A line without its `\n`.
    Text(&'a [u8]),
    /// A line longer than the cap, not kept: how many bytes it had, without its `\n`.
    TooLong(u64),
}

/// Accumulates slices and yields complete lines; the partial last line waits for the next slice.
pub struct LineSplitter {
    carry: Vec<u8>,
    /// Inside a line past the cap: its length so far.
    skipping: Option<u64>,
    cap: usize,
}

impl Default for LineSplitter {
    fn default() -> Self {
        Self::with_cap(MAX_LINE_BYTES)
    }
}

impl LineSplitter {
    /// A splitter with another cap (tests use small ones).
    pub fn with_cap(cap: usize) -> Self {
        LineSplitter {
            carry: Vec::new(),
            skipping: None,
            cap,
        }
    }

    /// Feed one slice; `on_line` gets every line it completes.
    pub fn push(&mut self, mut chunk: &[u8], mut on_line: impl FnMut(Line)) {
        if let Some(len) = self.skipping {
            match memchr::memchr(b'\n', chunk) {
                None => {
                    self.skipping = Some(len + chunk.len() as u64);
                    return;
                }
                Some(i) => {
                    on_line(Line::TooLong(len + i as u64));
                    self.skipping = None;
                    chunk = &chunk[i + 1..];
                }
            }
        } else if !self.carry.is_empty() {
            let end = memchr::memchr(b'\n', chunk);
            let len = self.carry.len() + end.unwrap_or(chunk.len());
            if len > self.cap {
                // Past the cap: let go of what was held, count the rest.
                self.carry = Vec::new();
                match end {
                    None => {
                        self.skipping = Some(len as u64);
                        return;
                    }
                    Some(i) => {
                        on_line(Line::TooLong(len as u64));
                        chunk = &chunk[i + 1..];
                    }
                }
            } else {
                match end {
                    None => {
                        self.carry.extend_from_slice(chunk);
                        return;
                    }
                    Some(i) => {
                        self.carry.extend_from_slice(&chunk[..i]);
                        on_line(Line::Text(&self.carry));
                        self.carry.clear();
                        chunk = &chunk[i + 1..];
                    }
                }
            }
        }
        let mut start = 0;
        for i in memchr::memchr_iter(b'\n', chunk) {
            let line = &chunk[start..i];
            on_line(if line.len() > self.cap {
                Line::TooLong(line.len() as u64)
            } else {
                Line::Text(line)
            });
            start = i + 1;
        }
        let rest = &chunk[start..];
        if rest.len() > self.cap {
            self.skipping = Some(rest.len() as u64);
        } else {
            self.carry.extend_from_slice(rest);
        }
    }

    /// End of input: the last line if the file did not end with a line end.
    pub fn finish(&mut self, mut on_line: impl FnMut(Line)) {
        if let Some(len) = self.skipping.take() {
            on_line(Line::TooLong(len));
        } else if !self.carry.is_empty() {
            on_line(Line::Text(&self.carry));
            self.carry.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(slices: &[&str], cap: usize) -> Vec<String> {
        let mut s = LineSplitter::with_cap(cap);
        let mut out = Vec::new();
        let mut on = |l: Line| {
            out.push(match l {
                Line::Text(t) => String::from_utf8(t.to_vec()).unwrap(),
                Line::TooLong(n) => format!("<{n}>"),
            })
        };
        for slice in slices {
            s.push(slice.as_bytes(), &mut on);
        }
        s.finish(&mut on);
        out
    }

    #[test]
    fn lines_survive_any_slicing() {
        let table: &[(&[&str], &[&str])] = &[
            (&["a\nb\n"], &["a", "b"]),
            (&["a\nb"], &["a", "b"]),
            (&["a", "b\n", "c"], &["ab", "c"]),
            (&["a\n", "\n", "b"], &["a", "", "b"]),
            (&["", "x", "", "y\nz", "\n"], &["xy", "z"]),
            (&["\r\n"], &["\r"]),
        ];
        for (slices, want) in table {
            assert_eq!(split(slices, MAX_LINE_BYTES), *want, "{slices:?}");
        }
    }

    #[test]
    fn lines_past_the_cap_are_counted_not_kept() {
        // Cap 4: "abcd" is kept, "abcde" (5 bytes) is not, wherever the slices cut it.
        let table: &[(&[&str], &[&str])] = &[
            (&["abcd\nabcde\nx"], &["abcd", "<5>", "x"]),
            (&["ab", "cd", "e\nx"], &["<5>", "x"]),
            (&["abc", "defgh", "ij", "\n", "k"], &["<10>", "k"]),
            (&["abcdefgh"], &["<8>"]),
            (&["abcdefgh", "ij"], &["<10>"]),
            (&["a\nbcdefgh", "\n\n"], &["a", "<7>", ""]),
            (&["ab", "cd\n"], &["abcd"]),
            (&["abcd", "\n", "abcd", "e"], &["abcd", "<5>"]),
        ];
        for (slices, want) in table {
            assert_eq!(split(slices, 4), *want, "{slices:?}");
        }
    }
}
