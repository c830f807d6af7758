//! One zip entry compressed on its own, as its bytes come ([`super::archive`] puts the entries
//! together once they are done).
//!
//! Rules that keep the archive's bytes a function of the entries' bytes alone, however they
//! were cut and whenever they came:
//! - The compressor (zlib-rs, raw deflate, level [`LEVEL`]) is fed [`FEED`] bytes at a time
//!   whatever the pieces are: zlib-rs ends its work differently when a call runs out of input.
//!   Only a window that straddles two pieces is copied first.
//! - Its output goes into chunks of fixed growing capacities ([`chunk_capacity`]), so no chunk
//!   is ever reallocated (a doubling `Vec` holds two copies while it grows, and the page's wasm
//!   memory never shrinks) and the calls are the same from one run to the next.
//! - The database (`agent-ledger.sqlite`) is compressed in two streams: its first [`FEED`]
//!   bytes (the block holding page 1, the schema, which the writer fills in last) on their
//!   own, ended with a sync flush (byte-aligned, not final), and the rest, which may come
//!   first ([`Packer::write_after_head`]), as the pages are written. The two streams joined are
//!   one deflate stream; the CRC-32s are combined. Fed whole or in blocks, the entry is the same.

use super::archive::{Method, Packed};
use flate2::{Compress, Compression, FlushCompress, Status};

/// Deflate level of the text and database entries (measurements in [`super::bundle`]).
pub const LEVEL: u32 = 1;

/// Bytes handed to the compressor at once: a divisor of the database's 1 MiB blocks.
pub const FEED: usize = 1 << 20;

/// The most a chunk of compressed output holds.
pub const CHUNK: usize = 4 << 20;

/// An entry being compressed.
pub struct Packer {
    name: &'static str,
    method: Method,
    /// The database's first [`FEED`] bytes, kept until the entry ends.
    head: Option<Vec<u8>>,
    tail: Stream,
}

impl Packer {
    /// Entry `name`, stored when `method` says so, else deflated.
    pub fn new(name: &'static str, method: Method) -> Self {
        let head = (method == Method::Deflated && name == super::SQLITE).then(Vec::new);
        Packer { name, method, head, tail: Stream::new(method) }
    }

    /// The entry's next bytes, in order.
    pub fn write(&mut self, mut bytes: &[u8]) {
        if let Some(head) = self.head.as_mut().filter(|h| h.len() < FEED) {
            let take = (FEED - head.len()).min(bytes.len());
            head.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
        }
        self.tail.write(bytes);
    }

    /// Bytes that follow the database's first [`FEED`] bytes, before those are given
    /// ([`Self::write_head`]): its pages as they are written.
    pub fn write_after_head(&mut self, bytes: &[u8]) {
        self.tail.write(bytes);
    }

    /// The database's first bytes, given last: [`FEED`] of them, or the whole file when it is
    /// shorter (nothing was then written after them).
    pub fn write_head(&mut self, bytes: &[u8]) {
        match self.head.as_mut() {
            Some(head) => {
                head.clear();
                head.extend_from_slice(bytes);
            }
            None => self.tail.write(bytes),
        }
    }

