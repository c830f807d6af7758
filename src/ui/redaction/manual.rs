//! Manual redaction of selected text: select text anywhere in a view (or in a raw line) and a
//! button offers to redact it. A dialog asks the scope (this occurrence or this field, when the
//! text sits in a cell of a table whose rows are rows of the logs; everywhere, always), the
//! replacement, the reason and who is redacting; the time is taken from the clock. The engine
//! locates the cell's row (`Request::Locate`) so the redaction names it the stable way.

use super::change;
use crate::query::{Request, Response};
use crate::redact::{Manual, Scope};
use crate::ui::client::ask;
use crate::ui::state::use_state;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

const ACTOR_KEY: &str = "agent-ledger.redaction-actor";

/// What a person selected, and the table cell it lies in, if one.
#[derive(Debug, Clone, PartialEq, Default)]
struct Picked {
    text: String,
    /// (dataset, row index, column) of the cell holding the whole selection.
    cell: Option<(String, usize, String)>,
}

/// The element holding a DOM node (itself when it is one).
fn element_of(node: Option<web_sys::Node>) -> Option<web_sys::Element> {
    let node = node?;
    match node.dyn_ref::<web_sys::Element>() {
        Some(e) => Some(e.clone()),
        None => node.parent_element(),
    }
}

/// The current selection inside the views or the raw-line panel, if any.
fn picked() -> Option<Picked> {
    let selection = web_sys::window()?.get_selection().ok()??;
    if selection.is_collapsed() {
        return None;
    }
    let text: String = selection.to_string().into();
    let text = text.trim_matches(|c: char| c == '\n' || c == '\r').to_string();
    if text.trim().is_empty() {
        return None;
    }
    let anchor = element_of(selection.anchor_node())?;
    let focus = element_of(selection.focus_node())?;
    // Only log text: the views and the raw line, never the page's own controls.
    anchor.closest("#main, #raw-line").ok()??;
    let cell = anchor.closest("td[data-col]").ok().flatten().filter(|td| focus.closest("td[data-col]").ok().flatten().as_ref() == Some(td));
    let cell = cell.and_then(|td| {
        let row = td.closest("tr[data-row]").ok()??.get_attribute("data-row")?.parse().ok()?;
        let dataset = td.closest("[data-dataset]").ok()??.get_attribute("data-dataset")?;
        Some((dataset, row, td.get_attribute("data-col")?))
    });
    Some(Picked { text, cell })
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The floating "Redact selected text" button and its dialog.
#[component]
pub fn RedactSelection() -> impl IntoView {
    let state = use_state();
    let selection: RwSignal<Option<Picked>> = RwSignal::new(None);
    let chosen: RwSignal<Option<Picked>> = RwSignal::new(None);
    // `selectionchange` fires at the document (it does not reach the window). Installed once
    // for the page's life, so the closure is never dropped.
    let on_change = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || selection.set(picked()));
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        let _ = doc.add_event_listener_with_callback("selectionchange", on_change.as_ref().unchecked_ref());
    }
    on_change.forget();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let scope = RwSignal::new("everywhere".to_string());
    let replacement = RwSignal::new("[REDACTED]".to_string());
    let reason = RwSignal::new(String::new());
    let actor = RwSignal::new(storage().and_then(|s| s.get_item(ACTOR_KEY).ok().flatten()).unwrap_or_default());
    let error = RwSignal::new(String::new());

    let open = move |_| {
        let Some(p) = selection.get_untracked() else { return };
        scope.set(if p.cell.is_some() { "occurrence" } else { "everywhere" }.into());
        error.set(String::new());
        chosen.set(Some(p));
        if let Some(d) = dialog.get_untracked() {
            let _ = d.show_modal();
        }
    };
    let close = move || {
        if let Some(d) = dialog.get_untracked() {
            d.close();
        }
    };
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(p) = chosen.get_untracked() else { return };
        let who = actor.get_untracked();
        if let Some(s) = storage() {
            let _ = s.set_item(ACTOR_KEY, &who);
        }
        let how = scope.get_untracked();
        leptos::task::spawn_local(async move {
            let scope = match (how.as_str(), &p.cell) {
                ("everywhere", _) | (_, None) => Ok(Scope::Everywhere { text: p.text.clone() }),
                (how, Some((dataset, row, column))) => {
                    let text = if how == "field" { String::new() } else { p.text.clone() };
                    match ask(Request::Locate { dataset: dataset.clone(), row: *row, column: column.clone(), text }).await {
                        Response::Located(l) if how == "field" => Ok(Scope::Field { table: l.table, row: l.row, field: l.field }),
                        Response::Located(l) => Ok(Scope::Occurrence { table: l.table, row: l.row, field: l.field, start: l.start, end: l.end }),
                        Response::Error { message } => Err(message),
                        _ => Err("the engine did not answer".to_string()),
                    }
                }
            };
            let manual = scope.map(|scope| Manual {
                id: String::new(),
                scope,
                replacement: replacement.get_untracked(),
                reason: reason.get_untracked(),
                actor: who,
                at_ms: js_sys::Date::now() as i64,
            });
            match manual.and_then(|m| change(state, |r| r.add_manual(m).map(|_| ()))) {
                Ok(()) => {
                    reason.set(String::new());
                    close();
                }
                Err(e) => error.set(e),
            }
        });
    };
    let in_cell = move || chosen.with(|c| c.as_ref().is_some_and(|c| c.cell.is_some()));
    let radio = move |value: &'static str, label: &'static str, needs_cell: bool| {
        view! {
            <label class="check">
                <input type="radio" name="redact-scope" value=value prop:checked=move || scope.get() == value
                    disabled=move || needs_cell && !in_cell() on:change=move |_| scope.set(value.into())/>
                {label}
            </label>
        }
    };
    view! {
        <button id="redact-selection" type="button" hidden=move || selection.with(Option::is_none)
            on:mousedown=|ev| ev.prevent_default() on:click=open>"Redact selected text"</button>
        <dialog id="redact-dialog" node_ref=dialog aria-labelledby="redact-title">
            <form on:submit=apply>
                <h3 id="redact-title">"Redact selected text"</h3>
                <p class="selected">"Text: "<code>{move || chosen.with(|c| c.as_ref().map(|c| c.text.clone()).unwrap_or_default())}</code></p>
                <fieldset>
                    <legend>"Where"</legend>
                    {radio("occurrence", "This occurrence (this place in this cell)", true)}
                    {radio("field", "This field (the whole cell, this row)", true)}
                    {radio("everywhere", "Everywhere it appears", false)}
                </fieldset>
                <label>"Replace with "<input id="redact-replacement" type="text" prop:value=move || replacement.get() on:input=move |ev| replacement.set(event_target_value(&ev))/></label>
                <label>"Reason "<input id="redact-reason" type="text" placeholder="e.g. customer name" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/></label>
                <label>"Your name "<input id="redact-actor" type="text" prop:value=move || actor.get() on:input=move |ev| actor.set(event_target_value(&ev))/></label>
                <p class="error" role="alert" hidden=move || error.with(String::is_empty)>{move || error.get()}</p>
                <div class="buttons">
                    <button id="apply-redaction" type="submit">"Redact"</button>
                    <button type="button" on:click=move |_| close()>"Cancel"</button>
                </div>
            </form>
        </dialog>
    }
}
