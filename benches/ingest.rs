//! Native ingest benchmark (DESIGN.md section 7): the real-world profile (≈3,100 files, 1.2 GiB)
//! through `agent_ledger::ingest::Ingest` in 4 MB slices, single thread, against two baselines
//! over the same bytes in the same run: (a) memchr line splitting alone, (b) `serde_json::Value`
//! of every line.
//!
//! ```text
//! cargo bench --bench ingest -- [--profile real-world|small] [--seed N] [--dir DIR] [--runs N] [--core-only]
//! ```
//! `--core-only` skips the two baselines (for profiling the core with `perf`).
//! By default the profile is generated in memory, file by file (seed 7); `--dir` reads a corpus
//! written by `ledger-corpus` (or any folder of logs). All bytes are loaded before timing when they
//! fit comfortably in memory; otherwise each file is read untimed and only its ingest is timed.
//! Peak heap is measured by a counting global allocator, as the peak above what was allocated
//! before the timed run (the corpus itself and the read buffer are not counted).

use agent_ledger::ingest::{Ingest, SLICE_BYTES};
use agent_ledger::synth::{self, Buckets, Profile};
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Allocations and reallocations made, and the bytes they asked for.
static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static ALLOC_BYTES: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    ALLOCS.fetch_add(1, Ordering::Relaxed);
    ALLOC_BYTES.fetch_add(n, Ordering::Relaxed);
    let now = CURRENT.fetch_add(n, Ordering::Relaxed) + n;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call forwards to `System` unchanged; only the byte counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new_size) };
        if !q.is_null() {
            CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        q
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Start measuring: the peak restarts from what is allocated now, which is returned.
fn reset_peak() -> usize {
    let now = CURRENT.load(Ordering::Relaxed);
    PEAK.store(now, Ordering::Relaxed);
    now
}

/// Load everything up front only below this (the bench machines have 24 GiB).
const IN_MEMORY_LIMIT: u64 = 6 << 30;

struct Args {
    profile: Profile,
    seed: u64,
    dir: Option<PathBuf>,
    runs: u32,
    core_only: bool,
}

fn parse_args() -> Args {
    let mut a = Args { profile: Profile::real_world(), seed: 7, dir: None, runs: 1, core_only: false };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--profile" => match it.next().and_then(|n| Profile::by_name(&n)) {
                Some(p) => a.profile = p,
                None => exit("--profile takes real-world, small or sample"),
            },
            "--seed" => a.seed = it.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| exit("--seed takes a number")),
            "--dir" => a.dir = Some(it.next().map(PathBuf::from).unwrap_or_else(|| exit("--dir takes a folder"))),
            "--runs" => a.runs = it.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| exit("--runs takes a number")),
            "--core-only" => a.core_only = true,
            // `cargo bench` passes `--bench`; ignore what we do not know.
            _ => {}
        }
    }
    a.runs = a.runs.max(1);
    a
}

fn exit(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(2)
}

/// The files to ingest: in memory, or on disk and read one at a time.
enum Corpus {
    InMemory(Vec<(String, Vec<u8>)>),
    OnDisk { files: Vec<(String, PathBuf, u64)>, largest: u64 },
}

impl Corpus {
    /// The generated corpus, and the oracle's buckets and usage rows per file.
    fn generate(profile: &Profile, seed: u64) -> (Corpus, Vec<(Buckets, u64)>) {
        let mut files = Vec::new();
        let mut expected = Vec::new();
        synth::generate(profile, seed, |f| {
            expected.push((f.expect.counts.buckets, f.expect.counts.usage.rows));
            files.push((f.name, f.bytes));
        });
        (Corpus::InMemory(files), expected)
    }

    fn from_dir(dir: &Path) -> Corpus {
        let mut files = Vec::new();
        walk(dir, dir, &mut files);
        files.sort();
        let total: u64 = files.iter().map(|f| f.2).sum();
        let largest = files.iter().map(|f| f.2).max().unwrap_or(0);
        if total > IN_MEMORY_LIMIT {
            return Corpus::OnDisk { files, largest };
        }
        let loaded = files
            .into_iter()
            .filter_map(|(name, path, _)| match std::fs::read(&path) {
                Ok(bytes) => Some((name, bytes)),
                Err(e) => {
                    eprintln!("skipping {}: {e}", path.display());
                    None
                }
            })
            .collect();
        Corpus::InMemory(loaded)
    }

    /// p50, p90 and largest file size.
    fn percentiles(&self) -> (u64, u64, u64) {
        let mut sizes: Vec<u64> = match self {
            Corpus::InMemory(f) => f.iter().map(|(_, b)| b.len() as u64).collect(),
            Corpus::OnDisk { files, .. } => files.iter().map(|f| f.2).collect(),
        };
        sizes.sort_unstable();
        let at = |p: f64| sizes.get(((sizes.len().max(1) - 1) as f64 * p) as usize).copied().unwrap_or(0);
        (at(0.5), at(0.9), sizes.last().copied().unwrap_or(0))
    }

