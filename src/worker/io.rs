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

/// Post `{id, res}` (and `bytes`, transferred).
pub fn reply(id: f64, res: &impl serde::Serialize, bytes: Option<Vec<u8>>) {
    reply_parts(id, res, bytes.map(|b| vec![b]));
}

/// [`reply`] with the bytes in parts (the zip's chunks), copied into one buffer for the page
/// part by part, each dropped once copied: the worker never holds them joined.
pub fn reply_parts(id: f64, res: &impl serde::Serialize, parts: Option<Vec<Vec<u8>>>) {
    let msg = Object::new();
    let json = serde_json::to_string(res).unwrap_or_else(|e| format!("{{\"kind\":\"error\",\"message\":\"{e}\"}}"));
    let _ = Reflect::set(&msg, &"id".into(), &id.into());
    let _ = Reflect::set(&msg, &"res".into(), &json.into());
    let transfer = Array::new();
    if let Some(parts) = parts {
        let array = Uint8Array::new_with_length(parts.iter().map(Vec::len).sum::<usize>() as u32);
        let mut at = 0u32;
        for part in parts {
            let end = at + part.len() as u32;
            array.subarray(at, end).copy_from(&part);
            at = end;
        }
        let buffer = array.buffer();
        let _ = Reflect::set(&msg, &"bytes".into(), &buffer);
        transfer.push(&buffer);
    }
    let _ = scope().post_message_with_transfer(&msg, &transfer);
}

pub fn post_progress(p: &Progress) {
    let msg = Object::new();
    let _ = Reflect::set(&msg, &"progress".into(), &serde_json::to_string(p).unwrap_or_default().into());
    let _ = scope().post_message(&msg);
}

/// Start reading bytes `start..end` of `file`.
pub fn read_slice(file: &File, start: u64, end: u64) -> JsFuture {
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
