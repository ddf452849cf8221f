//! The demo organisation created on first start with `serve --demo` (and by `seed`).

pub mod synthetic;

use crate::auth::password;
use crate::domain::meeting::{MeetingDates, MeetingKind, MeetingPlan, REPORT_DAYS_AFTER_MEETING};
use crate::domain::template::Template;
use crate::domain::{BranchName, LoginName, PersonName, Post, Role};
use crate::server::clock::today;
use crate::store::users::NewUser;
use crate::store::{AuditEntry, Store, StoreError};
use chrono::NaiveDate;
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
/// The demo 会议 every branch gets, so members can start drafting at once.
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

/// The 上级 above the demo organisation (issue 28).
const UPPER: &str = "某某县直机关工委";
/// (login, name, post, administrator of the 上级?, role as printed): its administrator, and
/// the 督导组 member it sends to the first branch's demo meeting.
const UPPER_PEOPLE: [(&str, &str, &str, bool, &str); 2] = [
    ("shangji", "孙建国", "组织部部长", true, "上级党委管理员"),
    ("dudao", "周明", "督导组成员", false, "督导组成员"),
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
        .chain(
            UPPER_PEOPLE
                .iter()
                .map(|(login, name, _, _, role)| DemoLogin { login, name, role }),
        )
        .collect()
}

/// Creates the demo organisation: two branches, an administrator, two secretaries,
/// members, and a 会议 per branch. Call only on an empty database.
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
    // A meeting that is collecting materials now: due in ten days, meeting four days later.
    let plan = demo_plan(DEMO_MEETING, today() + chrono::Days::new(14), None);
    let mut meetings = Vec::new();
    for branch in &branch_ids {
        meetings.push(
            store
                .create_meeting(
                    branch,
                    &plan,
                    &Template::branch_meeting_default(),
                    None,
                    &audit,
                )
                .await?,
        );
    }
    create_upper(store, &org, &hash, &meetings[0]).await
}

/// The 上级 above the demo organisation, its administrator, and the 督导组 member it
/// assigns to `meeting`. Made after the organisation, which stays the oldest one.
async fn create_upper(
    store: &Store,
    org: &str,
    hash: &str,
    meeting: &str,
) -> Result<(), StoreError> {
    use crate::domain::tree::{NodeKind, NodeName};
    let upper = store.create_org(UPPER).await?;
    let audit = AuditEntry::new("seed.upper");
    let name = NodeName::parse(UPPER).expect("the demo 上级's name is valid");
    store
        .update_node(&upper, &name, Some(NodeKind::SuperiorCommittee), &audit)
        .await?;
    store.attach_root(org, &upper, &audit).await?;
    let users = UPPER_PEOPLE
        .iter()
        .map(|(login, name, post, admin, _)| NewUser {
            login: LoginName::parse(login).expect("demo logins are valid"),
            name: PersonName::parse(name).expect("demo names are valid"),
            post: Post::parse(post).expect("demo posts are valid"),
            password_hash: hash.to_string(),
            is_org_admin: *admin,
            must_change_password: false,
            branch: None,
        })
        .collect();
    let mut audit = AuditEntry::new("seed.demo");
    audit.org_id = Some(upper.clone());
    let ids = store.create_users(&upper, users, &audit).await?;
    let mut assigned = AuditEntry::new("supervisor.assign");
    assigned.org_id = Some(upper);
    assigned.actor_id = Some(ids[0].clone());
    store.assign_supervisor(meeting, &ids[1], &assigned).await
}

/// A demo 组织生活会: planned two weeks before the meeting, materials due four days before.
fn demo_plan(title: &str, meeting_on: NaiveDate, participants: Option<Vec<String>>) -> MeetingPlan {
    MeetingPlan {
        kind: MeetingKind::BranchMeeting,
        title: title.into(),
        theme: DEMO_THEME.into(),
        dates: MeetingDates {
            plan_on: Some(meeting_on - chrono::Days::new(14)),
            materials_due: meeting_on - chrono::Days::new(4),
            meeting_on,
            report_due: meeting_on + chrono::Days::new(REPORT_DAYS_AFTER_MEETING),
        },
        participants,
    }
}

/// The title of the demo's earlier meeting, whose measures fill the demo 整改台账.
pub const DEMO_PAST_MEETING: &str = "2025年度组织生活会";