    /// Bytes taken so far.
    pub fn len(&self) -> u64 {
        self.tail.size + self.head.as_ref().map_or(0, |h| h.len() as u64)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entry, compressed.
    pub fn finish(self) -> Packed {
        let (mut data, mut crc, mut size) = match self.head {
            Some(head) => {
                let mut stream = Stream::new(self.method);
                stream.write(&head);
                stream.finish(FlushCompress::Sync)
            }
            None => (Vec::new(), crc32fast::Hasher::new(), 0),
        };
        let taken_at = data.len();
        let taken = self.tail.taken_bytes;
        let (tail, tail_crc, tail_size) = self.tail.finish(FlushCompress::Finish);
        data.extend(tail);
        crc.combine(&tail_crc);
        size += tail_size;
        let compressed = data.iter().map(|c| c.len() as u64).sum::<u64>() + taken;
        Packed { name: self.name, method: self.method, crc: crc.finalize(), size, compressed, data, taken_at }
    }

    /// Take the compressed chunks that are full so far (none of the database's first block:
    /// that is compressed at the end), oldest first: their bytes come, in the finished entry,
    /// at [`Packed::taken_at`] of its data, which no longer holds them. The page's second worker
    /// turns them into a Blob at once rather than holding an entry long open (the database's
    /// 69 MB on the real-world profile) until it ends. Taking changes no byte.
    pub fn take_full(&mut self) -> Vec<Vec<u8>> {
        self.tail.take_full()
    }
}

/// One compressed (or stored) stream in chunks.
struct Stream {
    deflate: Option<Box<Compress>>,
    staged: Vec<u8>,
    out: Vec<Vec<u8>>,
    crc: crc32fast::Hasher,
    size: u64,
    /// Chunks taken from `out` ([`Self::take_full`]) and their bytes: the next chunk's capacity
    /// counts them, so that the compressor's calls are the same whether chunks were taken or not.
    taken: usize,
    taken_bytes: u64,
}

impl Stream {
    fn new(method: Method) -> Self {
        let deflate = (method == Method::Deflated).then(|| Box::new(Compress::new(Compression::new(LEVEL), false)));
        Stream { deflate, staged: Vec::new(), out: Vec::new(), crc: crc32fast::Hasher::new(), size: 0, taken: 0, taken_bytes: 0 }
    }

    /// The full chunks (all but a last one with room left), taken out.
    fn take_full(&mut self) -> Vec<Vec<u8>> {
        let keep = usize::from(self.out.last().is_some_and(|c| c.len() < c.capacity()));
        let full: Vec<Vec<u8>> = self.out.drain(..self.out.len() - keep).collect();
        self.taken += full.len();
        self.taken_bytes += full.iter().map(|c| c.len() as u64).sum::<u64>();
        full
    }

    fn write(&mut self, mut bytes: &[u8]) {
        self.crc.update(bytes);
        self.size += bytes.len() as u64;
        if !self.staged.is_empty() {
            let take = (FEED - self.staged.len()).min(bytes.len());
            self.staged.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.staged.len() == FEED {
                let window = std::mem::take(&mut self.staged);
                self.run(&window, FlushCompress::None);
            }
        }
        while bytes.len() >= FEED {
            let (window, rest) = bytes.split_at(FEED);
            self.run(window, FlushCompress::None);
            bytes = rest;
        }
        self.staged.extend_from_slice(bytes);
    }

    /// The last window, then `end` (a sync flush or the stream's end): the chunks, the CRC and
    /// the length of what was written.
    fn finish(mut self, end: FlushCompress) -> (Vec<Vec<u8>>, crc32fast::Hasher, u64) {
        let last = std::mem::take(&mut self.staged);
        self.run(&last, end);
        if let Some(chunk) = self.out.last_mut() {
            chunk.shrink_to_fit();
        }
        (self.out, self.crc, self.size)
    }

