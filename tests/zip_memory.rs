//! How much memory and time the page's zip download takes over the loaded analysis, measured
//! natively with a counting allocator (the worker's wasm memory grows to the same peak and never
//! shrinks). Compares building every file and then the archive (`build_all`, the page's path
//! before issue #18.1) with the page's zip (`export::paced::zip_parts`: each entry streamed into
//! the archive and dropped, each dataset's cells built once for its three files, the database
//! deflated from its blocks and the archive kept in chunks), and says where the peak goes: every dataset's cells at once (what the zip held before
//! #18.1), the largest dataset's cells alone (what it holds at most now), and the database. A
//! reallocation counts as a new block beside the old one until the copy is done (the worst case;
//! an allocator that grows a block in place needs less). The times are wall-clock seconds on a
//! machine that may be shared: compare them within one session. Slow and needs a big folder, so
//! ignored by default:
//!
//!   LEDGER_ZIP_DIR=tests/browser/out/corpus-real-world \
//!     cargo test --release --test zip_memory -- --ignored --nocapture

use agent_ledger::export::paced::{self, Pieces, Straight, run_now};
use agent_ledger::export::{self, ReportMeta};
use agent_ledger::query::{self, analysis};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

struct Counting;
static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = NOW.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        NOW.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const MB: f64 = 1e6;

/// Peak bytes allocated over the current level while `f` runs, and what it returned.
fn peak_over<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let base = NOW.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f();
    ((PEAK.load(Ordering::Relaxed) - base) as f64 / MB, out)
}

#[test]
#[ignore = "needs LEDGER_ZIP_DIR, a big folder of logs; prints figures"]
fn zip_memory_over_the_loaded_analysis() {
    let Some(dir) = std::env::var_os("LEDGER_ZIP_DIR") else { return };
    let (inputs, _) = agent_ledger::cli::walk::walk(&[dir.into()]).expect("a folder");
    let ledger = agent_ledger::cli::read::ingest(&inputs, &agent_ledger::cli::progress::Counters::default());
    let page = query::Settings { now_ms: 1_767_323_045_000, ..query::Settings::default() };
    let prices = analysis::price_book(&page);
    let a = analysis::analyze(Arc::new(ledger), &page, &prices);
    let meta = ReportMeta { generated_at_ms: Some(1_767_323_045_000), price_snapshot: a.price_label.clone(), machine: String::new() };
    let input = a.export_input(&meta);
    println!("loaded: {:.0} MB allocated", NOW.load(Ordering::Relaxed) as f64 / MB);
    let started = Instant::now();
    let (whole, old) = peak_over(|| export::build_all(&input).pop().map(|f| f.bytes.len()));
    let whole_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    // The archive's length and a hash of its bytes: equal before and after a change of the path.
    // As the page's worker builds it: in the chunks it was written in, never joined.
    let (streamed, (new, hash)) = peak_over(|| {
        let parts = run_now(paced::zip_parts(&input, &mut Straight, Pieces::PAGE)).expect("nothing stops a straight build");
        let mut hasher = std::hash::DefaultHasher::new();
        parts.iter().for_each(|p| std::hash::Hasher::write(&mut hasher, p));
        (parts.iter().map(Vec::len).sum::<usize>(), std::hash::Hasher::finish(&hasher))
    });
    let streamed_s = started.elapsed().as_secs_f64();
    println!("every file, then the zip: peak +{whole:.0} MB, {whole_s:.1} s");
    println!("paced::zip_parts (the page's zip): peak +{streamed:.0} MB, {streamed_s:.1} s ({new} bytes, hash {hash:016x})");
    // The page's worker copies each block written for good into a Blob and drops it: here each
    // is dropped, counted.
    let (database, db_bytes) = peak_over(|| {
        run_now(paced::database_kept(&input, &mut Straight, |block| block.len()))
            .map(|kept| kept.head.len() + kept.kept.iter().sum::<usize>() + kept.rest.iter().map(Vec::len).sum::<usize>())
    });
    println!("paced::database_kept (the page's agent-ledger.sqlite): peak +{database:.0} MB ({:.0} MB)", db_bytes.unwrap_or(0) as f64 / MB);
    // Where the peak goes: the datasets' cells, all at once and one at a time, and the database.
    let red = export::redacted(&input);
    let started = Instant::now();
    let (cells, csvs) = peak_over(|| export::datasets::build_all(&input, &red));
    let cells_s = started.elapsed().as_secs_f64();
    let (sqlite, db) = peak_over(|| export::sqlite_file(&input, &csvs));
    drop(csvs);
    println!("every dataset's cells at once: +{cells:.0} MB, {cells_s:.1} s to build; the database over them: +{sqlite:.0} MB ({:.0} MB)", db.bytes.len() as f64 / MB);
    drop(db);
    let (one, name) = export::CSV_NAMES
        .iter()
        .map(|name| (peak_over(|| export::datasets::build_one(&input, &red, name).map(|t| t.rows.len())).0, *name))
        .fold((0.0, ""), |max, this| if this.0 > max.0 { this } else { max });
    println!("the largest dataset's cells alone: +{one:.0} MB ({name})");
    assert_eq!(old, Some(new));
}
