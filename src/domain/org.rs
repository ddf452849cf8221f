//! Organisation structure: branches (党支部) and the role a person has in one.

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
    /// words; an empty cell is a member.
    pub fn from_form(raw: &str) -> Result<Self, DomainError> {
        match raw.trim() {
            "" | "成员" => Ok(Self::Member),
            "书记" => Ok(Self::Secretary),
            other => Self::parse(other).ok_or_else(|| {
                DomainError::Invalid(format!("无法识别的角色「{other}」（可填：党员、支部书记）"))
            }),
        }
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
    }
}
