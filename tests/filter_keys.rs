//! The filter on numbered rows (`filter::Keys`) keeps exactly the rows the rules of `src/filter`
//! name, written out here row by row from the module's doc with plain scans of the tables (no keys,
//! no maps), on a generated corpus with sessions made orphans and duplicated, under one filter
//! after another; keys made for other tables are not used.

use agent_ledger::filter::{self, Filter, Keys};
use agent_ledger::ingest::ingest_all;
use agent_ledger::model::{FileId, Format, Millis, Row, Session, Tables};
use agent_ledger::synth::{self, Profile};

/// The session criteria and the model criterion of one session record, as the doc states them.
fn session_chosen(t: &Tables, f: &Filter, s: &Session) -> bool {
    let used_model = f.models.is_empty()
        || t.routing.iter().any(|r| *r.session_id == *s.session_id && f.models.iter().any(|m| **m == *r.model))
        || t.usage.iter().any(|u| *u.session_id == *s.session_id && f.models.iter().any(|m| **m == *u.model));
    (f.sessions.is_empty() || f.sessions.contains(&s.session_id))
        && (f.workspaces.is_empty() || s.workspace.as_ref().is_some_and(|w| f.workspaces.contains(w)))
        && (f.formats.is_empty() || s.format.is_some_and(|x| f.formats.contains(&x)))
        && used_model
}

/// Whether a row of a session table passes: its session chosen (the last chosen record of its id
/// gives the start), its time (else the start) in the window, its model (if any) chosen; a row
/// whose session has no record passes on its own time and model while no session criterion is on.
fn row_passes(t: &Tables, f: &Filter, sid: &str, file: FileId, ts: Option<Millis>, model: Option<&str>) -> bool {
    if !f.machine_passes(t, file) {
        return false;
    }
    let model_chosen = |m: Option<&str>| f.models.is_empty() || m.is_some_and(|m| f.models.iter().any(|x| x == m));
    let records: Vec<&Session> = t.sessions.iter().map(|s| &**s).filter(|s| s.session_id == sid).collect();
    if records.is_empty() {
        return f.sessions.is_empty() && f.workspaces.is_empty() && f.formats.is_empty() && model_chosen(model) && f.time_passes(ts);
    }
    match records.iter().rev().find(|s| session_chosen(t, f, s)) {
        Some(s) => f.time_passes(ts.or(s.start_ms)) && (model.is_none() || model_chosen(model)),
        None => false,
    }
}

/// The addresses of the rows `kept` holds, in order: kept rows are the table's own, shared.
fn kept<T>(rows: &[Row<T>]) -> Vec<*const T> {
    rows.iter().map(Row::as_ptr).collect()
}

fn expected<T>(rows: &[Row<T>], pass: impl Fn(&T) -> bool) -> Vec<*const T> {
    rows.iter().filter(|r| pass(r)).map(Row::as_ptr).collect()
}

fn assert_filtered_as_the_rules_say(t: &Tables, f: &Filter, keys: Option<&Keys>) {
    let costs: Vec<Option<f64>> = (0..t.usage.len()).map(|i| Some(i as f64)).collect();
    let out = filter::apply_with(t, &costs, f, keys);
    let o = &out.tables;
    let what = format!("{f:?}");
    assert_eq!(kept(&o.routing), expected(&t.routing, |r| row_passes(t, f, &r.session_id, r.source.file, r.ts_ms, Some(&r.model))), "routing, {what}");
    assert_eq!(kept(&o.queries), expected(&t.queries, |q| row_passes(t, f, &q.session_id, q.source.file, q.ts_ms, None)), "queries, {what}");
    assert_eq!(kept(&o.replies), expected(&t.replies, |r| row_passes(t, f, &r.session_id, r.source.file, r.ts_ms, None)), "replies, {what}");
    assert_eq!(
        kept(&o.tool_calls),
        expected(&t.tool_calls, |c| row_passes(t, f, &c.session_id, c.source.file, c.ts_ms, c.model.as_deref())),
        "tool calls, {what}"
    );
    let usage = expected(&t.usage, |u| row_passes(t, f, &u.session_id, u.source.file, u.ts_ms, Some(&u.model)));
    assert_eq!(kept(&o.usage), usage, "usage, {what}");
    // The costs follow their rows.
    let want_costs: Vec<Option<f64>> = out.kept_usage.iter().map(|&i| Some(i as f64)).collect();
    assert_eq!(out.usage_costs, want_costs, "{what}");
    assert_eq!(out.kept_usage.iter().map(|&i| Row::as_ptr(&t.usage[i])).collect::<Vec<_>>(), usage);
}

