//! Byte searches of the line scanner, the innermost loops of ingest.
//!
//! Log lines are mostly long JSON strings (tool output, file contents), so most of the scanner's
//! time goes to finding where a string ends: the next `"`, `\` or control character. That is
//! done 16 bytes at a time with the SIMD every target of ours has (SSE2 on x86-64, simd128 in
//! the page, see `.cargo/config.toml`), then 8 bytes at a time with a word trick, then byte by
//! byte. `memchr` does not fit: it finds at most three given bytes, not a byte range, and its
//! setup costs more than the search when escapes are a few dozen bytes apart.
//!
//! The only `unsafe` here are the SIMD intrinsics: unaligned 16-byte loads from slices that
//! hold 16 bytes, and SSE2, which every x86-64 CPU has.

/// The first position at or after `i` holding `"`, `\` or a control character (below 0x20),
/// or `b.len()` when there is none (`i` itself when it is past the end).
#[inline]
pub(crate) fn find_special(b: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = b.get(i..i + 16) {
        let hits = simd::special_mask(chunk);
        if hits != 0 {
            return i + hits.trailing_zeros() as usize;
        }
        i += 16;
    }
    find_special_words(b, i)
}

/// [`find_special`] eight bytes at a time with plain integer arithmetic (the word trick of
/// serde_json's `skip_to_escape`); also the reference the SIMD version is tested against.
#[inline]
pub(crate) fn find_special_words(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES << 7;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let ctrl = x.wrapping_sub(ONES * 0x20) & !x;
        let q = x ^ (ONES * u64::from(b'"'));
        let quote = q.wrapping_sub(ONES) & !q;
        let s = x ^ (ONES * u64::from(b'\\'));
        let slash = s.wrapping_sub(ONES) & !s;
        let hit = (ctrl | quote | slash) & HIGH;
        if hit != 0 {
            return i + hit.trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if is_special(c) {
            return i;
        }
        i += 1;
    }
    i
}

#[inline]
fn is_special(c: u8) -> bool {
    c == b'"' || c == b'\\' || c < 0x20
}

/// The first position at or after `i` holding `needle` (or the end), eight bytes at a time:
/// escapes in logs are a few dozen bytes apart, too close for `memchr` to pay off.
#[inline]
pub(crate) fn find_byte(b: &[u8], mut i: usize, needle: u8) -> usize {
    const ONES: u64 = u64::MAX / 255;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) ^ (ONES * u64::from(needle));
        let hit = x.wrapping_sub(ONES) & !x & (ONES << 7);
        if hit != 0 {
            return i + hit.trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    while b.get(i).is_some_and(|&c| c != needle) {
        i += 1;
    }
    i.min(b.len())
}

#[cfg(target_arch = "x86_64")]
mod simd {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };

    /// Bit `k` set when byte `k` of the 16 is special. SSE2 is part of x86-64 itself.
    #[inline]
    pub(super) fn special_mask(chunk: &[u8]) -> u32 {
        debug_assert!(chunk.len() >= 16);
        let chunk: &[u8; 16] = chunk.first_chunk().expect("16 bytes");
        // SAFETY: SSE2 is part of every x86-64 CPU (the intrinsics only ask for it to be named),
        // and `chunk` is 16 readable bytes, which `loadu` reads without alignment requirement.
        unsafe {
            let x = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
            let quote = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'"' as i8));
            let slash = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'\\' as i8));
            // Unsigned x <= 0x1f exactly when min(x, 0x1f) == x.
            let ctrl = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1f)), x);
            _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, slash), ctrl)) as u32
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use std::arch::wasm32::{
        u8x16_bitmask, u8x16_eq, u8x16_le, u8x16_splat, v128, v128_load, v128_or,
    };

    /// Bit `k` set when byte `k` of the 16 is special.
    #[inline]
    pub(super) fn special_mask(chunk: &[u8]) -> u32 {
        let chunk: &[u8; 16] = chunk.first_chunk().expect("16 bytes");
        // SAFETY: `chunk` is 16 readable bytes; `v128_load` has no alignment requirement.
        let x = unsafe { v128_load(chunk.as_ptr().cast::<v128>()) };
        let quote = u8x16_eq(x, u8x16_splat(b'"'));
        let slash = u8x16_eq(x, u8x16_splat(b'\\'));
        let ctrl = u8x16_le(x, u8x16_splat(0x1f));
        u32::from(u8x16_bitmask(v128_or(v128_or(quote, slash), ctrl)))
    }
}

#[cfg(not(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
)))]
mod simd {
    /// Bit `k` set when byte `k` of the 16 is special (no SIMD on this target).
    #[inline]
    pub(super) fn special_mask(chunk: &[u8]) -> u32 {
        chunk
            .iter()
            .take(16)
            .enumerate()
            .fold(0, |m, (k, &c)| m | (u32::from(super::is_special(c)) << k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(b: &[u8], i: usize) -> usize {
        (i..b.len()).find(|&k| is_special(b[k])).unwrap_or(b.len())
    }

    #[test]
    fn every_special_byte_at_every_position_of_every_length() {
        let specials = [b'"', b'\\', 0x00, 0x0a, 0x1f];
        let plain = [
            b'a', b' ', 0x20, 0x7f, 0x80, 0xc3, 0xff, b'/', b'!', b'#', b']',
        ];
        for len in 0..40 {
            for &fill in &plain {
                let line = vec![fill; len];
                for start in 0..=len {
                    assert_eq!(
                        find_special(&line, start),
                        len,
                        "fill {fill:#x} len {len} start {start}"
                    );
                }
                for at in 0..len {
                    for &s in &specials {
                        let mut line = line.clone();
                        line[at] = s;
                        for start in 0..=len {
                            let want = reference(&line, start);
                            assert_eq!(
                                find_special(&line, start),
                                want,
                                "{s:#x} at {at} len {len} from {start}"
                            );
                            assert_eq!(find_special_words(&line, start), want);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn first_of_several_specials() {
        let line = b"0123456789abcdef0123\\x\"y\x01";
        assert_eq!(find_special(line, 0), 20);
        assert_eq!(find_special(line, 21), 22);
        assert_eq!(find_special(line, 23), 24);
        assert_eq!(find_special(line, 25), 25);
        assert_eq!(find_special(line, line.len()), line.len());
    }

    #[test]
    fn find_byte_stops_at_the_needle_or_the_end() {
        let line = b"abcdefghij\\klmnopqrstuvwxyz\\";
        assert_eq!(find_byte(line, 0, b'\\'), 10);
        assert_eq!(find_byte(line, 11, b'\\'), 27);
        assert_eq!(find_byte(line, 28, b'\\'), 28);
        assert_eq!(find_byte(b"", 0, b'\\'), 0);
    }
}
