//! Copying text for staff (a payment link, an action's id).

use leptos::prelude::window;
use wasm_bindgen::JsValue;

/// `navigator.clipboard.writeText(text)`; false when the API is missing or refuses.
pub async fn write(text: &str) -> bool {
    let navigator = window().navigator();
    // Outside a secure context `navigator.clipboard` is undefined; calling it would throw.
    let present = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !present {
        return false;
    }
    let promise = navigator.clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}
