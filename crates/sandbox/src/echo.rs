//! Error messages may name what the client sent (Mollie's do: "No order exists with token
//! ord_x."), but never at length: a 10 KB value must not come back in the answer, the logs or
//! a tester's screen. Every message that quotes client input goes through these, which cut it
//! as the proxy does (`kassa_model::clipped`).

use kassa_model::{clipped, QUOTE_MAX_CHARS};

/// A parser's whole message (`invalid type: string "…", expected u32`) is kept to this length.
const MAX_MESSAGE: usize = 160;

/// A value the client sent, cut to the model's quoting length.
pub fn clip(input: &str) -> String {
    clipped(input, QUOTE_MAX_CHARS)
}

/// A JSON parser's message, which may itself quote the input.
pub fn clip_message(message: &str) -> String {
    clipped(message, MAX_MESSAGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_input_is_kept_and_long_input_is_cut_on_a_character_boundary() {
        assert_eq!(clip("ord_abc"), "ord_abc");
        let long = "é".repeat(10_000);
        let clipped = clip(&long);
        assert_eq!(clipped.chars().count(), QUOTE_MAX_CHARS + 1);
        assert!(clipped.ends_with('…'));
        // Klarna's ids (UUIDs) are quoted whole.
        let uuid = "7849fd84-7a4b-4e2b-8f2c-1c2d3e4f5a6b";
        assert_eq!(clip(uuid), uuid);
    }
}
