//! Synthetic data at scale for demos and benchmarks (`xingshen seed --members N …`): an
//! organisation with branches, members and secretaries, two meetings per branch (last
//! year's, approved, whose measures are ledger items with 时限 spread around today; this
//! year's, with materials in every state), review rounds and written criticism. The data
//! goes through the same store functions the app uses, so it has the app's exact shape, and
//! it is the same for the same `--seed`.

use crate::auth::password;
use crate::domain::editing::new_material;
use crate::domain::ledger::measures_of;
use crate::domain::material::{Deadline, Item, ItemId, Material, PartKind};
use crate::domain::template::Template;
use crate::domain::{BranchName, LoginName, PersonName, Post, Role};
use crate::server::clock::today;
use crate::store::ledger::LedgerEntryRow;
use crate::store::meetings::ReviewStage;
use crate::store::users::NewUser;
use crate::store::{AuditEntry, Store, StoreError};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use secrecy::SecretString;

/// How much to create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub members: usize,
    pub branches: usize,
    /// Ledger items wanted in all (one per measure of an approved or submitted material).
    pub items: usize,
    pub seed: u64,
    /// A county tree (issue 28): the organisation is a 上级党委 with 党委 below it, 党总支
    /// below those and ten branches under each 党总支; four in five branches have sent last
    /// year's 报送. For the 上级's overview at scale (docs/BENCHMARKS.md).
    pub tree: bool,
}

/// Branches under each 党总支, and 党总支 under each 党委, of the synthetic county tree.
const BRANCHES_PER_GENERAL_BRANCH: usize = 10;
const GENERAL_BRANCHES_PER_COMMITTEE: usize = 5;

/// What was created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Created {
    pub branches: usize,
    pub users: usize,
    pub meetings: usize,
    pub materials: usize,
    pub measures: usize,
    pub criticisms: usize,
}

/// The password of every synthetic account.
pub const SYNTHETIC_PASSWORD: &str = "xingshen-demo";

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "华", "建国", "红梅", "志强", "海燕", "文博",
];
const POSTS: &[&str] = &["科员", "副科长", "科长", "主任科员", "副主任", "干部"];
const PROBLEMS: &[(&str, &str, &str)] = &[
    (
        "理论学习方面",
        "理论学习不够系统深入",
        "学习停留在读原文、记笔记，联系实际思考不够，用理论指导工作的能力还有差距。",
    ),
    (
        "政治素质方面",
        "政治敏锐性有待增强",
        "对一些苗头性、倾向性问题警惕不够，有时满足于完成上级交办的任务。",
    ),
    (
        "能力本领方面",
        "破解难题的办法不多",
        "面对新情况新问题习惯于老办法、老经验，创新思路不够开阔。",
    ),
    (
        "担当作为方面",
        "攻坚克难的劲头不足",
        "遇到矛盾问题有时绕着走，主动靠前、敢于碰硬的意识还不够强。",
    ),
    (
        "工作作风方面",
        "调查研究不够深入",
        "下基层调研次数偏少，听汇报多、实地走访少，掌握一线情况不够全面。",
    ),
    (
        "廉洁自律方面",
        "廉洁自律标准不够高",
        "对身边同志的提醒不够及时，对小节问题重视不够。",
    ),
];
const MEASURES: &[(&str, &str)] = &[
    ("每月精读原著2篇，撰写学习体会1篇", "学习笔记12篇"),
    ("每季度到基层调研不少于2次，形成调研报告", "调研报告4篇"),
    (
        "建立问题清单，逐项明确责任人和完成时限",
        "问题清单1份，办结率100%",
    ),
    ("参加业务培训不少于3次，撰写培训心得", "培训心得3篇"),
    ("每半年开展一次廉政谈心谈话", "谈话记录2份"),
    ("梳理本岗位工作流程，修订完善制度", "制度汇编1册"),
];

