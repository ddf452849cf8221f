//! Webhook addresses carry their robot's key, and a 钉钉 加签 secret signs for the robot:
//! both are kept sealed (ChaCha20-Poly1305, a fresh random nonce each time) under a key
//! derived from the installation's `notify_seal` secret, so a copy of the channel table
//! alone (an export, a log of rows) does not give them away. The secret lives in the same
//! database (migration 0014's `install_secret`): a full backup holds both, and is to be
//! guarded like the database itself (docs/SECURITY.md).

use crate::store::{Result, Store, StoreError};
use base64::Engine;
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};

/// The prefix of a sealed value: the scheme's version.
const PREFIX: &str = "v1:";

/// The key that seals and opens channel targets and secrets.
pub struct NotifySeal {
    key: LessSafeKey,
}

impl NotifySeal {
    /// A seal keyed by HMAC-SHA256 of a fixed label under `secret`.
    pub fn new(secret: &[u8]) -> Self {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes any key");
        mac.update(b"xingshen notify channel seal v1");
        let derived = mac.finalize().into_bytes();
        let key = UnboundKey::new(&CHACHA20_POLY1305, &derived).expect("a 32-byte key");
        Self {
            key: LessSafeKey::new(key),
        }
    }

    /// The installation's seal.
    pub async fn load(store: &Store) -> Result<Self> {
        Ok(Self::new(store.notify_seal_secret().await?.as_bytes()))
    }

    /// `plain` sealed: `v1:` and base64 of nonce, ciphertext and tag.
    pub fn seal(&self, plain: &str) -> String {
        use rand::RngCore;
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let mut data = plain.as_bytes().to_vec();
        self.key
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut data)
            .expect("sealing a short text cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&data);
        format!(
            "{PREFIX}{}",
            base64::engine::general_purpose::STANDARD.encode(out)
        )
    }

    /// The text of a sealed value; an error if it was altered or sealed under another key.
    pub fn open(&self, sealed: &str) -> Result<String> {
        let refused = || StoreError::Database("a sealed notification secret does not open".into());
        let raw = sealed.strip_prefix(PREFIX).ok_or_else(refused)?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(raw)
            .map_err(|_| refused())?;
        if bytes.len() < NONCE_LEN {
            return Err(refused());
        }
        let (nonce, data) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| refused())?;
        let mut data = data.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::empty(), &mut data)
            .map_err(|_| refused())?;
        String::from_utf8(plain.to_vec()).map_err(|_| refused())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_address_opens_only_under_its_own_key_and_never_shows_in_the_sealed_form() {
        let seal = NotifySeal::new(b"one");
        let address = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcd-1234";
        let sealed = seal.seal(address);
        assert!(!sealed.contains("abcd"));
        assert_ne!(sealed, seal.seal(address), "a fresh nonce each time");
        assert_eq!(seal.open(&sealed).unwrap(), address);
        assert!(NotifySeal::new(b"two").open(&sealed).is_err());
        let mut altered = sealed.clone();
        altered.replace_range(10..11, if &sealed[10..11] == "A" { "B" } else { "A" });
        assert!(seal.open(&altered).is_err());
    }
}
