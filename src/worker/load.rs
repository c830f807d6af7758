//! Reading files in the worker: `arrayBuffer()` of 4 MB slices (a file of at most 4 MB whole,
//! `io::read_slice`), up to 16 in flight (the fastest read Chromium offers), fed to the ingest
//! engine in file order as they arrive, so the browser reads while the engine parses. No file
//! longer than a slice is held whole. Files kept on this device from an earlier load are not read
//! at all. Where the worker's time goes is measured as it goes ([`LoadTimings`]).

use super::command::{LoadTimings, Loaded};
use super::io::{Held, Shared, js_text, read_slice};
use super::parts::{Join, Reading};
use super::remember::Writes;
use super::run::{Meter, Run, now, timed};
use super::store::Store;
use crate::ingest::{Ingest, SLICE_BYTES};
use crate::query::{Engine, Settings};
use js_sys::Uint8Array;
use std::cell::Cell;
use std::collections::VecDeque;
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

thread_local! {
    /// Loads started so far: a load that is no longer the latest stops (a newer load or Cancel).
    static LOADS: Cell<u64> = const { Cell::new(0) };
}

/// Slice reads kept in flight: one at a time reads about half as fast, and 16 × 4 MB bounds what
/// waits in memory.
const READS_IN_FLIGHT: usize = 16;

/// Stop the load in progress (its parse workers too): a newer load or Cancel.
pub fn cancel() {
    LOADS.with(|l| l.set(l.get() + 1));
    super::pool::stop();
}

struct SliceRead {
    file: usize,
    bytes_read: u64,
    bytes: JsFuture,
}

