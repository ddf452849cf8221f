//! 整改方案 items: ledger items marked `plan` (migration 0024). Items typed in have no
//! material; the items of a settled material join the plan in place, so a member's own
//! measure is never counted twice. Everything else about them — notes, evidence, warnings,
//! statistics, 销号 — is the ledger's (`store::ledger`).

use super::{AuditEntry, Result, Store, StoreError, new_key, record};
use crate::domain::rectification_plan::{FeedbackKind, PlanItem, PlanSource, Source};
use std::collections::HashMap;
use surrealdb::types::{RecordId, SurrealValue};

/// Thrown when a form was filled in against an older revision of the item.
macro_rules! stale_plan_item {
    () => {
        "plan item changed meanwhile"
    };
}
const STALE_PLAN_ITEM: &str = stale_plan_item!();

/// What a plan item has beyond a ledger item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanExtra {
    pub department: String,
    pub source: Source,
    /// Order in the plan (序号).
    pub position: i64,
    /// The day the item was set up (YYYY-MM-DD, UTC).
    pub created_on: String,
}

#[derive(SurrealValue)]
struct ExtraRow {
    id: String,
    department: Option<String>,
    plan_source: Option<String>,
    plan_source_ref: Option<String>,
    plan_feedback_kind: Option<String>,
    plan_issuer: Option<String>,
    plan_document_number: Option<String>,
    plan_position: Option<i64>,
    created_on: String,
}

impl ExtraRow {
    fn source(&self) -> Source {
        match self.plan_source.as_deref().and_then(PlanSource::from_code) {
            Some(PlanSource::Opinion) => Source::Opinion {
                reference: self.plan_source_ref.clone(),
            },
            Some(PlanSource::Supervision) => Source::Supervision,
            Some(PlanSource::Superior) => Source::Superior {
                kind: self
                    .plan_feedback_kind
                    .as_deref()
                    .and_then(FeedbackKind::from_code)
                    .unwrap_or(FeedbackKind::Other),
                issuer: self.plan_issuer.clone().unwrap_or_default(),
                document_number: self.plan_document_number.clone().unwrap_or_default(),
            },
            Some(PlanSource::Material) | None => Source::Material {
                reference: self.plan_source_ref.clone(),
            },
        }
    }
}

/// One line of an item's history: the note's kind, date, text and when it was written.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct PlanNote {
    pub item_id: String,
    pub kind: String,
    pub on: String,
    pub text: String,
}

/// A material of the meeting whose measures may join the plan.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct SettledMaterial {
    pub id: String,
    pub owner_name: String,
}

/// What removing an item from the plan did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// A typed-in item, deleted.
    Deleted,
    /// A material's measure, back to being only its owner's ledger item.
    Unlinked,
    /// A typed-in item with history (notes, evidence): kept, so nothing recorded is lost.
    HasHistory,
}

/// The source fields as stored.
struct SourceFields {
    code: &'static str,
    reference: Option<String>,
    feedback_kind: Option<&'static str>,
    issuer: Option<String>,
    document_number: Option<String>,
}

fn source_fields(source: &Source) -> SourceFields {
    let mut fields = SourceFields {
        code: source.kind().code(),
        reference: None,
        feedback_kind: None,
        issuer: None,
        document_number: None,
    };
    match source {
        Source::Material { reference } | Source::Opinion { reference } => {
            fields.reference = reference.clone();
        }
        Source::Supervision => {}
        Source::Superior {
            kind,
            issuer,
            document_number,
        } => {
            fields.feedback_kind = Some(kind.code());
            fields.issuer = Some(issuer.clone());
            fields.document_number = Some(document_number.clone());
        }
    }
    fields
}

/// The fields a form sets, as one `SET` list; a macro so each query stays one literal.
macro_rules! plan_fields {
    () => {
        "owner = $owner, problem = $problem, measure = $task, standard = $standard,
         kind = $kind, department = $department, category = $category,
         plan_source = $source, plan_source_ref = $source_ref,
         plan_feedback_kind = $feedback_kind, plan_issuer = $issuer,
         plan_document_number = $document_number, updated_at = time::now()"
    };
}

