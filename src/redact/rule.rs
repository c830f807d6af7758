//! Rules as data, and the built-in set (`rules.json`, embedded).

use super::field::Field;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// What a rule hides; decides the default and how much of a hit a preview may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Credentials: on by default.
    Secret,
    /// Personal data: offered, off by default.
    Personal,
    /// Added by the user.
    Custom,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Secret => "secret",
            Kind::Personal => "personal",
            Kind::Custom => "custom",
        }
    }
}

/// One rule. The masked part of a match is its named group `secret` when the pattern has one
/// (so `Authorization: Bearer` stays readable and only the token goes), else the whole match;
/// it is replaced by `replacement`, taken literally (no `$1` expansion).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub kind: Kind,
    pub enabled: bool,
    /// A `regex` crate pattern. `{users}` stands for the user names found in the tables (see
    /// [`super::users`]); a rule with `{users}` and no names found matches nothing.
    pub pattern: String,
    pub replacement: String,
    /// A regex for hits that are not masked after all (gitleaks' allowlists): a hit whose masked
    /// text it matches is left alone (the e-mail rule allows the `git@` of SSH remotes).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub allow: String,
    /// The fields it reads (`queries.text`, …); empty: every redacted field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// Where a built-in rule comes from.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

/// The placeholder a pattern uses for the user names found in the tables.
pub const USERS: &str = "{users}";

impl Rule {
    /// A custom rule, enabled, reading every field.
    pub fn custom(id: &str, title: &str, pattern: &str, replacement: &str) -> Rule {
        Rule {
            id: id.into(),
            title: title.into(),
            kind: Kind::Custom,
            enabled: true,
            pattern: pattern.into(),
            replacement: replacement.into(),
            allow: String::new(),
            fields: Vec::new(),
            source: String::new(),
        }
    }

    pub fn is_builtin(&self) -> bool {
        builtin(&self.id).is_some()
    }

    pub fn needs_users(&self) -> bool {
        self.pattern.contains(USERS)
    }

    /// The fields it is limited to (`None`: all); `Err` names an unknown field.
    pub fn field_list(&self) -> Result<Option<Vec<Field>>, String> {
        if self.fields.is_empty() {
            return Ok(None);
        }
        self.fields
            .iter()
            .map(|name| Field::parse(name).ok_or_else(|| format!("rule {}: unknown field {name:?}", self.id)))
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// Check what can be checked without the tables: an id, a pattern that compiles, known fields.
    pub fn validate(&self) -> Result<(), String> {
        if self.id.trim().is_empty() {
            return Err("a rule needs an id".into());
        }
        self.field_list()?;
        self.own_regex().map(drop)?;
        self.allow_regex()?;
        Ok(())
    }

    /// The pattern compiled with one name for `{users}`: what the rule itself costs to search,
    /// held to the automaton-state bound (`compiled::RULE_STATES`) whatever the names.
    pub(super) fn own_regex(&self) -> Result<regex::Regex, String> {
        let pattern = self.pattern.replace(USERS, "user");
        super::compiled::regex(&pattern).map_err(|e| format!("rule {}: {}", self.id, super::compiled::describe(&e)))
    }

    /// The compiled `allow` (`None` when empty).
    pub fn allow_regex(&self) -> Result<Option<regex::Regex>, String> {
        if self.allow.is_empty() {
            return Ok(None);
        }
        super::compiled::regex(&self.allow)
            .map(Some)
            .map_err(|e| format!("rule {} allow: {}", self.id, super::compiled::describe(&e)))
    }
}

#[derive(Deserialize)]
struct RuleFile {
    rules: Vec<Rule>,
}

/// The built-in rules, in order (secret rules first), as `rules.json` defines them.
pub fn builtins() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        // Embedded data, not user input: `builtin_rules_parse_and_compile` keeps it valid, so a
        // failure here is a build defect and must not silently turn secret masking off.
        let file: RuleFile = serde_json::from_str(include_str!("rules.json")).expect("src/redact/rules.json is valid");
        file.rules
    })
}

pub fn builtin(id: &str) -> Option<&'static Rule> {
    builtins().iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_parse_and_compile() {
        let rules = builtins();
        assert!(rules.len() >= 20);
        for r in rules {
            r.validate().unwrap();
            assert_eq!(r.enabled, r.kind == Kind::Secret, "{}: secret rules on, personal off", r.id);
            assert_ne!(r.kind, Kind::Custom, "{}", r.id);
        }
        let mut ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), rules.len(), "ids are unique");
    }
}
