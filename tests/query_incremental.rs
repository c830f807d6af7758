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
use agent_ledger::redact::{Manual, Redaction, Scope};
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
        // The defaults with `on` switched on, `off` off, and a custom rule (masking the most
        // common word) and a manual redaction (of a word every load has) when `custom` is
        // `Some(manual)`.
        let rules = |on: &[&str], off: &[&str], custom: Option<bool>| {
            let mut r = Redaction::default();
            on.iter().for_each(|id| assert!(r.set_enabled(id, true), "{id}"));
            off.iter().for_each(|id| assert!(r.set_enabled(id, false), "{id}"));
            if let Some(manual) = custom {
                r.add_custom("the", r"(?i)\bthe\b", "[T]").unwrap();
                if manual {
                    let scope = Scope::Everywhere { text: "session".into() };
                    r.add_manual(Manual { id: String::new(), scope, replacement: "[S]".into(), reason: String::new(), actor: String::new(), at_ms: 0 }).unwrap();
                }
            }
            r.to_json()
        };
        // The defaults and a custom rule that masks the whole of one field's every text, with
        // a replacement longer than most of them.
        let masked_field = |field: &str| {
            let mut r = Redaction::default();
            r.add_custom("all", "(?s).+", &format!("[{}]", "x".repeat(300))).unwrap();
            r.rules.last_mut().unwrap().fields = vec![field.to_string()];
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
            // Rules switched on and off one after another: the masks before are kept for the
            // texts the switched rules do not touch (`RowMasks::refresh`).
            ("the e-mail rule on again", Settings { redaction_rules: rules(&["email"], &[], None), ..base.clone() }, Change::Rows),
            ("IPv4 addresses too", Settings { redaction_rules: rules(&["email", "ipv4"], &[], None), ..base.clone() }, Change::Rows),
            ("the e-mail rule off, IPv4 kept", Settings { redaction_rules: rules(&["ipv4"], &[], None), ..base.clone() }, Change::Rows),
            ("a secret rule off", Settings { redaction_rules: rules(&["ipv4"], &["jwt", "openai-api-key"], None), ..base.clone() }, Change::Rows),
            ("a custom rule added", Settings { redaction_rules: rules(&["ipv4"], &["jwt", "openai-api-key"], Some(false)), ..base.clone() }, Change::Rows),
            ("user names on (new {users})", Settings { redaction_rules: rules(&["ipv4", "user-name"], &["jwt"], Some(false)), ..base.clone() }, Change::Rows),
            ("home directories on (the same users)", Settings { redaction_rules: rules(&["ipv4", "user-name", "home-directory"], &["jwt"], Some(false)), ..base.clone() }, Change::Rows),
            ("a manual redaction", Settings { redaction_rules: rules(&["ipv4", "user-name", "home-directory"], &["jwt"], Some(true)), ..base.clone() }, Change::Rows),
            ("the custom rule and manual redaction gone", Settings { redaction_rules: rules(&["ipv4", "user-name", "home-directory"], &["jwt"], None), ..base.clone() }, Change::Rows),
            // Then each text the audit or the roll-ups read, masked alone (`masked_steps`): their
            // answers change, so the audit and roll-ups before must not be taken
            // (`Reuse::earlier`); and prompts, which they do not read.
            // (Each from the defaults, the analysis kept from the step before.)
            ("back to the defaults", Settings { redaction_rules: rule_file(false), ..base.clone() }, Change::Rows),
        ];
        let fields = ["files.name", "sessions.workspace", "tool_audit.user", "tool_audit.result_snippet", "api_calls.error", "queries.text"];
        let masked_steps = fields.iter().flat_map(|field| [
            (format!("{field} masked"), Settings { redaction_rules: masked_field(field), ..base.clone() }, Change::Rows),
            (format!("{field} unmasked"), Settings { redaction_rules: rule_file(false), ..base.clone() }, Change::Rows),
        ]);
        let steps = steps.into_iter().map(|(step, s, c)| (step.to_string(), s, c)).chain(masked_steps).collect::<Vec<_>>();
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

/// A redaction that masks only text the audit and roll-ups do not read keeps them (shared with
/// the analysis before, not worked out again); one that masks a workspace works them out again.
#[test]
fn a_rule_for_prompts_keeps_the_audit_and_rollups() {
    let base = Settings::default();
    for (load, files) in corpora() {
        let mut e = Engine::new(ingest(&files), base.clone());
        let before = e.snapshot();
        e.answer(Request::Configure { settings: Settings { redact_prompts: true, ..base.clone() } });
        let prompts = e.snapshot();
        assert!(!std::sync::Arc::ptr_eq(&before, &prompts), "{load}: a new analysis");
        assert!(std::sync::Arc::ptr_eq(&before.audit, &prompts.audit), "{load}: the audit is kept");
        assert!(std::sync::Arc::ptr_eq(&before.summary, &prompts.summary), "{load}: the roll-ups are kept");
        e.answer(Request::Configure { settings: Settings { redact_prompts: true, redact_paths: true, ..base.clone() } });
        let paths = e.snapshot();
        assert!(!std::sync::Arc::ptr_eq(&prompts.summary, &paths.summary), "{load}: home directories in workspaces: rolled up again");
    }
}