impl Store {
    /// The plan fields of a meeting's plan items, by item id.
    pub async fn plan_extras(&self, meeting_id: &str) -> Result<HashMap<String, PlanExtra>> {
        let rows: Vec<ExtraRow> = self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(id)) AS id, department, plan_source,
                            plan_source_ref, plan_feedback_kind, plan_issuer,
                            plan_document_number, plan_position,
                            string::slice(type::string(created_at), 0, 10) AS created_on
                         FROM ledger_item WHERE meeting = $meeting AND plan = true",
                    )
                    .bind(("meeting", record("meeting", meeting_id))),
            )
            .await?
            .take(0)?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let extra = PlanExtra {
                    department: row.department.clone().unwrap_or_default(),
                    source: row.source(),
                    position: row.plan_position.unwrap_or_default(),
                    created_on: row.created_on.clone(),
                };
                (row.id, extra)
            })
            .collect())
    }

    /// Adds a typed-in item to the meeting's plan, last; returns its id.
    pub async fn add_plan_item(
        &self,
        meeting_id: &str,
        item: &PlanItem,
        audit: &AuditEntry,
    ) -> Result<String> {
        let key = new_key();
        let mut audit = audit.clone();
        audit.target = Some(key.clone());
        let source = source_fields(&item.source);
        let deadline = item.deadline.map(|date| date.to_string());
        self.run(
            audit.bind(
                self.db()
                    .query(concat!(
                        "BEGIN;
                         LET $branch = (SELECT VALUE branch FROM ONLY $meeting);
                         -- `math::max` of nothing is -Infinity: a 0 in the list starts an empty plan at 1.
                         LET $next = array::max(array::append((SELECT VALUE plan_position
                            FROM ledger_item WHERE meeting = $meeting AND plan = true), 0)) + 1;
                         CREATE $id SET branch = $branch, meeting = $meeting, material = NONE,
                            measure_id = $measure_id, position = $next, plan = true,
                            plan_position = $next, status = 'not_started',
                            original_deadline = $deadline, deadline = $deadline,
                            follow_ups = [], settled = true, revision = 0,
                            created_at = time::now(), ",
                        plan_fields!(),
                        ";",
                        insert_audit!(),
                        "COMMIT;"
                    ))
                    .bind(("id", record("ledger_item", &key)))
                    .bind(("meeting", record("meeting", meeting_id)))
                    // Unique with `material` (NONE here) by the ledger's index.
                    .bind(("measure_id", format!("plan-{key}")))
                    .bind(("deadline", deadline))
                    .bind(("owner", record("user", &item.owner_id)))
                    .bind(("problem", item.problem.clone()))
                    .bind(("task", item.task.clone()))
                    .bind(("standard", item.standard.clone()))
                    .bind(("kind", item.kind.code()))
                    .bind(("department", item.department.clone()))
                    .bind(("category", item.source.kind().label()))
                    .bind(("source", source.code))
                    .bind(("source_ref", source.reference))
                    .bind(("feedback_kind", source.feedback_kind))
                    .bind(("issuer", source.issuer))
                    .bind(("document_number", source.document_number)),
            ),
        )
        .await?;
        Ok(key)
    }

    /// Rewrites a plan item from the form, if it is still at `revision`; `false` if someone
    /// changed it meanwhile. A new 时限 is the 时限 as planned (no extension to remember).
    pub async fn update_plan_item(
        &self,
        item_id: &str,
        revision: i64,
        item: &PlanItem,
        audit: &AuditEntry,
    ) -> Result<bool> {
        let source = source_fields(&item.source);
        let deadline = item.deadline.map(|date| date.to_string());
        let outcome = self
            .run(
                audit.bind(
                    self.db()
                        .query(concat!(
                            "BEGIN;
                             LET $changed = (UPDATE $id SET
                                original_deadline = IF deadline = $deadline
                                    THEN original_deadline ELSE $deadline END,
                                deadline = $deadline, revision += 1, ",
                            plan_fields!(),
                            " WHERE plan = true AND revision = $revision RETURN VALUE id);
                             IF array::len($changed) = 0 { THROW '",
                            stale_plan_item!(),
                            "' };",
                            insert_audit!(),
                            "COMMIT;"
                        ))
                        .bind(("id", record("ledger_item", item_id)))
                        .bind(("revision", revision))
                        .bind(("deadline", deadline))
                        .bind(("owner", record("user", &item.owner_id)))
                        .bind(("problem", item.problem.clone()))
                        .bind(("task", item.task.clone()))
                        .bind(("standard", item.standard.clone()))
                        .bind(("kind", item.kind.code()))
                        .bind(("department", item.department.clone()))
                        .bind(("category", item.source.kind().label()))
                        .bind(("source", source.code))
                        .bind(("source_ref", source.reference))
                        .bind(("feedback_kind", source.feedback_kind))
                        .bind(("issuer", source.issuer))
                        .bind(("document_number", source.document_number)),
                ),
            )
            .await;
        match outcome {
            Ok(_) => Ok(true),
            Err(StoreError::Database(message)) if message.contains(STALE_PLAN_ITEM) => Ok(false),
            Err(other) => Err(other),
        }
    }

    /// Takes an item out of the plan: deleted if it was typed in and has no history, back to
    /// its owner's own ledger if it came from a material.
    pub async fn remove_plan_item(&self, item_id: &str, audit: &AuditEntry) -> Result<Removal> {
        #[derive(SurrealValue)]
        struct Facts {
            from_material: bool,
            notes: i64,
        }
        let id = record("ledger_item", item_id);
        let mut facts: Vec<Facts> = self
            .run(
                self.db()
                    .query(
                        "SELECT !!material AS from_material,
                            array::len(SELECT VALUE id FROM ledger_note WHERE item = $id) AS notes
                         FROM $id WHERE plan = true",
                    )
                    .bind(("id", id.clone())),
            )
            .await?
            .take(0)?;
        let facts = facts.pop().ok_or(StoreError::NotFound)?;
        let (statement, outcome) = match (facts.from_material, facts.notes) {
            (true, _) => (
                "UPDATE $id SET plan = NONE, plan_position = NONE, department = NONE,
                    plan_source = NONE, plan_source_ref = NONE, plan_feedback_kind = NONE,
                    plan_issuer = NONE, plan_document_number = NONE, updated_at = time::now();",
                Removal::Unlinked,
            ),
            (false, 0) => ("DELETE $id;", Removal::Deleted),
            (false, _) => return Ok(Removal::HasHistory),
        };
        self.run(
            audit.bind(
                self.db()
                    .query(format!("BEGIN; {statement} {} COMMIT;", insert_audit!()))
                    .bind(("id", id)),
            ),
        )
        .await?;
        Ok(outcome)
    }

    /// Brings the settled items of a material (its measures, once approved) into the plan,
    /// after the items already there; returns how many joined.
    pub async fn import_material_items(
        &self,
        meeting_id: &str,
        material_id: &str,
        audit: &AuditEntry,
    ) -> Result<usize> {
        #[derive(SurrealValue)]
        struct Joining {
            id: RecordId,
            position: i64,
        }
        #[derive(SurrealValue)]
        struct Current {
            ids: Vec<RecordId>,
            last: Option<i64>,
        }
        let current: Option<Current> = self
            .run(
                self.db()
                    .query(
                        "RETURN {
                            ids: (SELECT VALUE id FROM ledger_item WHERE material = $material
                                AND settled = true AND plan != true ORDER BY position),
                            last: array::max(array::append((SELECT VALUE plan_position
                                FROM ledger_item WHERE meeting = $meeting AND plan = true), 0))
                        };",
                    )
                    .bind(("material", record("material", material_id)))
                    .bind(("meeting", record("meeting", meeting_id))),
            )
            .await?
            .take(0)?;
        let current = current.ok_or(StoreError::NotFound)?;
        let last = current.last.unwrap_or_default();
        let joining: Vec<Joining> = current
            .ids
            .into_iter()
            .enumerate()
            .map(|(index, id)| Joining {
                id,
                position: last + index as i64 + 1,
            })
            .collect();
        if joining.is_empty() {
            return Ok(0);
        }
        let count = joining.len();
        self.run(
            audit.bind(
                self.db()
                    .query(concat!(
                        "BEGIN;
                         FOR $joining IN $items {
                            UPDATE $joining.id SET plan = true, plan_position = $joining.position,
                                plan_source = 'material', plan_source_ref = $source_ref,
                                department = department ?? '', updated_at = time::now();
                         };",
                        insert_audit!(),
                        "COMMIT;"
                    ))
                    .bind(("items", joining))
                    .bind(("source_ref", material_id.to_string())),
            ),
        )
        .await?;
        Ok(count)
    }

    /// The meeting's approved (or later) materials, whose measures may join the plan.
    pub async fn settled_materials(&self, meeting_id: &str) -> Result<Vec<SettledMaterial>> {
        let mut rows: Vec<SettledMaterial> = self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(id)) AS id, owner.name AS owner_name
                         FROM material WHERE meeting = $meeting
                            AND state IN ['approved', 'spoken', 'final', 'reported']",
                    )
                    .bind(("meeting", record("meeting", meeting_id))),
            )
            .await?
            .take(0)?;
        crate::collation::sort_by_pinyin(&mut rows, |row| &row.owner_name);
        Ok(rows)
    }

    /// The history of the items, oldest first: what the 整改落实情况报告 replays.
    pub async fn plan_notes(&self, item_ids: &[String]) -> Result<Vec<PlanNote>> {
        let items: Vec<_> = item_ids
            .iter()
            .map(|id| record("ledger_item", id))
            .collect();
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(item)) AS item_id, kind, on, text, at
                         FROM ledger_note WHERE item IN $items ORDER BY at",
                    )
                    .bind(("items", items)),
            )
            .await?
            .take(0)?)
    }
}
