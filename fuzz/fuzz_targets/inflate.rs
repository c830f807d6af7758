//! gzip and zstd streams through `Inflate` (the first byte picks the codec and a slice size; the
//! rest is the compressed file, whatever its magic). Checks, beyond not panicking:
//! - no piece is larger than `PIECE_BYTES`, and the output never passes the bounds
//!   (`RATIO_FREE_BYTES`, then `MAX_RATIO` times the compressed bytes fed so far): a bomb is
//!   stopped before it is handed on, not after (run with `-malloc_limit_mb` so that a decoder
//!   allocating past the bounds is a finding too);
//! - slicing does not matter for an intact stream: fed whole or in small slices, the same bytes
//!   come out and the same verdict;
//! - an intact gzip stream inflates to what flate2's own reader makes of it.
#![no_main]
use agent_ledger::ingest::inflate::{Codec, Inflate, MAX_RATIO, PIECE_BYTES, RATIO_FREE_BYTES};
use libfuzzer_sys::fuzz_target;
use std::cell::Cell;
use std::io::Read;

#[derive(Debug, PartialEq)]
struct Outcome {
    len: u64,
    hash: u64,
    error: Option<String>,
}

/// FNV-1a: the output is compared by hash, never held (it may be tens of MiB).
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h = (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
    }
    h
}

fn inflate(codec: Codec, input: &[u8], slice: usize) -> Outcome {
    let mut inflate = Inflate::new(codec);
    let fed = Cell::new(0u64);
    let (mut len, mut hash) = (0u64, 0xcbf2_9ce4_8422_2325u64);
    let mut out = |piece: &[u8]| {
        assert!(piece.len() <= PIECE_BYTES, "a piece of {} bytes", piece.len());
        len += piece.len() as u64;
        let bound = RATIO_FREE_BYTES.max(MAX_RATIO * fed.get());
        assert!(len <= bound, "{len} bytes out of {} in", fed.get());
        hash = fnv(hash, piece);
    };
    let mut error = None;
    for chunk in input.chunks(slice) {
        fed.set(fed.get() + chunk.len() as u64);
        if let Err(e) = inflate.push(chunk, &mut out) {
            error = Some(e);
            break;
        }
    }
    if error.is_none() {
        error = inflate.finish(&mut out).err();
    }
    Outcome { len, hash, error }
}

fuzz_target!(|data: &[u8]| {
    let Some((&head, input)) = data.split_first() else { return };
    let codec = if head & 1 == 0 { Codec::Gzip } else { Codec::Zstd };
    let whole = inflate(codec, input, input.len().max(1));
    let sliced = inflate(codec, input, 1 + usize::from(head >> 1) * 3);
    if whole.error.is_none() || sliced.error.is_none() {
        assert_eq!(whole, sliced, "slicing changed an intact stream");
    }
    if codec == Codec::Gzip && whole.error.is_none() {
        let mut reference = Vec::new();
        let read = flate2::read::MultiGzDecoder::new(input).take(whole.len + 1).read_to_end(&mut reference);
        assert!(read.is_ok(), "flate2 rejects what Inflate took: {read:?}");
        assert_eq!((reference.len() as u64, fnv(0xcbf2_9ce4_8422_2325, &reference)), (whole.len, whole.hash));
    }
});
