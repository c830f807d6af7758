//! Redaction: the pipeline stage between filtering and everything that reads the tables (audit,
//! rollups, views, exports). It knows only the [`model`](crate::model); the export calls it for
//! the text it derives (ingest report, findings, summary keys).
//!
//! **Rules are data.** A [`Rule`] has an id, a title, a kind (secret, personal, custom), a regex,
//! a literal replacement and a switch; the masked part of a match is its `(?P<secret>…)` group if
//! it has one, else all of it. The built-in set is `rules.json` (embedded): secret rules on by
//! default, derived from gitleaks v8.30.1 `config/gitleaks.toml` (MIT, see `LICENSE-gitleaks.txt`
//! beside this file; each rule's `source` says what it was derived from and how it differs),
//! plus personal-data rules, off by default. Rules run in order over every redacted [`Field`]
//! (its doc says which text is redacted and which is not, and why); [`Redactor`] says how
//! overlapping hits and manual redactions combine.
//!
//! **Never redacted:** ids and keys (session ids, models, call and job ids, tool names, status
//! words) and numbers. They join the tables, price the rows and group the rollups, so usage
//! totals and costs are the same with and without redaction.
//!
//! ## API for the page
//! - State: a [`Redaction`] (`rules` + `manual`), `Redaction::default()` = the built-in rules at
//!   their defaults. Switch a rule: [`Redaction::set_enabled`] (one `input[data-rule="<id>"]` per
//!   rule, from [`Redaction::rules`]); add or drop a custom rule: [`Redaction::add_custom`],
//!   [`Redaction::remove_rule`]; manual redactions: [`Redaction::add_manual`] (with a [`Scope`];
//!   a row is named by [`RowRef::of`]), undo with [`Redaction::remove_manual`].
//! - Save and load (browser storage, a file, the CLI's `--redaction-rules FILE`):
//!   [`Redaction::to_json`] / [`Redaction::from_json`] (rules and manual redactions together).
//! - Run: [`crate::export::prepare`] filters and redacts and returns the [`Report`] (count and up
//!   to [`report::MAX_PREVIEWS`] previews per rule, count per manual redaction); pass it on in
//!   `ExportInput::redaction_report`. Lower level: [`Redactor::new`] + [`tables`].
//! - Show: [`report::transparency`] is what `redaction.json` holds. Text shown outside the
//!   tables (a raw log line read back from its file) goes through
//!   `Redactor::mask_str(Field::RawLine, text)`; `query::Analysis::redactor` holds the compiled
//!   rules of the current load.

mod compiled;
mod engine;
mod field;
mod manual;
mod masks;
mod redactable;
pub mod report;
mod rule;
mod tables;

pub use engine::Redactor;
pub use field::{Field, RowRef, Table, sources, text_of};
pub use manual::{Manual, Scope};
pub use report::{Preview, Report};
pub use rule::{Kind, Rule, builtin, builtins};
pub use masks::RowMasks;
pub use tables::{tables, tables_with, users};

use serde::{Deserialize, Serialize};

/// The version of the rule-file format [`Redaction::to_json`] writes.
pub const FORMAT_VERSION: u32 = 1;

/// Every rule (built-in first, in their order, then custom ones) and every manual redaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redaction {
    #[serde(default = "version")]
    pub version: u32,
    pub rules: Vec<Rule>,
    #[serde(default)]
    pub manual: Vec<Manual>,
}

fn version() -> u32 {
    FORMAT_VERSION
}

impl Default for Redaction {
    /// The built-in rules at their defaults (secret rules on, personal rules off), no manual
    /// redaction.
    fn default() -> Self {
        Redaction { version: FORMAT_VERSION, rules: builtins().to_vec(), manual: Vec::new() }
    }
}

impl Redaction {
    /// The built-in rules, all switched off: exports as logged.
    pub fn off() -> Self {
        let mut r = Redaction::default();
        r.rules.iter_mut().for_each(|x| x.enabled = false);
        r
    }

    /// Nothing to do: no rule on and no manual redaction.
    pub fn is_empty(&self) -> bool {
        self.manual.is_empty() && !self.rules.iter().any(|r| r.enabled)
    }

