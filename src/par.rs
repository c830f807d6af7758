//! Work split over every core where there are threads (the command line, the native tests and
//! benchmarks: rayon's pool), and run in order where there are none (the page's engine worker:
//! wasm32 without shared memory). The core calls these and stays free of `cfg`s; both builds
//! have the same bounds, so code that compiles for one compiles for the other. A leaf module.

/// `(a(), b())`, on two threads when there are threads.
pub fn join<RA: Send, RB: Send>(a: impl FnOnce() -> RA + Send, b: impl FnOnce() -> RB + Send) -> (RA, RB) {
    #[cfg(not(target_arch = "wasm32"))]
    return rayon::join(a, b);
    #[cfg(target_arch = "wasm32")]
    return (a(), b());
}

/// Threads the work may spread over: rayon's pool natively, 1 in the page.
pub fn threads() -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    return rayon::current_num_threads();
    #[cfg(target_arch = "wasm32")]
    return 1;
}

/// A piece size that splits `len` items into a few pieces per thread, or keeps them whole on
/// one thread (pieces that each keep a memo of their own gain nothing there and lose hits).
pub fn piece_size(len: usize) -> usize {
    match threads() {
        0 | 1 => len.max(1),
        n => len.div_ceil(n * 4).max(1024),
    }
}

/// `f` of each run of `size` items (the last may be shorter), in the items' order.
pub fn map_chunks<T: Sync, R: Send>(items: &[T], size: usize, f: impl Fn(&[T]) -> R + Sync + Send) -> Vec<R> {
    let size = size.max(1);
    #[cfg(not(target_arch = "wasm32"))]
    return {
        use rayon::prelude::*;
        items.par_chunks(size).map(f).collect()
    };
    #[cfg(target_arch = "wasm32")]
    return items.chunks(size).map(f).collect();
}

#[cfg(test)]
mod tests {
    #[test]
    fn chunks_come_back_in_order_and_cover_every_item() {
        let items: Vec<u32> = (0..10_001).collect();
        for size in [0, 1, 7, 4096, 20_000] {
            let sums = super::map_chunks(&items, size, |c| (c[0], c.len()));
            let starts: Vec<u32> = sums.iter().map(|s| s.0).collect();
            let want: Vec<u32> = (0..10_001).step_by(size.max(1)).collect();
            assert_eq!(starts, want, "size {size}");
            assert_eq!(sums.iter().map(|s| s.1).sum::<usize>(), 10_001, "size {size}");
        }
        assert!(super::map_chunks(&[] as &[u8], 3, |c| c.len()).is_empty());
        assert!(super::piece_size(0) >= 1);
        assert!(super::piece_size(100_000) >= 1024);
        assert_eq!(super::join(|| 1, || "b"), (1, "b"));
    }
}
