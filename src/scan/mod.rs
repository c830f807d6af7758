//! A validating JSON scanner for one log line: the fast path of the line adapters.
//!
//! Serde builds every field it is asked for and validates UTF-8 string by string; the adapters
//! need a handful of fields out of lines that are mostly tool output. This scanner walks a line
//! once, checks that it is valid JSON (the full grammar: strings, escapes, numbers, literals,
//! nesting, nothing after the value) and hands out borrowed spans of the fields an adapter asks
//! for; everything else is skipped while it is validated.
//!
//! It never decides that a line is malformed. Whenever it is not sure that serde would read the
//! line the same way, it answers [`Bail`]: the adapter then reads the line with its serde
//! structs, which decide (and word the reason) exactly as before. Bail cases: invalid UTF-8
//! anywhere (serde's `from_slice` tolerates it in ignored strings), any syntax error, a key that
//! holds an escape, a string with a `\u` surrogate escape that must be decoded, nesting deeper
//! than [`MAX_DEPTH`], and whatever an adapter finds unusual (a duplicate field, an unexpected
//! type). So a line the fast path accepts is a line serde accepts, with the same values.
//!
//! No `unsafe`: positions only ever stop on ASCII bytes, and every slice is taken with `get`
//! (the SIMD byte searches it uses live in [`find`]).
//!
//! This module is a leaf: it imports nothing from the rest of the crate, so the format adapters
//! (and anything else) can use it without an import circle (`tests/layering/` holds this).
//!
//! - [`string`]: [`JsonStr`] and the decoding of escapes;
//! - [`scanner`]: the [`Scanner`] cursor and the values adapters read;
//! - [`value`]: validating and skipping any value (the JSON grammar);
//! - [`find`]: the byte searches under all of them.

pub(crate) mod find;
mod scanner;
mod string;
mod value;

#[cfg(test)]
pub(crate) mod mutate;
#[cfg(test)]
mod tests;

pub use scanner::Scanner;
pub use string::{JsonStr, decode_prefix, decode_validated};

/// "Not sure: let serde read this line." Carries nothing; serde words the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bail;

pub type Scan<T> = Result<T, Bail>;

/// Deeper nesting is left to serde (which skips ignored values without a depth limit).
pub const MAX_DEPTH: u32 = 120;

/// The known fields of one object an adapter has read so far: a second sighting of one bails,
/// as serde rejects a duplicate field. Field `k` (below 32) is bit `k`.
#[derive(Default)]
pub struct Seen(u32);

impl Seen {
    #[inline]
    pub fn once(&mut self, field: u32) -> Scan<()> {
        let bit = 1 << field;
        if self.0 & bit != 0 {
            return Err(Bail);
        }
        self.0 |= bit;
        Ok(())
    }
}
