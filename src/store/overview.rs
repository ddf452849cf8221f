//! The facts the 上级's overview (issue 28, item 6) reads for the meetings below a node:
//! where each branch hangs, each meeting's plan state, dates and 报送, whether some material
//! or ledger item of it is in a given state, and the overdue 整改 per node. Every read goes
//! through an index (migration 0025; the tests below hold the plans to them); no text of a
//! material or a survey is ever read.

use super::{Result, Store, record};
use crate::domain::meeting::{MeetingKind, parse_date};
use crate::domain::overview::StageFacts;
use chrono::NaiveDate;
use surrealdb::types::SurrealValue;

/// A branch and the node it hangs under.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct BranchPlace {
    pub id: String,
    pub name: String,
    pub node: String,
}

/// What the material lookups answer (migration 0025, `fn::overview_materials`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, SurrealValue)]
struct MaterialFacts {
    drafting: bool,
    awaiting_review: bool,
    spoken: bool,
}

/// What the ledger lookups answer (migration 0025, `fn::overview_ledger`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, SurrealValue)]
struct LedgerFacts {
    has_items: bool,
    open_items: bool,
}

#[derive(SurrealValue)]
struct OverviewRow {
    id: String,
    branch_id: String,
    title: String,
    kind: MeetingKind,
    plan_state: Option<String>,
    materials_due: Option<String>,
    meeting_on: Option<String>,
    report_due: Option<String>,
    reported: bool,
    materials: Option<MaterialFacts>,
    ledger: Option<LedgerFacts>,
}

/// A meeting below the node, with the facts its stage is worked out from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverviewMeeting {
    pub id: String,
    pub branch_id: String,
    pub title: String,
    pub kind: MeetingKind,
    pub report_due: Option<NaiveDate>,
    pub facts: StageFacts,
}

impl From<OverviewRow> for OverviewMeeting {
    fn from(row: OverviewRow) -> Self {
        let date = |raw: &Option<String>| raw.as_deref().and_then(parse_date);
        let materials = row.materials.unwrap_or_default();
        let ledger = row.ledger.unwrap_or_default();
        Self {
            report_due: date(&row.report_due),
            facts: StageFacts {
                plan_state: row.plan_state,
                materials_due: date(&row.materials_due),
                meeting_on: date(&row.meeting_on),
                drafting: materials.drafting,
                awaiting_review: materials.awaiting_review,
                spoken: materials.spoken,
                reported: row.reported,
                has_items: ledger.has_items,
                open_items: ledger.open_items,
            },
            id: row.id,
            branch_id: row.branch_id,
            title: row.title,
            kind: row.kind,
        }
    }
}

/// The branches under these nodes; by `branch_org_name`.
macro_rules! branch_places {
    () => {
        "SELECT type::string(record::id(id)) AS id, name, type::string(record::id(org)) AS node
         FROM branch WHERE org IN $nodes"
    };
}

/// The meetings of these branches with their stage facts; by `meeting_branch`. The stage
/// looks at materials only before the meeting's date and at the ledger only after the 报送
/// (`StageFacts::stage`), so the lookups run only for those meetings: most meetings of a
/// county are long past, and for them the row alone decides. `plan_state` is read even
/// where the field is not defined yet (it reads as NONE).
macro_rules! overview_meetings {
    () => {
        "SELECT type::string(record::id(id)) AS id,
            type::string(record::id(branch)) AS branch_id, title, kind, plan_state,
            materials_due, meeting_on, report_due, reported_at != NONE AS reported,
            (IF reported_at != NONE THEN NONE
             ELSE IF meeting_on != NONE AND meeting_on <= $today THEN NONE
             ELSE fn::overview_materials(id) END) AS materials,
            (IF reported_at != NONE THEN fn::overview_ledger(id) ELSE NONE END) AS ledger
         FROM meeting WHERE branch IN $branches"
    };
}

/// The open items of one node past their 时限 (`alert_on` before today: the domain's
/// `Urgency::Overdue`); one range of `ledger_item_org_alert`, bound as every query is. The
/// overview counts with [`overdue_count_literal`] instead; a test holds the two equal.
#[cfg(test)]
macro_rules! overdue_items {
    () => {
        "SELECT count() AS count FROM ledger_item
         WHERE org = $node AND alerting = true AND alert_on < $today GROUP ALL"
    };
}

/// The one query of the store written with its values in the text rather than bound: the
/// overdue count of a node. SurrealDB 3.3 counts an index range by its keys alone
/// (`IndexCountScan`) only when the condition is literal; bound, it reads every record it
/// counts (≈ 33 µs each; a county's 28,836 overdue items took 0.9 s a page,
/// docs/BENCHMARKS.md). Both values are made here, never taken from a request: `today` is
/// a date the server formats, `node` a record key checked to be the store's own alphabet
/// (`new_key`: a–z, 0–9) — anything else is refused, not escaped.
fn overdue_count_literal(node: &str, today: NaiveDate) -> Result<String> {
    if node.is_empty()
        || !node
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return Err(super::StoreError::NotFound);
    }
    Ok(format!(
        "SELECT count() AS count FROM ledger_item
         WHERE org = org:{node} AND alerting = true AND alert_on < '{today}' GROUP ALL",
        today = today.format("%Y-%m-%d")
    ))
}

impl Store {
    /// The branches under these nodes (a subtree, as [`Store::subtree_ids`] gives it).
    pub async fn branch_places(&self, nodes: &[String]) -> Result<Vec<BranchPlace>> {
        let nodes: Vec<_> = nodes.iter().map(|id| record("org", id)).collect();
        Ok(self
            .run(self.db().query(branch_places!()).bind(("nodes", nodes)))
            .await?
            .take(0)?)
    }

