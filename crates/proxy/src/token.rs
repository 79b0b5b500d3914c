use rand::Rng;
use sha2::{Digest, Sha256};

/// A random token from an alphabet without look-alike characters (no 0/o, 1/l).
/// 32 characters carry 160 bits.
pub fn random_token(len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Hex SHA-256, for storing tokens without storing the tokens.
pub fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
