use rand::Rng;

const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// An unguessable token of `len` base62 characters (about 5.95 bits each): what stands
/// between a link someone was given and everyone else's orders.
pub fn new_token(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A Mollie-looking id: the prefix (`ord`, `odl`, `tr`, ...) and ten random base62 characters.
pub fn new_id(prefix: &str) -> String {
    let mut rng = rand::rng();
    let tail: String = (0..10)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{prefix}_{tail}")
}

/// A random (v4) UUID, lower-case and hyphenated, as Klarna's ids look.
pub fn new_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}
