//! The one place the server reads the clock in the users' time zone. Every user is in China
//! (UTC+8), whatever zone the server runs in; the domain takes `today` as an argument.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// China Standard Time: UTC+8 all year, no daylight saving.
fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// Today where the users are (UTC+8), whatever the server's clock zone.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&china()).date_naive()
}

/// A moment as the users read it, in China time: `china_time(at, "%Y-%m-%d %H:%M")`.
pub fn china_time(at: DateTime<Utc>, format: &str) -> String {
    at.with_timezone(&china()).format(format).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_after_four_in_the_afternoon_utc_is_the_next_day_in_china() {
        let at = DateTime::parse_from_rfc3339("2026-01-15T16:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(china_time(at, "%Y-%m-%d %H:%M"), "2026-01-16 00:30");
    }
}
