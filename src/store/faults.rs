//! Fault injection, compiled into test builds only (feature `fault-injection`): a share of
//! the store's queries fails before reaching the database, fails after the database did
//! the work (the answer is lost, as when a connection drops), or is delayed. The integration
//! tests use it to prove that users get a generic Chinese error, that retries are answered
//! as repeats, and that no change is ever half written.

use super::{Result, Store, StoreError};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// How often, out of 1000 queries, each fault strikes; a seed makes a run repeatable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FaultPlan {
    pub fail_before_per_mille: u32,
    pub fail_after_per_mille: u32,
    pub delay_per_mille: u32,
    pub delay: Duration,
    pub seed: u64,
}

#[derive(Default)]
pub struct Faults {
    plan: Mutex<FaultPlan>,
    /// Every query run, faulty or not: what a request costs.
    issued: AtomicU64,
    queries: AtomicU64,
    injected: AtomicU64,
}

/// What to do with one query.
enum Fault {
    None,
    Before,
    After,
}

/// SplitMix64: a well-mixed number from a counter, without a random-number crate.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn injected() -> StoreError {
    StoreError::Database("injected fault".into())
}

impl Faults {
    async fn decide(&self) -> Fault {
        let plan = *self.plan.lock().expect("fault plan");
        if plan == FaultPlan::default() {
            return Fault::None;
        }
        let n = self.queries.fetch_add(1, Ordering::Relaxed);
        let roll = (mix(plan.seed ^ mix(n)) % 1000) as u32;
        let delay_roll = (mix(plan.seed.wrapping_add(1) ^ mix(n)) % 1000) as u32;
        if delay_roll < plan.delay_per_mille {
            tokio::time::sleep(plan.delay).await;
        }
        if roll < plan.fail_before_per_mille {
            self.injected.fetch_add(1, Ordering::Relaxed);
            Fault::Before
        } else if roll < plan.fail_before_per_mille + plan.fail_after_per_mille {
            self.injected.fetch_add(1, Ordering::Relaxed);
            Fault::After
        } else {
            Fault::None
        }
    }
}

impl Store {
    /// Runs a query under the fault plan.
    pub(super) async fn run_with_faults(
        &self,
        query: surrealdb::method::Query<'_, surrealdb::engine::any::Any>,
    ) -> Result<surrealdb::IndexedResults> {
        self.faults.issued.fetch_add(1, Ordering::Relaxed);
        match self.faults.decide().await {
            Fault::None => super::run(query).await,
            Fault::Before => Err(injected()),
            Fault::After => {
                super::run(query).await?;
                Err(injected())
            }
        }
    }

    /// Applies `plan` to every following query of this store and its clones.
    pub fn inject_faults(&self, plan: FaultPlan) {
        *self.faults.plan.lock().expect("fault plan") = plan;
    }

    /// How many queries this store and its clones have run so far.
    pub fn queries_issued(&self) -> u64 {
        self.faults.issued.load(Ordering::Relaxed)
    }

    /// How many faults have struck so far.
    pub fn injected_faults(&self) -> u64 {
        self.faults.injected.load(Ordering::Relaxed)
    }
}
