//! The organisation tree (issue 28): nodes (`org` records with an optional parent), the
//! subtree below a node, and the changes an administrator makes to it. Every scope check
//! of an administrator goes through [`Store::subtree_ids`] or [`Store::node_within`].

use super::{AuditEntry, Result, Store, new_key, record};
use crate::domain::BranchName;
use crate::domain::tree::{NodeKind, NodeName, NodePath};
use surrealdb::types::{RecordId, SurrealValue};

/// How many levels a walk up or down the tree goes at most. The tree is built one child at
/// a time and only a root is ever hung under another node (never under its own subtree), so
/// it has no cycle; the bound only makes sure a damaged database cannot make a walk run for
/// ever.
const MAX_LEVELS: usize = 32;

/// A node's parent as a key, NONE for a root (`record::id` of NONE would be an error).
macro_rules! parent_key {
    () => {
        "IF parent = NONE { NONE } ELSE { type::string(record::id(parent)) }"
    };
}

/// A node of the tree as the administration page lists it.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct NodeRow {
    pub id: String,
    pub name: String,
    /// The stored [`NodeKind`] code, if a kind was set.
    pub kind: Option<String>,
    pub parent: Option<String>,
}

impl NodeRow {
    /// The node's kind; an unknown stored code reads as none rather than failing a page.
    pub fn kind(&self) -> Option<NodeKind> {
        self.kind.as_deref().and_then(NodeKind::from_code)
    }
}

/// A branch with the node it hangs under.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct PlacedBranch {
    pub id: String,
    pub name: String,
    pub node: String,
    pub member_count: i64,
}

/// An active administrator of a node.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct NodeAdmin {
    pub node: String,
    pub name: String,
    pub login: String,
}

impl Store {
    /// The ids of `root` and of every node below it, level by level (`root` first): one
    /// read of the `org_parent` index per level.
    pub async fn subtree_ids(&self, root: &str) -> Result<Vec<String>> {
        let mut all = vec![root.to_string()];
        let mut frontier = vec![record("org", root)];
        for _ in 0..MAX_LEVELS {
            if frontier.is_empty() {
                break;
            }
            let children: Vec<String> = self
                .run(
                    self.db()
                        .query(
                            "SELECT VALUE type::string(record::id(id)) FROM org
                             WHERE parent IN $frontier",
                        )
                        .bind(("frontier", frontier)),
                )
                .await?
                .take(0)?;
            // A node already seen is not walked again, whatever the stored links say.
            let new: Vec<String> = children
                .into_iter()
                .filter(|id| !all.contains(id))
                .collect();
            frontier = new.iter().map(|id| record("org", id)).collect();
            all.extend(new);
        }
        Ok(all)
    }

    /// Whether `node` is `root` or lies below it: a walk up from `node`, as long as the tree
    /// is deep (a handful of reads), never across it.
    pub async fn node_within(&self, root: &str, node: &str) -> Result<bool> {
        let mut current = node.to_string();
        for _ in 0..MAX_LEVELS {
            if current == root {
                return Ok(true);
            }
            let parents: Vec<Option<String>> = self
                .run(
                    self.db()
                        .query(concat!("SELECT VALUE ", parent_key!(), " FROM $node"))
                        .bind(("node", record("org", &current))),
                )
                .await?
                .take(0)?;
            match parents.into_iter().next().flatten() {
                Some(parent) => current = parent,
                None => return Ok(false),
            }
        }
        Ok(false)
    }

    /// The node a branch hangs under, if the branch exists.
    pub async fn branch_node(&self, branch_id: &str) -> Result<Option<String>> {
        let ids: Vec<String> = self
            .run(
                self.db()
                    .query("SELECT VALUE type::string(record::id(org)) FROM $branch")
                    .bind(("branch", record("branch", branch_id))),
            )
            .await?
            .take(0)?;
        Ok(ids.into_iter().next())
    }

    /// These nodes (a subtree, as [`Store::subtree_ids`] gives it), oldest first.
    pub async fn nodes(&self, ids: &[String]) -> Result<Vec<NodeRow>> {
        Ok(self
            .run(
                self.db()
                    .query(concat!(
                        "SELECT type::string(record::id(id)) AS id, name, kind, ",
                        parent_key!(),
                        " AS parent, created_at FROM org WHERE id IN $ids ORDER BY created_at"
                    ))
                    .bind(("ids", records("org", ids))),
            )
            .await?
            .take(0)?)
    }

