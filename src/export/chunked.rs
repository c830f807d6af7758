//! A seekable in-memory file kept in chunks of [`CHUNK`] bytes, never one growing `Vec`: the
//! archive is written into it. A `Vec` that doubles holds its old and new buffers while it
//! copies, and the page's wasm memory never shrinks, so a 179 MB zip in a `Vec` raised the
//! worker's peak by up to 128 + 256 MB; here the peak is the archive's size rounded up to a
//! chunk. The page hands the chunks to the browser as they are ([`Chunked::into_parts`]).

use std::io::{self, Seek, SeekFrom, Write};

/// Bytes of one chunk.
pub const CHUNK: usize = 4 << 20;

/// A file in memory: `len` bytes in chunks of [`CHUNK`] (the last one partly filled), written
/// at `pos`.
#[derive(Default)]
pub struct Chunked {
    chunks: Vec<Vec<u8>>,
    len: usize,
    pos: usize,
}

impl Chunked {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The file's bytes in order, one slice a chunk.
    pub fn into_parts(self) -> Vec<Vec<u8>> {
        self.chunks
    }

}

impl Write for Chunked {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Past the end (a seek beyond it) the gap reads as zeros, as in a `Cursor<Vec<u8>>`.
        while self.len < self.pos {
            let gap = self.pos - self.len;
            self.append(&vec![0; gap.min(CHUNK)]);
        }
        let (at, off) = (self.pos / CHUNK, self.pos % CHUNK);
        if self.pos == self.len {
            let n = self.append(buf);
            self.pos += n;
            return Ok(n);
        }
        // Over bytes written before (the zip writer going back to a header): within this chunk
        // and the written part of it.
        let chunk = &mut self.chunks[at];
        let n = buf.len().min(chunk.len() - off);
        chunk[off..off + n].copy_from_slice(&buf[..n]);
        self.pos += n;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Chunked {
    /// Append what fits in the last chunk (a new one when it is full); how much was taken.
    fn append(&mut self, buf: &[u8]) -> usize {
        if self.chunks.last().is_none_or(|c| c.len() == CHUNK) {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        let last = self.chunks.last_mut().expect("a chunk was just ensured");
        let n = buf.len().min(CHUNK - last.len());
        last.extend_from_slice(&buf[..n]);
        self.len += n;
        n
    }
}

impl Seek for Chunked {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let base = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => (self.len as u64).checked_add_signed(d),
            SeekFrom::Current(d) => (self.pos as u64).checked_add_signed(d),
        };
        let to = base.and_then(|n| usize::try_from(n).ok());
        let to = to.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        self.pos = to;
        Ok(to as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// The same writes and seeks on a `Cursor<Vec<u8>>` and on a `Chunked` leave the same bytes.
    #[test]
    fn writes_and_seeks_leave_what_a_cursor_leaves() {
        let mut cursor = Cursor::new(Vec::new());
        let mut chunked = Chunked::default();
        let big: Vec<u8> = (0..CHUNK * 2 + 77).map(|i| (i % 251) as u8).collect();
        let steps: Vec<(SeekFrom, &[u8])> = vec![
            (SeekFrom::Current(0), b"header.."),
            (SeekFrom::End(0), &big),
            (SeekFrom::Start(2), b"HE"),
            (SeekFrom::Start((CHUNK - 3) as u64), b"across the chunk line"),
            (SeekFrom::End(0), b"tail"),
            (SeekFrom::End(-2), b"IL!"),
            (SeekFrom::End(5), b"after a gap"),
            (SeekFrom::Start(0), &big[..10]),
        ];
        for (at, bytes) in steps {
            assert_eq!(cursor.seek(at).unwrap(), chunked.seek(at).unwrap());
            cursor.write_all(bytes).unwrap();
            chunked.write_all(bytes).unwrap();
            assert_eq!(cursor.position() as usize, chunked.pos);
        }
        assert!(chunked.seek(SeekFrom::Current(-(chunked.pos as i64) - 1)).is_err());
        assert_eq!(chunked.len(), cursor.get_ref().len());
        assert!(chunked.chunks.iter().all(|c| c.len() <= CHUNK));
        assert!(chunked.into_parts().concat() == cursor.into_inner());
    }
}