    fn stats(&self) -> (usize, u64) {
        match self {
            Corpus::InMemory(f) => (f.len(), f.iter().map(|(_, b)| b.len() as u64).sum()),
            Corpus::OnDisk { files, .. } => (files.len(), files.iter().map(|f| f.2).sum()),
        }
    }

    /// Call `timed` for every file; only the time spent inside it is counted.
    fn each(&self, mut timed: impl FnMut(&str, &[u8])) -> Duration {
        let mut spent = Duration::ZERO;
        match self {
            Corpus::InMemory(files) => {
                let t = Instant::now();
                for (name, bytes) in files {
                    timed(name, bytes);
                }
                spent = t.elapsed();
            }
            Corpus::OnDisk { files, largest } => {
                let mut buf = Vec::with_capacity(*largest as usize);
                for (name, path, _) in files {
                    buf.clear();
                    let read = std::fs::File::open(path).and_then(|mut f| std::io::Read::read_to_end(&mut f, &mut buf));
                    if let Err(e) = read {
                        eprintln!("skipping {}: {e}", path.display());
                        continue;
                    }
                    let t = Instant::now();
                    timed(name, &buf);
                    spent += t.elapsed();
                }
            }
        }
        spent
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf, u64)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let path = e.path();
        match e.metadata() {
            Ok(m) if m.is_dir() => walk(root, &path, out),
            Ok(m) if m.is_file() => {
                let name = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                if name != "expect.json" {
                    out.push((name, path, m.len()));
                }
            }
            _ => {}
        }
    }
}

struct Run {
    secs: f64,
    /// Per file: the report's buckets and the usage rows it yielded.
    per_file: Vec<(String, Buckets, u64)>,
    /// Per sniffed format: files, bytes, seconds.
    by_format: std::collections::BTreeMap<&'static str, (usize, u64, f64)>,
    peak_heap: usize,
    /// Allocations (and reallocations) during the run, and the bytes they asked for.
    allocs: usize,
    alloc_bytes: usize,
    lines: u64,
    usage_rows: usize,
    malformed: u64,
}

/// The core: every file through `Ingest` in 4 MB slices, then the cross-file rules.
fn core(corpus: &Corpus) -> Run {
    let before = reset_peak();
    let (allocs_before, alloc_bytes_before) = (ALLOCS.load(Ordering::Relaxed), ALLOC_BYTES.load(Ordering::Relaxed));
    let mut ingest = Ingest::new();
    let mut file_secs = Vec::with_capacity(corpus.stats().0);
    let mut secs = corpus
        .each(|name, bytes| {
            let t = Instant::now();
            let id = ingest.begin_file(name, bytes.len() as u64);
            for chunk in bytes.chunks(SLICE_BYTES) {
                ingest.feed(id, chunk);
            }
            ingest.end_file(id);
            file_secs.push(t.elapsed().as_secs_f64());
        })
        .as_secs_f64();
    let t = Instant::now();
    let ledger = ingest.finish();
    secs += t.elapsed().as_secs_f64();
    let peak_heap = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    let allocs = ALLOCS.load(Ordering::Relaxed) - allocs_before;
    let alloc_bytes = ALLOC_BYTES.load(Ordering::Relaxed) - alloc_bytes_before;
    let totals = ledger.report.totals();
    let mut rows = vec![0u64; ledger.report.files.len()];
    for u in &ledger.tables.usage {
        if let Some(n) = rows.get_mut(u.source.file as usize) {
            *n += 1;
        }
    }
    let per_file = ledger
        .report
        .files
        .iter()
        .zip(rows)
        .map(|(r, n)| {
            let b = Buckets { lines: r.lines, parsed: r.parsed, skipped: r.skipped, duplicates: r.duplicates, malformed: r.malformed };
            (r.file.clone(), b, n)
        })
        .collect();
    let mut by_format = std::collections::BTreeMap::new();
    for (r, s) in ledger.report.files.iter().zip(&file_secs) {
        let e = by_format.entry(r.format_label()).or_insert((0, 0, 0.0));
        *e = (e.0 + 1, e.1 + r.bytes, e.2 + s);
    }
    Run { secs, per_file, by_format, peak_heap, allocs, alloc_bytes, lines: totals.lines, usage_rows: ledger.tables.usage.len(), malformed: totals.malformed }
}

/// Baseline (a): split every file into lines with memchr and nothing else.
fn memchr_lines(corpus: &Corpus) -> (f64, u64) {
    let mut lines = 0u64;
    let secs = corpus.each(|_, bytes| {
        lines += memchr::memchr_iter(b'\n', bytes).count() as u64;
        if bytes.last().is_some_and(|b| *b != b'\n') {
            lines += 1;
        }
    });
    (secs.as_secs_f64(), std::hint::black_box(lines))
}

