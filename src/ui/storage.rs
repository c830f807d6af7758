//! What the page keeps in this browser (localStorage): the settings (filters, time zone, price
//! edits, redaction switches), the theme and whether parsed results are kept on this device.
//! Never any log content (kept results live in the worker's storage: `worker::store`).

use crate::query::Settings;

const SETTINGS_KEY: &str = "agent-ledger.settings";
/// Round 1 kept only the price edits, under this key; they are carried over.
const PRICES_KEY: &str = "agent-ledger.price-overrides";
const THEME_KEY: &str = "agent-ledger.theme";
/// A page setting, not an engine one: it changes where results go, not what they are.
const REMEMBER_KEY: &str = "agent-ledger.remember";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

fn set(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

pub fn load_settings() -> Settings {
    let mut s: Settings = get(SETTINGS_KEY).and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
    if s.price_overrides.is_empty() {
        s.price_overrides = get(PRICES_KEY).unwrap_or_default();
    }
    s
}

pub fn save_settings(s: &Settings) {
    if let Ok(text) = serde_json::to_string(s) {
        set(SETTINGS_KEY, &text);
    }
    set(PRICES_KEY, &s.price_overrides);
}

/// The saved choice, or the system's preference.
pub fn load_theme() -> String {
    if let Some(t) = get(THEME_KEY).filter(|t| t == "light" || t == "dark") {
        return t;
    }
    let dark = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches());
    if dark { "dark".into() } else { "light".into() }
}

pub fn save_theme(theme: &str) {
    set(THEME_KEY, theme);
}

/// "Keep parsed results on this device": off unless switched on.
pub fn load_remember() -> bool {
    get(REMEMBER_KEY).as_deref() == Some("on")
}

pub fn save_remember(on: bool) {
    set(REMEMBER_KEY, if on { "on" } else { "off" });
}
