//! The compiled rule set and how one text is masked.
//!
//! Semantics (one text at a time):
//! - Every enabled rule and every manual redaction that applies finds its spans in the text as
//!   given. Their union is masked: no byte any of them matched survives.
//! - Precedence, highest first: manual redactions in list order, then rules in list order. Where
//!   spans overlap, the higher one's replacement is written; a lower span keeps only its parts
//!   that no higher span covers, each written as its own replacement. A hit counts once (at most)
//!   for its owner, and not at all when higher spans cover it whole.
//! - A rule hit whose text already equals its replacement is no hit, so masking masked text changes
//!   nothing and counts nothing (an export may meet text that was masked before).
//! - Speed: one `RegexSet` scan tells whether any rule that reads every field matches at all; the
//!   rules' own regexes run only on the texts that match (few, in real logs).

use super::field::Field;
use super::manual::Scope;
use super::report::{Preview, Report, MAX_PREVIEWS};
use super::rule::{Kind, USERS};
use super::Redaction;
use regex::{Regex, RegexSet};

mod growth;
pub(super) use growth::Growth;

#[derive(Clone)]
struct Compiled {
    /// Index in the redaction's rules (and in the report's).
    slot: usize,
    kind: Kind,
    regex: Regex,
    secret: Option<usize>,
    allow: Option<Regex>,
    replacement: String,
    /// The fields it is limited to (`None`: every field).
    fields: Option<Vec<Field>>,
}

/// A [`Redaction`] ready to run; see the module doc for what it does to a text. Cloning is cheap
/// (compiled regexes are shared).
#[derive(Clone)]
pub struct Redactor {
    rules: Vec<Compiled>,
    /// The rules with no field list, as one set; `set_rules[i]` is the index in `rules`.
    set: Option<RegexSet>,
    set_rules: Vec<usize>,
    /// Per field (by `Field as usize`), the rules limited to fields that include it.
    scoped: Vec<Vec<usize>>,
    /// `(manual slot, text)` of the `everywhere` redactions.
    everywhere: Vec<(usize, String)>,
    manual: Vec<super::Manual>,
    empty: Report,
}

/// A masked text: the output, and per hit that masked something its owner, where its
/// replacement (first fragment) is in the output, and what of it a preview may show.
#[derive(Debug, Clone)]
pub(super) struct Masked {
    pub(super) out: String,
    applied: Vec<Applied>,
}

#[derive(Debug, Clone)]
struct Applied {
    owner: Owner,
    out: (usize, usize),
    prefix: String,
}

/// Who masked a span. A rule is named by its slot in the redaction's rule list, not by its
/// place among the compiled ones, so that a [`Masked`] means the same to another redactor of the
/// same rule list (one more rule switched on: [`Redactor::growth_from`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Manual(usize),
    Rule(usize),
}

struct Hit {
    start: usize,
    end: usize,
    owner: Owner,
}

impl Redactor {
    /// Compile the enabled rules. `users` fills `{users}` (see [`super::users`]). A rule that
    /// fails to compile is left out and its error is in the report, so one bad custom rule never
    /// turns the others off.
    pub fn new(redaction: &Redaction, users: &[String]) -> Redactor {
        let mut empty = Report::for_redaction(redaction);
        let replacements: Vec<&str> = redaction.rules.iter().filter(|r| r.enabled).map(|r| r.replacement.as_str())
            .chain(redaction.manual.iter().map(|m| m.replacement.as_str()))
            .collect();
        let users = users_alternation(users, &replacements);
        let mut rules = Vec::new();
        let mut scoped = vec![Vec::new(); Field::ALL.len()];
        let (mut set_patterns, mut set_rules) = (Vec::new(), Vec::new());
        for (slot, rule) in redaction.rules.iter().enumerate().filter(|(_, r)| r.enabled) {
            let pattern = match (&users, rule.needs_users()) {
                (None, true) => continue,
                (Some(names), true) => rule.pattern.replace(USERS, names),
                (_, false) => rule.pattern.clone(),
            };
            let fields = match rule.field_list() {
                Ok(f) => f,
                Err(e) => { empty.rules[slot].error = Some(e); continue; }
            };
            // The rule's own pattern within the state bound first; the names list may be bigger.
            let compiled = rule.own_regex().and_then(|own| match rule.needs_users() {
                true => super::compiled::regex_with_names(&pattern).map_err(|e| super::compiled::describe(&e)),
                false => Ok(own),
            });
            let (regex, allow) = match (compiled, rule.allow_regex()) {
                (Ok(r), Ok(a)) => (r, a),
                (Err(e), _) | (_, Err(e)) => { empty.rules[slot].error = Some(e); continue; }
            };
            let secret = regex.capture_names().position(|n| n == Some("secret"));
            let index = rules.len();
            match &fields {
                None => { set_patterns.push(pattern); set_rules.push(index); }
                Some(fields) => fields.iter().for_each(|&f| scoped[f as usize].push(index)),
            }
            rules.push(Compiled { slot, kind: rule.kind, regex, secret, allow, replacement: rule.replacement.clone(), fields });
        }
        // Every pattern compiled alone, so the set compiles too (bar size limits: then no set, and
        // every global rule runs on its own).
        let set = super::compiled::set(&set_patterns).ok();
        if set.is_none() && !set_patterns.is_empty() {
            set_rules.iter().for_each(|&i| scoped.iter_mut().for_each(|s| s.push(i)));
            set_rules.clear();
        }
        let everywhere = redaction.manual.iter().enumerate().filter_map(|(i, m)| match &m.scope {
            Scope::Everywhere { text } if !text.is_empty() => Some((i, text.clone())),
            _ => None,
        }).collect();
        let manual = redaction.manual.clone();
        let mut r = Redactor { rules, set, set_rules, scoped, everywhere, manual, empty };
        r.check_fixed_points(redaction);
        r
    }

