//! Short prefixes of long, hostile text for the tables.

/// Keep at most `max` characters of `s` (on a char boundary), `…` after a cut, for snippets of
/// hostile text. Sized exactly (one per tool call stays in the tables), and without walking the
/// characters of text that is plainly short or plainly ASCII.
pub fn snippet(s: &str, max: usize) -> String {
    // At most `max` bytes, so at most `max` characters: kept whole.
    if s.len() <= max {
        return s.to_string();
    }
    // ASCII up to `max` with more after it: the cut is at byte `max`; otherwise count characters.
    let cut = match s.as_bytes().get(..max) {
        Some(head) if head.is_ascii() => Some(max),
        _ => s.char_indices().nth(max).map(|(i, _)| i),
    };
    match cut {
        Some(i) => {
            let mut out = String::with_capacity(i + '…'.len_utf8());
            out.push_str(&s[..i]);
            out.push('…');
            out
        }
        None => s.to_string(),
    }
}

/// How long a snippet of arguments or output the tables keep.
pub const SNIPPET_CHARS: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_keep_max_characters_and_mark_the_cut() {
        // The plain definition, character by character.
        let reference = |s: &str, max: usize| match s.char_indices().nth(max) {
            Some((i, _)) => format!("{}…", &s[..i]),
            None => s.to_string(),
        };
        let long_ascii = "a".repeat(250);
        let long_mixed = format!("{}é{}", "b".repeat(150), "c".repeat(100));
        let cases = [
            "",
            "short",
            "é€𝄞",
            long_ascii.as_str(),
            &long_ascii[..200],
            &long_ascii[..201],
            long_mixed.as_str(),
        ];
        for s in cases {
            for max in [0, 1, 5, 200] {
                assert_eq!(snippet(s, max), reference(s, max), "{s:?} {max}");
            }
        }
        assert_eq!(snippet("é€𝄞x", 2), "é€…");
        assert_eq!(snippet(&long_ascii, 200).capacity(), 203);
    }
}
