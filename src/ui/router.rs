//! Views at URL hashes (`#/overview`, `#/sessions/<id>`, …), so every view can be bookmarked and
//! shared; the shared filters ride in the hash's query (`#/tokens?model=gpt-5&from=2025-09-01`).

use leptos::prelude::*;

/// The views of the navigation bar, in order: (hash name, label).
pub const VIEWS: [(&str, &str); 10] = [
    ("overview", "Overview"),
    ("sessions", "Sessions"),
    ("tokens", "Tokens"),
    ("tools", "Tools"),
    ("tool-audit", "Tool audit"),
    ("api-calls", "API calls"),
    ("audit", "Audit"),
    ("files", "Files"),
    ("prices", "Prices"),
    ("search", "Search"),
];

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Route {
    /// The view's name; `session` for `#/sessions/<id>`.
    pub view: String,
    /// The session id of `#/sessions/<id>`.
    pub arg: String,
    /// `key=value` pairs of the hash's query, decoded.
    pub query: Vec<(String, String)>,
}

impl Route {
    pub fn param(&self, key: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

fn decode(s: &str) -> String {
    js_sys::decode_uri_component(&s.replace('+', " ")).ok().and_then(|v| v.as_string()).unwrap_or_else(|| s.to_string())
}

pub fn encode(s: &str) -> String {
    js_sys::encode_uri_component(s).as_string().unwrap_or_default()
}

pub fn parse(hash: &str) -> Route {
    let h = hash.trim_start_matches('#').trim_start_matches('/');
    let (path, query) = h.split_once('?').unwrap_or((h, ""));
    let mut parts = path.splitn(2, '/');
    let first = parts.next().unwrap_or("");
    let rest = parts.next().unwrap_or("");
    let (view, arg) = match (first, rest) {
        ("sessions", id) if !id.is_empty() => ("session".to_string(), decode(id)),
        ("", _) => ("overview".to_string(), String::new()),
        (v, _) => (v.to_string(), String::new()),
    };
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    Route { view, arg, query }
}

fn current_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// The route, kept in step with the address bar.
pub fn route_signal() -> ReadSignal<Route> {
    let (route, set_route) = signal(parse(&current_hash()));
    let listener = window_event_listener(leptos::ev::hashchange, move |_| set_route.set(parse(&current_hash())));
    // The page lives as long as the app: the listener is never removed.
    std::mem::forget(listener);
    route
}

/// The hash of a session's view.
pub fn session_href(id: &str) -> String {
    format!("#/sessions/{}", encode(id))
}