    /// The branches under these nodes, by name, with their member counts.
    pub async fn branches_under(&self, nodes: &[String]) -> Result<Vec<PlacedBranch>> {
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(id)) AS id, name,
                            type::string(record::id(org)) AS node, fn::member_count(id) AS member_count
                         FROM branch WHERE org IN $nodes ORDER BY name",
                    )
                    .bind(("nodes", records("org", nodes))),
            )
            .await?
            .take(0)?)
    }

    /// The administrators of these nodes who can still sign in, by name.
    pub async fn node_admins(&self, nodes: &[String]) -> Result<Vec<NodeAdmin>> {
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(org)) AS node, name, login FROM user
                         WHERE org IN $nodes AND is_org_admin = true AND disabled = false
                         ORDER BY name",
                    )
                    .bind(("nodes", records("org", nodes))),
            )
            .await?
            .take(0)?)
    }

    /// Creates a node below `parent`; a sibling of the same name is a conflict.
    pub async fn create_node(
        &self,
        parent: &str,
        name: &NodeName,
        kind: Option<NodeKind>,
        audit: &AuditEntry,
    ) -> Result<String> {
        let key = new_key();
        let query = self
            .db()
            .query(concat!(
                "BEGIN; CREATE $id SET parent = $above, name = $name, kind = $kind,
                    created_at = time::now();",
                insert_audit!(),
                "COMMIT;"
            ))
            .bind(("id", record("org", &key)))
            .bind(("above", record("org", parent)))
            .bind(("name", name.as_str().to_string()))
            .bind(("kind", kind.map(|kind| kind.code().to_string())));
        self.run(audit.bind(query)).await?;
        Ok(key)
    }

    /// Renames a node and sets its kind.
    pub async fn update_node(
        &self,
        node: &str,
        name: &NodeName,
        kind: Option<NodeKind>,
        audit: &AuditEntry,
    ) -> Result<()> {
        let query = self
            .db()
            .query(concat!(
                "BEGIN; UPDATE $node SET name = $name, kind = $kind;",
                insert_audit!(),
                "COMMIT;"
            ))
            .bind(("node", record("org", node)))
            .bind(("name", name.as_str().to_string()))
            .bind(("kind", kind.map(|kind| kind.code().to_string())));
        self.run(audit.bind(query)).await?;
        Ok(())
    }

    /// Hangs a branch under another node. Its meetings, materials and ledger refer to the
    /// branch, not to the node, so they move with it; the ledger items' copy of the node
    /// (`ledger_item.org`, kept for the roll-up index) is computed again in the same
    /// transaction. A branch of the same name under the new node is a conflict.
    pub async fn move_branch(&self, branch: &str, node: &str, audit: &AuditEntry) -> Result<()> {
        let query = self
            .db()
            .query(concat!(
                "BEGIN; UPDATE $branch SET org = $node;
                 UPDATE ledger_item WHERE branch = $branch;",
                insert_audit!(),
                "COMMIT;"
            ))
            .bind(("branch", record("branch", branch)))
            .bind(("node", record("org", node)));
        self.run(audit.bind(query)).await?;
        Ok(())
    }

    /// Hangs a root (an organisation made before it had a 上级, or on its own) under
    /// `parent`, so that a 上级党委 can be put above organisations that already work;
    /// `false`, changing nothing, if `node` is not a root or `parent` lies below `node`
    /// (which would make a cycle).
    pub async fn attach_root(&self, node: &str, parent: &str, audit: &AuditEntry) -> Result<bool> {
        let is_root = self
            .nodes(&[node.to_string()])
            .await?
            .first()
            .is_some_and(|row| row.parent.is_none());
        if !is_root || self.node_within(node, parent).await? {
            return Ok(false);
        }
        let query = self
            .db()
            .query(concat!(
                "BEGIN; UPDATE $node SET parent = $above;",
                insert_audit!(),
                "COMMIT;"
            ))
            .bind(("node", record("org", node)))
            .bind(("above", record("org", parent)));
        self.run(audit.bind(query)).await?;
        Ok(true)
    }

    /// The child of `parent` with this name, if any.
    pub async fn child_named(&self, parent: &str, name: &NodeName) -> Result<Option<String>> {
        let ids: Vec<String> = self
            .run(
                self.db()
                    .query(
                        "SELECT VALUE type::string(record::id(id)) FROM org
                         WHERE parent = $above AND name = $name",
                    )
                    .bind(("above", record("org", parent)))
                    .bind(("name", name.as_str().to_string())),
            )
            .await?
            .take(0)?;
        Ok(ids.into_iter().next())
    }

    /// The node at `path` below `root`, each missing node created on the way (with the
    /// kind its name implies: "机关党总支" is a 党总支).
    pub async fn ensure_path(
        &self,
        root: &str,
        path: &NodePath,
        audit: &AuditEntry,
    ) -> Result<String> {
        let mut node = root.to_string();
        for name in path.nodes() {
            node = match self.child_named(&node, name).await? {
                Some(child) => child,
                None => {
                    self.create_node(&node, name, NodeKind::implied_by(name), audit)
                        .await?
                }
            };
        }
        Ok(node)
    }

    /// The branch of this name under `node`, created if it is missing.
    pub async fn ensure_branch(
        &self,
        node: &str,
        name: &BranchName,
        audit: &AuditEntry,
    ) -> Result<String> {
        match self.find_branch_by_name(node, name.as_str()).await? {
            Some(id) => Ok(id),
            None => self.create_branch(node, name, audit).await,
        }
    }
}

fn records(table: &str, keys: &[String]) -> Vec<RecordId> {
    keys.iter().map(|key| record(table, key)).collect()
}
