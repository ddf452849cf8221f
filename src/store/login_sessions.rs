//! Login sessions for `tower-sessions`, kept in SurrealDB so that every app instance sees
//! the same sessions and a password change or a disabled account can end them all.

use super::{Store, StoreError, record};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use surrealdb::types::SurrealValue;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

/// The session-data key that holds the logged-in user's key. The store copies it into an
/// indexed field so sessions can be found by user.
pub const USER_ID_KEY: &str = "user_id";

/// The record key of a session: the SHA-256 of its id, so the database never holds a
/// usable cookie value.
pub fn login_session_key(id: &Id) -> String {
    format!("{:x}", Sha256::digest(id.to_string().as_bytes()))
}

#[derive(Clone)]
pub struct LoginSessionStore {
    store: Store,
}

impl std::fmt::Debug for LoginSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LoginSessionStore")
    }
}

impl LoginSessionStore {
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

#[derive(SurrealValue)]
struct LoginSessionRow {
    data: String,
    expires_at: DateTime<Utc>,
}

fn backend(error: StoreError) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

fn to_chrono(at: time::OffsetDateTime) -> DateTime<Utc> {
    DateTime::from_timestamp(at.unix_timestamp(), at.nanosecond()).unwrap_or_default()
}

fn to_time(at: DateTime<Utc>) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(at.timestamp())
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// How many times a session write is tried when another request wrote the same session
/// at the same moment; between tries it waits a random while, up to twice as long each
/// time, so that writers that collided do not collide again (at most about 0.5 s in all).
const WRITE_ATTEMPTS: u32 = 8;

/// SurrealDB's answer when two transactions wrote the same record at once.
fn is_write_conflict(error: &StoreError) -> bool {
    matches!(error, StoreError::Database(message) if message.contains("can be retried"))
}

impl LoginSessionStore {
    /// Writes the session: a new one (`CREATE`), or an existing one again (`UPDATE`, which
    /// never brings back a session that logout or a password change deleted meanwhile).
    async fn write(&self, record_: &Record, new: bool) -> Result<(), StoreError> {
        let data = serde_json::to_string(&record_.data)
            .map_err(|error| StoreError::Database(error.to_string()))?;
        let user = record_
            .data
            .get(USER_ID_KEY)
            .and_then(|value| value.as_str())
            .map(|key| record("user", key));
        let statement = if new {
            "CREATE $id SET user = $user, data = $data, expires_at = $expires_at"
        } else {
            "UPDATE $id SET user = $user, data = $data, expires_at = $expires_at"
        };
        let mut attempt = 1;
        loop {
            let written = self
                .store
                .run(
                    self.store
                        .db()
                        .query(statement)
                        .bind((
                            "id",
                            record("login_session", &login_session_key(&record_.id)),
                        ))
                        .bind(("user", user.clone()))
                        .bind(("data", data.clone()))
                        .bind(("expires_at", to_chrono(record_.expiry_date))),
                )
                .await;
            match written {
                // The parallel requests of one page each refresh the same session; they
                // carry the same login, so writing again after a conflict loses nothing.
                Err(error) if is_write_conflict(&error) && attempt < WRITE_ATTEMPTS => {
                    use rand::Rng;
                    let wait = rand::rng().random_range(0..2u64 << attempt);
                    tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
                    attempt += 1;
                }
                other => return other.map(drop),
            }
        }
    }
}

#[async_trait::async_trait]
impl SessionStore for LoginSessionStore {
    async fn create(&self, record_: &mut Record) -> session_store::Result<()> {
        // A 128-bit random id practically never collides, but never overwrite one that does.
        loop {
            match self.write(record_, true).await {
                Err(StoreError::Database(message)) if message.contains("already exists") => {
                    record_.id = Id::default();
                }
                other => return other.map_err(backend),
            }
        }
    }

    async fn save(&self, record_: &Record) -> session_store::Result<()> {
        self.write(record_, false).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let mut rows: Vec<LoginSessionRow> = self
            .store
            .run(
                self.store
                    .db()
                    .query("SELECT data, expires_at FROM $id WHERE expires_at > time::now()")
                    .bind(("id", record("login_session", &login_session_key(id)))),
            )
            .await
            .map_err(backend)?
            .take(0)
            .map_err(|error| backend(error.into()))?;
        let Some(row) = rows.pop() else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data)
            .map_err(|error| session_store::Error::Decode(error.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date: to_time(row.expires_at),
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.store
            .run(
                self.store
                    .db()
                    .query("DELETE $id")
                    .bind(("id", record("login_session", &login_session_key(id)))),
            )
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for LoginSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        self.store
            .run(
                self.store
                    .db()
                    .query("DELETE login_session WHERE expires_at <= time::now()"),
            )
            .await
            .map_err(backend)?;
        Ok(())
    }
}
