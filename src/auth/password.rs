//! argon2id password hashing with the crate's defaults, always off the async threads.

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use secrecy::{ExposeSecret, SecretString};
use std::sync::LazyLock;

/// A hash of a password nobody knows. Verifying against it when the login name is unknown
/// makes that case cost the same as a wrong password, so timing does not reveal accounts.
static DECOY_HASH: LazyLock<String> = LazyLock::new(|| {
    hash_now("decoy password that is never accepted").expect("hashing a constant succeeds")
});

fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Hashes a password (argon2id, default parameters) on the blocking pool.
pub async fn hash(password: SecretString) -> Result<String, String> {
    tokio::task::spawn_blocking(move || hash_now(password.expose_secret()))
        .await
        .map_err(|error| error.to_string())?
        .map_err(|error| error.to_string())
}

/// Checks a password against a stored hash on the blocking pool. With no hash (unknown
/// account) it checks against a decoy and answers `false`, in the same time.
pub async fn verify(password: SecretString, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| DECOY_HASH.clone());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        let matches = Argon2::default()
            .verify_password(password.expose_secret().as_bytes(), &parsed)
            .is_ok();
        known && matches
    })
    .await
    .unwrap_or(false)
}

/// Warms the decoy hash so the first failed login is not slower than later ones.
pub fn warm_up() {
    LazyLock::force(&DECOY_HASH);
}

/// A generated initial password: 12 characters from an alphabet without look-alikes
/// (no 0/O, 1/l/I), grouped for reading aloud, ~60 bits.
pub fn generate_initial() -> SecretString {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let mut out = String::with_capacity(14);
    for group in 0..3 {
        if group > 0 {
            out.push('-');
        }
        for _ in 0..4 {
            out.push(ALPHABET[rng.random_range(0..ALPHABET.len())] as char);
        }
    }
    SecretString::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let stored = hash(SecretString::from("青山依旧在-2026")).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify(SecretString::from("青山依旧在-2026"), Some(stored.clone())).await);
        assert!(!verify(SecretString::from("wrong password"), Some(stored)).await);
        assert!(
            !verify(
                SecretString::from("decoy password that is never accepted"),
                None
            )
            .await
        );
    }

    #[test]
    fn initial_passwords_are_grouped_and_unambiguous() {
        let password = generate_initial();
        let text = password.expose_secret();
        assert_eq!(text.len(), 14);
        assert_eq!(text.matches('-').count(), 2);
        assert!(!text.contains(['0', 'o', '1', 'l', 'i']));
        assert_ne!(text, generate_initial().expose_secret());
    }
}
