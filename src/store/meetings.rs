//! Meetings (会议) and their review: the plan a secretary sets up, who takes part, where
//! each participant's material stands, and the decisions and comments on submitted rounds.
//! A review reads only submission rounds (frozen texts), never the draft.

mod review;

pub use review::*;

use super::materials::from_json;
use super::{Result, Store, StoreError, new_key, record};
use crate::domain::material::Material;
use crate::domain::material::MaterialState;
use crate::domain::meeting::MeetingKind;
use crate::domain::meeting::{MeetingDates, MeetingPlan, parse_date};
use crate::domain::org::GroupKind;
use crate::domain::review::Decision;
use crate::domain::template::Template;
use crate::store::AuditEntry;
use surrealdb::engine::any::Any;
use surrealdb::method::Query;
use surrealdb::types::SurrealValue;

/// A meeting with its plan and template.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingRecord {
    pub id: String,
    pub branch_id: String,
    pub title: String,
    pub kind: MeetingKind,
    pub theme: String,
    /// `None` for meetings set up before meetings had dates.
    pub dates: Option<MeetingDates>,
    /// `None`: every member of the branch.
    pub participants: Option<Vec<String>>,
    /// Approves each round after the secretary (stage 2), if the meeting has one.
    pub second_reviewer: Option<String>,
    /// The members of its 督导组 (issue 28), by user id.
    pub supervisors: Vec<String>,
    /// Where its 会议方案 stands; `None`: never submitted.
    pub plan_state: Option<crate::domain::supervision::PlanState>,
    pub template: Template,
    /// What holds the meeting, for the words its screens use (支部书记 or 主要负责人).
    pub group_kind: GroupKind,
    /// The template of the collective 班子对照检查材料, once it is started.
    pub group_template: Option<Template>,
}

impl MeetingRecord {
    /// Whether `user_id`, a member of the branch, takes part in this meeting.
    pub fn includes(&self, user_id: &str) -> bool {
        self.participants
            .as_ref()
            .is_none_or(|chosen| chosen.iter().any(|id| id == user_id))
    }

    /// The template a material of this meeting is written from: the group template for the
    /// collective material, the meeting's own for everyone's.
    pub fn template_for(&self, collective: bool) -> &Template {
        match (&self.group_template, collective) {
            (Some(group), true) => group,
            _ => &self.template,
        }
    }
}

#[derive(SurrealValue)]
struct MeetingRow {
    id: String,
    branch_id: String,
    title: String,
    kind: MeetingKind,
    theme: Option<String>,
    template: String,
    plan_on: Option<String>,
    materials_due: Option<String>,
    meeting_on: Option<String>,
    report_due: Option<String>,
    participants: Option<Vec<String>>,
    second_reviewer: Option<String>,
    group_kind: Option<String>,
    group_template: Option<String>,
    supervisors: Vec<String>,
    plan_state: Option<String>,
}

impl TryFrom<MeetingRow> for MeetingRecord {
    type Error = StoreError;

    fn try_from(row: MeetingRow) -> Result<Self> {
        let date = |raw: &Option<String>| raw.as_deref().and_then(parse_date);
        let dates = match (
            date(&row.materials_due),
            date(&row.meeting_on),
            date(&row.report_due),
        ) {
            (Some(materials_due), Some(meeting_on), Some(report_due)) => Some(MeetingDates {
                plan_on: date(&row.plan_on),
                materials_due,
                meeting_on,
                report_due,
            }),
            _ => None,
        };
        let template = |json: &str| {
            serde_json::from_str(json).map_err(|error| StoreError::Database(error.to_string()))
        };
        Ok(Self {
            template: template(&row.template)?,
            group_template: row.group_template.as_deref().map(template).transpose()?,
            group_kind: GroupKind::from_stored(row.group_kind.as_deref()),
            id: row.id,
            branch_id: row.branch_id,
            title: row.title,
            kind: row.kind,
            theme: row.theme.unwrap_or_default(),
            dates,
            participants: row.participants,
            second_reviewer: row.second_reviewer,
            supervisors: row.supervisors,
            plan_state: row
                .plan_state
                .as_deref()
                .and_then(crate::domain::supervision::PlanState::from_code),
        })
    }
}

