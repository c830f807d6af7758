//! A folder opened with `showDirectoryPicker` (Chromium-based browsers), so that Refresh can read
//! it again, after a reload too, without picking it again: its handle is kept in IndexedDB (the
//! one place a browser keeps such a handle). Where the picker does not exist, neither do the
//! buttons. Files are named as the folder input names them (`folder/sub/file.jsonl`), so results
//! kept on this device serve either way of opening a folder.

use super::pick::Picked;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, FileSystemDirectoryHandle, FileSystemFileHandle, FileSystemHandleKind, IdbDatabase, IdbRequest};
use web_sys::{IdbTransactionMode, window};

const DB: &str = "agent-ledger";
const STORE: &str = "handles";
const KEY: &str = "folder";

/// Whether this browser offers folder handles.
pub fn supported() -> bool {
    window().is_some_and(|w| Reflect::get(&w, &"showDirectoryPicker".into()).ok().is_some_and(|f| f.is_function()))
}

fn err(v: JsValue) -> String {
    let field = |name: &str| Reflect::get(&v, &JsValue::from_str(name)).ok().and_then(|f| f.as_string());
    match (field("name"), field("message")) {
        (Some(name), Some(message)) => format!("{name}: {message}"),
        _ => v.as_string().unwrap_or_else(|| "unknown error".into()),
    }
}

/// Ask for a folder, keep its handle, and list its files. `Ok(None)`: the person cancelled.
pub async fn pick() -> Result<Option<Vec<Picked>>, String> {
    let w = window().ok_or("no window")?;
    let picker: Function = Reflect::get(&w, &"showDirectoryPicker".into()).map_err(err)?.unchecked_into();
    let opts = Object::new();
    let _ = Reflect::set(&opts, &"mode".into(), &"read".into());
    let promise: Promise = picker.call1(&w, &opts).map_err(err)?.unchecked_into();
    let handle: FileSystemDirectoryHandle = match JsFuture::from(promise).await {
        Ok(h) => h.unchecked_into(),
        Err(e) if err(e.clone()).starts_with("AbortError") => return Ok(None),
        Err(e) => return Err(err(e)),
    };
    // Not kept (a private window, storage refused): Refresh then works until the page reloads.
    if let Err(e) = put_handle(&handle).await {
        web_sys::console::warn_1(&format!("the folder handle could not be kept: {e}").into());
    }
    LAST.with(|l| *l.borrow_mut() = Some(handle.clone()));
    walk(&handle).await.map(Some)
}

thread_local! {
    /// The folder of this page's life, in case IndexedDB would not keep it.
    static LAST: std::cell::RefCell<Option<FileSystemDirectoryHandle>> = const { std::cell::RefCell::new(None) };
}

/// Whether a folder was opened before (this page's life or an earlier one).
pub async fn has_folder() -> bool {
    LAST.with(|l| l.borrow().is_some()) || get_handle().await.ok().flatten().is_some()
}

/// The files of the folder opened last, read again now (new sessions included).
pub async fn refresh() -> Result<Vec<Picked>, String> {
    let kept = LAST.with(|l| l.borrow().clone());
    let handle = match kept {
        Some(h) => h,
        None => get_handle().await?.ok_or("no folder was opened yet")?,
    };
    // After a reload the browser asks again before a kept handle can be read (the click on
    // Refresh is the gesture it needs).
    let opts = Object::new();
    let _ = Reflect::set(&opts, &"mode".into(), &"read".into());
    if let Ok(ask) = Reflect::get(&handle, &"requestPermission".into())
        && let Ok(ask) = ask.dyn_into::<Function>()
        && let Ok(p) = ask.call1(&handle, &opts)
    {
        let state = JsFuture::from(Promise::from(p)).await.map_err(err)?;
        if state.as_string().as_deref() != Some("granted") {
            return Err(format!("reading {} was not allowed", handle.name()));
        }
    }
    walk(&handle).await
}

/// Every file under `root`, named `root/sub/file`, sorted by name.
async fn walk(root: &FileSystemDirectoryHandle) -> Result<Vec<Picked>, String> {
    let mut out = Vec::new();
    let mut stack = vec![(root.name(), root.clone())];
    while let Some((prefix, dir)) = stack.pop() {
        let entries = dir.values();
        loop {
            let step = JsFuture::from(entries.next().map_err(err)?).await.map_err(err)?;
            if Reflect::get(&step, &"done".into()).ok().is_some_and(|d| d.is_truthy()) {
                break;
            }
            let value = Reflect::get(&step, &"value".into()).map_err(err)?;
            let handle: web_sys::FileSystemHandle = value.unchecked_into();
            let name = format!("{prefix}/{}", handle.name());
            match handle.kind() {
                FileSystemHandleKind::File => {
                    let fh: FileSystemFileHandle = handle.unchecked_into();
                    // A file that vanished since the listing is left out, as the folder input does.
                    if let Ok(file) = JsFuture::from(fh.get_file()).await {
                        out.push(Picked { name, file: file.unchecked_into::<File>() });
                    }
                }
                FileSystemHandleKind::Directory => stack.push((name, handle.unchecked_into())),
                _ => {}
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Await an IndexedDB request.
async fn done(req: &IdbRequest) -> Result<JsValue, String> {
    let promise = Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |_: JsValue| resolve.call0(&JsValue::NULL));
        let bad = Closure::once_into_js(move |e: JsValue| reject.call1(&JsValue::NULL, &e));
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(bad.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(err)?;
    req.result().map_err(err)
}

async fn open_db() -> Result<IdbDatabase, String> {
    let idb = window().ok_or("no window")?.indexed_db().map_err(err)?.ok_or("no IndexedDB")?;
    let req = idb.open_with_u32(DB, 1).map_err(err)?;
    // The first open makes the store (the only version there is).
    let upgrade = Closure::once_into_js(move |ev: web_sys::Event| {
        if let Some(db) = ev.target().and_then(|t| t.dyn_into::<IdbRequest>().ok()).and_then(|r| r.result().ok()) {
            let _ = db.unchecked_into::<IdbDatabase>().create_object_store(STORE);
        }
    });
    req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    Ok(done(&req).await?.unchecked_into())
}

async fn put_handle(handle: &FileSystemDirectoryHandle) -> Result<(), String> {
    let db = open_db().await?;
    let tx = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite).map_err(err)?;
    let req = tx.object_store(STORE).map_err(err)?.put_with_key(handle, &KEY.into()).map_err(err)?;
    done(&req).await.map(|_| ())
}

async fn get_handle() -> Result<Option<FileSystemDirectoryHandle>, String> {
    let db = open_db().await?;
    let tx = db.transaction_with_str(STORE).map_err(err)?;
    let req = tx.object_store(STORE).map_err(err)?.get(&KEY.into()).map_err(err)?;
    let v = done(&req).await?;
    Ok((!v.is_undefined() && !v.is_null()).then(|| v.unchecked_into()))
}
