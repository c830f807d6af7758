//! The on-disk shapes of Claude Code transcript lines (docs/formats.md §2.2–2.4), as borrowed
//! serde structs read in one pass over the line.
//!
//! Every field is read leniently ([`super::lenient`]): a field of an unexpected JSON type reads
//! as absent, `false` or 0 instead of failing the line. Strings borrow from the line unless they
//! hold escapes. A tool's `input` stays raw JSON (its size and a snippet are all we keep); big
//! fields we do not need (`toolUseResult` beyond its timing, thinking text, images) are skipped
//! without being stored. Unknown fields are ignored.

use super::lenient::{Obj, count, drain_map, flag, number, objects, read_others_as, string};
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// The fields of one transcript line that the adapter reads.
#[derive(Deserialize, Default)]
pub struct Line<'a> {
    #[serde(rename = "type", borrow, default, deserialize_with = "string")]
    pub kind: Option<Cow<'a, str>>,
    #[serde(rename = "sessionId", borrow, default, deserialize_with = "string")]
    pub session_id: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "string")]
    pub timestamp: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "string")]
    pub cwd: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "string")]
    pub version: Option<Cow<'a, str>>,
    #[serde(rename = "gitBranch", borrow, default, deserialize_with = "string")]
    pub git_branch: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "string")]
    pub entrypoint: Option<Cow<'a, str>>,
    #[serde(rename = "agentId", borrow, default, deserialize_with = "string")]
    pub agent_id: Option<Cow<'a, str>>,
    #[serde(rename = "isSidechain", default, deserialize_with = "flag")]
    pub is_sidechain: bool,
    #[serde(rename = "isMeta", default, deserialize_with = "flag")]
    pub is_meta: bool,
    #[serde(rename = "isCompactSummary", default, deserialize_with = "flag")]
    pub is_compact_summary: bool,
    #[serde(rename = "requestId", borrow, default, deserialize_with = "string")]
    pub request_id: Option<Cow<'a, str>>,
    #[serde(rename = "permissionMode", borrow, default, deserialize_with = "string")]
    pub permission_mode: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "string")]
    pub effort: Option<Cow<'a, str>>,
    /// Present and not null on tool results the user (or a rule) denied (2.1.x).
    #[serde(rename = "toolDenialKind", default)]
    pub tool_denial_kind: Option<IgnoredAny>,
    /// `None` when absent or null; `Some(Obj::Other)` when not an object.
    #[serde(borrow, default)]
    pub message: Option<Obj<Message<'a>>>,
    #[serde(rename = "toolUseResult", default)]
    pub tool_use_result: Obj<ToolTiming>,
}

/// `message` of a `user` or `assistant` line.
#[derive(Deserialize)]
pub struct Message<'a> {
    #[serde(borrow, default, deserialize_with = "string")]
    pub id: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "string")]
    pub model: Option<Cow<'a, str>>,
    /// `None` when null or absent: a mid-stream snapshot.
    #[serde(default)]
    pub stop_reason: Option<IgnoredAny>,
    #[serde(borrow, default)]
    pub usage: Obj<Usage<'a>>,
    #[serde(borrow, default)]
    pub content: Content<'a>,
}

/// `message.usage`, Anthropic's convention: `input_tokens` excludes cache reads and writes.
#[derive(Deserialize)]
pub struct Usage<'a> {
    #[serde(default, deserialize_with = "count")]
    pub input_tokens: i64,
    #[serde(default, deserialize_with = "count")]
    pub cache_creation_input_tokens: i64,
    #[serde(default, deserialize_with = "count")]
    pub cache_read_input_tokens: i64,
    #[serde(default, deserialize_with = "count")]
    pub output_tokens: i64,
    #[serde(default)]
    pub cache_creation: Obj<CacheCreation>,
    #[serde(default)]
    pub output_tokens_details: Obj<OutputDetails>,
    #[serde(borrow, default, deserialize_with = "string")]
    pub speed: Option<Cow<'a, str>>,
}

/// `usage.cache_creation`: the cache writes split by time to live.
#[derive(Deserialize)]
pub struct CacheCreation {
    #[serde(default, deserialize_with = "count")]
    pub ephemeral_5m_input_tokens: i64,
    #[serde(default, deserialize_with = "count")]
    pub ephemeral_1h_input_tokens: i64,
}

impl CacheCreation {
    pub const ZERO: CacheCreation = CacheCreation { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 };
}

/// `usage.output_tokens_details` (2026 builds).
#[derive(Deserialize)]
pub struct OutputDetails {
    #[serde(default, deserialize_with = "count")]
    pub thinking_tokens: i64,
}

impl OutputDetails {
    pub const ZERO: OutputDetails = OutputDetails { thinking_tokens: 0 };
}

/// The tool's own timing inside `toolUseResult` (Glob/Grep `durationMs`, WebSearch
/// `durationSeconds`); the rest of that often large object is skipped.
#[derive(Deserialize)]
pub struct ToolTiming {
    #[serde(rename = "durationMs", default, deserialize_with = "number")]
    pub duration_ms: Option<f64>,
    #[serde(rename = "durationSeconds", default, deserialize_with = "number")]
    pub duration_seconds: Option<f64>,
}

/// One content block of a message (`text`, `thinking`, `tool_use`, `tool_result`, `image`…).
#[derive(Deserialize)]
pub struct Block<'a> {
    #[serde(rename = "type", borrow, default, deserialize_with = "string")]
    pub kind: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text_field")]
    pub text: Option<Text<'a>>,
    // tool_use
    #[serde(borrow, default, deserialize_with = "string")]
    pub id: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "string")]
    pub name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub input: Option<RawText<'a>>,
    // tool_result
    #[serde(borrow, default, deserialize_with = "string")]
    pub tool_use_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub content: ResultText<'a>,
    #[serde(default, deserialize_with = "flag")]
    pub is_error: bool,
}