/// The fields of a [`MeetingRow`], as a literal so queries can be `concat!`-ed whole.
macro_rules! meeting_fields {
    () => {
        "type::string(record::id(id)) AS id,
    type::string(record::id(branch)) AS branch_id, title, kind, theme, template,
    plan_on, materials_due, meeting_on, report_due,
    (IF participants = NONE THEN NONE
     ELSE participants.map(|$p| type::string(record::id($p))) END) AS participants,
    (IF second_reviewer = NONE THEN NONE
     ELSE type::string(record::id(second_reviewer)) END) AS second_reviewer,
    branch.kind AS group_kind, group_template,
    fn::supervisor_ids(id) AS supervisors, plan_state"
    };
}

/// A member of a branch, as a meeting's participant list shows them.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct BranchMember {
    pub user_id: String,
    pub name: String,
    pub post: Option<String>,
    pub role: String,
}

/// Where one material of a meeting stands; no text.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct MaterialStatusRow {
    pub id: String,
    pub owner_id: String,
    pub state: MaterialState,
    pub version: i64,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A material approved for the meeting's 汇编: the approved round's text.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovedMaterial {
    pub owner_id: String,
    pub owner_name: String,
    pub content: Material,
}

#[derive(SurrealValue)]
struct ApprovedRow {
    owner_id: String,
    owner_name: String,
    content: String,
}

/// The message SurrealDB reports when a template to withdraw is not there.
const NO_SUCH_TEMPLATE: &str = "no such template";

