//! zstd, streamed: the frame layout (RFC 8878 section 3.1) is read here, so that the decoder
//! (`ruzstd`, pure Rust) is only ever handed a whole frame header or a whole block, at most
//! 128 KiB of compressed bytes, and its output is drained in pieces between blocks.
//!
//! `ruzstd`'s own streaming reader needs all of a block's bytes in a `Read` and fails, losing its
//! place, when a slice ends inside a block; and its `decode_from_to` decodes every block of the
//! bytes it is given before returning, which for a bomb is gigabytes. Reading the layout here
//! costs a few comparisons per block.
//!
//! `ruzstd` 0.9 holds each block to the format's Block_Maximum_Size (128 KiB or the window) as it
//! decodes, so one crafted block cannot ask for more before the bounds of `super` act (0.8 did
//! not: tests/fuzz_regressions.rs). Known limit: it keeps a frame's last window of output until
//! the frame ends, so a file cut inside a frame loses up to a window (usually 8 MiB or less) of
//! lines that gzip would keep.

use super::{MAX_ZSTD_WINDOW, Meter, PIECE_BYTES, Stop};
use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};
use std::io::Read;

const MAGIC: u32 = 0xFD2F_B528;
/// Skippable frames (metadata) have magic numbers 0x184D2A50 to 0x184D2A5F.
const SKIPPABLE: std::ops::RangeInclusive<u32> = 0x184D_2A50..=0x184D_2A5F;
/// The largest block, compressed or not (RFC 8878: Block_Maximum_Size is at most 128 KiB).
const MAX_BLOCK: usize = 128 << 10;

#[derive(Default)]
enum At {
    /// A frame starts (or the file ends) here.
    #[default]
    Frame,
    /// Inside a skippable frame: this many bytes still to skip.
    Skip(u64),
    /// A block header starts here; `checksum`: the frame ends with a 4-byte checksum.
    Block { checksum: bool },
}

/// The state of one zstd file.
#[derive(Default)]
pub struct Stream {
    /// Compressed bytes not decoded yet: at most a slice plus one unfinished block.
    pending: Vec<u8>,
    at: At,
    decoder: FrameDecoder,
    piece: Vec<u8>,
}

/// What the next unit of the stream needs, once enough bytes are there.
enum Unit {
    /// Not enough bytes yet to know or to hold the next unit.
    Wait,
    /// A frame header of this length; its frame ends with a checksum.
    Header(usize, bool),
    /// The 8 bytes that open a skippable frame of this many more bytes.
    SkipFrame(u64),
    /// Bytes of a skippable frame.
    Skip(usize),
    /// A block with its header (and the frame's checksum after the last block); is it the last.
    Block(usize, bool),
}

impl Stream {
    pub fn push(
        &mut self,
        input: &[u8],
        meter: &mut Meter,
        out: &mut dyn FnMut(&[u8]),
    ) -> Result<(), Stop> {
        self.pending.extend_from_slice(input);
        let mut at = 0;
        let res = loop {
            match self.next_unit(&self.pending[at..]) {
                Err(e) => break Err(e),
                Ok(Unit::Wait) => break Ok(()),
                Ok(Unit::SkipFrame(size)) => {
                    at += 8;
                    meter.took(8);
                    self.at = if size == 0 { At::Frame } else { At::Skip(size) };
                }
                Ok(Unit::Skip(n)) => {
                    at += n;
                    meter.took(n);
                    if let At::Skip(left) = &mut self.at {
                        *left -= n as u64;
                        if *left == 0 {
                            self.at = At::Frame;
                        }
                    }
                }
                Ok(Unit::Header(len, checksum)) => {
                    let mut header = &self.pending[at..at + len];
                    if let Err(e) = self.decoder.reset(&mut header) {
                        break Err(format!("zstd stream corrupt: {e}"));
                    }
                    at += len;
                    meter.took(len);
                    self.at = At::Block { checksum };
                }
                Ok(Unit::Block(len, last)) => {
                    let mut block = &self.pending[at..at + len];
                    if let Err(e) = self
                        .decoder
                        .decode_blocks(&mut block, BlockDecodingStrategy::UptoBlocks(1))
                    {
                        break Err(format!("zstd stream corrupt: {e}"));
                    }
                    if !block.is_empty() {
                        break Err(
                            "zstd stream corrupt: a block shorter than its header says".into()
                        );
                    }
                    at += len;
                    meter.took(len);
                    if let Err(e) = self.drain(meter, out) {
                        break Err(e);
                    }
                    if last {
                        let (want, got) = (
                            self.decoder.get_checksum_from_data(),
                            self.decoder.get_calculated_checksum(),
                        );
                        if want.is_some() && want != got {
                            break Err("zstd stream corrupt: checksum mismatch".into());
                        }
                        self.at = At::Frame;
                    }
                }
            }
        };
        self.pending.drain(..at);
        res
    }

