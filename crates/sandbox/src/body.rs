//! Reading a request's JSON body for either provider: an empty body is `{}` (so a missing
//! required field gets the provider's own "field is missing" answer, not a parser's), and a
//! body that does not fit says where (`order_lines[0].quantity`), for the provider to word.

/// Why a body could not be read as the request type.
pub enum BodyError {
    /// Not JSON at all (or cut short).
    Syntax(serde_json::Error),
    /// JSON, but a value at `path` has the wrong type or is not allowed.
    Value {
        /// serde's path, e.g. `lines[1].quantity`.
        path: String,
        error: serde_json::Error,
    },
}

pub fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, BodyError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    // The common case is a good body: parse it plainly, and only re-read a bad one with
    // path tracking (which costs more) to name the failing field.
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let error = e.into_inner();
        if error.is_syntax() || error.is_eof() || path == "." {
            BodyError::Syntax(error)
        } else {
            BodyError::Value { path, error }
        }
    })
}
