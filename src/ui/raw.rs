//! The raw line behind any row or event, read back from the user's file by the worker when asked
//! for, shown pretty-printed as text (never HTML) with a copy button.

use super::client::send_for;
use crate::query::raw::RawLine;
use crate::worker::command::Command;
use leptos::prelude::*;

/// The (file, line) whose raw line is open, if any.
#[derive(Clone, Copy)]
pub struct RawTarget(pub RwSignal<Option<(String, u32)>>);

pub fn use_raw() -> RwSignal<Option<(String, u32)>> {
    expect_context::<RawTarget>().0
}

#[component]
pub fn RawPanel() -> impl IntoView {
    let target = use_raw();
    let line: RwSignal<Option<Result<RawLine, String>>> = RwSignal::new(None);
    Effect::new(move |_| {
        let Some((file, n)) = target.get() else { return };
        line.set(None);
        leptos::task::spawn_local(async move {
            line.set(Some(send_for::<RawLine>(&Command::RawLine { file, line: n }, None).await));
        });
    });
    let copy = move |_| {
        if let Some(Ok(l)) = line.get_untracked()
            && let Some(w) = web_sys::window()
        {
            let _ = w.navigator().clipboard().write_text(&l.text);
        }
    };
    let title = move || target.get().map(|(f, n)| format!("{f}, line {n}")).unwrap_or_default();
    let body = move || match line.get() {
        None => "Reading…".to_string(),
        Some(Ok(l)) => format!("{}{}", super::fmt::shown(&l.pretty), if l.truncated { "\n… (the line goes on; only its first 1 MiB is shown)" } else { "" }),
        Some(Err(e)) => e,
    };
    let offset = move || match line.get() {
        Some(Ok(l)) => format!("Byte offset {} in the file.", l.offset),
        _ => String::new(),
    };
    view! {
        <Show when=move || target.with(Option::is_some)>
            <div class="raw-panel" role="dialog" aria-modal="false" aria-labelledby="raw-title" id="raw-line">
                <div class="raw-head">
                    <h2 id="raw-title">"Raw line: "{title}</h2>
                    <button on:click=copy>"Copy"</button>
                    <button on:click=move |_| target.set(None)>"Close"</button>
                </div>
                <p class="hint">{offset}</p>
                <pre class="raw-text" tabindex="0">{body}</pre>
            </div>
        </Show>
    }
}
