//! Accounts and their branch memberships.

use super::{AuditEntry, Result, Store, StoreError, new_key, record};
use crate::collation::sort_by_pinyin;
use crate::domain::org::GroupKind;
use crate::domain::policy::{Actor, Membership};
use crate::domain::{LoginName, PersonName, Post, Role};
use surrealdb::types::SurrealValue;

/// An account as stored, for authentication.
#[derive(Debug, Clone, SurrealValue)]
pub struct UserRecord {
    pub id: String,
    pub org: String,
    pub login: String,
    pub name: String,
    pub password_hash: String,
    pub disabled: bool,
    /// The password is an initial or reset one, which the person must replace.
    pub must_change_password: bool,
    /// When the password was set, in unix seconds: for an initial or reset password, when
    /// it was issued.
    pub password_set_at: i64,
}

/// An account to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub login: LoginName,
    pub name: PersonName,
    pub post: Post,
    pub password_hash: String,
    pub is_org_admin: bool,
    /// Set for generated initial passwords, which the person must replace.
    pub must_change_password: bool,
    /// The branch (key) and role, for members and secretaries.
    pub branch: Option<(String, Role)>,
}

/// The shape bound into the `FOR` loop of [`Store::create_users`].
#[derive(SurrealValue)]
struct NewUserRow {
    key: String,
    login: String,
    name: String,
    post: Option<String>,
    password_hash: String,
    is_org_admin: bool,
    must_change_password: bool,
    branch: Option<String>,
    role: Option<String>,
}

#[derive(SurrealValue)]
struct MembershipRow {
    branch_id: String,
    branch_name: String,
    group_kind: Option<String>,
    role: String,
}

#[derive(SurrealValue)]
struct ActorRow {
    user_id: String,
    org_id: String,
    login: String,
    name: String,
    post: Option<String>,
    is_org_admin: bool,
    disabled: bool,
    must_change_password: bool,
    memberships: Vec<MembershipRow>,
}

/// An account as listed for administrators (never with its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSummary {
    pub id: String,
    pub login: String,
    pub name: String,
    pub post: Option<String>,
    pub is_org_admin: bool,
    pub disabled: bool,
    pub memberships: Vec<(String, Role)>,
}

/// An administrator as the second-reviewer choice lists them.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct OrgAdmin {
    pub id: String,
    pub name: String,
    pub post: Option<String>,
}

/// A macro so the plan test can append `EXPLAIN` to the very same literal. Left to itself
/// the planner intersects this index with `user_org`, which reads every member's entry.
macro_rules! org_admins {
    () => {
        "SELECT type::string(record::id(id)) AS id, name, post FROM user WITH INDEX user_org_admin
         WHERE org = $org AND is_org_admin = true AND disabled = false ORDER BY name"
    };
}

#[derive(SurrealValue)]
struct UserSummaryRow {
    id: String,
    login: String,
    name: String,
    post: Option<String>,
    is_org_admin: bool,
    disabled: bool,
    memberships: Vec<MembershipRow>,
}

fn role_of(code: &str) -> Result<Role> {
    Role::from_code(code).ok_or_else(|| StoreError::Database(format!("unknown stored role {code}")))
}

fn memberships(rows: Vec<MembershipRow>) -> Result<Vec<Membership>> {
    rows.into_iter()
        .map(|row| {
            Ok(Membership {
                role: role_of(&row.role)?,
                group_kind: GroupKind::from_stored(row.group_kind.as_deref()),
                branch_id: row.branch_id,
                branch_name: row.branch_name,
            })
        })
        .collect()
}

impl Store {
    /// The account with this login name, if any (disabled ones included).
    pub async fn find_user_by_login(&self, login: &LoginName) -> Result<Option<UserRecord>> {
        let mut rows: Vec<UserRecord> = self.run(self
            .db()
            .query("SELECT type::string(record::id(id)) AS id, type::string(record::id(org)) AS org, login, name, password_hash, disabled, must_change_password, time::unix(password_changed_at) AS password_set_at FROM user WHERE login = $login")
            .bind(("login", login.as_str().to_string())))
        .await?
        .take(0)?;
        Ok(rows.pop())
    }

    /// The account with this key, if any.
    pub async fn find_user(&self, user_id: &str) -> Result<Option<UserRecord>> {
        let mut rows: Vec<UserRecord> = self.run(self
            .db()
            .query("SELECT type::string(record::id(id)) AS id, type::string(record::id(org)) AS org, login, name, password_hash, disabled, must_change_password, time::unix(password_changed_at) AS password_set_at FROM $user")
            .bind(("user", record("user", user_id))))
        .await?
        .take(0)?;
        Ok(rows.pop())
    }

    /// Everything the access rules need about a logged-in person; `None` when the account
    /// is gone or disabled, which ends their login sessions at once.
    pub async fn actor(&self, user_id: &str) -> Result<Option<Actor>> {
        let mut rows: Vec<ActorRow> = self.run(self
            .db()
            .query(
                "SELECT type::string(record::id(id)) AS user_id, type::string(record::id(org)) AS org_id,
                    login, name, post, is_org_admin, disabled, must_change_password,
                    fn::memberships_of(id) AS memberships
                 FROM $user",
            )
            .bind(("user", record("user", user_id))))
        .await?
        .take(0)?;
        let Some(row) = rows.pop() else {
            return Ok(None);
        };
        if row.disabled {
            return Ok(None);
        }
        let actor = Actor {
            user_id: row.user_id,
            org_id: row.org_id,
            login: row.login,
            name: row.name,
            post: row.post,
            is_org_admin: row.is_org_admin,
            must_change_password: row.must_change_password,
            memberships: memberships(row.memberships)?,
        };
        Ok(Some(actor))
    }

