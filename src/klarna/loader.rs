//! Klarna's library is a plain `<script>`, not a module: it sets `window.Klarna` when it has
//! run. [`load_library`] adds it to the page once per URL and waits for it; every later call
//! for the same URL waits on the same load. A load that failed is forgotten (and its element
//! removed), so asking again tries again, say after the network came back.

use std::cell::RefCell;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The library's `<script>` as added to the page.
struct Script {
    url: String,
    element: web_sys::Element,
    /// Resolves on the element's `load`, rejects on its `error`.
    loaded: Promise,
}

thread_local! {
    static SCRIPT: RefCell<Option<Script>> = const { RefCell::new(None) };
}

/// Why the library is not there. The message is for the customer; the details go to the
/// browser's console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadFailed;

impl std::fmt::Display for LoadFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Klarna could not be loaded. Check your connection, then reload the page.")
    }
}

/// Adds `<script src=url async>` to the page unless it is there already, and waits until it
/// has run and `window.Klarna.Payments` exists.
pub async fn load_library(url: &str) -> Result<(), LoadFailed> {
    let loading = SCRIPT.with(|s| {
        s.borrow()
            .as_ref()
            .filter(|script| script.url == url)
            .map(|script| script.loaded.clone())
    });
    let promise = match loading {
        Some(promise) => promise,
        None => {
            let script = inject(url).map_err(|e| report("could not add the script", &e))?;
            let loaded = script.loaded.clone();
            SCRIPT.with(|s| *s.borrow_mut() = Some(script));
            loaded
        }
    };
    if let Err(e) = JsFuture::from(promise).await {
        forget(url);
        return Err(report(&format!("{url} did not load"), &e));
    }
    if super::bindings::payments_present() {
        Ok(())
    } else {
        forget(url);
        Err(report(
            &format!("{url} loaded but set no Klarna.Payments"),
            &JsValue::UNDEFINED,
        ))
    }
}

/// The script element, and a promise of its `load` (or `error`) event. The listeners are the
/// promise's own resolve and reject functions, so nothing has to be kept alive here.
fn inject(url: &str) -> Result<Script, JsValue> {
    let document = leptos::prelude::document();
    let script = document.create_element("script")?;
    script.set_attribute("src", url)?;
    script.set_attribute("async", "")?;
    let target: &web_sys::EventTarget = script.unchecked_ref();
    let mut failed = None;
    let promise = Promise::new(&mut |resolve, reject| {
        if let Err(e) = target
            .add_event_listener_with_callback("load", &resolve)
            .and_then(|()| target.add_event_listener_with_callback("error", &reject))
        {
            failed = Some(e);
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    document
        .head()
        .ok_or_else(|| JsValue::from_str("the page has no <head>"))?
        .append_child(&script)?;
    Ok(Script {
        url: url.to_owned(),
        element: script,
        loaded: promise,
    })
}

/// Removes the failed script, so the next [`load_library`] adds a fresh one.
fn forget(url: &str) {
    let failed = SCRIPT.with(|s| {
        let mut slot = s.borrow_mut();
        if slot.as_ref().is_some_and(|script| script.url == url) {
            slot.take()
        } else {
            None
        }
    });
    if let Some(script) = failed {
        script.element.remove();
    }
}

fn report(what: &str, error: &JsValue) -> LoadFailed {
    leptos::logging::error!("Klarna's library: {what} ({error:?})");
    LoadFailed
}