    /// The compiled rule in `slot` of the redaction's list (an owner of a hit is one).
    fn rule(&self, slot: usize) -> &Compiled {
        let at = self.rules.partition_point(|r| r.slot < slot);
        &self.rules[at]
    }

    /// The manual redactions, in order (row-targeted ones are looked up by index).
    pub fn manual(&self) -> &[super::Manual] {
        &self.manual
    }

    /// A report with every rule and manual redaction at count 0 (and compile errors).
    pub fn empty_report(&self) -> Report {
        self.empty.clone()
    }

    /// A replacement that some rule would mask again would be counted twice by an export that
    /// meets already masked text; say so on the rule (it still masks).
    fn check_fixed_points(&mut self, redaction: &Redaction) {
        let mut problems = Vec::new();
        let texts = redaction.rules.iter().filter(|r| r.enabled).map(|r| (&r.id, &r.replacement))
            .chain(redaction.manual.iter().map(|m| (&m.id, &m.replacement)));
        for (id, text) in texts {
            for hit in self.hits(Field::FileName, text, &[]) {
                let by = match hit.owner {
                    Owner::Rule(slot) => &redaction.rules[slot].id,
                    Owner::Manual(i) => &redaction.manual[i].id,
                };
                problems.push((by.clone(), format!("masks the replacement of {id} again ({text:?})")));
            }
        }
        for (id, message) in problems {
            if let Some(r) = self.empty.rules.iter_mut().find(|r| r.id == id) {
                r.error.get_or_insert(message);
            }
        }
    }

    fn applies(&self, field: Field, text: &str, row_manuals: &[usize]) -> bool {
        !row_manuals.is_empty()
            || self.set.as_ref().is_some_and(|s| s.is_match(text))
            || self.scoped[field as usize].iter().any(|&i| self.rules[i].regex.is_match(text))
            || self.everywhere.iter().any(|(_, t)| text.contains(t.as_str()))
    }

    /// Every span, in precedence order (manual redactions, then rules).
    fn hits(&self, field: Field, text: &str, row_manuals: &[(usize, (usize, usize))]) -> Vec<Hit> {
        let mut hits: Vec<Hit> = row_manuals.iter()
            .map(|&(m, (start, end))| Hit { start, end, owner: Owner::Manual(m) })
            .collect();
        for (m, needle) in &self.everywhere {
            hits.extend(text.match_indices(needle.as_str()).map(|(s, t)| Hit { start: s, end: s + t.len(), owner: Owner::Manual(*m) }));
        }
        hits.sort_by_key(|h| match h.owner { Owner::Manual(m) => m, Owner::Rule(_) => usize::MAX });
        let mut rules: Vec<usize> = match &self.set {
            Some(set) => set.matches(text).iter().map(|i| self.set_rules[i]).collect(),
            None => Vec::new(),
        };
        rules.extend(self.scoped[field as usize].iter().copied());
        rules.sort_unstable();
        rules.dedup();
        for i in rules {
            let rule = &self.rules[i];
            let mut push = |start: usize, end: usize| {
                let masked = &text[start..end];
                if start < end && masked != rule.replacement && !rule.allow.as_ref().is_some_and(|a| a.is_match(masked)) {
                    hits.push(Hit { start, end, owner: Owner::Rule(rule.slot) });
                }
            };
            match rule.secret {
                Some(g) => rule.regex.captures_iter(text).filter_map(|c| c.get(g)).for_each(|m| push(m.start(), m.end())),
                None => rule.regex.find_iter(text).for_each(|m| push(m.start(), m.end())),
            }
        }
        hits
    }

    /// Mask `text` (a value of `field`; `row_manuals` are the manual redactions aimed at this
    /// row, by index). Counts and previews go to `report` when the field is [`Field::counted`];
    /// `locate` names the row for a preview. Returns whether the text changed.
    pub fn apply(&self, field: Field, row_manuals: &[usize], text: &mut String, report: &mut Report, locate: &dyn Fn() -> String) -> bool {
        match self.masked(field, row_manuals, text) {
            Some(m) => {
                self.record(field, &m, report, locate);
                *text = m.out;
                true
            }
            None => false,
        }
    }

