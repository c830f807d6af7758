//! What changes when rules are switched on or off and nothing else: the texts a masking by the
//! redactor before can be kept for, and the few that must be masked again (issue #18.2: a new
//! rule ran every rule over every text, about 0.7 s on the real-world profile in the page).

use super::{Compiled, Masked, Owner, Redactor};
use crate::redact::Field;

/// A redactor that is another one with some rules switched on (`added`) and some off
/// (`removed`), everything else alike: the same manual redactions, and every rule in both
/// compiled to the same pattern (the `{users}` names included), allow pattern, replacement and
/// fields.
pub struct Growth {
    /// The rules switched on, by index among the new redactor's compiled rules.
    added: Vec<usize>,
    /// The rules switched off, by slot in the rule list.
    removed: Vec<usize>,
}

impl Redactor {
    /// How `self` grew out of `before`, or `None` when it differs in more than switched rules
    /// (then every text is masked again).
    pub(in crate::redact) fn growth_from(&self, before: &Redactor) -> Option<Growth> {
        if self.manual != before.manual || self.everywhere != before.everywhere {
            return None;
        }
        let (mut added, mut removed) = (Vec::new(), Vec::new());
        let (mut i, mut j) = (0, 0);
        // Both lists are in slot order: walk them side by side.
        while i < self.rules.len() || j < before.rules.len() {
            let now = self.rules.get(i).map_or(usize::MAX, |r| r.slot);
            let then = before.rules.get(j).map_or(usize::MAX, |r| r.slot);
            if now == then {
                if !alike(&self.rules[i], &before.rules[j]) {
                    return None;
                }
                (i, j) = (i + 1, j + 1);
            } else if now < then {
                added.push(i);
                i += 1;
            } else {
                removed.push(then);
                j += 1;
            }
        }
        Some(Growth { added, removed })
    }
}

impl Growth {
    /// Whether nothing changed at all.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }

    /// Whether `text`, a value of `field` that the redactor before masked to `before` (`None`:
    /// it masked nothing), may mask otherwise under `now`: a rule switched off masked part of
    /// it, or a rule switched on matches it. Otherwise every hit is the same, so the masking is.
    /// `before` is asked for only when a rule was switched off (it is a lookup per text).
    pub fn touches<'m>(&self, now: &Redactor, field: Field, text: &str, before: impl FnOnce() -> Option<&'m Masked>) -> bool {
        let lost = !self.removed.is_empty()
            && before().is_some_and(|m| m.applied.iter().any(|a| matches!(a.owner, Owner::Rule(slot) if self.removed.contains(&slot))));
        lost || self.added.iter().map(|&i| &now.rules[i]).any(|r| reads(r, field) && r.regex.is_match(text))
    }
}

fn reads(rule: &Compiled, field: Field) -> bool {
    rule.fields.as_ref().is_none_or(|f| f.contains(&field))
}

