//! Passwords (argon2id, salted, PHC strings) and the random secrets Roster hands out: session tokens
//! and one-time codes, of which only a SHA-256 is stored.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};

use crate::error::{Code, Error, Result};

pub const MIN_LENGTH: usize = 10;

/// The rules a new password must meet.
pub fn check(password: &str) -> Result<()> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(Error::invalid_input(format!(
            "The password has {length} characters: use at least {MIN_LENGTH} (a few words make a good one)."
        )));
    }
    if length > 200 {
        return Err(Error::invalid_input("The password is longer than 200 characters: use a shorter one."));
    }
    Ok(())
}

/// Checks the rules, then hashes with argon2id and a random salt.
pub fn hash(password: &str) -> Result<String> {
    check(password)?;
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|e| Error::new(Code::Internal, format!("Could not salt the password: {e}")))?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| Error::new(Code::Internal, format!("Could not hash the password: {e}")))?
        .to_string())
}

pub fn verify(stored: &str, password: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::new(Code::Unavailable, format!("The system's random source failed ({e}); try again.")))?;
    Ok(bytes)
}

/// A session token: 256 random bits, hex.
pub fn new_token() -> Result<String> {
    Ok(random_bytes::<32>()?.iter().map(|b| format!("{b:02x}")).collect())
}

/// A one-time code a person can type: 20 characters of Crockford base32 (100 bits), in groups of
/// five ("7KQ2M-…"). Case, spaces and dashes do not matter when it is typed back.
pub fn new_code() -> Result<String> {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let bytes = random_bytes::<20>()?;
    let chars: Vec<char> = bytes.iter().map(|b| ALPHABET[(b & 31) as usize] as char).collect();
    Ok(chars.chunks(5).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-"))
}

/// The form in which a typed code is compared: upper case, without separators, with the letters
/// Crockford reads as digits.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

pub fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}
