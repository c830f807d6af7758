//! The page's side of its workers: the engine (`agent-ledger-worker_loader.js`, built by Trunk from
//! `src/bin/worker.rs`) that reads, parses and holds the data, and the SQL console's
//! (`agent-ledger-sql_loader.js`, from `src/bin/sql_worker.rs`), started only when `#/sql` is
//! first opened ([`sql`]). An async [`ask`] posts a command and awaits its answer. The main
//! thread never parses or holds a table.

use crate::query::{Request, Response};
use crate::sql::{SqlAnswer, SqlCommand};
use crate::worker::command::{Command, DownloadProgress, Progress};
use js_sys::{Array, Function, Object, Promise, Reflect};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, MessageEvent, Worker};

struct Client {
    worker: Worker,
    next_id: Cell<u32>,
    /// The `resolve` of each question still waiting for its answer.
    pending: RefCell<HashMap<u32, Function>>,
    /// Messages (and what they transfer) posted before the worker said it is ready: its wasm
    /// starts asynchronously, and a message arriving before its handler is installed would be lost.
    queue: RefCell<Option<Vec<(Object, Array)>>>,
}

impl Client {
    /// Talk to `worker`; `on_progress` is called with each progress message.
    fn spawn(worker: Worker, on_progress: impl Fn(Progress) + 'static) -> Result<Rc<Client>, String> {
        let client = Rc::new(Client { worker, next_id: Cell::new(1), pending: RefCell::default(), queue: RefCell::new(Some(Vec::new())) });
        let weak = Rc::downgrade(&client);
        let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let Some(client) = weak.upgrade() else { return };
            let data = ev.data();
            if Reflect::get(&data, &"ready".into()).ok().is_some_and(|v| v.is_truthy()) {
                client.flush();
                return;
            }
            if let Some(p) = Reflect::get(&data, &"progress".into()).ok().and_then(|v| v.as_string()) {
                if let Ok(p) = serde_json::from_str::<Progress>(&p) {
                    on_progress(p);
                }
                return;
            }
            if let Some(p) = Reflect::get(&data, &"download".into()).ok().and_then(|v| v.as_string()) {
                let listener = ON_DOWNLOAD.with(|l| l.borrow().clone());
                if let (Ok(p), Some(listener)) = (serde_json::from_str::<DownloadProgress>(&p), listener) {
                    listener(p);
                }
                return;
            }
            let Some(id) = Reflect::get(&data, &"id".into()).ok().and_then(|v| v.as_f64()) else { return };
            let resolve = client.pending.borrow_mut().remove(&(id as u32));
            if let Some(resolve) = resolve {
                let _ = resolve.call1(&JsValue::NULL, &data);
            }
        });
        client.worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
        handler.forget();
        // The worker's script failed to load or its code threw: every waiting question gets an
        // error answer instead of waiting for ever.
        let weak = Rc::downgrade(&client);
        let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |ev: web_sys::ErrorEvent| {
            let Some(client) = weak.upgrade() else { return };
            let message = match ev.message() {
                m if m.is_empty() => "the worker stopped (its script could not load or it failed)".to_string(),
                m => format!("the worker stopped: {m}"),
            };
            let answer = serde_json::json!({ "kind": "error", "message": message }).to_string();
            let waiting: Vec<Function> = client.pending.borrow_mut().drain().map(|(_, f)| f).collect();
            for resolve in waiting {
                let data = Object::new();
                let _ = Reflect::set(&data, &"res".into(), &answer.clone().into());
                let _ = resolve.call1(&JsValue::NULL, &data);
            }
        });
        client.worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        Ok(client)
    }

    fn post(&self, msg: Object, transfer: Array) -> Result<(), String> {
        if let Some(queue) = self.queue.borrow_mut().as_mut() {
            queue.push((msg, transfer));
            return Ok(());
        }
        self.worker.post_message_with_transfer(&msg, &transfer).map_err(|e| format!("{e:?}"))
    }

    /// The worker is ready: send what waited.
    fn flush(&self) {
        let waiting = self.queue.borrow_mut().take().unwrap_or_default();
        for (msg, transfer) in waiting {
            let _ = self.worker.post_message_with_transfer(&msg, &transfer);
        }
    }

    /// Post `{id, cmd: json}` plus `extra` fields (bytes: transferred when listed in
    /// `transfer`) and await the answer.
    async fn request(&self, json: String, extra: &[(&str, JsValue)], transfer: Array) -> Result<Answer, String> {
        let id = self.new_id();
        self.request_as(id, json, extra, transfer).await
    }

    fn new_id(&self) -> u32 {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        id
    }

    /// Hand `files` over for question `id`, [`FILES_PER_MESSAGE`] to a message (`{handover: id,
    /// files}`), the page's other tasks running between; the worker keeps them for the question.
    async fn hand_over(&self, id: u32, files: &[File]) -> Result<(), String> {
        for batch in files.chunks(FILES_PER_MESSAGE) {
            let msg = Object::new();
            let _ = Reflect::set(&msg, &"handover".into(), &id.into());
            let _ = Reflect::set(&msg, &"files".into(), &batch.iter().collect::<Array>().into());
            self.post(msg, Array::new())?;
            next_task().await;
        }
        Ok(())
    }

    /// [`Self::request`] as question `id`.
    async fn request_as(&self, id: u32, json: String, extra: &[(&str, JsValue)], transfer: Array) -> Result<Answer, String> {
        let promise = Promise::new(&mut |resolve, _reject| {
            self.pending.borrow_mut().insert(id, resolve);
        });
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"id".into(), &id.into());
        let _ = Reflect::set(&msg, &"cmd".into(), &json.into());
        for (key, value) in extra {
            let _ = Reflect::set(&msg, &(*key).into(), value);
        }
        self.post(msg, transfer)?;
        let data = JsFuture::from(promise).await.map_err(|e| format!("{e:?} (question {id})"))?;
        let json = Reflect::get(&data, &"res".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
        let bytes = Reflect::get(&data, &"bytes".into()).ok().filter(|v| !v.is_undefined()).map(|v| v.unchecked_into());
        let blob = Reflect::get(&data, &"blob".into()).ok().filter(|v| !v.is_undefined()).map(|v| v.unchecked_into());
        Ok(Answer { json, bytes, blob })
    }
}

