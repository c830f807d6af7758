//! Model-name normalisation: the spellings logs use → the keys prices are listed under.
//!
//! Rules (docs/formats.md 5.1, last bullet; what-users-ask.md item 18):
//! - provider prefixes go: `openai/gpt-5`, `anthropic/claude-…`, `models/gemini-…` (the Gemini
//!   API's own spelling), `vertex_ai/…` — everything up to the last `/`;
//! - Bedrock and Vertex spellings of Claude become the Anthropic id:
//!   `us.anthropic.claude-sonnet-4-5-20250929-v1:0` and `claude-sonnet-4-5@20250929` both become
//!   `claude-sonnet-4-5-20250929`;
//! - suffixes go, repeatedly: a context tag (`[1m]`), `-fast`, a date (`-YYYYMMDD` as Anthropic
//!   writes it, `-YYYY-MM-DD` as OpenAI does);
//! - `codex-auto-review`, the model name Codex logs for its automatic review sub-agent, has no
//!   price of its own (ccusage#988). It is priced as `gpt-5-codex`, the Codex model of the era
//!   that alias appeared in (autumn 2025), the conservative choice: a later, dearer Codex model
//!   would overstate what most of those logs cost.
//!
//! [`candidates`] lists every form, most specific first, the name as given first of all; the
//! price book tries them in that order. Slicing happens only right before ASCII bytes that were
//! checked, so every cut lands on a char boundary.

/// What `codex-auto-review` is priced as (see the module doc).
pub const CODEX_AUTO_REVIEW_MODEL: &str = "gpt-5-codex";

/// Every spelling to try for `model`, most specific first; the first is `model` trimmed.
pub fn candidates(model: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: &str| {
        if !s.is_empty() && !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    };
    let given = model.trim();
    push(given);
    let lower = given.to_ascii_lowercase();
    push(&lower);
    let bare = strip_provider(&lower);
    push(bare);
    let anthropic = anthropic_id(bare);
    push(&anthropic);
    let mut current = anthropic;
    while let Some(shorter) = strip_one_suffix(&current) {
        push(shorter);
        current = shorter.to_string();
    }
    if current == "codex-auto-review" {
        push(CODEX_AUTO_REVIEW_MODEL);
    }
    out
}

/// True when the name itself says the request ran in fast mode (`claude-opus-4-8-fast`).
pub fn names_fast_mode(model: &str) -> bool {
    candidates(model).iter().any(|c| c.ends_with("-fast"))
}

/// `openai/gpt-5` → `gpt-5`; `vertex_ai/claude-3-5-sonnet@20240620` → `claude-3-5-sonnet@20240620`.
fn strip_provider(s: &str) -> &str {
    s.rsplit_once('/').map_or(s, |(_, tail)| tail)
}

/// Bedrock (`[region.]anthropic.<id>-v1:0`) and Vertex (`<id>@<date>`) spellings → `<id>[-<date>]`.
fn anthropic_id(s: &str) -> String {
    let mut id = s.split_once("anthropic.").map_or(s, |(_, tail)| tail);
    if let Some(stripped) = strip_bedrock_version(id) {
        id = stripped;
    }
    match id.split_once('@') {
        Some((base, "default" | "latest")) => base.to_string(),
        Some((base, date)) => format!("{base}-{date}"),
        None => id.to_string(),
    }
}

/// `…-v1:0`, `…-v2:0`, `…-v1` → `…`.
fn strip_bedrock_version(s: &str) -> Option<&str> {
    let (base, version) = s.rsplit_once("-v")?;
    let digits_and_colons = !version.is_empty()
        && version.bytes().all(|b| b.is_ascii_digit() || b == b':')
        && version.as_bytes().first().is_some_and(u8::is_ascii_digit);
    digits_and_colons.then_some(base)
}

/// One suffix less: `[1m]`, `-fast`, `-YYYYMMDD`, `-YYYY-MM-DD`; None when there is none.
fn strip_one_suffix(s: &str) -> Option<&str> {
    if let Some(open) = s.strip_suffix(']').and_then(|t| t.rfind('['))
        && open > 0
    {
        return s.get(..open);
    }
    if let Some(base) = s.strip_suffix("-fast") {
        return Some(base).filter(|b| !b.is_empty());
    }
    strip_date(s)
}

fn strip_date(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    let n = b.len();
    // `-20250929`
    if n > 9 && b.get(n - 9) == Some(&b'-') && digits(n - 8..n) {
        return s.get(..n - 9);
    }
    // `-2025-08-07`
    if n > 11
        && b.get(n - 11) == Some(&b'-')
        && digits(n - 10..n - 6)
        && b.get(n - 6) == Some(&b'-')
        && digits(n - 5..n - 3)
        && b.get(n - 3) == Some(&b'-')
        && digits(n - 2..n)
    {
        return s.get(..n - 11);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[rustfmt::skip]
    fn spellings_and_their_candidates() {
        let table: &[(&str, &[&str])] = &[
            ("gpt-5", &["gpt-5"]),
            ("gpt-5-2025-08-07", &["gpt-5-2025-08-07", "gpt-5"]),
            ("openai/gpt-5.1-codex", &["openai/gpt-5.1-codex", "gpt-5.1-codex"]),
            ("claude-haiku-4-5-20251001", &["claude-haiku-4-5-20251001", "claude-haiku-4-5"]),
            ("anthropic/claude-opus-4-8-fast", &["anthropic/claude-opus-4-8-fast", "claude-opus-4-8-fast", "claude-opus-4-8"]),
            (
                "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                &["us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5"],
            ),
            ("vertex_ai/claude-sonnet-4-5@20250929", &["vertex_ai/claude-sonnet-4-5@20250929", "claude-sonnet-4-5@20250929", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5"]),
            ("claude-sonnet-4-5-20250929[1m]", &["claude-sonnet-4-5-20250929[1m]", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5"]),
            ("models/gemini-2.5-pro", &["models/gemini-2.5-pro", "gemini-2.5-pro"]),
            ("codex-auto-review", &["codex-auto-review", "gpt-5-codex"]),
            (" GPT-5 ", &["GPT-5", "gpt-5"]),
            // Not dates: Gemini's `-09-2025` preview tag and a short number stay.
            ("gemini-2.5-flash-preview-09-2025", &["gemini-2.5-flash-preview-09-2025"]),
            ("o3-2025", &["o3-2025"]),
        ];
        for (model, want) in table {
            assert_eq!(candidates(model), *want, "{model}");
        }
    }

    #[test]
    fn hostile_names_do_not_panic() {
        for s in [
            "",
            "-fast",
            "[",
            "]",
            "[]",
            "@",
            "/",
            "-v",
            "é-20250101",
            "ü@é",
            "-20250101",
            "x-2025-01-0é",
        ] {
            let _ = candidates(s);
        }
        assert!(candidates("").is_empty());
        assert_eq!(candidates("-fast"), ["-fast"]);
    }

    #[test]
    fn fast_in_the_name_is_noticed() {
        assert!(names_fast_mode("claude-opus-4-8-fast"));
        assert!(names_fast_mode("anthropic/claude-opus-4-8-fast-20260101"));
        assert!(!names_fast_mode("claude-opus-4-8"));
    }
}
