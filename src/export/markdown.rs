//! Markdown escaping for text that comes from logs (hostile by assumption).
//!
//! Rules [`escape`] follows, so that log text in `report.md` renders as the same plain text in
//! any CommonMark / GitHub renderer and can never open HTML, a link, a code span, a table cell,
//! a heading or a list:
//! - `&`, `<`, `>` become the entities `&amp;`, `&lt;`, `&gt;` (no raw HTML, no autolinks, no
//!   block quotes, no entity injection).
//! - The inline punctuation `\` `` ` `` `*` `_` `[` `]` `|` `~` `$` `#` `@` gets a backslash
//!   (CommonMark section 2.4: any ASCII punctuation may be escaped): no emphasis, code spans,
//!   links or images (`![` needs the `[`), table-cell breaks, strikethrough, math, headings,
//!   mentions.
//! - The text becomes one line: CR, LF and tab become a space, leading and trailing whitespace is
//!   trimmed (no indented code block, no line-start constructs the caller did not write).
//! - A first character that would start a block (`+`, `-`, `=`, or digits followed by `.`/`)`)
//!   is escaped too, for the rare caller that puts text at the start of a line.
//! - Other control characters and the Unicode bidirectional overrides (which can make text read
//!   differently from what it is) become U+FFFD.

/// Escape one piece of log text for inline use in Markdown (prose, headings, table cells).
pub fn escape(s: &str) -> String {
    if is_plain(s) { s.to_owned() } else { escape_any(s) }
}

/// [`escape`], appended to `out`: the report writes most of its texts (tool names, models, ids)
/// this way, without a `String` of their own.
pub fn escape_into(out: &mut String, s: &str) {
    if is_plain(s) {
        out.push_str(s);
    } else {
        out.push_str(&escape_any(s));
    }
}

/// Whether [`escape_any`] would give `s` back unchanged: printable ASCII that none of its rules
/// touch, with no space at either end and no first character that could start a block (a
/// digit could start an ordinal). Most texts of a report are such (tool names, models, ids,
/// paths), and [`escape_any`] costs two `String`s and a pass over the chars each.
fn is_plain(s: &str) -> bool {
    let bytes = s.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else { return false };
    if first == b' ' || last == b' ' || matches!(first, b'+' | b'-' | b'=' | b'0'..=b'9') {
        return false;
    }
    bytes.iter().all(|&b| {
        matches!(b, b' '..=b'~') && !matches!(b, b'&' | b'<' | b'>' | b'\\' | b'`' | b'*' | b'_' | b'[' | b']' | b'|' | b'~' | b'$' | b'#' | b'@')
    })
}

/// The rules of the module doc, for any text.
fn escape_any(s: &str) -> String {
    let flat: String = s
        .chars()
        .map(|c| {
            if matches!(c, '\r' | '\n' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let text = flat.trim();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.chars().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '$' | '#' | '@' => {
                out.push('\\');
                out.push(c);
            }
            '+' | '-' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || is_bidi_control(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    escape_leading_ordinal(out)
}

/// `1. x` / `12) x` at the start would open an ordered list: escape the `.` or `)`.
fn escape_leading_ordinal(s: String) -> String {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    match s.as_bytes().get(digits) {
        Some(b'.' | b')') if digits > 0 => format!("{}\\{}", &s[..digits], &s[digits..]),
        _ => s,
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// `1234567` → `1,234,567` (report numbers are for reading; the CSVs keep plain numbers).
pub fn thousands(v: i64) -> String {
    let grouped = group_digits(&v.unsigned_abs().to_string());
    if v < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// [`thousands`] for counts.
pub fn count(v: u64) -> String {
    group_digits(&v.to_string())
}

fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// `1 request`, `3 requests`.
pub fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{} {noun}s", count(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain path gives what the rules give, on texts made of the characters that matter at
    /// every place (ends, first character, ordinals, controls, non-ASCII), and on a few by hand.
    #[test]
    fn plain_texts_are_escaped_as_the_rules_say() {
        let alphabet = ['a', 'Z', '0', '7', ' ', '.', ')', '+', '-', '=', '&', '<', '>', '\\', '`', '*', '_', '[', ']', '|', '~', '$', '#', '@', '\n', '\t', '\r', '\u{7}', 'é', '\u{202E}', '/', ':', '!', '%', '{', '"'];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut plain = 0;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 7) as usize;
            let text: String = (0..len).map(|k| alphabet[((state >> (8 + 6 * k)) % alphabet.len() as u64) as usize]).collect();
            assert_eq!(escape(&text), escape_any(&text), "{text:?}");
            let mut into = String::from("x");
            escape_into(&mut into, &text);
            assert_eq!(into, format!("x{}", escape_any(&text)), "{text:?}");
            plain += usize::from(is_plain(&text));
        }
        assert!(plain > 1_000, "the plain path was taken {plain} times");
        for (text, want) in [
            ("exec_command", "exec\\_command"),
            ("gpt-5-codex", "gpt-5-codex"),
            ("1. one", "1\\. one"),
            (" lead", "lead"),
            ("-x", "\\-x"),
            ("a/b c:d", "a/b c:d"),
        ] {
            assert_eq!(escape(text), want, "{text:?}");
        }
    }
}
