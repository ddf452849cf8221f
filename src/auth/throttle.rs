//! Login throttling per account name and per client address. GCRA rate limits (governor)
//! refill over time, so a throttled account is slowed down, never locked out for good.
//!
//! Per account only *wrong passwords* count: a person who logs in and out on three devices
//! is never slowed, a guesser is. Per address every attempt counts, since one address
//! trying many names is the pattern of credential stuffing, and each attempt costs a
//! password hash.

use super::client_address::throttle_key;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

type FailureLimiter =
    RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

pub struct LoginThrottle {
    per_account: FailureLimiter,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    gates: Mutex<HashMap<String, Gate>>,
    clock: DefaultClock,
}

/// One account's gate: a password is being checked now (so guesses cannot run in
/// parallel past the count), or its failures used up the quota until a time.
#[derive(Debug, Default)]
struct Gate {
    checking: bool,
    closed_until: Option<Instant>,
}

/// How long to wait before the next attempt is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

/// One admitted attempt on one account. Report a wrong password with [`Attempt::failed`];
/// dropping it otherwise (a success, or an error before the check) costs the account nothing.
pub struct Attempt<'a> {
    throttle: &'a LoginThrottle,
    key: String,
}

/// The public tools (格式整理) per client address: 30 requests at once, then one every
/// 2 seconds — plenty for a person, not enough to use the server as a free converter.
pub struct ToolThrottle {
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl Default for ToolThrottle {
    fn default() -> Self {
        Self {
            per_address: RateLimiter::keyed(
                Quota::with_period(Duration::from_secs(2))
                    .expect("non-zero period")
                    .allow_burst(NonZeroU32::new(30).expect("30 > 0")),
            ),
            clock: DefaultClock::default(),
        }
    }
}

impl ToolThrottle {
    /// Counts one use; `Err` says how long to wait. IPv6 clients count by their /64;
    /// unknown addresses share one key.
    pub fn attempt(&self, address: Option<IpAddr>) -> Result<(), RetryAfter> {
        let now = self.clock.now();
        let key = address.map_or(IpAddr::from([0, 0, 0, 0]), throttle_key);
        self.per_address
            .check_key(&key)
            .map_err(|not_until| RetryAfter(not_until.wait_time_from(now)))
    }

    /// Forgets addresses whose limits have fully refilled, so memory stays bounded.
    pub fn forget_idle(&self) {
        self.per_address.retain_recent();
    }
}

impl Default for LoginThrottle {
    /// Per account: 5 wrong passwords at once, then one a minute. Per address: 30
    /// attempts at once (a shared office NAT), then one every 2 seconds.
    fn default() -> Self {
        Self::new(
            Quota::per_minute(NonZeroU32::MIN).allow_burst(NonZeroU32::new(5).expect("5 > 0")),
            Quota::with_period(Duration::from_secs(2))
                .expect("non-zero period")
                .allow_burst(NonZeroU32::new(30).expect("30 > 0")),
        )
    }
}

impl LoginThrottle {
    pub fn new(per_account_failures: Quota, per_address: Quota) -> Self {
        Self {
            per_account: RateLimiter::dashmap(per_account_failures)
                .with_middleware::<StateInformationMiddleware>(),
            per_address: RateLimiter::keyed(per_address),
            gates: Mutex::default(),
            clock: DefaultClock::default(),
        }
    }

    /// Admits one login attempt or says how long to wait. The account key is the login
    /// name as typed (lower-cased), whether or not such an account exists, so the answer
    /// is the same for unknown names.
    pub fn attempt(&self, login: &str, address: Option<IpAddr>) -> Result<Attempt<'_>, RetryAfter> {
        let now = self.clock.now();
        if let Some(address) = address
            && let Err(not_until) = self.per_address.check_key(&throttle_key(address))
        {
            return Err(RetryAfter(not_until.wait_time_from(now)));
        }
        let key = login.trim().to_lowercase();
        let mut gates = self.gates();
        let gate = gates.entry(key.clone()).or_default();
        if let Some(until) = gate.closed_until {
            let wait = until.saturating_duration_since(Instant::now());
            if !wait.is_zero() {
                return Err(RetryAfter(wait));
            }
            gate.closed_until = None;
        }
        if gate.checking {
            return Err(RetryAfter(Duration::from_secs(1)));
        }
        gate.checking = true;
        Ok(Attempt {
            throttle: self,
            key,
        })
    }

