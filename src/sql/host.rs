//! The SQL worker's message loop: one [`Console`], commands in, answers out (the engine worker's
//! way of talking, `crate::worker::io`).

use super::console::{Console, RESULT_CSV};
use super::protocol::{SqlAnswer, SqlCommand};
use crate::worker::io::{reply_bytes, scope};
use js_sys::{Object, Reflect, Uint8Array};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::MessageEvent;

/// Rows answered with a result: what the page's table shows first.
const FIRST_ROWS: usize = 80;

thread_local! {
    /// Taken out while a command runs and put back after: should GlueSQL trap on a query (a
    /// panic aborts in release), the next command finds no console, not a RefCell stuck in a
    /// borrow, and says so; the page then loads the tables again.
    static CONSOLE: RefCell<Option<Console>> = RefCell::new(Some(Console::default()));
}

pub fn start() {
    console_error_panic_hook::set_once();
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let data = ev.data();
        let id = Reflect::get(&data, &"id".into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
        let cmd = Reflect::get(&data, &"cmd".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
        let (answer, bytes) = match serde_json::from_str::<SqlCommand>(&cmd) {
            Ok(cmd) => handle(cmd, &data),
            Err(e) => (SqlAnswer::Error { message: format!("bad command: {e}") }, None),
        };
        reply_bytes(id, &answer, bytes);
    });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    let ready = Object::new();
    let _ = Reflect::set(&ready, &"ready".into(), &true.into());
    let _ = scope().post_message(&ready);
}

fn handle(cmd: SqlCommand, data: &JsValue) -> (SqlAnswer, Option<Vec<u8>>) {
    let taken = CONSOLE.with(|c| c.borrow_mut().take());
    let loading = matches!(cmd, SqlCommand::Load);
    let Some(mut console) = taken.or_else(|| loading.then(Console::default)) else {
        let message = "The SQL engine stopped during the last query (see the browser console); the tables are loaded again before the next run.";
        return (SqlAnswer::Error { message: message.into() }, None);
    };
    let out = match cmd {
        SqlCommand::Load => {
            let bytes = Reflect::get(data, &"bytes".into()).ok().filter(|v| !v.is_undefined()).map(|b| Uint8Array::new(&b).to_vec());
            match bytes.map(|b| console.load_json(&b).map(<[_]>::to_vec)) {
                Some(Ok(tables)) => (SqlAnswer::Loaded { tables }, None),
                Some(Err(message)) => (SqlAnswer::Error { message }, None),
                None => (SqlAnswer::Error { message: "the tables came without their bytes".into() }, None),
            }
        }
        SqlCommand::Run { sql } => {
            let started = js_sys::Date::now();
            match console.run(&sql, FIRST_ROWS) {
                Ok(mut head) => {
                    head.elapsed_ms = js_sys::Date::now() - started;
                    (SqlAnswer::Result(head), None)
                }
                Err(message) => (SqlAnswer::Error { message }, None),
            }
        }
        SqlCommand::Rows { offset, limit } => (SqlAnswer::Rows { offset, rows: console.page(offset, limit) }, None),
        SqlCommand::Csv => {
            let bytes = console.csv();
            (SqlAnswer::Csv { name: RESULT_CSV.into(), bytes: bytes.len() }, Some(bytes))
        }
    };
    CONSOLE.with(|c| *c.borrow_mut() = Some(console));
    out
}
