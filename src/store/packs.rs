//! Policy packs an organisation uploaded. The store keeps the file's text as written (so a
//! download gives back the administrator's comments and sources) next to the few values the
//! lists need; the server checks a pack with `domain::pack::parse_pack` before it gets here.

use super::{AuditEntry, Result, Store, new_key, record};
use crate::domain::pack::Pack;
use surrealdb::types::SurrealValue;

/// A pack an organisation uploaded, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPack {
    pub key: String,
    pub name: String,
    pub year: i64,
    /// The TOML text as uploaded.
    pub source: String,
    pub uploaded_at: chrono::DateTime<chrono::Utc>,
}

#[derive(SurrealValue)]
struct StoredPackRow {
    key: String,
    name: String,
    year: i64,
    source: String,
    uploaded_at: chrono::DateTime<chrono::Utc>,
}

impl Store {
    /// Stores a checked pack for the organisation, replacing the one of the same key;
    /// audited in the same transaction.
    pub async fn save_org_pack(
        &self,
        org_id: &str,
        pack: &Pack,
        source: &str,
        audit: &AuditEntry,
    ) -> Result<()> {
        let mut audit = audit.clone();
        audit.target = Some(pack.key.clone());
        self.run(
            audit.bind(
                self.db()
                    .query(concat!(
                        "BEGIN;
                     DELETE policy_pack WHERE org = $org AND key = $key;
                     CREATE $id SET org = $org, key = $key, name = $name, year = $year,
                        source = $source, uploaded_by = $audit_actor, uploaded_at = time::now();",
                        insert_audit!(),
                        "COMMIT;"
                    ))
                    .bind(("id", record("policy_pack", &new_key())))
                    .bind(("org", record("org", org_id)))
                    .bind(("key", pack.key.clone()))
                    .bind(("name", pack.template.name.clone()))
                    .bind(("year", i64::from(pack.year)))
                    .bind(("source", source.to_string())),
            ),
        )
        .await?;
        Ok(())
    }

    /// The organisation's uploaded packs, newest year first.
    pub async fn org_packs(&self, org_id: &str) -> Result<Vec<StoredPack>> {
        let rows: Vec<StoredPackRow> = self
            .run(
                self.db()
                    .query(
                        "SELECT key, name, year, source, uploaded_at FROM policy_pack
                         WHERE org = $org ORDER BY year DESC, key",
                    )
                    .bind(("org", record("org", org_id))),
            )
            .await?
            .take(0)?;
        Ok(rows
            .into_iter()
            .map(|row| StoredPack {
                key: row.key,
                name: row.name,
                year: row.year,
                source: row.source,
                uploaded_at: row.uploaded_at,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pack::{parse_pack, shipped_pack_text};

    #[tokio::test]
    async fn a_pack_uploaded_again_replaces_the_first_and_stays_in_its_organisation() {
        let store = Store::in_memory().await.unwrap();
        let org = "someorg".to_string();
        let text = shipped_pack_text("2025-branch-member").unwrap();
        let pack = parse_pack(text).unwrap();
        let audit = AuditEntry::new("pack.upload");
        store
            .save_org_pack(&org, &pack, text, &audit)
            .await
            .unwrap();
        let changed = text.replace("组织生活会（党员个人，2025年度）", "本单位的模板");
        let pack = parse_pack(&changed).unwrap();
        store
            .save_org_pack(&org, &pack, &changed, &audit)
            .await
            .unwrap();
        let stored = store.org_packs(&org).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].name, "本单位的模板");
        assert_eq!(stored[0].source, changed);
        assert!(store.org_packs("elsewhere").await.unwrap().is_empty());
    }
}
