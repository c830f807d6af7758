//! Deterministic mutations of log lines, for the adapters' tests that compare the fast path with
//! serde on lines that are almost right.

/// The non-empty lines of the `*.jsonl` files in `tests/fixtures/<fixtures>` and, when
/// `../shared` is beside the clone, in `../shared/corpus/real/<real>`.
pub fn sample_lines(fixtures: &str, real: &str) -> Vec<Vec<u8>> {
    let root = env!("CARGO_MANIFEST_DIR");
    let dirs = [
        format!("{root}/tests/fixtures/{fixtures}"),
        format!("{root}/../shared/corpus/real/{real}"),
    ];
    let mut lines = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "jsonl"))
        {
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            lines.extend(
                bytes
                    .split(|b| *b == b'\n')
                    .filter(|l| !l.is_empty())
                    .map(<[u8]>::to_vec),
            );
        }
    }
    lines
}

/// `count` variants of `line`, each with one to three small edits.
pub fn variants(line: &[u8], seed: u64, count: usize) -> Vec<Vec<u8>> {
    let mut rng = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n.max(1) as u64) as usize
    };
    const PIECES: &[&str] = &[
        "\"",
        "\\",
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "1",
        "-",
        "e",
        ".",
        " ",
        "\u{1}",
        "é",
        "null",
        "true",
        "0",
        "\\ud800",
        "\\ud83d\\ude00",
        "\\u00e9",
        "\\n",
        "1e999",
        "-0",
        "12.5",
        "\"x\"",
        "[]",
        "{}",
        "99999999999999999999",
    ];
    (0..count)
        .map(|_| {
            let mut v = line.to_vec();
            for _ in 0..=next(3) {
                let at = next(v.len() + 1);
                match next(6) {
                    0 => {
                        if at < v.len() {
                            v.remove(at);
                        }
                    }
                    1 | 2 => {
                        let piece = PIECES[next(PIECES.len())].as_bytes();
                        v.splice(at..at, piece.iter().copied());
                    }
                    3 => {
                        // Repeat a stretch (a duplicate key, often).
                        let len = next(60);
                        let end = (at + len).min(v.len());
                        let copy = v[at..end].to_vec();
                        v.splice(end..end, copy);
                    }
                    4 => {
                        // Replace a stretch by a piece (a value of another type, often).
                        let end = (at + next(12)).min(v.len());
                        let piece = PIECES[next(PIECES.len())].as_bytes();
                        v.splice(at..end, piece.iter().copied());
                    }
                    _ => v.truncate(at),
                }
            }
            v
        })
        .collect()
}
