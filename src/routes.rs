//! The app's own paths, for links. The route table in [`crate::App`] uses `path!` literals;
//! keep the two in step.

pub const HOME: &str = "/";
pub const NEW_ORDER: &str = "/orders/new";

/// The order page of `id`.
pub fn order(id: &str) -> String {
    format!("/orders/{}", encode_segment(id))
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
    fn ids_stay_one_segment() {
        assert_eq!(order("ord_kEn1PlbGa"), "/orders/ord_kEn1PlbGa");
        assert_eq!(order("../x?y"), "/orders/..%2Fx%3Fy");
    }
}