    /// `text` masked, or `None` when nothing applies.
    pub(super) fn masked(&self, field: Field, row_manuals: &[usize], text: &str) -> Option<Masked> {
        if text.is_empty() || !self.applies(field, text, row_manuals) {
            return None;
        }
        let targeted: Vec<(usize, (usize, usize))> = row_manuals.iter()
            .filter_map(|&m| self.manual.get(m).and_then(|x| x.span_in(text)).map(|span| (m, span)))
            .collect();
        let hits = self.hits(field, text, &targeted);
        let (out, first) = self.mask(text, &hits);
        let applied: Vec<Applied> = first.into_iter().map(|(h, start, end)| {
            let hit = &hits[h];
            // Only a whole-match secret rule starts with its vendor's fixed prefix (`sk-`, `ghp_`);
            // a `secret` group is secret throughout, and personal data shows nothing.
            let show = matches!(hit.owner, Owner::Rule(slot) if self.rule(slot).kind == Kind::Secret && self.rule(slot).secret.is_none());
            let masked = &text[hit.start..hit.end];
            let n = if show { (masked.chars().count() / 4).min(4) } else { 0 };
            Applied { owner: hit.owner, out: (start, end), prefix: masked.chars().take(n).collect() }
        }).collect();
        (!applied.is_empty()).then_some(Masked { out, applied })
    }

    /// Count a masked text (and keep previews) when its field is counted.
    pub(super) fn record(&self, field: Field, m: &Masked, report: &mut Report, locate: &dyn Fn() -> String) {
        if !field.counted() {
            return;
        }
        for a in &m.applied {
            match a.owner {
                Owner::Manual(i) => report.manual[i].count += 1,
                Owner::Rule(slot) => {
                    let entry = &mut report.rules[slot];
                    entry.count += 1;
                    if entry.previews.len() < MAX_PREVIEWS {
                        entry.previews.push(Preview::new(field, locate(), &m.out, a.out, &a.prefix));
                    }
                }
            }
        }
    }

    /// Mask without counting (for copies of text counted elsewhere, and for tests).
    pub fn mask_str(&self, field: Field, text: &str) -> String {
        let mut s = text.to_string();
        let mut scratch = self.empty_report();
        self.apply(field, &[], &mut s, &mut scratch, &String::new);
        s
    }

    /// The masked text and, per applied hit, `(hit index, output start, output end)` of its first
    /// fragment.
    fn mask(&self, text: &str, hits: &[Hit]) -> (String, Vec<(usize, usize, usize)>) {
        let mut covered: Vec<(usize, usize)> = Vec::new();
        let mut segments: Vec<(usize, usize, usize)> = Vec::new();
        for (h, hit) in hits.iter().enumerate() {
            let free = uncovered(hit.start, hit.end, &covered);
            for &(s, e) in &free {
                segments.push((s, e, h));
                let at = covered.partition_point(|c| c.0 < s);
                covered.insert(at, (s, e));
            }
        }
        segments.sort_unstable();
        let mut out = String::with_capacity(text.len());
        let mut applied: Vec<(usize, usize, usize)> = Vec::new();
        let mut at = 0;
        for &(s, e, h) in &segments {
            out.push_str(&text[at..s]);
            let start = out.len();
            out.push_str(match hits[h].owner {
                Owner::Manual(m) => &self.manual[m].replacement,
                Owner::Rule(slot) => &self.rule(slot).replacement,
            });
            if !applied.iter().any(|a| a.0 == h) {
                applied.push((h, start, out.len()));
            }
            at = e;
        }
        out.push_str(&text[at..]);
        applied.sort_unstable();
        (out, applied)
    }
}

/// The parts of `start..end` that no interval of `covered` (sorted, disjoint) covers.
fn uncovered(start: usize, end: usize, covered: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut free = Vec::new();
    let mut at = start;
    for &(s, e) in covered.iter().filter(|(s, e)| *e > start && *s < end) {
        if s > at {
            free.push((at, s));
        }
        at = at.max(e);
    }
    if at < end {
        free.push((at, end));
    }
    free
}

/// `name1|name2|…` (escaped, longest first) of the user names worth masking: three characters or
/// more, and not part of a replacement (a user called `user` must not make `<user>` match again).
fn users_alternation(users: &[String], replacements: &[&str]) -> Option<String> {
    let lower: Vec<String> = replacements.iter().map(|r| r.to_lowercase()).collect();
    let mut names: Vec<&String> = users.iter()
        .filter(|u| u.chars().count() >= 3 && !lower.iter().any(|r| r.contains(&u.to_lowercase())))
        .collect();
    names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    names.dedup();
    (!names.is_empty()).then(|| names.iter().map(|n| regex::escape(n)).collect::<Vec<_>>().join("|"))
}
