//! The worker's message loop: one engine, commands in, answers out.

use super::command::{Command, Forgotten, Loaded};
use super::io::{Held, Shared, reply, reply_bytes, reply_file, scope};
use crate::query::{Request, Response};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use web_sys::{File, MessageEvent};

/// Install the message handler and tell the page the worker is ready.
pub fn start() {
    console_error_panic_hook::set_once();
    let held: Shared = Rc::default();
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let data = ev.data();
        // A parse worker of the engine's pool is handed files, not commands; the zip's second
        // worker, the zip's entries.
        if let Some(what) = Reflect::get(&data, &"deflate".into()).ok().and_then(|v| v.as_string()) {
            return super::deflate_server::handle(&data, &what);
        }
        if let Some(name) = Reflect::get(&data, &"parse".into()).ok().and_then(|v| v.as_string()) {
            return super::parse::handle(&data, name);
        }
        // The page hands a load's files over in batches before its command (`ui::client`).
        if let Some(id) = Reflect::get(&data, &"handover".into()).ok().and_then(|v| v.as_f64()) {
            let batch = files_of(&data);
            return HANDED.with(|h| match h.borrow_mut().entry(id as u32).or_default() {
                Handing::Files(files) => files.extend(batch),
                Handing::Cancelled => {}
            });
        }
        let id = Reflect::get(&data, &"id".into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
        let cmd = Reflect::get(&data, &"cmd".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
        match serde_json::from_str::<Command>(&cmd) {
            Ok(cmd) => handle(&held, id, cmd, &data),
            Err(e) => reply(id, &Response::Error { message: format!("bad command: {e}") }),
        }
    });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    // Downloads' files left by earlier visits (`super::spill`); a parse or zip worker has none
    // of its own to look after.
    if js_sys::Reflect::get(&scope(), &"name".into()).ok().and_then(|n| n.as_string()).is_none_or(|n| !n.starts_with("agent-ledger-")) {
        wasm_bindgen_futures::spawn_local(async {
            super::spill::sweep_downloads(false).await;
        });
    }
    let ready = Object::new();
    let _ = Reflect::set(&ready, &"ready".into(), &true.into());
    let _ = scope().post_message(&ready);
}

/// A load being handed over: its files so far, or Cancel (or Clear) came before its command.
enum Handing {
    Files(Vec<File>),
    Cancelled,
}

impl Default for Handing {
    fn default() -> Self {
        Handing::Files(Vec::new())
    }
}

thread_local! {
    /// Each load command not yet received whose files are being handed over, by its id.
    static HANDED: RefCell<HashMap<u32, Handing>> = RefCell::default();
}

/// Cancel or Clear came: the loads still being handed over are not started when their
/// commands come (a person may click Cancel before the last batch of a big folder is posted).
fn cancel_handing() {
    HANDED.with(|h| h.borrow_mut().values_mut().for_each(|handing| *handing = Handing::Cancelled));
}

/// The `files` of a message (none when it has none).
fn files_of(data: &JsValue) -> Vec<File> {
    Reflect::get(data, &"files".into())
        .ok()
        .filter(|v| Array::is_array(v))
        .map(|v| Array::from(&v).iter().map(|f| f.unchecked_into::<File>()).collect())
        .unwrap_or_default()
}

fn handle(held: &Shared, id: f64, cmd: Command, data: &JsValue) {
    match cmd {
        Command::LoadFiles { names, settings, keep, remember, pool } => {
            // Handed over before the command, or (a caller of its own) in the command itself.
            let mut files = match HANDED.with(|h| h.borrow_mut().remove(&(id as u32))).unwrap_or_default() {
                Handing::Files(files) => files,
                Handing::Cancelled => return reply(id, &Loaded::Cancelled),
            };
            files.extend(files_of(data));
            if files.len() != names.len() {
                let message = format!("the page handed over {} files for {} names; nothing was loaded", files.len(), names.len());
                return reply(id, &Loaded::Failed { message });
            }
            let picked: Vec<(String, File)> = names.into_iter().zip(files).collect();
            let held = held.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let loaded = super::load::load_files(held.clone(), picked, settings, keep, remember, pool).await;
                let done = matches!(loaded, Loaded::Done { .. });
                reply(id, &loaded);
                if done {
                    super::load::prepare_when_idle(held);
                }
            });
        }
        Command::LoadSample { settings } => {
            super::load::load_sample(held, settings);
            let files = held.borrow().sample.len() as u64;
            reply(id, &Loaded::Done { files, parsed: files, workers: 0, timings: Default::default() });
        }
        Command::Cancel => {
            cancel_handing();
            super::load::cancel();
            super::pool::stop();
            reply(id, &Response::Configured);
        }
        Command::CancelDownload => {
            super::download::cancel_all();
            reply(id, &Response::Configured);
        }
        Command::Clear => {
            cancel_handing();
            super::download::cancel_all();
            super::load::cancel();
            super::pool::stop();
            *held.borrow_mut() = Held::default();
            reply(id, &Response::Configured);
        }
        Command::Forget => wasm_bindgen_futures::spawn_local(async move {
            let downloads = super::spill::sweep_downloads(true).await;
            match super::store::forget().await {
                Ok((files, bytes)) => reply(id, &Forgotten { files, bytes, downloads }),
                Err(message) => reply(id, &Response::Error { message }),
            }
        }),
        Command::Query { request } => answer(held, id, request),
        Command::RawLine { file, line } => {
            let held = held.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let res = super::raw::read_line(&held, &file, line).await;
                match res {
                    Ok(raw) => reply(id, &raw),
                    Err(message) => reply(id, &Response::Error { message }),
                }
            });
        }
    }
}

/// Answer a request of the query protocol at once; the long downloads are started here and
/// answered when built (`super::download`), the worker answering other messages meanwhile.
fn answer(held: &Shared, id: f64, request: Request) {
    let mut h = held.borrow_mut();
    if let Request::Configure { settings } = &request {
        h.settings = settings.clone();
    }
    let Some(engine) = h.engine.as_mut() else {
        let res = match request {
            Request::Configure { .. } => Response::Configured,
            _ => Response::Error { message: "nothing is loaded yet".into() },
        };
        return reply(id, &res);
    };
    if let Request::Export { name, generated_at_ms } = &request
        && let Some(name) = crate::export::ALL_NAMES.iter().copied().find(|n| n == name && super::download::is_long(n))
    {
        let (snapshot, meta) = (engine.snapshot(), engine.export_meta(*generated_at_ms));
        drop(h);
        return super::download::start(id, name, snapshot, meta);
    }
    match engine.file(&request) {
        Some(Ok(f)) => {
            let res = Response::Export { name: f.name.to_string(), mime: f.mime.to_string(), bytes: f.bytes.len() };
            // The tables go to the SQL console's worker as bytes; a file to the person, as a Blob.
            if matches!(request, Request::Tables) {
                reply_bytes(id, &res, Some(f.bytes));
            } else {
                reply_file(id, &res, &f.bytes, f.mime);
            }
        }
        Some(Err(message)) => reply(id, &Response::Error { message }),
        None => {
            let configure = matches!(request, Request::Configure { .. });
            let res = engine.answer(request);
            reply(id, &res);
            if configure {
                drop(h);
                super::load::tidy_when_idle(held.clone());
            }
        }
    }
}
