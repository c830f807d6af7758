//! `#/audit`: every check with its outcome, and the offending rows, each down to its raw line.

use super::ViewFrame;
use crate::ui::fmt;
use crate::ui::state::use_state;
use crate::ui::table::DataTable;
use leptos::prelude::*;

#[component]
pub fn Audit() -> impl IntoView {
    let state = use_state();
    let check = RwSignal::new(String::new());
    let equals = Signal::derive(move || {
        let c = check.get();
        if c.is_empty() { vec![] } else { vec![("check_id".to_string(), c)] }
    });
    let rows = move || {
        state.overview.with(|o| {
            o.as_ref().map(|o| {
                o.checks
                    .iter()
                    .map(|c| {
                        let id = c.id.clone();
                        let open = (c.violations > 0).then(|| {
                            let id = id.clone();
                            view! { <button class="link" on:click=move |_| check.set(id.clone())>"Show rows"</button> }
                        });
                        view! {
                            <tr data-check=c.id.clone()>
                                <td>{c.id.clone()}</td>
                                <td title=c.explanation.clone()>{c.title.clone()}</td>
                                <td class="num">{fmt::int(c.rows_checked as i64)}</td>
                                <td class="num">{fmt::int(c.violations as i64)}</td>
                                <td class=if c.pass { "pass" } else { "fail" }>{if c.pass { "pass" } else { "fail" }}</td>
                                <td>{open}</td>
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <ViewFrame name="audit" title="Audit checks">
            // Nothing to check before a load: no empty table of headers under "Nothing loaded yet".
            <div class="table-scroll" tabindex="0" role="region" aria-label="Audit checks" id="audit-checks" hidden=move || state.nothing_loaded()>
                <table>
                    <thead><tr><th>"Check"</th><th>"What it checks"</th><th>"Rows checked"</th><th>"Violations"</th><th>"Status"</th><th></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <h3>{move || if check.get().is_empty() { "Findings".to_string() } else { format!("Findings of {}", check.get()) }}</h3>
            <button hidden=move || check.with(String::is_empty) on:click=move |_| check.set(String::new())>"Show all findings"</button>
            <DataTable dataset="audit_findings.csv" id="findings" label="Findings" equals=equals/>
        </ViewFrame>
    }
}