    /// The file ended: it must end between frames.
    pub fn finish(&mut self, _meter: &mut Meter, _out: &mut dyn FnMut(&[u8])) -> Result<(), Stop> {
        // Every block's output was drained when it was decoded, so nothing is left to hand on.
        match (&self.at, self.pending.is_empty()) {
            (At::Frame, true) => Ok(()),
            _ => Err("zstd stream ends early: the last frame is incomplete".into()),
        }
    }

    /// Hand on everything the decoder can give back: while a frame goes on it keeps its window.
    fn drain(&mut self, meter: &mut Meter, out: &mut dyn FnMut(&[u8])) -> Result<(), Stop> {
        self.piece.resize(PIECE_BYTES, 0);
        loop {
            let n = self
                .decoder
                .read(&mut self.piece)
                .map_err(|e| format!("zstd stream corrupt: {e}"))?;
            if n == 0 {
                return Ok(());
            }
            meter.emit(&self.piece[..n], out)?;
        }
    }

    /// Read the layout at the start of `b` (which starts where the stream stands).
    fn next_unit(&self, b: &[u8]) -> Result<Unit, Stop> {
        let need = |n: usize, unit: Unit| Ok(if b.len() >= n { unit } else { Unit::Wait });
        match self.at {
            At::Skip(left) => Ok(if b.is_empty() {
                Unit::Wait
            } else {
                Unit::Skip(left.min(b.len() as u64) as usize)
            }),
            At::Frame => {
                let Some(magic) = le(b, 0, 4) else {
                    return Ok(Unit::Wait);
                };
                let magic = magic as u32;
                if SKIPPABLE.contains(&magic) {
                    return Ok(le(b, 4, 4).map_or(Unit::Wait, Unit::SkipFrame));
                }
                if magic != MAGIC {
                    return Err(format!(
                        "zstd stream corrupt: no frame starts at magic {magic:#010x}"
                    ));
                }
                let Some(&desc) = b.get(4) else {
                    return Ok(Unit::Wait);
                };
                let single_segment = desc & 0x20 != 0;
                let fcs_len = match desc >> 6 {
                    0 => usize::from(single_segment),
                    1 => 2,
                    2 => 4,
                    _ => 8,
                };
                let dict_len = [0, 1, 2, 4][usize::from(desc & 3)];
                let window_len = usize::from(!single_segment);
                let len = 5 + window_len + dict_len + fcs_len;
                if b.len() < len {
                    return Ok(Unit::Wait);
                }
                let window = if single_segment {
                    // The window is the content size; 2-byte sizes count from 256.
                    let size = le(b, 5 + dict_len, fcs_len).unwrap_or(0);
                    if fcs_len == 2 { size + 256 } else { size }
                } else {
                    let w = b[5];
                    let base = 1u64 << (10 + (w >> 3));
                    base + base / 8 * u64::from(w & 7)
                };
                if window > MAX_ZSTD_WINDOW {
                    return Err(format!(
                        "zstd frame asks for a {} MiB window; at most {} MiB are read",
                        window >> 20,
                        MAX_ZSTD_WINDOW >> 20
                    ));
                }
                need(len, Unit::Header(len, desc & 4 != 0))
            }
            At::Block { checksum } => {
                let Some(header) = le(b, 0, 3) else {
                    return Ok(Unit::Wait);
                };
                let last = header & 1 == 1;
                let size = (header >> 3) as usize;
                let content = match (header >> 1) & 3 {
                    0 | 2 => size,
                    1 => 1,
                    _ => return Err("zstd stream corrupt: reserved block type".into()),
                };
                if size > MAX_BLOCK {
                    return Err(format!(
                        "zstd stream corrupt: a block of {size} bytes (at most {MAX_BLOCK})"
                    ));
                }
                let len = 3 + content + if last && checksum { 4 } else { 0 };
                need(len, Unit::Block(len, last))
            }
        }
    }
}

/// The little-endian number of `len` bytes (at most 8) at `at`, if `b` holds them.
fn le(b: &[u8], at: usize, len: usize) -> Option<u64> {
    let bytes = b.get(at..at + len)?;
    Some(bytes.iter().rev().fold(0u64, |n, &x| n << 8 | u64::from(x)))
}
