//! The organisation tree (issue 28): 上级党委 → 党委 / 党组 / 党工委 → 党总支 → 支部, any depth.
//! A node is an `org` record with an optional parent; branches are the leaves under a node.
//! These are the pure parts: a node's name and kind, and the path a roster writes.

use super::{DomainError, text};
use serde::{Deserialize, Serialize};

/// The name of a node of the tree, unique among its siblings.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NodeName(String);

impl NodeName {
    pub const MAX: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let name = text::single_line("组织名称", raw, Self::MAX)?;
        // The path separator cannot be part of a name, or a roster path would be ambiguous.
        if name.contains(PATH_SEPARATORS) {
            return Err(DomainError::Invalid(format!(
                "组织名称「{name}」不能包含“/”"
            )));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

super::coded_enum! {
    /// What kind of Party organisation a node is. A node without a kind (every organisation
    /// made before the tree existed) is shown as 组织.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum NodeKind {
        /// 上级党委: the committee above, e.g. a county's 机关工委 or a 区委.
        SuperiorCommittee => ("superior_committee", "上级党委"),
        /// 党委: a Party committee.
        Committee => ("committee", "党委"),
        /// 党组: the leading Party group of an organ.
        LeadingGroup => ("leading_group", "党组"),
        /// 党工委: a working committee.
        WorkingCommittee => ("working_committee", "党工委"),
        /// 党总支: a general branch, above several 支部.
        GeneralBranch => ("general_branch", "党总支"),
    }
}

impl NodeKind {
    /// What a form or a roster sends: a code or a label; empty means "no kind".
    pub fn from_form(raw: &str) -> Result<Option<Self>, DomainError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        Self::parse(raw).map(Some).ok_or_else(|| {
            DomainError::Invalid(format!(
                "无法识别的组织类型「{raw}」（可填：上级党委、党委、党组、党工委、党总支）"
            ))
        })
    }

    /// The label of an optional kind, 组织 when there is none.
    pub fn label_of(kind: Option<Self>) -> &'static str {
        kind.map_or("组织", Self::label)
    }

    /// The kind a name implies by its ending ("某某党总支" is a 党总支), for nodes a roster
    /// creates: the longest matching label wins, so "党工委" is not read as "党委".
    pub fn implied_by(name: &NodeName) -> Option<Self> {
        Self::ALL
            .into_iter()
            .filter(|kind| name.as_str().ends_with(kind.label()))
            .max_by_key(|kind| kind.label().chars().count())
    }
}

/// The characters that separate the nodes of a path: the ASCII and the full-width slash,
/// and the arrow people draw between levels.
const PATH_SEPARATORS: [char; 3] = ['/', '／', '>'];

/// A path of nodes below the importing administrator's node, as a roster writes it:
/// "某某党委/某某党总支". Empty: the administrator's own node.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NodePath(Vec<NodeName>);

impl NodePath {
    /// The deepest a path may go: far beyond any real hierarchy, small enough that a
    /// malicious file cannot make thousands of nodes out of one cell.
    pub const MAX_DEPTH: usize = 8;

    /// Parses a path cell. `own_name` (the importing node's name) may lead the path and is
    /// then dropped; `branch` may end it (people often write the whole path down to the
    /// branch) and is dropped too.
    pub fn parse(raw: &str, own_name: &str, branch: &str) -> Result<Self, DomainError> {
        let mut parts: Vec<&str> = raw
            .split(PATH_SEPARATORS)
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .collect();
        if parts.first() == Some(&own_name) {
            parts.remove(0);
        }
        if parts.last() == Some(&branch) {
            parts.pop();
        }
        if parts.len() > Self::MAX_DEPTH {
            return Err(DomainError::Invalid(format!(
                "组织路径最多 {} 级",
                Self::MAX_DEPTH
            )));
        }
        parts
            .into_iter()
            .map(NodeName::parse)
            .collect::<Result<_, _>>()
            .map(Self)
    }

    /// The path without `own_name` leading it: a roster often starts the path at the
    /// importing node itself.
    pub fn below(&self, own_name: &str) -> Self {
        match self.0.split_first() {
            Some((first, rest)) if first.as_str() == own_name => Self(rest.to_vec()),
            _ => self.clone(),
        }
    }

