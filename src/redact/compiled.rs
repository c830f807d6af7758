//! Compiled patterns, kept for the next time. The same patterns are compiled again and again: a
//! rule when it is added or loaded ([`super::Rule::validate`]), then alone and once more in the
//! set of global rules by every [`super::Redactor::new`] (each switch of a rule on the page, each
//! export), and compiling is most of what building a `Redactor` costs. A regex is a function of
//! its pattern alone, so a kept one finds exactly what a new one would (a clone gets its own
//! search cache). At most [`KEEP`] patterns and [`KEEP_SETS`] sets are kept per thread (then all
//! are dropped and keeping starts over); a pattern longer than [`KEEP_BYTES`] (a long list of
//! user names) is compiled each time, not kept.
//!
//! A rule's own pattern may compile to at most [`RULE_STATES`] automaton states: fuzzing found
//! custom patterns such as `\x00?{99265}8` (198,536 states) that compile close to the `regex`
//! crate's 10 MiB limit, too big for the lazy DFA's cache, so each text was searched by the
//! PikeVM, about a second for 150 bytes. At 20,000 states the worst shapes search a 150-byte text
//! in well under a millisecond. The bound counts states, not bytes: the crate's own size limit
//! counts memory, which is smaller on wasm32's 4-byte pointers, and the page and the command line
//! must accept the same rules. Only the user names put in for `{users}` may make a pattern bigger
//! ([`regex_with_names`]): an alternation of literals, which the crate's prefilters search quickly.

use regex::{Regex, RegexSet};
use regex_automata::nfa::thompson;
use std::borrow::Borrow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::Hash;
use std::thread::LocalKey;

const KEEP: usize = 128;
const KEEP_SETS: usize = 16;
const KEEP_BYTES: usize = 16 << 10;

/// The most automaton states (a Thompson NFA's, as the `regex` crate builds it) a rule's pattern
/// or allow pattern may compile to. Every built-in rule has under 2,000; `\w{63}` (Unicode word
/// characters) has 19,945, `\w{64}` 20,261.
pub(super) const RULE_STATES: usize = 20_000;

type Kept<K, V> = RefCell<HashMap<K, Result<V, regex::Error>>>;

thread_local! {
    static REGEXES: Kept<String, Regex> = RefCell::default();
    static WITH_NAMES: Kept<String, Regex> = RefCell::default();
    static SETS: Kept<Vec<String>, RegexSet> = RefCell::default();
}

/// A rule's pattern compiled if it has at most [`RULE_STATES`] states, or the kept result of an
/// earlier call (an error too).
pub(super) fn regex(pattern: &str) -> Result<Regex, regex::Error> {
    keep(&REGEXES, KEEP, pattern, pattern.len(), |p| {
        // Counted under the regex crate's own memory bound (10 MiB), so that counting a huge
        // pattern costs no more than refusing it.
        let config = thompson::Config::new().nfa_size_limit(Some(10 << 20));
        match thompson::Compiler::new().configure(config).build(p) {
            Ok(nfa) if nfa.states().len() > RULE_STATES => Err(regex::Error::CompiledTooBig(nfa.states().len())),
            // Errors (a syntax error, a pattern past the memory bound) are the regex crate's own.
            _ => Regex::new(p),
        }
    })
}

/// A pattern with the user names put in for `{users}`, under the crate's default size limit
/// (thousands of names make a list of more than [`RULE_STATES`] states). The rule's own pattern
/// is checked with [`regex`] first.
pub(super) fn regex_with_names(pattern: &str) -> Result<Regex, regex::Error> {
    keep(&WITH_NAMES, KEEP, pattern, pattern.len(), Regex::new)
}

/// An error for a person: a pattern too big says what to change.
pub(super) fn describe(e: &regex::Error) -> String {
    match e {
        regex::Error::CompiledTooBig(_) => format!(
            "the pattern is too big to search quickly (it compiles to over {RULE_STATES} states): use a \
             shorter repetition, or [A-Za-z0-9_] or (?-u:\\w) for \\w, which matches every Unicode letter"
        ),
        e => e.to_string(),
    }
}

/// `RegexSet::new(patterns)`, or the kept result of an earlier call with the same patterns.
pub(super) fn set(patterns: &[String]) -> Result<RegexSet, regex::Error> {
    keep(&SETS, KEEP_SETS, patterns, patterns.iter().map(String::len).sum(), |p| RegexSet::new(p))
}

/// `compile(key)`, or what it gave the last time for an equal key: kept in `store` (at most `cap`
/// results, then all dropped) unless the key's text is longer than [`KEEP_BYTES`].
fn keep<K, Q, V>(
    store: &'static LocalKey<Kept<K, V>>,
    cap: usize,
    key: &Q,
    bytes: usize,
    compile: impl FnOnce(&Q) -> Result<V, regex::Error>,
) -> Result<V, regex::Error>
where
    K: Borrow<Q> + Eq + Hash,
    Q: ToOwned<Owned = K> + Eq + Hash + ?Sized,
    V: Clone,
{
    if bytes > KEEP_BYTES {
        return compile(key);
    }
    store.with_borrow_mut(|kept| {
        if let Some(r) = kept.get(key) {
            return r.clone();
        }
        let r = compile(key);
        if kept.len() >= cap {
            kept.clear();
        }
        kept.insert(key.to_owned(), r.clone());
        r
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_patterns_compile_to_what_new_ones_do() {
        // More distinct patterns than are kept: the first ones are dropped and compiled again.
        for round in 0..2 {
            for n in 0..KEEP + 3 {
                let pattern = format!("(?P<secret>k{n}x+)");
                let r = regex(&pattern).unwrap();
                assert_eq!(r.as_str(), pattern, "round {round}");
                let hay = format!("a k{n}xxx k{}x", n + 1);
                assert_eq!(r.find(&hay).map(|m| m.as_str().to_string()), Some(format!("k{n}xxx")));
            }
        }
        // An error is kept as the error it was.
        let first = regex("(unclosed").unwrap_err().to_string();
        assert_eq!(regex("(unclosed").unwrap_err().to_string(), first);
        assert!(first.contains("unclosed group"), "{first}");
        // A set is the set of its patterns, in order; a long pattern is compiled, not kept.
        let patterns = vec!["b+".to_string(), "a".to_string()];
        for _ in 0..2 {
            assert_eq!(set(&patterns).unwrap().matches("xab").into_iter().collect::<Vec<_>>(), [0, 1]);
            assert_eq!(set(&patterns[..1]).unwrap().matches("xa").into_iter().count(), 0);
        }
        assert!(set(&["(".to_string()]).is_err());
        let long = "y".repeat(KEEP_BYTES + 1);
        assert!(regex(&long).unwrap().is_match(&format!("x{long}")));
        assert!(REGEXES.with_borrow(|kept| !kept.contains_key(&long)));
    }
}
