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
