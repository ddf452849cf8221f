//! The organisation tree (issue 28) for its administrators: the nodes below their own,
//! each with its admins and branches; making a child node, renaming it, setting its kind;
//! moving a branch to another node; naming a node's administrator; and the 台账 rolled up
//! to any node of the subtree. Every function checks the node or branch it is pointed at
//! with `access::administers_node` / `administers_branch`: sideways and upward, "not found".

use super::AppError;
use super::ledger::LedgerList;
use super::users::IssuedPassword;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The administrator's subtree, their own node first, each node followed by those below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreeView {
    pub nodes: Vec<NodeView>,
}

/// One node of the tree as the administration page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeView {
    pub id: String,
    pub name: String,
    /// The kind's code ("" when none), for the form's selection.
    pub kind: String,
    /// 党委, 党总支 … or 组织 when no kind was set.
    pub kind_label: String,
    /// Levels below the administrator's own node (0 for it).
    pub depth: usize,
    /// Its administrators who can still sign in.
    pub admins: Vec<String>,
    pub branches: Vec<TreeBranch>,
}

/// A branch under a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreeBranch {
    pub id: String,
    pub name: String,
    pub member_count: i64,
}

#[cfg(feature = "ssr")]
pub(crate) mod backend {
    use super::{NodeView, TreeBranch};
    use crate::domain::tree::{NodeKind, child_of_root_above, depth_first};
    use crate::server::AppError;
    use crate::server::ledger::LedgerList;
    use crate::server::ledger::NodeTally;
    use crate::store::Store;
    use std::collections::HashMap;

    /// The subtree below `root` in reading order, with admins and branches.
    pub async fn tree(store: &Store, root: &str) -> Result<Vec<NodeView>, AppError> {
        let ids = store.subtree_ids(root).await?;
        let nodes = store.nodes(&ids).await?;
        let mut branches = store.branches_under(&ids).await?;
        let admins = store.node_admins(&ids).await?;
        let pairs: Vec<(String, Option<String>)> = nodes
            .iter()
            .map(|node| (node.id.clone(), node.parent.clone()))
            .collect();
        Ok(depth_first(root, &pairs)
            .into_iter()
            .map(|(index, depth)| {
                let node = &nodes[index];
                let kind = node.kind();
                NodeView {
                    id: node.id.clone(),
                    name: node.name.clone(),
                    kind: kind.map(|kind| kind.code().to_string()).unwrap_or_default(),
                    kind_label: NodeKind::label_of(kind).to_string(),
                    depth,
                    admins: admins
                        .iter()
                        .filter(|admin| admin.node == node.id)
                        .map(|admin| format!("{}（{}）", admin.name, admin.login))
                        .collect(),
                    branches: branches
                        .extract_if(.., |branch| branch.node == node.id)
                        .map(|branch| TreeBranch {
                            id: branch.id,
                            name: branch.name,
                            member_count: branch.member_count,
                        })
                        .collect(),
                }
            })
            .collect())
    }

