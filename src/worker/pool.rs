//! A pool of parse workers started by the engine worker for one load: N = max(2,
//! `hardwareConcurrency`) nested dedicated workers (the same binary, [`super::parse`]), each
//! handed whole files, largest first, so that the biggest file does not start last and hold the
//! load up alone. Each worker holds [`FILES_IN_HAND`] files: the next ones wait with their first
//! slice already asked for while the current one is parsed. Their encoded parts come back as
//! transferred buffers, in any order across workers (in order from each); the caller joins them
//! in file order (exact, `ingest::Part`).
//!
//! A worker that dies (a wasm trap surfaces as an `error` event) is replaced: the file it was
//! parsing (the first it had not answered) alone is reported as failed, and the files that
//! waited behind it are handed out again. A worker that dies before it is ready (its script or
//! wasm did not start) is not replaced: it would die again; with none left before any file was
//! handed out, the engine worker parses them itself. Cancel terminates every worker at once
//! ([`stop`]).

use super::io::scope;
use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, Worker};

/// Files handed to a worker at a time: one being parsed, the others with their first read under
/// way. Two workers then keep about as many reads in flight as the engine worker's own reading
/// does (16). On 2 cores, 2 and 8 measured alike (docs/remember.md); 1 was 15-20 % slower.
const FILES_IN_HAND: usize = 8;

/// What is heard of one file handed to the pool: bytes of it parsed (any number of times), then
/// how it ended.
pub enum Outcome {
    /// This many more of its bytes were parsed.
    Read(u64),
    /// The file's encoded part.
    Parsed(Vec<u8>),
    /// The worker died on it; the reason, in words.
    Died(String),
    /// The pool was stopped (Cancel, or a newer load).
    Stopped,
}

/// What a worker said, in the order the events came; each names the worker by its slot and the
/// number it was started with (a replaced worker's late events are not its successor's).
enum Event {
    Ready(Who),
    Read(Who, u64),
    Parsed(Who, Vec<u8>),
    Died(Who, String),
}

#[derive(Clone, Copy, PartialEq)]
struct Who {
    slot: usize,
    started: u32,
}

/// The events of the running load's workers, and the `resolve` of the wait for the next one.
#[derive(Default)]
struct Inbox {
    events: VecDeque<Event>,
    wake: Option<Function>,
    stopped: bool,
}

type SharedInbox = Rc<RefCell<Inbox>>;

impl Inbox {
    fn push(inbox: &SharedInbox, event: Event) {
        let mut inbox = inbox.borrow_mut();
        inbox.events.push_back(event);
        if let Some(wake) = inbox.wake.take() {
            let _ = wake.call0(&JsValue::NULL);
        }
    }
}

thread_local! {
    /// The running load's workers and inbox, so that [`stop`] can end them.
    static RUNNING: RefCell<(Vec<Worker>, Option<SharedInbox>)> = const { RefCell::new((Vec::new(), None)) };
}

/// How many parse workers a load starts.
pub fn size() -> usize {
    (scope().navigator().hardware_concurrency() as usize).max(2)
}

/// Terminate every worker of the running load; its files end as [`Outcome::Stopped`].
pub fn stop() {
    let (workers, inbox) = RUNNING.with(|r| std::mem::take(&mut *r.borrow_mut()));
    for worker in workers {
        worker.terminate();
    }
    if let Some(inbox) = inbox {
        let mut inbox = inbox.borrow_mut();
        inbox.stopped = true;
        if let Some(wake) = inbox.wake.take() {
            let _ = wake.call0(&JsValue::NULL);
        }
    }
}

/// One worker: whether it said it is ready, and the files it holds, in the order handed. A
/// retired one (it died before it was ready, or could not be replaced) is handed nothing more.
struct Member {
    who: Who,
    worker: Option<Worker>,
    ready: bool,
    holds: VecDeque<usize>,
}

impl Member {
    fn retire(&mut self) {
        if let Some(worker) = self.worker.take() {
            worker.terminate();
        }
        self.ready = false;
    }
}