impl Store {
    /// Sets up a meeting of a branch; audited in the same transaction.
    pub async fn create_meeting(
        &self,
        branch_id: &str,
        plan: &MeetingPlan,
        template: &Template,
        second_reviewer: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<String> {
        let key = new_key();
        let template =
            serde_json::to_string(template).map_err(|e| StoreError::Database(e.to_string()))?;
        let participants = plan
            .participants
            .as_ref()
            .map(|ids| ids.iter().map(|id| record("user", id)).collect::<Vec<_>>());
        let mut audit = audit.clone();
        audit.target = Some(key.clone());
        self.run(
            audit.bind(
                self.db()
                    .query(concat!(
                        "BEGIN;
                     CREATE $id SET branch = $branch, title = $title, kind = $kind, theme = $theme,
                        template = $template, plan_on = $plan_on, materials_due = $materials_due,
                        meeting_on = $meeting_on, report_due = $report_due,
                        participants = $participants, second_reviewer = $second_reviewer,
                        created_by = $audit_actor,
                        created_at = time::now();",
                        insert_audit!(),
                        "COMMIT;"
                    ))
                    .bind(("id", record("meeting", &key)))
                    .bind(("branch", record("branch", branch_id)))
                    .bind(("title", plan.title.clone()))
                    .bind(("kind", plan.kind))
                    .bind(("theme", plan.theme.clone()))
                    .bind(("template", template))
                    .bind(("plan_on", plan.dates.plan_on.map(|d| d.to_string())))
                    .bind(("materials_due", plan.dates.materials_due.to_string()))
                    .bind(("meeting_on", plan.dates.meeting_on.to_string()))
                    .bind(("report_due", plan.dates.report_due.to_string()))
                    .bind(("participants", participants))
                    .bind((
                        "second_reviewer",
                        second_reviewer.map(|id| record("user", id)),
                    )),
            ),
        )
        .await?;
        Ok(key)
    }

    /// Replaces a meeting's template; audited in the same transaction. Materials already
    /// started keep their parts; new ones follow the new template.
    pub async fn update_meeting_template(
        &self,
        meeting_id: &str,
        template: &Template,
        audit: &AuditEntry,
    ) -> Result<()> {
        let template =
            serde_json::to_string(template).map_err(|e| StoreError::Database(e.to_string()))?;
        self.run(
            audit.bind(
                self.db()
                    .query(concat!(
                        "BEGIN; UPDATE $id SET template = $template;",
                        insert_audit!(),
                        "COMMIT;"
                    ))
                    .bind(("id", record("meeting", meeting_id)))
                    .bind(("template", template)),
            ),
        )
        .await?;
        Ok(())
    }

    /// A meeting with its plan and template.
    pub async fn meeting(&self, meeting_id: &str) -> Result<Option<MeetingRecord>> {
        let mut rows: Vec<MeetingRow> = self
            .run(
                self.db()
                    .query(concat!("SELECT ", meeting_fields!(), " FROM $id"))
                    .bind(("id", record("meeting", meeting_id))),
            )
            .await?
            .take(0)?;
        rows.pop().map(MeetingRecord::try_from).transpose()
    }

    /// The meetings a person reviews second, newest first.
    pub async fn meetings_reviewed_by(&self, user_id: &str) -> Result<Vec<MeetingRecord>> {
        self.meeting_records(
            self.db()
                .query(concat!(
                    "SELECT ",
                    meeting_fields!(),
                    ", created_at FROM meeting WHERE second_reviewer = $user ORDER BY created_at DESC"
                ))
                .bind(("user", record("user", user_id))),
        )
        .await
    }

    /// The branch's latest meeting (by meeting date), whose template "copy last meeting"
    /// starts from.
    pub async fn latest_meeting_of_branch(&self, branch_id: &str) -> Result<Option<MeetingRecord>> {
        let mut newest = self
            .meeting_records(
                self.db()
                    .query(concat!(
                        "SELECT ",
                        meeting_fields!(),
                        ", created_at FROM meeting WHERE branch = $branch
                         ORDER BY meeting_on DESC, created_at DESC LIMIT 1"
                    ))
                    .bind(("branch", record("branch", branch_id))),
            )
            .await?;
        Ok(newest.pop())
    }

    async fn meeting_records(&self, query: Query<'_, Any>) -> Result<Vec<MeetingRecord>> {
        let rows: Vec<MeetingRow> = self.run(query).await?.take(0)?;
        rows.into_iter().map(MeetingRecord::try_from).collect()
    }

    /// The enabled members of a branch, in 拼音 order (the roster and every list of members
    /// on screen read them from here).
    pub async fn branch_members(&self, branch_id: &str) -> Result<Vec<BranchMember>> {
        let mut members: Vec<BranchMember> = self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(user)) AS user_id, user.name AS name,
                    user.post AS post, role FROM membership
                 WHERE branch = $branch AND user.disabled = false ORDER BY user_id",
                    )
                    .bind(("branch", record("branch", branch_id))),
            )
            .await?
            .take(0)?;
        crate::collation::sort_by_pinyin(&mut members, |member| &member.name);
        Ok(members)
    }

    /// Where every member's started material of a meeting stands (state and times, never
    /// text); the collective material is nobody's own and stays out of the collection.
    pub async fn meeting_materials(&self, meeting_id: &str) -> Result<Vec<MaterialStatusRow>> {
        Ok(self.run(self
            .db()
            .query(
                "SELECT type::string(record::id(id)) AS id, type::string(record::id(owner)) AS owner_id,
                    state, version, updated_at, submitted_at FROM material
                 WHERE meeting = $meeting AND collective != true",
            )
            .bind(("meeting", record("meeting", meeting_id))))
        .await?
        .take(0)?)
    }

    /// Every material of a meeting a reviewer decides on: the members' and the collective one.
    pub async fn reviewable_materials(&self, meeting_id: &str) -> Result<Vec<MaterialStatusRow>> {
        Ok(self.run(self
            .db()
            .query(
                "SELECT type::string(record::id(id)) AS id, type::string(record::id(owner)) AS owner_id,
                    state, version, updated_at, submitted_at FROM material WHERE meeting = $meeting",
            )
            .bind(("meeting", record("meeting", meeting_id))))
        .await?
        .take(0)?)
    }

    /// The approved materials of a meeting with their authors, 按姓氏笔画 (the order of the
    /// 汇编 they are for): the text of the round that was approved (also once spoken,
    /// finalised or reported).
    pub async fn approved_materials(&self, meeting_id: &str) -> Result<Vec<ApprovedMaterial>> {
        let rows: Vec<ApprovedRow> = self.run(self
            .db()
            .query(
                "SELECT type::string(record::id(owner)) AS owner_id, owner.name AS owner_name,
                    fn::latest_submission_content(id) AS content
                 FROM material WHERE meeting = $meeting
                    AND state IN ['approved', 'spoken', 'final', 'reported'] ORDER BY owner_id",
            )
            .bind(("meeting", record("meeting", meeting_id))))
        .await?
        .take(0)?;
        let mut approved = rows
            .into_iter()
            .map(|row| {
                Ok(ApprovedMaterial {
                    content: from_json(&row.content)?,
                    owner_id: row.owner_id,
                    owner_name: row.owner_name,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        crate::collation::sort_by_strokes(&mut approved, |material| &material.owner_name);
        Ok(approved)
    }

    /// The text of the round a reviewer is reading, with the round number.
    pub async fn latest_submission(&self, material_id: &str) -> Result<Option<(i64, Material)>> {
        #[derive(SurrealValue)]
        struct Row {
            round: i64,
            content: String,
        }
        let mut rows: Vec<Row> = self.run(self
            .db()
            .query(
                "SELECT round, content FROM submission WHERE material = $id ORDER BY round DESC LIMIT 1",
            )
            .bind(("id", record("material", material_id))))
        .await?
        .take(0)?;
        rows.pop()
            .map(|row| Ok((row.round, from_json(&row.content)?)))
            .transpose()
    }
}

/// The latest submitted round of a material, with where it belongs and who wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmittedText {
    pub material_id: String,
    pub meeting_id: String,
    pub meeting_title: String,
    pub branch_id: String,
    pub owner_id: String,
    pub owner_name: String,
    pub content: Material,
}

#[derive(SurrealValue)]
struct SubmittedRow {
    material_id: String,
    meeting_id: String,
    meeting_title: String,
    branch_id: String,
    owner_id: String,
    owner_name: String,
    content: String,
}

/// The fields of a [`SubmittedRow`]: each material with its latest submitted round.
macro_rules! submitted_fields {
    () => {
        "type::string(record::id(id)) AS material_id,
    type::string(record::id(meeting)) AS meeting_id, meeting.title AS meeting_title,
    type::string(record::id(meeting.branch)) AS branch_id,
    type::string(record::id(owner)) AS owner_id, owner.name AS owner_name,
    fn::latest_submission_content(id) AS content"
    };
}

impl Store {
    async fn submitted_texts(&self, query: Query<'_, Any>) -> Result<Vec<SubmittedText>> {
        let rows: Vec<SubmittedRow> = self.run(query).await?.take(0)?;
        rows.into_iter()
            .map(|row| {
                Ok(SubmittedText {
                    content: from_json(&row.content)?,
                    material_id: row.material_id,
                    meeting_id: row.meeting_id,
                    meeting_title: row.meeting_title,
                    branch_id: row.branch_id,
                    owner_id: row.owner_id,
                    owner_name: row.owner_name,
                })
            })
            .collect()
    }

    /// The latest submitted round of every material of a meeting that was ever submitted.
    /// Drafts that never were submitted are not read.
    pub async fn meeting_submissions(&self, meeting_id: &str) -> Result<Vec<SubmittedText>> {
        self.submitted_texts(
            self.db()
                .query(concat!(
                    "SELECT ",
                    submitted_fields!(),
                    " FROM material WHERE meeting = $meeting AND submitted_at != NONE"
                ))
                .bind(("meeting", record("meeting", meeting_id))),
        )
        .await
    }

    /// The latest submitted round of each of a person's materials, every meeting.
    pub async fn submissions_of_owner(&self, owner_id: &str) -> Result<Vec<SubmittedText>> {
        self.submitted_texts(
            self.db()
                .query(concat!(
                    "SELECT ",
                    submitted_fields!(),
                    " FROM material WHERE owner = $owner AND submitted_at != NONE"
                ))
                .bind(("owner", record("user", owner_id))),
        )
        .await
    }
}

/// A template an organisation published to all its branches.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgTemplate {
    pub id: String,
    pub template: Template,
    pub published_at: chrono::DateTime<chrono::Utc>,
}

#[derive(SurrealValue)]
struct OrgTemplateRow {
    id: String,
    template: String,
    published_at: chrono::DateTime<chrono::Utc>,
}

impl Store {
    /// Publishes a template to every branch of the organisation; audited together.
    pub async fn publish_org_template(
        &self,
        org_id: &str,
        template: &Template,
        audit: &AuditEntry,
    ) -> Result<String> {
        let key = new_key();
        let json =
            serde_json::to_string(template).map_err(|e| StoreError::Database(e.to_string()))?;
        let mut audit = audit.clone();
        audit.target = Some(key.clone());
        self.run(
            audit.bind(
                self.db()
                    .query(concat!(
                        "BEGIN;
                     CREATE $id SET org = $org, name = $name, template = $template,
                        published_by = $audit_actor, published_at = time::now();",
                        insert_audit!(),
                        "COMMIT;"
                    ))
                    .bind(("id", record("org_template", &key)))
                    .bind(("org", record("org", org_id)))
                    .bind(("name", template.name.clone()))
                    .bind(("template", json)),
            ),
        )
        .await?;
        Ok(key)
    }

    /// Withdraws a published template of the organisation; `false` if there was none.
    /// Meetings already set up from it keep their copy.
    pub async fn withdraw_org_template(
        &self,
        org_id: &str,
        template_id: &str,
        audit: &AuditEntry,
    ) -> Result<bool> {
        let outcome = self
            .run(
                audit.bind(
                    self.db()
                        .query(concat!(
                            "BEGIN;
                     LET $gone = (DELETE $id WHERE org = $org RETURN BEFORE);
                     IF array::len($gone) = 0 { THROW '",
                            "no such template",
                            "' };",
                            insert_audit!(),
                            "COMMIT;"
                        ))
                        .bind(("id", record("org_template", template_id)))
                        .bind(("org", record("org", org_id))),
                ),
            )
            .await;
        match outcome {
            Ok(_) => Ok(true),
            Err(StoreError::Database(message)) if message.contains(NO_SUCH_TEMPLATE) => Ok(false),
            Err(other) => Err(other),
        }
    }

    /// The organisation's published templates, newest first.
    pub async fn org_templates(&self, org_id: &str) -> Result<Vec<OrgTemplate>> {
        let rows: Vec<OrgTemplateRow> = self.run(self
            .db()
            .query(
                "SELECT type::string(record::id(id)) AS id, template, published_at FROM org_template
                 WHERE org = $org ORDER BY published_at DESC",
            )
            .bind(("org", record("org", org_id))))
        .await?
        .take(0)?;
        rows.into_iter()
            .map(|row| {
                Ok(OrgTemplate {
                    template: serde_json::from_str(&row.template)
                        .map_err(|e| StoreError::Database(e.to_string()))?,
                    id: row.id,
                    published_at: row.published_at,
                })
            })
            .collect()
    }
}