/// A generated person's name: surname + given name, unique with the number appended
/// where two would share it (names are not keys, logins are).
fn name(rng: &mut StdRng) -> String {
    let surname = SURNAMES[rng.random_range(0..SURNAMES.len())];
    let given = GIVEN[rng.random_range(0..GIVEN.len())];
    format!("{surname}{given}")
}

/// A full material: problems with 事例, causes linked to them, and `measures` measures
/// spread over the problems, each with a 时限 between `earliest` and `latest` days from
/// today (a few 长期坚持).
fn material(
    rng: &mut StdRng,
    template: &Template,
    title: &str,
    speaker: &str,
    measures: usize,
    (earliest, latest): (i64, i64),
) -> Material {
    let today = today();
    let mut content = new_material(template, title, speaker);
    let problem_count = rng.random_range(2..=4);
    let problems: Vec<Item> = (0..problem_count)
        .map(|index| {
            let (category, heading, text) = PROBLEMS[rng.random_range(0..PROBLEMS.len())];
            Item {
                id: ItemId(format!("p{index}")),
                heading: heading.into(),
                text: text.into(),
                example: Some(format!(
                    "比如，今年{}月，{}次工作中没有做到这一点。",
                    rng.random_range(1..=12),
                    rng.random_range(1..=5)
                )),
                category: Some(category.into()),
                ..Item::default()
            }
        })
        .collect();
    let causes = vec![Item {
        id: ItemId("c0".into()),
        heading: "理想信念".into(),
        text: "理论武装不够，理想信念的“总开关”拧得还不够紧。".into(),
        links: problems.iter().map(|p| p.id.clone()).collect(),
        ..Item::default()
    }];
    let measure_items = (0..measures)
        .map(|index| {
            let (text, standard) = MEASURES[rng.random_range(0..MEASURES.len())];
            let deadline = if rng.random_ratio(1, 10) {
                Deadline::Ongoing
            } else {
                let days = rng.random_range(earliest..=latest);
                Deadline::By(if days < 0 {
                    today - chrono::Days::new(days.unsigned_abs())
                } else {
                    today + chrono::Days::new(days as u64)
                })
            };
            Item {
                id: ItemId(format!("m{index}")),
                text: text.into(),
                links: vec![problems[index % problems.len()].id.clone()],
                deadline: Some(deadline),
                standard: Some(standard.into()),
                ..Item::default()
            }
        })
        .collect::<Vec<_>>();
    for part in &mut content.parts {
        match part.kind {
            PartKind::Problems => part.items = problems.clone(),
            PartKind::Causes => part.items = causes.clone(),
            PartKind::Measures => part.items = measure_items.clone(),
            PartKind::Duty => {
                part.paragraphs =
                    vec!["作为一名党员干部，必须把学习贯彻党的创新理论作为首要任务。".into()]
            }
            _ => {}
        }
    }
    content
}

