//! A panic is a bug: bad input is reported, never a reason to stop. Should one happen anyway,
//! the page says so in `#status` (`data-state="error"`) instead of freezing mid-load, and the
//! browser console gets the message and the place, for the bug report.

/// Replace the default panic hook (once, before the app mounts).
pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let status = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("status"));
        if let Some(status) = status {
            let _ = status.set_attribute("data-state", "error");
            let text = "Internal error: Agent Ledger stopped. Reload the page to start again; the browser \
                        console has the details for a bug report.";
            match status.query_selector(".status-text") {
                Ok(Some(span)) => span.set_text_content(Some(text)),
                _ => status.set_text_content(Some(text)),
            }
        }
    }));
}
