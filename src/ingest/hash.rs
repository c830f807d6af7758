//! A fast hasher for the adapters' maps keyed by ids (`call_id`, `message.id`, request keys).
//!
//! The standard SipHash costs more than the lookup itself for keys of a few dozen bytes, and the
//! adapters look up several per line. This is the multiply-rotate hash of rustc (`FxHash`),
//! eight bytes per step, started from a per-map random seed (taken from the standard
//! `RandomState`) so that crafted keys cannot be made to collide in advance. Iteration order of
//! these maps is never relied on.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher, RandomState};

const K: u64 = 0xf135_7aea_2e62_a9c5;

pub struct FastHasher(u64);

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // Fold the high bits down: the table indexes with the low ones.
        self.0.rotate_left(26)
    }
}

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

/// Builds [`FastHasher`]s from a seed drawn once per map.
#[derive(Clone)]
pub struct FastState(u64);

impl Default for FastState {
    fn default() -> Self {
        FastState(RandomState::new().hash_one(0x6c65_6467_6572_u64))
    }
}

impl BuildHasher for FastState {
    type Hasher = FastHasher;
    #[inline]
    fn build_hasher(&self) -> FastHasher {
        FastHasher(self.0)
    }
}

pub type FastMap<K, V> = HashMap<K, V, FastState>;
pub type FastSet<K> = HashSet<K, FastState>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_find_what_they_hold() {
        let mut m: FastMap<String, usize> = FastMap::default();
        let keys: Vec<String> = (0..5000).map(|i| format!("toolu_{i:024}|req_{}", i * 7)).collect();
        for (i, k) in keys.iter().enumerate() {
            m.insert(k.clone(), i);
        }
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(m.get(k.as_str()), Some(&i));
        }
        assert_eq!(m.get("toolu_missing"), None);
        assert_eq!(m.len(), 5000);
    }

    #[test]
    fn equal_texts_hash_equal_and_lengths_matter() {
        let s = FastState::default();
        assert_eq!(s.hash_one("abc"), s.hash_one(String::from("abc")));
        assert_ne!(s.hash_one("abc"), s.hash_one("abc\0"));
        assert_ne!(s.hash_one(""), s.hash_one("\0"));
    }
}
