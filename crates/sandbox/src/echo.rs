//! Error messages may name what the client sent (Mollie's do: "No order exists with token
//! ord_x."), but never at length: a 10 KB value must not come back in the answer, the logs or
//! a tester's screen. Every message that quotes client input goes through [`clip`].

/// At most this many characters of client input are quoted.
const MAX_QUOTED: usize = 40;

/// A parser's whole message (which may itself quote the input) is kept to this length.
const MAX_MESSAGE: usize = 160;

/// `input`, cut to [`MAX_QUOTED`] characters with an ellipsis when longer.
pub fn clip(input: &str) -> String {
    cut(input, MAX_QUOTED)
}

/// A JSON parser's message (`invalid type: string "…", expected u32`), cut to [`MAX_MESSAGE`].
pub fn clip_message(message: &str) -> String {
    cut(message, MAX_MESSAGE)
}

fn cut(input: &str, max: usize) -> String {
    match input.char_indices().nth(max) {
        None => input.to_owned(),
        Some((at, _)) => format!("{}…", &input[..at]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_input_is_kept_and_long_input_is_cut_on_a_character_boundary() {
        assert_eq!(clip("ord_abc"), "ord_abc");
        let long = "é".repeat(10_000);
        let clipped = clip(&long);
        assert_eq!(clipped.chars().count(), MAX_QUOTED + 1);
        assert!(clipped.ends_with('…'));
    }
}