/// Files handed to the engine a message: posting a folder's 3,100 `File`s in one message held
/// the main thread for 0.6–0.7 s (Chromium makes each `File`'s handle as it posts it, about
/// 0.2 ms a file on these machines); 64 a message are 15–25 ms a task, and the page answers
/// clicks between them (measured in Chromium 156 with the real-world profile, long tasks by
/// the Long Tasks API: the hand-over's 0.6 s task is gone, the load takes as long).
pub const FILES_PER_MESSAGE: usize = 64;

/// Resolves in a later task: the page's other tasks (a click, a frame) run first. A message to
/// itself through a channel, not `setTimeout(0)`, which the browser delays by 4 ms after a few.
async fn next_task() {
    let promise = Promise::new(&mut |resolve, _reject| {
        let Ok(channel) = web_sys::MessageChannel::new() else {
            let _ = resolve.call0(&JsValue::NULL);
            return;
        };
        let (listening, sending) = (channel.port1(), channel.port2());
        // The handler holds the channel until its message comes.
        let on_message = Closure::once_into_js(move || {
            drop(channel);
            let _ = resolve.call0(&JsValue::NULL);
        });
        listening.set_onmessage(Some(on_message.unchecked_ref()));
        let _ = sending.post_message(&JsValue::NULL);
    });
    let _ = JsFuture::from(promise).await;
}

/// What hears a download's progress.
type Listener = Rc<dyn Fn(DownloadProgress)>;

thread_local! {
    static CLIENT: RefCell<Option<Rc<Client>>> = const { RefCell::new(None) };
    static SQL: RefCell<Option<Rc<Client>>> = const { RefCell::new(None) };
    /// Who hears the engine's progress of a download being built ([`on_download`]).
    static ON_DOWNLOAD: RefCell<Option<Listener>> = const { RefCell::new(None) };
}

