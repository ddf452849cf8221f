//! The 上级's overview (issue 28, item 6): for an administrator of a node, every meeting
//! below it with its stage (方案待批 … 已完成), and per node below it the meetings by stage,
//! the overdue 报送 and the overdue 整改, rolled up; drill-down to any node of their subtree.
//! Counts and stages only — never a material's text, a draft, or a survey answer.

use super::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One page of the overview of one node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewView {
    pub node_id: String,
    /// 某某党委 (党委).
    pub node_name: String,
    /// The nodes from the administrator's own down to this one, to go back up.
    pub trail: Vec<NodeLink>,
    /// The stages' labels, in the order of every `counts`.
    pub stages: Vec<StageLabel>,
    /// The whole subtree of this node.
    pub total: NodeSummary,
    /// One row per node just below this one (and one for the branches directly under it,
    /// without an id), this page of them.
    pub children: Vec<NodeSummary>,
    pub children_page: Page,
    /// The meetings below this node (of the chosen stage, if one is chosen), this page.
    pub meetings: Vec<MeetingLine>,
    pub meetings_page: Page,
    /// The stage code the meetings are filtered to, "" for all.
    pub stage: String,
}

/// A node to link to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeLink {
    pub id: String,
    pub name: String,
}

/// A stage's code and label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageLabel {
    pub code: String,
    pub label: String,
}

/// The counts of one node's subtree (or of the branches directly under a node).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeSummary {
    /// `None`: the branches directly under the node shown, which have no page of their own.
    pub id: Option<String>,
    pub name: String,
    pub kind_label: String,
    pub branches: usize,
    /// Meetings at each stage, in the order of [`OverviewView::stages`].
    pub counts: Vec<usize>,
    pub meetings: usize,
    /// Meetings whose 报送 is past its due date and not sent.
    pub report_overdue: usize,
    /// Open ledger items past their 时限.
    pub items_overdue: usize,
}

/// A meeting as the overview lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingLine {
    pub id: String,
    pub title: String,
    pub kind_label: String,
    pub branch: String,
    /// The node the branch hangs under.
    pub node: String,
    pub stage: String,
    pub stage_label: String,
    /// "" when the meeting has no dates.
    pub meeting_on: String,
    pub report_due: String,
    pub report_overdue: bool,
}

/// Where a paginated list stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    /// 1-based.
    pub number: usize,
    pub pages: usize,
    pub total: usize,
}

#[cfg(feature = "ssr")]
pub(crate) mod backend {
    use super::{MeetingLine, NodeLink, NodeSummary, OverviewView, Page, StageLabel};
    use crate::domain::overview::{MeetingStage, PAGE_SIZE, StageCounts, page_range};
    use crate::domain::tree::{NodeKind, child_of_root_above};
    use crate::server::AppError;
    use crate::store::Store;
    use crate::store::tree::NodeRow;
    use chrono::NaiveDate;
    use std::collections::HashMap;

