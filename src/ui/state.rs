//! The page's state: what the engine is doing, the settings every answer depends on, and the
//! overview of the current load. Views ask the engine ([`super::client`]) for everything else and
//! re-ask whenever [`AppState::version`] moves (a new load or new settings).

use crate::query::overview::Overview;
use crate::query::{Request, Response, Settings};
use crate::worker::command::Progress;
use leptos::prelude::*;
use std::sync::Arc;

/// What `#status` shows, and its `data-state`.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Empty,
    Loading(Progress),
    Ready,
    /// The engine could not start or answer (a bug or an unsupported browser).
    Error(String),
}

impl Status {
    pub fn state(&self) -> &'static str {
        match self {
            Status::Empty => "empty",
            Status::Loading(_) => "loading",
            Status::Ready => "ready",
            Status::Error(_) => "error",
        }
    }
}

/// The root state, provided as context to every component.
#[derive(Clone, Copy)]
pub struct AppState {
    pub status: RwSignal<Status>,
    pub settings: RwSignal<Settings>,
    pub overview: RwSignal<Option<Arc<Overview>>>,
    /// Moves whenever the engine's answers may have changed.
    pub version: RwSignal<u64>,
    /// "light" or "dark": the toggle's choice, else the system's.
    pub theme: RwSignal<String>,
    /// Keep parsed results on this device (a page setting, saved beside the settings).
    pub remember: RwSignal<bool>,
    /// Of the files of the last load, how many were read and parsed (the rest came from this
    /// device): `#status[data-parsed-files]`.
    pub parsed: RwSignal<Option<(u64, u64)>>,
    /// The parse workers the last load started: `#status[data-parse-workers]`.
    pub workers: RwSignal<Option<u64>>,
    /// Where the engine worker's time went in the last load ([`crate::worker::command::LoadTimings`]):
    /// `#status[data-load-timings]`.
    pub load_timings: RwSignal<Option<String>>,
}

impl AppState {
    pub fn new() -> Self {
        let mut settings = super::storage::load_settings();
        settings.now_ms = js_sys::Date::now() as i64;
        AppState {
            status: RwSignal::new(Status::Empty),
            settings: RwSignal::new(settings),
            overview: RwSignal::new(None),
            version: RwSignal::new(0),
            theme: RwSignal::new(super::storage::load_theme()),
            remember: RwSignal::new(super::storage::load_remember()),
            parsed: RwSignal::new(None),
            workers: RwSignal::new(None),
            load_timings: RwSignal::new(None),
        }
    }

    /// Whether no data is loaded (nothing yet, after Clear, or during a first load): the engine
    /// answers every question with "nothing is loaded yet". Tracked, for views to hide what
    /// has nothing to show.
    pub fn nothing_loaded(self) -> bool {
        self.overview.with(Option::is_none)
    }

    /// After a load or new settings: fetch the overview and let every view ask again.
    pub async fn refresh(self) {
        match super::client::ask(Request::Overview).await {
            Response::Overview(o) => {
                self.overview.set(Some(Arc::new(*o)));
                self.status.set(Status::Ready);
            }
            Response::Error { .. } => {
                self.overview.set(None);
                self.status.set(Status::Empty);
            }
            _ => {}
        }
        self.version.update(|v| *v += 1);
        super::timing::mark("analyzed");
    }

    /// Send changed settings to the engine, keep them, then refresh.
    pub fn configure(self, change: impl FnOnce(&mut Settings)) {
        self.settings.update(change);
        let settings = self.settings.get_untracked();
        super::storage::save_settings(&settings);
        leptos::task::spawn_local(async move {
            super::client::ask(Request::Configure { settings }).await;
            super::timing::mark("configured");
            self.refresh().await;
        });
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_state() -> AppState {
    expect_context::<AppState>()
}
