//! Getting bytes into the ingest engine: the file and folder inputs, drag and drop of files and
//! whole folders (walked recursively), and the built-in sample.
//!
//! Files are read in [`SLICE_BYTES`] slices with `Blob.slice().arrayBuffer()` (the fastest read
//! Chromium offers, docs/toolchain.md) and fed to the engine slice by slice: no file is ever held
//! whole. Awaiting each slice yields to the browser, so the progress bar moves.

use super::state::{AppState, Shared, Status};
use crate::ingest::{Ingest, SLICE_BYTES};
use js_sys::{Array, Function, Promise, Uint8Array};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;
use web_sys::{DataTransfer, File, FileList, FileSystemDirectoryEntry, FileSystemEntry, FileSystemFileEntry};

/// A file to read and the name it is reported under (its path inside a dropped folder).
pub struct Picked {
    pub name: String,
    pub file: File,
}

/// Files from an `<input type=file>` (with or without `webkitdirectory`).
pub fn from_file_list(list: Option<FileList>) -> Vec<Picked> {
    let Some(list) = list else { return Vec::new() };
    let mut picked: Vec<Picked> = (0..list.length())
        .filter_map(|i| list.get(i))
        .map(|file| {
            let rel = js_sys::Reflect::get(&file, &JsValue::from_str("webkitRelativePath"))
                .ok()
                .and_then(|v| v.as_string())
                .filter(|s| !s.is_empty());
            Picked { name: rel.unwrap_or_else(|| file.name()), file }
        })
        .collect();
    // The same files give the same report whatever order the browser lists them in (cross-file
    // dedup keeps the earliest copy).
    picked.sort_by(|a, b| a.name.cmp(&b.name));
    picked
}

/// Files and folders dropped on the page. Entries must be taken during the drop event itself,
/// before any `await`; the folders are walked afterwards.
pub fn entries_of_drop(dt: &DataTransfer) -> (Vec<FileSystemEntry>, Vec<Picked>) {
    let items = dt.items();
    let mut entries = Vec::new();
    for i in 0..items.length() {
        if let Some(entry) = items.get(i).and_then(|item| item.webkit_get_as_entry().ok().flatten()) {
            entries.push(entry);
        }
    }
    if entries.is_empty() {
        return (Vec::new(), from_file_list(dt.files()));
    }
    (entries, Vec::new())
}

/// Walk dropped entries: files as they are, folders recursively.
pub async fn walk_entries(entries: Vec<FileSystemEntry>) -> Vec<Picked> {
    let mut out = Vec::new();
    let mut stack: Vec<(String, FileSystemEntry)> = entries.into_iter().map(|e| (String::new(), e)).collect();
    while let Some((prefix, entry)) = stack.pop() {
        let name = format!("{prefix}{}", entry.name());
        if entry.is_file() {
            let file_entry: FileSystemFileEntry = entry.unchecked_into();
            if let Ok(file) = entry_file(&file_entry).await {
                out.push(Picked { name, file });
            }
        } else if entry.is_directory() {
            let dir: FileSystemDirectoryEntry = entry.unchecked_into();
            for child in read_all_entries(&dir).await {
                stack.push((format!("{name}/"), child));
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

async fn entry_file(entry: &FileSystemFileEntry) -> Result<File, JsValue> {
    let promise = Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |f: JsValue| resolve.call1(&JsValue::NULL, &f));
        let err = Closure::once_into_js(move |e: JsValue| reject.call1(&JsValue::NULL, &e));
        entry.file_with_callback_and_callback(ok.unchecked_ref(), err.unchecked_ref());
    });
    Ok(JsFuture::from(promise).await?.unchecked_into())
}

/// `readEntries` returns at most 100 entries a call: call it until it returns none.
async fn read_all_entries(dir: &FileSystemDirectoryEntry) -> Vec<FileSystemEntry> {
    let reader = dir.create_reader();
    let mut all = Vec::new();
    loop {
        let promise = Promise::new(&mut |resolve, reject| {
            let ok = Closure::once_into_js(move |list: JsValue| resolve.call1(&JsValue::NULL, &list));
            let err = Closure::once_into_js(move |e: JsValue| reject.call1(&JsValue::NULL, &e));
            let ok_fn: &Function = ok.unchecked_ref();
            let _ = reader.read_entries_with_callback_and_callback(ok_fn, err.unchecked_ref());
        });
        let Ok(batch) = JsFuture::from(promise).await else { break };
        let batch: Array = batch.unchecked_into();
        if batch.length() == 0 {
            break;
        }
        all.extend(batch.iter().map(|e| e.unchecked_into::<FileSystemEntry>()));
    }
    all
}

/// Read every picked file into a fresh ledger, showing progress; replaces what was loaded.
pub async fn load_files(state: AppState, picked: Vec<Picked>) {
    if picked.is_empty() {
        return;
    }
    let files_total = picked.len();
    let bytes_total: u64 = picked.iter().map(|p| p.file.size() as u64).sum();
    let progress = |files_done, bytes_done| {
        state.status.set(Status::Loading { files_done, files_total, bytes_done, bytes_total });
    };
    progress(0, 0);
    let mut ingest = Ingest::new();
    let mut bytes_done = 0u64;
    for (n, p) in picked.into_iter().enumerate() {
        let size = p.file.size() as u64;
        let id = ingest.begin_file(p.name.clone(), size);
        let mut offset = 0u64;
        while offset < size {
            let end = (offset + SLICE_BYTES as u64).min(size);
            match read_slice(&p.file, offset, end).await {
                Ok(bytes) => ingest.feed(id, &bytes),
                Err(e) => {
                    state.status.set(Status::Error(format!("could not read {}: {e}", p.name)));
                    break;
                }
            }
            bytes_done += end - offset;
            offset = end;
            progress(n, bytes_done);
        }
        ingest.end_file(id);
        progress(n + 1, bytes_done);
    }
    finish(state, ingest);
}

/// The built-in sample logs (generated, not copied from anyone's disk).
pub fn load_sample(state: AppState) {
    let mut ingest = Ingest::new();
    for (name, bytes) in crate::synth::sample_files() {
        ingest.add_file(name, &bytes);
    }
    finish(state, ingest);
}

fn finish(state: AppState, ingest: Ingest) {
    let ledger = ingest.finish();
    state.ledger.set(Some(Shared(Arc::new(ledger))));
    if !matches!(state.status.get_untracked(), Status::Error(_)) {
        state.status.set(Status::Ready);
    }
}

async fn read_slice(file: &File, start: u64, end: u64) -> Result<Vec<u8>, String> {
    let blob = file.slice_with_f64_and_f64(start as f64, end as f64).map_err(js_text)?;
    let buffer = JsFuture::from(blob.array_buffer()).await.map_err(js_text)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

fn js_text(v: JsValue) -> String {
    v.as_string().or_else(|| js_sys::JSON::stringify(&v).ok().and_then(|s| s.as_string())).unwrap_or_else(|| "unknown error".into())
}
