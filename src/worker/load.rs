//! Reading files in the worker: `Blob.slice().arrayBuffer()` in 4 MB slices, up to 16 in flight
//! (the fastest read Chromium offers, docs/toolchain.md), fed to the ingest engine in file order
//! as they arrive, so the browser reads while the engine parses. No file is held whole.

use super::command::{Loaded, Progress};
use super::io::{Held, Shared, js_text, post_progress, read_slice};
use crate::ingest::{Ingest, SLICE_BYTES};
use crate::model::FileId;
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

/// Progress is posted at most this often (ms), so the page is not flooded.
const PROGRESS_EVERY_MS: f64 = 100.0;

pub fn cancel() {
    LOADS.with(|l| l.set(l.get() + 1));
}

fn now() -> f64 {
    js_sys::Date::now()
}

struct SliceRead {
    file: usize,
    bytes_read: u64,
    bytes: JsFuture,
}

/// Read `picked` (plus what is loaded, with `keep`) into a fresh engine.
pub async fn load_files(held: Shared, mut picked: Vec<(String, File)>, settings: Settings, keep: bool) -> Loaded {
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
    let started = now();
    // Sizes are read here, in the worker, where they cost milliseconds in all (docs/toolchain.md).
    let sizes: Vec<u64> = files.iter().map(|(_, f)| f.size() as u64).collect();
    let bytes_total: u64 = sizes.iter().sum();
    let files_total = files.len() as u64;
    let mut last_post = 0.0;
    let mut progress = |files_done: u64, bytes_done: u64, force: bool| {
        let t = now();
        if force || t - last_post >= PROGRESS_EVERY_MS {
            last_post = t;
            post_progress(&Progress { files_done, files_total, bytes_done, bytes_total, elapsed_ms: t - started });
        }
    };
    progress(0, 0, true);

    let mut plan = (0..files.len()).flat_map(|file| {
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

    let mut ingest = Ingest::new();
    for (name, bytes) in &sample {
        ingest.add_file(name.clone(), bytes);
    }
    let mut ids: Vec<FileId> = Vec::with_capacity(files.len());
    let mut abandoned = vec![false; files.len()];
    let mut bytes_done = 0u64;
    let mut slice = Vec::with_capacity(SLICE_BYTES);
    request(&mut in_flight);
    while let Some(read) = in_flight.pop_front() {
        if superseded() {
            return Loaded::Cancelled;
        }
        open_through(&mut ingest, &mut ids, &files, &sizes, read.file);
        request(&mut in_flight);
        let result = read.bytes.await;
        if superseded() {
            return Loaded::Cancelled;
        }
        let id = ids[read.file];
        match result {
            _ if abandoned[read.file] => {}
            Ok(buffer) => {
                let array = Uint8Array::new(&buffer);
                slice.resize(array.length() as usize, 0);
                array.copy_to(&mut slice);
                ingest.feed(id, &slice);
            }
            // One unreadable file (moved, deleted, no permission) stops only itself: its lines so
            // far stay, and its row in the files table says why it stopped.
            Err(e) => {
                ingest.abandon_file(id, &js_text(e));
                abandoned[read.file] = true;
            }
        }
        bytes_done += read.bytes_read;
        progress(read.file as u64, bytes_done, false);
    }
    if !files.is_empty() {
        open_through(&mut ingest, &mut ids, &files, &sizes, files.len() - 1);
    }
    if let Some(&last) = ids.last() {
        ingest.end_file(last);
    }
    progress(files_total, bytes_total, true);
    let ledger = ingest.finish();
    let engine = Engine::new(ledger, settings.clone());
    let count = files.len() + sample.len();
    *held.borrow_mut() = Held { engine: Some(engine), files, sample, settings };
    Loaded::Done { files: count as u64 }
}

/// Begin every file up to and including `file`, ending the one before: files are fed in order,
/// so a file is complete once a slice of a later one arrives (empty files have no slices).
fn open_through(ingest: &mut Ingest, ids: &mut Vec<FileId>, files: &[(String, File)], sizes: &[u64], file: usize) {
    while ids.len() <= file {
        if let Some(&last) = ids.last() {
            ingest.end_file(last);
        }
        let next = ids.len();
        ids.push(ingest.begin_file(files[next].0.clone(), sizes[next]));
    }
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