    /// Compress (or store) `input` into the chunks; with a flush, until it is complete.
    fn run(&mut self, mut input: &[u8], flush: FlushCompress) {
        let Some(deflate) = self.deflate.as_mut() else {
            while !input.is_empty() {
                let chunk = room(&mut self.out, self.taken);
                let take = (chunk.capacity() - chunk.len()).min(input.len());
                chunk.extend_from_slice(&input[..take]);
                input = &input[take..];
            }
            return;
        };
        loop {
            let chunk = room(&mut self.out, self.taken);
            let before = deflate.total_in();
            let status = deflate.compress_vec(input, chunk, flush);
            input = &input[(deflate.total_in() - before) as usize..];
            let full = chunk.len() == chunk.capacity();
            match status {
                // Only the stream's end, or a flush done with room to spare, ends the call;
                // without a flush, all input taken with room to spare does.
                Ok(Status::StreamEnd) => return,
                Ok(_) if input.is_empty() && !full && !matches!(flush, FlushCompress::Finish) => return,
                Ok(_) => {}
                // Raw deflate into memory with valid arguments does not fail; never loop on it.
                Err(_) => return,
            }
        }
    }
}

/// The last chunk of `out` with room in it (a new one when it is full); `taken` chunks came
/// before those in `out`.
fn room(out: &mut Vec<Vec<u8>>, taken: usize) -> &mut Vec<u8> {
    if out.last().is_none_or(|c| c.len() == c.capacity()) {
        out.push(Vec::with_capacity(chunk_capacity(taken + out.len())));
    }
    out.last_mut().expect("a chunk with room was just ensured")
}

/// Capacity of chunk `n` of a stream: 64 KiB, growing four times a chunk up to [`CHUNK`], so a
/// small entry holds little and a big one is in a few large chunks.
fn chunk_capacity(n: usize) -> usize {
    ((64usize << 10) << (2 * n.min(3))).min(CHUNK)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflate(data: &[Vec<u8>]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::DeflateDecoder::new(&data.concat()[..]).read_to_end(&mut out).expect("one valid deflate stream");
        out
    }

    fn text(len: usize) -> Vec<u8> {
        let mut x = 1u64;
        let mut text = Vec::new();
        while text.len() < len {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            text.extend_from_slice(format!("s-{},{},gpt-{},{}\r\n", x >> 52, 1_700_000_000_000 + (x >> 40), x % 7, (x >> 20) % 100_000).as_bytes());
        }
        text.truncate(len);
        text
    }

    /// Cut anywhere, an entry packs to the bytes of its single copy, and they inflate back to it.
    #[test]
    fn cuts_change_no_byte() {
        let bytes = text(3 * FEED + 12_345);
        for (name, method) in [("usage_tokens.csv", Method::Deflated), ("usage_tokens.parquet", Method::Stored), (crate::export::SQLITE, Method::Deflated)] {
            let whole = {
                let mut p = Packer::new(name, method);
                p.write(&bytes);
                p.finish()
            };
            assert_eq!((whole.crc, whole.size), (crc32fast::hash(&bytes), bytes.len() as u64));
            let back = if method == Method::Stored { whole.data.concat() } else { inflate(&whole.data) };
            assert!(back == bytes, "{name} comes back");
            for cuts in [vec![10, FEED + 5, 2 * FEED], vec![FEED, 2 * FEED, 3 * FEED], vec![1, 2, 3, 3, 3 * FEED + 12_344]] {
                let mut p = Packer::new(name, method);
                let mut at = 0;
                for cut in cuts.iter().copied().chain([bytes.len()]) {
                    p.write(&bytes[at..cut]);
                    at = cut;
                }
                let cut = p.finish();
                assert!(cut.data.concat() == whole.data.concat() && cut.crc == whole.crc, "{name} cut at {cuts:?}");
            }
        }
    }

    /// The database's head given after the rest makes the entry it makes given first, for a
    /// file longer than the head and for one shorter.
    #[test]
    fn the_database_head_may_come_last() {
        for len in [3 * FEED + 4096, FEED, 5 * 4096] {
            let bytes = text(len);
            let mut first = Packer::new(crate::export::SQLITE, Method::Deflated);
            first.write(&bytes);
            let first = first.finish();
            let mut last = Packer::new(crate::export::SQLITE, Method::Deflated);
            let head = FEED.min(len);
            for block in bytes[head..].chunks(FEED) {
                last.write_after_head(block);
            }
            last.write_head(&bytes[..head]);
            let last = last.finish();
            assert!(last.data.concat() == first.data.concat(), "{len} bytes");
            assert_eq!((last.crc, last.size), (crc32fast::hash(&bytes), len as u64));
            assert!(inflate(&last.data) == bytes, "{len} bytes inflate back");
        }
    }

    #[test]
    fn chunks_grow_to_the_chunk_size_and_no_further() {
        assert_eq!((0..5).map(chunk_capacity).collect::<Vec<_>>(), [64 << 10, 256 << 10, 1 << 20, 4 << 20, 4 << 20]);
        assert_eq!(chunk_capacity(100), CHUNK);
    }
}
