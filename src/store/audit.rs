//! The audit trail: who did what, when, from where. Rows are appended in the same
//! transaction as the change they describe, so a change never exists without its row.

use super::{Result, Store, record};
use surrealdb::engine::any::Any;
use surrealdb::method::Query;
use surrealdb::types::SurrealValue;

/// One audit row to append alongside a change.
#[derive(Debug, Clone, Default)]
pub struct AuditEntry {
    pub org_id: Option<String>,
    pub actor_id: Option<String>,
    /// A stable code such as `login.ok` or `user.create`.
    pub action: &'static str,
    /// What was acted on, e.g. a login name or a record key.
    pub target: Option<String>,
    pub detail: Option<String>,
    pub ip: Option<String>,
}

impl AuditEntry {
    pub fn new(action: &'static str) -> Self {
        Self {
            action,
            ..Self::default()
        }
    }

    /// Binds the `$audit_*` parameters used by `insert_audit!()`.
    pub(crate) fn bind<'a>(&self, query: Query<'a, Any>) -> Query<'a, Any> {
        query
            .bind((
                "audit_org",
                self.org_id.as_deref().map(|k| record("org", k)),
            ))
            .bind((
                "audit_actor",
                self.actor_id.as_deref().map(|k| record("user", k)),
            ))
            .bind(("audit_action", self.action))
            .bind(("audit_target", self.target.clone()))
            .bind(("audit_detail", self.detail.clone()))
            .bind(("audit_ip", self.ip.clone()))
    }
}

/// An audit row as shown to administrators.
#[derive(Debug, Clone, SurrealValue)]
pub struct AuditRow {
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_name: Option<String>,
    pub action: String,
    pub target: Option<String>,
    pub detail: Option<String>,
    pub ip: Option<String>,
}

impl Store {
    /// Appends an audit row on its own (for events that change nothing else, like a
    /// failed login).
    pub async fn record_audit(&self, entry: &AuditEntry) -> Result<()> {
        self.run(entry.bind(self.db().query(insert_audit!())))
            .await?;
        Ok(())
    }

    /// The newest audit rows of an organisation.
    pub async fn recent_audit(&self, org_id: &str, limit: i64) -> Result<Vec<AuditRow>> {
        Ok(self.run(self
            .db()
            .query("SELECT at, actor.name AS actor_name, action, target, detail, ip FROM audit_event WHERE org = $org ORDER BY at DESC LIMIT $limit")
            .bind(("org", record("org", org_id)))
            .bind(("limit", limit)))
        .await?
        .take(0)?)
    }

    /// How many audit rows match an action (and optionally a target); used by tests and
    /// by the throttling report.
    pub async fn count_audit(&self, action: &str, target: Option<&str>) -> Result<i64> {
        let rows: Vec<super::CountRow> = self.run(self
            .db()
            .query("SELECT count() AS count FROM audit_event WHERE action = $action AND ($target = NONE OR target = $target) GROUP ALL")
            .bind(("action", action.to_string()))
            .bind(("target", target.map(str::to_string))))
        .await?
        .take(0)?;
        Ok(rows.first().map(|r| r.count).unwrap_or(0))
    }
}
