//! `Klarna.Payments.init / load / authorize` from Rust. Each is declared with `catch`, so a
//! throw (no library, an invalid client token) is an `Err`, never a panic. `load` and
//! `authorize` answer through a callback: the callback handed to Klarna is the resolve
//! function of a promise, so each call is one future and no closure has to be kept alive.
//!
//! Klarna's callback objects are read with `JSON.stringify` + serde ([`super::outcome`]), so
//! a field Klarna adds later cannot break the page.

use js_sys::{Function, Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::outcome::{AuthorizeAnswer, LoadAnswer};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["Klarna", "Payments"], js_name = init, catch)]
    fn klarna_init(options: &JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = ["Klarna", "Payments"], js_name = load, catch)]
    fn klarna_load(options: &JsValue, data: &JsValue, callback: &Function) -> Result<(), JsValue>;

    #[wasm_bindgen(js_namespace = ["Klarna", "Payments"], js_name = authorize, catch)]
    fn klarna_authorize(
        options: &JsValue,
        data: &JsValue,
        callback: &Function,
    ) -> Result<(), JsValue>;
}

/// Whether `window.Klarna.Payments` is there (the library has run).
pub fn payments_present() -> bool {
    let window = leptos::prelude::window();
    Reflect::get(&window, &"Klarna".into())
        .and_then(|klarna| Reflect::get(&klarna, &"Payments".into()))
        .is_ok_and(|payments| payments.is_object())
}

/// A call Klarna's library refused by throwing, or a callback object this page cannot read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallFailed(pub String);

impl CallFailed {
    fn from_js(what: &str, error: &JsValue) -> Self {
        leptos::logging::error!("Klarna.Payments.{what}: {error:?}");
        let message = Reflect::get(error, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| "no reason given".to_owned());
        Self(message)
    }
}

/// `Klarna.Payments.init({client_token})`: once per session, before `load`.
pub fn init(client_token: &str) -> Result<(), CallFailed> {
    let options = object(&[("client_token", client_token.into())]);
    klarna_init(&options).map_err(|e| CallFailed::from_js("init", &e))
}

/// `Klarna.Payments.load({container, payment_method_category}, {}, callback)`: Klarna shows
/// the category's form in `container`.
pub async fn load(container: &web_sys::Element, category: &str) -> Result<LoadAnswer, CallFailed> {
    let options = object(&[
        ("container", container.into()),
        ("payment_method_category", category.into()),
    ]);
    let answer = call("load", |callback| {
        klarna_load(&options, &Object::new(), callback)
    })
    .await?;
    read(&answer)
}

/// `Klarna.Payments.authorize({payment_method_category}, {}, callback)`: Klarna asks the
/// customer (its own dialog) and answers with the authorization token, or why not. No data
/// is sent: the proxy opened the session with the cart and the addresses.
pub async fn authorize(category: &str) -> Result<AuthorizeAnswer, CallFailed> {
    let options = object(&[("payment_method_category", category.into())]);
    let answer = call("authorize", |callback| {
        klarna_authorize(&options, &Object::new(), callback)
    })
    .await?;
    read(&answer)
}

/// Runs `start` with a callback and waits until Klarna calls it; the object it was called with.
async fn call(
    what: &str,
    start: impl FnOnce(&Function) -> Result<(), JsValue>,
) -> Result<JsValue, CallFailed> {
    let mut start = Some(start);
    let promise = Promise::new(&mut |resolve, reject| {
        if let Some(start) = start.take() {
            if let Err(e) = start(&resolve) {
                let _ = reject.call1(&JsValue::NULL, &e);
            }
        }
    });
    JsFuture::from(promise)
        .await
        .map_err(|e| CallFailed::from_js(what, &e))
}

fn read<T: serde::de::DeserializeOwned>(answer: &JsValue) -> Result<T, CallFailed> {
    let json = JSON::stringify(answer)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default();
    serde_json::from_str(&json).map_err(|e| {
        leptos::logging::error!("Klarna's answer {json}: {e}");
        CallFailed("Klarna's answer could not be read".to_owned())
    })
}

fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in fields {
        let _ = Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object.into()
}
