//! The long downloads built over many turns of the worker's event loop (issue #18.4): the zip
//! takes 12.5 s on the real-world profile, the database alone 5 s, `usage_tokens.csv` 1.5 s, and
//! built in one go they kept the worker from answering anything else and from seeing the page's
//! Cancel. The zip posts its files done; the others have no count to show.
//!
//! The concurrency, in one thread:
//! - The build owns a snapshot of the analysis (`Engine::snapshot`, an `Arc`) and the settings'
//!   meta taken at the click, and borrows nothing of the worker's `Held`: no `RefCell` borrow is
//!   held across a pause, so whatever the worker answers meanwhile cannot collide with it.
//! - At each pause of `export::paced` (between entries, datasets, the database's tables, pieces
//!   of a long CSV or of a long entry's compressed stream) it posts its progress when an entry
//!   was finished and returns to the event loop; messages that arrived meanwhile are handled
//!   there: views' questions are answered from the engine's current analysis, a settings change
//!   makes the engine compute a new analysis beside the snapshot (the download keeps the
//!   settings of its click, as before), and a Cancel bumps [`GENERATION`].
//! - After the turn it looks at [`GENERATION`]: moved on, it stops, which drops every file and
//!   the archive built so far, and answers its request with `Response::Cancelled` and how many
//!   files were done.
//!
//! The zip's entries are compressed, its Parquet files written and the archive made by a second
//! worker started for it (`super::deflate_client`), beside this one's building of the next
//! entries; stopping drops the client, which ends that worker.

use super::command::DownloadProgress;
use super::deflate_client::DeflateClient;
use super::io::{reply, reply_blob, scope};
use super::spill::{Keeper, Kept, Part};
use super::zip_blob::Blobs;
use crate::export::bundle::Bundle;
use web_sys::Blob;
use crate::export::{self, ReportMeta};
use crate::export::paced::{self, ENTRIES, Pace, Pieces};
use crate::query::Response;
use crate::query::analysis::Analysis;
use js_sys::{Object, Promise, Reflect};
use std::cell::Cell;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// Bumped by each Cancel (and Clear): a build started under an older number stops at its
    /// next pause.
    static GENERATION: Cell<u64> = const { Cell::new(0) };
}

/// Stop every download being built.
pub fn cancel_all() {
    GENERATION.with(|g| g.set(g.get() + 1));
}

/// Whether `name` is built here, over many turns: the zip, the database and the CSV datasets.
pub fn is_long(name: &str) -> bool {
    name == export::ZIP || name == export::SQLITE || export::CSV_NAMES.contains(&name)
}

/// Build `name` (one of [`is_long`]'s) from `analysis` with `meta` and answer request `id` with it,
/// or with `Response::Cancelled` if a Cancel comes first.
pub fn start(id: f64, name: &'static str, analysis: Arc<Analysis>, meta: ReportMeta) {
    let generation = GENERATION.with(Cell::get);
    let total = if name == export::ZIP { ENTRIES } else { 1 };
    wasm_bindgen_futures::spawn_local(async move {
        let mut pace = Turns { name, generation, done: 0, posted: None, counted: total > 1 };
        pace.post(0);
        // The zip's entries are kept as they end, the database's blocks as they are written
        // (never either file whole in the worker's memory, which does not shrink), on disk where
        // the browser allows it (`super::spill`); the CSVs come whole, then go there too.
        let made = {
            let input = analysis.export_input(&meta);
            match name {
                export::ZIP => zip(&input, &mut pace).await,
                export::SQLITE => database(&input, &mut pace).await,
                _ => csv(&input, name, &mut pace).await,
            }
        };
        // The snapshot goes before the answer: if the settings changed meanwhile, it was the
        // last holder of the old analysis.
        drop(analysis);
        match made {
            Some((bytes, mime, blob)) => {
                let res = Response::Export { name: name.to_string(), mime: mime.to_string(), bytes };
                reply_blob(id, &res, blob);
            }
            None => reply(id, &Response::Cancelled { name: name.to_string(), done: pace.done.min(total), total }),
        }
    });
}

/// A file made: its length, type and Blob (or why there is none).
type Made = (usize, &'static str, Result<Blob, JsValue>);

/// `agent-ledger-export.zip`, its entries compressed by a second worker while this one builds
/// the next ([`DeflateClient`]), or here when none can be started. Either way each entry is
/// kept as it ends, on disk or in a Blob (`super::zip_blob`).
async fn zip(input: &export::ExportInput<'_>, pace: &mut Turns) -> Option<Made> {
    let mime = export::MIME_ZIP;
    let client = match DeflateClient::start(input.meta.generated_at_ms).await {
        Ok(client) => client,
        Err(_) => {
            let (mut bundle, blobs) = Blobs::handing(input.meta.generated_at_ms, Keeper::open(mime).await);
            paced::zip_into(input, pace, Pieces::PAGE, &mut bundle).await?;
            let (len, blob) = blobs.finish(bundle).await;
            return Some((len, mime, blob));
        }
    };
    let mut bundle = Bundle::relaying(client.relay());
    let mut keeping_up = KeepingUp { turns: pace, client: &client, failed: None };
    let built = paced::zip_into(input, &mut keeping_up, Pieces::PAGE, &mut bundle).await;
    if let Some(why) = keeping_up.failed {
        return Some((0, mime, Err(JsValue::from_str(&why))));
    }
    built?;
    let generation = pace.generation;
    let finished = client.finish().await;
    if GENERATION.with(Cell::get) != generation {
        return None;
    }
    Some(match finished {
        Ok((len, blob)) => (len, mime, Ok(blob)),
        Err(why) => (0, mime, Err(JsValue::from_str(&why))),
    })
}

/// The engine's pace while a second worker compresses: at each pause, first wait until that
/// worker has caught up to within [`super::deflate_client::IN_FLIGHT`] bytes; stop if it failed.
struct KeepingUp<'a> {
    turns: &'a mut Turns,
    client: &'a DeflateClient,
    failed: Option<String>,
}