/// Read `picked` (plus what is loaded, with `keep`) into a fresh engine. Each file is parsed by
/// an `Ingest` of its own and the parts are joined in file order ([`super::parts`]), so that,
/// with `remember`, a file's result is kept on this device and taken back next time instead of
/// parsing the file again ([`super::remember`]).
pub async fn load_files(held: Shared, mut picked: Vec<(String, File)>, settings: Settings, keep: bool, remember: bool, pool: bool) -> Loaded {
    let started = now();
    cancel();
    // Two files of one pick are two files, even under one name (two machines' exports).
    let mut names: Vec<String> = picked.iter().map(|(n, _)| n.clone()).collect();
    super::names::make_distinct(&mut names);
    picked.iter_mut().zip(names).for_each(|((n, _), fresh)| *n = fresh);
    let generation = LOADS.with(Cell::get);
    let superseded = || LOADS.with(Cell::get) != generation;
    let (mut files, sample) = if keep {
        let h = held.borrow();
        (h.files.clone(), h.sample.clone())
    } else {
        (Vec::new(), Vec::new())
    };
    files.extend(picked);
    // The same files give the same report whatever order they were picked in (cross-file dedup
    // keeps the earliest copy).
    files.sort_by(|a, b| a.0.cmp(&b.0));
    // A file added again under the same name replaces the one loaded before (the sort is stable,
    // so the newer one comes second: it moves into the kept place).
    files.dedup_by(|newer, kept| {
        let same = newer.0 == kept.0;
        if same {
            std::mem::swap(newer, kept);
        }
        same
    });
    // Sizes are read here, in the worker, where they cost milliseconds in all (docs/toolchain.md).
    let sizes: Vec<u64> = files.iter().map(|(_, f)| f.size() as u64).collect();
    let mut meter = Meter::new(files.len() as u64, sizes.iter().sum());
    meter.post(true);

    let mut join = Join::new(files.len());
    for (name, bytes) in &sample {
        let mut one = Ingest::new();
        one.add_file(name.clone(), bytes);
        join.whole.append(one.into_part());
    }
    // Results kept by an earlier load, for the files that did not change since.
    let store = if remember { Store::open(files.iter().map(|(name, _)| name.as_str())).await.ok() } else { None };
    let mut timings = LoadTimings::default();
    let mut pack = None;
    if let Some(store) = &store {
        let start = now();
        pack = super::remember::take_stored(store, &files, &mut join.slots).await;
        timings.kept_ms = now() - start;
        if superseded() {
            return Loaded::Cancelled;
        }
    }
    let writes = Writes::start(store.as_ref(), pack.as_ref(), &files, &join.slots).await;
    drop(pack);
    let fresh: Vec<usize> = (0..files.len()).filter(|&i| join.slots[i].is_none()).collect();
    meter.files_done = (files.len() - fresh.len()) as u64;
    meter.bytes_done = (0..files.len()).filter(|&i| join.slots[i].is_some()).map(|i| sizes[i]).sum();
    timed(&mut timings.joining_ms, || join.drain());
    meter.post(true);

    let mut run = Run { files: &files, sizes: &sizes, join, writes, meter, superseded: &superseded, timings };
    // With `pool` and two files or more, parse workers when they can be started (nested
    // workers); else here, file after file. One file gains nothing from a pool, and a big one
    // (a 1 GiB rollout) would be held twice: its result in the parse worker and in this one.
    let (pooled, workers) = match fresh.len() {
        0 => (Ok(true), 0),
        n if pool && n >= 2 => (super::pooled::parse(&mut run, &fresh).await, super::pool::size().min(n)),
        _ => (Err(String::new()), 0),
    };
    let (finished, workers) = match pooled {
        Ok(finished) => (finished, workers),
        Err(_) => (read_here(&mut run, &fresh).await, 0),
    };
    if !finished {
        return Loaded::Cancelled;
    }
    let Run { join, writes, mut meter, mut timings, .. } = run;
    meter.files_done = meter.files_total;
    meter.bytes_done = meter.bytes_total;
    meter.post(true);
    // The writes went on while the files were read; every result is on disk before the load
    // says it is done, so a reload right after finds them.
    writes.finish().await;
    let ledger = timed(&mut timings.cross_file_ms, || join.whole.finish());
    let engine = timed(&mut timings.analysis_ms, || Engine::new(ledger, settings.clone()));
    timings.wasm_mb = wasm_memory_mb();
    timings.total_ms = now() - started;
    let count = files.len() + sample.len();
    let parsed = fresh.len() + sample.len();
    *held.borrow_mut() = Held { engine: Some(engine), files, sample, settings };
    Loaded::Done { files: count as u64, parsed: parsed as u64, workers: workers as u64, timings }
}

/// The size of this worker's wasm memory in MB (it grows and never shrinks: its peak).
fn wasm_memory_mb() -> f64 {
    use wasm_bindgen::JsCast;
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as f64 / 1e6
}

/// How long after a load the worker waits before doing the first filter's work ahead: the page
/// asks for the load's first views at once (their questions arrive within milliseconds and are
/// answered first), and a person's first filter comes later than this.
const IDLE_AFTER_LOAD_MS: i32 = 300;

/// A moment after a load, number the rows for filters ([`Engine::prepare_filters`]), so that the
/// first filter does not wait for it. A filter asked for sooner numbers them itself; a load or
/// Clear meanwhile leaves it to the next engine.
pub fn prepare_when_idle(held: Shared) {
    wasm_bindgen_futures::spawn_local(async move {
        sleep(IDLE_AFTER_LOAD_MS).await;
        if let Ok(held) = held.try_borrow() {
            if let Some(engine) = held.engine.as_ref() {
                engine.prepare_filters();
            }
        }
    });
}

/// How long after a change of settings the worker waits before freeing what the change
/// replaced: the views ask their questions about the change at once, and are answered first.
const IDLE_AFTER_CHANGE_MS: i32 = 250;

/// A moment after a change of settings, free the analysis it pushed out ([`Engine::tidy`]).
pub fn tidy_when_idle(held: Shared) {
    wasm_bindgen_futures::spawn_local(async move {
        sleep(IDLE_AFTER_CHANGE_MS).await;
        if let Ok(mut held) = held.try_borrow_mut()
            && let Some(engine) = held.engine.as_mut()
        {
            engine.tidy();
        }
    });
}

