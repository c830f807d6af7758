//! Where a long download's bytes wait until the file is whole (issue #18.1, memory): on disk, in
//! a file of the origin-private file system written through a synchronous access handle, when
//! the browser allows it; else in Blobs, as before.
//!
//! A Blob made from bytes lives in the browser's blob storage, in memory: the zip's 177 MB on the
//! real-world profile, the database's 346 MB, `usage_tokens.csv`'s 78 MB were all held there
//! beside everything else until the download had been copied out. Written to a file instead,
//! the bytes leave memory as they come, and the download is a Blob made of slices of that file
//! (and the zip's few hundred bytes of headers), which the browser reads from disk.
//!
//! The files are named by the time they were begun. A finished one is left where it is, since
//! the browser copies the download out afterwards (the page revokes its URL 30 s after the
//! click); a file begun more than [`KEEP_MS`] ago is removed when the next long download
//! begins, when the engine starts, and by Forget. An unfinished one (cancelled) is removed at
//! once. The browser never shows this folder.

use super::io::{Piece, blob_of, js_text, scope};
use js_sys::Reflect;
use std::cell::Cell;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, File, FileSystemDirectoryHandle, FileSystemFileHandle, FileSystemGetDirectoryOptions, FileSystemGetFileOptions};
use web_sys::{FileSystemReadWriteOptions, FileSystemSyncAccessHandle};
use wasm_bindgen::JsValue;

/// The folder of the origin-private file system that holds the downloads' files, and nothing else.
pub const FOLDER: &str = "agent-ledger-downloads";

/// How long a download's file is kept after it was begun: long enough for the browser to have
/// copied it out however slow the disk.
const KEEP_MS: f64 = 10.0 * 60.0 * 1000.0;

/// The least room the browser must say is left for a download to go to disk (else Blobs): the
/// largest download of the real-world profile is 346 MB.
const ROOM_NEEDED: f64 = (1u64 << 30) as f64;

/// Bytes kept for a download: a Blob of their own, or where they are in the download's file.
pub enum Kept {
    Blob(Blob),
    Range(f64, f64),
}

/// What a finished download is made of, in order: bytes of the worker's memory (the zip's
/// headers) and what was kept.
pub enum Part<'a> {
    Bytes(&'a [u8]),
    Kept(&'a Kept),
}

/// The file a download goes into.
struct Disk {
    dir: FileSystemDirectoryHandle,
    name: String,
    handle: FileSystemFileHandle,
    access: FileSystemSyncAccessHandle,
    /// Bytes written so far: the next write goes there.
    end: Cell<f64>,
}

/// Where one download's bytes are kept until [`Keeper::finish`].
pub struct Keeper {
    disk: Option<Disk>,
    mime: &'static str,
}

impl Keeper {
    /// A keeper for a download of type `mime`: on disk when the origin-private file system can
    /// take it (a worker, a secure origin, room left), else in Blobs.
    pub async fn open(mime: &'static str) -> Keeper {
        let disk = match open_disk().await {
            Ok(disk) => disk,
            Err(why) => {
                web_sys::console::info_1(&format!("agent-ledger: a download kept in memory ({why})").into());
                None
            }
        };
        Keeper { disk, mime }
    }

    /// Whether the bytes go to disk.
    pub fn on_disk(&self) -> bool {
        self.disk.is_some()
    }

    /// Keep `pieces`, in order, as one run of bytes.
    pub fn keep(&self, pieces: &[&[u8]]) -> Result<Kept, JsValue> {
        let Some(disk) = &self.disk else {
            let pieces: Vec<Piece> = pieces.iter().map(|p| Piece::Bytes(p)).collect();
            return blob_of(&pieces, self.mime).map(Kept::Blob);
        };
        let start = disk.end.get();
        let mut at = start;
        for piece in pieces.iter().filter(|p| !p.is_empty()) {
            let options = FileSystemReadWriteOptions::new();
            options.set_at(at);
            let written = disk.access.write_with_u8_array_and_options(piece, &options)?;
            if written as usize != piece.len() {
                return Err(JsValue::from_str("the browser's storage took only part of the download (is the disk full?)"));
            }
            at += written;
        }
        disk.end.set(at);
        Ok(Kept::Range(start, at))
    }

    /// The download's Blob: `parts` in order. On disk, the file is closed and the Blob refers to
    /// slices of it (adjacent ranges joined into one slice).
    pub async fn finish(mut self, parts: &[Part<'_>]) -> Result<Blob, JsValue> {
        let file = match self.disk.take() {
            Some(disk) => {
                let flushed = disk.access.flush();
                disk.access.close();
                flushed?;
                let file: File = JsFuture::from(disk.handle.get_file()).await?.unchecked_into();
                Some(file)
            }
            None => None,
        };
        // Every slice is made before any view of the worker's memory is (`blob_of`).
        let mut runs: Vec<Run> = Vec::with_capacity(parts.len());
        for part in parts {
            match (part, runs.last_mut()) {
                (Part::Kept(Kept::Range(start, end)), Some(Run::Range(_, last))) if *last == *start => *last = *end,
                (Part::Kept(Kept::Range(start, end)), _) => runs.push(Run::Range(*start, *end)),
                (Part::Kept(Kept::Blob(blob)), _) => runs.push(Run::Blob(blob)),
                (Part::Bytes(bytes), _) => runs.push(Run::Bytes(bytes)),
            }
        }
        let mut slices: Vec<Option<Blob>> = Vec::with_capacity(runs.len());
        for run in &runs {
            slices.push(match (run, &file) {
                (Run::Range(start, end), Some(file)) => Some(file.slice_with_f64_and_f64(*start, *end)?),
                (Run::Range(..), None) => return Err(JsValue::from_str("bytes kept on disk without a file")),
                _ => None,
            });
        }
        let pieces: Vec<Piece> = runs
            .iter()
            .zip(&slices)
            .map(|(run, slice)| match (run, slice) {
                (Run::Bytes(bytes), _) => Piece::Bytes(bytes),
                (Run::Blob(blob), _) => Piece::Blob(blob),
                (Run::Range(..), slice) => Piece::Blob(slice.as_ref().expect("made above for every range")),
            })
            .collect();
        blob_of(&pieces, self.mime)
    }
}

impl Drop for Keeper {
    /// A download dropped unfinished (cancelled, failed) closes its file and removes it. (A
    /// worker ended meanwhile, the zip's second one on Cancel, leaves its file to the next sweep.)
    fn drop(&mut self) {
        if let Some(disk) = self.disk.take() {
            disk.access.close();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = JsFuture::from(disk.dir.remove_entry(&disk.name)).await;
            });
        }
    }
}

