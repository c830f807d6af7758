//! A small deterministic PRNG (SplitMix64): the same seed gives the same corpus on every machine,
//! natively and in wasm. No `rand` crate: the generator needs only uniform integers, floats,
//! choices and a few shaped distributions.

/// SplitMix64 (Steele, Lea, Flood 2014): 64-bit state, passes BigCrush, trivially seedable.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self { state: seed ^ 0x853c_49e6_748f_ea9b }
    }

    /// A child generator whose stream does not overlap this one's in practice: lets every file
    /// draw from its own stream, so changing one writer does not reshuffle every other file.
    pub fn fork(&mut self, salt: u64) -> Rng {
        Rng::new(self.next_u64() ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `[lo, hi]` (inclusive); `lo` when the range is empty.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u64 + 1;
        lo + (self.next_u64() % span) as i64
    }

    /// Uniform index below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next_u64() % n as u64) as usize }
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// A uniformly chosen element (the slice must not be empty).
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// A uniformly chosen element, by reference (the slice must not be empty).
    pub fn pick_ref<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A value spread like real token and byte counts: log-uniform between `lo` and `hi`.
    pub fn log_range(&mut self, lo: i64, hi: i64) -> i64 {
        let (a, b) = ((lo.max(1) as f64).ln(), (hi.max(lo.max(1)) as f64).ln());
        (a + (b - a) * self.f64()).exp().round() as i64
    }

    /// A count with a geometric tail: `min + k` where each extra step happens with probability `p`.
    pub fn geometric(&mut self, min: u32, p: f64, max: u32) -> u32 {
        let mut n = min;
        while n < max && self.chance(p) {
            n += 1;
        }
        n
    }

    /// `n` lowercase hex digits.
    pub fn hex(&mut self, n: usize) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(n);
        let mut bits = 0u64;
        for i in 0..n {
            if i % 16 == 0 {
                bits = self.next_u64();
            }
            s.push(HEX[(bits & 15) as usize] as char);
            bits >>= 4;
        }
        s
    }

    /// `n` characters of `[A-Za-z0-9]`, the alphabet of `call_…`, `req_…` and `msg_…` ids.
    pub fn alnum(&mut self, n: usize) -> String {
        const ALNUM: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..n).map(|_| ALNUM[self.below(62)] as char).collect()
    }

    /// A random (version 4) UUID.
    pub fn uuid_v4(&mut self) -> String {
        let h = self.hex(32);
        let variant = ["8", "9", "a", "b"][self.below(4)];
        format!("{}-{}-4{}-{}{}-{}", &h[0..8], &h[8..12], &h[13..16], variant, &h[17..20], &h[20..32])
    }

    /// A time-ordered (version 7) UUID, as Codex writes thread ids since Sept 2025 (`0199…`).
    pub fn uuid_v7(&mut self, ms: i64) -> String {
        let t = format!("{:012x}", ms.max(0) as u64 & 0xffff_ffff_ffff);
        let h = self.hex(20);
        let variant = ["8", "9", "a", "b"][self.below(4)];
        format!("{}-{}-7{}-{}{}-{}", &t[0..8], &t[8..12], &h[0..3], variant, &h[3..6], &h[6..18])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_ranges_hold() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        for _ in 0..1000 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        let mut r = Rng::new(1);
        for _ in 0..10_000 {
            let x = r.range(-3, 5);
            assert!((-3..=5).contains(&x));
            let f = r.f64();
            assert!((0.0..1.0).contains(&f));
            let l = r.log_range(10, 1000);
            assert!((10..=1000).contains(&l), "{l}");
        }
        assert_ne!(Rng::new(1).next_u64(), Rng::new(2).next_u64());
    }

    #[test]
    fn ids_have_their_shapes() {
        let mut r = Rng::new(3);
        let v4 = r.uuid_v4();
        assert_eq!(v4.len(), 36);
        assert_eq!(&v4[14..15], "4");
        // 2026-11-20T09:12:03.120Z
        let v7 = r.uuid_v7(1_795_165_923_120);
        assert!(v7.starts_with("01a1f83a-2730-7"), "{v7}");
        assert_eq!(&v7[14..15], "7");
        assert_eq!(r.alnum(24).len(), 24);
    }
}
