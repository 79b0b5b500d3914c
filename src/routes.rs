//! The app's own paths, for links. The route table in [`crate::App`] uses `path!` literals;
//! keep the two in step.

use std::cell::RefCell;

thread_local! {
    /// The router's base path (`/admin/kassa` when a host page embeds the console), so links
    /// can carry it: Leptos' router adds the base to `navigate` and `<Redirect>` targets, but
    /// not to `<a href>` or `<A href>` with an absolute path.
    static BASE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Sets the base path links get (see [`href`]); [`crate::Console`] calls it.
pub fn set_base(base: &str) {
    BASE.with(|b| *b.borrow_mut() = base.trim_end_matches('/').to_owned());
}

/// One of this app's paths (`/orders/new`, `/?status=paid`) as a link under the base path.
pub fn href(path: &str) -> String {
    BASE.with(|b| {
        let base = b.borrow();
        if base.is_empty() {
            path.to_owned()
        } else if let Some(rest) = path
            .strip_prefix('/')
            .filter(|r| r.is_empty() || r.starts_with('?'))
        {
            // The home page is the base itself, as the router writes it.
            format!("{base}{rest}")
        } else {
            format!("{base}{path}")
        }
    })
}

/// The app's path for a path of the address bar: the base path taken off, so it can be
/// handed to `navigate` (which puts the base back).
pub fn within_app(path: &str) -> String {
    BASE.with(|b| {
        let base = b.borrow();
        match path.strip_prefix(base.as_str()) {
            Some(rest) if !base.is_empty() && (rest.is_empty() || rest.starts_with(['/', '?'])) => {
                if rest.starts_with('/') {
                    rest.to_owned()
                } else {
                    format!("/{rest}")
                }
            }
            _ => path.to_owned(),
        }
    })
}

/// The orders list.
pub const HOME: &str = "/";
pub const NEW_ORDER: &str = "/orders/new";
/// The expiry radar.
pub const EXPIRING: &str = "/expiring";
pub const LOGIN: &str = "/login";
/// The public shop: no staff header, no login.
pub const SHOP: &str = "/shop";

/// Whether `path` is a page for the public rather than staff (the shop, a pay link), which
/// shows its own header instead of the staff one. Also under a router base
/// (`/admin/kassa/shop`, `/admin/kassa/pay/pl_1`).
pub fn is_public_page(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    let is_pay_link = path
        .rsplit_once('/')
        .is_some_and(|(head, reference)| !reference.is_empty() && head.ends_with("/pay"));
    path.ends_with(SHOP) || is_pay_link
}

/// The login page, remembering `wanted` (a path with its query) to come back to afterwards.
pub fn login_then(wanted: &str) -> String {
    let wanted = safe_next(Some(wanted));
    if wanted == HOME {
        return LOGIN.to_owned();
    }
    let mut out = format!("{LOGIN}?next=");
    for byte in wanted.bytes() {
        // `/` may stay as is in a query and keeps the address readable (`?next=/orders/ord_x`).
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Where to go after logging in: `next` when it is a path of this app, else [`HOME`].
///
/// `next` comes from the address bar, so anyone can craft it. Only a path on this origin is
/// accepted: it starts with one `/`, and never `//` or `/\` (browsers read both as "another
/// host"), holds no control characters (the URL parser drops tabs and newlines, which would
/// turn `/\t/evil.example` into `//evil.example`) and no backslash at all. The login page itself
/// is refused too, so logging in always leaves it.
pub fn safe_next(next: Option<&str>) -> String {
    let Some(next) = next else {
        return HOME.to_owned();
    };
    let is_app_path = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    let path = next.split(['?', '#']).next().unwrap_or_default();
    let is_login = path == LOGIN || path.starts_with("/login/");
    if is_app_path && !is_login {
        next.to_owned()
    } else {
        HOME.to_owned()
    }
}

/// The orders list with `query` (from [`crate::filters::to_query`]; empty for none).
pub fn orders_list(query: &str) -> String {
    if query.is_empty() {
        HOME.to_owned()
    } else {
        format!("{HOME}?{query}")
    }
}

/// The order page of `id`.
pub fn order(id: &str) -> String {
    format!("/orders/{}", encode_segment(id))
}

/// The public page of pay link `reference`, where its customer pays with Klarna.
pub fn pay_link(reference: &str) -> String {
    format!("/pay/{}", encode_segment(reference))
}

/// The customer's return page for `reference` (a `return_ref` from the proxy).
pub fn return_page(reference: &str) -> String {
    format!("/return/{}", encode_segment(reference))
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so an id taken from an API
/// answer or a URL can never add a path segment or a query.
pub fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_shop_and_pay_links_are_public() {
        assert!(is_public_page("/shop") && is_public_page("/admin/kassa/shop/"));
        assert!(!is_public_page("/") && !is_public_page("/workshop") && !is_public_page("/login"));
        assert!(is_public_page("/pay/pl_1") && is_public_page("/admin/kassa/pay/pl_1/"));
        assert!(!is_public_page("/pay") && !is_public_page("/repay/x"));
        assert!(!is_public_page("/orders/pay") && !is_public_page("/orders/ord_1"));
    }

    #[test]
    fn pay_and_return_paths_keep_their_reference_one_segment() {
        assert_eq!(pay_link("pl_1"), "/pay/pl_1");
        assert_eq!(return_page("a/b"), "/return/a%2Fb");
    }

    #[test]
    fn ids_stay_one_segment() {
        assert_eq!(order("ord_kEn1PlbGa"), "/orders/ord_kEn1PlbGa");
        assert_eq!(order("../x?y"), "/orders/..%2Fx%3Fy");
    }

    #[test]
    fn next_accepts_only_paths_of_this_app() {
        assert_eq!(safe_next(Some("/orders/ord_x")), "/orders/ord_x");
        assert_eq!(
            safe_next(Some("/orders/new?x=1#top")),
            "/orders/new?x=1#top"
        );
        assert_eq!(safe_next(Some("/")), "/");
        assert_eq!(safe_next(None), "/");
        for hostile in [
            "",
            "orders/ord_x",
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "javascript:alert(1)",
            " /orders",
            "/login",
            "/login?next=/x",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile:?}");
        }
    }

    #[test]
    fn the_login_address_remembers_the_wanted_page() {
        assert_eq!(login_then("/orders/ord_x"), "/login?next=/orders/ord_x");
        assert_eq!(
            login_then("/orders/a b?x=1&y=2"),
            "/login?next=/orders/a%20b%3Fx%3D1%26y%3D2"
        );
        assert_eq!(login_then("/"), "/login");
        assert_eq!(login_then("//evil.example"), "/login");
    }

    #[test]
    fn links_and_the_login_return_path_respect_the_base_path() {
        // Thread-local: this test's base does not leak into others.
        assert_eq!(href("/orders/new"), "/orders/new");
        set_base("/admin/kassa/");
        assert_eq!(href(HOME), "/admin/kassa");
        assert_eq!(href("/?status=paid"), "/admin/kassa?status=paid");
        assert_eq!(href(&order("ord_1")), "/admin/kassa/orders/ord_1");
        assert_eq!(within_app("/admin/kassa/orders/ord_1"), "/orders/ord_1");
        assert_eq!(within_app("/admin/kassa"), "/");
        assert_eq!(within_app("/admin/kassa?x=1"), "/?x=1");
        // Not under the base (another page of the host): left alone.
        assert_eq!(within_app("/admin/kassandra"), "/admin/kassandra");
        set_base("");
        assert_eq!(within_app("/orders/ord_1"), "/orders/ord_1");
    }
}
