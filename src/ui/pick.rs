//! What a person hands the page: the file and folder inputs, and files and whole folders dropped
//! anywhere (walked recursively). Each file gets the name it is reported under; reading is
//! [`super::load`]'s job.

use js_sys::{Array, Function, Promise};
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