    /// The meetings of these branches, each with the facts of its stage on `today`.
    pub async fn overview_meetings(
        &self,
        branches: &[String],
        today: NaiveDate,
    ) -> Result<Vec<OverviewMeeting>> {
        let branches: Vec<_> = branches.iter().map(|id| record("branch", id)).collect();
        let rows: Vec<OverviewRow> = self
            .run(
                self.db()
                    .query(overview_meetings!())
                    .bind(("branches", branches))
                    .bind(("today", today.to_string())),
            )
            .await?
            .take(0)?;
        Ok(rows.into_iter().map(OverviewMeeting::from).collect())
    }

    /// How many open ledger items of `node`'s own branches are past their 时限 on `today`,
    /// counted by index keys alone. Items of branches further down count for their own node.
    pub async fn overdue_items_of_node(&self, node: &str, today: NaiveDate) -> Result<usize> {
        let rows: Vec<super::CountRow> = self
            .run(self.db().query(overdue_count_literal(node, today)?))
            .await?
            .take(0)?;
        Ok(rows
            .first()
            .map_or(0, |row| usize::try_from(row.count).unwrap_or(0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::assert_index_plan;

    /// Every query of the overview reads by index, never its whole table.
    /// `XINGSHEN_EXPLAIN=1` prints the plans (docs/BENCHMARKS.md).
    #[tokio::test]
    async fn the_overview_reads_by_index() {
        let store = Store::in_memory().await.unwrap();
        crate::seed::create_demo(&store).await.unwrap();
        let node = record("org", "someone");
        let meeting = record("meeting", "some");
        let cases = [
            (
                concat!(branch_places!(), " EXPLAIN"),
                store
                    .db()
                    .query(concat!(branch_places!(), " EXPLAIN"))
                    .bind(("nodes", vec![node.clone(), record("org", "other")])),
                "branch_org_name",
            ),
            (
                concat!(overview_meetings!(), " EXPLAIN"),
                store
                    .db()
                    .query(concat!(overview_meetings!(), " EXPLAIN"))
                    .bind(("branches", vec![record("branch", "a"), record("branch", "b")]))
                    .bind(("today", "2026-12-06")),
                "meeting_branch",
            ),
            (
                concat!(overdue_items!(), " EXPLAIN"),
                store
                    .db()
                    .query(concat!(overdue_items!(), " EXPLAIN"))
                    .bind(("node", node))
                    .bind(("today", "2026-12-06")),
                "ledger_item_org_alert",
            ),
            (
                "material lookup",
                store
                    .db()
                    .query(
                        "SELECT id FROM material WITH INDEX material_meeting_state WHERE meeting = $meeting AND state = $state
                         LIMIT 1 EXPLAIN",
                    )
                    .bind(("meeting", meeting.clone()))
                    .bind(("state", "submitted")),
                "material_meeting_state",
            ),
            (
                "ledger lookup",
                store
                    .db()
                    .query(
                        "SELECT id FROM ledger_item WITH INDEX ledger_item_meeting_status WHERE meeting = $meeting AND status = $status
                         LIMIT 1 EXPLAIN",
                    )
                    .bind(("meeting", meeting))
                    .bind(("status", "ongoing")),
                "ledger_item_meeting_status",
            ),
        ];
        for (label, query, index) in cases {
            let plan = assert_index_plan(&store, label, query, index).await;
            assert!(!plan.contains("Sort"), "{plan}");
        }
    }

    /// The overdue count reads index keys only, counts what the bound query counts, and
    /// refuses a key outside the store's alphabet instead of writing it into the text.
    #[tokio::test]
    async fn the_overdue_count_counts_index_keys_and_agrees_with_the_bound_query() {
        let store = Store::in_memory().await.unwrap();
        crate::seed::create_demo(&store).await.unwrap();
        crate::seed::create_demo_history(&store).await.unwrap();
        let org: Vec<String> = store
            .run(
                store
                    .db()
                    // The demo organisation (the seed also puts a 上级 node above it).
                    .query("SELECT VALUE type::string(record::id(org)) FROM branch LIMIT 1"),
            )
            .await
            .unwrap()
            .take(0)
            .unwrap();
        let node = &org[0];
        let today = crate::server::clock::today();
        let query = format!("{} EXPLAIN", overdue_count_literal(node, today).unwrap());
        let plan: Option<surrealdb::types::Value> = store
            .run(store.db().query(query))
            .await
            .unwrap()
            .take(0)
            .unwrap();
        let plan = plan.unwrap().into_json_value().to_string();
        assert!(plan.contains("\"operator\":\"IndexCountScan\""), "{plan}");
        assert!(!plan.contains("TableScan"), "{plan}");
        let bound: Vec<crate::store::CountRow> = store
            .run(
                store
                    .db()
                    .query(overdue_items!())
                    .bind(("node", record("org", node)))
                    .bind(("today", today.to_string())),
            )
            .await
            .unwrap()
            .take(0)
            .unwrap();
        let counted = store.overdue_items_of_node(node, today).await.unwrap();
        assert_eq!(counted, 1, "the demo's one overdue item");
        assert_eq!(bound.first().map_or(0, |row| row.count), 1);
        for bad in ["", "x' OR true", "ORG", "a;b", "甲"] {
            assert!(overdue_count_literal(bad, today).is_err(), "{bad}");
        }
    }
}