fn spawn(who: Who, inbox: &SharedInbox) -> Result<Member, String> {
    let worker = super::io::new_sibling("agent-ledger-parse")?;
    let on_message = {
        let inbox = inbox.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let data = ev.data();
            match Reflect::get(&data, &"parsed".into()) {
                Ok(buffer) if buffer.is_instance_of::<js_sys::ArrayBuffer>() => {
                    Inbox::push(&inbox, Event::Parsed(who, Uint8Array::new(&buffer).to_vec()));
                }
                _ => match Reflect::get(&data, &"read".into()).ok().and_then(|v| v.as_f64()) {
                    Some(bytes) => Inbox::push(&inbox, Event::Read(who, bytes as u64)),
                    None => Inbox::push(&inbox, Event::Ready(who)),
                },
            }
        })
    };
    let on_error = {
        let inbox = inbox.clone();
        Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |ev: web_sys::ErrorEvent| {
            ev.prevent_default();
            Inbox::push(&inbox, Event::Died(who, ev.message()));
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // Kept alive for the worker's whole life, which ends with the load: two small closures per
    // worker per load are left behind (a handler dropped while its worker could still post
    // would throw instead).
    on_message.forget();
    on_error.forget();
    RUNNING.with(|r| r.borrow_mut().0.push(worker.clone()));
    Ok(Member { who, worker: Some(worker), ready: false, holds: VecDeque::new() })
}

/// Hand `file` to `member` (it said it is ready); `false` if it could not be.
fn give(member: &mut Member, file: usize, (name, handle): &(String, File)) -> bool {
    let msg = Object::new();
    let _ = Reflect::set(&msg, &"parse".into(), &name.into());
    let _ = Reflect::set(&msg, &"file".into(), handle);
    let _ = Reflect::set(&msg, &"job".into(), &(file as f64).into());
    let posted = member.worker.as_ref().is_some_and(|w| w.post_message(&msg).is_ok());
    if posted {
        member.holds.push_back(file);
    }
    posted
}

/// Resolves at the next event (or at once if one is waiting, or the pool was stopped).
async fn next_event(inbox: &SharedInbox) {
    let wait = {
        let mut inbox = inbox.borrow_mut();
        if !inbox.events.is_empty() || inbox.stopped {
            return;
        }
        let mut wake = None;
        let promise = Promise::new(&mut |resolve, _| wake = Some(resolve));
        inbox.wake = wake;
        promise
    };
    let _ = JsFuture::from(wait).await;
}

/// Parse `order` (indexes into `files`, largest first) in a pool; `done(file, outcome)` as each
/// one ends, in any order. `Err` when no worker could be started or none became ready, before
/// any file was handed out (the caller parses them itself).
pub async fn run(files: &[(String, File)], order: &[usize], mut done: impl FnMut(usize, Outcome)) -> Result<(), String> {
    let inbox: SharedInbox = Rc::default();
    RUNNING.with(|r| r.borrow_mut().1 = Some(inbox.clone()));
    let n = size().min(order.len()).max(1);
    let mut members: Vec<Member> = match (0..n).map(|slot| spawn(Who { slot, started: 0 }, &inbox)).collect() {
        Ok(members) => members,
        Err(e) => {
            stop();
            return Err(e);
        }
    };
    // Files not yet handed out, in the order to hand them (a dead worker's waiting files go
    // back to the front).
    let mut pending: VecDeque<usize> = order.iter().copied().collect();
    let mut handed_any = false;
    let mut why_retired = String::new();
    loop {
        for member in members.iter_mut().filter(|m| m.ready) {
            while member.holds.len() < FILES_IN_HAND {
                let Some(file) = pending.pop_front() else { break };
                if !give(member, file, &files[file]) {
                    pending.push_front(file);
                    member.retire();
                    why_retired = "a file could not be handed to a parse worker".into();
                    break;
                }
                handed_any = true;
            }
        }
        if pending.is_empty() && members.iter().all(|m| m.holds.is_empty()) {
            break;
        }
        // Every worker retired: nothing will answer. Before any file was handed out the caller
        // parses them all itself; after, the rest are reported (it would parse some twice).
        if members.iter().all(|m| m.worker.is_none()) {
            stop();
            if !handed_any {
                return Err(why_retired);
            }
            for file in pending.drain(..) {
                done(file, Outcome::Died(format!("no parse worker was left: {why_retired}")));
            }
            return Ok(());
        }
        next_event(&inbox).await;
        if inbox.borrow().stopped {
            for file in members.iter_mut().flat_map(|m| m.holds.drain(..)).chain(pending.drain(..)) {
                done(file, Outcome::Stopped);
            }
            return Ok(());
        }
        let events = std::mem::take(&mut inbox.borrow_mut().events);
        for event in events {
            let (Event::Ready(who) | Event::Read(who, _) | Event::Parsed(who, _) | Event::Died(who, _)) = &event;
            let member = &mut members[who.slot];
            if member.who != *who {
                continue;
            }
            match event {
                Event::Ready(_) => member.ready = true,
                Event::Read(_, bytes) => {
                    if let Some(&file) = member.holds.front() {
                        done(file, Outcome::Read(bytes));
                    }
                }
                Event::Parsed(_, bytes) => {
                    if let Some(file) = member.holds.pop_front() {
                        done(file, Outcome::Parsed(bytes));
                    }
                }
                // A worker that died before it was ready (its script or wasm did not start)
                // would die again: retired, not replaced.
                Event::Died(_, why) if !member.ready => {
                    member.retire();
                    why_retired = why;
                }
                // A worker that trapped is not trusted with another file; the events it sent
                // before are already taken, and a new worker takes its place (and its slot).
                Event::Died(who, why) => {
                    member.retire();
                    if let Some(file) = member.holds.pop_front() {
                        done(file, Outcome::Died(why));
                    }
                    for file in member.holds.drain(..).rev() {
                        pending.push_front(file);
                    }
                    match spawn(Who { slot: who.slot, started: who.started + 1 }, &inbox) {
                        Ok(fresh) => *member = fresh,
                        Err(e) => why_retired = e,
                    }
                }
            }
        }
    }
    stop();
    Ok(())
}
