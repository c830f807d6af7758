//! The redaction panel of the filter bar: rule switches with their counts, custom rules, manual
//! redactions (Undo), and the rule file.

use super::{change, current};
use crate::query::{Request, Response};
use crate::redact::{Kind, Report};
use crate::ui::client::ask;
use crate::ui::state::use_state;
use leptos::prelude::*;

/// Name of the rule file the page saves (and the CLI's `--redaction-rules` reads).
const RULE_FILE: &str = "agent-ledger-redaction-rules.json";

#[component]
pub fn RedactionPanel() -> impl IntoView {
    let state = use_state();
    let redaction = Memo::new(move |_| current(&state.settings.get()));
    // What each rule and manual redaction masked in the current load.
    let report: RwSignal<Report> = RwSignal::new(Report::default());
    Effect::new(move |_| {
        state.version.track();
        leptos::task::spawn_local(async move {
            if let Response::Redaction(r) = ask(Request::Redaction).await {
                report.set(*r);
            }
        });
    });
    let summary = move || format!("Redaction: {}", redaction.with(|r| r.describe()));
    let count_of = move |id: &str| report.with(|r| r.rules.iter().find(|h| h.id == id).map(|h| h.count));
    let error = RwSignal::new(String::new());
    let report_error = move |result: Result<(), String>| error.set(result.err().unwrap_or_default());

    let (title, pattern, replacement) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new("[REDACTED]".to_string()));
    let add_rule = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (t, p, r) = (title.get_untracked(), pattern.get_untracked(), replacement.get_untracked());
        let title_or_pattern = if t.trim().is_empty() { p.clone() } else { t };
        let done = change(state, |red| red.add_custom(&title_or_pattern, &p, &r).map(|_| ()));
        if done.is_ok() {
            title.set(String::new());
            pattern.set(String::new());
        }
        report_error(done);
    };
    let load_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()).unwrap_or_default();
            report_error(crate::redact::Redaction::from_json(&text).map(|r| {
                let json = r.to_json();
                state.configure(move |s| s.redaction_rules = json);
            }));
        });
    };
    let save_file = move |_| crate::ui::download::save_text(RULE_FILE, "application/json", &redaction.get_untracked().to_json());

    view! {
        <details class="redaction">
            <summary>{summary}</summary>
            <p class="hint">"Masks what matches in every view, search and download; redaction.json says what was masked and why, never the masked text. Usage totals and costs stay the same."</p>
            <fieldset class="rules">
                <legend>"Rules"</legend>
                {move || redaction.get().rules.into_iter().map(|rule| {
                    let id = rule.id.clone();
                    let remove_id = rule.id.clone();
                    let count_id = rule.id.clone();
                    let kind = match rule.kind { Kind::Secret => "secret", Kind::Personal => "personal", Kind::Custom => "custom" };
                    let custom = rule.kind == Kind::Custom;
                    let count = move || count_of(&count_id).filter(|n| *n > 0).map(|n| format!("{n} masked"));
                    view! {
                        <div class="rule">
                            <label>
                                <input type="checkbox" data-rule=rule.id.clone() prop:checked=rule.enabled
                                    on:change=move |ev| { let on = event_target_checked(&ev); report_error(change(state, |r| { r.set_enabled(&id, on); Ok(()) })) }/>
                                {rule.title.clone()}" "<span class="kind">{kind}</span>
                            </label>
                            <span class="count">{count}</span>
                            {custom.then(|| view! {
                                <button class="remove-rule" aria-label=format!("Remove the rule {}", rule.title)
                                    on:click=move |_| report_error(change(state, |r| { r.remove_rule(&remove_id); Ok(()) }))>"Remove"</button>
                            })}
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <form class="add-rule" on:submit=add_rule>
                <fieldset>
                    <legend>"Add a rule (a regular expression; a group named secret masks only itself)"</legend>
                    <label>"Title "<input id="rule-title" type="text" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/></label>
                    <label>"Pattern "<input id="rule-pattern" type="text" required spellcheck="false" prop:value=move || pattern.get() on:input=move |ev| pattern.set(event_target_value(&ev))/></label>
                    <label>"Replacement "<input id="rule-replacement" type="text" prop:value=move || replacement.get() on:input=move |ev| replacement.set(event_target_value(&ev))/></label>
                    <button id="add-rule" type="submit">"Add rule"</button>
                </fieldset>
            </form>
            <ManualList report=report/>
            <div class="rule-file">
                <button id="save-rules" on:click=save_file>"Save rules to a file"</button>
                <label class="picker">"Load rules from a file "<input id="load-rules" type="file" accept=".json,application/json" on:change=load_file/></label>
            </div>
            <p class="error" role="alert" hidden=move || error.with(String::is_empty)>{move || error.get()}</p>
        </details>
    }
}

/// The manual redactions in force, newest last: what, why, who and when, with Undo.
#[component]
fn ManualList(report: RwSignal<Report>) -> impl IntoView {
    let state = use_state();
    let manual = Memo::new(move |_| current(&state.settings.get()).manual);
    view! {
        <section class="manual" aria-label="Manual redactions">
            <h4>"Manual redactions"</h4>
            <p class="hint" hidden=move || !manual.with(Vec::is_empty)>"None yet. Select text in any view, then choose “Redact selected text”."</p>
            <ul>
                {move || manual.get().into_iter().map(|m| {
                    let id = m.id.clone();
                    let count_id = m.id.clone();
                    let count = move || report.with(|r| r.manual.iter().find(|h| h.id == count_id).map_or(0, |h| h.count));
                    // The scope says where, never the masked text itself.
                    let what = m.describe_scope(&|file| file.to_string());
                    let when = crate::timefmt::format_iso(m.at_ms);
                    let reason = if m.reason.is_empty() { "no reason given".to_string() } else { m.reason.clone() };
                    let actor = if m.actor.is_empty() { "someone".to_string() } else { m.actor.clone() };
                    view! {
                        <li data-manual=m.id.clone()>
                            <span class="what">{what}</span>" → "<code>{m.replacement.clone()}</code>
                            <span class="why">" — "{reason}" (by "{actor}", "{when}"): "</span>
                            <span class="count">{count}" masked"</span>
                            <button class="undo-manual" on:click=move |_| { let id = id.clone(); let _ = super::change(state, move |r| { r.remove_manual(&id); Ok(()) }); }>"Undo"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
