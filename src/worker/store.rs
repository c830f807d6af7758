//! Parsed results kept on this device (opt-in, "Keep parsed results on this device"), in the
//! origin-private file system (OPFS, `navigator.storage.getDirectory()`), which a worker reads
//! and writes without the main thread, and which no other site and no page but this one can see.
//!
//! One file, a *pack*, holds the results of every log of a load: read back whole, in one read.
//! Until 2026-12-07 each log had a file of its own, and taking 3,100 of them back cost the
//! worker 1.3 s of the browser's storage, however many were asked for at once (each read is a
//! Blob of its own that the browser registers; docs/remember.md), against 0.15 s to decode them.
//! A load's pack is named by its folders (the first part of its files' names), so that loading
//! one folder and then another keeps both. What each result was made from (path, size,
//! modification time) is inside it, checked by `ingest::codec::decode` with the codec's version.
//!
//! A pack is `MAGIC`, then records `[name length: u32 LE][name][result length: u32 LE][result]`.
//! It is written through a writable stream, which writes a side file and swaps it in on close:
//! a reader never sees half a pack, and a load cancelled half way leaves the old one.

use super::io::{js_text, scope};
use js_sys::{Reflect, Uint8Array};
use std::collections::HashMap;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, FileSystemDirectoryHandle, FileSystemFileHandle, FileSystemGetDirectoryOptions, FileSystemGetFileOptions};
use web_sys::{FileSystemRemoveOptions, FileSystemWritableFileStream};

/// The folder of the origin-private file system that holds the packs, and nothing else. (The
/// per-log files of the builds before packs were in `agent-ledger-results`; Forget removes it too.)
const FOLDER: &str = "agent-ledger-packs";
const OLD_FOLDER: &str = "agent-ledger-results";

const MAGIC: &[u8; 5] = b"ALPK1";

/// What a log's result is stored for: its path, size and modification time (ms).
pub fn key(name: &str, file: &File) -> String {
    format!("{name}\n{}\n{}", file.size() as u64, file.last_modified() as i64)
}

/// The pack of a load whose files are `names`: FNV-1a of its folders, sorted.
fn pack_name<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut roots: Vec<&str> = names.map(|n| n.split_once('/').map_or("", |(root, _)| root)).collect();
    roots.sort_unstable();
    roots.dedup();
    let h = roots.join("\n").bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3));
    format!("{h:016x}.pack")
}

async fn root() -> Result<FileSystemDirectoryHandle, String> {
    let storage = scope().navigator().storage();
    let dir = JsFuture::from(storage.get_directory()).await.map_err(js_text)?;
    Ok(dir.unchecked_into())
}

/// Where a load's results are kept.
#[derive(Clone)]
pub struct Store {
    dir: FileSystemDirectoryHandle,
    pack: String,
}

/// A pack read back: its bytes (in the worker's JS memory, not its wasm memory, which never
/// shrinks) and where each log's record and result are.
pub struct Pack {
    bytes: Uint8Array,
    /// Name → (record start, result start, record end).
    at: HashMap<String, (u32, u32, u32)>,
}

impl Pack {
    /// Where the records of `bytes` are, up to the first one that does not fit (none, when they
    /// are not a pack). Each length is checked against the end before it is used: a damaged pack
    /// loses its tail, never panics.
    fn index(bytes: Uint8Array) -> Pack {
        let len = bytes.length();
        let mut at = HashMap::new();
        let u32_at = |i: u32| -> Option<u32> {
            if i.checked_add(4)? > len {
                return None;
            }
            let mut b = [0u8; 4];
            bytes.subarray(i, i + 4).copy_to(&mut b);
            Some(u32::from_le_bytes(b))
        };
        let mut magic = [0u8; 5];
        if len >= 5 {
            bytes.subarray(0, 5).copy_to(&mut magic);
        }
        let mut i = if &magic == MAGIC { 5 } else { len };
        while i < len {
            let Some(name_len) = u32_at(i) else { break };
            let Some(name_end) = (i + 4).checked_add(name_len).filter(|&e| e <= len) else { break };
            let Some(result_len) = u32_at(name_end) else { break };
            let Some(end) = (name_end + 4).checked_add(result_len).filter(|&e| e <= len) else { break };
            let Ok(name) = String::from_utf8(bytes.subarray(i + 4, name_end).to_vec()) else { break };
            at.insert(name, (i, name_end + 4, end));
            i = end;
        }
        Pack { bytes, at }
    }

    /// How many results it holds.
    pub fn len(&self) -> usize {
        self.at.len()
    }

    /// The stored result of the log at `name`, copied into wasm memory, if the pack has one.
    pub fn result(&self, name: &str) -> Option<Vec<u8>> {
        let &(_, start, end) = self.at.get(name)?;
        Some(self.bytes.subarray(start, end).to_vec())
    }
}

