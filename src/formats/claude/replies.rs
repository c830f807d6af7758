//! Claude's replies: the `text` blocks of `assistant` lines (docs/formats.md §2.4–2.5).
//!
//! Claude Code writes one line per content block of a response (thinking, text, tool_use), all
//! repeating `message.id`, so a reply is the text of one line: its `text` blocks joined by
//! newlines (a string `content` counts as one block). Thinking is not a reply, and neither is a
//! `<synthetic>` message (local error text; the adapter skips those lines before this).
//!
//! Copies: a resumed session copies earlier lines into a new file and a sidechain replays
//! main-chain messages, both with the same `message.id` and the same text. The usage dedup
//! (`usage.rs`) keys on `message.id`+`requestId` and keeps the largest snapshot; a reply has no
//! tokens, so its copies are recognised by `message.id` and the whole text ([`Reply::copy_key`],
//! a 64-bit hash, since the row keeps only a preview) and the earliest copy by file name and line
//! stays, as usage ties do. A line without `message.id` is never taken for a copy. The dropped
//! copies' lines keep their bucket: that is the usage dedup's to decide.

use super::usage::FileOrder;
use super::wire::{Content, Line, Message};
use crate::model::{Interner, Millis, Reply, SNIPPET_CHARS, Source, Tables, snippet};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::hash::{Hash, Hasher};

/// The reply of a (non-synthetic) assistant line, when it has text that is not blank.
pub fn reply(line: &Line, msg: &Message, src: Source, ts: Option<Millis>, interned: &mut Interner) -> Option<Reply> {
    let text: Cow<str> = match &msg.content {
        Content::Text(t) => Cow::Borrowed(t.as_ref()),
        Content::Blocks(blocks) => {
            let mut texts = blocks.iter().filter(|b| b.is("text")).filter_map(|b| b.text.as_ref()).map(|t| t.get());
            let first = texts.next()?;
            match texts.next() {
                // One text block per line is the rule: no copy then.
                None => first,
                Some(second) => {
                    let mut all = vec![first, second];
                    all.extend(texts);
                    Cow::Owned(all.join("\n"))
                }
            }
        }
        Content::Empty => return None,
    };
    if text.trim().is_empty() {
        return None;
    }
    let id = msg.id.as_deref().filter(|id| !id.is_empty());
    Some(Reply {
        session_id: interned.get(line.session_id.as_deref().unwrap_or_default()),
        source: src,
        ts_ms: ts,
        model: interned.opt(msg.model.as_deref().filter(|m| !m.is_empty())),
        preview: snippet(&text, SNIPPET_CHARS),
        copy_key: id.map(|id| copy_key(id, &text)),
    })
}

/// A hash of the message id and the whole text. SipHash with fixed keys: 64 bits on every target
/// (the page runs on 32-bit wasm, where a word-sized hash would collide among many replies).
fn copy_key(message_id: &str, text: &str) -> u64 {
    #[allow(deprecated)]
    let mut h = std::hash::SipHasher::new();
    message_id.hash(&mut h);
    text.hash(&mut h);
    h.finish()
}

/// Keep one reply per copy key over every file: the earliest by file name, then line. Linear;
/// the replies that stay keep their order.
pub fn dedupe_across_files(tables: &mut Tables) {
    if tables.replies.iter().all(|r| r.copy_key.is_none()) {
        return;
    }
    let order = FileOrder::by_name(tables);
    let mut best: FxHashMap<u64, usize> = FxHashMap::default();
    let mut drop = vec![false; tables.replies.len()];
    for (i, r) in tables.replies.iter().enumerate() {
        let Some(key) = r.copy_key else { continue };
        match best.entry(key) {
            Entry::Vacant(slot) => {
                slot.insert(i);
            }
            Entry::Occupied(mut slot) => {
                let held = *slot.get();
                if order.at(r.source) < order.at(tables.replies[held].source) {
                    drop[held] = true;
                    slot.insert(i);
                } else {
                    drop[i] = true;
                }
            }
        }
    }
    let mut index = 0;
    tables.replies.retain(|_| {
        index += 1;
        !drop[index - 1]
    });
}