    pub fn nodes(&self) -> &[NodeName] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The path as people write it, for messages.
    pub fn display(&self) -> String {
        self.0
            .iter()
            .map(NodeName::as_str)
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// The nodes of a subtree in reading order — each node followed by the nodes below it,
/// siblings in the order given — with their depth below `root` (0 for `root`). `nodes` are
/// (id, parent) pairs; a node not reachable from `root` is left out.
pub fn depth_first(root: &str, nodes: &[(String, Option<String>)]) -> Vec<(usize, usize)> {
    let mut order = Vec::with_capacity(nodes.len());
    let Some(start) = nodes.iter().position(|(id, _)| id == root) else {
        return order;
    };
    let mut stack = vec![(start, 0)];
    while let Some((index, depth)) = stack.pop() {
        if order.iter().any(|(seen, _)| *seen == index) {
            continue;
        }
        order.push((index, depth));
        let id = &nodes[index].0;
        // Pushed in reverse so the first child is read first.
        for (child, _) in nodes
            .iter()
            .enumerate()
            .filter(|(_, (_, parent))| parent.as_deref() == Some(id))
            .rev()
        {
            stack.push((child, depth + 1));
        }
    }
    order
}

/// The child of `root` under which `node` lies (`node` itself when it is such a child), for
/// rolling counts up to the level below the reader; `None` for `root` itself and for a node
/// outside its subtree. `parent_of` gives each node's parent.
pub fn child_of_root_above<'a>(
    root: &str,
    node: &'a str,
    parent_of: &'a std::collections::HashMap<String, Option<String>>,
) -> Option<&'a str> {
    let mut current = node;
    for _ in 0..=parent_of.len() {
        let parent = parent_of.get(current)?.as_deref()?;
        if parent == root {
            return Some(current);
        }
        current = parent;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_drops_the_importing_node_and_the_branch_it_ends_in() {
        let path = NodePath::parse(
            "某县机关工委/财政局党委/ 机关党总支 /第一支部",
            "某县机关工委",
            "第一支部",
        )
        .unwrap();
        assert_eq!(path.display(), "财政局党委/机关党总支");
        assert!(
            NodePath::parse("", "某县机关工委", "第一支部")
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            NodePath::parse("财政局党委／机关党总支", "x", "y")
                .unwrap()
                .nodes()
                .len(),
            2
        );
    }

    #[test]
    fn a_path_too_deep_or_with_a_bad_name_is_refused_with_its_reason() {
        let deep = ["层"; NodePath::MAX_DEPTH + 1].join("/");
        assert!(
            NodePath::parse(&deep, "x", "y")
                .unwrap_err()
                .to_string()
                .contains("最多")
        );
        let long = "长".repeat(NodeName::MAX + 1);
        assert!(NodePath::parse(&long, "x", "y").is_err());
    }

    #[test]
    fn kinds_parse_from_labels_and_names_imply_theirs() {
        assert_eq!(
            NodeKind::from_form("党总支").unwrap(),
            Some(NodeKind::GeneralBranch)
        );
        assert_eq!(NodeKind::from_form(" ").unwrap(), None);
        assert!(NodeKind::from_form("居委会").is_err());
        let name = |raw| NodeName::parse(raw).unwrap();
        assert_eq!(
            NodeKind::implied_by(&name("某县党工委")),
            Some(NodeKind::WorkingCommittee)
        );
        assert_eq!(
            NodeKind::implied_by(&name("财政局党委")),
            Some(NodeKind::Committee)
        );
        assert_eq!(NodeKind::implied_by(&name("机关")), None);
        assert_eq!(NodeKind::label_of(None), "组织");
    }

    #[test]
    fn a_node_name_cannot_hold_a_path_separator() {
        assert!(NodeName::parse("甲/乙").is_err());
        assert!(NodeName::parse("财政局党委").is_ok());
    }

    fn tree() -> Vec<(String, Option<String>)> {
        [
            ("root", None),
            ("a", Some("root")),
            ("b", Some("root")),
            ("a1", Some("a")),
            ("other", None),
        ]
        .into_iter()
        .map(|(id, parent)| (id.to_string(), parent.map(str::to_string)))
        .collect()
    }

    #[test]
    fn a_subtree_reads_each_node_followed_by_the_nodes_below_it() {
        let nodes = tree();
        let order: Vec<(&str, usize)> = depth_first("root", &nodes)
            .into_iter()
            .map(|(index, depth)| (nodes[index].0.as_str(), depth))
            .collect();
        assert_eq!(order, [("root", 0), ("a", 1), ("a1", 2), ("b", 1)]);
        assert_eq!(depth_first("a", &nodes).len(), 2);
        assert!(depth_first("missing", &nodes).is_empty());
    }

    #[test]
    fn counts_roll_up_to_the_child_of_the_reader_they_lie_under() {
        let parent_of: std::collections::HashMap<_, _> = tree().into_iter().collect();
        assert_eq!(child_of_root_above("root", "a1", &parent_of), Some("a"));
        assert_eq!(child_of_root_above("root", "b", &parent_of), Some("b"));
        assert_eq!(child_of_root_above("root", "root", &parent_of), None);
        assert_eq!(child_of_root_above("a", "other", &parent_of), None);
    }
}
