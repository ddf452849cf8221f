//! Who may do what. Every server function asks one of these before touching the store;
//! a `false` answer becomes "not found" so that a denial reveals nothing.

use super::Role;
use super::org::GroupKind;
use serde::{Deserialize, Serialize};

/// The authenticated person making a request, with everything the rules need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: String,
    pub org_id: String,
    pub login: String,
    pub name: String,
    /// 职务, for the speaker line.
    pub post: Option<String>,
    pub is_org_admin: bool,
    /// Set while the account still has a generated initial password.
    pub must_change_password: bool,
    pub memberships: Vec<Membership>,
}

/// One branch the actor belongs to, and in which role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub branch_id: String,
    pub branch_name: String,
    pub group_kind: GroupKind,
    pub role: Role,
}

impl Actor {
    /// The role the actor has in `branch_id`, if they belong to it.
    pub fn role_in(&self, branch_id: &str) -> Option<Role> {
        self.memberships
            .iter()
            .find(|m| m.branch_id == branch_id)
            .map(|m| m.role)
    }

    /// Whether the actor runs at least one branch as its secretary.
    pub fn is_secretary(&self) -> bool {
        self.memberships.iter().any(|m| m.role == Role::Secretary)
    }
}

/// Managing branches, accounts and rosters of an organisation: its administrators only.
pub fn can_administer_org(actor: &Actor, org_id: &str) -> bool {
    actor.is_org_admin && actor.org_id == org_id
}

/// Running a branch (its meetings, reviews and ledger): its secretary only.
pub fn can_run_branch(actor: &Actor, branch_id: &str) -> bool {
    actor.role_in(branch_id) == Some(Role::Secretary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(is_org_admin: bool, memberships: &[(&str, Role)]) -> Actor {
        Actor {
            user_id: "u1".into(),
            org_id: "org1".into(),
            login: "u1".into(),
            name: "张三".into(),
            post: None,
            is_org_admin,
            must_change_password: false,
            memberships: memberships
                .iter()
                .map(|(branch, role)| Membership {
                    group_kind: GroupKind::Branch,
                    branch_id: (*branch).into(),
                    branch_name: (*branch).into(),
                    role: *role,
                })
                .collect(),
        }
    }

    #[test]
    fn only_admins_of_the_same_org_administer_it() {
        assert!(can_administer_org(&actor(true, &[]), "org1"));
        assert!(!can_administer_org(&actor(true, &[]), "org2"));
        assert!(!can_administer_org(
            &actor(false, &[("b1", Role::Secretary)]),
            "org1"
        ));
    }

    #[test]
    fn a_secretary_runs_their_own_branch_and_no_other() {
        let secretary = actor(false, &[("b1", Role::Secretary), ("b2", Role::Member)]);
        assert!(can_run_branch(&secretary, "b1"));
        assert!(!can_run_branch(&secretary, "b2"));
        assert!(!can_run_branch(&secretary, "b3"));
        assert!(secretary.is_secretary());
        assert!(!actor(true, &[]).is_secretary());
    }
}
