//! Organisation structure: the groups that hold meetings — 党支部 and 领导班子 — and the
//! role a person has in one. A 领导班子 is stored as a branch of kind `Leadership`: the
//! same memberships, its 主要负责人 in the secretary's seat (docs/DESIGN.md §1b).

use super::{DomainError, text};
use serde::{Deserialize, Serialize};

/// The name of a 党支部, unique within its organisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BranchName(String);

impl BranchName {
    pub const MAX: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        text::single_line("支部名称", raw, Self::MAX).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

super::coded_enum! {
    /// A person's role within one branch. Org administrators are a property of the account,
    /// not of a branch, so they are not a `Role`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Role {
        /// 党员: drafts their own material and follows their own 整改 items.
        Member => ("member", "党员"),
        /// 支部书记: reviews the branch's submitted materials and runs its meetings.
        Secretary => ("secretary", "支部书记"),
    }
}

impl Role {
    /// What people write in a roster or a form: the code, the label, or the other usual
    /// words (a 领导班子's 主要负责人 and 班子成员 too); an empty cell is a member.
    pub fn from_form(raw: &str) -> Result<Self, DomainError> {
        match raw.trim() {
            "" | "成员" | "班子成员" => Ok(Self::Member),
            "书记" | "主要负责人" | "班子主要负责人" => Ok(Self::Secretary),
            other => Self::parse(other).ok_or_else(|| {
                DomainError::Invalid(format!("无法识别的角色「{other}」（可填：党员、支部书记）"))
            }),
        }
    }

    /// The role as the group calls it: 支部书记 / 党员, or 主要负责人 / 班子成员.
    pub fn label_in(self, group: GroupKind) -> &'static str {
        let words = group.words();
        match self {
            Self::Member => words.member,
            Self::Secretary => words.head,
        }
    }
}

super::coded_enum! {
    /// What kind of group a branch record is: a 党支部 holds 组织生活会, a 领导班子 (党组 /
    /// 党委班子) its 民主生活会. Records from before the distinction are 支部.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum GroupKind {
        /// 党支部.
        #[default]
        Branch => ("branch", "党支部"),
        /// 领导班子: its members are 班子成员, led by the 主要负责人.
        Leadership => ("leadership", "领导班子"),
    }
}

/// The words every screen, message and document uses for a group's roles, so that a
/// 民主生活会 never says 支部书记 and a 组织生活会 never says 主要负责人. Views carry the
/// `GroupKind` and ask it for these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleWords {
    /// 支部 / 班子.
    pub group: &'static str,
    /// 支部书记 / 主要负责人: runs the meeting and reviews first.
    pub head: &'static str,
    /// 党员 / 班子成员.
    pub member: &'static str,
    /// What the head reviews as: 支部书记审核 / 主要负责人审核.
    pub review: &'static str,
}

impl GroupKind {
    pub const fn words(self) -> RoleWords {
        match self {
            Self::Branch => RoleWords {
                group: "支部",
                head: "支部书记",
                member: "党员",
                review: "支部书记审核",
            },
            Self::Leadership => RoleWords {
                group: "班子",
                head: "主要负责人",
                member: "班子成员",
                review: "主要负责人审核",
            },
        }
    }

    /// A stored code, or 支部 for records from before there were kinds.
    pub fn from_stored(code: Option<&str>) -> Self {
        code.and_then(Self::from_code).unwrap_or_default()
    }

    /// What a form or a roster sends: a code or a label ("班子" too); empty is a 支部.
    pub fn from_form(raw: &str) -> Result<Self, DomainError> {
        match raw.trim() {
            "" | "支部" => Ok(Self::Branch),
            "班子" | "党组" | "党委班子" => Ok(Self::Leadership),
            other => Self::parse(other).ok_or_else(|| {
                DomainError::Invalid(format!(
                    "无法识别的组织类型「{other}」（可填：党支部、领导班子）"
                ))
            }),
        }
    }
}

impl Default for RoleWords {
    fn default() -> Self {
        GroupKind::Branch.words()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_from_codes_and_chinese_labels_and_round_trip() {
        assert_eq!(Role::from_form("支部书记").unwrap(), Role::Secretary);
        assert_eq!(Role::from_form("").unwrap(), Role::Member);
        for role in [Role::Member, Role::Secretary] {
            assert_eq!(Role::from_form(role.code()).unwrap(), role);
            assert_eq!(Role::from_form(role.label()).unwrap(), role);
        }
        assert!(
            Role::from_form("主席")
                .unwrap_err()
                .to_string()
                .contains("主席")
        );
        assert_eq!(Role::from_form("主要负责人").unwrap(), Role::Secretary);
        assert_eq!(Role::from_form("班子成员").unwrap(), Role::Member);
    }

    #[test]
    fn a_leadership_group_names_its_roles_and_never_says_branch_secretary() {
        let words = GroupKind::Leadership.words();
        assert_eq!(
            Role::Secretary.label_in(GroupKind::Leadership),
            "主要负责人"
        );
        assert_eq!(Role::Member.label_in(GroupKind::Leadership), "班子成员");
        for word in [words.group, words.head, words.member, words.review] {
            assert!(!word.contains("支部"), "{word}");
        }
        assert_eq!(Role::Secretary.label_in(GroupKind::Branch), "支部书记");
        assert_eq!(GroupKind::from_stored(None), GroupKind::Branch);
        assert_eq!(
            GroupKind::from_stored(Some("leadership")),
            GroupKind::Leadership
        );
        assert_eq!(
            GroupKind::from_form("领导班子").unwrap(),
            GroupKind::Leadership
        );
        assert_eq!(GroupKind::from_form("").unwrap(), GroupKind::Branch);
        assert!(GroupKind::from_form("协会").is_err());
    }
}