/// A generated corpus, with every fifth session record dropped (its rows become orphans), one
/// record duplicated with a start an hour later (the times of its session's usage rows and queries
/// removed, so the start decides), and every third tool call naming a model no other row names.
fn tables() -> Tables {
    let files = synth::generate_all(&Profile::small(), 7);
    let mut t = ingest_all(files.iter().map(|f| (f.name.as_str(), f.bytes.as_slice()))).tables;
    let mut i = 0;
    t.sessions.retain(|_| {
        i += 1;
        i % 5 != 0
    });
    let mut twin = Session::clone(&t.sessions[1]);
    twin.start_ms = twin.start_ms.map(|s| s + HOUR);
    let sid = twin.session_id.clone();
    t.sessions.push(Row::new(twin));
    t.usage.iter_mut().filter(|u| *u.session_id == *sid).for_each(|u| Row::make_mut(u).ts_ms = None);
    t.queries.iter_mut().filter(|q| q.session_id == sid).for_each(|q| Row::make_mut(q).ts_ms = None);
    t.tool_calls.iter_mut().step_by(3).for_each(|c| Row::make_mut(c).model = Some(TOOL_ONLY.into()));
    t
}

const HOUR: Millis = 3_600_000;
const TOOL_ONLY: &str = "a model only tool calls name";

#[test]
fn numbered_rows_filter_as_the_rules_say() {
    let t = tables();
    assert!(t.usage.len() > 300 && t.sessions.len() > 20, "a corpus worth filtering: {} usage rows, {} sessions", t.usage.len(), t.sessions.len());
    let orphans = t.usage.iter().filter(|u| !t.sessions.iter().any(|s| *s.session_id == *u.session_id)).count();
    assert!(orphans > 0, "some usage rows have no session record");
    let mut models: Vec<String> = t.usage.iter().map(|u| u.model.to_string()).collect();
    models.sort();
    models.dedup();
    let mut times: Vec<Millis> = t.usage.iter().filter_map(|u| u.ts_ms).collect();
    times.sort();
    let (early, late) = (times[times.len() / 4], times[times.len() * 3 / 4]);
    let some_sessions: Vec<String> = t.sessions.iter().step_by(7).map(|s| s.session_id.clone()).collect();
    let workspace = t.sessions.iter().find_map(|s| s.workspace.clone()).expect("a workspace");
    let twin_start = t.sessions.last().and_then(|s| s.start_ms).expect("the twin has a start");
    let twin_rows = |f: &Filter| {
        let out = filter::apply(&t, &[], f);
        out.tables.usage.iter().filter(|u| *u.session_id == *t.sessions[1].session_id).count()
    };
    let after_first_start = Filter { from_ms: Some(twin_start - HOUR / 2), ..Filter::default() };
    assert!(twin_rows(&after_first_start) > 0, "the later record's start keeps its timeless rows");
    let tool_only = Filter { models: vec![TOOL_ONLY.into()], ..Filter::default() };
    let tool_calls = filter::apply(&t, &[], &tool_only).tables.tool_calls;
    assert!(!tool_calls.is_empty(), "orphan tool calls naming the model pass");
    assert!(tool_calls.iter().all(|c| !t.sessions.iter().any(|s| *s.session_id == *c.session_id)), "others do not");
    let filters = [
        Filter { models: vec![models[0].clone()], ..Filter::default() },
        Filter { models: vec![models[models.len() - 1].clone(), models[0].clone()], ..Filter::default() },
        Filter { models: vec!["no such model".into()], ..Filter::default() },
        Filter { from_ms: Some(early), to_ms: Some(late), ..Filter::default() },
        Filter { from_ms: Some(early), models: vec![models[0].clone()], ..Filter::default() },
        Filter { sessions: some_sessions, ..Filter::default() },
        Filter { workspaces: vec![workspace], to_ms: Some(late), ..Filter::default() },
        Filter { formats: vec![Format::ClaudeCode], ..Filter::default() },
        Filter { retention_days: Some(3), now_ms: late, ..Filter::default() },
        Filter { machines: vec!["elsewhere".into()], ..Filter::default() },
        after_first_start,
        tool_only,
    ];
    let keys = Keys::of(&t);
    assert!(keys.fits(&t));
    // Keys of other tables (the same rows, another vector): not these tables' keys.
    let mut other = t.clone();
    other.usage.pop();
    let stale = Keys::of(&other);
    assert!(!stale.fits(&t));
    for f in &filters {
        assert_filtered_as_the_rules_say(&t, f, None);
        assert_filtered_as_the_rules_say(&t, f, Some(&keys));
        assert_filtered_as_the_rules_say(&t, f, Some(&stale));
    }
}
