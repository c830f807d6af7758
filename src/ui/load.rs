//! Getting bytes into the ingest engine: the files a person picked or dropped
//! ([`super::pick`]), or the built-in sample.
//!
//! Files are read in [`SLICE_BYTES`] slices with `Blob.slice().arrayBuffer()` (the fastest read
//! Chromium offers, docs/toolchain.md) and fed to the engine slice by slice: no file is ever held
//! whole. Up to 16 slices are being read while the engine parses; awaiting each slice yields to
//! the browser, so the progress bar moves.

use super::pick::Picked;
use super::state::{AppState, Shared, Status};
use crate::ingest::{Ingest, SLICE_BYTES};
use crate::model::FileId;
use js_sys::{Promise, Uint8Array};
use leptos::prelude::*;
use std::cell::Cell;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

/// Loads started so far: a load that is no longer the latest stops, so that files picked while
/// others are still being read replace them rather than race them.
static LOADS: AtomicU64 = AtomicU64::new(0);

/// Slice reads kept in flight: one at a time reads about half as fast (docs/toolchain.md), and
/// 16 × 4 MB bounds what waits in memory.
const READS_IN_FLIGHT: usize = 16;

/// One slice of one file, being read.
struct SliceRead {
    file: usize,
    bytes_read: u64,
    bytes: JsFuture,
}

/// Read every picked file into a fresh ledger, showing progress; replaces what was loaded.
///
/// Slices are requested ahead, up to [`READS_IN_FLIGHT`], and fed to the engine in file order
/// as they arrive, so the browser reads while the engine parses.
pub async fn load_files(state: AppState, picked: Vec<Picked>) {
    if picked.is_empty() {
        return;
    }
    let generation = LOADS.fetch_add(1, Ordering::Relaxed) + 1;
    let superseded = || LOADS.load(Ordering::Relaxed) != generation;
    let files_total = picked.len();
    let progress = |files_done, bytes_done| state.status.set(Status::Loading { files_done, files_total, bytes_done });
    progress(0, 0);
    super::timing::mark("picked");

    // Each file's size is asked for only when its slices are planned: asking costs the main thread
    // about 0.3 ms a file (docs/toolchain.md), a second per 3,000 files if done up front, and this
    // way it happens while earlier slices are being read.
    let sizes: Vec<Cell<u64>> = (0..files_total).map(|_| Cell::new(0)).collect();
    let mut plan = (0..files_total).flat_map(|file| {
        let size = picked[file].file.size() as u64;
        sizes[file].set(size);
        (0..size.div_ceil(SLICE_BYTES as u64)).map(move |k| (file, k * SLICE_BYTES as u64, ((k + 1) * SLICE_BYTES as u64).min(size)))
    });
    let mut in_flight: VecDeque<SliceRead> = VecDeque::with_capacity(READS_IN_FLIGHT);
    let mut request = |in_flight: &mut VecDeque<SliceRead>| {
        while in_flight.len() < READS_IN_FLIGHT {
            let Some((file, start, end)) = plan.next() else { break };
            in_flight.push_back(SliceRead { file, bytes_read: end - start, bytes: read_slice(&picked[file].file, start, end) });
        }
    };

    let mut ingest = Ingest::new();
    let mut ids = Vec::with_capacity(files_total);
    // Files whose reading failed: their later slices are dropped.
    let mut abandoned = vec![false; files_total];
    let mut bytes_done = 0u64;
    // One buffer the slices are copied into from the browser's memory.
    let mut slice = Vec::with_capacity(SLICE_BYTES);
    request(&mut in_flight);
    while let Some(read) = in_flight.pop_front() {
        if superseded() {
            return;
        }
        open_through(&mut ingest, &mut ids, &picked, &sizes, read.file);
        request(&mut in_flight);
        let result = read.bytes.await;
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
        progress(read.file, bytes_done);
    }
    // The plan is used up, so every file's size has been asked for (empty files too).
    open_through(&mut ingest, &mut ids, &picked, &sizes, files_total - 1);
    if let Some(&last) = ids.last() {
        ingest.end_file(last);
    }
    super::timing::mark("read");
    if !superseded() {
        finish(state, ingest);
    }
}

/// Begin every file up to and including `file`, ending the one before: files are fed in order,
/// so a file is complete once a slice of a later one arrives (empty files have no slices).
fn open_through(ingest: &mut Ingest, ids: &mut Vec<FileId>, picked: &[Picked], sizes: &[Cell<u64>], file: usize) {
    while ids.len() <= file {
        if let Some(&last) = ids.last() {
            ingest.end_file(last);
        }
        let next = ids.len();
        ids.push(ingest.begin_file(picked[next].name.clone(), sizes[next].get()));
    }
}

/// The built-in sample logs (generated, not copied from anyone's disk).
pub fn load_sample(state: AppState) {
    // Stops a load still running.
    LOADS.fetch_add(1, Ordering::Relaxed);
    state.status.set(Status::Loading { files_done: 0, files_total: 0, bytes_done: 0 });
    let mut ingest = Ingest::new();
    for (name, bytes) in crate::synth::sample_files() {
        ingest.add_file(name, &bytes);
    }
    finish(state, ingest);
}

fn finish(state: AppState, ingest: Ingest) {
    let ledger = ingest.finish();
    super::timing::mark("ingested");
    state.ledger.set(Some(Shared(Arc::new(ledger))));
    state.status.set(Status::Ready);
}

/// Start reading bytes `start..end` of `file`; the browser reads while the engine parses.
fn read_slice(file: &File, start: u64, end: u64) -> JsFuture {
    match file.slice_with_f64_and_f64(start as f64, end as f64) {
        Ok(blob) => JsFuture::from(blob.array_buffer()),
        Err(e) => JsFuture::from(Promise::reject(&e)),
    }
}

/// What went wrong, in words: a `DOMException` as `NotReadableError: <message>`.
fn js_text(v: JsValue) -> String {
    let field = |name: &str| js_sys::Reflect::get(&v, &JsValue::from_str(name)).ok().and_then(|f| f.as_string());
    match (field("name"), field("message")) {
        (Some(name), Some(message)) => format!("{name}: {message}"),
        _ => v.as_string().unwrap_or_else(|| "unknown error".into()),
    }
}
