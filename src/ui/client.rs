//! The page's side of the engine: one Web Worker (`agent-ledger-worker_loader.js`, built by Trunk from
//! `src/bin/worker.rs`) that reads, parses and holds the data, and an async [`ask`] that posts a
//! command and awaits its answer. The main thread never parses or holds a table.

use crate::query::{Request, Response};
use crate::worker::command::{Command, Progress};
use js_sys::{Array, Function, Object, Promise, Reflect};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, MessageEvent, Worker};

struct Client {
    worker: Worker,
    next_id: Cell<u32>,
    /// The `resolve` of each question still waiting for its answer.
    pending: RefCell<HashMap<u32, Function>>,
    /// Messages posted before the worker said it is ready: its wasm starts asynchronously, and a
    /// message arriving before its handler is installed would be lost.
    queue: RefCell<Option<Vec<Object>>>,
}

impl Client {
    fn post(&self, msg: Object) -> Result<(), String> {
        if let Some(queue) = self.queue.borrow_mut().as_mut() {
            queue.push(msg);
            return Ok(());
        }
        self.worker.post_message(&msg).map_err(|e| format!("{e:?}"))
    }

    /// The worker is ready: send what waited.
    fn flush(&self) {
        let waiting = self.queue.borrow_mut().take().unwrap_or_default();
        for msg in waiting {
            let _ = self.worker.post_message(&msg);
        }
    }
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
}

/// The engine's worker. The served page loads it from its own file beside index.html. The single
/// file that opens from disk (`scripts/build-single.sh`) has no such file to load, and must make no
/// request at all: its inlined boot script defines `window.agentLedgerWorker`, a function that
/// starts the worker from a Blob and hands it its wasm as bytes. Only that build defines it.
fn new_worker() -> Result<Worker, JsValue> {
    let factory = Reflect::get(&js_sys::global(), &"agentLedgerWorker".into())?;
    match factory.dyn_ref::<Function>() {
        Some(start) => start.call0(&JsValue::NULL)?.dyn_into::<Worker>(),
        None => Worker::new("./agent-ledger-worker_loader.js"),
    }
}

/// Start the worker; `on_progress` is called with each progress message while loading.
pub fn start(on_progress: impl Fn(Progress) + 'static) -> Result<(), String> {
    let worker = new_worker().map_err(|e| format!("{e:?}"))?;
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let data = ev.data();
        if Reflect::get(&data, &"ready".into()).ok().is_some_and(|v| v.is_truthy()) {
            CLIENT.with(|c| c.borrow().as_ref().map(Client::flush));
            return;
        }
        if let Some(p) = Reflect::get(&data, &"progress".into()).ok().and_then(|v| v.as_string()) {
            if let Ok(p) = serde_json::from_str::<Progress>(&p) {
                on_progress(p);
            }
            return;
        }
        let Some(id) = Reflect::get(&data, &"id".into()).ok().and_then(|v| v.as_f64()) else { return };
        let resolve = CLIENT.with(|c| c.borrow().as_ref().and_then(|c| c.pending.borrow_mut().remove(&(id as u32))));
        if let Some(resolve) = resolve {
            let _ = resolve.call1(&JsValue::NULL, &data);
        }
    });
    worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    CLIENT.with(|c| *c.borrow_mut() = Some(Client { worker, next_id: Cell::new(1), pending: RefCell::default(), queue: RefCell::new(Some(Vec::new())) }));
    Ok(())
}

/// The answer of a command: its JSON text and the bytes beside it, if any.
pub struct Answer {
    pub json: String,
    pub bytes: Option<js_sys::ArrayBuffer>,
}

/// Post a command (with `File`s beside it) and await the worker's answer.
pub async fn send(cmd: &Command, files: Option<Vec<File>>) -> Result<Answer, String> {
    let json = serde_json::to_string(cmd).map_err(|e| e.to_string())?;
    let (id, promise) = CLIENT.with(|c| {
        let c = c.borrow();
        let c = c.as_ref().ok_or("the engine did not start")?;
        let id = c.next_id.get();
        c.next_id.set(id + 1);
        let promise = Promise::new(&mut |resolve, _reject| {
            c.pending.borrow_mut().insert(id, resolve);
        });
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"id".into(), &id.into());
        let _ = Reflect::set(&msg, &"cmd".into(), &json.clone().into());
        if let Some(files) = &files {
            let list: Array = files.iter().collect();
            let _ = Reflect::set(&msg, &"files".into(), &list);
        }
        c.post(msg)?;
        Ok::<_, String>((id, promise))
    })?;
    let data = JsFuture::from(promise).await.map_err(|e| format!("{e:?} (question {id})"))?;
    let json = Reflect::get(&data, &"res".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
    let bytes = Reflect::get(&data, &"bytes".into()).ok().filter(|v| !v.is_undefined()).map(|v| v.unchecked_into());
    Ok(Answer { json, bytes })
}

/// Ask the engine a question of the query protocol.
pub async fn ask(request: Request) -> Response {
    match send(&Command::Query { request }, None).await {
        Ok(a) => serde_json::from_str(&a.json).unwrap_or_else(|e| Response::Error { message: e.to_string() }),
        Err(message) => Response::Error { message },
    }
}

/// Ask for a command's answer as a typed value.
pub async fn send_for<T: serde::de::DeserializeOwned>(cmd: &Command, files: Option<Vec<File>>) -> Result<T, String> {
    let a = send(cmd, files).await?;
    serde_json::from_str::<T>(&a.json).map_err(|_| {
        serde_json::from_str::<Response>(&a.json)
            .ok()
            .and_then(|r| match r {
                Response::Error { message } => Some(message),
                _ => None,
            })
            .unwrap_or_else(|| "unexpected answer".into())
    })
}
