//! 整改台账 items: created from a material's measures when it is submitted (inside the
//! submission's transaction), following the measures until the material is approved, then
//! changed only through the ledger rules, each change with its note and audit row.
//!
//! Long because the 台账 tables' queries share one set of rows and audit rules; a third is
//! tests.

use super::{Result, Store, StoreError, record};
use crate::collation::NameOrder;
use crate::domain::ledger::{ExtensionRequest, ItemState, ItemStatus, MeasureEntry, MeasureKind};
use crate::domain::meeting::parse_date;
use crate::store::AuditEntry;
use chrono::NaiveDate;
use surrealdb::types::SurrealValue;

/// Creates or updates the items of `$id`'s measures from `$entries` and removes untouched
/// items of measures that are gone. Items of an approved material (`settled`) stay as they
/// are. For `concat!` into the submission transaction.
macro_rules! sync_ledger {
    () => {
        "LET $owner_meeting = (SELECT owner, meeting, meeting.branch AS branch FROM ONLY $id);
         FOR $entry IN $entries {
            LET $existing = (SELECT VALUE id FROM ledger_item
                WHERE material = $id AND measure_id = $entry.measure_id);
            IF array::len($existing) = 0 {
                CREATE ledger_item CONTENT {
                    branch: $owner_meeting.branch, meeting: $owner_meeting.meeting,
                    material: $id, owner: $owner_meeting.owner,
                    measure_id: $entry.measure_id, position: $entry.position,
                    measure: $entry.measure, standard: $entry.standard,
                    problem: $entry.problem, category: $entry.category, kind: $entry.kind,
                    status: 'not_started', original_deadline: $entry.deadline,
                    deadline: $entry.deadline, follow_ups: $entry.follow_ups,
                    settled: false, revision: 0, created_at: time::now(), updated_at: time::now()
                };
            } ELSE {
                UPDATE $existing[0] SET
                    deadline = IF deadline = original_deadline THEN $entry.deadline ELSE deadline END,
                    original_deadline = $entry.deadline,
                    position = $entry.position, measure = $entry.measure,
                    standard = $entry.standard, problem = $entry.problem,
                    category = $entry.category, kind = $entry.kind,
                    follow_ups = $entry.follow_ups, revision += 1, updated_at = time::now()
                WHERE settled = false;
            };
         };
         -- Two lookups by index, not one DELETE with a condition per row: SurrealDB 3.3
         -- walks the whole table for a DELETE whose WHERE it cannot plan.
         LET $dropped = SELECT VALUE id FROM ledger_item WHERE material = $id AND settled = false
            AND measure_id NOT IN $entries.measure_id AND status = 'not_started';
         LET $noted = SELECT VALUE item FROM ledger_note WHERE item IN $dropped;
         DELETE array::complement($dropped, $noted);"
    };
}
pub(crate) use sync_ledger;

/// A measure as the submission binds it.
#[derive(Debug, Clone, SurrealValue)]
pub struct LedgerEntryRow {
    measure_id: String,
    position: i64,
    measure: String,
    standard: String,
    problem: String,
    category: String,
    kind: String,
    deadline: Option<String>,
    follow_ups: Vec<String>,
}

impl LedgerEntryRow {
    pub fn rows(entries: &[MeasureEntry]) -> Vec<Self> {
        entries
            .iter()
            .enumerate()
            .map(|(index, entry)| {
                let state = ItemState::for_measure(entry.deadline.as_ref(), &entry.follow_ups);
                Self {
                    measure_id: entry.measure_id.clone(),
                    position: index as i64 + 1,
                    measure: entry.measure.clone(),
                    standard: entry.standard.clone(),
                    problem: entry.problem.clone(),
                    category: entry.category.clone(),
                    kind: state.kind.code().into(),
                    deadline: state.deadline.map(|date| date.to_string()),
                    follow_ups: state.follow_ups.iter().map(|d| d.to_string()).collect(),
                }
            })
            .collect()
    }
}

/// One ledger item with its people and meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerItem {
    pub id: String,
    pub branch_id: String,
    pub branch_name: String,
    pub meeting_id: String,
    pub meeting_title: String,
    /// When the meeting was set up (RFC 3339): meetings sort by it.
    pub meeting_created: String,
    pub owner_id: String,
    pub owner_name: String,
    pub position: i64,
    pub measure: String,
    pub standard: String,
    pub problem: String,
    pub category: String,
    pub state: ItemState,
    pub settled: bool,
    pub closed_by: Option<String>,
    pub closed_on: Option<String>,
    pub revision: i64,
    /// Part of its meeting's 整改方案 (`store::rectification_plan`).
    pub plan: bool,
}

impl LedgerItem {
    /// 销号人及日期, once closed.
    pub fn closed_label(&self) -> Option<String> {
        let by = self.closed_by.as_ref()?;
        Some(match &self.closed_on {
            Some(on) => format!("{by} {on}"),
            None => by.clone(),
        })
    }
}

#[derive(SurrealValue)]
struct ItemRow {
    id: String,
    branch_id: String,
    branch_name: String,
    meeting_id: String,
    meeting_title: String,
    meeting_created: String,
    owner_id: String,
    owner_name: String,
    position: i64,
    measure: String,
    standard: String,
    problem: String,
    category: String,
    kind: String,
    status: String,
    original_deadline: Option<String>,
    deadline: Option<String>,
    follow_ups: Vec<String>,
    completed_on: Option<String>,
    last_progress_on: Option<String>,
    extension_until: Option<String>,
    extension_reason: Option<String>,
    settled: bool,
    closed_by: Option<String>,
    closed_on: Option<String>,
    revision: i64,
    plan: bool,
}

