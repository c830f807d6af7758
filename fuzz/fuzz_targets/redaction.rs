//! Redaction with arbitrary rules and text. Three modes, by the input's first choice:
//! - `Seeded`: the built-in rules at their defaults, and a secret of a known shape (OpenAI,
//!   Anthropic, AWS, GitHub, Google, Stripe keys, a PEM private key) put between arbitrary texts:
//!   it must never survive `mask_str`, whatever surrounds it;
//! - `Custom`: custom rules (arbitrary patterns, allow-lists, replacements), personal rules
//!   switched at random, `{users}` names and manual `everywhere` redactions: no panic, and
//!   masking is deterministic;
//! - `RuleFile`: arbitrary text read as a rule file (`Redaction::from_json`), run when it loads.
#![no_main]
use agent_ledger::redact::{Field, Manual, Redaction, Redactor, Rule, Scope};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

#[derive(Arbitrary, Debug)]
enum Input {
    Seeded { field: u8, before: String, kind: u8, body: Vec<u8>, after: String },
    Custom { field: u8, personal: u8, rules: Vec<(String, String, String)>, everywhere: Vec<(String, String)>, users: Vec<String>, text: String },
    RuleFile { field: u8, json: String, text: String },
}

fn field(pick: u8) -> Field {
    Field::ALL[usize::from(pick) % Field::ALL.len()]
}

/// The built-in rules compile once (tens of regexes: compiling them per input would be most of
/// the time spent).
fn defaults() -> &'static Redactor {
    static R: OnceLock<Redactor> = OnceLock::new();
    R.get_or_init(|| Redactor::new(&Redaction::default(), &[]))
}

/// `body` mapped into `alphabet`, at least `min` characters long.
fn word(body: &[u8], alphabet: &[u8], min: usize) -> String {
    let n = body.len().max(min);
    (0..n).map(|i| char::from(alphabet[usize::from(*body.get(i).unwrap_or(&7)) % alphabet.len()])).collect()
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A secret that a built-in rule is meant to catch, in one of the shapes the rules document.
fn secret(kind: u8, body: &[u8]) -> String {
    let body = &body[..body.len().min(80)];
    match kind % 7 {
        0 => format!("sk-proj-{}", word(body, ALNUM, 20)),
        1 => format!("sk-ant-api03-{}", word(body, ALNUM, 20)),
        2 => format!("AKIA{}", word(&body[..body.len().min(16)], B32, 16)),
        3 => format!("ghp_{}", word(body, ALNUM, 36)),
        4 => format!("AIza{}", word(body, ALNUM, 30)),
        5 => format!("sk_live_{}", word(body, ALNUM, 10)),
        _ => format!("-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----", word(body, ALNUM, 8)),
    }
}

fn cut(s: &str, n: usize) -> &str {
    let end = s.char_indices().map(|(i, _)| i).chain([s.len()]).find(|i| *i >= n.min(s.len())).unwrap_or(s.len());
    &s[..end]
}

fuzz_target!(|input: Input| match input {
    Input::Seeded { field: f, before, kind, body, after } => {
        let secret = secret(kind, &body);
        // Spaces keep the key a word of its own (the rules start at a word boundary, as
        // gitleaks' do: `xsk-…` is no key).
        let text = format!("{before} {secret} {after}");
        let out = defaults().mask_str(field(f), &text);
        if !before.contains(&secret) && !after.contains(&secret) {
            assert!(!out.contains(&secret), "the secret survived: {out:?}");
        }
        assert_eq!(out, defaults().mask_str(field(f), &text));
    }
    Input::Custom { field: f, personal, rules, everywhere, users, text } => {
        let mut r = Redaction::off();
        let personal_ids = ["email", "ipv4", "ipv6", "home-directory", "user-name"];
        for (bit, id) in personal_ids.iter().enumerate() {
            r.set_enabled(id, personal & (1 << bit) != 0);
        }
        // Short patterns: long ones only spend the time compiling (the regex crate bounds that).
        for (pattern, replacement, allow) in rules.iter().take(3) {
            if let Ok(id) = r.add_custom("fuzz", cut(pattern, 40), cut(replacement, 40)) {
                let rule: &mut Rule = r.rules.iter_mut().find(|x| x.id == id).unwrap();
                rule.allow = cut(allow, 20).to_string();
            }
        }
        for (needle, replacement) in everywhere.iter().take(3) {
            let m = Manual {
                id: String::new(),
                scope: Scope::Everywhere { text: needle.clone() },
                replacement: replacement.clone(),
                reason: String::new(),
                actor: String::new(),
                at_ms: 0,
            };
            let _ = r.add_manual(m);
        }
        let users: Vec<String> = users.into_iter().take(4).collect();
        let redactor = Redactor::new(&r, &users);
        let out = redactor.mask_str(field(f), &text);
        assert_eq!(out, redactor.mask_str(field(f), &text));
        if r.is_empty() {
            assert_eq!(out, text, "no rule on and no manual redaction: the text is left alone");
        }
    }
    Input::RuleFile { field: f, json, text } => {
        if let Ok(r) = Redaction::from_json(&json) {
            let back = Redaction::from_json(&r.to_json()).expect("a loaded rule file saves and loads again");
            assert_eq!(back, r);
            // Most files that load are the defaults give or take a switch: reuse the compiled
            // defaults then (compiling every built-in rule per input would be most of the time).
            if r == Redaction::default() {
                let _ = defaults().mask_str(field(f), &text);
            } else {
                let _ = Redactor::new(&r, &[]).mask_str(field(f), &text);
            }
        }
    }
});