impl Block<'_> {
    pub fn is(&self, kind: &str) -> bool {
        self.kind.as_deref() == Some(kind)
    }
}

/// A message's `content`: a plain string or a list of blocks (elements that are not objects are
/// left out).
#[derive(Default)]
pub enum Content<'a> {
    Text(Cow<'a, str>),
    Blocks(Vec<Block<'a>>),
    #[default]
    Empty,
}

impl<'a> Content<'a> {
    pub fn blocks(&self) -> &[Block<'a>] {
        match self {
            Content::Blocks(b) => b,
            _ => &[],
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Content<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ContentVisitor)
    }
}

struct ContentVisitor;

impl<'de> Visitor<'de> for ContentVisitor {
    type Value = Content<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Content::Text(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Content::Text(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Content::Text(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        objects(de::value::SeqAccessDeserializer::new(seq)).map(Content::Blocks)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        drain_map(map).map(|_| Content::Empty)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    read_others_as!(Content::Empty);
}

/// A string only some lines read (a block's `text`: queries and replies need it, tool results not).
/// Serde hands it decoded; the fast scanner hands the JSON string body and it is decoded when
/// read.
#[derive(Debug)]
pub enum Text<'a> {
    Decoded(Cow<'a, str>),
    /// A validated JSON string body without surrogate escapes (the scanner bails on those), so
    /// decoding it cannot fail.
    Escaped(&'a str),
}

impl<'a> Text<'a> {
    pub fn get(&self) -> Cow<'a, str> {
        match self {
            Text::Decoded(text) => text.clone(),
            Text::Escaped(raw) => crate::scan::decode_validated(raw).unwrap_or(Cow::Borrowed(raw)),
        }
    }
}

/// `lenient::string`, as a [`Text`].
fn text_field<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Option<Text<'a>>, D::Error> {
    string(d).map(|s| s.map(Text::Decoded))
}

/// A value kept as its raw JSON text: what serde's `RawValue` holds (the fast scanner hands out
/// the same span).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawText<'a>(pub &'a str);

impl<'a> RawText<'a> {
    pub fn get(&self) -> &'a str {
        self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawText<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'de RawValue>::deserialize(d).map(|r| RawText(r.get()))
    }
}

/// The text of a `tool_result`'s `content`: the string itself, or the `text` of each object in
/// a list (whatever its block type). Serde keeps the texts; the fast scanner keeps only what the
/// adapter reads of them, measured while scanning ([`Measured`]), and no texts.
#[derive(Default)]
pub struct ResultText<'a>(pub Vec<Cow<'a, str>>, pub Option<Measured>);

/// What the adapter reads of a result's texts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Measured {
    /// The UTF-8 bytes of the texts, together.
    pub bytes: u64,
    /// A text holds [`DENIAL_TEXT`].
    pub denial: bool,
}

/// What Claude Code writes into a tool result the user declined.
pub const DENIAL_TEXT: &str = "The user doesn't want to proceed";

impl ResultText<'_> {
    pub fn measured(&self) -> Measured {
        self.1.unwrap_or_else(|| Measured {
            bytes: self.0.iter().map(|t| t.len() as u64).sum(),
            denial: self.0.iter().any(|t| t.contains(DENIAL_TEXT)),
        })
    }
}

/// A block of a `tool_result`'s content list; only its text matters.
#[derive(Deserialize)]
struct TextBlock<'a> {
    #[serde(borrow, default, deserialize_with = "string")]
    text: Option<Cow<'a, str>>,
}

impl<'de: 'a, 'a> Deserialize<'de> for ResultText<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ResultTextVisitor)
    }
}

struct ResultTextVisitor;

impl<'de> Visitor<'de> for ResultTextVisitor {
    type Value = ResultText<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(ResultText(vec![Cow::Borrowed(v)], None))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(ResultText(vec![Cow::Owned(v.to_owned())], None))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(ResultText(vec![Cow::Owned(v)], None))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let blocks: Vec<TextBlock> = objects(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(ResultText(blocks.into_iter().filter_map(|b| b.text).collect(), None))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        drain_map(map).map(|_| ResultText::default())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    read_others_as!(ResultText::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_lists_keep_their_object_blocks() {
        let msg: Message = serde_json::from_str(r#"{"content":["junk",{"type":"text","text":"hi"},7,[1]]}"#).unwrap();
        let kinds: Vec<_> = msg.content.blocks().iter().map(|b| b.kind.as_deref()).collect();
        assert_eq!(kinds, [Some("text")]);
        let msg: Message = serde_json::from_str(r#"{"content":"plain"}"#).unwrap();
        assert!(matches!(msg.content, Content::Text(Cow::Borrowed("plain"))));
        let msg: Message = serde_json::from_str(r#"{"content":{"type":"text"}}"#).unwrap();
        assert!(matches!(msg.content, Content::Empty));
    }

    #[test]
    fn tool_results_keep_their_text_and_raw_input() {
        let json = r#"{"content":[
            {"type":"tool_result","content":[{"type":"text","text":"a"},{"text":"b"},{"x":1},"c"]},
            {"type":"tool_result","content":"d\n"},
            {"type":"tool_use","input":{"k": [1, 2]}}]}"#;
        let msg: Message = serde_json::from_str(json).unwrap();
        let texts: Vec<Vec<&str>> =
            msg.content.blocks().iter().map(|b| b.content.0.iter().map(|t| t.as_ref()).collect()).collect();
        assert_eq!(texts, [vec!["a", "b"], vec!["d\n"], vec![]]);
        assert_eq!(msg.content.blocks()[2].input.map(|r| r.get()), Some(r#"{"k": [1, 2]}"#));
    }
}
