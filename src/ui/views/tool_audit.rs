//! `#/tool-audit`: the per-user, per-day tool log, days newest first (each `data-day`), with
//! counts by status; a day opens its rows, narrowed by user, engine, model, tool and status.

use super::ViewFrame;
use crate::query::overview::CountLine;
use crate::ui::fmt;
use crate::ui::state::use_state;
use crate::ui::table::DataTable;
use leptos::prelude::*;

/// One filter select over the keys of a rollup.
fn select(id: &'static str, label: &'static str, keys: Vec<CountLine>, value: RwSignal<String>) -> impl IntoView {
    view! {
        <label>{label}" "
            <select id=id on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="">"All"</option>
                {keys.into_iter().map(|k| view! { <option value=k.key.clone()>{k.key.clone()}</option> }).collect_view()}
            </select>
        </label>
    }
}

#[component]
fn Day(line: CountLine, filters: Signal<Vec<(String, String)>>) -> impl IntoView {
    let open = RwSignal::new(false);
    let day = line.key.clone();
    let ok = line.rows.saturating_sub(line.errors + line.denied);
    let equals = Signal::derive({
        let day = day.clone();
        move || {
            let mut e = filters.get();
            e.push(("ts_utc".into(), format!("{day}*")));
            e
        }
    });
    view! {
        <details class="day" data-day=day.clone() on:toggle=move |ev| {
            let el: web_sys::HtmlDetailsElement = event_target(&ev);
            open.set(el.open());
        }>
            <summary>
                <strong>{day.clone()}</strong>" · "{fmt::int(line.rows as i64)}" rows: "
                <span class="status status-ok">{format!("{ok} ok")}</span>", "
                <span class="status status-error">{format!("{} error", line.errors)}</span>", "
                <span class="status status-denied">{format!("{} denied", line.denied)}</span>
            </summary>
            <Show when=move || open.get()>
                <DataTable dataset="tool_audit.csv" id="tool-audit-rows" label="Tool-audit rows of the day" equals=equals
                    columns=&["ts_utc", "user", "engine", "model", "tool", "status", "args_snippet", "result_snippet", "file", "line"]/>
            </Show>
        </details>
    }
}

#[component]
pub fn ToolAudit() -> impl IntoView {
    let state = use_state();
    let (user, engine, model, tool, status) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let filters = Signal::derive(move || {
        [("user", user), ("engine", engine), ("model", model), ("tool", tool), ("status", status)]
            .into_iter()
            .filter_map(|(c, v)| Some((c.to_string(), v.get())).filter(|(_, v)| !v.is_empty()))
            .collect::<Vec<_>>()
    });
    let body = move || {
        state.overview.with(|o| {
            o.as_ref().map(|o| {
                let mut days = o.audit_by_date.clone();
                days.sort_by(|a, b| b.key.cmp(&a.key));
                let empty = days.is_empty();
                view! {
                    <div class="filter-row">
                        {select("audit-user", "User", o.audit_by_user.clone(), user)}
                        {select("audit-engine", "Engine", o.audit_by_engine.clone(), engine)}
                        {select("audit-model", "Model", o.audit_by_model.clone(), model)}
                        {select("audit-tool", "Tool", o.audit_by_tool.clone(), tool)}
                        {select("audit-status", "Status", o.audit_by_status.clone(), status)}
                    </div>
                    <p class="hint" hidden=!empty>"No tool-audit logs in this load."</p>
                    <div class="days">{days.into_iter().map(|d| view! { <Day line=d filters=filters/> }).collect_view()}</div>
                }
            })
        })
    };
    view! { <ViewFrame name="tool-audit" title="Tool audit">{body}</ViewFrame> }
}
