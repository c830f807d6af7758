//! Reading Rust source well enough to know which modules a file names: comments and literals
//! removed, `crate::`/`super::`/`self::` paths resolved, `use` trees expanded, inline modules
//! followed. Not a Rust parser: enough for the import rules of `main.rs`, tested there.

/// The code of a Rust file with comments, string and character literals blanked out.
pub(crate) fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            i += rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
        } else if rest.starts_with(b"/*") {
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if let Some(skip) = raw_string_len(rest).filter(|_| i == 0 || !ident(b[i - 1])) {
            out.push(' ');
            i += skip;
        } else if rest[0] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push(' ');
        } else if rest[0] == b'\'' && rest.get(1) == Some(&b'\\') {
            // '\n', '\'', '\u{..}'
            i += 2 + rest[2..]
                .iter()
                .position(|&c| c == b'\'')
                .map_or(rest.len() - 2, |p| p + 1);
        } else if rest[0] == b'\''
            && rest.len() > 2
            && std::str::from_utf8(&rest[1..])
                .ok()
                .and_then(|s| s.chars().nth(1))
                == Some('\'')
        {
            // 'x' (any one character); otherwise a lifetime, kept.
            let ch = std::str::from_utf8(&rest[1..])
                .map(|s| s.chars().next().map_or(1, char::len_utf8))
                .unwrap_or(1);
            i += 2 + ch;
        } else {
            let ch = src[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&src[i..i + ch]);
            i += ch;
        }
    }
    out
}

/// The length of a raw string literal (`r"…"`, `r#"…"#`, `br"…"`) starting here.
fn raw_string_len(b: &[u8]) -> Option<usize> {
    let start = if b.starts_with(b"br") {
        2
    } else if b.starts_with(b"r") {
        1
    } else {
        return None;
    };
    let hashes = b[start..].iter().take_while(|&&c| c == b'#').count();
    if b.get(start + hashes) != Some(&b'"') {
        return None;
    }
    let body = start + hashes + 1;
    let mut close = vec![b'"'];
    close.extend(std::iter::repeat_n(b'#', hashes));
    let end = b[body..]
        .windows(close.len())
        .position(|w| w == close.as_slice())?;
    Some(body + end + close.len())
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Path,
    Open,
    Close,
    Comma,
    Other,
}

fn tokens(code: &str) -> Vec<Tok> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphabetic() || c == b'_' {
            let len = b[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
            out.push(Tok::Ident(code[i..i + len].to_string()));
            i += len;
            continue;
        }
        if b[i..].starts_with(b"::") {
            out.push(Tok::Path);
            i += 2;
            continue;
        }
        match c {
            b'{' => out.push(Tok::Open),
            b'}' => out.push(Tok::Close),
            b',' => out.push(Tok::Comma),
            c if c.is_ascii_whitespace() => {}
            _ => out.push(Tok::Other),
        }
        i += 1;
    }
    out
}

/// A file's module path: `src/formats/claude/mod.rs` → `[formats, claude]`.
pub(crate) fn module_of(rel: &str) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_string)
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// Every crate-relative path a file's code names, resolved from `self`/`super`/`crate`, with
/// inline modules (`mod tests { … }`) taken into account.
pub(crate) fn paths_named(module: &[String], code: &str) -> Vec<Vec<String>> {
    let toks = tokens(code);
    let mut out = Vec::new();
    // Inline modules open at a brace depth: (name, depth inside it).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Tok::Open => depth += 1,
            Tok::Close => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Tok::Ident(m) if m == "mod" => {
                if let (Some(Tok::Ident(name)), Some(Tok::Open)) =
                    (toks.get(i + 1), toks.get(i + 2))
                {
                    inline.push((name.clone(), depth + 1));
                }
            }
            Tok::Ident(root)
                if matches!(root.as_str(), "crate" | "super" | "self")
                    && toks.get(i + 1) == Some(&Tok::Path) =>
            {
                let after_path = i > 0 && toks[i - 1] == Tok::Path;
                if !after_path {
                    let mut here: Vec<String> = module.to_vec();
                    here.extend(inline.iter().map(|(n, _)| n.clone()));
                    let mut base = match root.as_str() {
                        "crate" => Vec::new(),
                        "super" => here[..here.len().saturating_sub(1)].to_vec(),
                        _ => here,
                    };
                    let mut j = i + 2;
                    while toks.get(j) == Some(&Tok::Ident("super".into()))
                        && toks.get(j + 1) == Some(&Tok::Path)
                    {
                        base.pop();
                        j += 2;
                    }
                    use_tree(&toks, &mut j, base, &mut out);
                    i = j;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Read `a::b::{c, d::e, self}` from `toks[*j]` on, pushing every full path onto `out`.
fn use_tree(toks: &[Tok], j: &mut usize, mut prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    loop {
        match toks.get(*j) {
            Some(Tok::Ident(name)) if name == "self" => {
                *j += 1;
                skip_rename(toks, j);
                out.push(prefix);
                return;
            }
            Some(Tok::Ident(name)) => {
                prefix.push(name.clone());
                *j += 1;
                if toks.get(*j) == Some(&Tok::Path) {
                    *j += 1;
                    continue;
                }
                skip_rename(toks, j);
                out.push(prefix);
                return;
            }
            Some(Tok::Open) => {
                *j += 1;
                while let Some(t) = toks.get(*j) {
                    match t {
                        Tok::Close => {
                            *j += 1;
                            return;
                        }
                        Tok::Comma => *j += 1,
                        _ => {
                            let before = *j;
                            use_tree(toks, j, prefix.clone(), out);
                            if *j == before {
                                *j += 1;
                            }
                        }
                    }
                }
                return;
            }
            // `*` or anything else: the prefix itself.
            _ => {
                out.push(prefix);
                return;
            }
        }
    }
}

/// `as name` after a path names nothing more.
fn skip_rename(toks: &[Tok], j: &mut usize) {
    if toks.get(*j) == Some(&Tok::Ident("as".into())) {
        *j += 2;
    }
}