    /// What the caller asked for, checked: `root` is a node the actor administers, `top`
    /// their own node.
    pub struct Request<'a> {
        pub top: &'a str,
        pub root: &'a str,
        pub stage: Option<MeetingStage>,
        pub page: usize,
        pub children_page: usize,
        pub today: NaiveDate,
    }

    #[derive(Default)]
    struct Tally {
        branches: usize,
        counts: StageCounts,
        report_overdue: usize,
        items_overdue: usize,
    }

    impl Tally {
        fn summary(&self, id: Option<String>, name: String, kind_label: String) -> NodeSummary {
            NodeSummary {
                id,
                name,
                kind_label,
                branches: self.branches,
                counts: self.counts.0.to_vec(),
                meetings: self.counts.total(),
                report_overdue: self.report_overdue,
                items_overdue: self.items_overdue,
            }
        }
    }

    fn kind_label(node: &NodeRow) -> String {
        NodeKind::label_of(node.kind()).to_string()
    }

    /// The overview of `request.root`: its subtree's nodes, branches and meetings read by
    /// index (store::overview), stages worked out in the domain, rolled up per child.
    pub async fn overview(store: &Store, request: Request<'_>) -> Result<OverviewView, AppError> {
        let root = request.root;
        let ids = store.subtree_ids(root).await?;
        let nodes = store.nodes(&ids).await?;
        let branches = store.branch_places(&ids).await?;
        let branch_ids: Vec<String> = branches.iter().map(|branch| branch.id.clone()).collect();
        let meetings = store.overview_meetings(&branch_ids, request.today).await?;

        let parent_of: HashMap<String, Option<String>> = nodes
            .iter()
            .map(|node| (node.id.clone(), node.parent.clone()))
            .collect();
        let name_of: HashMap<&str, &str> = nodes
            .iter()
            .map(|node| (node.id.as_str(), node.name.as_str()))
            .collect();
        let branch_of: HashMap<&str, (&str, &str)> = branches
            .iter()
            .map(|b| (b.id.as_str(), (b.name.as_str(), b.node.as_str())))
            .collect();
        // The row a node's counts go to: the child of `root` above it, or "" for `root`'s
        // own branches.
        let row_of = |node: &str| -> String {
            child_of_root_above(root, node, &parent_of)
                .unwrap_or_default()
                .to_string()
        };
        let mut tallies: HashMap<String, Tally> = HashMap::new();
        let mut total = Tally {
            branches: branches.len(),
            ..Tally::default()
        };
        for branch in &branches {
            tallies.entry(row_of(&branch.node)).or_default().branches += 1;
        }
        let mut lines = Vec::new();
        for meeting in &meetings {
            let Some(&(branch_name, node)) = branch_of.get(meeting.branch_id.as_str()) else {
                continue;
            };
            let stage = meeting.facts.stage(request.today);
            let late = meeting
                .facts
                .report_overdue(meeting.report_due, request.today);
            for tally in [&mut total, tallies.entry(row_of(node)).or_default()] {
                tally.counts.add(stage);
                tally.report_overdue += usize::from(late);
            }
            if request.stage.is_none_or(|wanted| wanted == stage) {
                lines.push((meeting, stage, late, branch_name, node));
            }
        }
        // Overdue 整改 per node that has branches, each one range of an index.
        let mut with_branches: Vec<&str> = branches.iter().map(|b| b.node.as_str()).collect();
        with_branches.sort_unstable();
        with_branches.dedup();
        for node in with_branches {
            let overdue = store.overdue_items_of_node(node, request.today).await?;
            total.items_overdue += overdue;
            tallies.entry(row_of(node)).or_default().items_overdue += overdue;
        }

        let mut children: Vec<NodeSummary> = nodes
            .iter()
            .filter(|node| node.parent.as_deref() == Some(root))
            .map(|node| {
                tallies.remove(&node.id).unwrap_or_default().summary(
                    Some(node.id.clone()),
                    node.name.clone(),
                    kind_label(node),
                )
            })
            .collect();
        if let Some(own) = tallies.remove("").filter(|own| own.branches > 0) {
            children.push(own.summary(None, "本级直属支部".into(), "支部".into()));
        }
        let (range, number, pages) = page_range(children.len(), request.children_page, PAGE_SIZE);
        let children_page = Page {
            number,
            pages,
            total: children.len(),
        };
        let children = children.drain(range).collect();

        // Newest meeting first; undated ones last.
        lines.sort_by(|a, b| {
            b.0.facts
                .meeting_on
                .cmp(&a.0.facts.meeting_on)
                .then_with(|| a.3.cmp(b.3))
        });
        let (range, number, pages) = page_range(lines.len(), request.page, PAGE_SIZE);
        let meetings_page = Page {
            number,
            pages,
            total: lines.len(),
        };
        let day = |date: Option<NaiveDate>| date.map(|d| d.to_string()).unwrap_or_default();
        let meeting_lines = lines[range]
            .iter()
            .map(|(meeting, stage, late, branch, node)| MeetingLine {
                id: meeting.id.clone(),
                title: meeting.title.clone(),
                kind_label: meeting.kind.label().to_string(),
                branch: branch.to_string(),
                node: name_of.get(node).copied().unwrap_or_default().to_string(),
                stage: stage.code().to_string(),
                stage_label: stage.label().to_string(),
                meeting_on: day(meeting.facts.meeting_on),
                report_due: day(meeting.report_due),
                report_overdue: *late,
            })
            .collect();

        let root_row = nodes.iter().find(|node| node.id == root);
        Ok(OverviewView {
            node_id: root.to_string(),
            node_name: root_row.map(|node| node.name.clone()).unwrap_or_default(),
            trail: trail(store, request.top, root).await?,
            stages: MeetingStage::ALL
                .into_iter()
                .map(|stage| StageLabel {
                    code: stage.code().to_string(),
                    label: stage.label().to_string(),
                })
                .collect(),
            total: total.summary(
                Some(root.to_string()),
                root_row.map(|node| node.name.clone()).unwrap_or_default(),
                root_row.map(kind_label).unwrap_or_default(),
            ),
            children,
            children_page,
            meetings: meeting_lines,
            meetings_page,
            stage: request
                .stage
                .map(|s| s.code().to_string())
                .unwrap_or_default(),
        })
    }

    /// The nodes from `top` down to `root` (both included), by walking up from `root`.
    async fn trail(store: &Store, top: &str, root: &str) -> Result<Vec<NodeLink>, AppError> {
        let mut links = Vec::new();
        let mut current = Some(root.to_string());
        while let Some(id) = current {
            let Some(node) = store.nodes(std::slice::from_ref(&id)).await?.pop() else {
                break;
            };
            links.push(NodeLink {
                id: node.id.clone(),
                name: node.name.clone(),
            });
            if node.id == top || links.len() > 32 {
                break;
            }
            current = node.parent;
        }
        links.reverse();
        Ok(links)
    }
}

/// The overview of a node the administrator administers (their own when `node_id` is
/// empty): its meetings' stages rolled up per node below it, and the meetings of `stage`
/// ("" for all), `page` of them (and `nodes_page` of the nodes below).
#[server(endpoint = "org_overview")]
pub async fn org_overview(
    node_id: String,
    stage: String,
    page: usize,
    nodes_page: usize,
) -> Result<OverviewView, AppError> {
    use super::access::administers_node;
    use super::context::{actor, audit, state};
    use crate::domain::DomainError;
    use crate::domain::overview::MeetingStage;

    let actor = actor().await?;
    let stage = match stage.trim() {
        "" => None,
        raw => Some(
            MeetingStage::parse(raw)
                .ok_or_else(|| DomainError::Invalid(format!("无法识别的会议阶段「{raw}」")))?,
        ),
    };
    let node_id = if node_id.trim().is_empty() {
        actor.org_id.clone()
    } else {
        node_id
    };
    let store = &state()?.store;
    if !administers_node(store, &actor, &node_id).await? {
        return Err(AppError::NotFound);
    }
    let view = backend::overview(
        store,
        backend::Request {
            top: &actor.org_id,
            root: &node_id,
            stage,
            page,
            children_page: nodes_page,
            today: super::clock::today(),
        },
    )
    .await?;
    store
        .record_audit(&audit(&actor, "overview.read", Some(node_id)))
        .await?;
    Ok(view)
}
