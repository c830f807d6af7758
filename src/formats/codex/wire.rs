//! The on-disk shapes of Codex rollout lines (G2+), as borrowed serde structs.
//!
//! One struct covers every payload kind so that each line is scanned once: fields that differ in
//! type between kinds (`source`, `message`, `status`, `output`…) are kept as raw JSON and decoded
//! only where the kind is known. Unknown fields are skipped.

use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

#[derive(Deserialize)]
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
    #[serde(borrow, default)]
    pub id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub timestamp: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub cwd: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub originator: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub cli_version: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub source: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub git: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub forked_from_id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub parent_thread_id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub model_provider: Option<&'a RawValue>,
    // turn_context
    #[serde(borrow, default)]
    pub model: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub effort: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub approval_policy: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub sandbox_policy: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub turn_id: Option<&'a RawValue>,
    // event_msg token_count
    #[serde(borrow, default)]
    pub info: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub rate_limits: Option<&'a RawValue>,
    // event_msg user_message, compacted, error
    #[serde(borrow, default)]
    pub message: Option<&'a RawValue>,
    // response items
    #[serde(borrow, default)]
    pub name: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub namespace: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub arguments: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub input: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub call_id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub output: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub status: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub action: Option<&'a RawValue>,
    // *_end events
    #[serde(borrow, default)]
    pub duration: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub exit_code: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub success: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub result: Option<&'a RawValue>,
    // event_msg item_completed (G2.3)
    #[serde(borrow, default)]
    pub item: Option<&'a RawValue>,
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
#[derive(Deserialize, Default)]
pub struct Info {
    #[serde(default)]
    pub total_token_usage: Option<Usage>,
    #[serde(default)]
    pub last_token_usage: Option<Usage>,
    #[serde(default)]
    pub model_context_window: Option<i64>,
}

/// `rate_limits`, nested (≈0.45+) or flat (0.40).
#[derive(Deserialize, Default)]
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

#[derive(Deserialize, Default)]
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
    #[serde(borrow, default)]
    pub text: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub content: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub status: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub exit_code: Option<&'a RawValue>,
    #[serde(default)]
    pub duration_ms: Option<f64>,
}

/// Decode a raw JSON value as text: a string's content, else `None`.
pub fn text<'a>(raw: Option<&'a RawValue>) -> Option<Cow<'a, str>> {
    serde_json::from_str::<Option<Cow<'a, str>>>(raw?.get()).ok().flatten()
}

/// Decode a raw JSON value as an integer (numbers, or numeric strings).
pub fn int(raw: Option<&RawValue>) -> Option<i64> {
    let s = raw?.get().trim_matches('"');
    s.parse::<i64>().ok().or_else(|| s.parse::<f64>().ok().map(|f| f as i64))
}

/// Decode a raw JSON value into `T`, `None` when absent, null or of another shape.
pub fn decode<'a, T: Deserialize<'a>>(raw: Option<&'a RawValue>) -> Option<T> {
    serde_json::from_str::<Option<T>>(raw?.get()).ok().flatten()
}
