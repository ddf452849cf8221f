//! Secret calendar addresses: a person's own 整改 dates, or a branch's for its secretary.

use super::{AuditEntry, Result, Store, record};
use surrealdb::types::SurrealValue;

/// Whose dates a feed lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedScope {
    Own,
    Branch(String),
}

/// A feed as its owner sees it, and as the calendar route resolves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarFeed {
    pub owner_id: String,
    pub scope: FeedScope,
    pub token: String,
}

#[derive(SurrealValue)]
struct FeedRow {
    owner_id: String,
    branch_id: Option<String>,
    token: String,
}

impl From<FeedRow> for CalendarFeed {
    fn from(row: FeedRow) -> Self {
        Self {
            owner_id: row.owner_id,
            scope: row.branch_id.map_or(FeedScope::Own, FeedScope::Branch),
            token: row.token,
        }
    }
}

macro_rules! feed_fields {
    () => {
        "SELECT type::string(record::id(owner)) AS owner_id,
            IF branch THEN type::string(record::id(branch)) END AS branch_id, token
         FROM calendar_feed "
    };
}

fn branch_of(scope: &FeedScope) -> Option<surrealdb::types::RecordId> {
    match scope {
        FeedScope::Own => None,
        FeedScope::Branch(id) => Some(record("branch", id)),
    }
}

impl Store {
    /// The person's feeds.
    pub async fn calendar_feeds(&self, owner_id: &str) -> Result<Vec<CalendarFeed>> {
        let rows: Vec<FeedRow> = self
            .run(
                self.db()
                    .query(concat!(feed_fields!(), "WHERE owner = $owner"))
                    .bind(("owner", record("user", owner_id))),
            )
            .await?
            .take(0)?;
        Ok(rows.into_iter().map(CalendarFeed::from).collect())
    }

    /// The feed a secret address names.
    pub async fn calendar_feed(&self, token: &str) -> Result<Option<CalendarFeed>> {
        let rows: Vec<FeedRow> = self
            .run(
                self.db()
                    .query(concat!(feed_fields!(), "WHERE token = $secret"))
                    .bind(("secret", token.to_string())),
            )
            .await?
            .take(0)?;
        Ok(rows.into_iter().next().map(CalendarFeed::from))
    }

    /// Issues `token` for the scope, replacing (and so revoking) any earlier address.
    pub async fn issue_calendar_feed(
        &self,
        owner_id: &str,
        scope: &FeedScope,
        token: &str,
        audit: &AuditEntry,
    ) -> Result<()> {
        self.run(
            audit.bind(
                self.db()
                    .query(concat!(
                        "BEGIN;
                     DELETE calendar_feed WHERE owner = $owner AND branch = $branch;
                     CREATE calendar_feed SET owner = $owner, branch = $branch, token = $secret,
                        created_at = time::now();",
                        insert_audit!(),
                        "COMMIT;"
                    ))
                    .bind(("owner", record("user", owner_id)))
                    .bind(("branch", branch_of(scope)))
                    .bind(("secret", token.to_string())),
            ),
        )
        .await?;
        Ok(())
    }

    /// Stops the scope's address from working.
    pub async fn revoke_calendar_feed(
        &self,
        owner_id: &str,
        scope: &FeedScope,
        audit: &AuditEntry,
    ) -> Result<()> {
        self.run(
            audit.bind(
                self.db()
                    .query(concat!(
                        "BEGIN;
                     DELETE calendar_feed WHERE owner = $owner AND branch = $branch;",
                        insert_audit!(),
                        "COMMIT;"
                    ))
                    .bind(("owner", record("user", owner_id)))
                    .bind(("branch", branch_of(scope))),
            ),
        )
        .await?;
        Ok(())
    }
}
