//! Embedding the console in another page (an existing admin site) instead of running it as
//! the whole page.
//!
//! The host page loads Kassa's JS and wasm itself, sets `window.KASSA_EMBED = true` (or puts
//! `data-kassa-embed` on its `<body>`) *before* initialising the module so that `main.rs` does
//! not mount the console over the whole body, then calls [`mount`]:
//!
//! ```js
//! window.KASSA_EMBED = true;
//! const kassa = await import('/kassa-app-<hash>.js');
//! await kassa.default({ module_or_path: '/kassa-app-<hash>_bg.wasm' });
//! kassa.mount(document.getElementById('kassa'), { route: '/orders/new' });
//! ```
//!
//! `examples/embed.html` and `examples/embed.js` are a working host page. The console still
//! routes with the browser's address bar (under `base_path`), and it needs the Kassa session
//! cookie, which is `SameSite=Strict`: the host must be the same site as the proxy.

use std::any::Any;
use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::{api, Console};

thread_local! {
    /// The mounted console. `mount_to` hands back a handle that unmounts the view and disposes
    /// its signals when dropped; in `main.rs` the body mount is leaked for the life of the page,
    /// but here the host may mount again (or call [`unmount`]), so the handle is kept where the
    /// next call can find and drop it. Boxed as `Any` because the view's state type has no name.
    static MOUNTED: RefCell<Option<Box<dyn Any>>> = const { RefCell::new(None) };
}

/// True when the page asked to mount the console itself: `window.KASSA_EMBED` is truthy or
/// `<body>` has a `data-kassa-embed` attribute. `main.rs` then does not mount to the body.
pub fn host_mounts_itself() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let flag = js_sys::Reflect::get(&window, &JsValue::from_str("KASSA_EMBED"))
        .is_ok_and(|v| v.is_truthy());
    let attribute = window
        .document()
        .and_then(|d| d.body())
        .is_some_and(|b| b.has_attribute("data-kassa-embed"));
    flag || attribute
}

/// What the host page may pass to [`mount`]; every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmbedOptions {
    /// The proxy's origin (`https://kassa.example.com`); empty means the page's own origin.
    pub base_url: String,
    /// The route inside the console to open first (`/orders/new`); default `/`.
    pub route: String,
    /// The path prefix the console's routes live under in the host page (`/admin/kassa`);
    /// empty means none.
    pub base_path: String,
}

impl EmbedOptions {
    /// Reads the options object (`undefined` or `null` mean all defaults). A field that is
    /// present but not a string is an error rather than silently ignored.
    pub fn from_js(options: &JsValue) -> Result<Self, JsValue> {
        if options.is_undefined() || options.is_null() {
            return Ok(Self::default());
        }
        let field = |name: &str| -> Result<String, JsValue> {
            let value = js_sys::Reflect::get(options, &JsValue::from_str(name))?;
            if value.is_undefined() || value.is_null() {
                return Ok(String::new());
            }
            value.as_string().ok_or_else(|| {
                JsValue::from_str(&format!("kassa.mount: `{name}` must be a string"))
            })
        };
        Ok(Self {
            base_url: field("base_url")?,
            route: field("route")?,
            base_path: field("base_path")?,
        })
    }

    /// `base_path` as the router wants it: leading `/`, no trailing `/`, `None` when empty.
    pub fn router_base(&self) -> Option<String> {
        let trimmed = self.base_path.trim().trim_matches('/');
        (!trimmed.is_empty()).then(|| format!("/{trimmed}"))
    }

    /// The path the address bar must show for the console to open at `route`.
    pub fn start_path(&self) -> String {
        let base = self.router_base();
        match self.route.trim().trim_start_matches('/') {
            "" => base.unwrap_or_else(|| "/".into()),
            route => format!("{}/{route}", base.unwrap_or_default()),
        }
    }
}

/// Mounts the console into `element` (replacing a console mounted earlier) at
/// `options.route`. See the module docs for the host page's side.
///
/// # Errors
/// When an option has the wrong type, or the browser refuses to change the address bar.
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, options: JsValue) -> Result<(), JsValue> {
    console_error_panic_hook::set_once();
    let options = EmbedOptions::from_js(&options)?;
    crate::title::leave_to_host();
    // The old console goes first: its cleanup clears the API client's session-lost handler,
    // which the new one is about to register.
    unmount();
    api::set_base_url(&options.base_url);
    // The router reads the address bar when it starts, so the route is set there, replacing
    // the host page's entry rather than adding one to the history.
    web_sys::window()
        .ok_or_else(|| JsValue::from_str("kassa.mount: no window"))?
        .history()?
        .replace_state_with_url(&JsValue::NULL, "", Some(&options.start_path()))?;
    let base = options.router_base();
    let handle = leptos::mount::mount_to(element, move || view! { <Console base/> });
    MOUNTED.with(|m| *m.borrow_mut() = Some(Box::new(handle)));
    Ok(())
}

/// Removes a console mounted by [`mount`]; nothing happens if none is.
#[wasm_bindgen]
pub fn unmount() {
    // Taken out of the cell before it drops, so cleanup code may call back in here.
    let handle = MOUNTED.with(|m| m.borrow_mut().take());
    drop(handle);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(route: &str, base_path: &str) -> EmbedOptions {
        EmbedOptions {
            route: route.into(),
            base_path: base_path.into(),
            ..EmbedOptions::default()
        }
    }

    #[test]
    fn the_defaults_open_the_orders_list_at_the_root() {
        let o = EmbedOptions::default();
        assert_eq!(o.router_base(), None);
        assert_eq!(o.start_path(), "/");
    }

    #[test]
    fn the_route_goes_under_the_base_path() {
        assert_eq!(options("/orders/new", "").start_path(), "/orders/new");
        let o = options("orders/new", "admin/kassa/");
        assert_eq!(o.router_base().as_deref(), Some("/admin/kassa"));
        assert_eq!(o.start_path(), "/admin/kassa/orders/new");
        assert_eq!(options("/", "/admin/kassa").start_path(), "/admin/kassa");
    }
}