/// Resolves after `ms` milliseconds (the worker's timer).
async fn sleep(ms: i32) {
    let timer = js_sys::Promise::new(&mut |resolve, _| {
        let _ = super::io::scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(timer).await;
}

/// Read and parse the `fresh` files here, in order, with up to [`READS_IN_FLIGHT`] slices
/// requested ahead. `false`: the load was cancelled or superseded.
async fn read_here(run: &mut Run<'_>, fresh: &[usize]) -> bool {
    let (files, sizes) = (run.files, run.sizes);
    let mut plan = fresh.iter().flat_map(|&file| {
        let size = sizes[file];
        (0..size.div_ceil(SLICE_BYTES as u64)).map(move |k| (file, k * SLICE_BYTES as u64, ((k + 1) * SLICE_BYTES as u64).min(size)))
    });
    let mut in_flight: VecDeque<SliceRead> = VecDeque::with_capacity(READS_IN_FLIGHT);
    let mut request = |in_flight: &mut VecDeque<SliceRead>| {
        while in_flight.len() < READS_IN_FLIGHT {
            let Some((file, start, end)) = plan.next() else { break };
            in_flight.push_back(SliceRead { file, bytes_read: end - start, bytes: read_slice(&files[file].1, start, end) });
        }
    };
    let mut reading = Reading::new(fresh);
    let mut slice = Vec::with_capacity(SLICE_BYTES);
    timed(&mut run.timings.asking_ms, || request(&mut in_flight));
    while let Some(read) = in_flight.pop_front() {
        if (run.superseded)() {
            return false;
        }
        timed(&mut run.timings.joining_ms, || {
            for (file, part) in reading.open_through(Some(read.file), files, sizes) {
                run.writes.keep(&files[file], &part);
                run.join.put(file, part);
                run.meter.files_done += 1;
            }
        });
        timed(&mut run.timings.asking_ms, || request(&mut in_flight));
        let asked = now();
        let result = read.bytes.await;
        run.timings.waiting_ms += now() - asked;
        if (run.superseded)() {
            return false;
        }
        let open = reading.open.as_mut().expect("the file of this slice is open");
        match result {
            _ if open.abandoned => {}
            Ok(buffer) => {
                timed(&mut run.timings.copying_ms, || {
                    let array = Uint8Array::new(&buffer);
                    slice.resize(array.length() as usize, 0);
                    array.copy_to(&mut slice);
                });
                timed(&mut run.timings.parsing_ms, || open.ingest.feed(0, &slice));
            }
            // One unreadable file (moved, deleted, no permission) stops only itself: its lines so
            // far stay, and its row in the files table says why it stopped.
            Err(e) => {
                open.ingest.abandon_file(0, &js_text(e));
                open.abandoned = true;
            }
        }
        run.meter.bytes_done += read.bytes_read;
        run.meter.post(false);
    }
    timed(&mut run.timings.joining_ms, || {
        for (file, part) in reading.open_through(None, files, sizes) {
            run.writes.keep(&files[file], &part);
            run.join.put(file, part);
        }
    });
    true
}

/// The built-in sample logs (generated, not copied from anyone's disk).
pub fn load_sample(held: &Shared, settings: Settings) {
    cancel();
    let sample: Vec<(String, Vec<u8>)> = crate::synth::sample_files().into_iter().map(|(n, b)| (n.to_string(), b)).collect();
    let mut ingest = Ingest::new();
    for (name, bytes) in &sample {
        ingest.add_file(name.clone(), bytes);
    }
    let engine = Engine::new(ingest.finish(), settings.clone());
    *held.borrow_mut() = Held { engine: Some(engine), files: Vec::new(), sample, settings };
}
