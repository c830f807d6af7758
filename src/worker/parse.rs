//! The parse worker's side of the pool ([`super::pool`]): the same worker binary, started by the
//! engine worker, is handed whole files (`{parse: name, file, job}`), parses them one after the
//! other with an `Ingest` of their own, and posts back each file's encoded part
//! (`ingest::codec`) as a transferred `ArrayBuffer` (`{parsed: bytes, job}`), in the order they
//! were handed: no rows cross as JSON, and the engine can keep the same bytes on this device
//! without encoding them again. Each slice parsed is told (`{read: bytes, job}`), so that a big
//! file's progress moves while it is parsed, not only when it ends.
//!
//! A file handed while another is being parsed waits in a queue with its first slice already
//! asked for: most logs are one small read, and a read asked for only when the file's turn came
//! would leave this worker idle for the browser's round trip, once per file.

use super::io::{js_text, read_slice, scope};
use super::store::key;
use crate::ingest::{Ingest, SLICE_BYTES, codec};
use js_sys::{Array, Object, Reflect, Uint8Array};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

/// Slices of the file read ahead: a few keep the browser busy while this worker parses, and the
/// other workers read too.
const READ_AHEAD: usize = 4;

/// A file handed to this worker: its slices still to ask for and those asked for.
struct Job {
    job: JsValue,
    name: String,
    file: File,
    /// (start, end) of each slice, in order.
    plan: VecDeque<(u64, u64)>,
    in_flight: VecDeque<JsFuture>,
}

impl Job {
    /// Ask for slices until `ahead` are in flight.
    fn ask(&mut self, ahead: usize) {
        while self.in_flight.len() < ahead {
            let Some((start, end)) = self.plan.pop_front() else { break };
            self.in_flight.push_back(read_slice(&self.file, start, end));
        }
    }
}

thread_local! {
    static QUEUE: RefCell<VecDeque<Job>> = const { RefCell::new(VecDeque::new()) };
    /// Whether the loop that works through [`QUEUE`] is running.
    static RUNNING: Cell<bool> = const { Cell::new(false) };
}

/// Queue the file of a `{parse, file, job}` message (its first slice asked for at once), and work
/// through the queue unless that is under way.
pub fn handle(data: &JsValue, name: String) {
    let Ok(file) = Reflect::get(data, &"file".into()).and_then(|f| f.dyn_into::<File>()) else {
        return;
    };
    let job = Reflect::get(data, &"job".into()).unwrap_or(JsValue::UNDEFINED);
    let size = file.size() as u64;
    let plan = (0..size.div_ceil(SLICE_BYTES as u64)).map(|k| (k * SLICE_BYTES as u64, ((k + 1) * SLICE_BYTES as u64).min(size))).collect();
    let mut job = Job { job, name, file, plan, in_flight: VecDeque::new() };
    job.ask(1);
    QUEUE.with(|q| q.borrow_mut().push_back(job));
    if RUNNING.with(|r| r.replace(true)) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        while let Some(job) = QUEUE.with(|q| q.borrow_mut().pop_front()) {
            let id = job.job.clone();
            let bytes = parse(job).await;
            let array = Uint8Array::new_with_length(bytes.len() as u32);
            array.copy_from(&bytes);
            let buffer = array.buffer();
            let msg = Object::new();
            let _ = Reflect::set(&msg, &"parsed".into(), &buffer);
            let _ = Reflect::set(&msg, &"job".into(), &id);
            let _ = scope().post_message_with_transfer(&msg, &Array::of1(&buffer));
        }
        RUNNING.with(|r| r.set(false));
    });
}

async fn parse(mut job: Job) -> Vec<u8> {
    // Only in debug builds (the browser tests' build): a file named so makes this worker die, to
    // show that the engine reports the file and goes on.
    if cfg!(debug_assertions) && job.name.ends_with("agent-ledger-test-panic.jsonl") {
        panic!("a parse worker died on {} (test hook)", job.name);
    }
    let size = job.file.size() as u64;
    let mut ingest = Ingest::new();
    let id = ingest.begin_file(job.name.clone(), size);
    let mut slice = Vec::with_capacity(SLICE_BYTES.min(size as usize));
    loop {
        job.ask(READ_AHEAD);
        let Some(read) = job.in_flight.pop_front() else { break };
        match read.await {
            Ok(buffer) => {
                let array = Uint8Array::new(&buffer);
                slice.resize(array.length() as usize, 0);
                array.copy_to(&mut slice);
                ingest.feed(id, &slice);
                let msg = Object::new();
                let _ = Reflect::set(&msg, &"read".into(), &(slice.len() as f64).into());
                let _ = Reflect::set(&msg, &"job".into(), &job.job);
                let _ = scope().post_message(&msg);
            }
            // One unreadable file stops only itself; its row says why.
            Err(e) => {
                ingest.abandon_file(id, &js_text(e));
                break;
            }
        }
    }
    codec::encode(&key(&job.name, &job.file), &ingest.into_part())
}
