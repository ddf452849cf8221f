//! Organisations and their branches.

use super::{AuditEntry, CountRow, Result, Store, new_key, record};
use crate::domain::BranchName;
use crate::domain::ledger::WarningTiers;
use crate::domain::org::GroupKind;
use surrealdb::types::SurrealValue;

/// An organisation as listed.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct OrgRow {
    pub id: String,
    pub name: String,
}

/// A branch with the numbers an administrator wants to see.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct BranchRow {
    pub id: String,
    pub name: String,
    /// `GroupKind`'s code; `None` for groups from before there were kinds (支部).
    pub kind: Option<String>,
    pub member_count: i64,
    pub secretaries: Vec<String>,
}

#[derive(SurrealValue)]
struct TiersRow {
    yellow: Option<i64>,
    red: Option<i64>,
}

impl Store {
    /// The organisation's warning tiers (the defaults where none are set).
    pub async fn warning_tiers(&self, org_id: &str) -> Result<WarningTiers> {
        let rows: Vec<TiersRow> = self
            .run(
                self.db()
                    .query("SELECT ledger_yellow_days AS yellow, ledger_red_days AS red FROM $org")
                    .bind(("org", record("org", org_id))),
            )
            .await?
            .take(0)?;
        let defaults = WarningTiers::default();
        Ok(rows
            .into_iter()
            .next()
            .map(|row| WarningTiers {
                yellow_days: row.yellow.unwrap_or(defaults.yellow_days),
                red_days: row.red.unwrap_or(defaults.red_days),
            })
            .unwrap_or(defaults))
    }

    /// Sets the organisation's warning tiers, with its audit row.
    pub async fn set_warning_tiers(
        &self,
        org_id: &str,
        tiers: WarningTiers,
        audit: &AuditEntry,
    ) -> Result<()> {
        self.run(
            audit.bind(
                self.db()
                    .query(concat!(
                        "BEGIN;
                     UPDATE $org SET ledger_yellow_days = $yellow, ledger_red_days = $red;",
                        insert_audit!(),
                        "COMMIT;"
                    ))
                    .bind(("org", record("org", org_id)))
                    .bind(("yellow", tiers.yellow_days))
                    .bind(("red", tiers.red_days)),
            ),
        )
        .await?;
        Ok(())
    }

    /// Creates an organisation and returns its key.
    pub async fn create_org(&self, name: &str) -> Result<String> {
        let key = new_key();
        self.run(
            self.db()
                .query("CREATE $id SET name = $name, created_at = time::now()")
                .bind(("id", record("org", &key)))
                .bind(("name", name.to_string())),
        )
        .await?;
        Ok(key)
    }

    /// All organisations, oldest first.
    pub async fn list_orgs(&self) -> Result<Vec<OrgRow>> {
        Ok(self.run(self.db().query(
            "SELECT type::string(record::id(id)) AS id, name, created_at FROM org ORDER BY created_at",
        ))
        .await?
        .take(0)?)
    }

    /// Whether the database holds no organisation yet (a fresh install).
    pub async fn is_empty(&self) -> Result<bool> {
        let rows: Vec<CountRow> = self
            .run(
                self.db()
                    .query("SELECT count() AS count FROM org GROUP ALL"),
            )
            .await?
            .take(0)?;
        Ok(rows.first().map(|r| r.count).unwrap_or(0) == 0)
    }

    /// Creates a branch (党支部) in an organisation; a duplicate name is a conflict.
    pub async fn create_branch(
        &self,
        org_id: &str,
        name: &BranchName,
        audit: &AuditEntry,
    ) -> Result<String> {
        self.create_group(org_id, name, GroupKind::Branch, audit)
            .await
    }

    /// Creates a group of either kind (党支部 / 领导班子) in an organisation.
    pub async fn create_group(
        &self,
        org_id: &str,
        name: &BranchName,
        kind: GroupKind,
        audit: &AuditEntry,
    ) -> Result<String> {
        let key = new_key();
        let query = self
            .db()
            .query(concat!(
                "BEGIN; CREATE $id SET org = $org, name = $name, kind = $kind, created_at = time::now();",
                insert_audit!(),
                "COMMIT;"
            ))
            .bind(("id", record("branch", &key)))
            .bind(("org", record("org", org_id)))
            .bind(("name", name.as_str().to_string()))
            .bind(("kind", kind.code()));
        self.run(audit.bind(query)).await?;
        Ok(key)
    }

    /// Makes a group a 党支部 or a 领导班子; its members, meetings and ledger stay.
    pub async fn set_group_kind(
        &self,
        branch_id: &str,
        kind: GroupKind,
        audit: &AuditEntry,
    ) -> Result<()> {
        let query = self
            .db()
            .query(concat!(
                "BEGIN; UPDATE $id SET kind = $kind;",
                insert_audit!(),
                "COMMIT;"
            ))
            .bind(("id", record("branch", branch_id)))
            .bind(("kind", kind.code()));
        self.run(audit.bind(query)).await?;
        Ok(())
    }

    /// The kind of a group (支部 when it has none or does not exist).
    pub async fn group_kind(&self, branch_id: &str) -> Result<GroupKind> {
        let kinds: Vec<Option<String>> = self
            .run(
                self.db()
                    .query("SELECT VALUE kind FROM $id")
                    .bind(("id", record("branch", branch_id))),
            )
            .await?
            .take(0)?;
        Ok(GroupKind::from_stored(
            kinds.into_iter().flatten().next().as_deref(),
        ))
    }

    /// The branches of an organisation by name, with member counts and secretaries.
    pub async fn list_branches(&self, org_id: &str) -> Result<Vec<BranchRow>> {
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(id)) AS id, name, kind,
                    fn::member_count(id) AS member_count, fn::secretary_names(id) AS secretaries
                 FROM branch WHERE org = $org ORDER BY name",
                    )
                    .bind(("org", record("org", org_id))),
            )
            .await?
            .take(0)?)
    }

    /// Looks a branch up by its exact name within an organisation.
    pub async fn find_branch_by_name(&self, org_id: &str, name: &str) -> Result<Option<String>> {
        let ids: Vec<String> = self.run(self
            .db()
            .query("SELECT VALUE type::string(record::id(id)) FROM branch WHERE org = $org AND name = $name")
            .bind(("org", record("org", org_id)))
            .bind(("name", name.to_string())))
        .await?
        .take(0)?;
        Ok(ids.into_iter().next())
    }

    /// Whether a branch exists in the given organisation.
    pub async fn branch_in_org(&self, org_id: &str, branch_id: &str) -> Result<bool> {
        let ids: Vec<String> = self
            .run(
                self.db()
                    .query(
                        "SELECT VALUE type::string(record::id(id)) FROM $branch WHERE org = $org",
                    )
                    .bind(("branch", record("branch", branch_id)))
                    .bind(("org", record("org", org_id))),
            )
            .await?
            .take(0)?;
        Ok(!ids.is_empty())
    }
}
