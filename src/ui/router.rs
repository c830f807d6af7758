//! Views at URL hashes (`#/overview`, `#/sessions/<id>`, …), so every view can be bookmarked and
//! shared; the shared filters ride in the hash's query (`#/tokens?model=gpt-5&from=2025-09-01`).

use leptos::prelude::*;

/// The views of the navigation bar, in order: (hash name, label).
pub const VIEWS: [(&str, &str); 11] = [
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
    ("sql", "SQL"),
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
pub fn route_signal() -> (ReadSignal<Route>, WriteSignal<Route>) {
    let (route, set_route) = signal(parse(&current_hash()));
    let listener = window_event_listener(leptos::ev::hashchange, move |_| set_route.set(parse(&current_hash())));
    // The page lives as long as the app: the listener is never removed.
    std::mem::forget(listener);
    (route, set_route)
}

/// The hash of a session's view.
pub fn session_href(id: &str) -> String {
    format!("#/sessions/{}", encode(id))
}

/// The hash of one event in its session's view: the event (or query) made from `file:line` is
/// scrolled to and marked there.
pub fn event_href(id: &str, file: &str, line: u32) -> String {
    format!("#/sessions/{}?file={}&line={line}", encode(id), encode(file))
}

/// The shared filters as they ride in the hash: (key, what it sets).
pub const FILTER_KEYS: [&str; 6] = ["model", "workspace", "machine", "from", "to", "tz"];

fn filter_value<'a>(settings: &'a crate::query::Settings, key: &str) -> &'a str {
    match key {
        "model" => &settings.model,
        "workspace" => &settings.workspace,
        "machine" => &settings.machine,
        "from" => &settings.from,
        "to" => &settings.to,
        _ => &settings.zone,
    }
}

/// The settings' filters as a hash query (`model=gpt-5&from=2025-09-01`), empty when none is set.
pub fn filter_query(settings: &crate::query::Settings) -> String {
    FILTER_KEYS
        .iter()
        .filter(|k| !filter_value(settings, k).is_empty())
        .map(|k| format!("{k}={}", encode(filter_value(settings, k))))
        .collect::<Vec<_>>()
        .join("&")
}

/// `#/<path>` with the settings' filters, so links between views keep them.
pub fn href(path: &str, settings: &crate::query::Settings) -> String {
    match filter_query(settings) {
        q if q.is_empty() => format!("#/{path}"),
        q => format!("#/{path}?{q}"),
    }
}

/// The filters a bookmarked hash names, applied to `settings`: when the hash names any filter it
/// is the whole truth (a key it leaves out is cleared); when it names none, the saved filters
/// stay. Returns whether anything changed.
pub fn apply_filters(route: &Route, settings: &mut crate::query::Settings) -> bool {
    if !FILTER_KEYS.iter().any(|k| route.param(k).is_some()) {
        return false;
    }
    let mut changed = false;
    for key in FILTER_KEYS {
        let want = route.param(key).unwrap_or("").to_string();
        let slot = match key {
            "model" => &mut settings.model,
            "workspace" => &mut settings.workspace,
            "machine" => &mut settings.machine,
            "from" => &mut settings.from,
            "to" => &mut settings.to,
            _ => &mut settings.zone,
        };
        if *slot != want {
            *slot = want;
            changed = true;
        }
    }
    changed
}

/// The current hash with its filter keys replaced by the settings' filters (other keys, such as
/// the search's `q`, kept), or `None` when it already shows them.
pub fn hash_with_filters(route: &Route, settings: &crate::query::Settings) -> Option<String> {
    let shown: Vec<(&str, &str)> =
        FILTER_KEYS.iter().filter_map(|k| route.param(k).map(|v| (*k, v))).collect();
    let wanted: Vec<(&str, &str)> =
        FILTER_KEYS.iter().map(|k| (*k, filter_value(settings, k))).filter(|(_, v)| !v.is_empty()).collect();
    if shown == wanted {
        return None;
    }
    let mut query: Vec<(String, String)> = route.query.iter().filter(|(k, _)| !FILTER_KEYS.contains(&k.as_str())).cloned().collect();
    query.extend(wanted.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Some(build(route, &query))
}

/// The hash of a route's view with the given query.
fn build(route: &Route, query: &[(String, String)]) -> String {
    let path = match route.view.as_str() {
        "session" => format!("sessions/{}", encode(&route.arg)),
        v => v.to_string(),
    };
    let query: Vec<String> = query.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
    if query.is_empty() { format!("#/{path}") } else { format!("#/{path}?{}", query.join("&")) }
}

/// The current route without the query keys `drop` names.
pub fn hash_without(route: &Route, drop: impl Fn(&str) -> bool) -> String {
    let query: Vec<(String, String)> = route.query.iter().filter(|(k, _)| !drop(k)).cloned().collect();
    build(route, &query)
}

/// The view that shows a dataset's table, for links to the rows behind a number.
const DATASET_VIEWS: [(&str, &str); 2] = [("usage_tokens.csv", "tokens"), ("tool_calls.csv", "tools")];

/// The rows of `dataset` whose columns equal the values of `pairs` (a chart's day, and its model
/// for a segment), in the view that shows them: the table reads each
/// `<dataset stem>.<column>=<value>` from the hash (see `table::DataTable`).
pub fn rows_href(dataset: &str, pairs: &[(String, String)], settings: &crate::query::Settings) -> Option<String> {
    let view = DATASET_VIEWS.iter().find(|(d, _)| *d == dataset)?.1;
    let stem = dataset.trim_end_matches(".csv");
    let mut parts: Vec<String> = pairs.iter().map(|(c, v)| format!("{}={}", encode(&format!("{stem}.{c}")), encode(v))).collect();
    let filters = filter_query(settings);
    if !filters.is_empty() {
        parts.push(filters);
    }
    Some(format!("#/{view}?{}", parts.join("&")))
}

/// Keeps the hash and the filters in step, both ways: a new hash naming filters (a bookmark, a
/// shared link, Back) sets them; a filter changed in the bar, or a link that carries none, rewrites
/// the hash in place (no new history entry, so Back still leaves the view).
pub fn sync_filters(route: ReadSignal<Route>, set_route: WriteSignal<Route>, state: super::state::AppState) {
    Effect::new(move |prev: Option<Route>| {
        let r = route.get();
        let settings = state.settings.get();
        let route_moved = prev.as_ref() != Some(&r);
        let mut wanted = settings.clone();
        if route_moved && apply_filters(&r, &mut wanted) {
            state.configure(move |s| *s = Settings { now_ms: s.now_ms, ..wanted });
        } else if let Some(hash) = hash_with_filters(&r, &settings) {
            let replaced = web_sys::window()
                .and_then(|w| w.history().ok())
                .is_some_and(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&hash)).is_ok());
            if replaced {
                let next = parse(&hash);
                set_route.set(next.clone());
                return next;
            }
        }
        r
    });
}

use crate::query::Settings;
