//! Login throttling per account name and per client address. GCRA rate limits (governor)
//! refill over time, so a throttled account is slowed down, never locked out for good.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

pub struct LoginThrottle {
    per_account: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

/// How long to wait before the next attempt is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

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
    /// Counts one use; `Err` says how long to wait. Unknown addresses share one key.
    pub fn attempt(&self, address: Option<IpAddr>) -> Result<(), RetryAfter> {
        let now = self.clock.now();
        let key = address.unwrap_or(IpAddr::from([0, 0, 0, 0]));
        self.per_address
            .check_key(&key)
            .map_err(|not_until| RetryAfter(not_until.wait_time_from(now)))
    }
}

impl Default for LoginThrottle {
    /// Per account: 5 attempts at once, then one a minute. Per address: 30 at once (a
    /// shared office NAT), then one every 2 seconds.
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
    pub fn new(per_account: Quota, per_address: Quota) -> Self {
        Self {
            per_account: RateLimiter::keyed(per_account),
            per_address: RateLimiter::keyed(per_address),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one login attempt; `Err` says how long to wait. The account key is the
    /// login name as typed (lower-cased), whether or not such an account exists, so the
    /// answer is the same for unknown names.
    pub fn attempt(&self, login: &str, address: Option<IpAddr>) -> Result<(), RetryAfter> {
        let now = self.clock.now();
        if let Some(address) = address
            && let Err(not_until) = self.per_address.check_key(&address)
        {
            return Err(RetryAfter(not_until.wait_time_from(now)));
        }
        self.per_account
            .check_key(&login.trim().to_lowercase())
            .map_err(|not_until| RetryAfter(not_until.wait_time_from(now)))
    }

    /// Forgets keys whose limits have fully refilled, so memory stays bounded.
    pub fn forget_idle(&self) {
        self.per_account.retain_recent();
        self.per_address.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_slowed_after_five_attempts_and_others_are_not() {
        let throttle = LoginThrottle::default();
        let address = Some(IpAddr::from([127, 0, 0, 1]));
        for _ in 0..5 {
            assert!(throttle.attempt("ZhangSan", address).is_ok());
        }
        let RetryAfter(wait) = throttle.attempt("zhangsan", address).unwrap_err();
        assert!(wait > Duration::from_secs(50) && wait <= Duration::from_secs(60));
        assert!(throttle.attempt("lisi", address).is_ok());
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
}
