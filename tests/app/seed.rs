//! `xingshen seed --members …`: synthetic data with the app's own shape, the same for the
//! same seed, usable at once (a secretary logs in and sees their branch).

use crate::support::TestApp;
use xingshen::seed::synthetic::{Scale, create_synthetic};
use xingshen::store::Store;
use xingshen::store::ledger::LedgerScope;

async fn seeded(seed: u64) -> (Store, xingshen::seed::synthetic::Created) {
    let store = crate::support::fresh_store().await;
    let created = create_synthetic(
        &store,
        Scale {
            members: 30,
            branches: 3,
            items: 180,
            seed,
            tree: false,
        },
    )
    .await
    .unwrap();
    (store, created)
}

async fn names(store: &Store) -> Vec<String> {
    let mut names: Vec<String> = store
        .table_json("user")
        .await
        .unwrap()
        .into_iter()
        .map(|row| format!("{}:{}", row["login"], row["name"]))
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn synthetic_data_has_the_requested_size_and_repeats_for_a_seed() {
    let (store, created) = seeded(7).await;
    assert_eq!(created.branches, 3);
    assert_eq!(created.users, 30);
    assert_eq!(created.meetings, 6);
    assert_eq!(created.materials, 60);
    // Three measures per material; last year's all submitted, this year's three in four.
    assert!(created.measures >= 30 * 3 && created.measures <= 60 * 3);
    let orgs = store.list_orgs().await.unwrap();
    let org = &orgs[0].id;
    let items = store
        .ledger_items(LedgerScope::Nodes(std::slice::from_ref(org)))
        .await
        .unwrap();
    assert_eq!(items.len(), created.measures);
    let today = xingshen::server::clock::today();
    let overdue = items
        .iter()
        .filter(|item| item.state.deadline.is_some_and(|d| d < today))
        .count();
    assert!(overdue > 0, "some of last year's items are past their 时限");

    let (again, _) = seeded(7).await;
    assert_eq!(names(&store).await, names(&again).await);
    let (other, _) = seeded(8).await;
    assert_ne!(names(&store).await, names(&other).await);

    // A synthetic secretary works like any other.
    let app = TestApp::with_store(store);
    let mut secretary = app
        .logged_in_with("u000001", xingshen::seed::synthetic::SYNTHETIC_PASSWORD)
        .await;
    let branches: Vec<xingshen::server::meetings::BranchMeetings> =
        secretary.call("my_branch_meetings", &[]).await.json();
    assert_eq!(branches[0].meetings.len(), 2);
    assert_eq!(branches[0].members.len(), 10);
}
