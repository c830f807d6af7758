//! A change of settings recomputes only what it moves (`query::analysis::reanalyze`): a time-zone
//! change rolls up again, a price edit prices again, a filter or redaction change does it all.
//! Whatever path it took, every answer must equal that of a fresh engine given the same settings:
//! the overview, every chart, the downloads, a sorted page and a page narrowed by an hour.

#[path = "common/query_cases.rs"]
mod cases;

use agent_ledger::pricing::{ModelPrice, PriceBook};
use agent_ledger::query::analysis::{Change, change, serves};
use agent_ledger::query::series::CHARTS;
use agent_ledger::query::{Engine, PageQuery, Request, Response, Settings, Sort};
use agent_ledger::redact::Redaction;
use cases::*;

/// Everything a view or a download shows, as text, for comparing two engines.
fn answers(e: &mut Engine) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut ask = |name: String, r: Request, e: &mut Engine| out.push((name, serde_json::to_string(&e.answer(r)).unwrap()));
    ask("overview".into(), Request::Overview, e);
    for chart in CHARTS {
        ask(chart.into(), Request::Chart { name: chart.into() }, e);
    }
    for name in ["summary.json", "audit.json", "report.md", "usage_tokens.csv", "sessions.csv", "redaction.json"] {
        ask(name.into(), Request::Export { name: name.into(), generated_at_ms: 1_700_000_000_000 }, e);
    }
    let sorted = PageQuery { dataset: "usage_tokens.csv".into(), sort: Some(Sort { column: "cost_usd".into(), descending: true }), limit: 50, ..PageQuery::default() };
    ask("sorted page".into(), Request::Page(sorted), e);
    let at_nine = PageQuery { dataset: "usage_tokens.csv".into(), equals: vec![("ts_utc@hour".into(), "09".into())], limit: 50, ..PageQuery::default() };
    ask("page at 09h".into(), Request::Page(at_nine), e);
    out
}

fn assert_same(load: &str, step: &str, got: Vec<(String, String)>, want: Vec<(String, String)>) {
    assert_eq!(got.len(), want.len());
    for ((name, g), (_, w)) in got.iter().zip(&want) {
        assert!(g == w, "{load}, after {step}: {name} differs from a fresh engine's");
        assert!(!g.contains("\"kind\":\"error\""), "{load}, after {step}: {name} is an error: {g:.200}");
    }
}

#[test]
fn each_change_answers_as_a_fresh_engine_would() {
    let base = Settings::default();
    for (load, files) in corpora() {
        let ledger = ingest(&files);
        let mut e = Engine::new(ledger.clone(), base.clone());
        // The busiest model: its price is edited and it is the filter.
        let Response::Overview(o) = e.answer(Request::Overview) else { panic!("{load}: no overview") };
        let model = o.by_model.iter().max_by_key(|g| g.usage_rows).map(|g| g.key.clone()).unwrap();
        let mut book = PriceBook::builtin();
        book.set_override(&model, ModelPrice { input: 2.0, output: 20.0, cache_read: Some(0.2), ..ModelPrice::default() }).unwrap();
        let prices = book.overrides_json();
        // The rule file as the page writes it once a switch is touched: e-mail addresses on,
        // then off again (the defaults, written out).
        let rule_file = |email: bool| {
            let mut r = Redaction::default();
            r.set_enabled("email", email);
            r.to_json()
        };
        // (step, settings, the change it is)
        let steps = [
            ("a zone", Settings { zone: "Pacific/Kiritimati".into(), ..base.clone() }, Change::Zone),
            ("a price edit", Settings { zone: "Pacific/Kiritimati".into(), price_overrides: prices.clone(), ..base.clone() }, Change::Prices),
            ("a model filter", Settings { model: model.clone(), price_overrides: prices.clone(), ..base.clone() }, Change::Rows),
            ("another zone under the filter", Settings { model: model.clone(), zone: "America/New_York".into(), price_overrides: prices.clone(), ..base.clone() }, Change::Zone),
            ("the price edit undone under the filter", Settings { model: model.clone(), zone: "America/New_York".into(), ..base.clone() }, Change::Prices),
            ("a redaction switch", Settings { redact_prompts: true, zone: "America/New_York".into(), ..base.clone() }, Change::Rows),
            ("a row cap", Settings { redact_prompts: true, zone: "America/New_York".into(), row_cap: Some(3), ..base.clone() }, Change::Zone),
            // Redaction masks are kept between filter changes while the rules stay (and `{users}`
            // names the users of the rows kept): the filter on and off under a personal rule.
            ("home directories redacted", Settings { redact_paths: true, ..base.clone() }, Change::Rows),
            ("a model filter under that redaction", Settings { redact_paths: true, model: model.clone(), ..base.clone() }, Change::Rows),
            ("the filter off again", Settings { redact_paths: true, ..base.clone() }, Change::Rows),
            // Back to the rows of the analysis before, in another zone: the engine takes that
            // analysis up again and rolls it up in the new zone.
            ("the filter on again in another zone", Settings { redact_paths: true, model: model.clone(), zone: "Asia/Tokyo".into(), ..base.clone() }, Change::Rows),
            ("back to the start", base.clone(), Change::Rows),
            ("the e-mail rule on", Settings { redaction_rules: rule_file(true), ..base.clone() }, Change::Rows),
            // The same rules as at the start in other text: the analysis before is taken up.
            ("the e-mail rule off, the defaults written out", Settings { redaction_rules: rule_file(false), ..base.clone() }, Change::Rows),
            ("the defaults as text instead of none", Settings { redaction_rules: rule_file(false), zone: "Asia/Tokyo".into(), ..base.clone() }, Change::Zone),
            // Rows and prices at once: the costs of the analysis before do not hold.
            ("the filter and the price edit at once", Settings { model: model.clone(), price_overrides: prices.clone(), ..base.clone() }, Change::Rows),
            // Back to the rows before, where only the row cap differs from the kept analysis.
            ("back, with a row cap", Settings { redaction_rules: rule_file(false), zone: "Asia/Tokyo".into(), row_cap: Some(2), ..base.clone() }, Change::Rows),
        ];
        let mut before = base.clone();
        for (step, settings, kind) in &steps {
            assert_eq!(change(&before, settings), *kind, "{step}");
            e.answer(Request::Configure { settings: settings.clone() });
            let mut fresh = Engine::new(ledger.clone(), settings.clone());
            assert_same(load, step, answers(&mut e), answers(&mut fresh));
            before = settings.clone();
        }
        // The edit moved a cost somewhere, so the price steps were not vacuous.
        let cost = |e: &mut Engine| match e.answer(Request::Overview) {
            Response::Overview(o) => o.totals.cost_usd,
            _ => f64::NAN,
        };
        let plain = cost(&mut Engine::new(ledger.clone(), base.clone()));
        let edited = cost(&mut Engine::new(ledger.clone(), Settings { price_overrides: prices.clone(), ..base.clone() }));
        assert!(plain != edited, "{load}: the price edit changes the total cost ({plain} both)");
    }
}