/// Baseline (b): `serde_json::Value` of every non-blank line.
fn value_per_line(corpus: &Corpus) -> (f64, u64) {
    let mut ok = 0u64;
    let secs = corpus.each(|_, bytes| {
        for line in bytes.split(|b| *b == b'\n') {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            if let Ok(v) = serde_json::from_slice::<serde_json::Value>(line) {
                std::hint::black_box(&v);
                ok += 1;
            }
        }
    });
    (secs.as_secs_f64(), ok)
}

fn best<T>(runs: u32, mut f: impl FnMut() -> T, secs: impl Fn(&T) -> f64) -> T {
    let mut best = f();
    for _ in 1..runs {
        let r = f();
        if secs(&r) < secs(&best) {
            best = r;
        }
    }
    best
}

fn main() {
    let args = parse_args();
    let t = Instant::now();
    let (corpus, label, expected) = match &args.dir {
        Some(dir) => (Corpus::from_dir(dir), format!("dir {}", dir.display()), None),
        None => {
            let (corpus, expected) = Corpus::generate(&args.profile, args.seed);
            (corpus, format!("{} seed {}", args.profile.name, args.seed), Some(expected))
        }
    };
    let (files, bytes) = corpus.stats();
    let mb = bytes as f64 / 1e6;
    let mode = if matches!(corpus, Corpus::InMemory(_)) { "in memory" } else { "read per file, untimed" };
    println!("corpus: {label}: {files} files, {bytes} bytes ({:.2} GiB), {mode}, prepared in {:.1} s", bytes as f64 / (1u64 << 30) as f64, t.elapsed().as_secs_f64());

    let (p50, p90, max) = corpus.percentiles();
    println!("sizes: p50 {p50}, p90 {p90}, largest {max}");
    let run = best(args.runs, || core(&corpus), |r| r.secs);
    let skip = (f64::NAN, 0);
    let (memchr_secs, memchr_count) = if args.core_only { skip } else { best(args.runs, || memchr_lines(&corpus), |r| r.0) };
    let (value_secs, value_ok) = if args.core_only { skip } else { best(args.runs, || value_per_line(&corpus), |r| r.0) };
    // A skipped baseline (NaN seconds) stays NaN and prints as "NaN", never as a huge rate.
    let rate = |secs: f64| if secs.is_nan() { f64::NAN } else { mb / secs.max(1e-9) };
    let (core_rate, memchr_rate, value_rate) = (rate(run.secs), rate(memchr_secs), rate(value_secs));
    let peak_mb = run.peak_heap as f64 / 1e6;

    println!("core   Ingest, {} MB slices: {:.3} s, {core_rate:.0} MB/s, peak heap {peak_mb:.1} MB ({} lines, {} usage rows, {} malformed)", SLICE_BYTES >> 20, run.secs, run.lines, run.usage_rows, run.malformed);
    println!("         {} allocations, {:.0} MB asked for ({:.1} a line)", run.allocs, run.alloc_bytes as f64 / 1e6, run.allocs as f64 / run.lines.max(1) as f64);
    for (format, (n, b, s)) in &run.by_format {
        println!("         {format:<13} {n:>5} files {:>9.1} MB {s:>7.3} s {:>6.0} MB/s", *b as f64 / 1e6, *b as f64 / 1e6 / s.max(1e-9));
    }
    println!("base a memchr line split:    {memchr_secs:.3} s, {memchr_rate:.0} MB/s ({memchr_count} lines)");
    println!("base b serde_json::Value:     {value_secs:.3} s, {value_rate:.0} MB/s ({value_ok} JSON lines)");
    if let Some(expected) = &expected {
        let (lines, rows): (u64, u64) = expected.iter().fold((0, 0), |a, (b, r)| (a.0 + b.lines, a.1 + r));
        let differ: Vec<&(String, Buckets, u64)> =
            run.per_file.iter().zip(expected).filter(|(got, want)| (got.1, got.2) != **want).map(|(got, _)| got).collect();
        println!(
            "oracle {lines} lines, {rows} usage rows; files whose buckets or usage rows differ from it: {}",
            differ.len()
        );
        for (name, b, n) in differ.iter().take(5) {
            println!("         {name}: {b:?}, {n} usage rows");
        }
    }
    println!("ratio  core/memchr {:.3}   core/Value {:.2}", core_rate / memchr_rate, core_rate / value_rate);
    println!();
    println!("| corpus | files | GiB | core MB/s | peak heap MB | memchr MB/s | Value MB/s | core ÷ memchr | core ÷ Value |");
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {label} | {files} | {:.2} | {core_rate:.0} | {peak_mb:.0} | {memchr_rate:.0} | {value_rate:.0} | {:.3} | {:.2} |",
        bytes as f64 / (1u64 << 30) as f64,
        core_rate / memchr_rate,
        core_rate / value_rate
    );
}
