//! The one rule every Klarna wire object follows, written once.

/// Declares a Klarna wire object: every field is `Option<…>`, absent when `None`
/// (`#[serde(default, skip_serializing_if = "Option::is_none")]`), and unknown fields are
/// ignored (no `deny_unknown_fields`: Klarna ignores them too).
///
/// Why every field is optional: Klarna's response schemas require nothing, so a client must
/// not fail on a missing field; and the emulator must accept a request with a required field
/// missing so that it can answer Klarna's own 400 instead of a serde error. `validate` says
/// what is required.
///
/// Field attributes (`///` docs, `#[serde(rename = "type")]`) are passed through.
macro_rules! klarna_object {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $field:ident : $ty:ty
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            $(
                $(#[$field_meta])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
        }
    };
}
