//! Splitting a byte stream that arrives in slices into lines, a line possibly spanning slices.

/// Accumulates slices and yields complete lines; the partial last line waits for the next slice.
#[derive(Default)]
pub struct LineSplitter {
    carry: Vec<u8>,
}

impl LineSplitter {
    /// Feed one slice; `on_line` gets every line it completes, without the `\n`.
    pub fn push(&mut self, mut chunk: &[u8], mut on_line: impl FnMut(&[u8])) {
        if !self.carry.is_empty() {
            match memchr::memchr(b'\n', chunk) {
                None => {
                    self.carry.extend_from_slice(chunk);
                    return;
                }
                Some(i) => {
                    self.carry.extend_from_slice(&chunk[..i]);
                    on_line(&self.carry);
                    self.carry.clear();
                    chunk = &chunk[i + 1..];
                }
            }
        }
        let mut start = 0;
        for i in memchr::memchr_iter(b'\n', chunk) {
            on_line(&chunk[start..i]);
            start = i + 1;
        }
        self.carry.extend_from_slice(&chunk[start..]);
    }

    /// End of input: the last line if the file did not end with a line end.
    pub fn finish(&mut self, mut on_line: impl FnMut(&[u8])) {
        if !self.carry.is_empty() {
            on_line(&self.carry);
            self.carry.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(slices: &[&str]) -> Vec<String> {
        let mut s = LineSplitter::default();
        let mut out = Vec::new();
        for slice in slices {
            s.push(slice.as_bytes(), |l| out.push(String::from_utf8(l.to_vec()).unwrap()));
        }
        s.finish(|l| out.push(String::from_utf8(l.to_vec()).unwrap()));
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
            assert_eq!(split(slices), *want, "{slices:?}");
        }
    }
}