    /// The 台账 of every branch below `root` (a node the caller checked the actor
    /// administers): the counts and statistics of all of them, the items needing attention,
    /// each branch's own ledger, and one row per node just below `root` to drill down to.
    pub async fn rolled_up_ledger(
        store: &Store,
        actor: &crate::domain::policy::Actor,
        root: &str,
    ) -> Result<LedgerList, AppError> {
        use crate::domain::ledger::{ItemStatus, Urgency, needing_attention};
        use crate::server::ledger::ORG_ATTENTION_ROWS;
        use crate::server::ledger::backend::{AsOf, row, summary};
        use crate::store::ledger::LedgerScope;

        let ids = store.subtree_ids(root).await?;
        let nodes = store.nodes(&ids).await?;
        let items = store.ledger_items(LedgerScope::Nodes(&ids)).await?;
        let as_of = AsOf::now(store, &actor.org_id).await?;
        let (attention, total) = needing_attention(
            items.iter().map(|item| &item.state),
            as_of.today,
            as_of.tiers,
            ORG_ATTENTION_ROWS,
        );
        let mut seen = std::collections::HashSet::new();
        let branches = items
            .iter()
            .filter(|item| seen.insert(item.branch_id.as_str()))
            .map(|item| (item.branch_id.clone(), item.branch_name.clone()))
            .collect();

        // Each item counts for the node just below `root` that its branch hangs under.
        let parent_of: HashMap<String, Option<String>> = nodes
            .iter()
            .map(|node| (node.id.clone(), node.parent.clone()))
            .collect();
        let node_of_branch: HashMap<String, String> = store
            .branches_under(&ids)
            .await?
            .into_iter()
            .map(|branch| (branch.id, branch.node))
            .collect();
        let mut tallies: Vec<NodeTally> = nodes
            .iter()
            .filter(|node| node.parent.as_deref() == Some(root))
            .map(|node| NodeTally {
                id: node.id.clone(),
                name: node.name.clone(),
                kind_label: NodeKind::label_of(node.kind()).to_string(),
                total: 0,
                closed: 0,
                overdue: 0,
            })
            .collect();
        for item in &items {
            let Some(child) = node_of_branch
                .get(&item.branch_id)
                .and_then(|node| child_of_root_above(root, node, &parent_of))
            else {
                continue;
            };
            if let Some(tally) = tallies.iter_mut().find(|tally| tally.id == child) {
                tally.total += 1;
                tally.closed += usize::from(item.state.status == ItemStatus::Closed);
                tally.overdue +=
                    usize::from(item.state.urgency(as_of.today, as_of.tiers) == Urgency::Overdue);
            }
        }
        let title = match nodes.iter().find(|node| node.id == root) {
            Some(node) if root != actor.org_id => format!("{}整改台账", node.name),
            _ => "全部支部整改台账".to_string(),
        };
        Ok(LedgerList {
            rows: attention
                .into_iter()
                .map(|index| row(&items[index], as_of))
                .collect(),
            attention_total: Some(total),
            branches,
            nodes: tallies,
            ..summary(title, "/ledger/org.xlsx".into(), &items, as_of)
        })
    }
}

/// The organisation's ledger, for its administrators: the counts and statistics of every
/// branch's items under their node (rolled up from the whole subtree), the items needing
/// attention, each branch's own ledger, and the nodes just below to drill down to.
#[server(endpoint = "org_ledger")]
pub async fn org_ledger() -> Result<LedgerList, AppError> {
    use super::context::{actor, audit, state};

    let actor = actor().await?;
    if !actor.is_org_admin {
        return Err(AppError::NotFound);
    }
    let store = &state()?.store;
    let list = backend::rolled_up_ledger(store, &actor, &actor.org_id).await?;
    store
        .record_audit(&audit(&actor, "ledger.org_read", None))
        .await?;
    Ok(list)
}

/// The administrator's node and everything below it.
#[server(endpoint = "org_tree")]
pub async fn org_tree() -> Result<TreeView, AppError> {
    use super::context::{actor, state};

    let actor = actor().await?;
    if !actor.is_org_admin {
        return Err(AppError::NotFound);
    }
    let nodes = backend::tree(&state()?.store, &actor.org_id).await?;
    Ok(TreeView { nodes })
}

/// Makes a node (党委, 党总支 …) below a node the administrator administers.
#[server(endpoint = "create_org_node")]
pub async fn create_org_node(
    parent_id: String,
    name: String,
    kind: String,
) -> Result<(), AppError> {
    use super::access::administers_node;
    use super::context::{actor, audit, state};
    use crate::domain::tree::{NodeKind, NodeName};

    let actor = actor().await?;
    let name = NodeName::parse(&name)?;
    let kind = NodeKind::from_form(&kind)?;
    let store = &state()?.store;
    if !administers_node(store, &actor, &parent_id).await? {
        return Err(AppError::NotFound);
    }
    store
        .create_node(
            &parent_id,
            &name,
            kind,
            &audit(&actor, "org.create_node", Some(name.as_str().to_string())),
        )
        .await?;
    Ok(())
}

