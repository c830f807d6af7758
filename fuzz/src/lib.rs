//! What the adapter targets share: arbitrary bytes as one or more files of one format, handed to
//! that format's adapter the way the ingest engine hands them, then the cross-file rules.
//!
//! Going to the adapter directly (not through the sniffer) is the point: every line reaches the
//! adapter whatever its first line says, so the fuzzer does not have to keep a valid first line
//! to explore the rest.

use agent_ledger::formats::{self, Adapter, Bucket};
use agent_ledger::model::{FileId, Format, Source, SourceFile, Tables};
use std::collections::HashSet;

/// A line holding only this byte starts the next file (cross-file rules need two files; real
/// logs never hold the ASCII record separator alone on a line).
pub const NEXT_FILE: &[u8] = b"\x1e";

/// The files in `data`: split at lines that are exactly [`NEXT_FILE`].
pub fn files(data: &[u8]) -> Vec<&[u8]> {
    // Most inputs hold no separator byte at all: one file, without a look at every line.
    if memchr::memchr(NEXT_FILE[0], data).is_none() {
        return vec![data];
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut at = 0;
    for line in data.split_inclusive(|b| *b == b'\n') {
        let bare = line.strip_suffix(b"\n").unwrap_or(line);
        if bare == NEXT_FILE {
            out.push(&data[start..at]);
            start = at + line.len();
        }
        at += line.len();
    }
    out.push(&data[start..]);
    out
}

/// Feed `data` (see [`files`]) to `format`'s adapter file by file, as the engine does: lines
/// without their end, BOM or trailing CR, never blank. `each_line` sees every line first (the
/// targets check the fast path against serde there). Then the cross-file rules, and the checks
/// that keep the ingest report balanced: a line the rules move from parsed to duplicate was
/// parsed, and is moved once.
pub fn run_adapter(format: Format, data: &[u8], mut each_line: impl FnMut(&[u8])) -> Tables {
    let mut tables = Tables::default();
    let mut parsed: HashSet<Source> = HashSet::new();
    for (file, bytes) in files(data).into_iter().enumerate() {
        let file = file as FileId;
        tables.files.push(SourceFile { name: format!("f{file}.jsonl"), bytes: bytes.len() as u64, gzip: false, machine: None });
        match formats::adapter_for(format).expect("a known format has an adapter") {
            Adapter::Lines(mut p) => {
                // The lines: `bytes.split(|b| *b == b'\n')`, found by memchr (a byte-by-byte
                // split was a tenth of the adapter targets' time).
                let mut start = 0;
                let ends = memchr::memchr_iter(b'\n', bytes).chain([bytes.len()]);
                let lines = ends.map(|end| (std::mem::replace(&mut start, end + 1), end)).map(|(s, e)| &bytes[s..e]);
                for (i, line) in lines.enumerate() {
                    let mut line = line;
                    if i == 0 {
                        line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
                    }
                    line = line.strip_suffix(b"\r").unwrap_or(line);
                    if line.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    each_line(line);
                    let src = Source { file, line: i as u32 + 1 };
                    match p.line(line, src, &mut tables) {
                        Bucket::Parsed => {
                            parsed.insert(src);
                        }
                        Bucket::Malformed(reason) => assert!(!reason.is_empty(), "a malformed line says why"),
                        Bucket::Skipped | Bucket::Duplicate => {}
                    }
                }
                p.finish(&mut tables);
            }
            Adapter::Doc(mut p) => {
                if p.parse(bytes, file, &mut tables).is_ok() {
                    parsed.insert(Source { file, line: 1 });
                }
            }
        }
    }
    let mut moved = Vec::new();
    formats::reconcile(&mut tables, &mut moved);
    let mut seen = HashSet::new();
    for src in &moved {
        assert!(seen.insert(*src), "{src:?} moved to duplicates twice");
        // Document formats count all their lines as one parse; only line formats are checked.
        if !matches!(format, Format::CodexG0 | Format::GeminiJson) {
            assert!(parsed.contains(src), "{src:?} moved to duplicates but was not parsed");
        }
    }
    for row in tables.usage.iter().map(|r| r.source).chain(tables.sessions.iter().map(|s| s.source)) {
        assert!((row.file as usize) < tables.files.len(), "a row points at file {} of {}", row.file, tables.files.len());
    }
    tables
}

/// The memory bounds every target runs under, checked at each allocation (the targets are built
/// without a sanitizer, for speed, so libFuzzer's `-malloc_limit_mb` has no hook to act on). The
/// core's own caps are 64 MiB (a line, a held document, the inflated bytes allowed at any ratio,
/// a zstd window); a single allocation past [`MAX_ALLOCATION`] or live memory past [`MAX_LIVE`]
/// means a cap was bypassed, and aborts with a message so libFuzzer keeps the input.
pub const MAX_ALLOCATION: usize = 256 << 20;
pub const MAX_LIVE: usize = 768 << 20;

mod capped {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

    pub struct Capped;
    static LIVE: AtomicUsize = AtomicUsize::new(0);

    fn over(what: &str, bytes: usize) -> ! {
        // eprintln! of integers and literals writes to unbuffered stderr without allocating.
        eprintln!("==capped allocator== {what}: {bytes} bytes");
        std::process::abort()
    }

    unsafe impl GlobalAlloc for Capped {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            self.check(layout.size());
            unsafe { System.alloc(layout) }
        }
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            self.check(layout.size());
            unsafe { System.alloc_zeroed(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            LIVE.fetch_sub(layout.size(), Relaxed);
            unsafe { System.dealloc(ptr, layout) }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            LIVE.fetch_sub(layout.size(), Relaxed);
            self.check(new_size);
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }

    impl Capped {
        fn check(&self, size: usize) {
            if size > super::MAX_ALLOCATION {
                over("one allocation past the cap", size);
            }
            let live = LIVE.fetch_add(size, Relaxed) + size;
            if live > super::MAX_LIVE {
                over("live memory past the cap", live);
            }
        }
    }
}

#[global_allocator]
static ALLOCATOR: capped::Capped = capped::Capped;