fn date(raw: Option<String>) -> Result<Option<NaiveDate>> {
    raw.map(|raw| {
        parse_date(&raw).ok_or_else(|| StoreError::Database(format!("bad ledger date {raw}")))
    })
    .transpose()
}

/// The fields of an item's state as stored, whichever query read them.
struct StoredState {
    kind: String,
    status: String,
    original_deadline: Option<String>,
    deadline: Option<String>,
    follow_ups: Vec<String>,
    completed_on: Option<String>,
    last_progress_on: Option<String>,
    extension_until: Option<String>,
    extension_reason: Option<String>,
}

/// The state fields of a row that has them all ([`ItemRow`], [`StateRow`]).
macro_rules! stored_state {
    ($row:ident) => {
        StoredState {
            kind: $row.kind,
            status: $row.status,
            original_deadline: $row.original_deadline,
            deadline: $row.deadline,
            follow_ups: $row.follow_ups,
            completed_on: $row.completed_on,
            last_progress_on: $row.last_progress_on,
            extension_until: $row.extension_until,
            extension_reason: $row.extension_reason,
        }
    };
}

impl TryFrom<StoredState> for ItemState {
    type Error = StoreError;

    fn try_from(row: StoredState) -> Result<Self> {
        let status = ItemStatus::from_code(&row.status)
            .ok_or_else(|| StoreError::Database(format!("bad ledger status {}", row.status)))?;
        let kind = MeasureKind::from_code(&row.kind)
            .ok_or_else(|| StoreError::Database(format!("bad ledger kind {}", row.kind)))?;
        let extension = match (date(row.extension_until)?, row.extension_reason) {
            (Some(until), Some(reason)) => Some(ExtensionRequest { until, reason }),
            _ => None,
        };
        let follow_ups = row
            .follow_ups
            .into_iter()
            .map(|raw| date(Some(raw)).map(Option::unwrap_or_default))
            .collect::<Result<Vec<_>>>()?;
        Ok(ItemState {
            status,
            kind,
            original_deadline: date(row.original_deadline)?,
            deadline: date(row.deadline)?,
            follow_ups,
            completed_on: date(row.completed_on)?,
            last_progress_on: date(row.last_progress_on)?,
            extension,
        })
    }
}

impl TryFrom<ItemRow> for LedgerItem {
    type Error = StoreError;

    fn try_from(row: ItemRow) -> Result<Self> {
        let state = ItemState::try_from(stored_state!(row))?;
        Ok(Self {
            id: row.id,
            branch_id: row.branch_id,
            branch_name: row.branch_name,
            meeting_id: row.meeting_id,
            meeting_title: row.meeting_title,
            meeting_created: row.meeting_created,
            owner_id: row.owner_id,
            owner_name: row.owner_name,
            position: row.position,
            measure: row.measure,
            standard: row.standard,
            problem: row.problem,
            category: row.category,
            state,
            settled: row.settled,
            closed_by: row.closed_by,
            closed_on: row.closed_on,
            revision: row.revision,
            plan: row.plan,
        })
    }
}

/// An item's owner and state: [`state_fields`].
#[derive(SurrealValue)]
struct StateRow {
    id: String,
    owner_id: String,
    kind: String,
    status: String,
    original_deadline: Option<String>,
    deadline: Option<String>,
    follow_ups: Vec<String>,
    completed_on: Option<String>,
    last_progress_on: Option<String>,
    extension_until: Option<String>,
    extension_reason: Option<String>,
}

/// A row that knows its item, so the branch's two reminder queries can be merged.
trait KeyedRow: SurrealValue {
    fn key(&self) -> &str;
}

impl KeyedRow for ItemRow {
    fn key(&self) -> &str {
        &self.id
    }
}

impl KeyedRow for StateRow {
    fn key(&self) -> &str {
        &self.id
    }
}

/// The projection every item query shares; a macro so each query stays one literal.
macro_rules! item_fields {
    () => {
        "SELECT type::string(record::id(id)) AS id,
            type::string(record::id(branch)) AS branch_id, branch.name AS branch_name,
            type::string(record::id(meeting)) AS meeting_id, meeting.title AS meeting_title,
            type::string(meeting.created_at) AS meeting_created,
            type::string(record::id(owner)) AS owner_id, owner.name AS owner_name,
            position, measure, standard, problem, category, kind, status, original_deadline,
            deadline, array::sort(array::union(follow_ups, checks ?? [])) AS follow_ups,
            completed_on, last_progress_on, extension_until,
            extension_reason, settled, closed_by.name AS closed_by, closed_on, revision,
            plan ?? false AS plan
         FROM ledger_item "
    };
}

/// Only what the reminder rules read of an item: no joined names, so no other record is
/// fetched per row (the header counts reminders on every page).
macro_rules! state_fields {
    () => {
        "SELECT type::string(record::id(id)) AS id, type::string(record::id(owner)) AS owner_id,
            kind, status, original_deadline, deadline,
            array::sort(array::union(follow_ups, checks ?? [])) AS follow_ups,
            completed_on, last_progress_on, extension_until, extension_reason
         FROM ledger_item "
    };
}

/// A meeting's items (index `ledger_item_meeting`, migration 0011).
/// A meeting's items from its materials and its 整改方案: an item no material holds (a 民主评议
/// improvement plan, `store/cycle/evaluation.rs`) is the member's own and stays off the
/// published list unless the secretary put it in the plan.
macro_rules! meeting_items {
    () => {
        concat!(
            item_fields!(),
            "WHERE meeting = $key AND (!!material OR plan = true) ORDER BY owner_name, position"
        )
    };
}

