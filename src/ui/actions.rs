//! What a person does with whole loads: pick or drop files (they go to the engine's worker as
//! `File` handles, no bytes copied here), load the sample, cancel, clear.

use super::client::send_for;
use super::pick::Picked;
use super::state::{AppState, Status};
use crate::worker::command::{Command, Forgotten, Loaded, Progress};
use leptos::prelude::*;

/// Read picked files in the worker; `keep` adds them to what is loaded.
pub async fn load(state: AppState, picked: Vec<Picked>, keep: bool) {
    if picked.is_empty() {
        return;
    }
    super::timing::mark("picked");
    state.status.set(Status::Loading(Progress { files_total: picked.len() as u64, ..Progress::default() }));
    let (names, files): (Vec<String>, Vec<_>) = picked.into_iter().map(|p| (p.name, p.file)).unzip();
    let settings = state.settings.get_untracked();
    let remember = state.remember.get_untracked();
    // Parse workers unless the page's URL says `?pool=off` (see `Command::LoadFiles`).
    let pool = !web_sys::window().and_then(|w| w.location().search().ok()).is_some_and(|q| q.split(['?', '&']).any(|p| p == "pool=off"));
    let cmd = Command::LoadFiles { names, settings, keep, remember, pool };
    match send_for::<Loaded>(&cmd, Some(files)).await {
        Ok(Loaded::Done { files, parsed, workers, timings }) => {
            state.parsed.set(Some((files, parsed)));
            state.workers.set(Some(workers));
            state.load_timings.set(Some(timings.words()));
            super::timing::mark("ingested");
            state.refresh().await;
        }
        // A newer load or Cancel: whatever is loaded now is shown.
        Ok(Loaded::Cancelled) => state.refresh().await,
        Ok(Loaded::Failed { message }) | Err(message) => state.status.set(Status::Error(message)),
    }
}

/// Delete every result kept on this device; what that freed, in words.
pub async fn forget() -> String {
    match send_for::<Forgotten>(&Command::Forget, None).await {
        Ok(Forgotten { files: 0, downloads: 0, .. }) => "Nothing was stored.".to_string(),
        Ok(Forgotten { files: 0, bytes, downloads }) => {
            format!("Freed {} (finished downloads' files; nothing else was stored).", super::fmt::bytes(bytes + downloads))
        }
        Ok(Forgotten { files, bytes, downloads }) => {
            let s = if files == 1 { "" } else { "s" };
            let mut what = format!("{} stored result{s}", super::fmt::int(files as i64));
            if downloads > 0 {
                what += &format!("; {} of finished downloads' files", super::fmt::bytes(downloads));
            }
            format!("Freed {} ({what}).", super::fmt::bytes(bytes + downloads))
        }
        Err(message) => format!("Could not forget: {message}"),
    }
}

pub async fn load_sample(state: AppState) {
    state.status.set(Status::Loading(Progress::default()));
    let settings = state.settings.get_untracked();
    match send_for::<Loaded>(&Command::LoadSample { settings }, None).await {
        Ok(_) => {
            state.parsed.set(None);
            state.refresh().await
        }
        Err(message) => state.status.set(Status::Error(message)),
    }
}

pub async fn cancel(state: AppState) {
    let _ = super::client::send(&Command::Cancel, None).await;
    state.refresh().await;
}

pub async fn clear(state: AppState) {
    let _ = super::client::send(&Command::Clear, None).await;
    state.overview.set(None);
    state.parsed.set(None);
    state.status.set(Status::Empty);
    state.version.update(|v| *v += 1);
}
