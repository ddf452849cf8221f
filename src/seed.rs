//! The demo organisation created on first start with `serve --demo` (and by `seed`).

use crate::auth::password;
use crate::domain::session::{REPORT_DAYS_AFTER_MEETING, SessionDates, SessionKind, SessionPlan};
use crate::domain::template::Template;
use crate::domain::{BranchName, LoginName, PersonName, Post, Role};
use crate::store::users::NewUser;
use crate::store::{AuditEntry, Store, StoreError};
use secrecy::SecretString;

/// The password of every demo account. Printed at start; a demo is not for real material.
pub const DEMO_PASSWORD: &str = "xingshen-demo";

/// One demo account, for the start-up banner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub login: &'static str,
    pub name: &'static str,
    pub role: &'static str,
}

const ORG: &str = "示例机关党委";
/// The demo 会次 every branch gets, so members can start drafting at once.
pub const DEMO_MEETING: &str = "2026年度组织生活会";
pub const DEMO_THEME: &str = "深入学习贯彻习近平新时代中国特色社会主义思想，对照党章党规查摆问题";
const BRANCHES: [&str; 2] = ["第一党支部", "第二党支部"];
/// (login, name, post, branch index or None for the org admin, role)
const PEOPLE: [(&str, &str, &str, Option<usize>, Role); 6] = [
    ("admin", "王建国", "组织委员", None, Role::Member),
    (
        "shuji1",
        "李红梅",
        "第一党支部书记",
        Some(0),
        Role::Secretary,
    ),
    ("zhangming", "张明", "科员", Some(0), Role::Member),
    ("liufang", "刘芳", "副科长", Some(0), Role::Member),
    (
        "shuji2",
        "赵卫东",
        "第二党支部书记",
        Some(1),
        Role::Secretary,
    ),
    ("chenjing", "陈静", "科员", Some(1), Role::Member),
];

/// The demo accounts, for printing.
pub fn demo_logins() -> Vec<DemoLogin> {
    PEOPLE
        .iter()
        .map(|(login, name, _, branch, role)| DemoLogin {
            login,
            name,
            role: match (branch, role) {
                (None, _) => "组织管理员",
                (Some(_), role) => role.label(),
            },
        })
        .collect()
}

/// Creates the demo organisation: two branches, an administrator, two secretaries,
/// members, and a 会次 per branch. Call only on an empty database.
pub async fn create_demo(store: &Store) -> Result<(), StoreError> {
    let org = store.create_org(ORG).await?;
    let mut branch_ids = Vec::new();
    for name in BRANCHES {
        let name = BranchName::parse(name).expect("demo branch names are valid");
        branch_ids.push(
            store
                .create_branch(&org, &name, &AuditEntry::new("seed.branch"))
                .await?,
        );
    }
    let hash = password::hash(SecretString::from(DEMO_PASSWORD))
        .await
        .map_err(StoreError::Database)?;
    let users = PEOPLE
        .iter()
        .map(|(login, name, post, branch, role)| NewUser {
            login: LoginName::parse(login).expect("demo logins are valid"),
            name: PersonName::parse(name).expect("demo names are valid"),
            post: Post::parse(post).expect("demo posts are valid"),
            password_hash: hash.clone(),
            is_org_admin: branch.is_none(),
            must_change_password: false,
            branch: branch.map(|index| (branch_ids[index].clone(), *role)),
        })
        .collect();
    let mut audit = AuditEntry::new("seed.demo");
    audit.org_id = Some(org.clone());
    store.create_users(&org, users, &audit).await?;
    // A session that is collecting materials now: due in ten days, meeting four days later.
    let today = chrono::Local::now().date_naive();
    let in_days = |days| today + chrono::Days::new(days);
    let meeting_on = in_days(14);
    let plan = SessionPlan {
        kind: SessionKind::BranchMeeting,
        title: DEMO_MEETING.into(),
        theme: DEMO_THEME.into(),
        dates: SessionDates {
            plan_on: Some(today),
            materials_due: in_days(10),
            meeting_on,
            report_due: meeting_on + chrono::Days::new(REPORT_DAYS_AFTER_MEETING),
        },
        participants: None,
    };
    for branch in &branch_ids {
        store
            .create_session(
                branch,
                &plan,
                &Template::branch_meeting_default(),
                None,
                &audit,
            )
            .await?;
    }
    Ok(())
}