/// Creates the whole synthetic organisation. Branches are filled a few at a time in
/// parallel; the data depends only on `scale`.
pub async fn create_synthetic(store: &Store, scale: Scale) -> Result<Created, StoreError> {
    let branches = scale.branches.max(1);
    let members = scale.members.max(branches);
    let mut rng = StdRng::seed_from_u64(scale.seed);
    let org = store
        .create_org(&format!("合成数据单位（种子 {}）", scale.seed))
        .await?;
    let audit = AuditEntry {
        org_id: Some(org.clone()),
        ..AuditEntry::new("seed.synthetic")
    };
    let homes = if scale.tree {
        county_tree(store, &org, branches, &audit).await?
    } else {
        vec![org.clone()]
    };
    let mut branch_ids = Vec::with_capacity(branches);
    for index in 0..branches {
        let name = BranchName::parse(&format!("第{}党支部", index + 1))
            .map_err(|e| StoreError::Database(e.to_string()))?;
        // Ten consecutive branches share a 党总支.
        let home = &homes[(index / BRANCHES_PER_GENERAL_BRANCH) % homes.len()];
        branch_ids.push(store.create_branch(home, &name, &audit).await?);
    }
    let hash = password::hash(SecretString::from(SYNTHETIC_PASSWORD))
        .await
        .map_err(StoreError::Database)?;
    // Member `i` belongs to branch `i % branches`; the first of each branch is its secretary.
    let mut people = Vec::with_capacity(members);
    for index in 0..members {
        let branch = index % branches;
        let role = if index < branches {
            Role::Secretary
        } else {
            Role::Member
        };
        people.push(NewUser {
            login: LoginName::parse(&format!("u{index:06}"))
                .map_err(|e| StoreError::Database(e.to_string()))?,
            name: PersonName::parse(&name(&mut rng))
                .map_err(|e| StoreError::Database(e.to_string()))?,
            post: Post::parse(POSTS[rng.random_range(0..POSTS.len())])
                .map_err(|e| StoreError::Database(e.to_string()))?,
            password_hash: hash.clone(),
            is_org_admin: index == 0,
            must_change_password: false,
            branch: Some((branch_ids[branch].clone(), role)),
        });
    }
    let mut user_ids = Vec::with_capacity(members);
    let mut chunk = Vec::new();
    for person in people {
        chunk.push(person);
        if chunk.len() == 500 {
            user_ids.extend(
                store
                    .create_users(&org, std::mem::take(&mut chunk), &audit)
                    .await?,
            );
        }
    }
    if !chunk.is_empty() {
        user_ids.extend(store.create_users(&org, chunk, &audit).await?);
    }
    // Two materials per member; the measures of both become ledger items.
    let per_material = scale.items.div_ceil(members * 2).max(1);
    let mut created = Created {
        branches,
        users: user_ids.len(),
        ..Created::default()
    };
    let mut tasks = tokio::task::JoinSet::new();
    for (branch, branch_id) in branch_ids.iter().enumerate() {
        let people: Vec<String> = user_ids
            .iter()
            .enumerate()
            .filter(|(index, _)| index % branches == branch)
            .map(|(_, id)| id.clone())
            .collect();
        let job = BranchJob {
            store: store.clone(),
            org: org.clone(),
            branch_id: branch_id.clone(),
            people,
            per_material,
            report_last_year: scale.tree && branch % 5 != 4,
            seed: scale
                .seed
                .wrapping_mul(1_000_003)
                .wrapping_add(branch as u64),
        };
        tasks.spawn(job.run());
        // A few branches at a time: enough to keep both cores busy, few enough that one
        // branch's transactions do not wait on a hundred others.
        if tasks.len() >= 8
            && let Some(done) = tasks.join_next().await
        {
            add(&mut created, done)?;
        }
    }
    while let Some(done) = tasks.join_next().await {
        add(&mut created, done)?;
    }
    Ok(created)
}

/// Makes `org` a 上级党委 with 党委 and 党总支 below it, enough 党总支 for `branches`
/// branches; returns the 党总支 in order.
async fn county_tree(
    store: &Store,
    org: &str,
    branches: usize,
    audit: &AuditEntry,
) -> Result<Vec<String>, StoreError> {
    use crate::domain::tree::{NodeKind, NodeName};
    let name = |raw: String| NodeName::parse(&raw).map_err(|e| StoreError::Database(e.to_string()));
    let top = store.nodes(&[org.to_string()]).await?;
    let top_name = top
        .first()
        .map_or("合成数据单位", |node| node.name.as_str());
    store
        .update_node(
            org,
            &name(top_name.to_string())?,
            Some(NodeKind::SuperiorCommittee),
            audit,
        )
        .await?;
    let general_branches = branches.div_ceil(BRANCHES_PER_GENERAL_BRANCH);
    let committees = general_branches.div_ceil(GENERAL_BRANCHES_PER_COMMITTEE);
    let mut homes = Vec::with_capacity(general_branches);
    for committee in 0..committees {
        let committee_id = store
            .create_node(
                org,
                &name(format!("第{}局党委", committee + 1))?,
                Some(NodeKind::Committee),
                audit,
            )
            .await?;
        for index in 0..GENERAL_BRANCHES_PER_COMMITTEE {
            if homes.len() == general_branches {
                break;
            }
            homes.push(
                store
                    .create_node(
                        &committee_id,
                        &name(format!("第{}党总支", index + 1))?,
                        Some(NodeKind::GeneralBranch),
                        audit,
                    )
                    .await?,
            );
        }
    }
    Ok(homes)
}

