//! The parse worker's side of the pool ([`super::pool`]): the same worker binary, started by the
//! engine worker, is handed one whole file at a time (`{parse: name, file}`), reads it in slices
//! with an `Ingest` of its own, and posts back the file's encoded part (`ingest::codec`) as a
//! transferred `ArrayBuffer` (`{parsed: bytes}`): no rows cross as JSON, and the engine can keep
//! the same bytes on this device without encoding them again.

use super::io::{js_text, read_slice, scope};
use super::store::key;
use crate::ingest::{Ingest, SLICE_BYTES, codec};
use js_sys::{Array, Object, Reflect, Uint8Array};
use std::collections::VecDeque;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::File;

/// Slices of the file read ahead: a few keep the browser busy while this worker parses, and the
/// other workers read too.
const READ_AHEAD: usize = 4;

/// Parse the file of a `{parse, file}` message and post its encoded part.
pub fn handle(data: &JsValue, name: String) {
    let Ok(file) = Reflect::get(data, &"file".into()).and_then(|f| f.dyn_into::<File>().map_err(JsValue::from)) else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let bytes = parse(&name, &file).await;
        let array = Uint8Array::new_with_length(bytes.len() as u32);
        array.copy_from(&bytes);
        let buffer = array.buffer();
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"parsed".into(), &buffer);
        let _ = scope().post_message_with_transfer(&msg, &Array::of1(&buffer));
    });
}

async fn parse(name: &str, file: &File) -> Vec<u8> {
    // Only in debug builds (the browser tests' build): a file named so makes this worker die, to
    // show that the engine reports the file and goes on.
    if cfg!(debug_assertions) && name.ends_with("agent-ledger-test-panic.jsonl") {
        panic!("a parse worker died on {name} (test hook)");
    }
    let size = file.size() as u64;
    let mut ingest = Ingest::new();
    let id = ingest.begin_file(name.to_string(), size);
    let mut plan = (0..size.div_ceil(SLICE_BYTES as u64)).map(|k| (k * SLICE_BYTES as u64, ((k + 1) * SLICE_BYTES as u64).min(size)));
    let mut in_flight = VecDeque::with_capacity(READ_AHEAD);
    let mut slice = Vec::with_capacity(SLICE_BYTES.min(size as usize));
    loop {
        while in_flight.len() < READ_AHEAD {
            let Some((start, end)) = plan.next() else { break };
            in_flight.push_back(read_slice(file, start, end));
        }
        let Some(read) = in_flight.pop_front() else { break };
        match read.await {
            Ok(buffer) => {
                let array = Uint8Array::new(&buffer);
                slice.resize(array.length() as usize, 0);
                array.copy_to(&mut slice);
                ingest.feed(id, &slice);
            }
            // One unreadable file stops only itself; its row says why.
            Err(e) => {
                ingest.abandon_file(id, &js_text(e));
                break;
            }
        }
    }
    codec::encode(&key(name, file), &ingest.into_part())
}
