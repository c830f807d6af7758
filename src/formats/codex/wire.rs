//! The on-disk shapes of Codex rollout lines (G2+), as borrowed serde structs.
//!
//! One struct covers every payload kind so that each line is scanned once: fields that differ in
//! type between kinds (`source`, `message`, `status`, `output`…) are kept as raw JSON text (what
//! serde's `RawValue` holds, read through [`raw`]) and decoded only where the kind is known.
//! Unknown fields are skipped. The same structs are filled by the fast scanner (`fast.rs`);
//! serde reads the lines it bails on.

use crate::scan;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use std::borrow::Cow;

/// A field kept as its raw JSON text: exactly `Option<&RawValue>`, as a `&str`.
pub fn raw<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Option<&'a str>, D::Error> {
    Ok(Option::<&'de RawValue>::deserialize(d)?.map(RawValue::get))
}

#[derive(Deserialize, Default)]
pub struct Line<'a> {
    #[serde(borrow, default)]
    pub timestamp: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type", default)]
    pub kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub payload: Option<Payload<'a>>,
}

#[derive(Deserialize, Default)]
pub struct Payload<'a> {
    #[serde(borrow, rename = "type", default)]
    pub kind: Option<Cow<'a, str>>,
    // session_meta
    #[serde(borrow, default, deserialize_with = "raw")]
    pub id: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub timestamp: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub cwd: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub originator: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub cli_version: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub source: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub git: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub forked_from_id: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub parent_thread_id: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub model_provider: Option<&'a str>,
    // turn_context
    #[serde(borrow, default, deserialize_with = "raw")]
    pub model: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub effort: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub approval_policy: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub sandbox_policy: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub turn_id: Option<&'a str>,
    // event_msg token_count
    #[serde(borrow, default, deserialize_with = "raw")]
    pub info: Option<&'a str>,
    /// `info` as the fast scanner read it in passing (serde leaves it unset: then `info` is
    /// decoded).
    #[serde(skip)]
    pub info_read: Option<Info>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub rate_limits: Option<&'a str>,
    /// `rate_limits` as the fast scanner read it in passing.
    #[serde(skip)]
    pub rate_limits_read: Option<RateLimits>,
    // event_msg user_message, compacted, error
    #[serde(borrow, default, deserialize_with = "raw")]
    pub message: Option<&'a str>,
    // response items
    #[serde(borrow, default, deserialize_with = "raw")]
    pub name: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub namespace: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub arguments: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub input: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub call_id: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub output: Option<&'a str>,
    /// The decoded length of `output` when it is a string, if the fast scanner measured it
    /// (serde leaves it unset, and the text is then decoded to measure it).
    #[serde(skip)]
    pub output_len: Option<u64>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub status: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub action: Option<&'a str>,
    // *_end events
    #[serde(borrow, default, deserialize_with = "raw")]
    pub duration: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub exit_code: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub success: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub result: Option<&'a str>,
    // event_msg item_completed (G2.3)
    #[serde(borrow, default, deserialize_with = "raw")]
    pub item: Option<&'a str>,
    // response_item message (the agent's replies)
    #[serde(borrow, default, deserialize_with = "raw")]
    pub role: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub content: Option<&'a str>,
}

/// `TokenUsage`: the five counters (plus the 2026 cache-write counter).
#[derive(Deserialize, Default, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(default)]
pub struct Usage {
    pub input_tokens: i64,
    pub cached_input_tokens: i64,
    pub output_tokens: i64,
    pub reasoning_output_tokens: i64,
    pub total_tokens: i64,
    pub cache_write_input_tokens: i64,
}

impl Usage {
    pub fn counts(&self) -> crate::model::TokenCounts {
        crate::model::TokenCounts {
            input_tokens: self.input_tokens,
            cached_input_tokens: self.cached_input_tokens,
            output_tokens: self.output_tokens,
            reasoning_output_tokens: self.reasoning_output_tokens,
            total_tokens: self.total_tokens,
        }
    }

    /// After compaction Codex logs a context-size estimate: every component 0 but the total.
    pub fn is_context_marker(&self) -> bool {
        self.total_tokens != 0
            && self.input_tokens == 0
            && self.cached_input_tokens == 0
            && self.output_tokens == 0
            && self.reasoning_output_tokens == 0
    }
}

/// `TokenUsageInfo`.
#[derive(Deserialize, Default, Clone, Copy, Debug)]
pub struct Info {
    #[serde(default)]
    pub total_token_usage: Option<Usage>,
    #[serde(default)]
    pub last_token_usage: Option<Usage>,
    #[serde(default)]
    pub model_context_window: Option<i64>,
}

/// `rate_limits`, nested (≈0.45+) or flat (0.40).
#[derive(Deserialize, Default, Clone, Copy, Debug)]
pub struct RateLimits {
    #[serde(default)]
    pub primary: Option<Window>,
    #[serde(default)]
    pub secondary: Option<Window>,
    #[serde(default)]
    pub primary_used_percent: Option<f64>,
    #[serde(default)]
    pub secondary_used_percent: Option<f64>,
}

#[derive(Deserialize, Default, Clone, Copy, Debug)]
pub struct Window {
    #[serde(default)]
    pub used_percent: Option<f64>,
}

#[derive(Deserialize, Default)]
pub struct Git<'a> {
    #[serde(borrow, default)]
    pub commit_hash: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub branch: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub repository_url: Option<Cow<'a, str>>,
}

/// `duration: {secs, nanos}` of `*_end` events.
#[derive(Deserialize, Default)]
pub struct Duration {
    #[serde(default)]
    pub secs: f64,
    #[serde(default)]
    pub nanos: f64,
}

/// The `item` of `item_completed` (PascalCase kinds on disk).
#[derive(Deserialize, Default)]
pub struct Item<'a> {
    #[serde(borrow, rename = "type", default)]
    pub kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub id: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub text: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub content: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub status: Option<&'a str>,
    #[serde(borrow, default, deserialize_with = "raw")]
    pub exit_code: Option<&'a str>,
    #[serde(default)]
    pub duration_ms: Option<f64>,
}

/// Decode a raw JSON value as text: a string's content, else `None`.
pub fn text(raw: Option<&str>) -> Option<Cow<'_, str>> {
    // A raw value is validated JSON: one that opens with a quote is exactly one string, and
    // nothing else reads as text (serde would fail on it, at the cost of an error message).
    let body = raw?.strip_prefix('"')?.strip_suffix('"')?;
    match scan::decode_validated(body) {
        Some(decoded) => Some(decoded),
        None => serde_json::from_str::<Option<Cow<'_, str>>>(raw?).ok().flatten(),
    }
}

/// Decode a raw JSON value as an integer (numbers, or numeric strings).
pub fn int(raw: Option<&str>) -> Option<i64> {
    let s = raw?.trim_matches('"');
    s.parse::<i64>().ok().or_else(|| s.parse::<f64>().ok().map(|f| f as i64))
}

/// Decode a raw JSON value into `T`, `None` when absent, null or of another shape.
pub fn decode<'a, T: Deserialize<'a>>(raw: Option<&'a str>) -> Option<T> {
    serde_json::from_str::<Option<T>>(raw?).ok().flatten()
}
