//! The second worker's side of the zip (`super::deflate_client` is the engine's): the same worker
//! binary, started by the engine worker for one zip, is sent the entries' bytes as
//! [`Op`]s and compresses them into the archive (`export::relay`), and writes the Parquet files
//! from their row groups' columns, while the engine builds the next ones.
//!
//! Messages in, in order: `{deflate: "start", at}` (answered `{started: true, onDisk}` once the
//! archive's file is open: nothing is sent before), then `{deflate: "begin", entry, name}`,
//! `{deflate: "write" | "afterHead" | "endDatabase", entry, bytes: ArrayBuffer, len}` (the first
//! `len` bytes of the buffer) and `{deflate: "end", entry}`; the Parquet files' `{deflate:
//! "parquetBegin" | "parquetRows", entry: file, bytes, len}` and `{deflate: "parquetEnd" |
//! "parquetEntry", entry: file}`; and last `{deflate: "finish"}`.
//! Out: `{acked: n, buffer}` after each message with bytes (`n` the bytes taken so far, which the
//! engine keeps a bound on; the buffer given back, to be filled again), then
//! `{zipped: Blob, len}`, or `{failed: why}` once and nothing after.

use super::io::scope;
use super::spill::Keeper;
use super::zip_blob::Blobs;
use crate::export::relay::{self, Op};
use crate::export::replay::Replay;
use js_sys::{Array, Object, Reflect, Uint8Array};
use std::cell::RefCell;
use wasm_bindgen::JsValue;

/// The archive being made.
struct Zip {
    replay: Replay,
    blobs: Blobs,
    /// The last message's bytes, copied out of its buffer (kept, so that its room is reused).
    bytes: Vec<u8>,
    taken: f64,
}

thread_local! {
    static ZIP: RefCell<Option<Zip>> = const { RefCell::new(None) };
}

/// Handle a `{deflate}` message.
pub fn handle(data: &JsValue, what: &str) {
    let field = |name: &str| Reflect::get(data, &name.into()).unwrap_or(JsValue::UNDEFINED);
    if what == "start" {
        let at = field("at").as_f64().map(|ms| ms as i64);
        // The engine sends no entry before `started`: the file the archive goes into is opened
        // first (`super::spill`).
        wasm_bindgen_futures::spawn_local(async move {
            let keeper = Keeper::open(crate::export::MIME_ZIP).await;
            let on_disk = keeper.on_disk();
            let (bundle, blobs) = Blobs::handing(at, keeper);
            let zip = Zip { replay: Replay::new(bundle), blobs, bytes: Vec::new(), taken: 0.0 };
            ZIP.with(|z| *z.borrow_mut() = Some(zip));
            let msg = Object::new();
            let _ = Reflect::set(&msg, &"started".into(), &true.into());
            let _ = Reflect::set(&msg, &"onDisk".into(), &on_disk.into());
            let _ = scope().post_message(&msg);
        });
        return;
    }
    let Some(mut zip) = ZIP.with(|z| z.borrow_mut().take()) else { return };
    if what == "finish" {
        wasm_bindgen_futures::spawn_local(async move {
            let (len, blob) = zip.blobs.finish(zip.replay.into_bundle()).await;
            let msg = Object::new();
            match blob {
                Ok(blob) => {
                    let _ = Reflect::set(&msg, &"zipped".into(), &blob);
                    let _ = Reflect::set(&msg, &"len".into(), &(len as f64).into());
                }
                Err(e) => {
                    let _ = Reflect::set(&msg, &"failed".into(), &super::io::js_text(e).into());
                }
            }
            let _ = scope().post_message(&msg);
        });
        return;
    }
    let entry = field("entry").as_f64().unwrap_or(-1.0) as u32;
    let bytes = field("bytes");
    if !bytes.is_undefined() {
        let len = field("len").as_f64().unwrap_or(0.0) as u32;
        let array = Uint8Array::new_with_byte_offset_and_length(&bytes, 0, len);
        zip.bytes.resize(array.length() as usize, 0);
        array.copy_to(&mut zip.bytes);
        zip.taken += zip.bytes.len() as f64;
    }
    let name = field("name").as_string().and_then(|n| relay::file_name(&n));
    let op = match (what, name) {
        ("begin", Some(name)) => Op::Begin { entry, name },
        ("write", _) => Op::Write { entry, bytes: &zip.bytes },
        ("afterHead", _) => Op::AfterHead { entry, bytes: &zip.bytes },
        ("endDatabase", _) => Op::EndDatabase { entry, head: &zip.bytes },
        ("end", _) => Op::End { entry },
        ("parquetBegin", _) => Op::ParquetBegin { file: entry, head: &zip.bytes },
        ("parquetRows", _) => Op::ParquetRows { file: entry, bytes: &zip.bytes },
        ("parquetEnd", _) => Op::ParquetEnd { file: entry },
        ("parquetEntry", _) => Op::ParquetEntry { file: entry },
        _ => return fail(&format!("an unknown step of the zip: {what}")),
    };
    if let Some(ending) = op.ends() {
        zip.blobs.ending(ending);
    }
    if let Err(e) = zip.replay.apply(op) {
        return fail(&e.to_string());
    }
    // What an open entry has compressed so far is kept now (on disk, or in a Blob), not at its
    // end (the database's entry is open beside every CSV's, a Parquet file's from its first row
    // group until its turn).
    if let Some(filled) = op.fills() {
        zip.blobs.take(filled, zip.replay.take_full(filled));
    }
    if !bytes.is_undefined() {
        // The buffer goes back to be filled again: a new one for every message would leave
        // hundreds of megabytes to the garbage collector's timing.
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"acked".into(), &zip.taken.into());
        let _ = Reflect::set(&msg, &"buffer".into(), &bytes);
        let _ = scope().post_message_with_transfer(&msg, &Array::of1(&bytes));
    }
    ZIP.with(|z| *z.borrow_mut() = Some(zip));
}

/// Give up on the archive (dropped) and say why; the messages after are ignored.
fn fail(why: &str) {
    let msg = Object::new();
    let _ = Reflect::set(&msg, &"failed".into(), &why.into());
    let _ = scope().post_message(&msg);
}
