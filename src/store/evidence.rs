//! 佐证材料 of ledger items: the file's facts in `ledger_evidence`, its bytes in ordered
//! chunks, written in one transaction with the note that announces it and its audit row.

use super::{Result, Store, StoreError, new_key, record};
use crate::domain::evidence::{ACCOUNT_QUOTA, EvidenceKind, EvidenceUsage, ITEM_QUOTA};
use crate::store::AuditEntry;
use sha2::{Digest, Sha256};
use surrealdb::types::SurrealValue;

/// Small enough for every backend's value limit, large enough to keep the row count low.
const CHUNK_BYTES: usize = 512 * 1024;

/// An evidence file as lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub id: String,
    pub item_id: String,
    pub name: String,
    pub kind: EvidenceKind,
    pub size: i64,
    pub uploader_name: String,
    /// When it was uploaded (RFC 3339).
    pub at: String,
}

#[derive(SurrealValue)]
struct EvidenceRow {
    id: String,
    item_id: String,
    name: String,
    kind: EvidenceKind,
    size: i64,
    uploader_name: String,
    at: String,
}

impl From<EvidenceRow> for Evidence {
    fn from(row: EvidenceRow) -> Self {
        Self {
            id: row.id,
            item_id: row.item_id,
            name: row.name,
            kind: row.kind,
            size: row.size,
            uploader_name: row.uploader_name,
            at: row.at,
        }
    }
}

macro_rules! evidence_fields {
    () => {
        "SELECT type::string(record::id(id)) AS id, type::string(record::id(item)) AS item_id,
            name, kind, size, uploader.name AS uploader_name, type::string(at) AS at
         FROM ledger_evidence "
    };
}

/// The message of the transaction's `THROW` when a quota is full.
const QUOTA_REACHED: &str = "evidence quota reached";

/// What became of an upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceOutcome {
    /// Stored, with the evidence id.
    Stored(String),
    /// The item's or the uploader's quota was full when the write ran; nothing stored.
    OverQuota,
}

/// A new evidence file with the note it comes with.
#[derive(Debug, Clone)]
pub struct NewEvidence<'a> {
    pub item_id: &'a str,
    pub name: &'a str,
    pub kind: EvidenceKind,
    pub bytes: &'a [u8],
    /// The note's date (YYYY-MM-DD) and text (what the file shows; may be empty).
    pub on: &'a str,
    pub text: &'a str,
}

#[derive(SurrealValue)]
struct Chunk {
    index: i64,
    data: bytes::Bytes,
}

