//! The engine's side of the zip's second worker (issue #18.1): the engine builds the entries'
//! bytes and the Parquet files' columns and sends them on
//! ([`Bundle::relaying`](crate::export::bundle::Bundle::relaying)); a nested worker of the same
//! binary (`super::deflate_server`) compresses the entries, writes the Parquet files and makes
//! the archive meanwhile, and hands back its Blob. Natively in one thread, deflating is a
//! quarter of the zip's time and the Parquet files a fifth: on two cores, beside the engine,
//! they no longer add to it.
//!
//! The bytes in flight are bounded ([`IN_FLIGHT`]): at each of the build's pauses the engine
//! waits until the second worker has taken all but that many, so that a slower compressor
//! never holds the whole export in its queue. The worker is ended when the client is dropped
//! (the zip done, cancelled or failed).

use crate::export::relay::{Op, Relay};
use crate::model::Millis;
use js_sys::{Array, ArrayBuffer, Function, Object, Promise, Reflect, Uint8Array};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ErrorEvent, MessageEvent, Worker};

/// The most bytes sent and not yet taken by the second worker.
pub const IN_FLIGHT: f64 = (32 << 20) as f64;

/// The most bytes of buffers kept to be filled again: their count alone let the pool hold a
/// quarter of a gigabyte of buffers sized for a dataset's row groups.
const SPARE_BYTES: u32 = 32 << 20;

/// What the second worker has said.
#[derive(Default)]
struct Heard {
    ready: Cell<bool>,
    /// Ready for the zip's entries (its file open).
    started: Cell<bool>,
    /// Bytes it has taken.
    acked: Cell<f64>,
    zipped: RefCell<Option<(usize, Blob)>>,
    failed: RefCell<Option<String>>,
    /// Buffers given back, to copy the next bytes into.
    spare: RefCell<Vec<ArrayBuffer>>,
    /// The `resolve` of whoever waits for its next message.
    wake: RefCell<Option<Function>>,
}

/// A second worker compressing one zip.
pub struct DeflateClient {
    worker: Worker,
    heard: Rc<Heard>,
    /// Bytes sent.
    sent: Rc<Cell<f64>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl DeflateClient {
    /// Start the worker and wait until it is ready for a zip whose entries carry the time
    /// `generated_at_ms`. `Err` when it cannot be started (the engine compresses the zip itself).
    pub async fn start(generated_at_ms: Option<Millis>) -> Result<Self, String> {
        let worker = super::io::new_sibling("agent-ledger-deflate")?;
        let heard = Rc::new(Heard::default());
        let on_message = {
            let heard = heard.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
                let data = ev.data();
                let field = |name: &str| Reflect::get(&data, &name.into()).unwrap_or(JsValue::UNDEFINED);
                if let Some(n) = field("acked").as_f64() {
                    heard.acked.set(n);
                    if let Ok(buffer) = field("buffer").dyn_into::<ArrayBuffer>() {
                        let mut spare = heard.spare.borrow_mut();
                        let kept: u32 = spare.iter().map(ArrayBuffer::byte_length).sum();
                        if kept + buffer.byte_length() <= SPARE_BYTES {
                            spare.push(buffer);
                        }
                    }
                } else if let Ok(blob) = field("zipped").dyn_into::<Blob>() {
                    let len = field("len").as_f64().unwrap_or(0.0) as usize;
                    *heard.zipped.borrow_mut() = Some((len, blob));
                } else if let Some(why) = field("failed").as_string() {
                    *heard.failed.borrow_mut() = Some(why);
                } else if field("started").as_bool() == Some(true) {
                    heard.started.set(true);
                } else if field("ready").as_bool() == Some(true) {
                    heard.ready.set(true);
                }
                heard.wake();
            })
        };
        let on_error = {
            let heard = heard.clone();
            Closure::<dyn FnMut(ErrorEvent)>::new(move |ev: ErrorEvent| {
                ev.prevent_default();
                heard.failed.borrow_mut().get_or_insert_with(|| format!("the compressing worker stopped ({})", ev.message()));
                heard.wake();
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let client = DeflateClient { worker, heard, sent: Rc::default(), _on_message: on_message, _on_error: on_error };
        while !client.heard.ready.get() {
            client.failed()?;
            client.next_message().await;
        }
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"deflate".into(), &"start".into());
        let _ = Reflect::set(&msg, &"at".into(), &generated_at_ms.map_or(JsValue::NULL, |ms| (ms as f64).into()));
        client.worker.post_message(&msg).map_err(super::io::js_text)?;
        while !client.heard.started.get() {
            client.failed()?;
            client.next_message().await;
        }
        Ok(client)
    }

    /// Where a relaying bundle sends its ops: each posted to the second worker at once, its
    /// bytes copied into a buffer that is transferred (one the worker gave back, when one fits).
    pub fn relay(&self) -> Relay {
        let (worker, sent, heard) = (self.worker.clone(), self.sent.clone(), self.heard.clone());
        Rc::new(RefCell::new(move |op: Op<'_>| {
            let msg = Object::new();
            let set = |key: &str, value: &JsValue| {
                let _ = Reflect::set(&msg, &key.into(), value);
            };
            let (what, entry, bytes) = match op {
                Op::Begin { entry, name } => {
                    set("name", &name.into());
                    ("begin", entry, None)
                }
                Op::Write { entry, bytes } => ("write", entry, Some(bytes)),
                Op::AfterHead { entry, bytes } => ("afterHead", entry, Some(bytes)),
                Op::EndDatabase { entry, head } => ("endDatabase", entry, Some(head)),
                Op::End { entry } => ("end", entry, None),
                Op::ParquetBegin { file, head } => ("parquetBegin", file, Some(head)),
                Op::ParquetRows { file, bytes } => ("parquetRows", file, Some(bytes)),
                Op::ParquetEnd { file } => ("parquetEnd", file, None),
                Op::ParquetEntry { file } => ("parquetEntry", file, None),
            };
            set("deflate", &what.into());
            set("entry", &entry.into());
            let transfer = Array::new();
            if let Some(bytes) = bytes {
                let buffer = heard.buffer_for(bytes.len());
                Uint8Array::new_with_byte_offset_and_length(&buffer, 0, bytes.len() as u32).copy_from(bytes);
                set("bytes", &buffer);
                set("len", &(bytes.len() as f64).into());
                transfer.push(&buffer);
                sent.set(sent.get() + bytes.len() as f64);
            }
            // A worker that cannot be posted to has stopped; its error event says so.
            let _ = worker.post_message_with_transfer(&msg, &transfer);
        }))
    }

