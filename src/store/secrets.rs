//! Secrets of this installation, kept with its data: made once, on first use.

use super::{Result, Store, StoreError, record};

/// The table of installation secrets (migration 0014).
const TABLE: &str = "install_secret";
/// The key of the secret that seals error texts carried in page addresses.
const LINK_SEAL: &str = "link_seal";
/// The key of the secret that seals notification webhook addresses and signing secrets.
const NOTIFY_SEAL: &str = "notify_seal";

impl Store {
    /// The secret that seals what the server writes into a page address (see
    /// `auth::link_seal`): read, or made and stored the first time it is needed.
    pub async fn link_seal_secret(&self) -> Result<String> {
        self.made_once(LINK_SEAL).await
    }

    /// The secret that seals the webhook addresses and 钉钉 signing secrets of notification
    /// channels at rest (see `notify::seal`): read, or made the first time it is needed.
    pub async fn notify_seal_secret(&self) -> Result<String> {
        self.made_once(NOTIFY_SEAL).await
    }

    async fn made_once(&self, key: &str) -> Result<String> {
        if let Some(secret) = self.install_secret(key).await? {
            return Ok(secret);
        }
        // Two instances may make it at once: the second CREATE fails on the taken key, and
        // both go on with the one that was stored.
        let made = self
            .run(
                self.db()
                    .query("CREATE $id SET secret = $secret, created_at = time::now()")
                    .bind(("id", record(TABLE, key)))
                    .bind(("secret", fresh_secret())),
            )
            .await;
        if let Err(error) = made {
            tracing::info!(%error, key, "the secret was made by another instance");
        }
        self.install_secret(key)
            .await?
            .ok_or_else(|| StoreError::Database(format!("the {key} secret was not stored")))
    }

    async fn install_secret(&self, key: &str) -> Result<Option<String>> {
        let mut values: Vec<String> = self
            .run(
                self.db()
                    .query("SELECT VALUE secret FROM $id")
                    .bind(("id", record(TABLE, key))),
            )
            .await?
            .take(0)?;
        Ok(values.pop())
    }
}

/// 32 random bytes from the operating system's generator (through `rand`'s thread RNG,
/// which is seeded by it), as hex.
fn fresh_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