/// The alert queries of [`Store::ledger_alerts`]; each is one range of an index on
/// (scope, alerting, alert_on) (migration 0010), which a test checks with EXPLAIN. Macros,
/// so the test can append `EXPLAIN` to the very same literal.
macro_rules! org_alerts {
    () => {
        concat!(
            item_fields!(),
            "WHERE org = $key AND alerting = true AND alert_on <= $cutoff ORDER BY alert_on LIMIT $limit"
        )
    };
}
macro_rules! org_alert_count {
    () => {
        "SELECT count() FROM ledger_item
         WHERE org = $key AND alerting = true AND alert_on <= $cutoff GROUP ALL"
    };
}
macro_rules! branch_alerts {
    () => {
        concat!(
            item_fields!(),
            "WHERE branch = $key AND alerting = true AND alert_on <= $cutoff ORDER BY alert_on LIMIT $limit"
        )
    };
}
macro_rules! branch_alert_count {
    () => {
        "SELECT count() FROM ledger_item
         WHERE branch = $key AND alerting = true AND alert_on <= $cutoff GROUP ALL"
    };
}

/// The reminder queries of [`Store::reminder_candidates`]. A person's own items coming due
/// by the cutoff: their few items by `ledger_item_owner`, then a filter.
macro_rules! owner_reminders {
    ($fields:expr) => {
        concat!(
            $fields,
            "WHERE owner = $key AND alerting = true AND alert_on <= $cutoff"
        )
    };
}
/// A branch's items coming due by the cutoff: one range of `ledger_item_branch_alert`.
macro_rules! branch_reminders {
    ($fields:expr) => {
        concat!(
            $fields,
            "WHERE branch = $key AND alerting = true AND alert_on <= $cutoff"
        )
    };
}
/// A branch's items waiting for the secretary's decision (migration 0012).
macro_rules! branch_decisions {
    ($fields:expr) => {
        concat!($fields, "WHERE branch = $key AND awaiting_decision = true")
    };
}

/// The three reminder queries over one projection, as [`Store::reminder_rows`] takes them.
macro_rules! reminder_queries {
    ($fields:expr) => {
        [
            owner_reminders!($fields),
            branch_reminders!($fields),
            branch_decisions!($fields),
        ]
    };
}