impl Store {
    /// Stores the file, its note (kind `evidence`) and the audit row (whose actor uploads),
    /// all or nothing. The quotas are checked again inside the transaction, against what is
    /// stored at that moment, so uploads racing at the limit cannot pass it together.
    pub async fn add_ledger_evidence(
        &self,
        evidence: &NewEvidence<'_>,
        audit: &AuditEntry,
    ) -> Result<EvidenceOutcome> {
        let chunks: Vec<Chunk> = evidence
            .bytes
            .chunks(CHUNK_BYTES)
            .enumerate()
            .map(|(index, data)| Chunk {
                index: index as i64,
                data: bytes::Bytes::copy_from_slice(data),
            })
            .collect();
        let key = new_key();
        let stored = self
            .run(
                audit.bind(
                    self.db()
                        .query(concat!(
                            "BEGIN;
                     LET $on_item = (SELECT count() AS files, math::sum(size) AS bytes
                        FROM ledger_evidence WHERE item = $item GROUP ALL)[0];
                     LET $mine = (SELECT count() AS files, math::sum(size) AS bytes
                        FROM ledger_evidence WHERE uploader = $audit_actor GROUP ALL)[0];
                     IF ($on_item.files ?? 0) >= $item_files
                        OR ($on_item.bytes ?? 0) + $size > $item_bytes
                        OR ($mine.files ?? 0) >= $account_files
                        OR ($mine.bytes ?? 0) + $size > $account_bytes { THROW '",
                            "evidence quota reached",
                            "' };
                     CREATE $evidence SET item = $item, uploader = $audit_actor, name = $name,
                        kind = $kind, size = $size, sha256 = $sha256, at = time::now();
                     FOR $chunk IN $chunks {
                        CREATE ledger_evidence_chunk SET evidence = $evidence,
                            index = $chunk.index, data = $chunk.data;
                     };
                     CREATE ledger_note SET item = $item, author = $audit_actor,
                        kind = 'evidence', on = $on, text = $text, evidence = $evidence,
                        at = time::now();",
                            insert_audit!(),
                            "COMMIT;"
                        ))
                        .bind(("evidence", record("ledger_evidence", &key)))
                        .bind(("item", record("ledger_item", evidence.item_id)))
                        .bind(("name", evidence.name.to_string()))
                        .bind(("kind", evidence.kind.code()))
                        .bind(("size", evidence.bytes.len() as i64))
                        .bind(("sha256", format!("{:x}", Sha256::digest(evidence.bytes))))
                        .bind(("chunks", chunks))
                        .bind(("on", evidence.on.to_string()))
                        .bind(("text", evidence.text.to_string()))
                        .bind(("item_files", ITEM_QUOTA.files as i64))
                        .bind(("item_bytes", ITEM_QUOTA.bytes as i64))
                        .bind(("account_files", ACCOUNT_QUOTA.files as i64))
                        .bind(("account_bytes", ACCOUNT_QUOTA.bytes as i64)),
                ),
            )
            .await;
        match stored {
            Ok(_) => Ok(EvidenceOutcome::Stored(key)),
            Err(StoreError::Database(message)) if message.contains(QUOTA_REACHED) => {
                Ok(EvidenceOutcome::OverQuota)
            }
            Err(error) => Err(error),
        }
    }

    /// Evidence already stored on an item and uploaded by an account, for the quotas.
    pub async fn evidence_usage(
        &self,
        item_id: &str,
        uploader_id: &str,
    ) -> Result<(EvidenceUsage, EvidenceUsage)> {
        #[derive(SurrealValue)]
        struct Usage {
            files: i64,
            bytes: Option<i64>,
        }
        let usage = |rows: Vec<Usage>| {
            rows.into_iter()
                .next()
                .map_or(EvidenceUsage::default(), |row| EvidenceUsage {
                    files: row.files.max(0) as u64,
                    bytes: row.bytes.unwrap_or(0).max(0) as u64,
                })
        };
        let mut response = self
            .run(
                self.db()
                    .query(
                        "SELECT count() AS files, math::sum(size) AS bytes FROM ledger_evidence
                         WHERE item = $item GROUP ALL;
                         SELECT count() AS files, math::sum(size) AS bytes FROM ledger_evidence
                         WHERE uploader = $uploader GROUP ALL;",
                    )
                    .bind(("item", record("ledger_item", item_id)))
                    .bind(("uploader", record("user", uploader_id))),
            )
            .await?;
        let on_item = usage(response.take(0)?);
        let by_uploader = usage(response.take(1)?);
        Ok((on_item, by_uploader))
    }

    /// An item's evidence files, oldest first.
    pub async fn ledger_evidence(&self, item_id: &str) -> Result<Vec<Evidence>> {
        let rows: Vec<EvidenceRow> = self
            .run(
                self.db()
                    .query(concat!(
                        evidence_fields!(),
                        "WHERE item = $item ORDER BY at"
                    ))
                    .bind(("item", record("ledger_item", item_id))),
            )
            .await?
            .take(0)?;
        Ok(rows.into_iter().map(Evidence::from).collect())
    }

    /// One evidence file's facts, without its bytes: enough to decide who may read it.
    pub async fn ledger_evidence_facts(&self, evidence_id: &str) -> Result<Option<Evidence>> {
        let rows: Vec<EvidenceRow> = self
            .run(
                self.db()
                    .query(concat!(evidence_fields!(), "WHERE id = $id;"))
                    .bind(("id", record("ledger_evidence", evidence_id))),
            )
            .await?
            .take(0)?;
        Ok(rows.into_iter().next().map(Evidence::from))
    }

    /// One evidence file's bytes; read only after access to it was granted.
    pub async fn ledger_evidence_bytes(&self, evidence_id: &str) -> Result<Vec<u8>> {
        let chunks: Vec<Chunk> = self
            .run(
                self.db()
                    .query(
                        "SELECT index, data FROM ledger_evidence_chunk WHERE evidence = $id
                         ORDER BY index",
                    )
                    .bind(("id", record("ledger_evidence", evidence_id))),
            )
            .await?
            .take(0)?;
        Ok(chunks.into_iter().flat_map(|chunk| chunk.data).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quota holds inside the write itself: an upload that passed the server's check
    /// while another filled the item meanwhile stores nothing.
    #[tokio::test]
    async fn an_upload_past_the_item_quota_is_refused_by_the_write_itself() {
        let store = Store::in_memory().await.unwrap();
        store
            .run(store.db().query(
                "FOR $n IN 1..=20 {
                    CREATE ledger_evidence SET item = ledger_item:full, uploader = user:someone,
                        name = 'a.pdf', kind = 'pdf', size = 10, sha256 = '', at = time::now();
                 };",
            ))
            .await
            .unwrap();
        let evidence = NewEvidence {
            item_id: "full",
            name: "b.pdf",
            kind: EvidenceKind::Pdf,
            bytes: b"%PDF-1.4",
            on: "2026-12-05",
            text: "",
        };
        let mut audit = AuditEntry::new("ledger.evidence_add");
        audit.actor_id = Some("uploader".into());
        let outcome = store.add_ledger_evidence(&evidence, &audit).await.unwrap();
        assert_eq!(outcome, EvidenceOutcome::OverQuota);
        let (on_item, _) = store.evidence_usage("full", "uploader").await.unwrap();
        assert_eq!(on_item.files, 20);
        // Another item with room takes the same file.
        let room = NewEvidence {
            item_id: "room",
            ..evidence
        };
        assert!(matches!(
            store.add_ledger_evidence(&room, &audit).await.unwrap(),
            EvidenceOutcome::Stored(_)
        ));
    }
}