impl Store {
    /// The store of a load of the files named `names`.
    pub async fn open<'a>(names: impl Iterator<Item = &'a str>) -> Result<Store, String> {
        let opts = FileSystemGetDirectoryOptions::new();
        opts.set_create(true);
        let dir = JsFuture::from(root().await?.get_directory_handle_with_options(FOLDER, &opts)).await.map_err(js_text)?;
        Ok(Store { dir: dir.unchecked_into(), pack: pack_name(names) })
    }

    /// The load's pack, read whole in one read, if there is one.
    pub async fn read(&self) -> Option<Pack> {
        let handle: FileSystemFileHandle = JsFuture::from(self.dir.get_file_handle(&self.pack)).await.ok()?.unchecked_into();
        let file: File = JsFuture::from(handle.get_file()).await.ok()?.unchecked_into();
        let buffer = JsFuture::from(file.array_buffer()).await.ok()?;
        Some(Pack::index(Uint8Array::new(&buffer)))
    }

    /// Start writing the load's pack anew; it replaces the old one when [`PackWriter::finish`]
    /// closes it.
    pub async fn write(&self) -> Result<PackWriter, String> {
        let opts = FileSystemGetFileOptions::new();
        opts.set_create(true);
        let handle: FileSystemFileHandle =
            JsFuture::from(self.dir.get_file_handle_with_options(&self.pack, &opts)).await.map_err(js_text)?.unchecked_into();
        let stream: FileSystemWritableFileStream = JsFuture::from(handle.create_writable()).await.map_err(js_text)?.unchecked_into();
        let mut writer = PackWriter { stream: Some(stream), chunk: Vec::new(), kept: None };
        writer.chunk.extend_from_slice(MAGIC);
        Ok(writer)
    }
}

/// A pack being written. New results are gathered into chunks of [`CHUNK`] bytes before they are
/// queued on the stream, and records kept from the old pack that lie next to each other there
/// are queued as one view: each write is a round trip to the browser's storage, and 3,100
/// records written one by one kept a cold load waiting 2 s for its pack at the end.
pub struct PackWriter {
    stream: Option<FileSystemWritableFileStream>,
    chunk: Vec<u8>,
    /// The old pack's bytes from `.1` to `.2` (records kept, next to each other), not yet queued.
    kept: Option<(Uint8Array, u32, u32)>,
}

/// The bytes of new results gathered before a write.
const CHUNK: usize = 4 << 20;

impl PackWriter {
    fn put(&self, bytes: &Uint8Array) {
        if let Some(stream) = &self.stream {
            // The write's outcome is the stream's: a failed write fails the close, and the old
            // pack stays.
            let _ = stream.write_with_js_u8_array(bytes);
        }
    }

    /// Queue what is gathered, in order.
    fn flush(&mut self) {
        if let Some((bytes, start, end)) = self.kept.take() {
            self.put(&bytes.subarray(start, end));
        }
        if !self.chunk.is_empty() {
            self.put(&Uint8Array::from(&self.chunk[..]));
            self.chunk.clear();
        }
    }

    /// A newly parsed log's result.
    pub fn result(&mut self, name: &str, result: &[u8]) {
        if let Some((bytes, start, end)) = self.kept.take() {
            self.put(&bytes.subarray(start, end));
        }
        self.chunk.extend_from_slice(&(name.len() as u32).to_le_bytes());
        self.chunk.extend_from_slice(name.as_bytes());
        self.chunk.extend_from_slice(&(result.len() as u32).to_le_bytes());
        self.chunk.extend_from_slice(result);
        if self.chunk.len() >= CHUNK {
            self.flush();
        }
    }

    /// A log's record as the old pack has it.
    pub fn kept(&mut self, old: &Pack, name: &str) {
        let Some(&(start, _, end)) = old.at.get(name) else { return };
        match &mut self.kept {
            Some((_, _, kept_end)) if *kept_end == start => *kept_end = end,
            _ => {
                self.flush();
                self.kept = Some((old.bytes.clone(), start, end));
            }
        }
    }

    /// Close the stream: the new pack replaces the old one once every record is written.
    pub async fn finish(mut self) {
        self.flush();
        if let Some(stream) = self.stream.take() {
            // A failed write or close (the quota, a private window) only means these files are
            // parsed again next time.
            let _ = JsFuture::from(stream.close()).await;
        }
    }
}

impl Drop for PackWriter {
    /// A load that stops half way (cancelled, superseded) leaves the old pack as it was.
    fn drop(&mut self) {
        if let Some(stream) = self.stream.take() {
            let _ = stream.abort();
        }
    }
}

/// Delete every stored result; how many results and bytes that freed.
pub async fn forget() -> Result<(u64, u64), String> {
    let root = root().await?;
    let (mut results, mut bytes) = (0u64, 0u64);
    for folder in [FOLDER, OLD_FOLDER] {
        let Ok(dir) = JsFuture::from(root.get_directory_handle(folder)).await else { continue };
        let dir: FileSystemDirectoryHandle = dir.unchecked_into();
        let entries = dir.values();
        loop {
            let step = JsFuture::from(entries.next().map_err(js_text)?).await.map_err(js_text)?;
            if Reflect::get(&step, &"done".into()).ok().is_some_and(|d| d.is_truthy()) {
                break;
            }
            let handle = Reflect::get(&step, &"value".into()).map_err(js_text)?;
            let Ok(handle) = handle.dyn_into::<FileSystemFileHandle>() else { continue };
            let Ok(file) = JsFuture::from(handle.get_file()).await else { continue };
            let file: File = file.unchecked_into();
            bytes += file.size() as u64;
            results += match folder {
                FOLDER => match JsFuture::from(file.array_buffer()).await {
                    Ok(buffer) => Pack::index(Uint8Array::new(&buffer)).len() as u64,
                    Err(_) => 0,
                },
                _ => 1,
            };
        }
        let opts = FileSystemRemoveOptions::new();
        opts.set_recursive(true);
        JsFuture::from(root.remove_entry_with_options(folder, &opts)).await.map_err(js_text)?;
    }
    Ok((results, bytes))
}
