//! Compressed files, inflated as they stream in, in small pieces and within stated bounds.
//!
//! A file is compressed when its first bytes are a known magic number (never by its name): gzip
//! (`1F 8B`, rotated and archived logs) or zstd (`28 B5 2F FD`, Codex 0.137 and later archive
//! old rollouts so). Compressed bytes go in as the page reads them (4 MB slices); inflated bytes
//! come out in pieces of at most [`PIECE_BYTES`], each handed to the line splitter before the
//! next is made, so a slice that inflates to gigabytes never sits in memory at once.
//!
//! Bounds, per file (a decompression bomb is a small file that asks for gigabytes):
//! - up to [`RATIO_FREE_BYTES`] inflated, anything goes;
//! - past it, the inflated size may not exceed [`MAX_RATIO`] times the compressed bytes read so
//!   far (session logs compress 5–30:1 with gzip, up to about 60:1 with zstd);
//! - no file inflates past [`MAX_INFLATED_BYTES`], whatever its ratio (a 1 GiB log must load;
//!   eight times that is no log a person reads in a browser tab);
//! - a zstd frame may not ask for a window above [`MAX_ZSTD_WINDOW`] (the decoder keeps that
//!   much of the output back while it decodes).
//!
//! A file that breaks a bound stops there with a note saying which; what it inflated to so far
//! is kept, and every other file goes on.

mod zstd;

use std::io::Write;

/// The largest piece of inflated bytes handed on at once.
pub const PIECE_BYTES: usize = 64 << 10;
/// Inflated bytes every file may reach before its compression ratio is checked.
pub const RATIO_FREE_BYTES: u64 = 64 << 20;
/// Past [`RATIO_FREE_BYTES`], inflated bytes ÷ compressed bytes read may not exceed this.
pub const MAX_RATIO: u64 = 200;
/// No file inflates past this.
pub const MAX_INFLATED_BYTES: u64 = 8 << 30;
/// The largest zstd window read (zstd levels 1–22 use at most 8–128 MiB; the usual levels 8 MiB).
pub const MAX_ZSTD_WINDOW: u64 = 64 << 20;

/// A compressed container, told by its magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    Gzip,
    Zstd,
}

impl Codec {
    /// How many bytes [`Codec::sniff`] needs to be sure.
    pub const MAGIC_BYTES: usize = 4;

    /// The codec whose magic number `head` starts with; `head` may be shorter than
    /// [`Codec::MAGIC_BYTES`] only when the file is.
    pub fn sniff(head: &[u8]) -> Option<Codec> {
        if head.starts_with(&[0x1f, 0x8b]) {
            Some(Codec::Gzip)
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Some(Codec::Zstd)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Codec::Gzip => "gzip",
            Codec::Zstd => "zstd",
        }
    }
}

/// Why a file's inflation stopped; worded for the ingest report's `note` column.
pub type Stop = String;

/// Counts what went in and came out, and stops a file that breaks a bound.
struct Meter {
    codec: Codec,
    compressed: u64,
    inflated: u64,
}

impl Meter {
    fn took(&mut self, compressed: usize) {
        self.compressed += compressed as u64;
    }

    /// Hand on one piece of inflated bytes, unless it would break a bound.
    fn emit(&mut self, piece: &[u8], out: &mut dyn FnMut(&[u8])) -> Result<(), Stop> {
        let inflated = self.inflated + piece.len() as u64;
        let name = self.codec.name();
        if inflated > MAX_INFLATED_BYTES {
            return Err(format!(
                "{name} stopped at {}: files may inflate to {} at most",
                mib(self.inflated),
                mib(MAX_INFLATED_BYTES)
            ));
        }
        if inflated > RATIO_FREE_BYTES && inflated > MAX_RATIO.saturating_mul(self.compressed) {
            return Err(format!(
                "{name} stopped at {} inflated from {} (more than {MAX_RATIO}:1, a decompression bomb?)",
                mib(self.inflated),
                mib(self.compressed),
            ));
        }
        self.inflated = inflated;
        if !piece.is_empty() {
            out(piece);
        }
        Ok(())
    }
}

fn mib(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 && b % (1 << 30) == 0 => format!("{} GiB", b >> 30),
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b => format!("{b} bytes"),
    }
}

enum Decoder {
    Gzip(Box<flate2::write::MultiGzDecoder<Vec<u8>>>),
    Zstd(Box<zstd::Stream>),
}

