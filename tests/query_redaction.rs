//! Manual redactions made the page's way: a person selects text in a table cell, the engine
//! locates it (`Request::Locate`), the page adds a `Manual` to the rule file in the settings.
//! Checked against the unredacted CSV read here: exactly the chosen place is masked (one
//! occurrence, one field, or everywhere), the counts say so, and undoing restores the rows.

#[path = "common/query_cases.rs"]
mod cases;

use agent_ledger::export::Redaction;
use agent_ledger::query::{Engine, PageQuery, Request, Response, Settings};
use agent_ledger::redact::{Manual, Scope};
use cases::*;

const QUERIES: &str = "query_messages.csv";
const MASK: &str = "[MASKED-BY-TEST]";

fn texts(e: &mut Engine) -> Vec<String> {
    let (rows, _, _) = all_pages(e, &PageQuery { dataset: QUERIES.into(), ..PageQuery::default() }, 500);
    let c = page(e, PageQuery { dataset: QUERIES.into(), limit: 0, ..PageQuery::default() }).columns.iter().position(|c| c == "text").unwrap();
    rows.into_iter().map(|(_, r)| r[c].clone()).collect()
}

fn with_manual(e: &mut Engine, scope: Scope) -> u64 {
    let mut r = Redaction::off();
    r.add_manual(Manual { id: String::new(), scope, replacement: MASK.into(), reason: "test".into(), actor: "ann".into(), at_ms: 1 }).unwrap();
    e.answer(Request::Configure { settings: Settings { redaction_rules: r.to_json(), ..Settings::default() } });
    match e.answer(Request::Redaction) {
        Response::Redaction(report) => report.manual[0].count,
        other => panic!("{other:?}"),
    }
}