fn add(
    total: &mut Created,
    done: Result<Result<Created, StoreError>, tokio::task::JoinError>,
) -> Result<(), StoreError> {
    let part = done.map_err(|e| StoreError::Database(e.to_string()))??;
    total.meetings += part.meetings;
    total.materials += part.materials;
    total.measures += part.measures;
    total.criticisms += part.criticisms;
    Ok(())
}

/// One branch's meetings, materials and criticism.
struct BranchJob {
    store: Store,
    org: String,
    branch_id: String,
    /// The secretary first.
    people: Vec<String>,
    per_material: usize,
    /// Send last year's 报送 once its materials are in.
    report_last_year: bool,
    seed: u64,
}

impl BranchJob {
    async fn run(self) -> Result<Created, StoreError> {
        let mut rng = StdRng::seed_from_u64(self.seed);
        let store = &self.store;
        let template = Template::branch_meeting_default();
        let as_person = |action, user: &str| AuditEntry {
            org_id: Some(self.org.clone()),
            actor_id: Some(user.to_string()),
            ..AuditEntry::new(action)
        };
        let secretary = &self.people[0];
        let today = today();
        let past = super::demo_plan(
            super::DEMO_PAST_MEETING,
            today - chrono::Days::new(330),
            None,
        );
        let current = super::demo_plan(super::DEMO_MEETING, today + chrono::Days::new(14), None);
        let mut created = Created::default();
        for (plan, last_year) in [(past, true), (current, false)] {
            let report = last_year && self.report_last_year;
            let meeting = store
                .create_meeting(
                    &self.branch_id,
                    &plan,
                    &template,
                    None,
                    &as_person("session.create", secretary),
                )
                .await?;
            created.meetings += 1;
            for (index, person) in self.people.iter().enumerate() {
                // Last year's 时限 fall from a year ago to half a year ahead (so some are
                // overdue, some due soon); this year's lie ahead.
                let window = if last_year { (-330, 180) } else { (30, 365) };
                let content = material(
                    &mut rng,
                    &template,
                    &format!("{}个人发言材料", plan.title),
                    "党员",
                    self.per_material,
                    window,
                );
                let request = format!("seed-{}-{index}", meeting);
                let material = store
                    .create_material(&meeting, person, &content, &request)
                    .await?;
                created.materials += 1;
                // This year: a quarter still drafting, the rest submitted, most approved.
                let roll = rng.random_range(0..100);
                if !last_year && roll < 25 {
                    continue;
                }
                store
                    .submit_material(
                        &material,
                        1,
                        &LedgerEntryRow::rows(&measures_of(&content)),
                        &as_person("material.submit", person),
                    )
                    .await?;
                created.measures += self.per_material;
                if last_year || roll >= 45 {
                    store
                        .decide_review(
                            &material,
                            1,
                            ReviewStage::Secretary {
                                second_follows: false,
                            },
                            "approved",
                            "",
                            &as_person("review.decide", secretary),
                        )
                        .await?;
                }
                // One written criticism to the next colleague.
                if !last_year && self.people.len() > 1 {
                    let recipient = &self.people[(index + 1) % self.people.len()];
                    store
                        .add_opinion(
                            &meeting,
                            recipient,
                            Some(person),
                            "工作中有时满足于完成任务，主动思考改进不够。",
                            &as_person("criticism.write", person),
                        )
                        .await?;
                    created.criticisms += 1;
                }
            }
            if report {
                store
                    .mark_reported(&meeting, &as_person("report.send", secretary))
                    .await?;
            }
        }
        Ok(created)
    }
}