/// Which items a list shows.
#[derive(Debug, Clone, Copy)]
pub enum LedgerScope<'a> {
    Owner(&'a str),
    Branch(&'a str),
    /// Every branch under these nodes of the organisation tree (a subtree, as
    /// [`Store::subtree_ids`] gives it): the roll-up an administrator reads.
    Nodes(&'a [String]),
    /// One meeting's items.
    Meeting(&'a str),
    /// One meeting's 整改方案 items, in 序号 order.
    Plan(&'a str),
}

/// Whose reminders [`Store::reminder_candidates`] reads.
#[derive(Debug, Clone, Copy)]
pub enum ReminderScope<'a> {
    /// A person's own items with an alert date on or before `cutoff`.
    Owner { user_id: &'a str, cutoff: NaiveDate },
    /// A branch's items with an alert date on or before `cutoff`, and those waiting for a
    /// decision (销号, or an extension asked for).
    Branch {
        branch_id: &'a str,
        cutoff: NaiveDate,
    },
}

/// Where [`Store::ledger_alerts`] looks.
#[derive(Debug, Clone, Copy)]
pub enum AlertScope<'a> {
    Org(&'a str),
    Branch(&'a str),
}

/// A meeting of a branch's 台账, and whether its 整改清单 is published to the members.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct LedgerMeeting {
    pub meeting_id: String,
    pub title: String,
    pub branch_id: String,
    pub branch_name: String,
    /// When it was published (RFC 3339).
    pub published_at: Option<String>,
}

/// A ledger entry's history line.
#[derive(Debug, Clone, PartialEq, SurrealValue)]
pub struct LedgerNote {
    pub author_name: String,
    pub kind: String,
    pub on: String,
    pub text: String,
    pub evidence_id: Option<String>,
    pub evidence_name: Option<String>,
}

/// What a change writes besides the new state.
#[derive(Debug, Clone)]
pub struct LedgerChange<'a> {
    pub kind: &'static str,
    pub on: NaiveDate,
    pub text: &'a str,
}

/// The outcome of a change that raced another one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeOutcome {
    Applied,
    /// Someone changed the item in between: nothing was written.
    Stale,
}

const STALE_ITEM: &str = "ledger item changed meanwhile";

/// Puts ledger items in ledger order: by meeting (oldest first), branch, owner — whose names
/// follow `names`: 拼音 on screen, 按姓氏笔画 in an export — then 序号. Two people of one name
/// stay apart (by their ids), each with their items in 序号 order.
pub fn order_ledger(items: &mut [LedgerItem], names: NameOrder) {
    items.sort_by(|a, b| {
        a.meeting_created
            .cmp(&b.meeting_created)
            .then_with(|| a.branch_name.cmp(&b.branch_name))
            .then_with(|| names.compare(&a.owner_name, &b.owner_name))
            .then_with(|| a.owner_id.cmp(&b.owner_id))
            .then_with(|| a.position.cmp(&b.position))
    });
}

impl Store {
    /// The items of a person, a branch or an organisation, by meeting then 序号.
    pub async fn ledger_items(&self, scope: LedgerScope<'_>) -> Result<Vec<LedgerItem>> {
        let query = match scope {
            LedgerScope::Owner(id) => self
                .db()
                .query(concat!(
                    item_fields!(),
                    "WHERE owner = $key ORDER BY meeting_created, owner_name, position"
                ))
                .bind(("key", record("user", id))),
            LedgerScope::Branch(id) => self
                .db()
                .query(concat!(
                    item_fields!(),
                    "WHERE branch = $key ORDER BY meeting_created, owner_name, position"
                ))
                .bind(("key", record("branch", id))),
            LedgerScope::Meeting(id) => self
                .db()
                .query(meeting_items!())
                .bind(("key", record("meeting", id))),
            LedgerScope::Plan(id) => {
                let rows: Vec<ItemRow> = self
                    .run(
                        self.db()
                            .query(concat!(
                                item_fields!(),
                                "WHERE meeting = $key AND plan = true ORDER BY position"
                            ))
                            .bind(("key", record("meeting", id))),
                    )
                    .await?
                    .take(0)?;
                // The plan's own order (序号), not the ledger's by person.
                return rows.into_iter().map(LedgerItem::try_from).collect();
            }
            LedgerScope::Nodes(ids) => self
                .db()
                .query(concat!(
                    item_fields!(),
                    // `org` is kept on the item (migration 0010), so this reads the nodes'
                    // entries of an index instead of every item's branch.
                    "WHERE org IN $key ORDER BY meeting_created, branch_name, owner_name, position"
                ))
                .bind((
                    "key",
                    ids.iter().map(|id| record("org", id)).collect::<Vec<_>>(),
                )),
        };
        let rows: Vec<ItemRow> = self.run(query).await?.take(0)?;
        let mut items = rows
            .into_iter()
            .map(LedgerItem::try_from)
            .collect::<Result<Vec<_>>>()?;
        // The database orders names by code point; people read a list on screen in 拼音.
        order_ledger(&mut items, NameOrder::Pinyin);
        Ok(items)
    }

    /// The items that may remind someone today: a superset of those for which
    /// `domain::ledger::reminders` finds something, read by index, so the cost follows them
    /// and not the size of the ledger. In ledger order (meeting, owner, 序号).
    pub async fn reminder_candidates(&self, scope: ReminderScope<'_>) -> Result<Vec<LedgerItem>> {
        let rows: Vec<ItemRow> = self
            .reminder_rows(scope, reminder_queries!(item_fields!()))
            .await?;
        let mut items = rows
            .into_iter()
            .map(LedgerItem::try_from)
            .collect::<Result<Vec<_>>>()?;
        order_ledger(&mut items, NameOrder::Pinyin);
        Ok(items)
    }

    /// The owner and state of each of [`Store::reminder_candidates`], without the names
    /// and titles a list shows: enough to count reminders.
    pub async fn reminder_states(
        &self,
        scope: ReminderScope<'_>,
    ) -> Result<Vec<(String, ItemState)>> {
        let rows: Vec<StateRow> = self
            .reminder_rows(scope, reminder_queries!(state_fields!()))
            .await?;
        rows.into_iter()
            .map(|row| {
                let state = ItemState::try_from(stored_state!(row))?;
                Ok((row.owner_id, state))
            })
            .collect()
    }

    /// Runs the reminder queries of `scope`: `[owner, branch alerts, branch decisions]`.
    async fn reminder_rows<R: KeyedRow>(
        &self,
        scope: ReminderScope<'_>,
        [owner, branch, decisions]: [&'static str; 3],
    ) -> Result<Vec<R>> {
        Ok(match scope {
            ReminderScope::Owner { user_id, cutoff } => self
                .run(
                    self.db()
                        .query(owner)
                        .bind(("key", record("user", user_id)))
                        .bind(("cutoff", cutoff.to_string())),
                )
                .await?
                .take(0)?,
            ReminderScope::Branch { branch_id, cutoff } => {
                let mut response = self
                    .run(
                        self.db()
                            .query(branch)
                            .query(decisions)
                            .bind(("key", record("branch", branch_id)))
                            .bind(("cutoff", cutoff.to_string())),
                    )
                    .await?;
                let mut rows: Vec<R> = response.take(0)?;
                let deciding: Vec<R> = response.take(1)?;
                // An item can be both: reported done late, it still warns while it waits.
                let seen: std::collections::HashSet<String> =
                    rows.iter().map(|row| row.key().to_string()).collect();
                rows.extend(deciding.into_iter().filter(|row| !seen.contains(row.key())));
                rows
            }
        })
    }

    /// The items of an organisation or a branch measured against a date on or before
    /// `cutoff` — late, or coming due within the warning tiers when `cutoff` is today plus
    /// the yellow days — the nearest date first, the first `limit` of them: one range of an
    /// index on (scope, alerting, alert_on), read no further than `limit` entries, so the
    /// cost follows `limit`, not the size of the table.
    pub async fn ledger_alerts(
        &self,
        scope: AlertScope<'_>,
        cutoff: NaiveDate,
        limit: usize,
    ) -> Result<Vec<LedgerItem>> {
        let (query, key) = match scope {
            AlertScope::Org(id) => (org_alerts!(), record("org", id)),
            AlertScope::Branch(id) => (branch_alerts!(), record("branch", id)),
        };
        let rows: Vec<ItemRow> = self
            .run(
                self.db()
                    .query(query)
                    .bind(("key", key))
                    .bind(("cutoff", cutoff.to_string()))
                    .bind(("limit", limit as i64)),
            )
            .await?
            .take(0)?;
        rows.into_iter().map(LedgerItem::try_from).collect()
    }

    /// How many items [`Store::ledger_alerts`] would list without a limit: the same index
    /// range, whole. SurrealDB 3.3 counts a range by its index keys only when the condition
    /// is written out literally; with bound values, as here, it reads every record of the
    /// range, so this grows with the number of alerting items (docs/BENCHMARKS.md).
    pub async fn ledger_alert_count(
        &self,
        scope: AlertScope<'_>,
        cutoff: NaiveDate,
    ) -> Result<usize> {
        let (query, key) = match scope {
            AlertScope::Org(id) => (org_alert_count!(), record("org", id)),
            AlertScope::Branch(id) => (branch_alert_count!(), record("branch", id)),
        };
        let total: Vec<super::CountRow> = self
            .run(
                self.db()
                    .query(query)
                    .bind(("key", key))
                    .bind(("cutoff", cutoff.to_string())),
            )
            .await?
            .take(0)?;
        Ok(total.first().map_or(0, |row| row.count.max(0) as usize))
    }

    pub async fn ledger_item(&self, item_id: &str) -> Result<Option<LedgerItem>> {
        let rows: Vec<ItemRow> = self
            .run(
                self.db()
                    .query(concat!(item_fields!(), "WHERE id = $id"))
                    .bind(("id", record("ledger_item", item_id))),
            )
            .await?
            .take(0)?;
        rows.into_iter()
            .next()
            .map(LedgerItem::try_from)
            .transpose()
    }

    /// The meetings with items in the given branches, newest first.
    pub async fn ledger_meetings(&self, branch_ids: &[String]) -> Result<Vec<LedgerMeeting>> {
        let branches: Vec<_> = branch_ids.iter().map(|id| record("branch", id)).collect();
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(id)) AS meeting_id, title,
                    type::string(record::id(branch)) AS branch_id, branch.name AS branch_name,
                    IF ledger_published_at THEN type::string(ledger_published_at) END
                        AS published_at,
                    created_at
                 FROM meeting WHERE branch IN $branches
                    AND fn::has_ledger_items(id)
                 ORDER BY created_at DESC",
                    )
                    .bind(("branches", branches)),
            )
            .await?
            .take(0)?)
    }

    /// Publishes (or withdraws) a meeting's 整改清单 to its branch's members.
    pub async fn publish_ledger(
        &self,
        meeting_id: &str,
        published: bool,
        audit: &AuditEntry,
    ) -> Result<()> {
        self.run(
            audit.bind(
                self.db()
                    .query(concat!(
                        "BEGIN;
                     UPDATE $meeting SET ledger_published_at =
                        IF $published THEN ledger_published_at ?? time::now() END;",
                        insert_audit!(),
                        "COMMIT;"
                    ))
                    .bind(("meeting", record("meeting", meeting_id)))
                    .bind(("published", published)),
            ),
        )
        .await?;
        Ok(())
    }

    /// The item's history, oldest first.
    pub async fn ledger_notes(&self, item_id: &str) -> Result<Vec<LedgerNote>> {
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT author.name AS author_name, kind, on, text, at,
                    IF evidence THEN type::string(record::id(evidence)) END AS evidence_id,
                    evidence.name AS evidence_name
                 FROM ledger_note WHERE item = $id ORDER BY at",
                    )
                    .bind(("id", record("ledger_item", item_id))),
            )
            .await?
            .take(0)?)
    }

    /// The latest progress or completion report of each item, by item id.
    pub async fn ledger_last_reports(
        &self,
        item_ids: &[String],
    ) -> Result<std::collections::HashMap<String, String>> {
        #[derive(SurrealValue)]
        struct Report {
            item_id: String,
            text: String,
        }
        let items: Vec<_> = item_ids
            .iter()
            .map(|id| record("ledger_item", id))
            .collect();
        let reports: Vec<Report> = self.run(self
            .db()
            .query(
                "SELECT type::string(record::id(item)) AS item_id, text, at FROM ledger_note
                 WHERE item IN $items AND kind IN ['progress', 'report_done'] ORDER BY at",
            )
            .bind(("items", items)))
        .await?
        .take(0)?;
        // Oldest first, so the latest report of each item is the one kept.
        Ok(reports
            .into_iter()
            .map(|report| (report.item_id, report.text))
            .collect())
    }

    /// Writes `next` over the item if it is still at `revision`, with its note and audit row,
    /// in one transaction.
    pub async fn change_ledger_item(
        &self,
        item_id: &str,
        revision: i64,
        next: &ItemState,
        change: &LedgerChange<'_>,
        audit: &AuditEntry,
    ) -> Result<ChangeOutcome> {
        let dated = |d: Option<NaiveDate>| d.map(|d| d.to_string());
        let outcome = self
            .run(
                audit.bind(
                    self.db()
                        .query(concat!(
                            "BEGIN;
                     LET $changed = (UPDATE $id SET status = $status, deadline = $deadline,
                        -- The measure's own dates stay in follow_ups; the rest are the ledger's.
                        checks = array::complement($follow_ups, follow_ups),
                        completed_on = $completed_on, last_progress_on = $last_progress_on,
                        extension_until = $extension_until, extension_reason = $extension_reason,
                        -- 销号 records who closed it; a reopened item forgets it.
                        closed_by = IF $status != 'closed' THEN NONE
                            ELSE IF status = 'closed' THEN closed_by ELSE $audit_actor END,
                        closed_on = IF $status != 'closed' THEN NONE
                            ELSE IF status = 'closed' THEN closed_on ELSE $on END,
                        revision += 1, updated_at = time::now()
                        WHERE revision = $revision RETURN VALUE id);
                     IF array::len($changed) = 0 { THROW '",
                            "ledger item changed meanwhile",
                            "' };
                     CREATE ledger_note SET item = $id, author = $audit_actor, kind = $kind,
                        on = $on, text = $text, at = time::now();",
                            insert_audit!(),
                            "COMMIT;"
                        ))
                        .bind(("id", record("ledger_item", item_id)))
                        .bind(("revision", revision))
                        .bind(("status", next.status.code()))
                        .bind(("deadline", dated(next.deadline)))
                        .bind((
                            "follow_ups",
                            next.follow_ups
                                .iter()
                                .map(|d| d.to_string())
                                .collect::<Vec<_>>(),
                        ))
                        .bind(("completed_on", dated(next.completed_on)))
                        .bind(("last_progress_on", dated(next.last_progress_on)))
                        .bind((
                            "extension_until",
                            dated(next.extension.as_ref().map(|e| e.until)),
                        ))
                        .bind((
                            "extension_reason",
                            next.extension.as_ref().map(|e| e.reason.clone()),
                        ))
                        .bind(("kind", change.kind))
                        .bind(("on", change.on.to_string()))
                        .bind(("text", change.text.to_string())),
                ),
            )
            .await;
        match outcome {
            Ok(_) => Ok(ChangeOutcome::Applied),
            Err(StoreError::Database(message)) if message.contains(STALE_ITEM) => {
                Ok(ChangeOutcome::Stale)
            }
            Err(other) => Err(other),
        }
    }
}

