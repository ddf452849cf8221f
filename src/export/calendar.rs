//! 整改 dates as an iCalendar feed (RFC 5545): all-day events a phone calendar subscribes
//! to. Each event's UID is stable, so a moved 时限 moves the event instead of adding one.

use chrono::NaiveDate;
use icalendar::{Calendar, Component, Event, EventLike};

/// One date in the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEntry {
    pub uid: String,
    pub date: NaiveDate,
    pub summary: String,
    pub description: String,
}

/// The feed's text, named `name` in the subscriber's calendar list.
pub fn calendar_ics(name: &str, entries: &[CalendarEntry]) -> String {
    let mut calendar = Calendar::new();
    calendar.name(name);
    // Calendar apps poll at this interval (RFC 7986 REFRESH-INTERVAL and its older cousin).
    calendar.append_property(
        icalendar::Property::new("REFRESH-INTERVAL", "PT6H")
            .add_parameter("VALUE", "DURATION")
            .done(),
    );
    calendar.append_property(icalendar::Property::new("X-PUBLISHED-TTL", "PT6H"));
    for entry in entries {
        calendar.push(
            Event::new()
                .uid(&entry.uid)
                .all_day(entry.date)
                .summary(&entry.summary)
                .description(&entry.description)
                .done(),
        );
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use icalendar::{CalendarComponent, DatePerhapsTime};

    #[test]
    fn entries_round_trip_as_all_day_events_with_chinese_text() {
        let entries = vec![
            CalendarEntry {
                uid: "a-deadline@xingshen".into(),
                date: NaiveDate::from_ymd_opt(2028, 2, 29).unwrap(),
                summary: "整改时限：每月精读原著2篇".into(),
                description: "责任人：张明\n完成标准：读书笔记12篇；每月交流一次".into(),
            },
            CalendarEntry {
                uid: "a-check-2026-12-31@xingshen".into(),
                date: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
                summary: "跟踪督办：每月精读原著2篇".into(),
                description: String::new(),
            },
        ];
        let text = calendar_ics("省身 · 我的整改", &entries);
        assert!(text.contains("DTSTART;VALUE=DATE:20280229"), "{text}");
        let parsed: Calendar = text.parse().expect("parses");
        let events: Vec<_> = parsed
            .components
            .iter()
            .filter_map(|c| match c {
                CalendarComponent::Event(event) => Some(event),
                _ => None,
            })
            .collect();
        assert_eq!(events.len(), 2);
        assert_eq!(
            events[0].get_start(),
            Some(DatePerhapsTime::Date(entries[0].date))
        );
        assert_eq!(events[0].get_summary(), Some("整改时限：每月精读原著2篇"));
        assert_eq!(
            events[0].get_description(),
            Some("责任人：张明\n完成标准：读书笔记12篇；每月交流一次")
        );
        assert_eq!(events[1].get_uid(), Some("a-check-2026-12-31@xingshen"));
        assert_eq!(parsed.get_name(), Some("省身 · 我的整改"));
    }
}