    /// Whether some enabled rule uses `{users}` (then [`users`] is worth computing).
    pub fn needs_users(&self) -> bool {
        self.rules.iter().any(|r| r.enabled && r.needs_users())
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Switch a rule on or off; `false` when there is no rule with that id.
    pub fn set_enabled(&mut self, id: &str, on: bool) -> bool {
        self.rules.iter_mut().find(|r| r.id == id).map(|r| r.enabled = on).is_some()
    }

    /// Add an enabled custom rule that reads every field; its id (`custom-1`, `custom-2`, …).
    /// `Err` when the pattern does not compile.
    pub fn add_custom(&mut self, title: &str, pattern: &str, replacement: &str) -> Result<String, String> {
        let id = next_id("custom", self.rules.iter().map(|r| r.id.as_str()));
        let rule = Rule::custom(&id, title, pattern, replacement);
        rule.validate()?;
        self.rules.push(rule);
        Ok(id)
    }

    /// Drop a custom rule (built-in rules can only be switched off); `false` if there was none.
    pub fn remove_rule(&mut self, id: &str) -> bool {
        let before = self.rules.len();
        self.rules.retain(|r| r.id != id || r.kind != Kind::Custom);
        self.rules.len() != before
    }

    /// Add a manual redaction, giving it an id (`manual-1`, …) when it has none; its id.
    pub fn add_manual(&mut self, mut m: Manual) -> Result<String, String> {
        if m.id.is_empty() || self.manual.iter().any(|x| x.id == m.id) {
            m.id = next_id("manual", self.manual.iter().map(|x| x.id.as_str()));
        }
        m.validate()?;
        let id = m.id.clone();
        self.manual.push(m);
        Ok(id)
    }

    /// Undo a manual redaction; what it was, if there was one with that id.
    pub fn remove_manual(&mut self, id: &str) -> Option<Manual> {
        let i = self.manual.iter().position(|m| m.id == id)?;
        Some(self.manual.remove(i))
    }

    /// The rule file: pretty JSON of every rule and manual redaction.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Read a rule file. Built-in rules take only their switch from the file (their pattern,
    /// title and replacement come from this build, so a saved file never pins an old pattern),
    /// built-ins the file lacks come at their defaults, and custom rules follow in the file's
    /// order. `Err` names the first problem: bad JSON, a duplicate id, a pattern that does not
    /// compile, an unknown field, a malformed manual redaction.
    pub fn from_json(text: &str) -> Result<Redaction, String> {
        let file: Redaction = serde_json::from_str(text).map_err(|e| format!("redaction rules: {e}"))?;
        let mut rules: Vec<Rule> = builtins().iter().map(|b| {
            let saved = file.rules.iter().find(|r| r.id == b.id);
            Rule { enabled: saved.map_or(b.enabled, |s| s.enabled), ..b.clone() }
        }).collect();
        for rule in file.rules.into_iter().filter(|r| !r.is_builtin()) {
            if rules.iter().any(|r| r.id == rule.id) {
                return Err(format!("redaction rules: rule id {} appears twice", rule.id));
            }
            rule.validate()?;
            rules.push(Rule { kind: Kind::Custom, ..rule });
        }
        let mut out = Redaction { version: FORMAT_VERSION, rules, manual: Vec::new() };
        for m in file.manual {
            if m.id.is_empty() || out.manual.iter().any(|x| x.id == m.id) {
                return Err(format!("redaction rules: manual redaction id {:?} is empty or repeated", m.id));
            }
            m.validate()?;
            out.manual.push(m);
        }
        Ok(out)
    }

    /// `2 of 22 rules on, 1 manual redaction` (for the report's header).
    pub fn describe(&self) -> String {
        let on = self.rules.iter().filter(|r| r.enabled).count();
        let manual = match self.manual.len() {
            1 => "1 manual redaction".to_string(),
            n => format!("{n} manual redactions"),
        };
        format!("{on} of {} rules on, {manual}", self.rules.len())
    }

    /// Compile for tables `t` (user names are looked up only when a rule needs them).
    pub fn redactor_for<'a>(&self, t: &'a crate::model::Tables, more_paths: impl IntoIterator<Item = &'a str>) -> Redactor {
        let names = if self.needs_users() { users(t, more_paths) } else { Vec::new() };
        Redactor::new(self, &names)
    }
}

/// `prefix-N` with N one past the largest in use.
fn next_id<'a>(prefix: &str, ids: impl Iterator<Item = &'a str>) -> String {
    let n = ids
        .filter_map(|id| id.strip_prefix(prefix)?.strip_prefix('-')?.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}-{}", n + 1)
}