/// A setting the classifier does not name (a filter added later) must count as a change of rows.
#[test]
fn any_other_setting_is_a_change_of_rows() {
    let base = Settings::default();
    for changed in [
        Settings { workspace: "/w".into(), ..base.clone() },
        Settings { from: "2025-01-01".into(), ..base.clone() },
        Settings { retention_days: Some(7), ..base.clone() },
        Settings { redaction_rules: { let mut r = Redaction::default(); r.set_enabled("ipv4", true); r.to_json() }, ..base.clone() },
        Settings { redact_paths: true, ..base.clone() },
    ] {
        assert_eq!(change(&base, &changed), Change::Rows, "{changed:?}");
    }
    // The clock moves the rows only under a retention window.
    assert_eq!(change(&base, &Settings { now_ms: 5, ..base.clone() }), Change::Zone);
    let kept = Settings { retention_days: Some(7), ..base.clone() };
    assert_eq!(change(&kept, &Settings { now_ms: 5, ..kept.clone() }), Change::Rows);
    // The redaction is compared as rules, not as text: the defaults written out, or a rule file
    // that does not load (read as the defaults), change nothing.
    for same in [Redaction::default().to_json(), "{}".to_string()] {
        assert_eq!(change(&base, &Settings { redaction_rules: same.clone(), ..base.clone() }), Change::Zone, "{same:.40}");
    }
    let paths_on = { let mut r = Redaction::default(); r.set_enabled("home-directory", true); r.to_json() };
    assert_eq!(change(&Settings { redact_paths: true, ..base.clone() }, &Settings { redaction_rules: paths_on, ..base.clone() }), Change::Zone);
}

/// An analysis kept for settings serves others as it is only when nothing it shows would differ.
#[test]
fn a_kept_analysis_serves_settings_that_show_the_same() {
    let base = Settings::default();
    let cases = [
        (Settings { redaction_rules: Redaction::default().to_json(), ..base.clone() }, true),
        (Settings { now_ms: 5, ..base.clone() }, true),
        (Settings { zone: "Asia/Tokyo".into(), ..base.clone() }, false),
        (Settings { price_overrides: "x,1,2,0,0".into(), ..base.clone() }, false),
        (Settings { row_cap: Some(10), ..base.clone() }, false),
        (Settings { model: "gpt-5".into(), ..base.clone() }, false),
        (Settings { redact_prompts: true, ..base.clone() }, false),
    ];
    for (other, want) in cases {
        assert_eq!(serves(&base, &other), want, "{other:?}");
        assert_eq!(serves(&other, &base), want, "{other:?}, the other way");
    }
}

/// The page numbers the rows for filters while idle after a load (`Engine::prepare_filters`):
/// the first filter then uses those numbers, and answers as a fresh engine would.
#[test]
fn rows_numbered_ahead_serve_the_first_filter() {
    let base = Settings::default();
    for (load, files) in corpora() {
        let ledger = ingest(&files);
        let mut e = Engine::new(ledger.clone(), base.clone());
        assert!(e.snapshot().keys().is_none(), "{load}: no filter yet, no numbers");
        e.prepare_filters();
        let ahead = e.snapshot().keys().cloned().expect("numbered ahead");
        let Response::Overview(o) = e.answer(Request::Overview) else { panic!("{load}: no overview") };
        let model = o.by_model.iter().max_by_key(|g| g.usage_rows).map(|g| g.key.clone()).unwrap();
        let settings = Settings { model, ..base.clone() };
        e.answer(Request::Configure { settings: settings.clone() });
        let used = e.snapshot().keys().cloned().expect("the filter's numbers");
        assert!(std::sync::Arc::ptr_eq(&used, &ahead), "{load}: the filter numbered the rows again");
        assert_same(load, "a filter after numbering ahead", answers(&mut e), answers(&mut Engine::new(ledger.clone(), settings)));
    }
}
