//! Paging for tables longer than [`PAGE_ROWS`]: a table renders one page of rows, with controls
//! to move between pages (rows that scroll into view on their own come with the scale work).

use super::fmt;
use leptos::prelude::*;
use std::ops::Range;

/// Rows a table renders at once.
pub const PAGE_ROWS: usize = 500;

/// The rows of page `page` of `total` (the last page when `page` is past the end).
pub fn rows(total: usize, page: usize) -> Range<usize> {
    let last_page = total.saturating_sub(1) / PAGE_ROWS;
    let start = page.min(last_page) * PAGE_ROWS;
    start..(start + PAGE_ROWS).min(total)
}

/// A page signal for a table, back to the first page whenever new logs are analysed.
pub fn page_signal() -> RwSignal<usize> {
    let state = super::state::use_state();
    let page = RwSignal::new(0usize);
    Effect::new(move |_| {
        state.analysis.track();
        page.set(0);
    });
    page
}

/// "Rows 501–1,000 of 3,100" with previous and next buttons; nothing when one page holds all.
pub fn controls(total: usize, page: RwSignal<usize>) -> impl IntoView {
    (total > PAGE_ROWS).then(|| {
        let shown = rows(total, page.get_untracked());
        let last_page = (total - 1) / PAGE_ROWS;
        let at = shown.start / PAGE_ROWS;
        view! {
            <p class="pager note">
                <button data-page="previous" disabled={at == 0} on:click=move |_| page.set(at.saturating_sub(1))>"Previous"</button>
                <span class="pager-text">{format!(
                    "Rows {}–{} of {}; the downloads hold all of them.",
                    fmt::int(shown.start as i64 + 1),
                    fmt::int(shown.end as i64),
                    fmt::int(total as i64)
                )}</span>
                <button data-page="next" disabled={at >= last_page} on:click=move |_| page.set(at + 1)>"Next"</button>
            </p>
        }
    })
}