    /// Creates accounts (with their memberships) in one transaction: all or none.
    pub async fn create_users(
        &self,
        org_id: &str,
        users: Vec<NewUser>,
        audit: &AuditEntry,
    ) -> Result<Vec<String>> {
        let rows: Vec<NewUserRow> = users
            .into_iter()
            .map(|user| {
                let (branch, role) = match user.branch {
                    Some((branch, role)) => (Some(branch), Some(role.code().to_string())),
                    None => (None, None),
                };
                NewUserRow {
                    key: new_key(),
                    login: user.login.as_str().to_string(),
                    name: user.name.as_str().to_string(),
                    post: user.post.as_deref().map(str::to_string),
                    password_hash: user.password_hash,
                    is_org_admin: user.is_org_admin,
                    must_change_password: user.must_change_password,
                    branch,
                    role,
                }
            })
            .collect();
        let keys = rows.iter().map(|row| row.key.clone()).collect();
        let query = self
            .db()
            .query(concat!(
                "BEGIN;
                 FOR $u IN $users {
                    CREATE type::record('user', $u.key) SET org = $org, login = $u.login, name = $u.name,
                        post = $u.post, password_hash = $u.password_hash, is_org_admin = $u.is_org_admin,
                        disabled = false, must_change_password = $u.must_change_password,
                        created_at = time::now(), password_changed_at = time::now();
                    IF $u.branch != NONE {
                        CREATE membership SET user = type::record('user', $u.key),
                            branch = type::record('branch', $u.branch), role = $u.role;
                    };
                 };",
                insert_audit!(),
                "COMMIT;"
            ))
            .bind(("org", record("org", org_id)))
            .bind(("users", rows));
        self.run(audit.bind(query)).await?;
        Ok(keys)
    }

    /// Which of these login names are taken already.
    pub async fn taken_logins(&self, logins: Vec<String>) -> Result<Vec<String>> {
        Ok(self
            .run(
                self.db()
                    .query("SELECT VALUE login FROM user WHERE login IN $logins")
                    .bind(("logins", logins)),
            )
            .await?
            .take(0)?)
    }

    /// Replaces a password hash and ends every login session of the account except `keep`
    /// (the login session making the change, if it is the owner's own).
    pub async fn set_password(
        &self,
        user_id: &str,
        password_hash: String,
        must_change_password: bool,
        keep_login_session: Option<String>,
        audit: &AuditEntry,
    ) -> Result<()> {
        let query = self
            .db()
            .query(concat!(
                "BEGIN;
                 UPDATE $user SET password_hash = $hash, must_change_password = $must_change,
                    password_changed_at = time::now();
                 DELETE login_session WHERE user = $user AND id != $keep;",
                insert_audit!(),
                "COMMIT;"
            ))
            .bind(("user", record("user", user_id)))
            .bind(("hash", password_hash))
            .bind(("must_change", must_change_password))
            .bind((
                "keep",
                keep_login_session.map(|key| record("login_session", &key)),
            ));
        self.run(audit.bind(query)).await?;
        Ok(())
    }

    /// Disables or re-enables an account; disabling ends its login sessions at once.
    pub async fn set_user_disabled(
        &self,
        user_id: &str,
        disabled: bool,
        audit: &AuditEntry,
    ) -> Result<()> {
        let query = self
            .db()
            .query(concat!(
                "BEGIN;
                 UPDATE $user SET disabled = $disabled;
                 IF $disabled { DELETE login_session WHERE user = $user; };",
                insert_audit!(),
                "COMMIT;"
            ))
            .bind(("user", record("user", user_id)))
            .bind(("disabled", disabled));
        self.run(audit.bind(query)).await?;
        Ok(())
    }

    /// The organisation's administrators who can still sign in, in 拼音 order: one index
    /// range (`user_org_admin`), not a read of every member.
    pub async fn active_org_admins(&self, org_id: &str) -> Result<Vec<OrgAdmin>> {
        let mut admins: Vec<OrgAdmin> = self
            .run(
                self.db()
                    .query(org_admins!())
                    .bind(("org", record("org", org_id))),
            )
            .await?
            .take(0)?;
        sort_by_pinyin(&mut admins, |admin| &admin.name);
        Ok(admins)
    }

    /// The accounts of an organisation, in 拼音 order of their names.
    pub async fn list_users(&self, org_id: &str) -> Result<Vec<UserSummary>> {
        let rows: Vec<UserSummaryRow> = self.run(self
            .db()
            .query(
                "SELECT type::string(record::id(id)) AS id, login, name, post, is_org_admin, disabled,
                    fn::memberships_of(id) AS memberships
                 FROM user WHERE org = $org ORDER BY name",
            )
            .bind(("org", record("org", org_id))))
        .await?
        .take(0)?;
        let mut users = rows
            .into_iter()
            .map(|row| {
                Ok(UserSummary {
                    memberships: memberships(row.memberships)?
                        .into_iter()
                        .map(|m| (m.branch_name, m.role))
                        .collect(),
                    id: row.id,
                    login: row.login,
                    name: row.name,
                    post: row.post,
                    is_org_admin: row.is_org_admin,
                    disabled: row.disabled,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        sort_by_pinyin(&mut users, |user| &user.name);
        Ok(users)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_administrators_are_an_index_lookup() {
        let store = Store::in_memory().await.unwrap();
        crate::store::assert_index_lookup(
            &store,
            concat!(org_admins!(), " EXPLAIN"),
            "org",
            record("org", "some_org"),
            "user_org_admin",
        )
        .await;
    }
}
