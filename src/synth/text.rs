//! Filler text of realistic texture: prompts people type, code and command output, opaque
//! base64 blobs. Bulk text comes from fixed pools built once, sliced at random offsets, so a
//! 1.2 GiB corpus is written at memory speed. All of it is invented; none is copied from logs.

use super::rng::Rng;
use std::sync::OnceLock;

const POOL_BYTES: usize = 1 << 17;

const CODE_WORDS: &[&str] = &[
    "fn", "let", "mut", "impl", "pub", "struct", "return", "match", "Some(x)", "None", "Ok(())", "self.items",
    "config", "handler", "request", "response", "user_id", "order", "cart", "invoice", "render()", "await",
    "async", "const", "import", "export", "from", "'./utils'", "useState", "props", "=>", "{", "}", "(", ")",
    "if", "else", "for", "in", "0", "1", "42", "\"ok\"", "\"error\"", "test", "assert_eq!", "src/lib.rs",
    "src/routes/cart.ts", "README.md", "TODO:", "// fix", "# note", "error[E0502]:", "warning:", "PASS", "FAIL",
    "tests/api.rs", "node_modules", "package.json", "Cargo.toml", "println!", "console.log", "SELECT", "WHERE",
    "id", "=", "+", "-", "*", "&&", "||", "->", "::", ";", ",", ".", "\t", "é", "ß", "→", "✓",
];

const PROMPTS: &[&str] = &[
    "Fix the failing test in {f} and explain what was wrong.",
    "Add pagination to the orders endpoint; keep the response shape backwards compatible.",
    "Why is the checkout page slow? Profile it and suggest the smallest fix.",
    "Refactor {f} so the parsing and the I/O are separate functions.",
    "Write unit tests for the discount calculation, including the rounding edge cases.",
    "Rename `userId` to `accountId` everywhere and update the migrations.",
    "The CI job fails on Windows only. Find out why.",
    "Summarise what changed in the last three commits.",
    "Upgrade the dependencies and fix whatever breaks.",
    "Add a --dry-run flag to the deploy script.",
    "Can you review {f} for security problems?",
    "Make the error messages in {f} say which field was invalid.",
    "Port this shell script to Python and keep the same flags.",
    "There is a race in the cache invalidation; write a test that shows it, then fix it.",
    "Document the public API of {f} with examples.",
    "Implement the CSV export described in docs/export.md.",
    "Make the dark mode colours pass WCAG AA contrast.",
    "Delete the dead code behind the old feature flag.",
    "Set up a GitHub Action that runs the linters on every push.",
    "Translate the onboarding strings into German and French.",
];

const FILES: &[&str] = &[
    "src/cart.rs", "src/api/orders.ts", "app/models/user.rb", "lib/parser.py", "src/components/Nav.tsx",
    "cmd/server/main.go", "src/invoice.rs", "scripts/deploy.sh", "web/src/App.vue", "pkg/auth/token.go",
];

const COMMANDS: &[&str] = &[
    "rg -n \"fn main\" src", "ls -la", "cargo test --lib", "npm test -- --watch=false", "git status --short",
    "git diff --stat", "sed -n '1,120p' {f}", "cat {f}", "pytest -q tests/test_api.py", "go test ./...",
    "grep -rn TODO .", "cargo clippy -- -D warnings", "npm run build", "find . -name '*.rs' | head",
];

const QUERIES: &[&str] = &[
    "rust serde borrow cow str", "react useEffect cleanup race", "postgres index on jsonb field",
    "github actions cache cargo", "python csv quoting minimal", "wcag contrast ratio formula",
];

fn pools() -> &'static (String, String) {
    static POOLS: OnceLock<(String, String)> = OnceLock::new();
    POOLS.get_or_init(|| {
        let mut rng = Rng::new(0x5eed_f111);
        let mut code = String::with_capacity(POOL_BYTES + 64);
        while code.len() < POOL_BYTES {
            let words = rng.range(2, 12);
            code.push_str(&"    ".repeat(rng.below(4)));
            for _ in 0..words {
                code.push_str(rng.pick(CODE_WORDS));
                code.push(' ');
            }
            code.push('\n');
        }
        const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let b64: String = (0..POOL_BYTES).map(|_| B64[rng.below(64)] as char).collect();
        (code, b64)
    })
}

/// A slice of `pool` about `len` bytes long at a random offset, cut on char boundaries.
fn slice<'a>(rng: &mut Rng, pool: &'a str, len: usize) -> &'a str {
    let len = len.min(pool.len() / 2);
    let mut start = rng.below(pool.len() - len);
    while !pool.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = start + len;
    while !pool.is_char_boundary(end) {
        end += 1;
    }
    &pool[start..end]
}

/// Code-like text or command output of about `len` bytes (any length: long texts repeat).
pub fn code(rng: &mut Rng, len: usize) -> String {
    let pool = &pools().0;
    let mut s = String::with_capacity(len + 8);
    while s.len() < len {
        let piece = slice(rng, pool, (len - s.len()).min(pool.len() / 2));
        s.push_str(piece);
    }
    s
}

/// Code-like text of a log-uniform length between `lo` and `hi` bytes.
pub fn code_log(rng: &mut Rng, lo: i64, hi: i64) -> String {
    let len = rng.log_range(lo, hi) as usize;
    code(rng, len)
}

/// An opaque blob like Codex `encrypted_content` (`gAAAAB…`) of about `len` bytes.
pub fn blob(rng: &mut Rng, len: usize) -> String {
    let mut s = String::from("gAAAAAB");
    s.push_str(slice(rng, &pools().1, len.saturating_sub(7)));
    s
}

/// A request a person types to an agent.
pub fn prompt(rng: &mut Rng) -> String {
    let p = rng.pick(PROMPTS).replace("{f}", rng.pick(FILES));
    if rng.chance(0.3) { format!("{p} {}", code_log(rng, 20, 400).trim_end()) } else { p }
}

pub fn file_path(rng: &mut Rng) -> &'static str {
    rng.pick(FILES)
}

pub fn command(rng: &mut Rng) -> String {
    rng.pick(COMMANDS).replace("{f}", rng.pick(FILES))
}

pub fn search_query(rng: &mut Rng) -> &'static str {
    rng.pick(QUERIES)
}

/// A short sentence of agent commentary.
pub fn sentence(rng: &mut Rng) -> String {
    const HEADS: &[&str] = &[
        "I'll look at", "Next I will check", "The failure comes from", "I updated", "Let me read",
        "Tests pass now for", "I found the cause in", "Summary of the change to",
    ];
    format!("{} {}.", rng.pick(HEADS), rng.pick(FILES))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filler_has_the_asked_size_and_is_deterministic() {
        let mut a = Rng::new(9);
        let mut b = Rng::new(9);
        for len in [0usize, 1, 100, 5000, 200_000] {
            let (x, y) = (code(&mut a, len), code(&mut b, len));
            assert_eq!(x, y);
            assert!(x.len() >= len && x.len() < len + 8, "{len} -> {}", x.len());
        }
        assert!(blob(&mut a, 2000).starts_with("gAAAAAB"));
        assert!(!prompt(&mut a).is_empty());
    }
}