fn alike(a: &Compiled, b: &Compiled) -> bool {
    a.regex.as_str() == b.regex.as_str()
        && a.allow.as_ref().map(|r| r.as_str()) == b.allow.as_ref().map(|r| r.as_str())
        && (a.kind, a.secret, &a.replacement, &a.fields) == (b.kind, b.secret, &b.replacement, &b.fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::{Manual, Redaction, Scope};

    /// The defaults with `on` switched on and `off` off.
    fn switched(on: &[&str], off: &[&str]) -> Redaction {
        let mut r = Redaction::default();
        on.iter().for_each(|id| assert!(r.set_enabled(id, true), "{id}"));
        off.iter().for_each(|id| assert!(r.set_enabled(id, false), "{id}"));
        r
    }

    fn slot(id: &str) -> usize {
        Redaction::default().rules.iter().position(|r| r.id == id).unwrap()
    }

    #[test]
    fn growth_is_switched_rules_and_nothing_else() {
        let defaults = switched(&[], &[]);
        let with_custom = |pattern: &str, replacement: &str| {
            let mut r = switched(&["email"], &[]);
            r.add_custom("custom", pattern, replacement).unwrap();
            r
        };
        let other_replacement = {
            let mut r = switched(&["email"], &[]);
            r.rules.iter_mut().find(|r| r.id == "email").unwrap().replacement = "<mail>".into();
            r
        };
        let with_manual = {
            let mut r = defaults.clone();
            let scope = Scope::Everywhere { text: "secret".into() };
            r.add_manual(Manual { id: String::new(), scope, replacement: "x".into(), reason: String::new(), actor: String::new(), at_ms: 0 }).unwrap();
            r
        };
        let custom_slot = Redaction::default().rules.len();
        // (what, before, after, Some((slots switched on, slots switched off)) or None)
        // Slots switched on, slots switched off.
        type Switched = Option<(Vec<usize>, Vec<usize>)>;
        let cases: Vec<(&str, Redaction, Redaction, Switched)> = vec![
            ("the same rules", defaults.clone(), defaults.clone(), Some((vec![], vec![]))),
            ("one rule on", defaults.clone(), switched(&["email"], &[]), Some((vec![slot("email")], vec![]))),
            ("two on, one off", switched(&["email"], &[]), switched(&["ipv4", "ipv6"], &["jwt"]), Some((vec![slot("ipv4"), slot("ipv6")], vec![slot("jwt"), slot("email")]))),
            ("a custom rule added", switched(&["email"], &[]), with_custom("a+b", "[ab]"), Some((vec![custom_slot], vec![]))),
            ("a custom rule's pattern changed", with_custom("a+b", "[ab]"), with_custom("a+c", "[ab]"), None),
            ("a custom rule's replacement changed", with_custom("a+b", "[ab]"), with_custom("a+b", "[AB]"), None),
            ("a built-in replacement changed", switched(&["email"], &[]), other_replacement, None),
            ("a manual redaction added", defaults.clone(), with_manual, None),
        ];
        for (what, before, after, want) in cases {
            let (then, now) = (Redactor::new(&before, &[]), Redactor::new(&after, &[]));
            let got = now.growth_from(&then).map(|g| {
                let mut removed = g.removed.clone();
                removed.sort_unstable();
                (g.added.iter().map(|&i| now.rules[i].slot).collect::<Vec<_>>(), removed)
            });
            let want = want.map(|(on, mut off)| {
                off.sort_unstable();
                (on, off)
            });
            assert_eq!(got, want, "{what}");
        }
    }

    #[test]
    fn a_text_is_touched_when_a_switched_rule_reads_it() {
        let before = Redactor::new(&switched(&["email"], &[]), &[]);
        let after = Redactor::new(&switched(&["ipv4"], &[]), &[]);
        let growth = after.growth_from(&before).unwrap();
        let mail = "write to ana@example.com";
        let token = "token ghp_0123456789abcdefghijABCDEFGHIJ012345";
        let (mail_masked, token_masked) = (before.masked(Field::QueryText, &[], mail), before.masked(Field::QueryText, &[], token));
        assert!(mail_masked.is_some() && token_masked.is_some(), "both masked before");
        // (text, what the redactor before made of it, touched)
        let cases = [
            ("no address at all", None, false),
            ("ping 10.0.0.1", None, true),
            // Masked by the rule switched off.
            (mail, mail_masked.as_ref(), true),
            // Masked by a rule kept, and no rule switched on matches: the same mask.
            (token, token_masked.as_ref(), false),
        ];
        for (text, then, want) in cases {
            assert_eq!(growth.touches(&after, Field::QueryText, text, || then), want, "{text:?}");
        }
        // A rule limited to other fields does not touch this one.
        let prompts = Redactor::new(&switched(&["email", "whole-prompt"], &[]), &[]);
        let growth = prompts.growth_from(&before).unwrap();
        assert!(growth.touches(&prompts, Field::QueryText, "anything", || None));
        assert!(!growth.touches(&prompts, Field::ReplyPreview, "anything", || None));
    }
}