#[cfg(test)]
mod tests {
    //! The database's copy of `alert_on` (migration 0010) against the domain's
    //! `ItemState::alert_date`, over every status, kind and combination of dates, on create
    //! and on update; and the alert query against a filter over every item.
    use super::*;
    use crate::domain::BranchName;
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0i64..60).prop_map(|offset| {
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap() + chrono::Duration::days(offset)
        })
    }

    /// A stored item's fields, as free as the schema allows.
    #[derive(Debug, Clone)]
    struct Fields {
        status: ItemStatus,
        kind: MeasureKind,
        deadline: Option<NaiveDate>,
        follow_ups: Vec<NaiveDate>,
        checks: Vec<NaiveDate>,
        completed_on: Option<NaiveDate>,
        last_progress_on: Option<NaiveDate>,
        /// An extension asked for, until this day.
        extension: Option<NaiveDate>,
    }

    fn any_fields() -> impl Strategy<Value = Fields> {
        (
            proptest::sample::select(ItemStatus::ALL.to_vec()),
            proptest::bool::ANY,
            proptest::option::of(any_date()),
            proptest::collection::vec(any_date(), 0..4),
            proptest::collection::vec(any_date(), 0..3),
            proptest::option::of(any_date()),
            proptest::option::of(any_date()),
            proptest::option::of(any_date()),
        )
            .prop_map(
                |(
                    status,
                    long_term,
                    deadline,
                    follow_ups,
                    checks,
                    completed_on,
                    last,
                    extension,
                )| Fields {
                    status,
                    kind: if long_term {
                        MeasureKind::LongTerm
                    } else {
                        MeasureKind::ByDate
                    },
                    deadline,
                    follow_ups,
                    checks,
                    completed_on,
                    last_progress_on: last,
                    extension,
                },
            )
    }

    fn texts(dates: &[NaiveDate]) -> Vec<String> {
        dates.iter().map(NaiveDate::to_string).collect()
    }

    /// A store with the demo organisation, whose first meeting and member the test items
    /// hang on (the item read joins their title and name).
    async fn demo_store() -> Store {
        let store = Store::in_memory().await.unwrap();
        crate::seed::create_demo(&store).await.unwrap();
        store
    }

    async fn org_with_branch(store: &Store, org_name: &str) -> (String, String) {
        let org = store.create_org(org_name).await.unwrap();
        let name = BranchName::parse("第一党支部").unwrap();
        let branch = store
            .create_branch(&org, &name, &AuditEntry::new("test"))
            .await
            .unwrap();
        (org, branch)
    }

    /// Writes `fields` into item `key` (creating it if needed), returns the stored alert_on.
    async fn write(store: &Store, branch: &str, key: &str, fields: &Fields) -> Option<String> {
        let rows: Vec<surrealdb::types::Value> = store
            .run(
                store
                    .db()
                    .query(
                        "LET $meeting = (SELECT VALUE id FROM meeting LIMIT 1)[0];
                        LET $owner = (SELECT VALUE id FROM user LIMIT 1)[0];
                        UPSERT $id CONTENT {
                            branch: $branch, meeting: $meeting, material: material:m,
                            owner: $owner, measure_id: $key, position: 1, measure: '措施',
                            standard: '', problem: '', category: '', kind: $kind,
                            status: $status, original_deadline: $deadline, deadline: $deadline,
                            follow_ups: $follow_ups, checks: $checks,
                            completed_on: $completed_on, last_progress_on: $last,
                            extension_until: $extension,
                            extension_reason: IF $extension THEN '工作量大' END,
                            settled: true, revision: 0,
                            created_at: time::now(), updated_at: time::now()
                        } RETURN alert_on, alerting",
                    )
                    .bind(("id", record("ledger_item", key)))
                    .bind(("key", key.to_string()))
                    .bind(("branch", record("branch", branch)))
                    .bind(("kind", fields.kind.code()))
                    .bind(("status", fields.status.code()))
                    .bind(("deadline", fields.deadline.map(|d| d.to_string())))
                    .bind(("follow_ups", texts(&fields.follow_ups)))
                    .bind(("checks", texts(&fields.checks)))
                    .bind(("completed_on", fields.completed_on.map(|d| d.to_string())))
                    .bind(("last", fields.last_progress_on.map(|d| d.to_string())))
                    .bind(("extension", fields.extension.map(|d| d.to_string()))),
            )
            .await
            .unwrap()
            .take(2)
            .unwrap();
        let row = rows[0].clone().into_json_value();
        let alert_on = row["alert_on"].as_str().map(str::to_string);
        assert_eq!(
            row["alerting"].as_bool(),
            Some(alert_on.is_some()),
            "alerting follows alert_on: {row}"
        );
        alert_on
    }

    async fn domain_alert(store: &Store, key: &str) -> Option<String> {
        let item = store.ledger_item(key).await.unwrap().unwrap();
        item.state.alert_date().map(|d| d.to_string())
    }

    /// Random fields, the same every run.
    fn sample(runner: &mut proptest::test_runner::TestRunner) -> Fields {
        any_fields().new_tree(runner).unwrap().current()
    }

    #[tokio::test]
    async fn the_stored_alert_date_is_the_domains_on_create_and_on_update() {
        let store = demo_store().await;
        let (_, branch) = org_with_branch(&store, "测试单位").await;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        for case in 0..400 {
            let key = format!("c{case}");
            let first = sample(&mut runner);
            let created = write(&store, &branch, &key, &first).await;
            assert_eq!(
                created,
                domain_alert(&store, &key).await,
                "created {first:?}"
            );
            let then = sample(&mut runner);
            let updated = write(&store, &branch, &key, &then).await;
            assert_eq!(
                updated,
                domain_alert(&store, &key).await,
                "updated to {then:?}"
            );
        }
    }

    /// The plans of the alert queries: one index range each, no table scan, no sort, no
    /// filter after the scan. `XINGSHEN_EXPLAIN=1` prints them (docs/BENCHMARKS.md).
    #[tokio::test]
    async fn the_alert_queries_are_one_index_range_each() {
        let store = demo_store().await;
        let (org, branch) = org_with_branch(&store, "测试单位").await;
        let cases = [
            (
                concat!(org_alerts!(), " EXPLAIN"),
                record("org", &org),
                "ledger_item_org_alert",
            ),
            (
                concat!(org_alert_count!(), " EXPLAIN"),
                record("org", &org),
                "ledger_item_org_alert",
            ),
            (
                concat!(branch_alerts!(), " EXPLAIN"),
                record("branch", &branch),
                "ledger_item_branch_alert",
            ),
            (
                concat!(branch_alert_count!(), " EXPLAIN"),
                record("branch", &branch),
                "ledger_item_branch_alert",
            ),
        ];
        for (query, key, index) in cases {
            let bound = store
                .db()
                .query(query)
                .bind(("key", key))
                .bind(("cutoff", "2026-12-21"))
                .bind(("limit", 50));
            let plan = crate::store::assert_index_plan(&store, query, bound, index).await;
            for slow in ["Sort", "Filter"] {
                assert!(!plan.contains(slow), "{slow} in {plan}");
            }
        }
    }

    /// Why [`Store::ledger_alert_count`] reads every alerting record (docs/BENCHMARKS.md):
    /// SurrealDB 3.3 counts an index range by its keys alone (`IndexCountScan`) when the
    /// condition is literal, and plans a bound one as an aggregate over a fetching index scan.
    /// A canary: when this fails, SurrealDB counts bound ranges by key too, and the count's
    /// figures in BENCHMARKS are due for a new run.
    #[tokio::test]
    async fn a_count_with_bound_values_reads_the_records_and_a_literal_one_does_not() {
        let store = demo_store().await;
        let literal =
            "SELECT count() FROM ledger_item WHERE owner = user:someone GROUP ALL EXPLAIN";
        let bound = "SELECT count() FROM ledger_item WHERE owner = $key GROUP ALL EXPLAIN";
        let plan = |query: &'static str| {
            let store = store.clone();
            async move {
                let explained: Option<surrealdb::types::Value> = store
                    .run(
                        store
                            .db()
                            .query(query)
                            .bind(("key", record("user", "someone"))),
                    )
                    .await
                    .unwrap()
                    .take(0)
                    .unwrap();
                let plan = explained.unwrap().into_json_value().to_string();
                if std::env::var_os("XINGSHEN_EXPLAIN").is_some() {
                    println!("{query}\n=> {plan}\n");
                }
                plan
            }
        };
        assert!(
            plan(literal)
                .await
                .contains("\"operator\":\"IndexCountScan\"")
        );
        let bound_plan = plan(bound).await;
        assert!(!bound_plan.contains("IndexCountScan"), "{bound_plan}");
        assert!(
            bound_plan.contains("\"operator\":\"Aggregate\""),
            "{bound_plan}"
        );
        assert!(
            bound_plan.contains("\"index\":\"ledger_item_owner\""),
            "{bound_plan}"
        );
    }

    /// The reminder queries read by index: the branch's two by one range or key each, the
    /// owner's by their own items.
    #[tokio::test]
    async fn the_reminder_queries_read_by_index() {
        let store = demo_store().await;
        let (_, branch) = org_with_branch(&store, "测试单位").await;
        let cases = [
            (
                concat!(branch_reminders!(item_fields!()), " EXPLAIN"),
                record("branch", &branch),
                "ledger_item_branch_alert",
            ),
            (
                concat!(branch_decisions!(item_fields!()), " EXPLAIN"),
                record("branch", &branch),
                "ledger_item_branch_decision",
            ),
            (
                concat!(owner_reminders!(state_fields!()), " EXPLAIN"),
                record("user", "someone"),
                "ledger_item_owner",
            ),
        ];
        for (query, key, index) in cases {
            let bound = store
                .db()
                .query(query)
                .bind(("key", key))
                .bind(("cutoff", "2026-12-21"));
            let plan = crate::store::assert_index_plan(&store, query, bound, index).await;
            if index != "ledger_item_owner" {
                assert!(!plan.contains("Filter"), "{plan}");
            }
        }
    }

    /// Whatever the items and the day, the candidates give exactly the reminders that all
    /// the items give.
    #[tokio::test]
    async fn reminder_candidates_miss_no_reminder() {
        use crate::domain::ledger::{Standing, WarningTiers, reminders};
        let store = demo_store().await;
        let (_, branch) = org_with_branch(&store, "测试单位").await;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        for index in 0..150 {
            write(
                &store,
                &branch,
                &format!("r{index:03}"),
                &sample(&mut runner),
            )
            .await;
        }
        let all = store
            .ledger_items(LedgerScope::Branch(&branch))
            .await
            .unwrap();
        let owner = all[0].owner_id.clone();
        // Sorted: the test items share their meeting, owner and 序号.
        let expected = |items: &[LedgerItem], who, today, tiers| -> Vec<String> {
            let mut found: Vec<String> = items
                .iter()
                .flat_map(|item| {
                    reminders(&item.state, who, today, tiers)
                        .into_iter()
                        .map(|reminder| format!("{} {reminder:?}", item.id))
                })
                .collect();
            found.sort();
            found
        };
        let mut heard = 0;
        for (today, tiers) in [
            ("2026-01-15", WarningTiers::default()),
            ("2026-06-30", WarningTiers::default()),
            (
                "2026-12-01",
                WarningTiers {
                    yellow_days: 40,
                    red_days: 3,
                },
            ),
            (
                "2027-03-01",
                WarningTiers {
                    yellow_days: 5,
                    red_days: 5,
                },
            ),
        ] {
            let today = parse_date(today).unwrap();
            let days = |n: i64| today + chrono::Days::new(n as u64);
            let branch_candidates = store
                .reminder_candidates(ReminderScope::Branch {
                    branch_id: &branch,
                    cutoff: days(tiers.red_days),
                })
                .await
                .unwrap();
            let reviewer = expected(&all, Standing::Reviewer, today, tiers);
            // The states alone (what the header counts) give the same reminders.
            let states = store
                .reminder_states(ReminderScope::Branch {
                    branch_id: &branch,
                    cutoff: days(tiers.red_days),
                })
                .await
                .unwrap();
            let heard_from = |pairs: Vec<(String, &ItemState)>| {
                let mut found: Vec<String> = pairs
                    .into_iter()
                    .flat_map(|(owner, state)| {
                        reminders(state, Standing::Reviewer, today, tiers)
                            .into_iter()
                            .map(move |reminder| format!("{owner} {reminder:?}"))
                    })
                    .collect();
                found.sort();
                found
            };
            assert_eq!(
                heard_from(states.iter().map(|(o, s)| (o.clone(), s)).collect()),
                heard_from(all.iter().map(|i| (i.owner_id.clone(), &i.state)).collect()),
                "states on {today}"
            );
            assert_eq!(
                expected(&branch_candidates, Standing::Reviewer, today, tiers),
                reviewer,
                "reviewer on {today}"
            );
            let own_candidates = store
                .reminder_candidates(ReminderScope::Owner {
                    user_id: &owner,
                    cutoff: days(tiers.yellow_days),
                })
                .await
                .unwrap();
            let own: Vec<LedgerItem> = all
                .iter()
                .filter(|i| i.owner_id == owner)
                .cloned()
                .collect();
            let owner_heard = expected(&own, Standing::Owner, today, tiers);
            assert_eq!(
                expected(&own_candidates, Standing::Owner, today, tiers),
                owner_heard,
                "owner on {today}"
            );
            assert!(
                branch_candidates.len() < all.len(),
                "candidates are fewer than all the items on {today}"
            );
            heard += reviewer.len() + owner_heard.len();
        }
        assert!(heard > 50, "the sample reminds of something: {heard}");
    }

    #[tokio::test]
    async fn a_meetings_items_are_an_index_lookup() {
        let store = Store::in_memory().await.unwrap();
        crate::store::assert_index_lookup(
            &store,
            concat!(meeting_items!(), " EXPLAIN"),
            "key",
            record("meeting", "some_meeting"),
            "ledger_item_meeting",
        )
        .await;
    }

    #[tokio::test]
    async fn alerts_are_the_items_due_by_the_cutoff_nearest_first() {
        let store = demo_store().await;
        let (org, branch) = org_with_branch(&store, "测试单位").await;
        let (other_org, other_branch) = org_with_branch(&store, "另一单位").await;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let mut expected = Vec::new();
        for index in 0..120 {
            let fields = sample(&mut runner);
            let key = format!("i{index:03}");
            let into = if index % 3 == 0 {
                &other_branch
            } else {
                &branch
            };
            let alert_on = write(&store, into, &key, &fields).await;
            if into == &branch {
                expected.extend(alert_on.map(|date| (date, key)));
            }
        }
        let cutoff = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        expected.retain(|(date, _)| date.as_str() <= "2026-04-01");
        expected.sort();
        assert!(
            expected.len() > 10,
            "the sample has alerts: {}",
            expected.len()
        );

        for scope in [AlertScope::Org(&org), AlertScope::Branch(&branch)] {
            let page = store.ledger_alerts(scope, cutoff, 10).await.unwrap();
            let total = store.ledger_alert_count(scope, cutoff).await.unwrap();
            assert_eq!(total, expected.len(), "{scope:?}");
            let dates: Vec<String> = page
                .iter()
                .map(|item| item.state.alert_date().unwrap().to_string())
                .collect();
            let wanted: Vec<String> = expected[..10].iter().map(|(d, _)| d.clone()).collect();
            assert_eq!(dates, wanted, "{scope:?}: the nearest first");
        }
        let elsewhere = store
            .ledger_alert_count(AlertScope::Org(&other_org), cutoff)
            .await
            .unwrap();
        assert!(elsewhere > 0 && elsewhere + expected.len() < 120);
    }
}
