//! Seals the one text the server writes into a page address for the page to show: the
//! refusal of a form posted without JavaScript, sent back as `?__path=…&__err=…`. The page
//! shows it only with a valid seal, so a crafted link cannot put words of its own on a page
//! as if the system had said them.
//!
//! The seal is an HMAC-SHA256 under a secret of this installation (kept in the database),
//! over the function, the error, the person it was issued to (empty for a visitor) and an
//! expiry: a sealed address does not work for anyone else, nor for long.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The address parameter that carries the seal.
pub const SEAL_PARAM: &str = "__seal";

/// How long a sealed error stays showable. The browser follows the redirect at once; a link
/// saved, shared or replayed later shows nothing.
pub const SEAL_LIFETIME_SECONDS: i64 = 600;

/// The installation's sealing key.
#[derive(Clone)]
pub struct LinkSeal {
    key: Vec<u8>,
}

impl LinkSeal {
    pub fn new(secret: &[u8]) -> Self {
        Self {
            key: secret.to_vec(),
        }
    }

    /// The seal of `error` from the server function at `function`, for `user`, showable
    /// until `expires` (unix seconds): `<expires>.<hex>`.
    pub fn seal(&self, user: &str, expires: i64, function: &str, error: &str) -> String {
        let tag = self
            .mac(user, expires, function, error)
            .finalize()
            .into_bytes();
        let hex: String = tag.iter().map(|byte| format!("{byte:02x}")).collect();
        format!("{expires}.{hex}")
    }

    /// Whether `seal` was made by [`Self::seal`] for exactly this error and person, and has
    /// not expired at `now`. Compared in constant time.
    pub fn verify(&self, seal: &str, user: &str, now: i64, function: &str, error: &str) -> bool {
        let Some((expires, hex)) = seal.split_once('.') else {
            return false;
        };
        let Ok(expires) = expires.parse::<i64>() else {
            return false;
        };
        if now > expires || hex.len() != 64 {
            return false;
        }
        let Some(tag) = (0..hex.len())
            .step_by(2)
            .map(|at| u8::from_str_radix(hex.get(at..at + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()
        else {
            return false;
        };
        self.mac(user, expires, function, error)
            .verify_slice(&tag)
            .is_ok()
    }

    fn mac(&self, user: &str, expires: i64, function: &str, error: &str) -> Hmac<Sha256> {
        // HMAC takes a key of any length, so this cannot fail.
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("any key length");
        // Each part with its length first, so no two different inputs run together into the
        // same bytes.
        let expires = expires.to_string();
        for part in [user, expires.as_str(), function, error] {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        mac
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn a_seal_holds_for_its_own_error_person_and_time_only() {
        let seal = LinkSeal::new(b"secret of this install");
        let made = seal.seal("u1", NOW + 600, "/api/login", "error-bytes");
        assert!(seal.verify(&made, "u1", NOW, "/api/login", "error-bytes"));
        assert!(!seal.verify(&made, "u1", NOW, "/api/login", "other-bytes"));
        assert!(!seal.verify(&made, "u1", NOW, "/api/logout", "error-bytes"));
        assert!(!seal.verify(&made, "u2", NOW, "/api/login", "error-bytes"));
        assert!(!seal.verify(&made, "", NOW, "/api/login", "error-bytes"));
        assert!(!seal.verify(&made, "u1", NOW + 601, "/api/login", "error-bytes"));
        let other_install = LinkSeal::new(b"another install");
        assert!(!other_install.verify(&made, "u1", NOW, "/api/login", "error-bytes"));
    }

    #[test]
    fn a_made_up_or_altered_seal_is_refused() {
        let seal = LinkSeal::new(b"secret");
        let made = seal.seal("", NOW + 600, "/api/login", "e");
        let (expires, hex) = made.split_once('.').unwrap();
        let later = format!("{}.{hex}", expires.parse::<i64>().unwrap() + 3600);
        for forged in [
            "",
            "x",
            "123",
            &later,
            &format!("{expires}.{}", "0".repeat(64)),
        ] {
            assert!(!seal.verify(forged, "", NOW, "/api/login", "e"), "{forged}");
        }
    }
}