fn located(e: &mut Engine, row: usize, text: &str) -> agent_ledger::query::locate::Located {
    match e.answer(Request::Locate { dataset: QUERIES.into(), row, column: "text".into(), text: text.into() }) {
        Response::Located(l) => l,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_selection_is_masked_in_its_occurrence_its_field_or_everywhere() {
    for (load, files) in corpora() {
        let mut e = engine(&files);
        e.answer(Request::Configure { settings: Settings { redaction_rules: Redaction::off().to_json(), ..Settings::default() } });
        let before = texts(&mut e);
        // A word of some prompt that other prompts hold too, so the scopes differ.
        let word = ["the", "test", "file", "a"].into_iter().find(|w| before.iter().filter(|t| t.contains(&format!(" {w} "))).count() >= 2).unwrap();
        let needle = format!(" {word} ");
        let row = before.iter().position(|t| t.contains(&needle)).unwrap();

        // This occurrence: that row only, the first place in it.
        let l = located(&mut e, row, &needle);
        assert_eq!((l.start, l.end - l.start), (before[row].find(&needle).unwrap(), needle.len()), "{load}");
        let scope = Scope::Occurrence { table: l.table, row: l.row.clone(), field: l.field.clone(), start: l.start, end: l.end };
        assert_eq!(with_manual(&mut e, scope), 1, "{load}: one occurrence masked");
        let after = texts(&mut e);
        assert_eq!(after[row], before[row].replacen(&needle, MASK, 1), "{load}");
        assert!(after.iter().zip(&before).enumerate().all(|(i, (a, b))| i == row || a == b), "{load}: other rows untouched");

        // This field: the whole prompt.
        let l = located(&mut e, row, "");
        assert_eq!(with_manual(&mut e, Scope::Field { table: l.table, row: l.row, field: l.field }), 1, "{load}");
        assert_eq!(texts(&mut e)[row], MASK, "{load}");

        // Everywhere: every occurrence in every prompt (and wherever else it is logged).
        let count = with_manual(&mut e, Scope::Everywhere { text: needle.clone() });
        let after = texts(&mut e);
        let in_prompts: usize = before.iter().map(|t| t.matches(&needle).count()).sum();
        assert!(count as usize >= in_prompts && in_prompts >= 2, "{load}: {count} masked, {in_prompts} in prompts");
        assert!(after.iter().all(|t| !t.contains(&needle)), "{load}: none left");

        // Undone: the rows as logged again.
        e.answer(Request::Configure { settings: Settings { redaction_rules: Redaction::off().to_json(), ..Settings::default() } });
        assert_eq!(texts(&mut e), before, "{load}");
    }
}

#[test]
fn locating_says_plainly_what_cannot_be_redacted_field_by_field() {
    let mut e = engine(&sample());
    for (dataset, column, why) in [
        ("usage_tokens.csv", "model", "not rows of the logs"),
        (QUERIES, "session_id", "not text that is redacted"),
        (QUERIES, "text", "not in this field"),
    ] {
        let text = if why.contains("field") { "\u{1}nowhere\u{1}" } else { "x" };
        match e.answer(Request::Locate { dataset: dataset.into(), row: 0, column: column.into(), text: text.into() }) {
            Response::Error { message } => assert!(message.contains(why), "{dataset}.{column}: {message}"),
            other => panic!("{dataset}.{column}: {other:?}"),
        }
    }
}

/// The engine redacts by its kept row masks, brought up to date when rules are switched, and
/// unfiltered visits only the masked rows; `export::prepare` runs every rule over every row.
/// Both must give the same tables and the same report (counts and previews, in order), whatever
/// the rules switched on one after another, filtered or not.
#[test]
fn kept_masks_redact_as_every_row_run_through_the_rules() {
    let rules = |on: &[&str]| {
        let mut r = Redaction::default();
        on.iter().for_each(|id| assert!(r.set_enabled(id, true), "{id}"));
        r
    };
    let mut everywhere = rules(&["email", "ipv4"]);
    everywhere.add_custom("digits", "[0-9]{4,}", "[N]").unwrap();
    everywhere.add_manual(Manual { id: String::new(), scope: Scope::Everywhere { text: "the".into() }, replacement: "[T]".into(), reason: String::new(), actor: String::new(), at_ms: 0 }).unwrap();
    let steps = [
        rules(&[]),
        rules(&["email"]),
        rules(&["email", "ipv4", "ipv6"]),
        rules(&["ipv4", "home-directory", "user-name"]),
        rules(&["ipv4", "home-directory", "user-name", "whole-tool-arguments"]),
        rules(&["whole-prompt"]),
        everywhere,
        rules(&["email"]),
    ];
    for (load, files) in corpora() {
        let ledger = ingest(&files);
        let Response::Overview(o) = Engine::new(ledger.clone(), Settings::default()).answer(Request::Overview) else { panic!() };
        let model = o.by_model.iter().max_by_key(|g| g.usage_rows).map(|g| g.key.clone()).unwrap();
        let costs = agent_ledger::query::analysis::price_book(&Settings::default()).usage_costs(&ledger.tables.usage);
        for model in [String::new(), model] {
            let mut e = Engine::new(ledger.clone(), Settings { model: model.clone(), ..Settings::default() });
            for (i, redaction) in steps.iter().enumerate() {
                let settings = Settings { model: model.clone(), redaction_rules: redaction.to_json(), ..Settings::default() };
                e.answer(Request::Configure { settings: settings.clone() });
                let filter = agent_ledger::query::analysis::filter_of(&settings);
                let want = agent_ledger::export::prepare(&ledger.tables, &costs, &filter, redaction);
                let a = e.snapshot();
                let got_report = a.redaction_report.clone().expect("redacted");
                assert_eq!(got_report, want.redaction, "{load}, model {model:?}, step {i}: the report");
                let json = |t: &agent_ledger::model::Tables| serde_json::to_string(t).unwrap();
                assert!(json(a.tables()) == json(&want.tables), "{load}, model {model:?}, step {i}: the tables differ");
                // Home directories, whole prompts and the common word are in every whole load.
                if model.is_empty() && [3, 5, 6].contains(&i) {
                    assert!(got_report.rules.iter().any(|r| r.count > 0), "{load}, model {model:?}, step {i}: something masked");
                }
            }
        }
    }
}
