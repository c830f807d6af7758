//! The one table of the page: any dataset, asked of the engine a window at a time. Only the rows
//! in view (plus a margin) are in the DOM, so a million rows scroll; the header stays put, any
//! column sorts, a text box narrows, and the rows it shows download as CSV. A row's session id
//! opens its session and its file:line opens the raw line.

use super::client::ask;
use super::fmt;
use super::raw::use_raw;
use super::router::{Route, event_href, hash_without, session_href};
use super::state::use_state;
use crate::query::{Page, PageQuery, Request, Response, Sort};
use leptos::prelude::*;

/// Height of one row in px (fixed, so the scroll position says which rows are in view).
const ROW_PX: f64 = 30.0;
/// Rows asked for at once: the view's rows plus a margin either side.
const WINDOW: usize = 80;

#[component]
pub fn DataTable(
    /// The dataset's file name, e.g. `usage_tokens.csv`.
    dataset: &'static str,
    /// The table's element id (tests and links use it).
    id: &'static str,
    /// What the table is, for the label of its region.
    label: &'static str,
    /// Keep only rows whose column equals a value.
    #[prop(into, optional)]
    equals: Signal<Vec<(String, String)>>,
    /// The columns shown, by name (all when empty).
    #[prop(optional)]
    columns: &'static [&'static str],
) -> impl IntoView {
    let state = use_state();
    // Exact values from the hash (`usage_tokens.model=gpt-5`): a chart bar or a total opened the
    // rows behind it, and the link can be kept and shared.
    let route = expect_context::<ReadSignal<Route>>();
    let prefix = format!("{}.", dataset.trim_end_matches(".csv"));
    let drilled = {
        let prefix = prefix.clone();
        Memo::new(move |_| {
            route.with(|r| r.query.iter().filter_map(|(k, v)| Some((k.strip_prefix(&prefix)?.to_string(), v.clone()))).collect::<Vec<_>>())
        })
    };
    let equals = Signal::derive(move || {
        let mut all = equals.get();
        all.extend(drilled.get());
        all
    });
    let sort: RwSignal<Option<Sort>> = RwSignal::new(None);
    let text = RwSignal::new(String::new());
    let first_row = RwSignal::new(0usize);
    let page: RwSignal<Option<Page>> = RwSignal::new(None);
    let error = RwSignal::new(String::new());
    let query = move |offset: usize, limit: usize| PageQuery {
        dataset: dataset.to_string(),
        sort: sort.get(),
        text: text.get(),
        equals: equals.get(),
        offset,
        limit,
    };
    // Back to the top when the question changes.
    Effect::new(move |_| {
        state.version.track();
        sort.track();
        text.track();
        equals.track();
        first_row.set(0);
    });
    Effect::new(move |_| {
        state.version.track();
        let offset = first_row.get().saturating_sub(WINDOW / 4);
        let q = query(offset, WINDOW);
        leptos::task::spawn_local(async move {
            match ask(Request::Page(q)).await {
                Response::Page(p) => {
                    error.set(String::new());
                    page.set(Some(p));
                }
                Response::Error { message } => error.set(message),
                _ => {}
            }
        });
    });
    let on_scroll = move |ev: leptos::ev::Event| {
        let el: web_sys::Element = event_target(&ev);
        let row = (el.scroll_top() as f64 / ROW_PX) as usize;
        // Ask again only when the view nears the edge of the rows held.
        let held = page.with_untracked(|p| p.as_ref().map(|p| (p.offset, p.offset + p.rows.len())));
        let near_edge = held.is_none_or(|(a, b)| row < a + 5 || row + 25 > b);
        if near_edge {
            first_row.set(row);
        }
    };
    let shown = move |name: &str| columns.is_empty() || columns.contains(&name);
    let header = move || {
        page.with(|p| {
            p.as_ref().map(|p| {
                p.columns
                    .iter()
                    .filter(|c| shown(c))
                    .map(|c| {
                        let name = c.clone();
                        let n2 = name.clone();
                        let aria = move || match sort.get() {
                            Some(s) if s.column == n2 => if s.descending { "descending" } else { "ascending" },
                            _ => "none",
                        };
                        let click = {
                            let name = name.clone();
                            move |_| {
                                let next = match sort.get_untracked() {
                                    Some(s) if s.column == name && !s.descending => Some(Sort { column: name.clone(), descending: true }),
                                    Some(s) if s.column == name => None,
                                    _ => Some(Sort { column: name.clone(), descending: false }),
                                };
                                sort.set(next);
                            }
                        };
                        view! { <th aria-sort=aria><button class="sort" on:click=click>{name.replace('_', " ")}</button></th> }
                    })
                    .collect_view()
            })
        })
    };
    let raw = use_raw();
    let body = move || {
        page.with(|p| {
            let Some(p) = p.as_ref() else { return ().into_any() };
            let visible: Vec<usize> = (0..p.columns.len()).filter(|&c| shown(&p.columns[c])).collect();
            let col = |name: &str| p.columns.iter().position(|c| c == name);
            let (session_col, file_col, line_col) = (col("session_id"), col("file"), col("line"));
            let top = p.offset as f64 * ROW_PX;
            let bottom = p.matched.saturating_sub(p.offset + p.rows.len()) as f64 * ROW_PX;
            let rows = p
                .rows
                .iter()
                .map(|r| {
                    let cells = visible
                        .iter()
                        .map(|&c| {
                            let v = r.cells.get(c).cloned().unwrap_or_default();
                            let num = p.numeric.get(c).copied().unwrap_or(false);
                            // The column, for a manual redaction of a selection in this cell.
                            let col_name = p.columns[c].clone();
                            if Some(c) == session_col && !v.is_empty() {
                                // To the row's own event in its session when the row says where it comes from.
                                let at = file_col.zip(line_col).and_then(|(f, l)| Some((r.cells.get(f)?, r.cells.get(l)?.parse::<u32>().ok()?)));
                                let href = match at {
                                    Some((file, line)) if !file.is_empty() => event_href(&v, file, line),
                                    _ => session_href(&v),
                                };
                                view! { <td data-col=col_name><a href=href>{v}</a></td> }.into_any()
                            } else if Some(c) == line_col && file_col.is_some() {
                                let file = file_col.and_then(|f| r.cells.get(f)).cloned().unwrap_or_default();
                                let line: u32 = v.parse().unwrap_or(0);
                                view! { <td class="num" data-col=col_name><button class="link" title="Show the raw line" on:click=move |_| raw.set(Some((file.clone(), line)))>{v}</button></td> }.into_any()
                            } else {
                                // Statuses are coloured and also written as a word.
                                let status = (p.columns[c] == "status").then(|| format!("status status-{}", v.to_ascii_lowercase()));
                                let v = super::fmt::shown(&v).into_owned();
                                let title = v.clone();
                                view! { <td class:num=num class=status title=title data-col=col_name>{v}</td> }.into_any()
                            }
                        })
                        .collect_view();
                    view! { <tr data-row=r.index>{cells}</tr> }
                })
                .collect_view();
            view! {
                <tr class="spacer" aria-hidden="true" style:height=format!("{top}px")></tr>
                {rows}
                <tr class="spacer" aria-hidden="true" style:height=format!("{bottom}px")></tr>
            }
            .into_any()
        })
    };
    let count = move || {
        page.with(|p| {
            p.as_ref().map(|p| {
                if p.matched == 0 {
                    return if p.total == 0 { "No rows.".to_string() } else { format!("No rows match (of {} in all).", fmt::int(p.total as i64)) };
                }
                let shown_to = p.offset + p.rows.len();
                let narrowed = if p.matched != p.total { format!(" (of {} in all)", fmt::int(p.total as i64)) } else { String::new() };
                let more = match () {
                    _ if p.offset == 0 && shown_to >= p.matched => " (all shown)",
                    _ if shown_to >= p.matched => "",
                    _ => "; scroll for more",
                };
                format!("Rows {}–{} of {}{narrowed}{more}.", fmt::int((p.offset + 1).min(shown_to) as i64), fmt::int(shown_to as i64), fmt::int(p.matched as i64))
            })
        })
    };
    let download = move |_| {
        let q = query(0, usize::MAX);
        leptos::task::spawn_local(super::download::save_page(q));
    };
    // Before anything is loaded (and during a first load) the engine answers every page with
    // "nothing is loaded yet": a quiet line instead of an error and tools that have nothing to do.
    let nothing_loaded = move || state.nothing_loaded();
    view! {
        <div class="data-table" id=id data-dataset=dataset>
            <p class="muted" hidden=move || !nothing_loaded()>"No rows yet."</p>
            <div class="table-tools" hidden=nothing_loaded>
                <label>"Find in this table "
                    <input type="search" class="table-filter" prop:value=move || text.get()
                        on:change=move |ev| text.set(event_target_value(&ev))/>
                </label>
                <button class="table-csv" on:click=download>"Download these rows (CSV)"</button>
                <span class="table-count" aria-live="polite">{count}</span>
            </div>
            {move || {
                let d = drilled.get();
                (!d.is_empty()).then(|| {
                    let what = d.iter().map(|(c, v)| format!("{} is {v}", c.replace("@day", " (day)").replace('_', " "))).collect::<Vec<_>>().join(" and ");
                    let prefix = prefix.clone();
                    let all = route.with(|r| hash_without(r, |k| k.starts_with(&prefix)));
                    view! { <p class="drill">"Only the rows where "{what}". "<a href=all>"Show all rows"</a></p> }
                })
            }}
            <p class="error" hidden=move || nothing_loaded() || error.with(String::is_empty)>{move || error.get()}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-label=label on:scroll=on_scroll hidden=nothing_loaded>
                <table>
                    <thead><tr>{header}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        </div>
    }
}