/// A run of a finished download: bytes, a Blob, or a range of its file.
enum Run<'a> {
    Bytes(&'a [u8]),
    Blob(&'a Blob),
    Range(f64, f64),
}

/// A new file for a download, after removing the old ones; `None` when the browser says there
/// is too little room.
async fn open_disk() -> Result<Option<Disk>, String> {
    let storage = scope().navigator().storage();
    let estimate = JsFuture::from(storage.estimate().map_err(js_text)?).await.map_err(js_text)?;
    let number = |name: &str| Reflect::get(&estimate, &name.into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    if number("quota") - number("usage") < ROOM_NEEDED {
        return Err(format!("{:.0} MB of room left", (number("quota") - number("usage")) / 1e6));
    }
    let dir = folder().await?;
    sweep(&dir, false).await;
    let now = js_sys::Date::now();
    let name = format!("{:013}-{:08x}.part", now as u64, (js_sys::Math::random() * u32::MAX as f64) as u32);
    let options = FileSystemGetFileOptions::new();
    options.set_create(true);
    let handle: FileSystemFileHandle = JsFuture::from(dir.get_file_handle_with_options(&name, &options)).await.map_err(js_text)?.unchecked_into();
    let access: FileSystemSyncAccessHandle = JsFuture::from(handle.create_sync_access_handle()).await.map_err(js_text)?.unchecked_into();
    Ok(Some(Disk { dir, name, handle, access, end: Cell::new(0.0) }))
}

async fn folder() -> Result<FileSystemDirectoryHandle, String> {
    let root: FileSystemDirectoryHandle = JsFuture::from(scope().navigator().storage().get_directory()).await.map_err(js_text)?.unchecked_into();
    let options = FileSystemGetDirectoryOptions::new();
    options.set_create(true);
    Ok(JsFuture::from(root.get_directory_handle_with_options(FOLDER, &options)).await.map_err(js_text)?.unchecked_into())
}

/// Remove the downloads' files begun more than [`KEEP_MS`] ago (`all`: every one), and answer
/// the bytes that freed. A file still being written (another tab's) is locked, and stays.
pub async fn sweep_downloads(all: bool) -> u64 {
    match folder().await {
        Ok(dir) => sweep(&dir, all).await,
        Err(_) => 0,
    }
}

async fn sweep(dir: &FileSystemDirectoryHandle, all: bool) -> u64 {
    let now = js_sys::Date::now();
    let mut old = Vec::new();
    let entries = dir.values();
    while let Ok(step) = entries.next() {
        let Ok(step) = JsFuture::from(step).await else { break };
        if Reflect::get(&step, &"done".into()).ok().is_some_and(|d| d.is_truthy()) {
            break;
        }
        let Ok(handle) = Reflect::get(&step, &"value".into()).and_then(|v| v.dyn_into::<FileSystemFileHandle>()) else { continue };
        let name = handle.name();
        let begun = name.split('-').next().and_then(|ms| ms.parse::<f64>().ok()).unwrap_or(0.0);
        if all || now - begun > KEEP_MS {
            old.push((name, handle));
        }
    }
    let mut freed = 0;
    for (name, handle) in old {
        let size = match JsFuture::from(handle.get_file()).await {
            Ok(file) => file.unchecked_into::<File>().size() as u64,
            Err(_) => 0,
        };
        if JsFuture::from(dir.remove_entry(&name)).await.is_ok() {
            freed += size;
        }
    }
    freed
}
