//! What a redaction did: counts and previews per rule, counts per manual redaction, and the
//! `redaction.json` view of it (never a masked value).

use super::field::Field;
use super::rule::Kind;
use super::Redaction;
use crate::model::Millis;
use serde::{Deserialize, Serialize};

/// How many masked hits a rule keeps as previews.
pub const MAX_PREVIEWS: usize = 3;
/// Characters of context on each side of a preview's replacement.
const CONTEXT_CHARS: usize = 24;

/// One masked hit, shown without what was masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    /// `queries.text`, …
    pub field: String,
    /// `file:line` of the row (file names as redacted).
    pub location: String,
    /// The masked text around the replacement, on one line.
    pub context: String,
    /// For secret rules that mask their whole match (which then starts with the vendor's fixed
    /// prefix), the first characters of what was masked (`sk-p…`): at most 4, and at most a
    /// quarter of it. Empty for a rule whose `secret` group masks only the secret itself (all of
    /// it is secret), and for personal and custom rules.
    pub prefix: String,
}

impl Preview {
    /// `out` is the masked text, `out[start..end]` the replacement, `prefix` what of the masked
    /// text may be shown.
    pub(super) fn new(field: Field, location: String, out: &str, (start, end): (usize, usize), prefix: &str) -> Preview {
        let before: Vec<char> = out[..start].chars().rev().take(CONTEXT_CHARS + 1).collect();
        let after: Vec<char> = out[end..].chars().take(CONTEXT_CHARS + 1).collect();
        let mut context = String::new();
        if before.len() > CONTEXT_CHARS {
            context.push('…');
        }
        context.extend(before.iter().take(CONTEXT_CHARS).rev());
        context.push_str(&out[start..end]);
        context.extend(after.iter().take(CONTEXT_CHARS));
        if after.len() > CONTEXT_CHARS {
            context.push('…');
        }
        let context = context.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let prefix = if prefix.is_empty() { String::new() } else { format!("{prefix}…") };
        Preview { field: field.name().into(), location, context, prefix }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleHits {
    pub id: String,
    pub count: u64,
    pub previews: Vec<Preview>,
    /// Why the rule did not run (a pattern that does not compile) or may count twice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualHits {
    pub id: String,
    pub count: u64,
}

/// The outcome of redacting: one entry per rule and per manual redaction of the [`Redaction`],
/// in its order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub rules: Vec<RuleHits>,
    pub manual: Vec<ManualHits>,
}

impl Report {
    /// Every rule and manual redaction at count 0.
    pub fn for_redaction(r: &Redaction) -> Report {
        Report {
            rules: r.rules.iter().map(|x| RuleHits { id: x.id.clone(), ..Default::default() }).collect(),
            manual: r.manual.iter().map(|m| ManualHits { id: m.id.clone(), count: 0 }).collect(),
        }
    }

    /// Add the counts and previews of `other` (matched by id; entries new to `self` are added).
    pub fn merge(&mut self, other: &Report) {
        for o in &other.rules {
            match self.rules.iter_mut().find(|r| r.id == o.id) {
                Some(r) => {
                    r.count += o.count;
                    let room = MAX_PREVIEWS.saturating_sub(r.previews.len());
                    r.previews.extend(o.previews.iter().take(room).cloned());
                    if r.error.is_none() {
                        r.error.clone_from(&o.error);
                    }
                }
                None => self.rules.push(o.clone()),
            }
        }
        for o in &other.manual {
            match self.manual.iter_mut().find(|m| m.id == o.id) {
                Some(m) => m.count += o.count,
                None => self.manual.push(o.clone()),
            }
        }
    }

    pub fn rule(&self, id: &str) -> Option<&RuleHits> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn manual_count(&self, id: &str) -> u64 {
        self.manual.iter().find(|m| m.id == id).map_or(0, |m| m.count)
    }
}

/// `redaction.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Transparency {
    pub rules: Vec<RuleEntry>,
    pub manual: Vec<ManualEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleEntry {
    pub id: String,
    pub title: String,
    pub kind: Kind,
    pub enabled: bool,
    pub count: u64,
    pub replacement: String,
    /// Built-in rules only: a custom pattern may spell out the very text it hides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source: String,
    pub previews: Vec<Preview>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ManualEntry {
    pub id: String,
    /// [`super::Manual::public_scope`]: an `everywhere` scope shows only the length of its text.
    pub scope: serde_json::Value,
    pub replacement: String,
    pub reason: String,
    pub actor: String,
    pub at_ms: Millis,
    pub count: u64,
}

/// The `redaction.json` view of a redaction and its report; `mask` redacts a file name (rows of
/// manual redactions name their file).
pub fn transparency(r: &Redaction, report: &Report, mask: &dyn Fn(&str) -> String) -> Transparency {
    let rules = r.rules.iter().map(|rule| {
        let hits = report.rule(&rule.id);
        RuleEntry {
            id: rule.id.clone(),
            title: rule.title.clone(),
            kind: rule.kind,
            enabled: rule.enabled,
            count: hits.map_or(0, |h| h.count),
            replacement: rule.replacement.clone(),
            pattern: super::rule::builtin(&rule.id).filter(|b| b.pattern == rule.pattern).map(|b| b.pattern.clone()),
            fields: rule.fields.clone(),
            source: rule.source.clone(),
            previews: hits.map(|h| h.previews.clone()).unwrap_or_default(),
            error: hits.and_then(|h| h.error.clone()),
        }
    }).collect();
    let manual = r.manual.iter().map(|m| ManualEntry {
        id: m.id.clone(),
        scope: m.public_scope(mask),
        replacement: m.replacement.clone(),
        reason: m.reason.clone(),
        actor: m.actor.clone(),
        at_ms: m.at_ms,
        count: report.manual_count(&m.id),
    }).collect();
    Transparency { rules, manual }
}