impl Pace for KeepingUp<'_> {
    async fn pause(&mut self, done: usize) -> bool {
        if let Err(why) = self.client.keep_up().await {
            self.failed = Some(why);
            return false;
        }
        self.turns.pause(done).await
    }
}

/// `agent-ledger.sqlite`: each block written for good kept at once (on disk, or in a Blob of its
/// own) and dropped, then the file's Blob made of the first block, those and the last blocks.
async fn database(input: &export::ExportInput<'_>, pace: &mut Turns) -> Option<Made> {
    let mime = export::MIME_SQLITE;
    let keeper = Keeper::open(mime).await;
    let kept = paced::database_kept(input, pace, |block| (block.len(), keeper.keep(&[&block]))).await?;
    let len = kept.head.len() + kept.kept.iter().map(|(n, _)| n).sum::<usize>() + kept.rest.iter().map(Vec::len).sum::<usize>();
    let blocks: Result<Vec<Kept>, JsValue> = kept.kept.into_iter().map(|(_, kept)| kept).collect();
    let blob = match blocks {
        Ok(blocks) => {
            let mut parts = vec![Part::Bytes(&kept.head)];
            parts.extend(blocks.iter().map(Part::Kept));
            parts.extend(kept.rest.iter().map(|p| Part::Bytes(p)));
            keeper.finish(&parts).await
        }
        Err(e) => Err(e),
    };
    Some((len, mime, blob))
}

/// A CSV dataset, built whole (in pieces, over many turns) and then kept (on disk when it can
/// be: `usage_tokens.csv` is 78 MB on the real-world profile).
async fn csv(input: &export::ExportInput<'_>, name: &'static str, pace: &mut Turns) -> Option<Made> {
    let file = paced::one_file(input, name, pace, Pieces::PAGE).await?;
    let keeper = Keeper::open(file.mime).await;
    let blob = match keeper.keep(&[&file.bytes]) {
        Ok(kept) => keeper.finish(&[Part::Kept(&kept)]).await,
        Err(e) => Err(e),
    };
    Some((file.bytes.len(), file.mime, blob))
}

/// The worker's [`Pace`]: a turn of the event loop at every pause.
struct Turns {
    name: &'static str,
    generation: u64,
    done: usize,
    posted: Option<usize>,
    /// Whether the page is told the files done (the zip's entries).
    counted: bool,
}

impl Turns {
    /// Post `{download: <DownloadProgress JSON>}` once per count of finished files.
    fn post(&mut self, done: usize) {
        if !self.counted || self.posted == Some(done) {
            return;
        }
        self.posted = Some(done);
        let p = DownloadProgress { name: self.name.to_string(), done, total: ENTRIES };
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"download".into(), &serde_json::to_string(&p).unwrap_or_default().into());
        let _ = scope().post_message(&msg);
    }
}

impl Pace for Turns {
    async fn pause(&mut self, done: usize) -> bool {
        self.done = done;
        self.post(done);
        turn().await;
        GENERATION.with(Cell::get) == self.generation
    }
}

#[wasm_bindgen]
extern "C" {
    type MessageChannel;
    #[wasm_bindgen(constructor)]
    fn new() -> MessageChannel;
    #[wasm_bindgen(method, getter)]
    fn port1(this: &MessageChannel) -> MessagePort;
    #[wasm_bindgen(method, getter)]
    fn port2(this: &MessageChannel) -> MessagePort;
    type MessagePort;
    #[wasm_bindgen(method, setter)]
    fn set_onmessage(this: &MessagePort, handler: &js_sys::Function);
    #[wasm_bindgen(method, js_name = postMessage)]
    fn post_message(this: &MessagePort, value: &JsValue);
}

/// One turn of the event loop: a message to ourselves through a channel of our own, queued
/// behind the messages that arrived during the last piece of work (the page's Cancel among
/// them). Not `setTimeout(0)`: nested timers are held back 4 ms each, over a hundred pauses.
async fn turn() {
    let channel = MessageChannel::new();
    let arrived = Promise::new(&mut |resolve, _| channel.port1().set_onmessage(&resolve));
    channel.port2().post_message(&JsValue::NULL);
    let _ = JsFuture::from(arrived).await;
    // Held until here so that the channel outlives its message.
    drop(channel);
}