/// One compressed file being inflated.
pub struct Inflate {
    decoder: Decoder,
    meter: Meter,
}

impl Inflate {
    pub fn new(codec: Codec) -> Self {
        let decoder = match codec {
            Codec::Gzip => Decoder::Gzip(Box::new(flate2::write::MultiGzDecoder::new(
                Vec::with_capacity(PIECE_BYTES),
            ))),
            Codec::Zstd => Decoder::Zstd(Box::default()),
        };
        Inflate {
            decoder,
            meter: Meter {
                codec,
                compressed: 0,
                inflated: 0,
            },
        }
    }

    pub fn codec(&self) -> Codec {
        self.meter.codec
    }

    /// Inflate the next compressed bytes, handing the output to `out` piece by piece. After an
    /// `Err` (a corrupt stream or a broken bound), the file's later bytes must be ignored.
    pub fn push(&mut self, mut input: &[u8], out: &mut dyn FnMut(&[u8])) -> Result<(), Stop> {
        let meter = &mut self.meter;
        match &mut self.decoder {
            Decoder::Gzip(gz) => {
                while !input.is_empty() {
                    // One `write` inflates at most flate2's 32 KiB buffer (plus the one it held
                    // back), so the output is taken after every call, never a whole slice's worth.
                    let used = gz
                        .write(input)
                        .map_err(|e| format!("gzip stream corrupt: {e}"))?;
                    meter.took(used);
                    input = &input[used..];
                    let res = meter.emit(gz.get_ref(), out);
                    gz.get_mut().clear();
                    res?;
                    if used == 0 {
                        return Err("gzip stream corrupt: the decoder stopped taking bytes".into());
                    }
                }
                Ok(())
            }
            Decoder::Zstd(z) => z.push(input, meter, out),
        }
    }

    /// The compressed file ended: hand on what the decoder still holds, and say whether the
    /// stream ended where it should.
    pub fn finish(&mut self, out: &mut dyn FnMut(&[u8])) -> Result<(), Stop> {
        let meter = &mut self.meter;
        match &mut self.decoder {
            Decoder::Gzip(gz) => {
                let res = gz
                    .try_finish()
                    .map_err(|e| format!("gzip stream ends early: {e}"));
                meter.emit(gz.get_ref(), out)?;
                gz.get_mut().clear();
                res
            }
            Decoder::Zstd(z) => z.finish(meter, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meter(compressed: u64, inflated: u64) -> Meter {
        Meter {
            codec: Codec::Gzip,
            compressed,
            inflated,
        }
    }

    fn emits(m: &mut Meter, len: usize) -> Result<(), Stop> {
        m.emit(&vec![b'a'; len], &mut |_| {})
    }

    #[test]
    fn bounds_hold_to_the_byte() {
        // Up to 64 MiB, any ratio: even from no compressed byte at all.
        let mut m = meter(0, (64 << 20) - 10);
        assert_eq!(emits(&mut m, 10), Ok(()));
        assert!(emits(&mut m, 1).is_err());
        // Past it, 200:1: 1 MiB read allows 200 MiB.
        let mut m = meter(1 << 20, (200 << 20) - 5);
        assert_eq!(emits(&mut m, 5), Ok(()));
        let err = emits(&mut m, 1).unwrap_err();
        assert_eq!(
            err,
            "gzip stopped at 200.0 MiB inflated from 1.0 MiB (more than 200:1, a decompression bomb?)"
        );
        // 8 GiB whatever the ratio.
        let mut m = meter(1 << 30, (8 << 30) - 3);
        assert_eq!(emits(&mut m, 3), Ok(()));
        assert_eq!(
            emits(&mut m, 1).unwrap_err(),
            "gzip stopped at 8 GiB: files may inflate to 8 GiB at most"
        );
    }

    #[test]
    fn only_the_magic_decides() {
        let table: &[(&[u8], Option<Codec>)] = &[
            (b"\x1f\x8b\x08\x00", Some(Codec::Gzip)),
            (b"\x1f\x8b", Some(Codec::Gzip)),
            (b"\x28\xb5\x2f\xfd", Some(Codec::Zstd)),
            (b"\x28\xb5\x2f", None),
            (b"\x50\x2a\x4d\x18", None),
            (b"{\"a\"", None),
            (b"", None),
        ];
        for (head, want) in table {
            assert_eq!(Codec::sniff(head), *want, "{head:?}");
        }
    }
}
