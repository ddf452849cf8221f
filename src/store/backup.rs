//! Backup and restore of the whole database through SurrealDB's own export and import: a
//! SurrealQL script with the schema and then every record, migration records included, so a
//! restored database knows which migrations it has.
//!
//! The SDK exports from the embedded engines only (`surrealkv://`, `mem://`); a SurrealDB
//! server is backed up with its own `surreal export` (docs/OPERATIONS.md).

use super::{Result, Store, StoreError};
use sha2::{Digest, Sha256};
use std::path::Path;

/// One table of a fingerprint: its name, how many rows, and a SHA-256 of the rows in key
/// order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TablePrint {
    pub table: String,
    pub rows: usize,
    pub sha256: String,
}

fn unsupported(error: surrealdb::Error) -> StoreError {
    StoreError::Database(format!(
        "{}（备份与恢复只支持内嵌数据库 surrealkv:// 和 mem://；SurrealDB 服务器请用 surreal export / import）",
        error.message()
    ))
}

impl Store {
    /// Writes the whole database to `path` as a SurrealQL script.
    pub async fn backup_to(&self, path: &Path) -> Result<()> {
        self.db().export(path).await.map_err(unsupported)?;
        Ok(())
    }

    /// Loads a backup into the empty database at `endpoint`, then applies any migration
    /// newer than the backup. A database that holds anything is refused untouched.
    pub async fn restore(endpoint: &str, path: &Path) -> Result<Self> {
        if !path.is_file() {
            return Err(StoreError::Conflict(format!(
                "找不到备份文件 {}",
                path.display()
            )));
        }
        let (store, _) = Self::open(endpoint, super::DATABASE).await?;
        if !store.table_names().await?.is_empty() {
            return Err(StoreError::Conflict(
                "目标数据库不是空的：恢复只能写入一个新的空数据库，原有数据未作任何改动".into(),
            ));
        }
        store.db().import(path).await.map_err(unsupported)?;
        super::migrations::apply(&store).await?;
        Ok(store)
    }

    /// The tables the database defines, sorted.
    pub async fn table_names(&self) -> Result<Vec<String>> {
        let info: Option<surrealdb::types::Value> =
            self.run(self.db().query("INFO FOR DB")).await?.take(0)?;
        let mut names: Vec<String> = info
            .map(|info| info.into_json_value())
            .and_then(|info| info.get("tables").and_then(|t| t.as_object()).cloned())
            .map(|tables| tables.keys().cloned().collect())
            .unwrap_or_default();
        names.sort();
        Ok(names)
    }

    /// Every table with its row count and a hash of its rows: two databases with the same
    /// fingerprint hold the same records.
    pub async fn fingerprint(&self) -> Result<Vec<TablePrint>> {
        let mut prints = Vec::new();
        for table in self.table_names().await? {
            let mut rows: Vec<String> = self
                .table_json(&table)
                .await?
                .into_iter()
                .map(|row| row.to_string())
                .collect();
            rows.sort();
            let mut hash = Sha256::new();
            for row in &rows {
                hash.update(row.as_bytes());
                hash.update(b"\n");
            }
            prints.push(TablePrint {
                table,
                rows: rows.len(),
                sha256: format!("{:x}", hash.finalize()),
            });
        }
        Ok(prints)
    }
}
