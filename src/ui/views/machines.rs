//! The team view on the overview: per-machine totals under the current filters (the lines sum
//! to the cards above), each machine's name a link to the views filtered to it. Shown when the
//! load holds more than one machine (another machine's export was dropped).

use crate::ui::fmt;
use crate::ui::router;
use crate::ui::state::use_state;
use leptos::prelude::*;

#[component]
pub fn MachineTotals() -> impl IntoView {
    let state = use_state();
    let table = move || {
        let settings = state.settings.get();
        state.overview.with(|o| {
            let o = o.as_ref().filter(|o| o.machines.len() > 1)?;
            let rows = o
                .by_machine
                .iter()
                .map(|l| {
                    let only = crate::query::Settings { machine: l.machine.clone(), ..settings.clone() };
                    let cost = match l.unpriced_rows {
                        0 => fmt::usd(l.cost_usd),
                        n => format!("{} (+{n} unpriced)", fmt::usd(l.cost_usd)),
                    };
                    // Machine names come from other machines' files: text nodes only, never HTML.
                    view! {
                        <tr data-machine=l.machine.clone()>
                            <th scope="row"><a href=router::href("overview", &only)>{l.machine.clone()}</a></th>
                            <td class="num" data-col="sessions">{fmt::int(l.sessions as i64)}</td>
                            <td class="num" data-col="queries">{fmt::int(l.queries as i64)}</td>
                            <td class="num" data-col="tool_calls">{fmt::int(l.tool_calls as i64)}</td>
                            <td class="num" data-col="usage_rows">{fmt::int(l.usage_rows as i64)}</td>
                            <td class="num" data-col="total_tokens">{fmt::int(l.total_tokens)}</td>
                            <td class="num" data-col="cost_usd">{cost}</td>
                        </tr>
                    }
                })
                .collect_view();
            Some(view! {
                <section class="machines" aria-labelledby="machines-title">
                    <h2 id="machines-title">"By machine"</h2>
                    <div class="table-scroll small" tabindex="0" role="region" aria-labelledby="machines-title">
                        <table data-machines="">
                            <thead><tr><th scope="col">"machine"</th><th scope="col" class="num">"sessions"</th><th scope="col" class="num">"queries"</th><th scope="col" class="num">"tool calls"</th><th scope="col" class="num">"requests"</th><th scope="col" class="num">"total tokens"</th><th scope="col" class="num">"cost"</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                </section>
            })
        })
    };
    view! { {table} }
}