/// A year of history for the demo: 第一党支部's previous meeting, with 张明's approved
/// material whose two measures are ledger items — one past its 时限 with a progress note,
/// one due within ten days — so the 台账, its warnings and the carry-over into this
/// year's material can be tried at once.
pub async fn create_demo_history(store: &Store) -> Result<(), StoreError> {
    use crate::domain::editing::new_material;
    use crate::domain::ledger::{Standing, Transition, apply, measures_of};
    use crate::domain::material::{Deadline, Item, ItemId, PartKind};
    use crate::store::ledger::{LedgerChange, LedgerEntryRow, LedgerScope};
    use crate::store::meetings::ReviewStage;

    let person = |login: &str| {
        let login = LoginName::parse(login).expect("demo logins are valid");
        async move {
            store
                .find_user_by_login(&login)
                .await?
                .ok_or(StoreError::NotFound)
        }
    };
    let secretary = person("shuji1").await?;
    let author = person("zhangming").await?;
    let branch = store
        .find_branch_by_name(&secretary.org, BRANCHES[0])
        .await?
        .ok_or(StoreError::NotFound)?;
    let as_person = |action, user_id: &str| AuditEntry {
        org_id: Some(secretary.org.clone()),
        actor_id: Some(user_id.to_string()),
        ..AuditEntry::new(action)
    };
    let today = today();
    let days_ago = |days| today - chrono::Days::new(days);
    let plan = demo_plan(
        DEMO_PAST_MEETING,
        days_ago(330),
        Some(vec![author.id.clone()]),
    );
    let template = Template::branch_meeting_default();
    let meeting = store
        .create_meeting(
            &branch,
            &plan,
            &template,
            None,
            &as_person("session.create", &secretary.id),
        )
        .await?;

    let mut material = new_material(
        &template,
        &format!("{DEMO_PAST_MEETING}个人发言材料"),
        "科员 张明",
    );
    let problem = Item {
        id: ItemId("demo-problem".into()),
        heading: "服务群众的意识不够强".into(),
        text: "下基层调研次数偏少，了解群众诉求不够及时。".into(),
        example: Some("比如，去年全年只到联系社区走访2次。".into()),
        category: Some("联系服务群众方面".into()),
        ..Item::default()
    };
    let measure = |id: &str, text: &str, deadline, standard: &str| Item {
        id: ItemId(id.into()),
        text: text.into(),
        links: vec![problem.id.clone()],
        deadline: Some(deadline),
        standard: Some(standard.into()),
        ..Item::default()
    };
    let measures = vec![
        measure(
            "demo-measure-visits",
            "每季度到联系社区走访不少于2次，建立问题清单。",
            Deadline::By(days_ago(20)),
            "走访记录8次，问题清单1份",
        ),
        measure(
            "demo-measure-hotline",
            "牵头梳理12345热线涉及本单位的诉求，逐件回访。",
            Deadline::By(today + chrono::Days::new(8)),
            "回访记录齐全，办结率100%",
        ),
    ];
    for part in &mut material.parts {
        match part.kind {
            PartKind::Problems => part.items = vec![problem.clone()],
            PartKind::Causes => {
                part.paragraphs = vec!["宗旨意识有所淡化，群众观点树得不牢。".into()]
            }
            PartKind::Measures => part.items = measures.clone(),
            _ => {}
        }
    }
    let material_id = store
        .create_material(&meeting, &author.id, &material, "demo-history")
        .await?;
    store
        .submit_material(
            &material_id,
            1,
            &LedgerEntryRow::rows(&measures_of(&material)),
            &as_person("material.submit", &author.id),
        )
        .await?;
    store
        .decide_review(
            &material_id,
            1,
            ReviewStage::Secretary {
                second_follows: false,
            },
            "approved",
            "",
            &as_person("review.decide", &secretary.id),
        )
        .await?;

    // Work under way on the overdue measure.
    let items = store.ledger_items(LedgerScope::Owner(&author.id)).await?;
    if let Some(visits) = items.iter().find(|item| item.measure.starts_with("每季度")) {
        let on = days_ago(45);
        let text = "已走访社区5次，问题清单初稿已形成。";
        let progress = Transition::Progress {
            on,
            text: text.into(),
        };
        let next = apply(&visits.state, Standing::Owner, &progress, today)
            .map_err(|error| StoreError::Database(error.to_string()))?;
        store
            .change_ledger_item(
                &visits.id,
                visits.revision,
                &next,
                &LedgerChange {
                    kind: "progress",
                    on,
                    text,
                },
                &as_person("ledger.change", &author.id),
            )
            .await?;
    }
    Ok(())
}
