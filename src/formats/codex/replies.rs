//! The agent's replies in Codex rollouts (G2+; the legacy G1/G0 files use the same item).
//!
//! Codex logs each assistant answer up to three times: as the model's output item
//! (`response_item` `{type:"message", role:"assistant", content:[{type:"output_text", text}]}`),
//! and as UI events mirroring it, `event_msg` `agent_message` `{message}` (0.40 onwards, written
//! just before the item) and, from G2.3, `event_msg` `item_completed` `AgentMessage`. Exactly one
//! is taken: the `response_item`. It is the one every generation writes (G0 and G1 have no
//! events at all), it is the text the model actually produced and that a resumed thread is
//! rebuilt from, and it carries the `phase` (commentary / final answer) of newer builds. The
//! events are skipped, so nothing has to pair them up: on the real samples in
//! `shared/corpus/real/codex-rollout` every `agent_message` is followed by its item with the same
//! text (9 of 9, 1 of 1, 43 of 43, 255 of 255, 1 of 1, 6 of 6 per file), so the item alone gives
//! each reply once.
//!
//! A reply is the `output_text` (or `text`) parts of the content joined by newlines; a message
//! with no text (an image only) is no reply. Recording one never changes the line's bucket: the
//! item stays `Skipped` as before (see `formats/mod.rs`), so the ingest report counts what it did.

use super::wire::{Payload, decode, text};
use crate::model::{Interner, Millis, Reply, SNIPPET_CHARS, Source, snippet};
use serde::Deserialize;
use std::borrow::Cow;

/// One part of a message's `content`; only its text matters.
#[derive(Deserialize)]
struct Part<'a> {
    #[serde(borrow, rename = "type", default)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    text: Option<Cow<'a, str>>,
}

/// The reply a `response_item` payload holds, if it is an assistant message with text (its
/// session id and model held once in `interned`).
pub fn reply(p: &Payload, ts: Option<Millis>, src: Source, session: &str, model: Option<&str>, interned: &mut Interner) -> Option<Reply> {
    if p.kind.as_deref() != Some("message") || text(p.role).as_deref() != Some("assistant") {
        return None;
    }
    let text = message_text(p.content?)?;
    Some(Reply {
        session_id: interned.get(session),
        source: src,
        ts_ms: ts,
        model: interned.opt(model),
        preview: snippet(&text, SNIPPET_CHARS),
        copy_key: None,
    })
}

/// The text parts of a message's `content` (a list of parts, or a plain string), joined by
/// newlines; `None` when there is no text that is not blank.
pub fn message_text(content: &str) -> Option<String> {
    let joined = match decode::<Vec<Part>>(Some(content)) {
        Some(parts) => {
            let texts: Vec<&str> = parts
                .iter()
                .filter(|p| matches!(p.kind.as_deref(), None | Some("output_text" | "text")))
                .filter_map(|p| p.text.as_deref())
                .collect();
            texts.join("\n")
        }
        None => text(Some(content))?.into_owned(),
    };
    (!joined.trim().is_empty()).then_some(joined)
}