/// Call `listener` with each progress message of a download being built (the zip's files done).
pub fn on_download(listener: impl Fn(DownloadProgress) + 'static) {
    ON_DOWNLOAD.with(|l| *l.borrow_mut() = Some(Rc::new(listener)));
}

/// Start one of the page's workers: the served page loads it from its loader beside index.html
/// (`loader`). The single file that opens from disk (`scripts/build-single.sh`) has no such file
/// to load, and must make no request at all: its inlined boot script defines `window.<factory>`,
/// a function that starts the worker from a Blob and hands it its wasm as bytes (the SQL
/// console's only when first called, so opening the file does not decode it). Only that build
/// defines them.
fn new_worker(loader: &str, factory: &str) -> Result<Worker, JsValue> {
    if !is_single_file() {
        return Worker::new(loader);
    }
    let factory: Function = Reflect::get(&js_sys::global(), &factory.into())?.dyn_into()?;
    factory.call0(&JsValue::NULL)?.dyn_into::<Worker>()
}

/// Whether this is the single file (`window.agentLedgerWorker` is defined only there).
fn is_single_file() -> bool {
    Reflect::get(&js_sys::global(), &"agentLedgerWorker".into()).is_ok_and(|f| f.is_function())
}

/// Start the engine's worker; `on_progress` is called with each progress message while loading.
pub fn start(on_progress: impl Fn(Progress) + 'static) -> Result<(), String> {
    let client = Client::spawn(new_worker("./agent-ledger-worker_loader.js", "agentLedgerWorker").map_err(|e| format!("{e:?}"))?, on_progress)?;
    CLIENT.with(|c| *c.borrow_mut() = Some(client));
    Ok(())
}

/// The answer of a command: its JSON text and the bytes beside it, if any.
pub struct Answer {
    pub json: String,
    /// Bytes transferred (the SQL console's result as CSV).
    pub bytes: Option<js_sys::ArrayBuffer>,
    /// A file the engine's worker made, as a Blob (no bytes copied on the way).
    pub blob: Option<web_sys::Blob>,
}

/// Post a command (with `File`s beside it) and await the worker's answer.
pub async fn send(cmd: &Command, files: Option<Vec<File>>) -> Result<Answer, String> {
    let json = serde_json::to_string(cmd).map_err(|e| e.to_string())?;
    let client = CLIENT.with(|c| c.borrow().clone()).ok_or("the engine did not start")?;
    let id = client.new_id();
    if let Some(files) = files {
        client.hand_over(id, &files).await?;
    }
    client.request_as(id, json, &[], Array::new()).await
}

/// Ask the engine a question of the query protocol.
pub async fn ask(request: Request) -> Response {
    match send(&Command::Query { request }, None).await {
        Ok(a) => serde_json::from_str(&a.json).unwrap_or_else(|e| Response::Error { message: e.to_string() }),
        Err(message) => Response::Error { message },
    }
}

/// Ask the SQL worker (started on first use), with `bytes` transferred beside the command.
pub async fn sql(cmd: &SqlCommand, bytes: Option<js_sys::ArrayBuffer>) -> (SqlAnswer, Option<js_sys::ArrayBuffer>) {
    let started = SQL.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            *c = Some(Client::spawn(new_worker("./agent-ledger-sql_loader.js", "agentLedgerSqlWorker").map_err(|e| format!("{e:?}"))?, |_| {})?);
        }
        Ok::<_, String>(c.clone())
    });
    let client = match started {
        Ok(Some(client)) => client,
        Ok(None) => return (SqlAnswer::Error { message: "the SQL engine did not start".into() }, None),
        Err(e) => return (SqlAnswer::Error { message: format!("the SQL engine could not start: {e}") }, None),
    };
    let json = serde_json::to_string(cmd).unwrap_or_default();
    let transfer = Array::new();
    let mut extra = Vec::new();
    if let Some(b) = bytes {
        transfer.push(&b);
        extra.push(("bytes", JsValue::from(b)));
    }
    match client.request(json, &extra, transfer).await {
        Ok(a) => (serde_json::from_str(&a.json).unwrap_or_else(|e| SqlAnswer::Error { message: e.to_string() }), a.bytes),
        Err(message) => (SqlAnswer::Error { message }, None),
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