    /// Forgets keys whose limits have fully refilled, so memory stays bounded.
    pub fn forget_idle(&self) {
        self.per_account.retain_recent();
        self.per_address.retain_recent();
        let now = Instant::now();
        self.gates()
            .retain(|_, gate| gate.checking || gate.closed_until.is_some_and(|until| until > now));
    }

    fn gates(&self) -> MutexGuard<'_, HashMap<String, Gate>> {
        // A panic while holding the lock leaves the map consistent (plain field writes).
        self.gates
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Attempt<'_> {
    /// Counts a wrong password. Once the quota is used up, the account's gate stays
    /// closed until the next failure would be allowed.
    pub fn failed(self) {
        let throttle = self.throttle;
        let wait = match throttle.per_account.check_key(&self.key) {
            Ok(state) if state.remaining_burst_capacity() > 0 => None,
            // The last allowed failure: the next one waits one interval at most.
            Ok(state) => Some(state.quota().replenish_interval()),
            Err(not_until) => Some(not_until.wait_time_from(throttle.clock.now())),
        };
        let closed_until = wait.map(|wait| Instant::now() + wait);
        if let Some(gate) = throttle.gates().get_mut(&self.key) {
            gate.closed_until = closed_until;
        }
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if let Some(gate) = self.throttle.gates().get_mut(&self.key) {
            gate.checking = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOME: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));

    #[test]
    fn logging_in_again_and_again_is_never_slowed() {
        let throttle = LoginThrottle::default();
        for _ in 0..20 {
            let attempt = throttle.attempt("ZhangSan", None).expect("admitted");
            drop(attempt);
        }
    }

    #[test]
    fn an_account_is_closed_after_five_wrong_passwords_and_others_are_not() {
        let throttle = LoginThrottle::default();
        for _ in 0..5 {
            throttle
                .attempt("ZhangSan", HOME)
                .expect("admitted")
                .failed();
        }
        let Err(RetryAfter(wait)) = throttle.attempt("zhangsan", HOME) else {
            panic!("the sixth guess must wait");
        };
        assert!(wait > Duration::from_secs(50) && wait <= Duration::from_secs(60));
        assert!(throttle.attempt("lisi", HOME).is_ok());
    }

    #[test]
    fn guesses_cannot_run_in_parallel_past_the_count() {
        let throttle = LoginThrottle::default();
        let first = throttle.attempt("zhangsan", HOME).expect("admitted");
        assert_eq!(
            throttle.attempt("ZHANGSAN", HOME).err(),
            Some(RetryAfter(Duration::from_secs(1)))
        );
        first.failed();
        assert!(throttle.attempt("zhangsan", HOME).is_ok());
    }

    #[test]
    fn one_address_trying_many_accounts_is_slowed_too() {
        let throttle = LoginThrottle::default();
        let address = Some(IpAddr::from([10, 0, 0, 9]));
        let allowed = (0..40)
            .filter(|n| throttle.attempt(&format!("user{n}"), address).is_ok())
            .count();
        assert_eq!(allowed, 30);
    }

    #[test]
    fn idle_gates_are_forgotten() {
        let throttle = LoginThrottle::default();
        throttle
            .attempt("zhangsan", HOME)
            .expect("admitted")
            .failed();
        drop(throttle.attempt("lisi", HOME));
        throttle.forget_idle();
        assert!(throttle.gates().is_empty());
    }
}
