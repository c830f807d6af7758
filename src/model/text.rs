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

/// Log text as the views show it: every character that would change how the text around it reads
/// without being seen is made visible. Bidi controls (a file name `invoice<U+202E>txt.exe`
/// displays as `invoiceexe.txt`) become `⟦U+202E⟧`; ESC (terminal colours) and the other C0 and C1 controls
/// become their Unicode control pictures or `⟦U+…⟧`. Newlines and tabs stay: prompts and JSON keep
/// their shape. The text is still rendered as text, never as HTML.
pub fn shown(s: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            || (c.is_control() && c != '\n' && c != '\t')
    };
    if !s.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '\r' | '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x20 => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
            '\u{7F}' => out.push('\u{2421}'),
            c if hidden(c) => out.push_str(&format!("⟦U+{:04X}⟧", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}


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

    #[test]
    fn hidden_controls_are_made_visible_and_plain_text_is_kept() {
        for (text, want) in [
            ("plain text\twith\nlines", "plain text\twith\nlines"),
            ("invoice\u{202E}txt.exe\u{202C}", "invoice⟦U+202E⟧txt.exe⟦U+202C⟧"),
            ("\u{1b}[31mred\u{1b}[0m", "\u{241B}[31mred\u{241B}[0m"),
            ("a\u{2067}b\u{2069}\u{200F}", "a⟦U+2067⟧b⟦U+2069⟧⟦U+200F⟧"),
            ("nul\u{0}del\u{7F}c1\u{85}", "nul\u{2400}del\u{2421}c1⟦U+0085⟧"),
            ("crlf\r\n", "crlf\r\n"),
        ] {
            assert_eq!(shown(text), want, "{text:?}");
        }
    }
}
