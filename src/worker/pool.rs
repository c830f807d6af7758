//! A pool of parse workers started by the engine worker for one load: N = max(2,
//! `hardwareConcurrency`) nested dedicated workers (the same binary, [`super::parse`]), each
//! handed one whole file at a time, largest first, so that the biggest file does not start last
//! and hold the load up alone. Their encoded parts come back as transferred buffers, in any order;
//! the caller joins them in file order (exact, `ingest::Part`).
//!
//! Opt-in for now (`?pool=on`): on the project's busy 2-core machines it measured slower than the
//! engine worker parsing alone (docs/remember.md).
//!
//! A worker that dies on a file (a wasm trap surfaces as an `error` event) is replaced, and that
//! file alone is reported as failed. Cancel terminates every worker at once ([`stop`]).

use super::io::scope;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, Worker};

/// What became of one file handed to the pool.
pub enum Outcome {
    /// The file's encoded part.
    Parsed(Vec<u8>),
    /// The worker died on it; the reason, in words.
    Died(String),
    /// The pool was stopped (Cancel, or a newer load).
    Stopped,
}

/// One worker and the `resolve` of the job it is on (or of its "ready").
struct Member {
    worker: Worker,
    ready: Promise,
    waiting: Rc<RefCell<Option<Function>>>,
}

thread_local! {
    /// The `resolve`s of the running load's jobs, so that [`stop`] can end them, and its workers.
    static RUNNING: RefCell<Vec<(Worker, Rc<RefCell<Option<Function>>>)>> = const { RefCell::new(Vec::new()) };
}

/// How many parse workers a load starts.
pub fn size() -> usize {
    (scope().navigator().hardware_concurrency() as usize).max(2)
}

/// Terminate every worker of the running load; its jobs end as [`Outcome::Stopped`].
pub fn stop() {
    for (worker, waiting) in RUNNING.with(|r| std::mem::take(&mut *r.borrow_mut())) {
        worker.terminate();
        if let Some(resolve) = waiting.borrow_mut().take() {
            let _ = resolve.call1(&JsValue::NULL, &"stopped".into());
        }
    }
}

fn spawn() -> Result<Member, String> {
    let worker = super::io::new_sibling("agent-ledger-parse")?;
    let waiting: Rc<RefCell<Option<Function>>> = Rc::default();
    let ready = Promise::new(&mut |resolve, _| *waiting.borrow_mut() = Some(resolve));
    let on_message = {
        let waiting = waiting.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let data = ev.data();
            let value = Reflect::get(&data, &"parsed".into()).ok().filter(|v| !v.is_undefined()).unwrap_or(JsValue::TRUE);
            if let Some(resolve) = waiting.borrow_mut().take() {
                let _ = resolve.call1(&JsValue::NULL, &value);
            }
        })
    };
    let on_error = {
        let waiting = waiting.clone();
        Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |ev: web_sys::ErrorEvent| {
            ev.prevent_default();
            let message = Object::new();
            let _ = Reflect::set(&message, &"died".into(), &ev.message().into());
            if let Some(resolve) = waiting.borrow_mut().take() {
                let _ = resolve.call1(&JsValue::NULL, &message);
            }
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // Kept alive for the worker's whole life, which ends with the load: two small closures per
    // worker per load are left behind (a handler dropped while its worker could still post
    // would throw instead).
    on_message.forget();
    on_error.forget();
    RUNNING.with(|r| r.borrow_mut().push((worker.clone(), waiting.clone())));
    Ok(Member { worker, ready, waiting })
}

impl Member {
    /// Hand `file` to this worker; the promise resolves to `{slot, value}`.
    fn give(&self, slot: usize, name: &str, file: &File) -> Promise {
        let (ready, worker, waiting) = (self.ready.clone(), self.worker.clone(), self.waiting.clone());
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"parse".into(), &name.into());
        let _ = Reflect::set(&msg, &"file".into(), file);
        wasm_bindgen_futures::future_to_promise(async move {
            // `true` once the worker said it is ready; "stopped" or `{died}` if it never will be.
            let ready = JsFuture::from(ready).await?;
            let value = if ready.as_bool() == Some(true) {
                let done = Promise::new(&mut |resolve, _| *waiting.borrow_mut() = Some(resolve));
                worker.post_message(&msg)?;
                JsFuture::from(done).await?
            } else {
                ready
            };
            let out = Object::new();
            Reflect::set(&out, &"slot".into(), &(slot as f64).into())?;
            Reflect::set(&out, &"value".into(), &value)?;
            Ok(out.into())
        })
    }
}

/// Parse `order` (indexes into `files`, largest first) in a pool; `done(file, outcome)` as each
/// one ends, in any order. `Err` when no worker could be started (the caller parses itself).
pub async fn run(files: &[(String, File)], order: &[usize], mut done: impl FnMut(usize, Outcome)) -> Result<(), String> {
    let n = size().min(order.len()).max(1);
    let mut members: Vec<Member> = (0..n).map(|_| spawn()).collect::<Result<_, _>>()?;
    let mut next = order.iter().copied();
    // Per slot: the file it is on and the promise of its answer.
    let mut jobs: Vec<Option<(usize, Promise)>> = (0..n).map(|_| None).collect();
    let mut give = |slot: usize, members: &[Member], jobs: &mut Vec<Option<(usize, Promise)>>| {
        jobs[slot] = next.next().map(|file| (file, members[slot].give(slot, &files[file].0, &files[file].1)));
    };
    for slot in 0..n {
        give(slot, &members, &mut jobs);
    }
    loop {
        let pending: Array = jobs.iter().flatten().map(|(_, p)| JsValue::from(p)).collect();
        if pending.length() == 0 {
            break;
        }
        let first = JsFuture::from(Promise::race(&pending)).await.map_err(|e| format!("{e:?}"))?;
        let slot = Reflect::get(&first, &"slot".into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as usize;
        let value = Reflect::get(&first, &"value".into()).unwrap_or(JsValue::UNDEFINED);
        let Some((file, _)) = jobs[slot].take() else { continue };
        if value.is_instance_of::<js_sys::ArrayBuffer>() {
            done(file, Outcome::Parsed(Uint8Array::new(&value).to_vec()));
        } else if value.as_string().as_deref() == Some("stopped") {
            done(file, Outcome::Stopped);
            for (file, _) in jobs.iter_mut().filter_map(Option::take) {
                done(file, Outcome::Stopped);
            }
            return Ok(());
        } else {
            let why = Reflect::get(&value, &"died".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
            done(file, Outcome::Died(why));
            // A worker that trapped is not trusted with another file.
            members[slot].worker.terminate();
            members[slot] = spawn()?;
        }
        give(slot, &members, &mut jobs);
    }
    stop();
    Ok(())
}