/// Renames a node of the administrator's subtree and sets its kind.
#[server(endpoint = "update_org_node")]
pub async fn update_org_node(node_id: String, name: String, kind: String) -> Result<(), AppError> {
    use super::access::administers_node;
    use super::context::{actor, audit, state};
    use crate::domain::tree::{NodeKind, NodeName};

    let actor = actor().await?;
    let name = NodeName::parse(&name)?;
    let kind = NodeKind::from_form(&kind)?;
    let store = &state()?.store;
    if !administers_node(store, &actor, &node_id).await? {
        return Err(AppError::NotFound);
    }
    store
        .update_node(
            &node_id,
            &name,
            kind,
            &audit(&actor, "org.update_node", Some(node_id.clone())),
        )
        .await?;
    Ok(())
}

/// Hangs a branch of the administrator's subtree under another node of it. Its meetings,
/// materials and 台账 go with it; the old node's administrators lose sight of them unless
/// they also administer the new one.
#[server(endpoint = "move_branch")]
pub async fn move_branch(branch_id: String, node_id: String) -> Result<(), AppError> {
    use super::access::{administers_branch, administers_node};
    use super::context::{actor, audit, state};

    let actor = actor().await?;
    let store = &state()?.store;
    if !administers_branch(store, &actor, &branch_id).await?
        || !administers_node(store, &actor, &node_id).await?
    {
        return Err(AppError::NotFound);
    }
    let mut entry = audit(&actor, "branch.move", Some(branch_id.clone()));
    entry.detail = Some(format!("to {node_id}"));
    store.move_branch(&branch_id, &node_id, &entry).await?;
    Ok(())
}

/// Makes an administrator account for a node of the administrator's subtree, with a
/// generated initial password shown once.
#[server(endpoint = "create_node_admin")]
pub async fn create_node_admin(
    node_id: String,
    name: String,
    login: String,
    post: String,
) -> Result<IssuedPassword, AppError> {
    use super::access::administers_node;
    use super::context::{actor, audit, state};
    use crate::auth::password;
    use crate::domain::{LoginName, PersonName, Post};
    use crate::store::users::NewUser;
    use secrecy::ExposeSecret;

    let actor = actor().await?;
    let name = PersonName::parse(&name)?;
    let login = LoginName::parse(&login)?;
    let post = Post::parse(&post)?;
    let store = &state()?.store;
    if !administers_node(store, &actor, &node_id).await? {
        return Err(AppError::NotFound);
    }
    let initial = password::generate_initial();
    let hash = password::hash(initial.clone()).await.map_err(|detail| {
        tracing::error!(%detail, "password hashing failed");
        AppError::Internal
    })?;
    store
        .create_users(
            &node_id,
            vec![NewUser {
                login: login.clone(),
                name: name.clone(),
                post,
                password_hash: hash,
                is_org_admin: true,
                must_change_password: true,
                branch: None,
            }],
            &audit(&actor, "user.create", Some(login.as_str().to_string())),
        )
        .await?;
    Ok(IssuedPassword {
        name: name.as_str().to_string(),
        login: login.as_str().to_string(),
        password: initial.expose_secret().to_string(),
    })
}

/// The 台账 rolled up to one node of the administrator's subtree: the drill-down of the
/// organisation's 台账.
#[server(endpoint = "node_ledger")]
pub async fn node_ledger(node_id: String) -> Result<LedgerList, AppError> {
    use super::access::administers_node;
    use super::context::{actor, audit, state};

    let actor = actor().await?;
    let store = &state()?.store;
    if !administers_node(store, &actor, &node_id).await? {
        return Err(AppError::NotFound);
    }
    let list = backend::rolled_up_ledger(store, &actor, &node_id).await?;
    store
        .record_audit(&audit(&actor, "ledger.node_read", Some(node_id)))
        .await?;
    Ok(list)
}
