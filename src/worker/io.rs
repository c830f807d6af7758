//! What the worker holds and how it talks: the held engine and files, answers and progress
//! posted to the page, and slices read from a `File`.

use super::command::Progress;
use crate::query::{Engine, Settings};
use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, File};

/// What the worker holds: the engine over the loaded files, and the files themselves (to read
/// raw lines back from), or the sample's bytes.
#[derive(Default)]
pub struct Held {
    pub engine: Option<Engine>,
    pub files: Vec<(String, File)>,
    pub sample: Vec<(String, Vec<u8>)>,
    pub settings: Settings,
}

pub type Shared = Rc<RefCell<Held>>;

pub fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Start another worker of this binary (the zip's second worker, a parse worker), named `name`.
/// The served page's workers load it from its loader beside the page. The single file opened from
/// disk has no such file: its boot defines `self.agentLedgerWorker` in the engine's worker, which
/// starts one from a Blob URL of the worker's own script text and hands it its wasm as bytes
/// (`scripts/single_file.py`; the page's Blob URL is refused to a worker of a `file://` page).
pub fn new_sibling(name: &str) -> Result<web_sys::Worker, String> {
    let factory = Reflect::get(&js_sys::global(), &"agentLedgerWorker".into()).unwrap_or(JsValue::UNDEFINED);
    let worker = match factory.dyn_into::<js_sys::Function>() {
        Ok(factory) => factory.call1(&JsValue::NULL, &name.into()).and_then(|w| w.dyn_into::<web_sys::Worker>()),
        Err(_) => {
            let options = web_sys::WorkerOptions::new();
            options.set_name(name);
            web_sys::Worker::new_with_options("./agent-ledger-worker_loader.js", &options)
        }
    };
    worker.map_err(js_text)
}

/// Post `{id, res}`.
pub fn reply(id: f64, res: &impl serde::Serialize) {
    post(id, res, None);
}

/// Post `{id, res, bytes}`, the bytes copied into a buffer that is transferred: data for
/// another worker (the tables for the SQL console, a query's result as CSV), which reads them.
pub fn reply_bytes(id: f64, res: &impl serde::Serialize, bytes: Option<Vec<u8>>) {
    let msg = message(id, res);
    let transfer = Array::new();
    if let Some(bytes) = bytes {
        let buffer = Uint8Array::from(&bytes[..]).buffer();
        let _ = Reflect::set(&msg, &"bytes".into(), &buffer);
        transfer.push(&buffer);
    }
    let _ = scope().post_message_with_transfer(&msg, &transfer);
}

/// Post `{id, res, blob}`: a file made here. The Blob is made here, from a view of the bytes in
/// the worker's memory, which the Blob copies into the browser's blob storage: the bytes are
/// never copied into a buffer of the page's (the zip's 177 MB on the real-world profile were
/// copied twice before: into one transferred buffer, then into a Blob on the main thread, which
/// was blocked 110 ms by the database's 346 MB). Posting a Blob copies no bytes. The long
/// downloads make their Blobs in pieces as they are built (`super::download`).
pub fn reply_file(id: f64, res: &impl serde::Serialize, bytes: &[u8], mime: &str) {
    reply_blob(id, res, blob_of(&[Piece::Bytes(bytes)], mime));
}

/// Post `{id, res, blob}`, or the error the Blob could not be made with.
pub fn reply_blob(id: f64, res: &impl serde::Serialize, blob: Result<web_sys::Blob, JsValue>) {
    match blob {
        Ok(blob) => post(id, res, Some(blob)),
        Err(e) => post(id, &crate::query::Response::Error { message: format!("the file could not be handed over: {}", js_text(e)) }, None),
    }
}

/// What a Blob is made of: bytes of the worker's memory, or a Blob made before (which the new
/// one refers to, without copying it).
pub enum Piece<'a> {
    Bytes(&'a [u8]),
    Blob(&'a web_sys::Blob),
}

/// One Blob of `pieces` in order, of type `mime`. The bytes are copied by the Blob constructor
/// straight from the worker's memory.
pub fn blob_of(pieces: &[Piece], mime: &str) -> Result<web_sys::Blob, JsValue> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let items = Array::new();
    for piece in pieces {
        match piece {
            Piece::Bytes(bytes) => {
                // SAFETY: the views are read by the Blob constructor just below, before anything
                // can allocate in (and so grow or move) the wasm memory; nothing here allocates.
                let view = unsafe { Uint8Array::view(bytes) };
                items.push(&view);
            }
            Piece::Blob(blob) => {
                items.push(blob);
            }
        }
    }
    web_sys::Blob::new_with_blob_sequence_and_options(&items, &options)
}

fn message(id: f64, res: &impl serde::Serialize) -> Object {
    let msg = Object::new();
    let json = serde_json::to_string(res).unwrap_or_else(|e| format!("{{\"kind\":\"error\",\"message\":\"{e}\"}}"));
    let _ = Reflect::set(&msg, &"id".into(), &id.into());
    let _ = Reflect::set(&msg, &"res".into(), &json.into());
    msg
}

fn post(id: f64, res: &impl serde::Serialize, blob: Option<web_sys::Blob>) {
    let msg = message(id, res);
    if let Some(blob) = blob {
        let _ = Reflect::set(&msg, &"blob".into(), &blob);
    }
    let _ = scope().post_message(&msg);
}

pub fn post_progress(p: &Progress) {
    let msg = Object::new();
    let _ = Reflect::set(&msg, &"progress".into(), &serde_json::to_string(p).unwrap_or_default().into());
    let _ = scope().post_message(&msg);
}

/// Start reading bytes `start..end` of `file`. A whole file is read as it is, not as a slice of
/// itself: `slice()` makes a new Blob, which Chromium registers with its browser process, and
/// that, not the bytes, is most of what a read of a small file costs the asking thread (measured
/// on the real-world profile's 3,100 files: 1.0–1.3 s of a worker's time asking for slices,
/// 0.3 s asking for whole files; reading them all took 2.6–3.0 s against 1.8–2.0 s).
pub fn read_slice(file: &File, start: u64, end: u64) -> JsFuture {
    if start == 0 && end as f64 >= file.size() {
        return JsFuture::from(file.array_buffer());
    }
    match file.slice_with_f64_and_f64(start as f64, end as f64) {
        Ok(blob) => JsFuture::from(blob.array_buffer()),
        Err(e) => JsFuture::from(Promise::reject(&e)),
    }
}

/// What went wrong, in words: a `DOMException` as `NotReadableError: <message>`.
pub fn js_text(v: JsValue) -> String {
    let field = |name: &str| js_sys::Reflect::get(&v, &JsValue::from_str(name)).ok().and_then(|f| f.as_string());
    match (field("name"), field("message")) {
        (Some(name), Some(message)) => format!("{name}: {message}"),
        _ => v.as_string().unwrap_or_else(|| "unknown error".into()),
    }
}
