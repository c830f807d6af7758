//! `#/sql`: the SQL console. Queries run in the SQL worker (GlueSQL, `crate::sql`), which the
//! page starts on the first visit here; its tables are the datasets of the downloads, asked of
//! the engine's worker as typed columns and loaded again whenever the data, the filters or the
//! redaction change (`AppState::version`). The result is drawn a window at a time, like the
//! page's other tables, and downloads as CSV.

use super::ViewFrame;
use crate::query::Request;
use crate::sql::protocol::{ResultHead, TableInfo};
use crate::sql::{SqlAnswer, SqlCommand};
use crate::ui::client::{self, send};
use crate::ui::fmt;
use crate::ui::state::use_state;
use crate::worker::command::Command;
use leptos::prelude::*;
use std::cell::Cell;

/// Height of one row in px (fixed, so the scroll position says which rows are in view).
const ROW_PX: f64 = 30.0;
/// Rows asked for at once: the view's rows plus a margin either side.
const WINDOW: usize = 80;

/// (label, query): the examples' buttons fill the box with the query.
const EXAMPLES: [(&str, &str); 6] = [
    ("Totals", "SELECT COUNT(*) AS usage_rows, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,\n       SUM(total_tokens) AS total_tokens, SUM(cost_usd) AS cost_usd\nFROM usage_tokens"),
    ("By model", "SELECT model, COUNT(*) AS usage_rows, SUM(total_tokens) AS total_tokens, SUM(cost_usd) AS cost_usd\nFROM usage_tokens\nGROUP BY model\nORDER BY SUM(total_tokens) DESC"),
    ("By day", "SELECT SUBSTR(ts_utc, 1, 10) AS day, SUM(total_tokens) AS total_tokens, SUM(cost_usd) AS cost_usd\nFROM usage_tokens\nGROUP BY SUBSTR(ts_utc, 1, 10)\nORDER BY day"),
    ("Costliest sessions", "SELECT session_id, workspace, queries, total_tokens, cost_usd\nFROM sessions\nWHERE cost_usd IS NOT NULL\nORDER BY cost_usd DESC\nLIMIT 20"),
    ("Tools: errors and time", "SELECT tool, COUNT(*) AS calls, SUM(CASE WHEN status = 'ok' THEN 0 ELSE 1 END) AS not_ok,\n       AVG(duration_ms) AS avg_ms, MAX(duration_ms) AS max_ms\nFROM tool_calls\nGROUP BY tool\nORDER BY calls DESC"),
    ("Prompts per session", "SELECT s.session_id, s.workspace, COUNT(q.ts_utc) AS prompts\nFROM sessions s LEFT JOIN query_messages q ON q.session_id = s.session_id\nGROUP BY s.session_id, s.workspace\nORDER BY prompts DESC\nLIMIT 20"),
];

thread_local! {
    /// The `AppState::version` whose tables the SQL worker holds (it outlives the view).
    static LOADED: Cell<Option<u64>> = const { Cell::new(None) };
    /// The tables it holds, for the list under the console.
    static TABLES: std::cell::RefCell<Vec<TableInfo>> = const { std::cell::RefCell::new(Vec::new()) };
    /// The box's text and the last query run: a filter changes the hash, which draws the view
    /// anew, and the console must come back as it was (its result run again on the new tables).
    static TEXT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
    static LAST: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
    /// Loads started: an answer to an older one is not shown.
    static LOADS: Cell<u64> = const { Cell::new(0) };
}

/// Load the engine's current tables into the SQL worker unless it holds them already.
async fn ensure_loaded(version: u64, tables: RwSignal<Vec<TableInfo>>) -> Result<(), String> {
    if LOADED.with(Cell::get) == Some(version) {
        return Ok(());
    }
    let answer = send(&Command::Query { request: Request::Tables }, None).await?;
    let Some(bytes) = answer.bytes else {
        return Err(match serde_json::from_str::<crate::query::Response>(&answer.json) {
            Ok(crate::query::Response::Error { message }) => message,
            _ => "the engine sent no tables".into(),
        });
    };
    match client::sql(&SqlCommand::Load, Some(bytes)).await.0 {
        SqlAnswer::Loaded { tables: t } => {
            TABLES.with(|held| held.borrow_mut().clone_from(&t));
            tables.set(t);
            LOADED.with(|l| l.set(Some(version)));
            Ok(())
        }
        SqlAnswer::Error { message } => Err(message),
        _ => Err("unexpected answer".into()),
    }
}

