//! Prices the user can edit. Edits persist in the browser (localStorage) and show in the exports.

use crate::pricing::PriceBook;

const STORAGE_KEY: &str = "agent-ledger.price-overrides";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The built-in price book with the user's saved edits applied.
pub fn load_saved_prices() -> PriceBook {
    let mut book = PriceBook::builtin();
    if let Some(saved) = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) {
        let _ = book.load_overrides_json(&saved);
    }
    book
}

/// Remember the user's edits for the next visit.
pub fn save_prices(book: &PriceBook) {
    if let Some(s) = storage() {
        let _ = s.set_item(STORAGE_KEY, &book.overrides_json());
    }
}
