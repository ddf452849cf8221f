//! Versioned schema migrations, applied in order at start-up. A migration and the record
//! saying it ran commit in one transaction, so a crash never leaves half a schema, and two
//! instances starting together cannot both apply one (see [`apply`]).

use super::{Result, Store};
use surrealdb::types::SurrealValue;

/// Every migration ever shipped, oldest first. Never edit one that has shipped: add another.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "accounts",
        include_str!("migrations/0001_accounts.surql"),
    ),
    (
        2,
        "materials",
        include_str!("migrations/0002_materials.surql"),
    ),
    (
        3,
        "submissions",
        include_str!("migrations/0003_submissions.surql"),
    ),
    (
        4,
        "sessions and reviews",
        include_str!("migrations/0004_sessions_reviews.surql"),
    ),
    (
        5,
        "organisation templates",
        include_str!("migrations/0005_org_templates.surql"),
    ),
    (
        6,
        "second reviewer",
        include_str!("migrations/0006_second_reviewer.surql"),
    ),
    (7, "ledger", include_str!("migrations/0007_ledger.surql")),
    (
        8,
        "ledger evidence, follow-ups, warning tiers and calendar feeds",
        include_str!("migrations/0008_ledger_tracking.surql"),
    ),
    (
        9,
        "meeting cycle",
        include_str!("migrations/0009_meeting_cycle.surql"),
    ),
    (
        10,
        "ledger alert index",
        include_str!("migrations/0010_ledger_alert_index.surql"),
    ),
    (
        11,
        "lookup indexes and functions",
        include_str!("migrations/0011_lookup_indexes.surql"),
    ),
    (
        12,
        "ledger decision index",
        include_str!("migrations/0012_ledger_decision_index.surql"),
    ),
    (
        13,
        "review queue functions",
        include_str!("migrations/0013_review_queue.surql"),
    ),
    (
        14,
        "install secrets",
        include_str!("migrations/0014_install_secret.surql"),
    ),
    (
        15,
        "policy packs",
        include_str!("migrations/0015_policy_packs.surql"),
    ),
    (
        16,
        "meeting kinds as codes",
        include_str!("migrations/0016_meeting_kind_codes.surql"),
    ),
    (
        17,
        "evidence uploader index",
        include_str!("migrations/0017_evidence_uploader_index.surql"),
    ),
    (
        18,
        "outbound notifications",
        include_str!("migrations/0018_notifications.surql"),
    ),
    (
        19,
        "login sessions in their own table",
        include_str!("migrations/0019_login_session_table.surql"),
    ),
    (
        20,
        "democratic appraisal of members (民主评议党员)",
        include_str!("migrations/0020_evaluation.surql"),
    ),
    (
        21,
        "nested organisations",
        include_str!("migrations/0021_org_tree.surql"),
    ),
    (
        22,
        "leadership groups and the collective material",
        include_str!("migrations/0022_leadership_group.surql"),
    ),
    (
        23,
        "the 督导组: supervisors, 会议方案 approval, 点评",
        include_str!("migrations/0023_supervision.surql"),
    ),
    (
        24,
        "the 整改方案 and its three lists",
        include_str!("migrations/0024_rectification_plan.surql"),
    ),
    (
        25,
        "the superior's overview of meetings",
        include_str!("migrations/0025_overview_indexes.surql"),
    ),
];

#[derive(SurrealValue)]
struct Applied {
    version: i64,
}

/// How often a start tries again after losing a race to another instance.
const ATTEMPTS: u32 = 5;

/// Applies every migration newer than the database's latest. Instances starting together
/// on one database server race for each migration: the loser's transaction fails (a write
/// conflict, or the migration's record already there), so it waits, reads again which
/// migrations are now applied, and goes on from there. A migration that keeps failing is
/// reported after the last attempt.
pub async fn apply(store: &Store) -> Result<()> {
    let mut attempt = 1;
    loop {
        match apply_pending(store).await {
            Ok(()) => return Ok(()),
            Err(error) if attempt < ATTEMPTS => {
                tracing::info!(attempt, %error, "migrations raced another start; trying again");
                tokio::time::sleep(std::time::Duration::from_millis(100 * u64::from(attempt)))
                    .await;
                attempt += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

async fn apply_pending(store: &Store) -> Result<()> {
    store
        .run(store.db().query(
            "DEFINE TABLE IF NOT EXISTS migration SCHEMAFULL;
         DEFINE FIELD IF NOT EXISTS version ON migration TYPE int;
         DEFINE FIELD IF NOT EXISTS name ON migration TYPE string;
         DEFINE FIELD IF NOT EXISTS applied_at ON migration TYPE datetime;",
        ))
        .await?;
    let applied: Vec<Applied> = store
        .run(store.db().query("SELECT version FROM migration"))
        .await?
        .take(0)?;
    let latest = applied.iter().map(|a| a.version).max().unwrap_or(0);
    for (version, name, statements) in MIGRATIONS.iter().filter(|(v, _, _)| *v > latest) {
        tracing::info!(version, name, "applying migration");
        let script = format!(
            "BEGIN;\n{statements}\nCREATE type::record('migration', $version) SET version = $version, name = $name, applied_at = time::now();\nCOMMIT;"
        );
        store
            .run(
                store
                    .db()
                    .query(script)
                    .bind(("version", *version))
                    .bind(("name", name.to_string())),
            )
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::meeting::MeetingKind;

    #[tokio::test]
    async fn meeting_kinds_stored_as_labels_become_codes() {
        let store = Store::in_memory().await.unwrap();
        // The schema as it was before migration 16, with meetings written back then.
        store
            .run(store.db().query(
                "DEFINE FIELD OVERWRITE kind ON meeting TYPE string;
                 CREATE meeting:old1 SET branch = branch:b, title = 'a', kind = '民主生活会',
                     template = '{}', created_at = time::now();
                 CREATE meeting:old2 SET branch = branch:b, title = 'b', kind = '专题组织生活会',
                     template = '{}', created_at = time::now();",
            ))
            .await
            .unwrap();
        let (_, _, statements) = MIGRATIONS.iter().find(|(v, _, _)| *v == 16).unwrap();
        store.run(store.db().query(*statements)).await.unwrap();
        let kinds: Vec<MeetingKind> = store
            .run(
                store
                    .db()
                    .query("SELECT VALUE kind FROM meeting ORDER BY title"),
            )
            .await
            .unwrap()
            .take(0)
            .unwrap();
        assert_eq!(
            kinds,
            vec![MeetingKind::LeadershipMeeting, MeetingKind::Themed]
        );
        // A label written now is refused by the schema.
        let refused = store
            .run(store.db().query(
                "CREATE meeting SET branch = branch:b, title = '丙', kind = '组织生活会',
                     template = '{}', created_at = time::now();",
            ))
            .await;
        assert!(refused.is_err());
    }
}