#[component]
pub fn Sql() -> impl IntoView {
    let state = use_state();
    let text = RwSignal::new(TEXT.with(|t| t.borrow().clone()).unwrap_or_else(|| EXAMPLES[0].1.to_string()));
    Effect::new(move |_| TEXT.with(|t| *t.borrow_mut() = Some(text.get())));
    let tables: RwSignal<Vec<TableInfo>> = RwSignal::new(TABLES.with(|t| t.borrow().clone()));
    let busy = RwSignal::new(String::new());
    let error = RwSignal::new(String::new());
    let head: RwSignal<Option<ResultHead>> = RwSignal::new(None);
    // The rows held: (offset of the first, rows).
    let rows: RwSignal<(usize, Vec<Vec<Option<String>>>)> = RwSignal::new((0, Vec::new()));
    let scroll_el = NodeRef::<leptos::html::Div>::new();

    let run_sql = move |sql: String| {
        busy.set("Running…".into());
        LAST.with(|l| *l.borrow_mut() = Some(sql.clone()));
        leptos::task::spawn_local(async move {
            let version = state.version.get_untracked();
            let outcome = match ensure_loaded(version, tables).await {
                Ok(()) => client::sql(&SqlCommand::Run { sql }, None).await.0,
                Err(message) => SqlAnswer::Error { message },
            };
            match outcome {
                SqlAnswer::Result(mut h) => {
                    error.set(String::new());
                    rows.set((0, std::mem::take(&mut h.rows)));
                    if let Some(el) = scroll_el.get_untracked() {
                        el.set_scroll_top(0);
                    }
                    head.set(Some(h));
                }
                SqlAnswer::Error { message } => {
                    if message.starts_with("The SQL engine stopped") {
                        LOADED.with(|l| l.set(None));
                    }
                    error.set(message);
                }
                _ => error.set("unexpected answer".into()),
            }
            busy.set(String::new());
        });
    };

    // New data, filters or redaction: load the tables again, and run the query shown again so
    // its result matches what the other views show.
    Effect::new(move |_| {
        let version = state.version.get();
        // Untracked: a refresh sets the overview just before it moves the version.
        if state.overview.with_untracked(Option::is_none) {
            return;
        }
        let load = LOADS.with(|l| {
            l.set(l.get() + 1);
            l.get()
        });
        busy.set("Loading the tables…".into());
        leptos::task::spawn_local(async move {
            let res = ensure_loaded(version, tables).await;
            if LOADS.with(Cell::get) != load {
                return;
            }
            busy.set(String::new());
            match res {
                Err(message) => error.set(message),
                Ok(()) => {
                    if let Some(last) = LAST.with(|l| l.borrow().clone()) {
                        run_sql(last);
                    }
                }
            }
        });
    });

    let on_scroll = move |ev: leptos::ev::Event| {
        let el: web_sys::Element = event_target(&ev);
        let row = (el.scroll_top() as f64 / ROW_PX) as usize;
        let (offset, held) = rows.with_untracked(|(o, r)| (*o, r.len()));
        if row >= offset + 5 && row + 25 <= offset + held {
            return;
        }
        let total = head.with_untracked(|h| h.as_ref().map_or(0, |h| h.total));
        let start = row.saturating_sub(WINDOW / 4).min(total);
        if start == offset && offset + held >= total.min(start + WINDOW) {
            return;
        }
        leptos::task::spawn_local(async move {
            if let SqlAnswer::Rows { offset, rows: r } = client::sql(&SqlCommand::Rows { offset: start, limit: WINDOW }, None).await.0 {
                rows.set((offset, r));
            }
        });
    };

    let download = move |_| {
        leptos::task::spawn_local(async move {
            match client::sql(&SqlCommand::Csv, None).await {
                (SqlAnswer::Csv { name, .. }, Some(bytes)) => crate::ui::download::save_buffer(&name, crate::export::MIME_CSV, &bytes),
                (SqlAnswer::Error { message }, _) => error.set(message),
                _ => error.set("the CSV came without its bytes".into()),
            }
        });
    };

    let header = move || {
        head.with(|h| h.as_ref().map(|h| h.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()))
    };
    let body = move || {
        let (numeric, total) = head.with(|h| h.as_ref().map(|h| (h.numeric.clone(), h.total)).unwrap_or_default());
        rows.with(|(offset, r)| {
            let top = *offset as f64 * ROW_PX;
            let bottom = total.saturating_sub(offset + r.len()) as f64 * ROW_PX;
            let shown = r
                .iter()
                .enumerate()
                .map(|(i, row)| {
                    let cells = row
                        .iter()
                        .enumerate()
                        .map(|(c, v)| {
                            let num = numeric.get(c).copied().unwrap_or(false);
                            match v {
                                Some(v) => view! { <td class:num=num title=v.clone()>{v.clone()}</td> }.into_any(),
                                None => view! { <td class="null" class:num=num>"NULL"</td> }.into_any(),
                            }
                        })
                        .collect_view();
                    view! { <tr data-row={*offset + i}>{cells}</tr> }
                })
                .collect_view();
            view! {
                <tr class="spacer" aria-hidden="true" style:height=format!("{top}px")></tr>
                {shown}
                <tr class="spacer" aria-hidden="true" style:height=format!("{bottom}px")></tr>
            }
        })
    };
    let count = move || {
        head.with(|h| {
            h.as_ref().map(|h| {
                let took = format!(" in {} ms", fmt::int(h.elapsed_ms.round() as i64));
                if !h.note.is_empty() {
                    return format!("{}{took}", h.note);
                }
                let shown_to = rows.with(|(o, r)| o + r.len());
                match h.total {
                    0 => format!("No rows{took}."),
                    n if shown_to >= n && rows.with(|(o, _)| *o == 0) => format!("{} rows{took} (all shown).", fmt::int(n as i64)),
                    n => format!("{} rows{took}; scroll for more.", fmt::int(n as i64)),
                }
            })
        })
    };

    view! {
        <ViewFrame name="sql" title="SQL console">
            <p class="hint">"Ask your own questions of the tables the downloads hold (the filters and redaction apply), in SQL. "
                "The queries run in a worker of their own, in this tab; nothing leaves it. "
                "Names that are SQL words need double quotes: "<code>"\"user\""</code>"."</p>
            <div class="sql-examples" role="group" aria-label="Example queries">
                <span class="muted">"Examples: "</span>
                {EXAMPLES.iter().map(|&(label, sql)| view! {
                    <button class="sql-example" on:click=move |_| text.set(sql.to_string())>{label}</button>
                }).collect_view()}
            </div>
            <label for="sql" class="sql-label">"Query"</label>
            <textarea id="sql" rows="6" spellcheck="false" autocomplete="off" prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    // Ctrl+Enter (⌘+Enter) runs, as in most SQL consoles.
                    if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) && busy.with_untracked(String::is_empty) {
                        ev.prevent_default();
                        run_sql(text.get_untracked());
                    }
                }></textarea>
            <div class="sql-run">
                <button id="run-sql" class="primary" disabled=move || !busy.with(String::is_empty) || state.overview.with(Option::is_none)
                    on:click=move |_| run_sql(text.get_untracked())>"Run"</button>
                <span class="muted">"Ctrl+Enter runs too."</span>
                <span class="muted" role="status">{move || busy.get()}</span>
            </div>
            <p class="error" role="alert" hidden=move || error.with(String::is_empty)>{move || error.get()}</p>
            <Show when=move || head.with(Option::is_some)>
                <div class="data-table sql-result">
                    <div class="table-tools">
                        <button id="sql-csv" class="table-csv" on:click=download>"Download the result (CSV)"</button>
                        <span class="table-count" aria-live="polite">{count}</span>
                    </div>
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Query result" node_ref=scroll_el on:scroll=on_scroll>
                        <table data-sql-result="">
                            <thead><tr>{header}</tr></thead>
                            <tbody>{body}</tbody>
                        </table>
                    </div>
                </div>
            </Show>
            <details class="sql-tables">
                <summary>"Tables and columns"</summary>
                <ul>
                    {move || tables.with(|t| t.iter().map(|t| {
                        let cols = t.columns.iter().map(|(n, ty)| format!("{n} {ty}")).collect::<Vec<_>>().join(", ");
                        let rows = format!("{} rows{}", fmt::int(t.rows as i64), if t.truncated { ", cut by the row cap" } else { "" });
                        view! { <li><code>{t.name.clone()}</code>" ("{rows}"): "<span class="muted">{cols}</span></li> }
                    }).collect_view())}
                </ul>
            </details>
        </ViewFrame>
    }
}
