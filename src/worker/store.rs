//! Parsed results kept on this device (opt-in, "Keep parsed results on this device"): one file
//! per log in the origin-private file system (OPFS, `navigator.storage.getDirectory()`), which a
//! worker reads and writes without the main thread, and which no other site and no page but this
//! one can see. The file's name is a hash of the log's path, so a log that changed replaces its
//! old result instead of leaving it behind; what the result was made from (path, size,
//! modification time) is inside it, checked by `ingest::codec::decode` with the codec's version.

use super::io::{js_text, scope};
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, FileSystemDirectoryHandle, FileSystemFileHandle, FileSystemGetDirectoryOptions, FileSystemGetFileOptions};
use web_sys::{FileSystemRemoveOptions, FileSystemWritableFileStream};

/// The folder of the origin-private file system that holds the results, and nothing else.
const FOLDER: &str = "agent-ledger-results";

/// What a log's result is stored for: its path, size and modification time (ms).
pub fn key(name: &str, file: &File) -> String {
    format!("{name}\n{}\n{}", file.size() as u64, file.last_modified() as i64)
}

/// The stored file of a log: FNV-1a of its path (not of the whole key: see the module).
fn file_name(name: &str) -> String {
    let h = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3));
    format!("{h:016x}.part")
}

async fn root() -> Result<FileSystemDirectoryHandle, String> {
    let storage = scope().navigator().storage();
    let dir = JsFuture::from(storage.get_directory()).await.map_err(js_text)?;
    Ok(dir.unchecked_into())
}

#[derive(Clone)]
pub struct Store {
    dir: FileSystemDirectoryHandle,
}

impl Store {
    pub async fn open() -> Result<Store, String> {
        let opts = FileSystemGetDirectoryOptions::new();
        opts.set_create(true);
        let dir = JsFuture::from(root().await?.get_directory_handle_with_options(FOLDER, &opts)).await.map_err(js_text)?;
        Ok(Store { dir: dir.unchecked_into() })
    }

    /// The stored bytes of the log at `name`, if any (their key is checked by the decoder), as
    /// the browser hands them over: copied into wasm memory once, by the caller.
    pub async fn get(&self, name: &str) -> Option<Uint8Array> {
        let handle: FileSystemFileHandle = JsFuture::from(self.dir.get_file_handle(&file_name(name))).await.ok()?.unchecked_into();
        let file: File = JsFuture::from(handle.get_file()).await.ok()?.unchecked_into();
        let buffer = JsFuture::from(file.array_buffer()).await.ok()?;
        Some(Uint8Array::new(&buffer))
    }

    /// Keep `bytes` as the result of the log at `name`. A write that fails (the quota, a private
    /// window) costs only a parse next time.
    pub async fn put(&self, name: &str, bytes: Vec<u8>) -> Result<(), String> {
        let opts = FileSystemGetFileOptions::new();
        opts.set_create(true);
        let handle: FileSystemFileHandle =
            JsFuture::from(self.dir.get_file_handle_with_options(&file_name(name), &opts)).await.map_err(js_text)?.unchecked_into();
        // A writable stream writes to a side file and swaps it in on close: a reader never sees
        // half a result.
        let stream: FileSystemWritableFileStream = JsFuture::from(handle.create_writable()).await.map_err(js_text)?.unchecked_into();
        JsFuture::from(stream.write_with_u8_array(&bytes).map_err(js_text)?).await.map_err(js_text)?;
        JsFuture::from(stream.close()).await.map_err(js_text)?;
        Ok(())
    }
}

/// Delete every stored result; how many files and bytes that freed.
pub async fn forget() -> Result<(u64, u64), String> {
    let root = root().await?;
    let Ok(dir) = JsFuture::from(root.get_directory_handle(FOLDER)).await else {
        return Ok((0, 0));
    };
    let dir: FileSystemDirectoryHandle = dir.unchecked_into();
    let (mut files, mut bytes) = (0u64, 0u64);
    let entries = dir.values();
    loop {
        let step = JsFuture::from(entries.next().map_err(js_text)?).await.map_err(js_text)?;
        if Reflect::get(&step, &"done".into()).ok().is_some_and(|d| d.is_truthy()) {
            break;
        }
        let handle = Reflect::get(&step, &"value".into()).map_err(js_text)?;
        if let Ok(handle) = handle.dyn_into::<FileSystemFileHandle>()
            && let Ok(file) = JsFuture::from(handle.get_file()).await
        {
            files += 1;
            bytes += file.unchecked_into::<File>().size() as u64;
        }
    }
    let opts = FileSystemRemoveOptions::new();
    opts.set_recursive(true);
    JsFuture::from(root.remove_entry_with_options(FOLDER, &opts)).await.map_err(js_text)?;
    Ok((files, bytes))
}