    /// Wait until the second worker has taken all but [`IN_FLIGHT`] of the bytes sent; `Err`
    /// when it has failed.
    pub async fn keep_up(&self) -> Result<(), String> {
        while self.sent.get() - self.heard.acked.get() > IN_FLIGHT {
            self.failed()?;
            self.next_message().await;
        }
        self.failed()
    }

    /// Ask for the archive (every entry sent) and wait for it: its length and Blob.
    pub async fn finish(self) -> Result<(usize, Blob), String> {
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"deflate".into(), &"finish".into());
        self.worker.post_message(&msg).map_err(super::io::js_text)?;
        loop {
            if let Some(zipped) = self.heard.zipped.borrow_mut().take() {
                return Ok(zipped);
            }
            self.failed()?;
            self.next_message().await;
        }
    }

    fn failed(&self) -> Result<(), String> {
        self.heard.failed.borrow().clone().map_or(Ok(()), Err)
    }

    /// Resolves when the second worker next posts (or dies).
    async fn next_message(&self) {
        let next = Promise::new(&mut |resolve, _| *self.heard.wake.borrow_mut() = Some(resolve));
        let _ = JsFuture::from(next).await;
    }
}

impl Heard {
    /// A buffer of at least `len` bytes: the smallest spare one that fits, else a new one of the
    /// next power of two (at least 1 MiB), so that it fits more of the writes to come.
    fn buffer_for(&self, len: usize) -> ArrayBuffer {
        let mut spare = self.spare.borrow_mut();
        let fits = spare.iter().enumerate().filter(|(_, b)| b.byte_length() as usize >= len).min_by_key(|(_, b)| b.byte_length()).map(|(at, _)| at);
        match fits {
            Some(at) => spare.swap_remove(at),
            None => ArrayBuffer::new(len.max(1 << 20).next_power_of_two() as u32),
        }
    }

    fn wake(&self) {
        if let Some(resolve) = self.wake.borrow_mut().take() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }
}

impl Drop for DeflateClient {
    fn drop(&mut self) {
        // The handlers are dropped with the client: detached first, so that no message still
        // queued reaches them.
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
